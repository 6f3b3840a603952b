"""FHIR R4: instruments as Questionnaires, responses as a Bundle (QuestionnaireResponse +
Observation of the total), and a Questionnaire imported as a new, switched-off instrument."""

import copy
import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from outward.care.models import AuditEvent
from outward.measures import catalog, fhir, services
from outward.measures.fhir import FhirImportError, instrument_from_questionnaire
from outward.measures.models import ImportedInstrument, InstrumentSetting

ANSWERS = {"1": 2, "2": 1, "3": 3, "4": 0, "5": 1, "6": 2, "7": 0, "8": 1, "9": 0, "difficulty": 1}


def phq9_questionnaire():
    return fhir.questionnaire_json(catalog.instrument("phq9"))


def small_questionnaire(**changes):
    """A two-item Questionnaire of the kind Outward can score."""
    data = {
        "resourceType": "Questionnaire",
        "name": "DailyMood",
        "title": "Daily mood",
        "status": "active",
        "item": [
            {
                "linkId": "q1",
                "text": "How low did you feel?",
                "type": "choice",
                "answerOption": [
                    {"valueCoding": {"code": "0", "display": "Not at all"}},
                    {"valueCoding": {"code": "1", "display": "A little"}},
                    {"valueCoding": {"code": "2", "display": "A lot"}},
                ],
            },
            {
                "linkId": "q2",
                "text": "How tired did you feel?",
                "type": "choice",
                "answerOption": [
                    {"valueCoding": {"code": "0", "display": "Not at all"}},
                    {"valueCoding": {"code": "1", "display": "A little"}},
                    {"valueCoding": {"code": "2", "display": "A lot"}},
                ],
            },
        ],
    }
    data.update(changes)
    return data


def upload(http, data, name="questionnaire.json"):
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return http.post(
        reverse("measures:questionnaire_import"),
        {"file": SimpleUploadedFile(name, raw, content_type="application/json")},
    )


@pytest.fixture
def response(world):
    return services.response_enter(
        client=world.client,
        instrument_key="phq9",
        answers=ANSWERS,
        actor=world.therapist.user,
        ip=None,
    )


# --- Questionnaire export --------------------------------------------------------------------


@pytest.mark.parametrize(("key", "loinc"), [("phq9", "44249-1"), ("gad7", "69737-5")])
def test_questionnaire_carries_the_loinc_panel_code(key, loinc):
    data = fhir.questionnaire_json(catalog.instrument(key))
    Questionnaire.model_validate(data)
    assert {"system": "http://loinc.org", "code": loinc} in [
        {"system": c["system"], "code": c["code"]} for c in data["code"]
    ]


def test_questionnaire_items_are_verbatim_choices_with_outward_codes():
    definition = catalog.instrument("phq9")
    data = phq9_questionnaire()
    assert data["resourceType"] == "Questionnaire" and data["status"] == "active"
    assert data["url"].endswith("/fhir/Questionnaire/phq9") and data["version"] == "1"
    assert data["identifier"][0]["value"] == "phq9"
    assert data["title"] == definition.name
    choices = [item for item in data["item"] if item["type"] == "choice"]
    assert [item["linkId"] for item in choices] == [item.id for item in definition.items]
    assert [item["text"] for item in choices] == [item.text for item in definition.items]
    first = choices[0]["answerOption"]
    # LOINC answer codes (reference §1), each carrying Outward's own code and its score.
    assert [option["valueCoding"]["code"] for option in first] == [
        "LA6568-5",
        "LA6569-3",
        "LA6570-1",
        "LA6571-9",
    ]
    assert [fhir._own_answer_code(option["valueCoding"]) for option in first] == [0, 1, 2, 3]
    assert [option["extension"][0]["valueDecimal"] for option in first] == [0, 1, 2, 3]
    assert first[2]["valueCoding"]["display"] == "More than half the days"
    assert first[0]["valueCoding"]["system"] == "http://loinc.org"
    assert choices[0]["code"][0] == {"system": "http://loinc.org", "code": "44250-9"}
    assert choices[0]["code"][1]["code"] == "1"  # Outward's own item code
    difficulty = choices[-1]["answerOption"]
    assert [option["valueCoding"]["code"] for option in difficulty] == ["0", "1", "2", "3"]
    assert all("extension" not in option for option in difficulty)  # unscored
    assert data["item"][0] == {
        "linkId": "instructions",
        "text": definition.instructions,
        "type": "display",
    }


@pytest.mark.parametrize("key", sorted(fhir.instruments()))
def test_every_shipped_instrument_exports_and_reimports_its_wording(key):
    """Valid R4, and an import of the export has the same items, codes, options, headings and
    instructions (the scoring becomes a plain sum, as the import says). LOINC answer codes
    (LA…) are not carried: an exported answer is coded in Outward's own code system."""
    original = catalog.instrument(key)
    data = fhir.questionnaire_json(original)
    Questionnaire.model_validate(data)
    imported = instrument_from_questionnaire(data, source=f"{key}.json")

    def wording(definition):
        return [
            (item.id, item.text, item.heading, [(o.code, o.text) for o in item.options])
            for item in definition.items
        ]

    assert wording(imported) == wording(original)
    assert imported.instructions == original.instructions
    assert imported.licence == original.licence and imported.citation == original.citation


def test_questionnaire_view_serves_fhir_json(world):
    response = world.as_("therapist").get(reverse("measures:fhir_questionnaire", args=["gad7"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert json.loads(response.content)["code"][0]["code"] == "69737-5"
    for persona in ("client", "other_client"):
        assert (
            world.as_(persona)
            .get(reverse("measures:fhir_questionnaire", args=["gad7"]))
            .status_code
            == 404
        )
    assert (
        world.as_("admin").get(reverse("measures:fhir_questionnaire", args=["nope"])).status_code
        == 404
    )


# --- response export -------------------------------------------------------------------------


def test_response_bundle_validates_and_names_nobody(world, response):
    bundle = fhir.response_bundle_json(response, catalog.instrument("phq9"))
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    text = json.dumps(bundle, ensure_ascii=False).lower()
    for personal in (
        world.client.display_name,
        "casey",
        world.client.user.email,
        world.client.user.full_name,
    ):
        assert personal.lower() not in text
    questionnaire_response, observation, *answers = (entry["resource"] for entry in bundle["entry"])
    assert len(answers) == len(ANSWERS)
    assert questionnaire_response["resourceType"] == "QuestionnaireResponse"
    assert questionnaire_response["status"] == "completed"
    assert questionnaire_response["questionnaire"].endswith("/fhir/Questionnaire/phq9|1")
    assert questionnaire_response["authored"] == response.completed.isoformat()
    subject = questionnaire_response["subject"]
    assert subject["type"] == "Patient" and len(subject["identifier"]["value"]) == 32
    assert str(world.client.pk) != subject["identifier"]["value"]
    answers = {
        item["linkId"]: item["answer"][0]["valueCoding"] for item in questionnaire_response["item"]
    }

    def outward_code(coding):
        own = fhir._own_answer_code(coding)
        return int(coding["code"]) if own is None else own

    assert {key: outward_code(coding) for key, coding in answers.items()} == ANSWERS
    assert answers["3"]["display"] == "Nearly every day"
    # The frequency answers are LOINC-coded, with Outward's code beside; the difficulty item
    # has no LOINC answers in the definition, so it keeps Outward's own coding.
    assert answers["3"]["system"] == "http://loinc.org" and answers["3"]["code"] == "LA6571-9"
    assert answers["difficulty"] == {
        "system": fhir.answer_system("phq9", "difficulty"),
        "code": "1",
        "display": "Somewhat difficult",
    }
    assert observation["subject"] == subject


def test_observation_is_the_stored_total(world, response):
    bundle = fhir.response_bundle_json(response, catalog.instrument("phq9"))
    first, observation, *_answers = bundle["entry"]
    assert observation["resource"]["resourceType"] == "Observation"
    observation = observation["resource"]
    assert observation["status"] == "final"
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["valueInteger"] == response.scores["scales"]["total"]["score"] == 10
    assert observation["interpretation"] == [{"text": "Moderate"}]
    assert observation["derivedFrom"][0]["reference"] == first["fullUrl"]
    assert observation["effectiveDateTime"] == response.completed.isoformat()
    # The LOINC total-score code, then Outward's own code for the scale.
    assert [coding["code"] for coding in observation["code"]["coding"]] == ["44261-6", "total"]


def test_an_instrument_without_a_loinc_total_is_coded_by_outward_alone(world):
    who5 = services.response_enter(
        client=world.client,
        instrument_key="who5",
        answers={"1": 3, "2": 3, "3": 2, "4": 1, "5": 4},
        actor=world.therapist.user,
        ip=None,
    )
    bundle = fhir.response_bundle_json(who5, catalog.instrument("who5"))
    Bundle.model_validate(bundle)
    observation = bundle["entry"][1]["resource"]
    assert [coding["code"] for coding in observation["code"]["coding"]] == ["total"]
    assert observation["valueInteger"] == 52


def test_response_export_is_audited_and_for_the_care_team_only(world, response):
    url = reverse("measures:fhir_response", args=[world.client.pk, response.pk])
    before = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count()
    http = world.as_("therapist")
    got = http.get(url)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/fhir+json"
    Bundle.model_validate(json.loads(got.content))
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("pk")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == before + 1
    assert (event.client_id, event.actor_id, event.target) == (
        world.client.pk,
        world.therapist.user.pk,
        f"response:{response.pk}",
    )
    for persona in ("colleague", "stranger", "admin", "client", "other_client"):
        assert world.as_(persona).get(url).status_code == 404
    other = reverse("measures:fhir_response", args=[world.other_client.pk, response.pk])
    assert world.as_("colleague").get(other).status_code == 404


def test_measure_page_links_each_response_to_its_fhir_bundle(world, response):
    page = world.as_("therapist").get(
        reverse("measures:measure_detail", args=[world.client.pk, "phq9"])
    )
    assert reverse("measures:fhir_response", args=[world.client.pk, response.pk]) in page.text


# --- import ----------------------------------------------------------------------------------


def test_round_trip_keeps_items_and_codes_and_arrives_disabled(world):
    original = catalog.instrument("phq9")
    imported = instrument_from_questionnaire(phq9_questionnaire(), source="phq9.json")
    assert imported.key not in {"phq9"} and imported.key == "phq_9"
    assert not imported.enabled_by_default
    assert imported.short_name == "PHQ-9 (imported)" and imported.name == original.name
    assert imported.loinc.panel == "44249-1"
    assert imported.instructions == original.instructions
    assert [(item.id, item.text) for item in imported.items] == [
        (item.id, item.text) for item in original.items
    ]
    assert [[(o.code, o.text) for o in item.options] for item in imported.items] == [
        [(o.code, o.text) for o in item.options] for item in original.items
    ]
    # Outward's own export carries its scoring rules: the import scores as the shipped one.
    assert imported.scales == original.scales and imported.primary.max == 27
    assert [item.id for item in imported.risk_items] == ["9"]
    assert not imported.item("difficulty").required
    assert "Outward's own scoring rules" in imported.notes

    saved = services.instrument_import(
        practice=world.practice,
        questionnaire=phq9_questionnaire(),
        source="phq9.json",
        actor=world.admin.user,
    )
    assert saved.key == "phq_9" and saved.definition == imported.as_dict()
    assert catalog.instrument("phq_9", practice=world.practice) == imported
    assert catalog.instrument("phq_9") is None  # not shipped
    assert catalog.instrument("phq_9", practice=world.other_practice) is None
    assert not catalog.is_offered(practice=world.practice, key="phq_9")
    # Exporting the import gives the same items and codes again.
    again = fhir.questionnaire_json(catalog.instrument("phq_9", practice=world.practice))
    assert [(i["linkId"], i.get("text")) for i in again["item"]] == [
        (i["linkId"], i.get("text")) for i in phq9_questionnaire()["item"]
    ]


def test_a_second_import_of_the_same_questionnaire_gets_its_own_key(world):
    keys = [
        services.instrument_import(
            practice=world.practice,
            questionnaire=small_questionnaire(),
            source="mood.json",
            actor=world.admin.user,
        ).key
        for _ in range(2)
    ]
    assert keys == ["dailymood", "dailymood_2"]


def test_key_never_clashes_with_a_shipped_one():
    imported = instrument_from_questionnaire(small_questionnaire(name="GAD7"), source="x")
    assert imported.key == "gad7_2"


def test_loinc_style_questionnaire_with_ordinal_values_and_a_calculated_total():
    """Scores from ordinalValue, LOINC answer codes kept, groups flattened, the read-only
    calculated total left out (and said so)."""
    answers = [
        ("LA6568-5", "Not at all", 0),
        ("LA6569-3", "Several days", 1),
        ("LA6570-1", "More than half the days", 2),
        ("LA6571-9", "Nearly every day", 3),
    ]

    def question(loinc, text):
        return {
            "linkId": f"/{loinc}",
            "code": [{"system": "http://loinc.org", "code": loinc}],
            "text": text,
            "type": "choice",
            "required": True,
            "answerOption": [
                {
                    "valueCoding": {
                        "system": "http://loinc.org",
                        "code": code,
                        "display": display,
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
                                "valueDecimal": value,
                            }
                        ],
                    }
                }
                for code, display, value in answers
            ],
        }

    data = {
        "resourceType": "Questionnaire",
        "id": "69737-5",
        "title": "Generalized anxiety disorder 7 item (GAD-7)",
        "status": "draft",
        "code": [{"system": "http://loinc.org", "code": "69737-5"}],
        "item": [
            {
                "linkId": "/group",
                "type": "group",
                "text": "Over the last 2 weeks, how often have you been bothered by the "
                "following problems?",
                "item": [
                    question("69725-0", "Feeling nervous, anxious or on edge"),
                    question("68509-9", "Not being able to stop or control worrying"),
                ],
            },
            {
                "linkId": "/70274-6",
                "text": "GAD-7 total score",
                "type": "integer",
                "readOnly": True,
            },
        ],
    }
    imported = instrument_from_questionnaire(data, source="gad7-loinc.json")
    assert imported.key == "q_69737_5" and imported.short_name == "GAD-7 (imported)"
    assert imported.loinc.panel == "69737-5"
    assert imported.instructions.startswith("Over the last 2 weeks")
    assert [item.id for item in imported.items] == ["69725-0", "68509-9"]
    assert [item.loinc for item in imported.items] == ["69725-0", "68509-9"]
    assert [(o.code, o.text, o.loinc) for o in imported.items[0].options] == [
        (value, display, code) for code, display, value in answers
    ]
    assert (imported.primary.min, imported.primary.max) == (0, 6)
    assert "GAD-7 total score" in imported.notes


def test_item_weight_scores_answers_with_text_codes():
    data = small_questionnaire()
    for item in data["item"]:
        for weight, option in enumerate(item["answerOption"]):
            option["valueCoding"]["code"] = f"opt-{weight}"
            option["extension"] = [
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/itemWeight",
                    "valueDecimal": weight * 2,
                }
            ]
    imported = instrument_from_questionnaire(data, source="x")
    assert imported.items[0].codes == {0, 2, 4} and imported.primary.max == 8


REFUSALS = [
    (
        "not a questionnaire",
        {"resourceType": "Patient", "name": [{"family": "Doe"}]},
        "this is a FHIR Patient, not a Questionnaire",
    ),
    ("a JSON array", [small_questionnaire()], "this is a JSON list, not a FHIR resource"),
    ("no resourceType", {"item": []}, "not a FHIR resource (it has no resourceType)"),
    (
        "invalid FHIR",
        small_questionnaire(status=None, colour="blue"),
        "not a valid FHIR R4 Questionnaire",
    ),
    ("no items", small_questionnaire(item=[]), "has no items"),
    (
        "only display items",
        small_questionnaire(item=[{"linkId": "d", "type": "display", "text": "Hi"}]),
        "no questions Outward can score",
    ),
]


@pytest.mark.parametrize(("label", "data", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_imports_say_why(label, data, message):
    with pytest.raises(FhirImportError, match="^source.json: .*" + re.escape(message)):
        instrument_from_questionnaire(data, source="source.json")


def _item_change(**changes):
    data = small_questionnaire()
    data["item"][1].update(changes)
    return data


def test_refused_item_shapes_say_why():
    cases = {
        "free text": (_item_change(type="string", answerOption=None), "has type “string”"),
        "open choice": (_item_change(type="open-choice"), "has type “open-choice”"),
        "some answers without a score": (
            _item_change(
                answerOption=[
                    {"valueCoding": {"code": "0", "display": "Low"}},
                    {"valueCoding": {"code": "high", "display": "High"}},
                ]
            ),
            "its code 'high' is not an integer and it has no ordinalValue or itemWeight",
        ),
        "fractional weight": (
            _item_change(
                answerOption=[
                    {
                        "valueCoding": {"code": "a", "display": "A"},
                        "extension": [{"url": fhir.ORDINAL_VALUE, "valueDecimal": 0.5}],
                    },
                    {"valueCoding": {"code": "1", "display": "B"}},
                ]
            ),
            "scores 0.5, which is not a whole number",
        ),
        "no answer options": (_item_change(answerOption=None), "has no answer options"),
        "value set": (
            _item_change(answerOption=None, answerValueSet="http://example.org/vs"),
            "the value set http://example.org/vs, which is not in the file",
        ),
        "one answer": (
            _item_change(answerOption=[{"valueCoding": {"code": "0", "display": "Only"}}]),
            "only one answer",
        ),
        "same score twice": (
            _item_change(
                answerOption=[
                    {"valueCoding": {"code": "1", "display": "A"}},
                    {"valueCoding": {"code": "01", "display": "B"}},
                ]
            ),
            "scores two answers the same",
        ),
        "duplicate linkId": (
            _item_change(linkId="q1"),
            "linkId 'q1' is used by more than one item",
        ),
        "conditional": (
            _item_change(enableWhen=[{"question": "q1", "operator": "=", "answerInteger": 1}]),
            "enableWhen",
        ),
        "repeating group": (
            small_questionnaire(
                item=[
                    {
                        "linkId": "g",
                        "type": "group",
                        "repeats": True,
                        "item": small_questionnaire()["item"],
                    }
                ]
            ),
            "cannot flatten a repeating item or group",
        ),
        "question with children": (
            _item_change(item=[copy.deepcopy(small_questionnaire()["item"][0]) | {"linkId": "q3"}]),
            "has questions nested under it",
        ),
        "no question text": (_item_change(text=None), "has no question text"),
    }
    for label, (data, message) in cases.items():
        data = json.loads(json.dumps(data, default=str))
        for item in data.get("item", []):
            for key in [k for k, v in item.items() if v is None]:
                del item[key]
        with pytest.raises(FhirImportError) as caught:
            instrument_from_questionnaire(data, source="source.json")
        assert message in str(caught.value), (label, str(caught.value))


def test_not_json_is_refused():
    with pytest.raises(FhirImportError, match="is not valid JSON"):
        fhir.parse_upload(b"{not json", source="x.json")
    with pytest.raises(FhirImportError, match="not UTF-8"):
        fhir.parse_upload(b"\xff\xfe\x00", source="x.json")


# --- the upload page -------------------------------------------------------------------------


def test_admin_imports_a_questionnaire_which_arrives_switched_off(world):
    http = world.as_("admin")
    assert http.get(reverse("measures:questionnaire_import")).status_code == 200
    got = upload(http, phq9_questionnaire(), name="phq9.json")
    assert got.status_code == 302 and got["Location"] == reverse("measures:practice_measures")
    row = ImportedInstrument.objects.get()
    assert (row.practice, row.key, row.version, row.imported_by) == (
        world.practice,
        "phq_9",
        1,
        world.admin.user,
    )
    assert not catalog.is_offered(practice=world.practice, key="phq_9")
    page = http.get(reverse("measures:practice_measures"))
    assert "Imported “Patient Health Questionnaire (PHQ-9)”" in page.text
    assert "Imported from FHIR on" in page.text and "own scoring rules" in page.text
    assert reverse("measures:questionnaire_import") in page.text
    assert reverse("measures:fhir_questionnaire", args=["phq_9"]) in page.text
    assert reverse("measures:fhir_questionnaire", args=["phq9"]) in page.text

    # Switching it on needs the licence confirmation, like any instrument that ships off.
    http.post(reverse("measures:practice_measures"), {"instrument": "phq_9", "enabled": "1"})
    assert not catalog.is_offered(practice=world.practice, key="phq_9")
    http.post(
        reverse("measures:practice_measures"),
        {"instrument": "phq_9", "enabled": "1", "licence_confirmed": "on"},
    )
    assert catalog.is_offered(practice=world.practice, key="phq_9")
    assert InstrumentSetting.objects.get(instrument_key="phq_9").enabled
    assert not catalog.is_offered(practice=world.other_practice, key="phq_9")


def test_an_enabled_import_can_be_assigned_answered_and_exported(world):
    services.instrument_import(
        practice=world.practice,
        questionnaire=small_questionnaire(),
        source="mood.json",
        actor=world.admin.user,
    )
    services.instrument_set_enabled(
        practice=world.practice, key="dailymood", enabled=True, actor=world.admin.user
    )
    assignment = services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="dailymood",
        every_days=None,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )
    client_http = world.as_("client")
    url = reverse("measures:my_questionnaire", args=[assignment.pk])
    assert "How low did you feel?" in client_http.get(url).text
    for item_id, code in {"q1": 2, "q2": 1}.items():
        assert client_http.post(url, {"item": item_id, "answer": code}).status_code == 302
    assert client_http.post(url, {"submit": "1"}).status_code == 302
    response = assignment.responses.get()
    assert response.scores["scales"]["total"]["score"] == 3

    therapist = world.as_("therapist")
    detail = therapist.get(reverse("measures:measure_detail", args=[world.client.pk, "dailymood"]))
    assert detail.status_code == 200
    bundle = json.loads(
        therapist.get(
            reverse("measures:fhir_response", args=[world.client.pk, response.pk])
        ).content
    )
    assert bundle["entry"][1]["resource"]["valueInteger"] == 3
    questionnaire = therapist.get(reverse("measures:fhir_questionnaire", args=["dailymood"]))
    assert json.loads(questionnaire.content)["item"][0]["text"] == "How low did you feel?"
    # Another practice's staff cannot see it.
    assert (
        world.as_("stranger")
        .get(reverse("measures:fhir_questionnaire", args=["dailymood"]))
        .status_code
        == 404
    )


NOT_IMPORTABLE = [
    ("not JSON", b"this is not json {", "is not valid JSON"),
    ("a JSON array", b"[1, 2, 3]", "this is a JSON list, not a FHIR resource"),
    (
        "a Patient",
        {"resourceType": "Patient", "name": [{"text": "Jo"}]},
        "this is a FHIR Patient, not a Questionnaire",
    ),
    (
        "a free-text item",
        _item_change(type="string", answerOption=None),
        "has type “string”",
    ),
    (
        "non-integer codes",
        _item_change(
            answerOption=[
                {"valueCoding": {"code": "0", "display": "Low"}},
                {"valueCoding": {"code": "high", "display": "High"}},
            ]
        ),
        "is not an integer",
    ),
    ("over 1 MB", b" " * (1024 * 1024 + 1), "larger than 1 MB"),
    ("empty", b"", "The file is empty."),
]


@pytest.mark.parametrize(
    ("label", "data", "message"), NOT_IMPORTABLE, ids=[r[0] for r in NOT_IMPORTABLE]
)
def test_upload_refusals_show_on_the_form_and_save_nothing(world, label, data, message):
    if isinstance(data, dict):
        data = json.loads(json.dumps(data))
        for item in data.get("item", []):
            for key in [k for k, v in item.items() if v is None]:
                del item[key]
    got = upload(world.as_("admin"), data)
    assert got.status_code == 200
    assert message in got.text
    assert 'class="error"' in got.text
    assert ImportedInstrument.objects.count() == 0
    assert InstrumentSetting.objects.count() == 0


def test_upload_without_a_file_asks_for_one(world):
    got = world.as_("admin").post(reverse("measures:questionnaire_import"), {})
    assert got.status_code == 200 and "Choose a .json file" in got.text
    assert ImportedInstrument.objects.count() == 0


def test_only_the_admin_may_import(world):
    for persona in ("therapist", "colleague", "stranger", "client"):
        got = upload(world.as_(persona), small_questionnaire())
        assert got.status_code == 404, persona
    assert ImportedInstrument.objects.count() == 0

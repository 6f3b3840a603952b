"""FHIR that other systems understand: LOINC codes beside Outward's own in every exported
resource, the real-world shapes of a practice's own PHQ-9 Questionnaire, and a round trip of
every shipped instrument that scores exactly as the shipped definition."""

import copy
import datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outward.measures import catalog, fhir, selectors, services
from outward.measures.definitions import definition_from_dict, instruments
from outward.measures.fhir import FhirImportError, instrument_from_questionnaire

LOINC = "http://loinc.org"
PHQ9_ITEMS = [
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
]
FREQUENCY_LOINC = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def answer_vectors(instrument):
    """Any answers to `instrument`: each item one of its codes or unanswered."""
    return st.fixed_dictionaries(
        {
            item.id: st.one_of(st.none(), st.sampled_from([o.code for o in item.options]))
            for item in instrument.items
        }
    )


def loinc_codes(codeable):
    return [coding["code"] for coding in codeable["coding"] if coding["system"] == LOINC]


# --- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "answers", "total_code", "item_codes"),
    [
        (
            "phq9",
            {"1": 3, "2": 2, "3": 1, "4": 0, "5": 1, "6": 2, "7": 0, "8": 1, "9": 1},
            "44261-6",
            PHQ9_ITEMS,
        ),
        (
            "gad7",
            {"1": 0, "2": 1, "3": 2, "4": 3, "5": 2, "6": 1, "7": 0},
            "70274-6",
            ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
        ),
    ],
)
def test_bundle_carries_loinc_item_answer_and_total_codes(
    world, key, answers, total_code, item_codes
):
    response = services.response_enter(
        client=world.client,
        instrument_key=key,
        answers=answers,
        actor=world.therapist.user,
        ip=None,
    )
    bundle = fhir.response_bundle_json(response, catalog.instrument(key))
    Bundle.model_validate(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    questionnaire_response, total, *items = resources
    QuestionnaireResponse.model_validate(questionnaire_response)
    for observation in [total, *items]:
        Observation.model_validate(observation)

    # The total: LOINC's code, then Outward's; its members are the item Observations.
    assert loinc_codes(total["code"]) == [total_code]
    assert total["code"]["coding"][-1]["system"] == fhir.score_system(key)
    assert total["valueInteger"] == sum(answers.values())
    assert [m["reference"] for m in total["hasMember"]] == [f"urn:uuid:{o['id']}" for o in items]

    # Each answer: the item's LOINC code beside Outward's, the LOINC answer beside Outward's.
    assert [loinc_codes(o["code"]) for o in items] == [[code] for code in item_codes]
    assert [o["code"]["coding"][-1]["code"] for o in items] == list(answers)
    for observation, code in zip(items, answers.values(), strict=True):
        value = observation["valueCodeableConcept"]["coding"]
        assert value[0] == {
            "system": LOINC,
            "code": FREQUENCY_LOINC[code],
            "display": value[0]["display"],
        }
        assert value[1]["code"] == str(code) and value[1]["system"].endswith(f"/{key}-frequency")
        assert observation["derivedFrom"][0]["reference"] == bundle["entry"][0]["fullUrl"]

    # The QuestionnaireResponse answers with the same LOINC codes its Questionnaire offers.
    offered = {
        item["linkId"]: [option["valueCoding"] for option in item["answerOption"]]
        for item in fhir.questionnaire_json(catalog.instrument(key))["item"]
        if item["type"] == "choice"
    }
    for item in questionnaire_response["item"]:
        assert item["answer"][0]["valueCoding"] in offered[item["linkId"]]
        assert item["answer"][0]["valueCoding"]["code"] == FREQUENCY_LOINC[answers[item["linkId"]]]


@pytest.mark.parametrize("key", sorted(instruments()))
def test_every_questionnaire_is_valid_r4_with_outward_codes_on_every_item(key):
    data = fhir.questionnaire_json(catalog.instrument(key))
    Questionnaire.model_validate(data)
    for item in (i for i in data["item"] if i["type"] == "choice"):
        assert item["code"][-1] == {"system": fhir.item_system(key), "code": item["linkId"]}


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(instruments()))
def test_reimporting_the_export_scores_as_the_shipped_instrument(key):
    """Every shipped instrument, reversed, dichotomised, transformed and with subscales:
    the import of its Questionnaire gives the same scores, bands, changes and risk answers."""
    shipped = catalog.instrument(key)
    imported = instrument_from_questionnaire(fhir.questionnaire_json(shipped), source=f"{key}.json")
    assert imported.scales == shipped.scales
    assert [(i.id, i.risk_above, i.required) for i in imported.items] == [
        (i.id, i.risk_above, i.required) for i in shipped.items
    ]
    assert not imported.enabled_by_default

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answer_vectors(shipped))
    def scores_alike(answers):
        assert imported.score(answers) == shipped.score(answers)

    scores_alike()


# --- a practice's own PHQ-9 ------------------------------------------------------------------


def practice_phq9():
    """A PHQ-9 shaped as real ones are: answers from a contained value set whose concepts
    carry the scores, the items inside a group under the instructions, a calculated total that
    is not marked read-only, and an unscored difficulty item whose answers have no scores."""
    texts = [item.text for item in catalog.instrument("phq9").items[:9]]
    questions = [
        {
            "linkId": f"phq9/{number}",
            "code": [{"system": LOINC, "code": code}],
            "text": text,
            "type": "choice",
            "required": True,
            "answerValueSet": "#frequency",
        }
        for number, (code, text) in enumerate(zip(PHQ9_ITEMS, texts, strict=True), start=1)
    ]
    frequency = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    return {
        "resourceType": "Questionnaire",
        "id": "practice-phq9",
        "url": "https://clinic.example.org/Questionnaire/phq9",
        "version": "2024.1",
        "name": "PracticePHQ9",
        "title": "Depression check (PHQ-9)",
        "status": "active",
        "contained": [
            {
                "resourceType": "ValueSet",
                "id": "frequency",
                "status": "active",
                "compose": {
                    "include": [
                        {
                            "system": "https://clinic.example.org/CodeSystem/frequency",
                            "concept": [
                                {
                                    "code": f"f{score}",
                                    "display": display,
                                    "extension": [
                                        {"url": fhir.ORDINAL_VALUE, "valueDecimal": score}
                                    ],
                                }
                                for score, display in enumerate(frequency)
                            ],
                        }
                    ]
                },
            }
        ],
        "item": [
            {
                "linkId": "phq9",
                "text": "Over the last 2 weeks, how often have you been bothered by any of the "
                "following problems?",
                "type": "group",
                "item": [
                    *questions,
                    {
                        "linkId": "phq9/total",
                        "code": [{"system": LOINC, "code": "44261-6"}],
                        "text": "Total score",
                        "type": "quantity",
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
                                "sdc-questionnaire-calculatedExpression",
                                "valueExpression": {
                                    "language": "text/fhirpath",
                                    "expression": "%resource.answers().value.ordinal().sum()",
                                },
                            }
                        ],
                    },
                ],
            },
            {
                "linkId": "difficulty",
                "text": "How difficult have these problems made it for you to do your work, "
                "take care of things at home, or get along with other people?",
                "type": "choice",
                "answerOption": [
                    {"valueCoding": {"code": code, "display": display}}
                    for code, display in [
                        ("not-difficult", "Not difficult at all"),
                        ("somewhat", "Somewhat difficult"),
                        ("very", "Very difficult"),
                        ("extremely", "Extremely difficult"),
                    ]
                ],
            },
        ],
    }


PRACTICE_PHQ9 = instrument_from_questionnaire(practice_phq9(), source="phq9.json")


def test_a_practice_phq9_imports_with_its_value_set_total_and_difficulty_item():
    imported = PRACTICE_PHQ9
    assert [item.loinc for item in imported.items[:9]] == PHQ9_ITEMS
    assert [o.text for o in imported.items[0].options][2] == "More than half the days"
    assert imported.primary.items == tuple(item.id for item in imported.items[:9])
    assert (imported.primary.min, imported.primary.max) == (0, 27)
    difficulty = imported.items[-1]
    assert difficulty.id == "difficulty" and not difficulty.required
    assert [o.code for o in difficulty.options] == [0, 1, 2, 3]
    assert imported.instructions.startswith("Over the last 2 weeks")
    assert "“Total score”" in imported.notes  # the calculated total is left out, and said so
    assert "Asked but not scored" in imported.notes and "How difficult" in imported.notes


@settings(max_examples=80, deadline=None)
@given(answers=answer_vectors(catalog.instrument("phq9")))
def test_a_practice_phq9_totals_as_the_shipped_one(answers):
    shipped = catalog.instrument("phq9")
    own = {
        imported.id: answers[item.id]
        for imported, item in zip(PRACTICE_PHQ9.items, shipped.items, strict=True)
    }
    assert PRACTICE_PHQ9.score(own)["total"].score == shipped.score(answers)["total"].score


def test_value_sets_by_url_or_expansion_and_totals_coded_only_by_loinc():
    data = practice_phq9()
    value_set = data["contained"][0]
    value_set["url"] = "https://clinic.example.org/ValueSet/frequency"
    concepts = value_set.pop("compose")["include"][0]["concept"]
    value_set["expansion"] = {
        "timestamp": "2024-01-01T00:00:00Z",
        "contains": [
            {"system": "https://clinic.example.org/CodeSystem/frequency", **concept}
            for concept in concepts
        ],
    }
    group = data["item"][0]["item"]
    for question in group[:9]:
        question["answerValueSet"] = value_set["url"] + "|1.0"
    del group[9]["extension"]  # a total with only its LOINC code and a number type
    group[9]["type"] = "integer"
    imported = instrument_from_questionnaire(data, source="phq9.json")
    assert (imported.primary.min, imported.primary.max) == (0, 27)
    assert len(imported.primary.items) == 9


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: data["item"][0]["item"][0].update(
                answerValueSet="http://loinc.org/vs/LL358-3"
            ),
            "the value set http://loinc.org/vs/LL358-3, which is not in the file",
        ),
        (
            lambda data: data["contained"][0]["compose"]["include"][0].pop("concept"),
            "names a whole code system or a filter",
        ),
        (
            lambda data: data["item"][0]["item"][9].update(type="string"),
            "has type “string”",
        ),
        (
            lambda data: data["contained"][0]["compose"]["include"][0]["concept"][1].pop(
                "extension"
            ),
            "the answer “Several days” has no whole-number score",
        ),
    ],
)
def test_practice_questionnaires_outward_cannot_read_are_refused_with_the_reason(change, message):
    data = practice_phq9()
    change(data)
    with pytest.raises(FhirImportError, match=message):
        instrument_from_questionnaire(data, source="phq9.json")


def test_unreadable_outward_scoring_rules_are_refused():
    data = fhir.questionnaire_json(catalog.instrument("gad7"))
    data["extension"][0]["valueString"] = "{not json"
    with pytest.raises(FhirImportError, match="scoring rules cannot be read"):
        instrument_from_questionnaire(data, source="gad7.json")
    data = fhir.questionnaire_json(catalog.instrument("gad7"))
    data["extension"][0]["valueString"] = data["extension"][0]["valueString"].replace(
        '"items": ["1"', '"items": ["nope"'
    )
    with pytest.raises(FhirImportError, match="nope"):
        instrument_from_questionnaire(data, source="gad7.json")


# --- the reliable-change sentence ------------------------------------------------------------


def _two_responses(world, key, first, second):
    for answers, day in ((first, 1), (second, 20)):
        response = services.response_enter(
            client=world.client,
            instrument_key=key,
            answers=answers,
            actor=world.therapist.user,
            ip=None,
        )
        response.completed = datetime.datetime(2026, 3, day, 10, tzinfo=datetime.UTC)
        response.save(update_fields=["completed"])


def test_the_change_sentence_names_the_norm_it_used(world):
    _two_responses(
        world,
        "gad7",
        {"1": 3, "2": 3, "3": 2, "4": 2, "5": 2, "6": 2, "7": 2},
        {"1": 1, "2": 1, "3": 1, "4": 0, "5": 1, "6": 1, "7": 0},
    )
    summary = selectors.history(client=world.client, instrument_key="gad7").summary
    assert "From 16 at baseline to 5 now (-11; a change of at least 2.7 is reliable" in summary
    assert "general-population SD 3.5 (German representative sample, women)" in summary
    assert "reliability 0.92" in summary and "reliably improved" in summary


def test_a_clinical_norm_is_named_as_such():
    data = copy.deepcopy(catalog.instrument("phq9").as_dict())
    data["scales"][0]["rci"] |= {
        "sd": 5.0,
        "norm": {"population": "clinical", "sample": "a synthetic test sample"},
    }
    definition = definition_from_dict(data, "test")
    change = definition.primary.classify_change(20, 10)
    history = selectors.History([], None, change, definition.primary.rci)
    assert "clinical-sample SD 5.0 (a synthetic test sample)" in history.summary
    assert "a change of at least 4.6 is reliable" in history.summary  # 1.96·5·√2·√.11

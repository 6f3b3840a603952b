"""FHIR R4 for measures: an instrument as a ``Questionnaire``, a completed response as a
``Bundle`` of a ``QuestionnaireResponse``, an ``Observation`` of each answer and one of the
total, and a FHIR ``Questionnaire`` imported as a new (disabled) Outward instrument.

Codes other systems understand. Where a definition has LOINC codes (PHQ-9, GAD-7: panel,
items, answers, total) they are exported beside Outward's own: an item's ``code`` lists both;
an answer is the LOINC answer coding carrying Outward's code in an extension (a Questionnaire's
answerOption and a QuestionnaireResponse's answer hold one Coding, and must agree); the
Observations' codes and values list both codings. Outward's own scoring rules (reversed and
dichotomised items, transforms, subscales, bands, norms, risk items) travel in an extension on
the Questionnaire, since a sum of ordinalValues is all FHIR itself can say: re-importing an
Outward export scores exactly as the shipped instrument, while another system sees standard
FHIR.

FHIR version. ``fhir.resources`` 8.x models FHIR R5 at its top level and keeps R4B (4.3.0) in
``fhir.resources.R4B``; plain R4 (4.0.1) is no longer shipped. Questionnaire,
QuestionnaireResponse, Observation and Bundle are the same in R4 and R4B for every element used
here, so the resources are built as R4 and validated with the R4B models. R5-only elements
(e.g. ``answerConstraint``) are refused on import because the R4B models forbid unknown keys.

Every resource built here is validated by constructing its ``fhir.resources`` model before it is
returned; an import is validated the same way before it is read.

Identifiers. Outward's canonical URLs and code systems live under ``<SITE_URL>/fhir`` — the
publisher of an exported resource is this Outward installation. A Questionnaire's canonical is
``<base>/Questionnaire/<key>`` with ``version`` = the definition version; answer codes use one
code system per instrument and option set (codes are only unique within a set); scores one code
system per instrument. The client is never named: the subject is a logical reference by an
opaque identifier (a keyed hash of the client's id), never a name or e-mail address.
"""

import json
import logging
import re
import uuid
from collections.abc import Collection, Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from .definitions import (
    ITEM_ID_RE,
    LOINC_ANSWER_RE,
    LOINC_RE,
    DefinitionError,
    Instrument,
    definition_from_dict,
    instruments,
)

logger = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json"
LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"  # R4
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"  # R5 / SDC name
# Older R4 content (e.g. LHC-Forms) still carries the scores under this one.
ISO21090_CO_VALUE = "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value"
WEIGHT_EXTENSIONS = (ORDINAL_VALUE, ITEM_WEIGHT, ISO21090_CO_VALUE)
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

KEY_MAX_LENGTH = 40  # Assignment/Response.instrument_key
_INTEGER_RE = re.compile(r"^[+-]?\d{1,9}$")


class FhirImportError(DefinitionError):
    """A Questionnaire Outward cannot import; the message says why, for the practice admin."""


# --- identifiers ---------------------------------------------------------------------------


def base_url() -> str:
    return f"{settings.SITE_URL}/fhir"


def questionnaire_url(key: str) -> str:
    return f"{base_url()}/Questionnaire/{key}"


def answer_system(key: str, option_set: str) -> str:
    return f"{base_url()}/CodeSystem/{key}-{option_set}"


def score_system(key: str) -> str:
    return f"{base_url()}/CodeSystem/{key}-scores"


def item_system(key: str) -> str:
    return f"{base_url()}/CodeSystem/{key}-items"


# Outward's own extensions. They are recognised by their path, whatever the installation's
# SITE_URL, so one Outward can read another's export.
ANSWER_CODE_PATH = "/StructureDefinition/outward-answer-code"
SCORING_PATH = "/StructureDefinition/outward-scoring"


def _answer_coding(instrument: Instrument, item, option) -> dict[str, Any]:
    """How an answer is coded in a Questionnaire and a QuestionnaireResponse (which must
    agree): its LOINC answer code where the definition has one, carrying Outward's own code in
    an extension, else Outward's own code."""
    own = {"system": answer_system(instrument.key, item.option_set), "code": str(option.code)}
    if option.loinc is None:
        return {**own, "display": option.text}
    return {
        "extension": [{"url": f"{base_url()}{ANSWER_CODE_PATH}", "valueCoding": own}],
        "system": LOINC,
        "code": option.loinc,
        "display": option.text,
    }


def _item_codes(instrument: Instrument, item) -> list[dict[str, Any]]:
    """An item's codes: LOINC's where the definition has one, then Outward's own."""
    codes = [{"system": LOINC, "code": item.loinc}] if item.loinc else []
    return [*codes, {"system": item_system(instrument.key), "code": item.id}]


def patient_identifier(client_id: int) -> dict[str, str]:
    """An opaque, stable identifier for a client: a keyed hash of the id, so an export names
    nobody and cannot be walked back to the client without this installation's secret key."""
    digest = salted_hmac(
        "outward.measures.fhir.patient", str(client_id), algorithm="sha256"
    ).hexdigest()[:32]
    return {"system": f"{base_url()}/patient-id", "value": digest}


def _fhir_id(key: str) -> str:
    """A resource id ([A-Za-z0-9.-]{1,64}) from an Outward key ([a-z][a-z0-9_]*)."""
    return key.replace("_", "-")[:64]


def _computable_name(instrument: Instrument) -> str:
    """Questionnaire.name: starts with a capital, then letters, digits and underscores."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", instrument.short_name).strip("_")
    if not name or not name[0].isalpha():
        name = f"Q_{name}"
    return (name[0].upper() + name[1:])[:255]


def _validated(model, data: dict[str, Any]) -> dict[str, Any]:
    """`data` once `model` accepts it; a build error here is a bug, so it is not caught."""
    model.model_validate(data)
    return data


# --- export --------------------------------------------------------------------------------


def questionnaire_json(instrument: Instrument) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire: item texts verbatim, single-choice items whose
    answers carry Outward's code (the score before any reversal) and, where the code is what
    the item adds to the total, an ordinalValue so other systems can sum it. The instructions
    are a leading display item; a heading opens a group holding the items up to the next one."""
    primary = instrument.primary
    weighted = set(primary.items) - set(primary.reverse) if primary.dichotomise is None else set()
    items: list[dict[str, Any]] = []
    section = items  # where the next question goes
    link_ids = {item.id for item in instrument.items}

    def link_id(wanted: str) -> str:
        while wanted in link_ids:
            wanted = f"{wanted}-text"
        link_ids.add(wanted)
        return wanted

    if instrument.instructions.strip():
        items.append(
            {"linkId": link_id("instructions"), "text": instrument.instructions, "type": "display"}
        )
    for item in instrument.items:
        if item.heading:
            section = []
            items.append(
                {
                    "linkId": link_id(f"{item.id}-section"),
                    "text": item.heading,
                    "type": "group",
                    "item": section,
                }
            )
        entry: dict[str, Any] = {
            "linkId": item.id,
            "code": _item_codes(instrument, item),
            "text": item.text,
            "type": "choice",
            "required": item.required,
        }
        options = []
        for option in item.options:
            answer: dict[str, Any] = {"valueCoding": _answer_coding(instrument, item, option)}
            if item.id in weighted:
                answer["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": option.code}]
            options.append(answer)
        entry["answerOption"] = options
        section.append(entry)

    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": _fhir_id(instrument.key),
        # A sum of ordinalValues is all another system can read; Outward's own rules (reversed
        # and dichotomised items, transforms, subscales, bands, norms, risk items) travel with
        # the Questionnaire so re-importing it scores exactly as the shipped instrument.
        "extension": [
            {"url": f"{base_url()}{SCORING_PATH}", "valueString": _scoring_rules(instrument)}
        ],
        "url": questionnaire_url(instrument.key),
        "identifier": [{"system": f"{base_url()}/instrument", "value": instrument.key}],
        "version": str(instrument.version),
        "name": _computable_name(instrument),
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "description": instrument.citation,
        "copyright": instrument.licence,
    }
    if instrument.loinc.panel:
        data["code"] = [
            {"system": LOINC, "code": instrument.loinc.panel, "display": instrument.name}
        ]
    data["item"] = items
    return _validated(Questionnaire, data)


def _scoring_rules(instrument: Instrument) -> str:
    data = instrument.as_dict()
    risk = {item["id"]: item["risk_above"] for item in data["items"] if "risk_above" in item}
    rules = {"scales": data["scales"], "primary_scale": data["primary_scale"], "risk_above": risk}
    return json.dumps(rules, ensure_ascii=False, sort_keys=True)


def response_bundle_json(response, instrument: Instrument) -> dict[str, Any]:
    """A completed response as a FHIR R4 collection Bundle: the QuestionnaireResponse, an
    Observation of each answer and an Observation of the primary scale's stored score (never
    rescored) that has them as members, all derived from the response. Items, answers and the
    total carry their LOINC codes where the definition has them, beside Outward's own codes.
    `instrument` is the definition of the response's instrument key."""
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": response_entries(response, instrument),
    }
    return _validated(Bundle, bundle)


def response_entries(response, instrument: Instrument) -> list[dict[str, Any]]:
    """The Bundle entries of one completed response (see `response_bundle_json`), each
    resource validated."""
    if response.completed is None:
        raise ValueError("only a completed response can be exported")
    completed = response.completed.isoformat()
    subject = {"type": "Patient", "identifier": patient_identifier(response.client_id)}
    response_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url()}/response/{response.pk}")
    observation_uuid = uuid.uuid5(response_uuid, instrument.primary_scale)
    response_ref = f"urn:uuid:{response_uuid}"
    survey = [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]
    derived_from = [{"reference": response_ref, "type": "QuestionnaireResponse"}]

    def observation_of(observation_id: uuid.UUID, code: dict[str, Any]) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": str(observation_id),
            "status": "final",
            "category": survey,
            "code": code,
            "subject": subject,
            "effectiveDateTime": completed,
            "issued": completed,
            "derivedFrom": derived_from,
        }

    answered = []
    answer_observations = []
    known_ids = set()
    for item in instrument.items:
        known_ids.add(item.id)
        code = response.answers.get(item.id)
        option = item.option(code) if code is not None else None
        if code is None:
            continue
        answered.append(_answered_item(instrument, item.id, code))
        if option is None:
            continue  # a code the definition no longer has: kept in the response only
        own = {"system": answer_system(instrument.key, item.option_set), "code": str(code)}
        value = [{"system": LOINC, "code": option.loinc}] if option.loinc else []
        observation = observation_of(
            uuid.uuid5(response_uuid, f"item/{item.id}"),
            {"coding": _item_codes(instrument, item), "text": item.text},
        )
        observation["valueCodeableConcept"] = {
            "coding": [{**coding, "display": option.text} for coding in [*value, own]],
            "text": option.text,
        }
        answer_observations.append((item.id, _validated(Observation, observation)))
    # Answers to items a later definition version no longer has are still the client's answers.
    for item_id, code in response.answers.items():
        if item_id not in known_ids and code is not None:
            answered.append(_answered_item(instrument, item_id, code))

    questionnaire_response = _validated(
        QuestionnaireResponse,
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(response_uuid),
            "questionnaire": (f"{questionnaire_url(instrument.key)}|{response.instrument_version}"),
            "status": "completed",
            "subject": subject,
            "authored": completed,
            "item": answered,
        },
    )

    scale = instrument.primary
    stored = response.scores.get("scales", {}).get(scale.key, {})
    codings = []
    if instrument.loinc.total and scale.key == instrument.primary_scale:
        codings.append({"system": LOINC, "code": instrument.loinc.total, "display": scale.label})
    codings.append(
        {
            "system": score_system(instrument.key),
            "code": scale.key,
            "display": f"{instrument.short_name} {scale.label}",
        }
    )
    observation = observation_of(
        observation_uuid, {"coding": codings, "text": f"{instrument.short_name} {scale.label}"}
    )
    score = stored.get("score")
    if isinstance(score, int) and not isinstance(score, bool):
        observation["valueInteger"] = score
    elif isinstance(score, float):
        observation["valueQuantity"] = {"value": score, "unit": "{score}"}
    else:
        observation["dataAbsentReason"] = {
            "coding": [{"system": DATA_ABSENT_REASON, "code": "unknown"}],
            "text": "Not enough answers to score",
        }
    if stored.get("band"):
        observation["interpretation"] = [{"text": stored["band"]}]
    members = [
        {"reference": f"urn:uuid:{answer['id']}", "type": "Observation"}
        for item_id, answer in answer_observations
        if item_id in scale.items
    ]
    if members:
        observation["hasMember"] = members
    return [
        {"fullUrl": response_ref, "resource": questionnaire_response},
        {
            "fullUrl": f"urn:uuid:{observation_uuid}",
            "resource": _validated(Observation, observation),
        },
        *(
            {"fullUrl": f"urn:uuid:{answer['id']}", "resource": answer}
            for _item_id, answer in answer_observations
        ),
    ]


def _answered_item(instrument: Instrument, item_id: str, code: int) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": str(code)}
    entry: dict[str, Any] = {"linkId": item_id}
    if instrument.has_item(item_id):
        item = instrument.item(item_id)
        option = item.option(code)
        if option is not None:
            coding = _answer_coding(instrument, item, option)
        else:
            coding = {"system": answer_system(instrument.key, item.option_set), **coding}
        entry["text"] = item.text
    entry["answer"] = [{"valueCoding": coding}]
    return entry


# --- import --------------------------------------------------------------------------------


def parse_upload(raw: bytes, *, source: str) -> Any:
    """An uploaded file's JSON (any JSON value); FhirImportError if it is not UTF-8 JSON."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FhirImportError(
            _("%(source)s is not a text file (it is not UTF-8), so it is not FHIR JSON.")
            % {"source": source}
        ) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        message = exc.msg if isinstance(exc, json.JSONDecodeError) else _("nested too deeply")
        raise FhirImportError(
            _("%(source)s is not valid JSON (%(problem)s).")
            % {"source": source, "problem": message}
        ) from None


def instrument_from_questionnaire(
    data: Any, *, source: str, taken_keys: Collection[str] = ()
) -> Instrument:
    """A FHIR R4 Questionnaire as an Outward instrument, always disabled by default, scored as
    one total (the sum of every scored item's answer score) or, for an Outward export, by the
    scoring rules it carries; or FhirImportError saying why Outward cannot score it. The
    common shapes of real Questionnaires are read: answers in a contained value set, a
    calculated total that is not marked read-only (left out), a question whose answers have no
    scores (kept, unscored). Its key comes from the Questionnaire's name (else id, else title) and
    clashes neither with a shipped key nor with `taken_keys`."""
    return _Importer(data, source=source, taken_keys=taken_keys).instrument()


class _Importer:
    def __init__(self, data: Any, *, source: str, taken_keys: Collection[str]):
        self.data = data
        self.source = source
        self.taken_keys = set(taken_keys)
        self.link_ids: set[str] = set()
        self.item_ids: set[str] = set()
        self.questions: list[dict[str, Any]] = []
        self.instructions: list[str] = []
        # Display and group texts waiting for the next question, as ("display" | "group", text).
        self.pending_text: list[tuple[str, str]] = []
        self.left_out: list[str] = []
        self.unscored: dict[str, str] = {}  # item id → question text
        self.rules: dict[str, Any] | None = None

    def refuse(self, message: str):
        raise FhirImportError(f"{self.source}: {message}")

    # the whole resource ----------------------------------------------------------------------

    def instrument(self) -> Instrument:
        data = self.data
        if not isinstance(data, dict):
            kind = _("a JSON list") if isinstance(data, list) else _("a single JSON value")
            self.refuse(
                _("this is %(kind)s, not a FHIR resource (a JSON object with a resourceType).")
                % {"kind": kind}
            )
        resource_type = data.get("resourceType")
        if resource_type != "Questionnaire":
            if isinstance(resource_type, str) and resource_type:
                self.refuse(
                    _("this is a FHIR %(type)s, not a Questionnaire.") % {"type": resource_type}
                )
            self.refuse(_("this is not a FHIR resource (it has no resourceType)."))
        try:
            Questionnaire.model_validate(data)
        except ValidationError as exc:
            self.refuse(
                _("this is not a valid FHIR R4 Questionnaire: %(problems)s")
                % {"problems": _validation_summary(exc)}
            )
        except RecursionError:
            self.refuse(_("the Questionnaire is nested too deeply to read."))
        self.rules = self.scoring_rules()
        items = data.get("item") or []
        if not items:
            self.refuse(_("the Questionnaire has no items, so there is nothing to score."))
        try:
            self.walk(items)
            if len(self.questions) == len(self.unscored) and self.rules is None:
                self.refuse(_("the Questionnaire has no questions Outward can score."))
            self.left_out.extend(text for _kind, text in self.pending_text)
            self.settle_lone_heading()
            definition = self.definition()
            return definition_from_dict(definition, self.source)
        except FhirImportError:
            raise
        except DefinitionError as exc:
            raise FhirImportError(str(exc)) from None
        except (ArithmeticError, AttributeError, KeyError, TypeError, ValueError, RecursionError):
            # Valid FHIR that this importer did not expect: refuse it rather than fail.
            logger.exception("A valid FHIR Questionnaire could not be converted")
            self.refuse(_("Outward could not read this Questionnaire's items."))

    def definition(self) -> dict[str, Any]:
        data = self.data
        title = _text(data.get("title")) or _text(data.get("name")) or _text(data.get("id"))
        key = self.key()
        title = title or key
        short_name = _short_name(title, _text(data.get("name")))
        if short_name in {shipped.short_name for shipped in instruments().values()}:
            # Two "PHQ-9"s in the therapist's list must not look alike.
            short_name = _("%(name)s (imported)") % {"name": short_name}
        version_text = _text(data.get("version"))
        # Outward versions are whole numbers; "2.1" or "2024-01" start again at 1.
        version = int(version_text) if re.fullmatch(r"[0-9]{1,9}", version_text) else 1
        version = max(version, 1)

        option_sets: dict[str, list[dict[str, Any]]] = {}
        items = []
        for question in self.questions:
            options = question.pop("option_list")
            set_name = next((name for name, opts in option_sets.items() if opts == options), None)
            if set_name is None:
                set_name = "answers" if not option_sets else f"answers_{len(option_sets) + 1}"
                option_sets[set_name] = options
            items.append({**question, "options": set_name})

        scored = [item for item in items if item["id"] not in self.unscored]
        low = sum(min(o["code"] for o in option_sets[i["options"]]) for i in scored)
        high = sum(max(o["code"] for o in option_sets[i["options"]]) for i in scored)
        definition: dict[str, Any] = {
            "key": key,
            "version": version,
            "name": title,
            "short_name": short_name,
            "enabled_by_default": False,
            "licence": _text(data.get("copyright"))
            or _(
                "The imported Questionnaire states no licence or copyright: check that your "
                "practice may use it before switching it on."
            ),
            "citation": _text(data.get("description"))
            or _text(data.get("publisher"))
            or _text(data.get("url"))
            or _("Imported FHIR Questionnaire (no citation given)."),
        }
        panel = _loinc_code(data.get("code"), LOINC_RE)
        if panel:
            definition["loinc"] = {"panel": panel}
        definition |= {
            "instructions": "\n\n".join(self.instructions),
            "notes": self.note(low, high),
            "option_sets": option_sets,
            "items": items,
        }
        if self.rules is not None:
            for item in items:
                if item["id"] in self.rules["risk_above"]:
                    item["risk_above"] = self.rules["risk_above"][item["id"]]
            return definition | {
                "scales": self.rules["scales"],
                "primary_scale": self.rules["primary_scale"],
            }
        return definition | {
            "scales": [
                {
                    "key": "total",
                    "label": _("Total score"),
                    "items": [item["id"] for item in scored],
                    "reverse": [],
                    "dichotomise": None,
                    "transform": None,
                    "min": low,
                    "max": high,
                    "direction": "higher_is_worse",
                    "missing": {"max_missing": 0},
                    "bands": [],
                    "rci": None,
                    "cutoff": None,
                    "verified": False,
                    "note": _("Sum of every item, as imported from FHIR."),
                }
            ],
            "primary_scale": "total",
        }

    def note(self, low: int, high: int) -> str:
        data = self.data
        origin = _text(data.get("url")) or self.source
        if _text(data.get("version")):
            origin = f"{origin} (version {_text(data.get('version'))})"
        parts = [_("Imported from the FHIR Questionnaire %(origin)s.") % {"origin": origin}]
        if self.rules is not None:
            parts.append(
                _(
                    "It carries Outward's own scoring rules (scales, reversed items, bands, "
                    "reliable-change norms and risk items), so it is scored by them."
                )
            )
        else:
            parts.append(
                _(
                    "Outward scores it as one total: the sum of every scored question's answer "
                    "score (%(low)s–%(high)s), read as higher is worse. Every scored question "
                    "must be answered. There are no bands, no reliable-change test and no risk "
                    "items, so no answer raises an alert."
                )
                % {"low": low, "high": high}
            )
        if self.unscored:
            parts.append(
                _("Asked but not scored (its answers carry no scores): %(texts)s.")
                % {"texts": "; ".join(f"“{text}”" for text in self.unscored.values())}
            )
        if self.left_out:
            parts.append(
                _("Left out: %(texts)s.")
                % {"texts": "; ".join(f"“{text}”" for text in self.left_out)}
            )
        parts.append(
            _(
                "Check this against the questionnaire's published scoring and licence before "
                "switching it on."
            )
        )
        return " ".join(parts)

    def key(self) -> str:
        data = self.data
        for candidate in (data.get("name"), data.get("id"), data.get("title")):
            stem = slugify(_text(candidate)).replace("-", "_").strip("_")
            if stem:
                break
        else:
            stem = "questionnaire"
        if not stem[0].isalpha():
            stem = f"q_{stem}"
        stem = stem[: KEY_MAX_LENGTH - 4].rstrip("_")
        taken = set(instruments()) | self.taken_keys
        key, number = stem, 1
        while key in taken:
            number += 1
            key = f"{stem}_{number}"
        return key

    # items -----------------------------------------------------------------------------------

    def settle_lone_heading(self) -> None:
        """One group around every question (a common layout) has its text as instructions."""
        headed = [question for question in self.questions if "heading" in question]
        if not self.instructions and len(headed) == 1 and headed[0] is self.questions[0]:
            self.instructions.append(headed[0].pop("heading"))

    def walk(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            link_id = item["linkId"]
            if link_id in self.link_ids:
                self.refuse(
                    _("linkId %(link)r is used by more than one item; each must be unique.")
                    % {"link": link_id}
                )
            self.link_ids.add(link_id)
            label = _describe(item)
            if item.get("enableWhen"):
                self.refuse(
                    _(
                        "%(item)s is only asked depending on another answer (enableWhen). "
                        "Outward asks every question, so it cannot score this one."
                    )
                    % {"item": label}
                )
            if item.get("repeats"):
                self.refuse(
                    _(
                        "%(item)s repeats. Outward asks each question once, so it cannot "
                        "flatten a repeating item or group."
                    )
                    % {"item": label}
                )
            kind = item["type"]
            if kind == "group":
                if _text(item.get("text")):
                    self.pending_text.append(("group", item["text"]))
                self.walk(item.get("item") or [])
            elif kind == "display":
                if _text(item.get("text")):
                    self.pending_text.append(("display", item["text"]))
            elif kind == "choice":
                self.question(item, label)
            elif item.get("readOnly") or _is_calculated(item):
                # A calculated score (e.g. the LOINC total): Outward computes its own.
                self.left_out.append(_text(item.get("text")) or link_id)
            else:
                self.refuse(
                    _(
                        "%(item)s has type “%(type)s”. Outward can only score single-choice "
                        "(“choice”) items with a whole-number score for each answer."
                    )
                    % {"item": label, "type": kind}
                )

    def question(self, item: dict[str, Any], label: str) -> None:
        if item.get("item"):
            self.refuse(
                _(
                    "%(item)s has questions nested under it, which Outward cannot flatten into "
                    "one list of questions."
                )
                % {"item": label}
            )
        text = _text(item.get("text"))
        if not text:
            self.refuse(_("%(item)s has no question text.") % {"item": label})
        options = item.get("answerOption") or []
        if not options and item.get("answerValueSet"):
            options = self.value_set_answers(item["answerValueSet"], label)
        if not options:
            self.refuse(_("%(item)s has no answer options.") % {"item": label})
        answers = [self.option(option, label) for option in options]
        if len(answers) < 2:
            self.refuse(_("%(item)s has only one answer to choose from.") % {"item": label})
        item_id = self.item_id(item["linkId"])
        # Outward's own rules score its own codes; otherwise an answer's score is its code.
        preference = ("own", "integer", "weight") if self.rules else ("weight", "integer", "own")
        unscored = all(answer[name] is None for answer in answers for name in preference)
        option_list = []
        for position, answer in enumerate(answers):
            code = next((answer[name] for name in preference if answer[name] is not None), None)
            if unscored:
                code = position  # an unscored question (the PHQ-9 difficulty item): any codes
            elif code is None:
                self.refuse(
                    _(
                        "%(item)s: the answer “%(text)s” has no whole-number score — its code "
                        "%(code)s is not an integer and it has no ordinalValue or itemWeight "
                        "extension."
                    )
                    % {"item": label, "text": answer["text"], "code": answer["code_text"]}
                )
            option_list.append(
                {"code": code, "text": answer["text"]}
                | ({"loinc": answer["loinc"]} if answer["loinc"] else {})
            )
        if unscored:
            self.unscored[item_id] = text
        seen_codes: dict[int, str] = {}
        seen_texts: set[str] = set()
        for option in option_list:
            if option["code"] in seen_codes:
                self.refuse(
                    _(
                        "%(item)s scores two answers the same (“%(first)s” and “%(second)s” "
                        "both score %(code)s); Outward needs a different score for each answer."
                    )
                    % {
                        "item": label,
                        "first": seen_codes[option["code"]],
                        "second": option["text"],
                        "code": option["code"],
                    }
                )
            if option["text"] in seen_texts:
                self.refuse(
                    _("%(item)s has two answers reading “%(text)s”.")
                    % {"item": label, "text": option["text"]}
                )
            seen_codes[option["code"]] = option["text"]
            seen_texts.add(option["text"])

        entry: dict[str, Any] = {"id": item_id, "text": item["text"]}
        if unscored or item.get("required") is False:
            entry["required"] = False
        # Text before the first question is its instructions, except a group's text, which
        # heads the group's questions; text between questions heads the next one.
        heading = []
        for kind, text in self.pending_text:
            if self.questions or kind == "group":
                heading.append(text)
            else:
                self.instructions.append(text)
        if heading:
            entry["heading"] = "\n\n".join(heading)
        self.pending_text = []
        loinc = _loinc_code(item.get("code"), LOINC_RE)
        if loinc:
            entry["loinc"] = loinc
        entry["option_list"] = option_list
        self.questions.append(entry)

    def option(self, option: dict[str, Any], label: str) -> dict[str, Any]:
        """One answer as {"text", "loinc", "code_text"} and its candidate codes: "weight" (an
        ordinalValue or itemWeight), "integer" (a whole-number code) and "own" (Outward's own
        code carried beside a LOINC answer code), each None when absent."""
        coding = option.get("valueCoding")
        weight = _weight(option) if _weight(option) is not None else _weight(coding or {})
        loinc = own = None
        if coding is not None:
            code_text = _text(coding.get("code"))
            text = _text(coding.get("display")) or code_text
            if coding.get("system") == LOINC and LOINC_ANSWER_RE.match(code_text):
                loinc = code_text
            own = _own_answer_code(coding)
        elif "valueInteger" in option:
            code_text = str(option["valueInteger"])
            text = code_text
        elif "valueString" in option:
            code_text = ""
            text = _text(option["valueString"])
        else:
            self.refuse(
                _(
                    "%(item)s has an answer that is not a coding, a whole number or text, so "
                    "Outward cannot score it."
                )
                % {"item": label}
            )
        if not text:
            self.refuse(_("%(item)s has an answer with no text to show.") % {"item": label})
        if weight is not None:
            if weight != weight.to_integral_value() or abs(weight) > 10**9:
                self.refuse(
                    _(
                        "%(item)s: the answer “%(text)s” scores %(score)s, which is not a whole "
                        "number; Outward scores are whole numbers."
                    )
                    % {"item": label, "text": text, "score": weight}
                )
            weight = int(weight)
        return {
            "text": text,
            "loinc": loinc,
            "code_text": repr(code_text) if code_text else "—",
            "weight": weight,
            "integer": int(code_text) if _INTEGER_RE.match(code_text) else None,
            "own": own,
        }

    def value_set_answers(self, reference: Any, label: str) -> list[dict[str, Any]]:
        """The answers of a value set contained in the Questionnaire (by "#id" or by its url),
        as answerOptions; a score on a concept (ordinalValue, itemWeight) comes with it."""
        wanted = _text(reference)
        for resource in self.data.get("contained") or []:
            if not isinstance(resource, dict) or resource.get("resourceType") != "ValueSet":
                continue
            names = {f"#{resource.get('id')}", _text(resource.get("url"))} - {"#None", ""}
            if wanted in names or wanted.split("|")[0] in names:
                return self.value_set_concepts(resource, wanted, label)
        self.refuse(
            _(
                "%(item)s takes its answers from the value set %(set)s, which is not in the "
                "file. Outward cannot look value sets up: include it in the Questionnaire "
                "(contained) or list the answers as answerOption."
            )
            % {"item": label, "set": wanted}
        )

    def value_set_concepts(self, value_set: dict, name: str, label: str) -> list[dict[str, Any]]:
        def flatten(contains):
            for concept in contains or []:
                if concept.get("code"):
                    yield concept.get("system"), concept
                yield from flatten(concept.get("contains"))

        expansion = (value_set.get("expansion") or {}).get("contains")
        if expansion:
            concepts = list(flatten(expansion))
        else:
            concepts = []
            for include in (value_set.get("compose") or {}).get("include") or []:
                if not include.get("concept"):
                    self.refuse(
                        _(
                            "%(item)s: the value set %(set)s names a whole code system or a "
                            "filter rather than listing its answers, so Outward cannot tell "
                            "which answers to offer."
                        )
                        % {"item": label, "set": name}
                    )
                concepts += [(include.get("system"), concept) for concept in include["concept"]]
        return [
            {
                "valueCoding": {
                    key: value
                    for key, value in (
                        ("system", system),
                        ("code", concept.get("code")),
                        ("display", concept.get("display")),
                    )
                    if value is not None
                },
                "extension": concept.get("extension") or [],
            }
            for system, concept in concepts
        ]

    def scoring_rules(self) -> dict[str, Any] | None:
        """Outward's own scoring rules, carried by an Outward export, or None."""
        for extension in self.data.get("extension") or []:
            if str(extension.get("url", "")).endswith(SCORING_PATH):
                try:
                    rules = json.loads(extension.get("valueString") or "")
                except (json.JSONDecodeError, RecursionError):
                    rules = None
                if (
                    not isinstance(rules, dict)
                    or not isinstance(rules.get("scales"), list)
                    or not isinstance(rules.get("risk_above"), dict)
                    or "primary_scale" not in rules
                ):
                    self.refuse(_("its Outward scoring rules cannot be read."))
                return rules
        return None

    def item_id(self, link_id: str) -> str:
        """An Outward item id ([A-Za-z0-9_-]+) from a linkId, unique in the instrument."""
        stem = link_id if ITEM_ID_RE.match(link_id) else re.sub(r"[^A-Za-z0-9_-]+", "-", link_id)
        stem = stem.strip("-") or str(len(self.questions) + 1)
        item_id, number = stem, 1
        while item_id in self.item_ids:
            number += 1
            item_id = f"{stem}-{number}"
        self.item_ids.add(item_id)
        return item_id


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _short_name(title: str, name: str) -> str:
    """A short display name: the title if short, else an abbreviation it ends with in
    brackets ("Patient Health Questionnaire (PHQ-9)"), else the computable name."""
    if len(title) <= 30:
        return title
    bracketed = re.search(r"\(([^()]{1,30})\)\s*$", title)
    if bracketed and bracketed.group(1).strip():
        return bracketed.group(1).strip()
    return (name or title)[:30].strip()


def _describe(item: dict[str, Any]) -> str:
    text = _text(item.get("text"))
    if len(text) > 60:
        text = text[:57] + "…"
    link = item.get("linkId")
    return _("item %(link)r (“%(text)s”)") % {"link": link, "text": text} if text else repr(link)


def _weight(element: dict[str, Any]) -> Decimal | None:
    for extension in element.get("extension") or []:
        if extension.get("url") in WEIGHT_EXTENSIONS:
            for name in ("valueDecimal", "valueInteger"):
                if name in extension:
                    try:
                        return Decimal(str(extension[name]))
                    except InvalidOperation:
                        return None
    return None


def _own_answer_code(coding: dict[str, Any]) -> int | None:
    """Outward's own answer code, carried in an extension beside a LOINC answer code."""
    for extension in coding.get("extension") or []:
        if str(extension.get("url", "")).endswith(ANSWER_CODE_PATH):
            code = _text((extension.get("valueCoding") or {}).get("code"))
            if _INTEGER_RE.match(code):
                return int(code)
    return None


CALCULATED_EXTENSIONS = (
    "/StructureDefinition/sdc-questionnaire-calculatedExpression",
    "/StructureDefinition/cqf-calculatedValue",
    "/StructureDefinition/cqf-expression",
)
HIDDEN_EXTENSION = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
NUMERIC_TYPES = frozenset({"integer", "decimal", "quantity"})


def _is_calculated(item: dict[str, Any]) -> bool:
    """A number Outward computes itself: a total worked out by the form (a calculated
    expression), hidden from the person answering, or coded as a shipped instrument's total —
    however the file marks it, since many real PHQ-9 Questionnaires do not set readOnly."""
    if item.get("type") not in NUMERIC_TYPES:
        return False
    for extension in item.get("extension") or []:
        url = str(extension.get("url", ""))
        if url.endswith(CALCULATED_EXTENSIONS) or (
            url == HIDDEN_EXTENSION and extension.get("valueBoolean") is True
        ):
            return True
    totals = {shipped.loinc.total for shipped in instruments().values()} - {None}
    return _loinc_code(item.get("code"), LOINC_RE) in totals


def _loinc_code(codings: Any, pattern: re.Pattern) -> str | None:
    for coding in codings or []:
        if isinstance(coding, dict) and coding.get("system") == LOINC:
            code = _text(coding.get("code"))
            if pattern.match(code):
                return code
    return None


def _validation_summary(exc: ValidationError, limit: int = 3) -> str:
    problems = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(part) for part in error.get("loc", ())) or "the resource"
        message = " ".join(str(error.get("msg", "")).split())
        problems.append(f"{where}: {message}")
    more = exc.error_count() - limit
    if more > 0:
        problems.append(_("and %(count)s more") % {"count": more})
    return "; ".join(problems)


def client_bundle_pieces(responses: Iterable, *, definition) -> Iterator[str]:
    """A client's completed responses as one collection Bundle (each response's
    QuestionnaireResponse and Observation, as `response_bundle_json` makes them), written
    piece by piece so that a long history never sits in memory whole. `definition(key)` gives
    the instrument of a key, or None (a response of an instrument no longer known is left
    out: it cannot be described as FHIR without its questionnaire)."""
    head = {"resourceType": "Bundle", "type": "collection", "timestamp": timezone.now().isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": ['
    first = True
    for response in responses:
        instrument = definition(response.instrument_key)
        if instrument is None:
            continue
        for entry in response_entries(response, instrument):
            yield ("" if first else ",\n") + json.dumps(entry, ensure_ascii=False)
            first = False
    yield "]}\n"

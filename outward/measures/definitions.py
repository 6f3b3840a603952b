"""Instrument definitions: versioned JSON data files, validated strictly when loaded.

Each questionnaire Outward can give is one file in ``outward/measures/instruments/``, named after
its key (``phq9.json`` holds ``"key": "phq9"``). Item wording, option labels, licence notes and
every scoring figure come from ``shared/reference/instruments.md``; a file's ``notes`` say where
the reference was silent or marked something UNVERIFIED and what was decided. Change anything a
client sees or anything that changes a score → bump ``version``: stored responses keep the key and
version they were scored with and are never rescored silently.

A broken file must stop start-up: :func:`load_definitions` raises :class:`DefinitionError` whose
message is ``"<file name>: <problem>"``. :func:`definition_from_dict` is the same validation for a
definition that did not come from a file (the FHIR import builds one).

File format (every key is required unless marked optional; unknown keys are refused)
-------------------------------------------------------------------------------------
Top level::

    key                 lower-case identifier [a-z][a-z0-9_]*, equal to the file name's stem
    version             integer ≥ 1
    name, short_name    display names
    enabled_by_default  true, or false for instruments whose licence is not clear (a practice
                        admin enables them after reading `licence`)
    licence             the licence or copyright note to show (verbatim where one exists)
    citation            the reference to cite
    loinc               optional: {"panel": "44249-1", "total": "..."} (each key optional)
    instructions        text shown before the items ("" for none)
    notes               optional: decisions and caveats (missing-data rule, UNVERIFIED figures)
    option_sets         {"<name>": [{"code": int, "text": str, "loinc": optional "LA…"}, ...]}
                        codes and texts unique within a set; list order is display order; every
                        set is used by at least one item
    items               [{"id": str, "text": str, "options": "<option set name>",
                          "risk_above": optional int | null — answering a code above it is a risk
                                        answer (PHQ-9 item 9: 0),
                          "required": optional bool, default true — whether a form insists on
                                      an answer (scoring applies each scale's own rule),
                          "heading": optional str — lead-in text shown before this item,
                          "loinc": optional str}, ...]
                        ids are unique, [A-Za-z0-9_-]+; list order is display order. An item in
                        no scale is unscored (e.g. the PHQ-9 difficulty item).
    scales              [scale, ...] (at least one; keys unique)
    primary_scale       the key of the scale charted and exported as the total

A scale::

    key, label
    items        item ids summed (each once)
    reverse      item ids (a subset of `items`) reverse-scored as max + min − code of the item's
                 option set; such a set's codes must be symmetric so the result is a code
    dichotomise  null, or {"ones": [codes]}: after any reversal an item scores 1 if its code is in
                 `ones`, otherwise 0 (De Jong Gierveld). Every code must exist in every item's set
                 and `ones` must leave at least one code scoring 0.
    transform    null (none) or {"multiply": int > 0, "add": optional int}: score = raw × multiply
                 + add (WHO-5: multiply 4). Scores are therefore always integers.
    min, max     the range of the (transformed) score; must equal what the items and options allow
    direction    "higher_is_worse" or "higher_is_better"
    missing      {"max_missing": int}: how many of the scale's items may be unanswered with the
                 scale still scored (as the sum of the answered items, not pro-rated). Where the
                 reference gives no rule this is 0. A value above 0 needs every item's lowest
                 value to be 0, so an unanswered item cannot push the sum outside [min, max].
    bands        [] or [{"min": int, "max": int, "label": str}, ...] in ascending order, covering
                 every integer in [min, max] exactly once (no gaps, no overlaps)
    rci          null (no published SD/reliability: no reliable-change test), or
                 {"sd": number > 0, "reliability": number in (0, 1), "source": str,
                  "norm": {"population": "general" or "clinical", "sample": str}} — the norm
                 names where the SD comes from, so the change sentence can say which it used.
                 Jacobson–Truax's s₁ is the SD of the clinical (baseline) distribution: where
                 the reference gives a clinical-sample SD, use it ("clinical"); otherwise a
                 general-population SD ("general", the reference's §16 choice)
    cutoff       null, or {"value": number in [min, max], "clinical": one of "at_or_above",
                 "above" (higher_is_worse) or "at_or_below", "below" (higher_is_better),
                 "source": str} — the published cut-off whose crossing makes a reliable
                 improvement "recovered"
    verified     optional bool, default true; false where the reference marks the scoring
                 itself UNVERIFIED (the Campaign to End Loneliness tool)
    note         optional str

Scoring lives in :mod:`outward.lib.scoring` and the reliable change index in
:mod:`outward.lib.rci`; :meth:`Instrument.score` and :meth:`Scale.classify_change` call them.
"""

import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from outward.lib import rci, scoring

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
LOINC_RE = re.compile(r"^\d{1,7}-\d$")
GENERAL_POPULATION = "general"
CLINICAL_SAMPLE = "clinical"
LOINC_ANSWER_RE = re.compile(r"^LA\d{1,7}-\d$")

DIRECTIONS = (rci.HIGHER_IS_WORSE, rci.HIGHER_IS_BETTER)
# Which side of a cut-off is the clinical one, by direction.
CUTOFF_SIDES = {
    rci.HIGHER_IS_WORSE: ("at_or_above", "above"),
    rci.HIGHER_IS_BETTER: ("at_or_below", "below"),
}


class DefinitionError(Exception):
    """A definition file (or dict) is not a valid instrument; the message names the source."""


class _Problem(Exception):
    """A validation problem without the source name; converted to DefinitionError."""


# --- the definition ------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    code: int
    text: str
    loinc: str | None = None


@dataclass(frozen=True)
class OptionSet:
    name: str
    options: tuple[Option, ...]

    @property
    def codes(self) -> tuple[int, ...]:
        return tuple(option.code for option in self.options)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    option_set: str
    options: tuple[Option, ...]
    risk_above: int | None = None
    required: bool = True
    heading: str | None = None
    loinc: str | None = None

    @property
    def codes(self) -> frozenset[int]:
        return frozenset(option.code for option in self.options)

    @property
    def min_code(self) -> int:
        return min(self.codes)

    @property
    def max_code(self) -> int:
        return max(self.codes)

    def option(self, code: int) -> Option | None:
        return next((option for option in self.options if option.code == code), None)

    def is_risk_answer(self, code: int | None) -> bool:
        return self.risk_above is not None and code is not None and code > self.risk_above


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str

    def contains(self, score: float) -> bool:
        return self.min <= score <= self.max


@dataclass(frozen=True)
class Transform:
    multiply: int = 1
    add: int = 0

    def apply(self, raw: int) -> int:
        return raw * self.multiply + self.add


@dataclass(frozen=True)
class ReliableChange:
    """The published figures the Jacobson–Truax RCI needs (reference §16)."""

    sd: float
    reliability: float
    source: str
    population: str = GENERAL_POPULATION  # whose SD: GENERAL_POPULATION or CLINICAL_SAMPLE
    sample: str = ""  # the sample the SD comes from, in a few words

    @property
    def minimum_change(self) -> float:
        """The smallest change in score points that counts as reliable (1.96 · S_diff)."""
        return rci.minimum_reliable_change(self.sd, self.reliability)


@dataclass(frozen=True)
class Cutoff:
    value: float
    clinical: str  # "at_or_above" | "above" | "at_or_below" | "below"
    source: str

    @property
    def inclusive(self) -> bool:
        """Whether the cut-off score itself is on the clinical side."""
        return self.clinical in ("at_or_above", "at_or_below")

    def is_clinical(self, score: float) -> bool:
        return {
            "at_or_above": score >= self.value,
            "above": score > self.value,
            "at_or_below": score <= self.value,
            "below": score < self.value,
        }[self.clinical]


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    items: tuple[str, ...]
    reverse: tuple[str, ...]
    dichotomise: tuple[int, ...] | None
    transform: Transform | None
    min: int
    max: int
    direction: str
    max_missing: int
    bands: tuple[Band, ...]
    rci: ReliableChange | None
    cutoff: Cutoff | None
    verified: bool = True
    note: str | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.direction == rci.HIGHER_IS_BETTER

    def classify_change(self, baseline: float, latest: float) -> rci.Change | None:
        """Jacobson–Truax change from `baseline` to `latest`, or None when this scale has no
        published SD and reliability ("not enough published norms for a reliable-change test")."""
        if self.rci is None:
            return None
        return rci.classify_change(
            baseline,
            latest,
            sd=self.rci.sd,
            reliability=self.rci.reliability,
            direction=self.direction,
            cutoff=None if self.cutoff is None else self.cutoff.value,
            cutoff_inclusive=True if self.cutoff is None else self.cutoff.inclusive,
        )


@dataclass(frozen=True)
class Loinc:
    panel: str | None = None
    total: str | None = None


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    name: str
    short_name: str
    enabled_by_default: bool
    licence: str
    citation: str
    instructions: str
    option_sets: tuple[OptionSet, ...]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    primary_scale: str
    loinc: Loinc = field(default_factory=Loinc)
    notes: str | None = None

    @functools.cached_property
    def _items_by_id(self) -> Mapping[str, Item]:
        return MappingProxyType({item.id: item for item in self.items})

    @functools.cached_property
    def _scales_by_key(self) -> Mapping[str, Scale]:
        return MappingProxyType({scale.key: scale for scale in self.scales})

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError if there is none."""
        return self._items_by_id[item_id]

    def has_item(self, item_id: object) -> bool:
        return item_id in self._items_by_id

    def scale(self, key: str) -> Scale:
        """The scale with this key; KeyError if there is none."""
        return self._scales_by_key[key]

    @property
    def primary(self) -> Scale:
        return self.scale(self.primary_scale)

    @property
    def risk_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.risk_above is not None)

    @property
    def scored_item_ids(self) -> frozenset[str]:
        return frozenset(item_id for scale in self.scales for item_id in scale.items)

    def score(self, answers: Mapping[str, int | None]) -> scoring.Scores:
        """Score `answers` ({item id: option code or None}); see :func:`outward.lib.scoring.score`.
        Raises :class:`outward.lib.scoring.AnswerError` for a code not in an item's options."""
        return scoring.score(self, answers)

    def as_dict(self) -> dict[str, Any]:
        """The definition as file data: ``definition_from_dict(i.as_dict(), ...) == i``."""
        data: dict[str, Any] = {
            "key": self.key,
            "version": self.version,
            "name": self.name,
            "short_name": self.short_name,
            "enabled_by_default": self.enabled_by_default,
            "licence": self.licence,
            "citation": self.citation,
        }
        loinc = {k: v for k, v in (("panel", self.loinc.panel), ("total", self.loinc.total)) if v}
        if loinc:
            data["loinc"] = loinc
        data["instructions"] = self.instructions
        if self.notes is not None:
            data["notes"] = self.notes
        data["option_sets"] = {
            option_set.name: [_option_dict(option) for option in option_set.options]
            for option_set in self.option_sets
        }
        data["items"] = [_item_dict(item) for item in self.items]
        data["scales"] = [_scale_dict(scale) for scale in self.scales]
        data["primary_scale"] = self.primary_scale
        return data


def _option_dict(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"code": option.code, "text": option.text}
    if option.loinc is not None:
        data["loinc"] = option.loinc
    return data


def _item_dict(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "text": item.text, "options": item.option_set}
    if item.risk_above is not None:
        data["risk_above"] = item.risk_above
    if not item.required:
        data["required"] = False
    if item.heading is not None:
        data["heading"] = item.heading
    if item.loinc is not None:
        data["loinc"] = item.loinc
    return data


def _scale_dict(scale: Scale) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": scale.key,
        "label": scale.label,
        "items": list(scale.items),
        "reverse": list(scale.reverse),
        "dichotomise": None if scale.dichotomise is None else {"ones": list(scale.dichotomise)},
        "transform": None
        if scale.transform is None
        else {"multiply": scale.transform.multiply, "add": scale.transform.add},
        "min": scale.min,
        "max": scale.max,
        "direction": scale.direction,
        "missing": {"max_missing": scale.max_missing},
        "bands": [{"min": b.min, "max": b.max, "label": b.label} for b in scale.bands],
        "rci": None
        if scale.rci is None
        else {
            "sd": scale.rci.sd,
            "reliability": scale.rci.reliability,
            "source": scale.rci.source,
            "norm": {"population": scale.rci.population, "sample": scale.rci.sample},
        },
        "cutoff": None
        if scale.cutoff is None
        else {
            "value": scale.cutoff.value,
            "clinical": scale.cutoff.clinical,
            "source": scale.cutoff.source,
        },
    }
    if not scale.verified:
        data["verified"] = False
    if scale.note is not None:
        data["note"] = scale.note
    return data


# --- loading -------------------------------------------------------------------------------


def load_definitions(directory: str | Path) -> dict[str, Instrument]:
    """Every ``*.json`` definition in `directory`, validated, keyed by instrument key.
    Raises DefinitionError naming the file and the problem for the first broken file."""
    directory = Path(directory)
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise DefinitionError(f"{directory}: no instrument definitions (*.json) found")
    definitions: dict[str, Instrument] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DefinitionError(f"{path.name}: cannot be read ({exc})") from exc
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except _Problem as exc:
            raise DefinitionError(f"{path.name}: {exc}") from None
        except json.JSONDecodeError as exc:
            raise DefinitionError(f"{path.name}: not valid JSON ({exc})") from exc
        instrument = definition_from_dict(data, path.name)
        if instrument.key != path.stem:
            raise DefinitionError(
                f"{path.name}: key {instrument.key!r} does not match the file name "
                f"(expected {path.stem!r})"
            )
        definitions[instrument.key] = instrument
    return definitions


@functools.cache
def instruments() -> Mapping[str, Instrument]:
    """The shipped definitions, loaded and validated once per process (read-only)."""
    return MappingProxyType(load_definitions(INSTRUMENTS_DIR))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Problem(f"key {key!r} appears twice in one object")
        data[key] = value
    return data


def definition_from_dict(data: Any, source: str) -> Instrument:
    """Validate `data` (parsed JSON) as an instrument definition. `source` names it in errors
    (a file name, or e.g. "FHIR Questionnaire upload"): DefinitionError("<source>: <problem>")."""
    try:
        return _instrument(data)
    except _Problem as exc:
        raise DefinitionError(f"{source}: {exc}") from None


# --- validation helpers --------------------------------------------------------------------


def _object(value: Any, where: str, required: set[str], optional: frozenset = frozenset()):
    if not isinstance(value, dict):
        raise _Problem(f"{where} must be a JSON object, not {_kind(value)}")
    missing = sorted(required - value.keys())
    if missing:
        raise _Problem(f"{where}: missing key(s) {', '.join(map(repr, missing))}")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise _Problem(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (allowed: {allowed})"
        )
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _int(value: Any, where: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Problem(f"{where} must be an integer, not {_kind(value)}")
    if minimum is not None and value < minimum:
        raise _Problem(f"{where} must be at least {minimum}, not {value}")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Problem(f"{where} must be a number, not {_kind(value)}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Problem(f"{where} must be true or false, not {_kind(value)}")
    return value


def _str(value: Any, where: str, *, empty_ok: bool = False) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{where} must be a string, not {_kind(value)}")
    if "\x00" in value:  # PostgreSQL's jsonb cannot hold it
        raise _Problem(f"{where} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800" in JSON): no page could show it
        raise _Problem(f"{where} is not valid Unicode text") from None
    if not empty_ok and not value.strip():
        raise _Problem(f"{where} must not be empty")
    return value


def _list(value: Any, where: str, *, empty_ok: bool = False) -> list:
    if not isinstance(value, list):
        raise _Problem(f"{where} must be a list, not {_kind(value)}")
    if not empty_ok and not value:
        raise _Problem(f"{where} must not be empty")
    return value


def _pattern(value: Any, where: str, pattern: re.Pattern, description: str) -> str:
    value = _str(value, where)
    if not pattern.match(value):
        raise _Problem(f"{where} {value!r} is not {description}")
    return value


# --- validation ----------------------------------------------------------------------------

_TOP_REQUIRED = {
    "key",
    "version",
    "name",
    "short_name",
    "enabled_by_default",
    "licence",
    "citation",
    "instructions",
    "option_sets",
    "items",
    "scales",
    "primary_scale",
}
_TOP_OPTIONAL = frozenset({"loinc", "notes"})
_ITEM_OPTIONAL = frozenset({"risk_above", "required", "heading", "loinc"})
_SCALE_REQUIRED = {
    "key",
    "label",
    "items",
    "reverse",
    "dichotomise",
    "transform",
    "min",
    "max",
    "direction",
    "missing",
    "bands",
    "rci",
    "cutoff",
}
_SCALE_OPTIONAL = frozenset({"verified", "note"})


def _instrument(data: Any) -> Instrument:
    _object(data, "the definition", _TOP_REQUIRED, _TOP_OPTIONAL)
    key = _pattern(data["key"], "key", KEY_RE, "a lower-case identifier ([a-z][a-z0-9_]*)")
    version = _int(data["version"], "version", minimum=1)
    name = _str(data["name"], "name")
    short_name = _str(data["short_name"], "short_name")
    enabled = _bool(data["enabled_by_default"], "enabled_by_default")
    licence = _str(data["licence"], "licence")
    citation = _str(data["citation"], "citation")
    instructions = _str(data["instructions"], "instructions", empty_ok=True)
    notes = _str(data["notes"], "notes") if "notes" in data else None
    loinc = _loinc(data.get("loinc"))

    option_sets = _option_sets(data["option_sets"])
    items = _items(data["items"], option_sets)
    used = {item.option_set for item in items}
    for option_set in option_sets.values():
        if option_set.name not in used:
            raise _Problem(f"option set {option_set.name!r} is not used by any item")

    scales_data = _list(data["scales"], "scales")
    items_by_id = {item.id: item for item in items}
    scales: list[Scale] = []
    for index, scale_data in enumerate(scales_data):
        scale = _scale(scale_data, index, items_by_id)
        if any(existing.key == scale.key for existing in scales):
            raise _Problem(f"scale key {scale.key!r} is used twice")
        scales.append(scale)

    primary = _str(data["primary_scale"], "primary_scale")
    if primary not in {scale.key for scale in scales}:
        raise _Problem(f"primary_scale {primary!r} is not one of the scales")

    return Instrument(
        key=key,
        version=version,
        name=name,
        short_name=short_name,
        enabled_by_default=enabled,
        licence=licence,
        citation=citation,
        instructions=instructions,
        option_sets=tuple(option_sets.values()),
        items=tuple(items),
        scales=tuple(scales),
        primary_scale=primary,
        loinc=loinc,
        notes=notes,
    )


def _loinc(value: Any) -> Loinc:
    if value is None:
        return Loinc()
    _object(value, "loinc", set(), frozenset({"panel", "total"}))
    codes = {
        name: _pattern(value[name], f"loinc.{name}", LOINC_RE, "a LOINC code (e.g. 44249-1)")
        for name in ("panel", "total")
        if name in value
    }
    return Loinc(**codes)


def _option_sets(value: Any) -> dict[str, OptionSet]:
    if not isinstance(value, dict) or not value:
        raise _Problem("option_sets must be a non-empty JSON object of named option lists")
    sets: dict[str, OptionSet] = {}
    for name, options_data in value.items():
        where = f"option_sets[{name!r}]"
        _pattern(name, f"{where} name", ITEM_ID_RE, "a name of letters, digits, _ or -")
        options_list = _list(options_data, where)
        if len(options_list) < 2:
            raise _Problem(f"{where} needs at least two options")
        options: list[Option] = []
        for index, option_data in enumerate(options_list):
            where_option = f"{where}[{index}]"
            _object(option_data, where_option, {"code", "text"}, frozenset({"loinc"}))
            code = _int(option_data["code"], f"{where_option}.code")
            text = _str(option_data["text"], f"{where_option}.text")
            loinc = None
            if "loinc" in option_data:
                loinc = _pattern(
                    option_data["loinc"],
                    f"{where_option}.loinc",
                    LOINC_ANSWER_RE,
                    "a LOINC answer code (e.g. LA6568-5)",
                )
            if any(option.code == code for option in options):
                raise _Problem(f"{where}: option code {code} is used twice")
            if any(option.text == text for option in options):
                raise _Problem(f"{where}: option text {text!r} is used twice")
            options.append(Option(code=code, text=text, loinc=loinc))
        sets[name] = OptionSet(name=name, options=tuple(options))
    return sets


def _items(value: Any, option_sets: dict[str, OptionSet]) -> list[Item]:
    items: list[Item] = []
    for index, item_data in enumerate(_list(value, "items")):
        where = f"items[{index}]"
        _object(item_data, where, {"id", "text", "options"}, _ITEM_OPTIONAL)
        item_id = _pattern(item_data["id"], f"{where}.id", ITEM_ID_RE, "letters, digits, _ or -")
        where = f"item {item_id!r}"
        if any(item.id == item_id for item in items):
            raise _Problem(f"item id {item_id!r} is used twice")
        text = _str(item_data["text"], f"{where} text")
        set_name = _str(item_data["options"], f"{where} options")
        if set_name not in option_sets:
            raise _Problem(f"{where} uses option set {set_name!r}, which is not defined")
        option_set = option_sets[set_name]
        risk_above = item_data.get("risk_above")
        if risk_above is not None:
            risk_above = _int(risk_above, f"{where} risk_above")
            if not any(code > risk_above for code in option_set.codes):
                raise _Problem(
                    f"{where} risk_above {risk_above} is at or above every option code, "
                    "so no answer could be a risk answer"
                )
        required = _bool(item_data.get("required", True), f"{where} required")
        heading = _str(item_data["heading"], f"{where} heading") if "heading" in item_data else None
        loinc = None
        if "loinc" in item_data:
            loinc = _pattern(item_data["loinc"], f"{where} loinc", LOINC_RE, "a LOINC code")
        items.append(
            Item(
                id=item_id,
                text=text,
                option_set=set_name,
                options=option_set.options,
                risk_above=risk_above,
                required=required,
                heading=heading,
                loinc=loinc,
            )
        )
    return items


def _id_list(value: Any, where: str, *, empty_ok: bool) -> list[str]:
    ids = _list(value, where, empty_ok=empty_ok)
    seen: set[str] = set()
    for item_id in ids:
        _str(item_id, f"{where} entry")
        if item_id in seen:
            raise _Problem(f"{where} lists item {item_id!r} twice")
        seen.add(item_id)
    return ids


def _scale(value: Any, index: int, items: dict[str, Item]) -> Scale:
    _object(value, f"scales[{index}]", _SCALE_REQUIRED, _SCALE_OPTIONAL)
    key = _pattern(value["key"], f"scales[{index}].key", KEY_RE, "a lower-case identifier")
    where = f"scale {key!r}"
    label = _str(value["label"], f"{where} label")

    item_ids = _id_list(value["items"], f"{where} items", empty_ok=False)
    for item_id in item_ids:
        if item_id not in items:
            raise _Problem(f"{where} refers to item {item_id!r}, which is not defined")
    reverse = _id_list(value["reverse"], f"{where} reverse", empty_ok=True)
    for item_id in reverse:
        if item_id not in item_ids:
            raise _Problem(f"{where} reverses item {item_id!r}, which is not in the scale")
        codes = items[item_id].codes
        lo, hi = min(codes), max(codes)
        if {lo + hi - code for code in codes} != codes:
            raise _Problem(
                f"{where} reverses item {item_id!r}, but its option codes {sorted(codes)} are not "
                "symmetric, so max + min − code is not always a code"
            )

    dichotomise = None
    if value["dichotomise"] is not None:
        _object(value["dichotomise"], f"{where} dichotomise", {"ones"})
        ones = _list(value["dichotomise"]["ones"], f"{where} dichotomise.ones")
        for code in ones:
            _int(code, f"{where} dichotomise.ones entry")
        if len(set(ones)) != len(ones):
            raise _Problem(f"{where} dichotomise.ones lists a code twice")
        for item_id in item_ids:
            codes = items[item_id].codes
            unknown = sorted(set(ones) - codes)
            if unknown:
                raise _Problem(
                    f"{where} dichotomise.ones has code(s) {unknown} that item {item_id!r} "
                    f"does not have (its codes: {sorted(codes)})"
                )
            if codes <= set(ones):
                raise _Problem(f"{where} dichotomise.ones scores every answer to {item_id!r} 1")
        dichotomise = tuple(ones)

    transform = None
    if value["transform"] is not None:
        _object(value["transform"], f"{where} transform", {"multiply"}, frozenset({"add"}))
        multiply = _int(value["transform"]["multiply"], f"{where} transform.multiply", minimum=1)
        add = _int(value["transform"].get("add", 0), f"{where} transform.add")
        transform = Transform(multiply=multiply, add=add)

    direction = _str(value["direction"], f"{where} direction")
    if direction not in DIRECTIONS:
        raise _Problem(
            f"{where} direction {direction!r} is not one of {', '.join(map(repr, DIRECTIONS))}"
        )

    # The lowest and highest value each item can contribute, after reversal and dichotomising.
    def item_values(item_id: str) -> set[int]:
        item = items[item_id]
        values = set(item.codes)  # reversing a symmetric set gives the same set
        if dichotomise is not None:
            values = {1 if code in dichotomise else 0 for code in values}
        return values

    raw_min = sum(min(item_values(item_id)) for item_id in item_ids)
    raw_max = sum(max(item_values(item_id)) for item_id in item_ids)
    expected_min = (transform or Transform()).apply(raw_min)
    expected_max = (transform or Transform()).apply(raw_max)
    scale_min = _int(value["min"], f"{where} min")
    scale_max = _int(value["max"], f"{where} max")
    if (scale_min, scale_max) != (expected_min, expected_max):
        raise _Problem(
            f"{where} declares range {scale_min}–{scale_max}, but its items and options give "
            f"{expected_min}–{expected_max}"
        )

    _object(value["missing"], f"{where} missing", {"max_missing"})
    max_missing = _int(value["missing"]["max_missing"], f"{where} missing.max_missing", minimum=0)
    if max_missing >= len(item_ids):
        raise _Problem(
            f"{where} missing.max_missing {max_missing} would let the scale be scored with no "
            f"answers (it has {len(item_ids)} items)"
        )
    if max_missing and any(min(item_values(item_id)) != 0 for item_id in item_ids):
        raise _Problem(
            f"{where} allows missing answers, but not every item's lowest value is 0, so the sum "
            "of the answered items (not pro-rated) could fall below the scale's minimum"
        )

    bands = _bands(value["bands"], where, scale_min, scale_max)
    rci_figures = _rci(value["rci"], where)
    cutoff = _cutoff(value["cutoff"], where, direction, scale_min, scale_max)
    verified = _bool(value.get("verified", True), f"{where} verified")
    note = _str(value["note"], f"{where} note") if "note" in value else None

    return Scale(
        key=key,
        label=label,
        items=tuple(item_ids),
        reverse=tuple(reverse),
        dichotomise=dichotomise,
        transform=transform,
        min=scale_min,
        max=scale_max,
        direction=direction,
        max_missing=max_missing,
        bands=bands,
        rci=rci_figures,
        cutoff=cutoff,
        verified=verified,
        note=note,
    )


def _bands(value: Any, where: str, scale_min: int, scale_max: int) -> tuple[Band, ...]:
    bands: list[Band] = []
    for index, band_data in enumerate(_list(value, f"{where} bands", empty_ok=True)):
        where_band = f"{where} bands[{index}]"
        _object(band_data, where_band, {"min", "max", "label"})
        band = Band(
            min=_int(band_data["min"], f"{where_band}.min"),
            max=_int(band_data["max"], f"{where_band}.max"),
            label=_str(band_data["label"], f"{where_band}.label"),
        )
        if band.min > band.max:
            raise _Problem(f"{where_band} runs backwards ({band.min}–{band.max})")
        if any(existing.label == band.label for existing in bands):
            raise _Problem(f"{where} has two bands labelled {band.label!r}")
        if not bands:
            if band.min != scale_min:
                raise _Problem(
                    f"{where} bands start at {band.min}, not at the scale minimum {scale_min}, "
                    "leaving a gap"
                    if band.min > scale_min
                    else f"{where} bands start at {band.min}, below the scale minimum {scale_min}"
                )
        else:
            previous = bands[-1]
            if band.min <= previous.max:
                raise _Problem(
                    f"{where} bands overlap: {previous.label!r} ({previous.min}–{previous.max}) "
                    f"and {band.label!r} ({band.min}–{band.max})"
                )
            if band.min > previous.max + 1:
                raise _Problem(
                    f"{where} bands leave a gap between {previous.max} ({previous.label!r}) and "
                    f"{band.min} ({band.label!r})"
                )
        bands.append(band)
    if bands and bands[-1].max != scale_max:
        last = bands[-1]
        raise _Problem(
            f"{where} bands end at {last.max}, not at the scale maximum {scale_max}"
            + (", leaving a gap" if last.max < scale_max else "")
        )
    return tuple(bands)


def _rci(value: Any, where: str) -> ReliableChange | None:
    if value is None:
        return None
    _object(value, f"{where} rci", {"sd", "reliability", "source", "norm"})
    sd = _number(value["sd"], f"{where} rci.sd")
    if sd <= 0:
        raise _Problem(f"{where} rci.sd must be greater than 0, not {sd}")
    reliability = _number(value["reliability"], f"{where} rci.reliability")
    if not 0 < reliability < 1:
        raise _Problem(f"{where} rci.reliability must be between 0 and 1, not {reliability}")
    source = _str(value["source"], f"{where} rci.source")
    norm = value["norm"]
    _object(norm, f"{where} rci.norm", {"population", "sample"})
    population = _str(norm["population"], f"{where} rci.norm.population")
    if population not in (GENERAL_POPULATION, CLINICAL_SAMPLE):
        raise _Problem(
            f"{where} rci.norm.population must be {GENERAL_POPULATION!r} or "
            f"{CLINICAL_SAMPLE!r}, not {population!r}"
        )
    sample = _str(norm["sample"], f"{where} rci.norm.sample")
    return ReliableChange(
        sd=sd, reliability=reliability, source=source, population=population, sample=sample
    )


def _cutoff(
    value: Any, where: str, direction: str, scale_min: int, scale_max: int
) -> Cutoff | None:
    if value is None:
        return None
    _object(value, f"{where} cutoff", {"value", "clinical", "source"})
    cut = _number(value["value"], f"{where} cutoff.value")
    if not scale_min <= cut <= scale_max:
        raise _Problem(f"{where} cutoff {cut} is outside the scale's range {scale_min}–{scale_max}")
    clinical = _str(value["clinical"], f"{where} cutoff.clinical")
    allowed = CUTOFF_SIDES[direction]
    if clinical not in allowed:
        raise _Problem(
            f"{where} cutoff.clinical {clinical!r} does not fit direction {direction!r} "
            f"(use {' or '.join(map(repr, allowed))})"
        )
    source = _str(value["source"], f"{where} cutoff.source")
    return Cutoff(value=cut, clinical=clinical, source=source)

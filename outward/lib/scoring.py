"""Scoring a questionnaire response against an instrument definition.

Pure: no Django models, no database. The definition is anything shaped like
``outward.measures.definitions.Instrument`` (see the protocols below), so this module does not
import the measures room.

For each scale, in order:

1. each item's answer is its option code;
2. reversed items score ``max + min − code`` of the item's own option set;
3. dichotomised scales (De Jong Gierveld) then score an item 1 if its (reversed) code is one of
   the scale's ``dichotomise`` codes, otherwise 0;
4. ``raw`` is the sum of the answered items; a scale is *complete* when no more than its
   ``max_missing`` items are unanswered — otherwise it has no raw score, score or band
   (nothing is pro-rated);
5. ``score`` is ``raw × multiply + add`` (WHO-5: × 4), and ``band`` the band containing it.

Risk items (PHQ-9 item 9) are reported when answered above their ``risk_above`` code, whether or
not the response is complete. An answer that is not one of an item's option codes, or an answer to
an item the instrument does not have, raises :class:`AnswerError` — nothing is scored from it.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

# --- what a definition must look like ------------------------------------------------------


class OptionLike(Protocol):
    @property
    def code(self) -> int: ...


class ItemLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def options(self) -> Sequence[OptionLike]: ...
    @property
    def risk_above(self) -> int | None: ...
    @property
    def required(self) -> bool: ...


class BandLike(Protocol):
    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int: ...
    @property
    def label(self) -> str: ...


class TransformLike(Protocol):
    @property
    def multiply(self) -> int: ...
    @property
    def add(self) -> int: ...


class ScaleLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def items(self) -> Sequence[str]: ...
    @property
    def reverse(self) -> Collection[str]: ...
    @property
    def dichotomise(self) -> Collection[int] | None: ...
    @property
    def transform(self) -> TransformLike | None: ...
    @property
    def max_missing(self) -> int: ...
    @property
    def bands(self) -> Sequence[BandLike]: ...


class InstrumentLike(Protocol):
    @property
    def short_name(self) -> str: ...
    @property
    def items(self) -> Sequence[ItemLike]: ...
    @property
    def scales(self) -> Sequence[ScaleLike]: ...
    @property
    def primary_scale(self) -> str: ...


# --- results -------------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer that cannot be scored: `item_id` names the item, `message` says why (shown to
    the person who entered it)."""

    def __init__(self, item_id: str, message: str):
        super().__init__(f"{item_id}: {message}")
        self.item_id = item_id
        self.message = message


@dataclass(frozen=True)
class ScaleScore:
    key: str
    label: str
    complete: bool
    raw: int | None  # sum of item values (after reversal / dichotomising); None if incomplete
    score: int | None  # raw after the scale's transform; None if incomplete
    band: str | None  # label of the band holding `score`; None if incomplete or no bands
    missing: tuple[str, ...]  # the scale's unanswered item ids

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "complete": self.complete,
            "raw": self.raw,
            "score": self.score,
            "band": self.band,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Scores:
    scales: tuple[ScaleScore, ...]
    primary_scale: str
    risk_items: list[str] = field(default_factory=list)  # ids answered above their threshold
    missing_items: list[str] = field(default_factory=list)  # every unanswered item
    missing_required: list[str] = field(default_factory=list)  # unanswered required items

    def __getitem__(self, key: str) -> ScaleScore:
        for scale in self.scales:
            if scale.key == key:
                return scale
        raise KeyError(key)

    @property
    def primary(self) -> ScaleScore:
        return self[self.primary_scale]

    @property
    def complete(self) -> bool:
        """Every scale was scored."""
        return all(scale.complete for scale in self.scales)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for storing with the response."""
        return {
            "primary_scale": self.primary_scale,
            "scales": {scale.key: scale.as_dict() for scale in self.scales},
            "risk_items": list(self.risk_items),
            "missing_items": list(self.missing_items),
        }


# --- scoring -------------------------------------------------------------------------------


def answer_errors(instrument: InstrumentLike, answers: Mapping[Any, Any]) -> list[AnswerError]:
    """Every problem with `answers`, in item order then unknown items: answers to items the
    instrument does not have, and codes that are not one of the item's options. None (or an
    absent item) is a missing answer, not an error."""
    items = {item.id: item for item in instrument.items}
    errors: list[AnswerError] = []
    for item in instrument.items:
        if item.id not in answers:
            continue
        code = answers[item.id]
        if code is None:
            continue
        codes = [option.code for option in item.options]
        if isinstance(code, bool) or not isinstance(code, int) or code not in codes:
            errors.append(
                AnswerError(
                    item.id,
                    _("%(answer)s is not one of the answers to this question (%(codes)s).")
                    % {"answer": repr(code), "codes": ", ".join(str(c) for c in codes)},
                )
            )
    for item_id in answers:
        if item_id not in items:
            errors.append(
                AnswerError(
                    str(item_id),
                    _("%(instrument)s has no question %(item)s.")
                    % {"instrument": instrument.short_name, "item": repr(item_id)},
                )
            )
    return errors


def score(instrument: InstrumentLike, answers: Mapping[str, int | None]) -> Scores:
    """Score `answers` ({item id: option code, or None for unanswered}) against `instrument`.
    Raises AnswerError (the first of :func:`answer_errors`) for an answer that cannot be scored."""
    errors = answer_errors(instrument, answers)
    if errors:
        raise errors[0]
    items = {item.id: item for item in instrument.items}
    answered = {item_id: code for item_id, code in answers.items() if code is not None}

    scale_scores = tuple(_score_scale(scale, items, answered) for scale in instrument.scales)
    return Scores(
        scales=scale_scores,
        primary_scale=instrument.primary_scale,
        risk_items=[
            item.id
            for item in instrument.items
            if item.risk_above is not None
            and item.id in answered
            and answered[item.id] > item.risk_above
        ],
        missing_items=[item.id for item in instrument.items if item.id not in answered],
        missing_required=[
            item.id for item in instrument.items if item.required and item.id not in answered
        ],
    )


def item_value(item: ItemLike, code: int, scale: ScaleLike) -> int:
    """What answer `code` to `item` contributes to `scale`'s raw sum."""
    if item.id in scale.reverse:
        codes = [option.code for option in item.options]
        code = max(codes) + min(codes) - code
    if scale.dichotomise is not None:
        return 1 if code in scale.dichotomise else 0
    return code


def _score_scale(
    scale: ScaleLike, items: Mapping[str, ItemLike], answered: Mapping[str, int]
) -> ScaleScore:
    missing = tuple(item_id for item_id in scale.items if item_id not in answered)
    if len(missing) > scale.max_missing:
        return ScaleScore(
            key=scale.key,
            label=scale.label,
            complete=False,
            raw=None,
            score=None,
            band=None,
            missing=missing,
        )
    raw = sum(
        item_value(items[item_id], answered[item_id], scale)
        for item_id in scale.items
        if item_id in answered
    )
    transformed = (
        raw if scale.transform is None else raw * scale.transform.multiply + (scale.transform.add)
    )
    return ScaleScore(
        key=scale.key,
        label=scale.label,
        complete=True,
        raw=raw,
        score=transformed,
        band=_band_label(scale.bands, transformed),
        missing=missing,
    )


def _band_label(bands: Iterable[BandLike], value: int) -> str | None:
    for band in bands:
        if band.min <= value <= band.max:
            return band.label
    return None

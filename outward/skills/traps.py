"""Thinking traps: the patterns a thought record names, in Outward's own words, each with a
one-line explanation a client can recognise themself in. The keys are stored (ThoughtTrap.key)
and checked in the database: a key is never renamed or removed, only added (with a migration
that widens the check constraint)."""

from django.utils.translation import gettext_lazy as _

TRAPS = {
    "mind_reading": (
        _("Mind reading"),
        _("Being sure you know what others think of you, without them saying it."),
    ),
    "fortune_telling": (
        _("Fortune telling"),
        _("Predicting that things will go badly, as if it were already decided."),
    ),
    "catastrophising": (
        _("Catastrophising"),
        _("Jumping to the worst thing that could happen, and that you could not cope."),
    ),
    "all_or_nothing": (
        _("All-or-nothing thinking"),
        _("Seeing things as total success or total failure, with nothing in between."),
    ),
    "discounting_positive": (
        _("Discounting the positive"),
        _("Telling yourself the good things do not count, or were just luck."),
    ),
    "labelling": (
        _("Labelling"),
        _("Calling yourself a name (\u201cboring\u201d, \u201cweird\u201d) because of one moment."),
    ),
    "should_statements": (
        _("\u201cShould\u201d statements"),
        _("Holding yourself to rules like \u201cI should never feel nervous\u201d."),
    ),
    "emotional_reasoning": (
        _("Emotional reasoning"),
        _("Taking a feeling as proof: \u201cI feel awkward, so I must look awkward\u201d."),
    ),
    "personalising": (
        _("Personalising"),
        _("Taking the blame for things that have many causes, or taking them personally."),
    ),
    "overgeneralising": (
        _("Overgeneralising"),
        _("Turning one bad moment into \u201calways\u201d or \u201cnever\u201d."),
    ),
    "mental_filter": (
        _("Mental filter"),
        _("Dwelling on the one thing that went wrong and missing the rest."),
    ),
}

TRAP_KEYS = tuple(TRAPS)


def trap_choices() -> list[tuple[str, object]]:
    return [(key, name) for key, (name, _why) in TRAPS.items()]


def trap_name(key: str) -> object:
    return TRAPS[key][0] if key in TRAPS else key

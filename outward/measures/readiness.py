"""The readiness conversation: open questions (the first two from the guide Outward follows),
social areas for the importance/confidence rulers, and the follow-up prompts in Outward's own
words (motivational-interviewing style: ask about the number, not below it)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

QUESTIONS = [
    ("new_friends", _("What are your thoughts on making new friends?")),
    ("joining", _("How do you feel about joining social activities?")),
    ("good_week", _("What would a good week with other people look like for you?")),
    ("in_the_way", _("What tends to get in the way of seeing people at the moment?")),
    ("before", _("When have you felt connected to others before, and what helped then?")),
    ("first_sign", _("What would be a first small sign that things are changing?")),
]

AREAS = [
    ("new_friends", _("Making new friends")),
    ("deepening", _("Deepening existing relationships")),
    ("groups", _("Joining groups or activities")),
    ("reconnecting", _("Reconnecting with people")),
]

IMPORTANCE_PROMPTS = [
    _("What makes it the number you chose, and not a lower one?"),
    _("What would have to happen for it to move up by one point?"),
]
CONFIDENCE_PROMPTS = [
    _("What gives you that much confidence already?"),
    _("What would help you feel one point more sure?"),
]

IMPORTANT_ENOUGH = 6  # importance at or above this counts as "matters to you"


@dataclass(frozen=True)
class Suggestion:
    area: str  # an AREAS key, or "" when nothing stands out
    text: str


def suggest_start(rulers: dict[str, tuple[int, int]]) -> Suggestion:
    """Where to start: among the areas that matter (importance ≥ 6), the one the client feels
    most able to do, then the more important one. A plain sentence the therapist may change."""
    labels = dict(AREAS)
    if not rulers:
        return Suggestion(
            "", str(_("Rate at least one area on both rulers, and a suggestion appears here."))
        )
    important = [
        (confidence, importance, area)
        for area, (importance, confidence) in rulers.items()
        if importance >= IMPORTANT_ENOUGH and area in labels
    ]
    if not important:
        return Suggestion(
            "",
            str(
                _(
                    "None of these areas feels very important right now, and that is fine. "
                    "It may help to talk about what does matter most at the moment."
                )
            ),
        )
    confidence, importance, area = max(important)
    return Suggestion(
        area,
        str(
            _(
                "%(area)s matters to you (%(importance)s/10), and of the areas that matter it "
                "feels the most doable (confidence %(confidence)s/10): it may be a good place "
                "to start."
            )
        )
        % {"area": labels[area], "importance": importance, "confidence": confidence},
    )

"""Goals to start from, pre-filled and editable, each with a suggested breakdown into steps."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STARTING_POINTS = {
    "event": {
        "title": _("Attend one social event per month"),
        "specific": _("Go to one group, club, class or event where I can meet people."),
        "measurable": _("One event each month."),
        "achievable": _("I start with something small and structured, where talking is optional."),
        "relevant": _("I want to feel part of something outside home."),
        "cadence_count": 1,
        "cadence_period": "month",
        "counts_kind": "community.plan.went",
        "steps": [
            _("Find three groups that match my interests"),
            _("Pick one"),
            _("Read about it or look at their page"),
            _("Go once"),
        ],
    },
    "reach_out": {
        "title": _("Reach out to a friend weekly"),
        "specific": _("Send a message, call or meet one friend or family member."),
        "measurable": _("Once a week."),
        "achievable": _("A short message counts; it does not have to be a long talk."),
        "relevant": _("I miss the people I have lost touch with."),
        "cadence_count": 1,
        "cadence_period": "week",
        "counts_kind": "journal.contact.reached_out",
        "steps": [
            _("Write down two people I would like to hear from"),
            _("Choose one and how to reach them (text, call, in person)"),
            _("Write a first line I am comfortable with"),
            _("Send it"),
        ],
    },
    "neighbour": {
        "title": _("Say hello to a neighbour twice this month"),
        "specific": _("Greet a neighbour and say one more sentence than usual."),
        "measurable": _("Twice this month."),
        "achievable": _("I see neighbours most days anyway."),
        "relevant": _("I would like to feel at home where I live."),
        "cadence_count": 2,
        "cadence_period": "month",
        "counts_kind": "",
        "steps": [
            _("Notice when I usually meet neighbours"),
            _("Pick one easy thing to say (the weather, a parcel, the garden)"),
            _("Say it once"),
        ],
    },
    "class": {
        "title": _("Join a class or club that fits my interests"),
        "specific": _("Sign up for one regular class or club and go to the first session."),
        "measurable": _("Signed up and went once."),
        "achievable": _("I choose something I already enjoy, so there is something to do."),
        "relevant": _("Seeing the same faces every week makes it easier to get to know people."),
        "cadence_count": None,
        "cadence_period": "",
        "counts_kind": "",
        "steps": [
            _("List three things I enjoy or used to enjoy"),
            _("Look for a class or club for one of them"),
            _("Ask one question about it (by message or phone)"),
            _("Sign up"),
            _("Go to the first session"),
        ],
    },
    "invite": {
        "title": _("Invite someone for a coffee or a walk this month"),
        "specific": _("Ask one person I know a little to meet for a coffee or a walk."),
        "measurable": _("One invitation sent this month."),
        "achievable": _("A short, low-key plan is easier to say yes to."),
        "relevant": _("I want to turn an acquaintance into a friend."),
        "cadence_count": 1,
        "cadence_period": "month",
        "counts_kind": "",
        "steps": [
            _("Think of someone I get on with"),
            _("Choose a simple plan and a time"),
            _("Send the invitation"),
        ],
    },
}


def starting_point(key: str) -> dict | None:
    """One starting point with its text translated now: goal fields plus a list of steps."""
    start = STARTING_POINTS.get(key)
    if start is None:
        return None
    return {
        name: [str(step) for step in value]
        if name == "steps"
        else (str(value) if isinstance(value, Promise) else value)
        for name, value in start.items()
    }

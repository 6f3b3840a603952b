"""The SMART check: rules on real phrasings of social goals, one hint per failed criterion."""

import datetime

import pytest

from outward.lib import smart
from outward.lib.smart import Criterion, smart_check

TODAY = datetime.date(2026, 2, 10)


def check(**fields) -> dict[str, Criterion]:
    """Run the check with empty fields except those given; results by key."""
    arguments = {
        "title": "",
        "specific": "",
        "measurable": "",
        "achievable": "",
        "relevant": "",
        "target_date": None,
        "cadence_count": None,
        "cadence_period": None,
        "today": TODAY,
    }
    arguments.update(fields)
    return {criterion.key: criterion for criterion in smart_check(**arguments)}


# --- Specific ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "passed"),
    [
        ("Attend one social event per month", True),
        ("Reach out to a friend weekly", True),
        ("Go to the Thursday board-game night at the library twice this month", True),
        ("Text Sam to ask about coffee", True),
        ("Join a running club by March", True),
        ("Call my sister on Sunday", True),
        ("Say hello to one neighbour", True),
        ("Sign-up for the pottery class", True),
        ("Volunteer at the food bank", True),
        ("Invite Priya for lunch", True),
        ("  ATTEND   the   BOOK club  ", True),
        ("Message an old school friend", True),
        ("I will meet Jo for a walk", True),
        ("E-mail my cousin", True),
        ("Make friends by joining a choir", True),  # a vague wish, then a real action
        ("Be brave and call Sam", True),
        ("Keep texting Ana", True),
        ("Be less lonely", False),
        ("Make friends", False),
        ("Make some new friends", False),
        ("Be happier", False),
        ("Be more social", False),
        ("Feel less lonely", False),
        ("feel a bit more connected", False),
        ("Go out more", False),
        ("Stop being so shy", False),
        ("Have a social life", False),
        ("", False),
        ("   ", False),
        ("Talk to people", False),  # an action, but to whom?
        ("Call weekly", False),
        ("Reach out", False),
        ("Get better at talking to people", False),
    ],
)
def test_specific(title, passed):
    assert check(title=title)["specific"].passed is passed


def test_specific_reads_the_specific_field_too():
    result = check(title="Feel less lonely", specific="Go to the library's games night")
    assert result["specific"].passed


def test_specific_hint_for_a_vague_wish_asks_for_an_action():
    hint = check(title="Make friends")["specific"].hint
    assert "What would you actually do?" in hint
    assert "say hello to one neighbour" in hint


def test_specific_hint_for_an_action_without_detail_asks_who_or_where():
    hint = check(title="Talk to people more")["specific"].hint
    assert hint.startswith("Who or where?")


# --- Measurable --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "measurable", "passed"),
    [
        ("Attend one social event per month", "", True),
        ("Reach out to a friend weekly", "", True),
        ("Go to board-game night twice this month", "", True),
        ("Say hello to 3 neighbours", "", True),
        ("Call Mum once", "", True),
        ("Go to choir on Thursdays", "", True),
        ("Walk with Jo every other week", "", True),
        ("Join a running club", "I'll have gone to two sessions", True),
        ("Call Sam", "a couple of times", True),
        ("Meet Jo", "Every Saturday", True),
        ("Say hi to someone", "DAILY", True),
        ("Go to the café on Saturday mornings", "", True),
        ("Chat with a neighbour for ten minutes", "", True),
        ("Text Sam to ask about coffee", "", False),
        ("Join a running club by March", "", False),
        ("Make friends", "", False),
        ("Call Mum at 7pm", "", False),  # a clock time is not a count
        ("Call Mum on 3 March", "", False),  # nor is a date
        ("Visit Gran on March 3", "", False),
        ("Visit Gran in 2026", "", False),  # nor a year
        ("Call Mum at 7:30", "", False),
        ("Talk to no one new", "", False),
    ],
)
def test_measurable(title, measurable, passed):
    assert check(title=title, measurable=measurable)["measurable"].passed is passed


@pytest.mark.parametrize(("count", "period"), [(1, "week"), (2, "month")])
def test_a_cadence_makes_a_goal_measurable(count, period):
    result = check(title="Text Sam", cadence_count=count, cadence_period=period)
    assert result["measurable"].passed


@pytest.mark.parametrize(("count", "period"), [(None, "week"), (2, None), (2, ""), (0, "week")])
def test_an_incomplete_cadence_does_not_count(count, period):
    result = check(title="Text Sam", cadence_count=count, cadence_period=period)
    assert not result["measurable"].passed
    assert not result["time_bound"].passed


def test_measurable_hint_suggests_a_number():
    assert check(title="Text Sam")["measurable"].hint == (
        "How will you know you did it? Try a number: “twice this month”."
    )


# --- Achievable --------------------------------------------------------------------------------

REASON = "The library is on my bus route"


@pytest.mark.parametrize(
    ("title", "achievable", "cadence", "passed"),
    [
        ("Attend one social event per month", REASON, (None, None), True),
        ("Reach out to a friend weekly", "I already text Sam sometimes", (1, "week"), True),
        ("Call my sister", "She always picks up", (None, None), True),  # reasons aren't goals
        ("Text a friend", REASON, (7, "week"), True),
        ("Text a friend", REASON, (20, "month"), True),
        ("Attend one social event per month", "", (None, None), False),
        ("Attend one social event per month", "it's close", (None, None), False),
        ("Attend one social event per month", "   ", (None, None), False),
        ("Text a friend", REASON, (8, "week"), False),
        ("Text a friend", REASON, (40, "month"), False),
        ("Say hello to a neighbour every day", REASON, (None, None), False),
        ("Call a friend daily", REASON, (None, None), False),
        ("Talk to everyone at work", REASON, (None, None), False),
        ("Always say yes to invitations", REASON, (None, None), False),
        ("Meet 10 new people a week", REASON, (None, None), False),
        ("Text Sam twice a day", REASON, (None, None), False),
    ],
)
def test_achievable(title, achievable, cadence, passed):
    count, period = cadence
    result = check(title=title, achievable=achievable, cadence_count=count, cadence_period=period)
    assert result["achievable"].passed is passed


def test_a_goal_too_large_gets_the_start_smaller_hint_even_when_explained():
    hint = check(title="Call a friend every day", achievable=REASON)["achievable"].hint
    assert "smaller first step" in hint


def test_an_unexplained_goal_gets_the_doable_hint():
    hint = check(title="Call a friend weekly")["achievable"].hint
    assert hint.startswith("What will make this doable for you?")


# --- Relevant ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relevant", "passed"),
    [
        ("I miss having friends", True),
        ("  I   miss   people  ", True),
        ("I don't want to feel stuck at home", True),
        ("", False),
        ("   ", False),
        ("friends", False),
        ("I'm lonely", False),
    ],
)
def test_relevant(relevant, passed):
    result = check(title="Call Sam", relevant=relevant)["relevant"]
    assert result.passed is passed
    assert result.hint == ("" if passed else "Why does this matter to you? A few words are enough.")


# --- Time-bound --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "passed"),
    [
        ("Join a running club by March", True),
        ("Go to board-game night twice this month", True),
        ("Reach out to a friend weekly", True),
        ("Attend one social event per month", True),
        ("Text Sam by Friday", True),
        ("Call Gran tomorrow", True),
        ("Invite Jo for coffee next week", True),
        ("Sign up for pottery before the end of the month", True),
        ("Visit the community garden in two weeks", True),
        ("Join the choir in May", True),
        ("Book the climbing taster by 15/3", True),
        ("Go to choir on Thursdays", True),
        ("Ask Priya to lunch before Christmas", True),
        ("Text Sam to ask about coffee", False),
        ("Go to the Thursday board-game night", False),  # names the night, not when
        ("Join a running club", False),
        ("I may go to the quiz", False),  # "may" the verb, not the month
        ("", False),
    ],
)
def test_time_bound_from_the_text(title, passed):
    assert check(title=title)["time_bound"].passed is passed


def test_a_future_target_date_is_time_bound():
    result = check(title="Text Sam", target_date=TODAY + datetime.timedelta(days=7))
    assert result["time_bound"].passed
    assert result["time_bound"].hint == ""


def test_a_target_date_of_today_is_time_bound():
    assert check(title="Text Sam", target_date=TODAY)["time_bound"].passed


def test_a_past_target_date_fails_with_its_own_hint():
    result = check(title="Text Sam", target_date=TODAY - datetime.timedelta(days=1))
    assert not result["time_bound"].passed
    assert result["time_bound"].hint.startswith("That date has passed.")


def test_a_past_target_date_fails_even_with_a_rhythm():
    result = check(
        title="Reach out to a friend weekly",
        target_date=datetime.date(2025, 12, 31),
        cadence_count=1,
        cadence_period="week",
    )
    assert not result["time_bound"].passed


def test_a_cadence_makes_a_goal_time_bound():
    assert check(title="Text Sam", cadence_count=1, cadence_period="month")["time_bound"].passed


def test_time_bound_hint_without_anything():
    assert check(title="Text Sam")["time_bound"].hint == (
        "When will you do it? Add a date or a rhythm: “by Friday” or “every week”."
    )


# --- The whole check ---------------------------------------------------------------------------

SEED_GOALS = [
    {
        "title": "Attend one social event per month",
        "specific": "Go to a community event, like the library's board-game night",
        "measurable": "One event each month",
        "achievable": "The library is a short bus ride away and it's free",
        "relevant": "I want to feel part of my neighbourhood again",
        "cadence_count": 1,
        "cadence_period": "month",
    },
    {
        "title": "Reach out to a friend weekly",
        "specific": "Text or call one friend, starting with Sam",
        "measurable": "Once a week",
        "achievable": "I already have Sam's number and texting feels easy",
        "relevant": "I miss having people to talk to",
        "cadence_count": 1,
        "cadence_period": "week",
    },
]


@pytest.mark.parametrize("goal", SEED_GOALS, ids=["social-event", "reach-out"])
def test_the_seed_goals_pass_all_five_when_filled_in(goal):
    results = smart_check(**goal, target_date=None, today=TODAY)
    assert [(c.key, c.passed, c.hint) for c in results] == [
        ("specific", True, ""),
        ("measurable", True, ""),
        ("achievable", True, ""),
        ("relevant", True, ""),
        ("time_bound", True, ""),
    ]


@pytest.mark.parametrize("goal", SEED_GOALS, ids=["social-event", "reach-out"])
def test_the_seed_goals_pass_on_their_text_alone_without_a_cadence(goal):
    goal = goal | {"cadence_count": None, "cadence_period": None}
    assert all(c.passed for c in smart_check(**goal, target_date=None, today=TODAY))


def test_always_five_criteria_in_smart_order_with_labels():
    results = smart_check(
        title="",
        specific="",
        measurable="",
        achievable="",
        relevant="",
        target_date=None,
        cadence_count=None,
        cadence_period=None,
        today=TODAY,
    )
    assert [c.key for c in results] == list(smart.KEYS)
    assert [c.label for c in results] == [
        "Specific",
        "Measurable",
        "Achievable",
        "Relevant",
        "Time-bound",
    ]
    assert not any(c.passed for c in results)
    assert all(c.hint for c in results)
    assert len({c.hint for c in results}) == 5


def test_a_passing_criterion_has_no_hint_and_a_failing_one_has_exactly_one():
    for criterion in check(title="Text Sam by Friday", relevant="I miss my old friends").values():
        assert (criterion.hint == "") is criterion.passed
        assert "\n" not in criterion.hint


def test_missing_text_is_treated_as_empty():
    results = check(title=None, specific=None, measurable=None, achievable=None, relevant=None)
    assert not any(c.passed for c in results.values())


def test_criteria_are_frozen():
    criterion = check(title="Text Sam")["specific"]
    with pytest.raises(AttributeError):
        criterion.passed = False


def test_labels_and_hints_are_translated_when_checked(monkeypatch):
    monkeypatch.setattr(smart, "_", lambda text: f"[{text}]")
    results = check(title="Make friends")
    assert results["specific"].label == "[Specific]"
    assert results["specific"].hint.startswith("[What would you actually do?")
    assert results["time_bound"].label == "[Time-bound]"

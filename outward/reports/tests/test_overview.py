"""The client page's Overview (care:client_detail): what happened since the last session, read
as session prep reads it, in a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outward.care.models import SessionNote
from outward.community.plans import services as plan_services
from outward.community.tests.test_plans import make_resource
from outward.conftest import raise_alert
from outward.goals import services as goal_services
from outward.goals.models import Goal
from outward.journal.models import CheckIn
from outward.measures import services as measure_services

from .conftest import TODAY
from .test_session_prep import _check_in, _contact


def _page(world) -> str:
    response = world.as_("therapist").get(reverse("care:client_detail", args=[world.client.pk]))
    assert response.status_code == 200
    return response.text


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def week(world, now):
    """Since the last session (2 November): two check-ins (mood 6 then 8), contacts (one kept
    private), a weekly goal missed for weeks, a plan and a step ahead, a questionnaire due."""
    _check_in(world, 30)  # before the session: the trend's starting point
    _check_in(world, 10)
    latest = CheckIn.objects.filter(client=world.client).latest("occurred")
    CheckIn.objects.filter(pk=latest.pk).update(mood=8, loneliness=2)
    _contact(world, "met_up", days_ago=2)
    _contact(world, "met_up", days_ago=3)
    _contact(world, "event", days_ago=4, private=True, with_whom="PRIVATE-PERSON")
    goal = goal_services.goal_create(
        client=world.client,
        author=world.therapist.user,
        title="AT-RISK reach out weekly",
        cadence_count=1,
        cadence_period="week",
        ip=None,
    )
    Goal.objects.filter(pk=goal.pk).update(created=timezone.now() - datetime.timedelta(days=40))
    goal_services.step_add(
        goal=goal,
        author=world.client.user,
        title="STEP-AHEAD call my sister",
        scheduled_for=TODAY + datetime.timedelta(days=3),
        ip=None,
    )
    plan_services.plan_create(
        client=world.client,
        resource=make_resource(world.practice, name="PLAN-AHEAD Board games"),
        when=timezone.now() + datetime.timedelta(days=2),
        author=world.client.user,
        ip=None,
    )
    measure_services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="gad7",
        every_days=None,
        first_due=TODAY - datetime.timedelta(days=1),
        ip=None,
    )
    return goal


def test_the_overview_answers_what_happened_since_the_last_session(world, week):
    text = _text(_page(world))
    assert "Since the last session, on Monday 2 November 2026" in text
    assert "What Casey did" in text
    assert "2 × met up with someone" in text and "1 × did a check-in" in text
    assert "PRIVATE-PERSON" not in text and "went to a group or event" not in text
    # The check-in trend runs from the last check-in before the session to the latest.
    assert "Mood 6 → 8" in text and "better by 2" in text
    assert "Loneliness 4 → 2" in text
    # A first is about the client by name for the care team, never "you".
    assert "A first: Casey met up with someone" in text and "A first: you" not in text
    assert "Due: GAD-7" in text
    assert "AT-RISK reach out weekly" in text
    coming = text.split("Coming up", 1)[1]
    assert coming.index("PLAN-AHEAD Board games") < coming.index("STEP-AHEAD call my sister")


def test_open_alerts_come_first(world, week):
    raise_alert(world.client)
    text = _text(_page(world))
    assert text.index("Risk alert open since") < text.index("What Casey did")


def test_before_any_session_it_is_the_last_seven_days(world, now):
    SessionNote.objects.filter(client=world.client).delete()
    _contact(world, "met_up", days_ago=3)
    _contact(world, "online", days_ago=9)
    text = _text(_page(world))
    assert "No session notes yet: the last seven days, since 18 November" in text
    assert "1 × met up with someone" in text and "talked with someone online" not in text


def test_a_quiet_week_says_so(world, now):
    text = _text(_page(world))
    assert "Nothing shared in the portal since then." in text
    assert "Nothing planned for the next two weeks." in text


def _records(world, count, *, first_day):
    for n in range(count):
        _contact(world, ["met_up", "online", "event", "reached_out"][n % 4], days_ago=n % 20)
        _check_in(world, first_day + n)


def _queries(http, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return len(captured)


def test_the_overview_reads_a_constant_number_of_queries(world, week):
    http, url = world.as_("therapist"), reverse("care:client_detail", args=[world.client.pk])
    _records(world, 5, first_day=40)
    small = _queries(http, url)
    _records(world, 120, first_day=50)
    assert _queries(http, url) == small

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from outward.goals import services as goal_services
from outward.goals.models import Goal, Step
from outward.reports import services

from .conftest import TODAY


def _token(world, *, own_wording=False):
    return services.calendar_feed_enable(
        client=world.client, actor=world.client.user, own_wording=own_wording, ip=None
    )


def _fetch(token):
    from django.test import Client as HttpClient

    return HttpClient().get(reverse("reports:calendar_feed", args=[token]))


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_feed_is_an_icalendar_of_planned_steps(world, goal, add_step):
    step = add_step(goal, "STEP-TITLE-SECRET say hello", 2)
    add_step(goal, "Not planned for a day", None)
    response = _fetch(_token(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["X-Robots-Tag"] == "noindex"
    calendar, events = _events(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["X-WR-CALNAME"] == "Outward"
    assert len(events) == 1
    [event] = events
    assert str(event["UID"]) == f"step-{step.pk}@outward"
    assert event.decoded("DTSTART") == datetime.date(2026, 11, 27)
    assert event.decoded("DTEND") == datetime.date(2026, 11, 28)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert "DTSTAMP" in event
    assert str(event["SUMMARY"]) == "Outward: a step you planned"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_says_nothing_clinical_by_default(world, goal, add_step):
    add_step(goal, "STEP-TITLE-SECRET say hello", 0)
    body = _fetch(_token(world)).content.decode()
    assert "SECRET" not in body
    assert "chess" not in body
    assert "DESCRIPTION" not in body


def test_own_wording_shows_the_step_title_only(world, goal, add_step):
    add_step(goal, "STEP-TITLE-SECRET say hello", 0)
    response = _fetch(_token(world, own_wording=True))
    _calendar, [event] = _events(response)
    assert str(event["SUMMARY"]) == "STEP-TITLE-SECRET say hello"
    body = response.content.decode()
    assert "GOAL-TITLE-SECRET" not in body and "SPECIFIC-TEXT-SECRET" not in body


def test_uids_are_stable_between_fetches(world, goal, add_step):
    add_step(goal, "One", 1)
    add_step(goal, "Two", 3)
    token = _token(world)
    first = [str(e["UID"]) for e in _events(_fetch(token))[1]]
    second = [str(e["UID"]) for e in _events(_fetch(token))[1]]
    assert first == second and len(set(first)) == 2


@pytest.mark.parametrize(
    ("days", "included"),
    [(-31, False), (-30, True), (0, True), (180, True), (181, False)],
)
def test_date_range_is_a_month_back_to_half_a_year_ahead(world, goal, add_step, days, included):
    add_step(goal, "Edge", days)
    events = _events(_fetch(_token(world)))[1]
    assert len(events) == (1 if included else 0)


def test_today_is_the_clients_day(world, goal, add_step, time_machine):
    """At 03:00 UTC it is still yesterday in New York: the window follows the client's day."""
    add_step(goal, "A month back", -30)
    token = _token(world)
    time_machine.move_to("2026-11-26 03:00:00+00:00", tick=False)  # the 25th in New York
    assert len(_events(_fetch(token))[1]) == 1
    time_machine.move_to("2026-11-26 15:00:00+00:00", tick=False)  # the 26th in New York
    assert len(_events(_fetch(token))[1]) == 0


def test_half_a_year_ahead_counts_from_the_clients_day(world, goal, add_step, time_machine):
    add_step(goal, "Far ahead", 180)
    token = _token(world)
    time_machine.move_to("2026-11-25 03:00:00+00:00", tick=False)  # the 24th in New York
    assert len(_events(_fetch(token))[1]) == 0


def test_done_steps_stay_in_the_calendar(world, goal, add_step):
    step = add_step(goal, "Done one", -1)
    goal_services.step_complete(step=step, actor=world.client.user, ip=None)
    assert len(_events(_fetch(_token(world)))[1]) == 1


def test_steps_of_set_aside_and_achieved_goals_are_left_out(world, goal, add_step):
    add_step(goal, "Active", 1)
    for status in (Goal.Status.SET_ASIDE, Goal.Status.ACHIEVED):
        other = goal_services.goal_create(
            client=world.client, author=world.client.user, title=f"Goal {status}", ip=None
        )
        add_step(other, f"Step {status}", 1)
        goal_services.goal_update(goal=other, actor=world.client.user, ip=None, status=status)
    _calendar, [event] = _events(_fetch(_token(world, own_wording=True)))
    assert str(event["SUMMARY"]) == "Active"


def test_only_the_feeds_own_client(world, goal, add_step):
    add_step(goal, "Casey's step", 1)
    other_goal = goal_services.goal_create(
        client=world.other_client, author=world.other_client.user, title="Olive's goal", ip=None
    )
    add_step(other_goal, "Olive's step", 1)
    other_token = services.calendar_feed_enable(
        client=world.other_client, actor=world.other_client.user, own_wording=True, ip=None
    )
    _calendar, [event] = _events(_fetch(other_token))
    assert str(event["SUMMARY"]) == "Olive's step"


def test_unknown_token_is_a_plain_404(db):
    response = _fetch("not-a-real-token")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")


def test_new_link_stops_the_old_one(world, goal):
    old = _token(world)
    new = _token(world)
    assert _fetch(old).status_code == 404
    assert _fetch(new).status_code == 200


def test_turning_off_stops_the_link(world, goal):
    token = _token(world)
    services.calendar_feed_revoke(client=world.client, actor=world.client.user, ip=None)
    assert _fetch(token).status_code == 404


def test_a_switched_off_account_gets_no_feed(world, goal):
    token = _token(world)
    world.client.user.is_active = False
    world.client.user.save()
    assert _fetch(token).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_feed_is_get_only(world, goal, method):
    from django.test import Client as HttpClient

    url = reverse("reports:calendar_feed", args=[_token(world)])
    assert getattr(HttpClient(), method)(url).status_code == 405


def _bulk_steps(world, goal, count):
    Step.objects.bulk_create(
        Step(
            goal=goal,
            client=world.client,
            author=world.client.user,
            position=i,
            title=f"Step {i}",
            scheduled_for=TODAY + datetime.timedelta(days=i % 200 - 20),
        )
        for i in range(count)
    )


def test_feed_queries_do_not_grow_with_steps(world, goal, django_assert_num_queries):
    token = _token(world, own_wording=True)
    _bulk_steps(world, goal, 5)
    # The feed with its client and user, then the steps, then the planned attempts at rungs.
    with django_assert_num_queries(3):
        assert len(_events(_fetch(token))[1]) == 5
    _bulk_steps(world, goal, 45)
    with django_assert_num_queries(3):
        assert len(_events(_fetch(token))[1]) == 50


def test_planned_attempts_at_a_rung_are_in_the_feed_plainly_worded(world):
    from outward.skills import services as skills_services
    from outward.skills.models import FearLadder, Rung

    ladder = FearLadder.objects.create(client=world.client, author=world.client.user, title="P")
    rung = Rung.objects.create(
        client=world.client,
        author=world.client.user,
        ladder=ladder,
        situation="RUNG-SECRET ask a question",
        expected_suds=50,
    )
    exposure = skills_services.exposure_plan(
        rung=rung,
        author=world.client.user,
        planned_for=datetime.date(2026, 11, 28),
        prediction="PREDICTION-SECRET",
        likelihood=50,
        expected_suds=50,
        ip=None,
    )
    body = _fetch(_token(world)).content.decode()
    assert f"exposure-{exposure.pk}@outward" in body
    assert "Outward: a practice you planned" in body
    assert "SECRET" not in body

    own = _fetch(_token(world, own_wording=True)).content.decode()
    assert "RUNG-SECRET" in own
    assert "PREDICTION-SECRET" not in own

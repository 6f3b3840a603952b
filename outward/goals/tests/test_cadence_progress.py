"""Cadence progress (goals.selectors.cadence_progress): counted from the logs, in the client's
own weeks (Monday first) and months, across DST changes, with streaks of periods met."""

import datetime

import pytest

from outward.goals import selectors
from outward.goals.models import Goal, Step

from .helpers import local, make_goal, tap, weekly_goal

ZONE = "America/New_York"


def progress(goal, now):
    return selectors.cadence_progress(goals=[goal], time_zones={goal.client_id: ZONE}, now=now)[
        goal.pk
    ]


def log_contact(world, time_machine, when, kind="reached_out", persona="client", **extra):
    """A contact logged through the journal's own page, at a given moment."""
    time_machine.move_to(when, tick=False)
    response = world.as_(persona).post("/me/journal/contacts/", {"kind": kind, **extra})
    assert response.status_code == 302


def test_counts_taps_this_week_only(world):
    goal = weekly_goal(world.client, times=3)
    tap(goal, local(2026, 11, 23, 9, 0))  # Monday
    tap(goal, local(2026, 11, 25, 20, 0))  # Wednesday
    tap(goal, local(2026, 11, 20, 9, 0))  # last Friday
    result = progress(goal, now=local(2026, 11, 26, 12, 0))
    assert (result.count, result.target, result.period, result.met) == (2, 3, "week", False)
    assert result.summary == "2 of 3 this week"


def test_counts_finished_steps_of_the_goal_only(world):
    goal = weekly_goal(world.client, times=2, steps=["One", "Two", "Three"])
    other = make_goal(world.client, title="Another goal", steps=["Elsewhere"])
    Step.objects.filter(goal=goal, title__in=["One", "Two"]).update(
        done_at=local(2026, 11, 24, 10, 0)
    )
    Step.objects.filter(goal=other).update(done_at=local(2026, 11, 24, 10, 0))
    result = progress(goal, now=local(2026, 11, 26, 12, 0))
    assert (result.count, result.met) == (2, True)


def test_counts_journal_contacts_of_the_goals_kind(world, time_machine):
    goal = weekly_goal(world.client, times=5, counts_kind="journal.contact.reached_out")
    tap(goal, local(2026, 11, 23, 8, 0))
    log_contact(world, time_machine, local(2026, 11, 23, 9, 0), kind="reached_out")
    log_contact(world, time_machine, local(2026, 11, 24, 9, 0), kind="reached_out", private="on")
    log_contact(world, time_machine, local(2026, 11, 24, 10, 0), kind="event")  # another kind
    log_contact(world, time_machine, local(2026, 11, 16, 9, 0), kind="reached_out")  # last week
    log_contact(world, time_machine, local(2026, 11, 24, 9, 0), persona="other_client")

    result = progress(goal, now=local(2026, 11, 26, 12, 0))

    # One tap and one shared contact of the goal's kind this week: a contact the client kept
    # private counts toward no goal the care team shares.
    assert result.count == 2
    assert progress(goal, now=local(2026, 11, 17, 12, 0)).count == 1


def test_without_counts_kind_contacts_do_not_count(world, time_machine):
    goal = weekly_goal(world.client, times=1)
    log_contact(world, time_machine, local(2026, 11, 24, 9, 0), kind="reached_out")
    assert progress(goal, now=local(2026, 11, 26, 12, 0)).count == 0


@pytest.mark.parametrize(
    ("sunday_night", "monday_morning", "now"),
    [
        # 1 November 2026: clocks go back (EDT → EST) in New York.
        (local(2026, 11, 1, 23, 30), local(2026, 11, 2, 0, 30), local(2026, 11, 4, 12, 0)),
        # 8 March 2026: clocks go forward (EST → EDT).
        (local(2026, 3, 8, 23, 30), local(2026, 3, 9, 0, 30), local(2026, 3, 11, 12, 0)),
    ],
)
def test_weeks_start_on_monday_in_the_clients_time_zone_across_dst(
    world, sunday_night, monday_morning, now
):
    # Both moments are on the same UTC day (Monday): only the client's clock tells them apart.
    assert (
        sunday_night.astimezone(datetime.UTC).date()
        == monday_morning.astimezone(datetime.UTC).date()
    )
    goal = weekly_goal(world.client, times=1)
    tap(goal, sunday_night)
    tap(goal, monday_morning)

    result = progress(goal, now=now)

    assert result.count == 1  # only Monday 00:30 is in this week
    assert result.met_periods[-2:] == (True, True)  # Sunday 23:30 met last week
    assert result.streak == 2


def test_the_week_rolls_over_at_local_midnight_not_utc(world):
    goal = weekly_goal(world.client, times=1)
    tap(goal, local(2026, 11, 29, 22, 0))  # Sunday 22:00 in New York = Monday 03:00 UTC
    assert progress(goal, now=local(2026, 11, 29, 23, 59)).count == 1
    monday = progress(goal, now=local(2026, 11, 30, 0, 1))
    assert (monday.count, monday.met_periods[-2]) == (0, True)


def test_now_just_after_local_midnight_is_the_new_week(world):
    # 00:30 on Monday 2 November in New York is still Monday 05:30 UTC; 23:30 on Sunday is
    # 04:30 UTC on Monday. A week computed in UTC would be wrong for the Sunday tap.
    goal = weekly_goal(world.client, times=1)
    tap(goal, local(2026, 11, 1, 23, 30))
    assert progress(goal, now=local(2026, 11, 1, 23, 45)).met is True
    assert progress(goal, now=local(2026, 11, 2, 0, 30)).met is False


def test_month_periods_in_the_clients_time_zone(world):
    goal = make_goal(world.client, cadence_count=2, cadence_period="month")
    tap(goal, local(2026, 11, 3, 12, 0))
    tap(goal, local(2026, 11, 30, 23, 30))  # 1 December 04:30 UTC, still November locally
    tap(goal, local(2026, 10, 31, 23, 30))  # October

    november = progress(goal, now=local(2026, 11, 30, 23, 50))
    december = progress(goal, now=local(2026, 12, 1, 10, 0))

    assert (november.count, november.met) == (2, True)
    assert november.summary == "Done 2 times this month — target met"
    assert (december.count, december.met) == (0, False)
    assert december.met_periods[-3:] == (False, True, False)  # Oct 1 tap, Nov 2, Dec 0
    assert december.streak == 1


def test_streak_counts_consecutive_periods_met(world):
    goal = weekly_goal(world.client, times=1)
    for monday in (2, 9, 16):  # three weeks met, this week (23 November) not yet
        tap(goal, local(2026, 11, monday, 18, 0))
    now = local(2026, 11, 26, 12, 0)

    result = progress(goal, now=now)
    assert (result.met, result.streak) == (False, 3)  # the current unmet week does not count

    tap(goal, local(2026, 11, 24, 18, 0))
    result = progress(goal, now=now)
    assert (result.met, result.streak) == (True, 4)


def test_a_gap_breaks_the_streak(world):
    goal = weekly_goal(world.client, times=1)
    for day in (26, 2, 16):  # 26 Oct, 2 Nov, (gap on 9 Nov), 16 Nov
        month = 10 if day == 26 else 11
        tap(goal, local(2026, month, day, 18, 0))
    result = progress(goal, now=local(2026, 11, 26, 12, 0))
    assert result.met_periods[-5:] == (True, True, False, True, False)
    assert result.streak == 1


def test_a_week_partly_done_does_not_count_as_met(world):
    goal = weekly_goal(world.client, times=2)
    for day in (9, 10, 16):  # two taps in the week of 9 Nov, one in the week of 16 Nov
        tap(goal, local(2026, 11, day, 18, 0))
    result = progress(goal, now=local(2026, 11, 26, 12, 0))
    assert result.met_periods[-3:] == (True, False, False)
    assert result.streak == 0


def test_goals_without_cadence_have_no_progress(world):
    plain = make_goal(world.client, title="Join a choir")
    weekly = weekly_goal(world.client)
    result = selectors.cadence_progress(
        goals=[plain, weekly], time_zones={world.client.pk: ZONE}, now=local(2026, 11, 26)
    )
    assert set(result) == {weekly.pk}
    assert selectors.cadence_progress(goals=[plain], time_zones={}, now=local(2026, 11, 26)) == {}


def test_many_goals_of_many_clients_in_a_constant_number_of_queries(
    world, django_assert_num_queries
):
    goals = []
    for client in (world.client, world.other_client):
        for number in range(6):
            goal = weekly_goal(
                client,
                times=2,
                title=f"Goal {number}",
                steps=["A step"],
                counts_kind="journal.contact.event" if number % 2 else "",
            )
            tap(goal, local(2026, 11, 24, 9, number))
            goals.append(goal)
    Step.objects.update(done_at=local(2026, 11, 24, 12, 0))
    zones = {world.client.pk: ZONE, world.other_client.pk: ZONE}

    # Taps and steps in one query, and the journal's contacts (its check-ins are another
    # provider's now).
    with django_assert_num_queries(2):
        result = selectors.cadence_progress(goals=goals, time_zones=zones, now=local(2026, 11, 26))
    assert {p.count for p in result.values()} == {2}


def test_period_key_is_the_local_start_of_the_period(world):
    weekly = weekly_goal(world.client)
    monthly = make_goal(world.client, cadence_count=1, cadence_period="month")
    weekly = Goal.objects.select_related("client__user").get(pk=weekly.pk)
    # Sunday 23:30 in New York is Monday in UTC; the period is still the week of 26 October.
    assert selectors.period_key(weekly, local(2026, 11, 1, 23, 30)) == "2026-10-26"
    assert selectors.period_key(monthly, local(2026, 11, 30, 23, 30)) == "2026-11-01"


def test_caseload_targets_cell_counts_goals_met_this_period(world):
    met = weekly_goal(world.client, times=1, title="Met")
    weekly_goal(world.client, times=2, title="Not yet")
    make_goal(world.client, title="No cadence")
    tap(met, local(2026, 11, 24, 9, 0))
    cells = selectors.targets_cell([world.client, world.other_client], local(2026, 11, 26, 12, 0))
    assert cells == {world.client.pk: "1 of 2 met"}

"""The goals page (/me/goals/ and the therapist's tab) and a goal's own page."""

import datetime
import zoneinfo

import pytest

from outward.care.models import AuditEvent
from outward.goals import services
from outward.goals.models import Step, Win

from .helpers import local, make_goal, tap, weekly_goal


def fill(world, goals: range) -> None:
    """Goals for the client, each with steps (one done), two taps, a review and a win (half
    of them acknowledged); half of the goals also count the journal's events."""
    for number in goals:
        goal = weekly_goal(
            world.client,
            times=2,
            title=f"Goal number {number}",
            steps=[f"Step {number}.{n}" for n in range(3)],
            counts_kind="journal.contact.event" if number % 2 else "",
            author=world.therapist.user,
        )
        tap(goal, local(2026, 11, 24, 9, 0))
        tap(goal, local(2026, 11, 17, 9, 0))
        services.goal_review(
            goal=goal,
            author=world.therapist.user,
            reviewed_on=datetime.date(2026, 11, 2 + number % 20),
            level=number % 5 - 2,
            note="",
            ip=None,
        )
        win = Win.objects.create(client=world.client, kind=Win.Kind.OWN, text=f"Win {number}")
        if number % 2:
            services.win_acknowledge(
                win=win, therapist=world.therapist.user, message="Well done", ip=None
            )
    Step.objects.filter(client=world.client, title__endswith=".0").update(
        done_at=local(2026, 11, 23, 9, 0)
    )


PAGES = {"client": "/me/goals/", "therapist": "/clients/{client}/goals/"}


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_lists_goals_with_steps_and_progress(world, persona, time_machine):
    time_machine.move_to(local(2026, 11, 26, 12, 0), tick=False)
    goal = weekly_goal(world.client, times=2, steps=["Pick one person", "Send it"])
    tap(goal, local(2026, 11, 24, 9, 0))
    make_goal(world.other_client, title="Olive's own goal")

    response = world.as_(persona).get(PAGES[persona].format(client=world.client.pk))

    assert response.status_code == 200
    text = response.text
    assert "Reach out to a friend weekly" in text
    assert "Pick one person" in text and "Send it" in text
    assert "1 of 2 this week" in text
    assert "Olive's own goal" not in text


def test_streak_shows_on_the_goals_page(world, time_machine):
    time_machine.move_to(local(2026, 11, 26, 12, 0), tick=False)
    goal = weekly_goal(world.client, times=1)
    for day in (9, 16, 24):
        tap(goal, local(2026, 11, day, 9, 0))
    text = world.as_("client").get("/me/goals/").text
    assert "met 3 times in a row" in text


def test_goal_page_shows_steps_in_order_and_the_smart_check(world):
    goal = make_goal(world.client, steps=["First", "Second", "Third"])
    Step.objects.create(  # same position as "Second", added later: after it
        goal=goal, client=world.client, author=world.client.user, position=1, title="Squeezed"
    )
    response = world.as_("client").get(f"/me/goals/{goal.pk}/")
    assert response.status_code == 200
    assert [s.title for s in response.context["steps"]] == ["First", "Second", "Squeezed", "Third"]
    assert response.text.count('<li class="criterion ') == 5
    assert f'action="/me/steps/{goal.steps.get(title="First").pk}/done/"' in response.text


def test_the_therapist_sees_no_one_tap_buttons(world):
    goal = weekly_goal(world.client, steps=["First"])
    text = world.as_("therapist").get(f"/clients/{world.client.pk}/goals/{goal.pk}/").text
    assert "/did-it/" not in text and "/done/" not in text
    assert "Save review" in text


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_goals_page_query_count_is_constant(
    world, persona, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(local(2026, 11, 26, 12, 0), tick=False)
    http = world.as_(persona)
    url = PAGES[persona].format(client=world.client.pk)
    http.get(url)  # the session and its first write are not what is measured
    # Measured: session, user, who they are (membership; portal client or care-team check);
    # goals + their steps, taps, steps done, the journal's check-ins and contacts, the GAS
    # reviews, the wins' count and page; the session save in a savepoint (3); for the
    # therapist, the audit event (3: lock the hash chain's head, insert, move the head).
    bound = 19 if persona == "therapist" else 16
    fill(world, range(5))
    with django_assert_max_num_queries(bound):
        response = http.get(url)
    assert response.text.count('<article class="card stack goal ') == 5

    fill(world, range(5, 30))
    with django_assert_max_num_queries(bound):
        response = http.get(url)
    assert response.text.count('<article class="card stack goal ') == 30
    assert response.text.count('<article class="card win">') == 10  # wins are paginated


@pytest.mark.parametrize(("persona", "bound"), [("client", 13), ("therapist", 17)])
def test_goal_page_query_count_is_constant(world, persona, bound, django_assert_max_num_queries):
    goal = weekly_goal(world.client, counts_kind="journal.contact.event")
    url = (
        f"/me/goals/{goal.pk}/"
        if persona == "client"
        else f"/clients/{world.client.pk}/goals/{goal.pk}/"
    )
    http = world.as_(persona)
    http.get(url)
    # Measured: session, user, who they are; goal, steps, taps, steps done, the journal's
    # check-ins and contacts, reviews; the session save (3); for the therapist, the audit
    # event (3: a link of the hash chain). The same for 5 steps and 30.
    for steps in (5, 30):
        for number in range(goal.steps.count(), steps):
            services.step_add(
                goal=goal, author=world.client.user, title=f"S{number}", scheduled_for=None, ip=None
            )
            tap(goal, local(2026, 11, 24, 9, number))
        with django_assert_max_num_queries(bound):
            response = http.get(url)
        assert response.text.count('<li class="step-row') == steps


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("goals/", "client:{client}"),
        ("goals/{goal}/", "goal:{goal}"),
        ("goals/{goal}/edit/", "goal:{goal}"),
    ],
)
def test_the_care_teams_every_look_is_audited(world, path, target):
    goal = make_goal(world.client)
    url = f"/clients/{world.client.pk}/" + path.format(goal=goal.pk)
    before = AuditEvent.objects.filter(action="view").count()

    assert world.as_("therapist").get(url).status_code == 200

    assert AuditEvent.objects.filter(action="view").count() == before + 1
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert (event.client, event.actor) == (world.client, world.therapist.user)
    assert event.target == target.format(client=world.client.pk, goal=goal.pk)


def test_progress_is_in_the_clients_week_whoever_looks(world, time_machine):
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    world.client.user.time_zone = "Pacific/Auckland"
    world.client.user.save()
    goal = weekly_goal(world.client, times=1)
    # Sunday 20:00 in Auckland; by Monday 10:00 there a new week has begun for the client,
    # while in the therapist's New York it is still Sunday afternoon of the same week.
    tap(goal, datetime.datetime(2026, 11, 29, 20, 0, tzinfo=auckland))
    time_machine.move_to(datetime.datetime(2026, 11, 30, 10, 0, tzinfo=auckland), tick=False)

    for persona, url in PAGES.items():
        text = world.as_(persona).get(url.format(client=world.client.pk)).text
        assert "0 of 1 this week" in text, persona

"""Small steps: adding them, one-tap done (from Today or the goal), undo, and strangers' steps."""

import datetime

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.goals.models import Step, Win

from .helpers import local, make_goal


@pytest.fixture
def goal(world):
    return make_goal(world.client, steps=["Pick one person", "Write a first line"])


def test_client_adds_a_step_with_a_date_at_the_end(world, goal):
    response = world.as_("client").post(
        f"/me/goals/{goal.pk}/steps/", {"title": "Send it", "scheduled_for": "2026-11-30"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/me/goals/{goal.pk}/"
    step = Step.objects.get(title="Send it")
    assert (step.goal, step.client, step.author) == (goal, world.client, world.client.user)
    assert step.position == 2
    assert step.scheduled_for == datetime.date(2026, 11, 30)
    assert step.done_at is None
    assert AuditEvent.objects.filter(action="create", target=f"step:{step.pk}").exists()


def test_therapist_adds_a_step_without_a_date(world, goal):
    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/goals/{goal.pk}/steps/", {"title": "Rehearse it"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{world.client.pk}/goals/{goal.pk}/"
    step = Step.objects.get(title="Rehearse it")
    assert (step.author, step.scheduled_for, step.position) == (world.therapist.user, None, 2)


def test_the_first_step_of_a_goal_without_steps_is_position_0(world):
    goal = make_goal(world.client)
    world.as_("client").post(f"/me/goals/{goal.pk}/steps/", {"title": "Start"})
    assert goal.steps.get().position == 0


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"title": "Fine", "scheduled_for": "someday"},
    ],
)
def test_bad_step_is_not_added(world, goal, data):
    http = world.as_("client")
    response = http.post(f"/me/goals/{goal.pk}/steps/", data)
    assert response.status_code == 302
    assert goal.steps.count() == 2
    page = http.get(response["Location"]).text
    assert "The step was not added:" in page


def test_step_on_another_clients_goal_is_404(world):
    foreign = make_goal(world.other_client)
    response = world.as_("client").post(f"/me/goals/{foreign.pk}/steps/", {"title": "Sneaky"})
    assert response.status_code == 404
    assert not Step.objects.filter(title="Sneaky").exists()


def test_done_from_today_goes_back_to_today(world, goal, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    step = goal.steps.get(position=0)

    response = world.as_("client").post(f"/me/steps/{step.pk}/done/", {"next": "/today/"})

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    step.refresh_from_db()
    assert step.done_at == local(2026, 11, 24, 9, 0)
    win = Win.objects.get(client=world.client, source=f"step:{step.pk}")
    assert (win.kind, win.text) == (Win.Kind.STEP, "Done: Pick one person")
    assert AuditEvent.objects.filter(action="update", target=f"step:{step.pk}").exists()


def test_done_without_next_goes_back_to_the_goal(world, goal):
    step = goal.steps.get(position=0)
    response = world.as_("client").post(f"/me/steps/{step.pk}/done/")
    assert response["Location"] == f"/me/goals/{goal.pk}/"


@pytest.mark.parametrize("target", ["https://evil.test/", "//evil.test/today/", "javascript:x"])
def test_done_never_redirects_off_site(world, goal, target):
    step = goal.steps.get(position=0)
    response = world.as_("client").post(f"/me/steps/{step.pk}/done/", {"next": target})
    assert response["Location"] == f"/me/goals/{goal.pk}/"


def test_a_double_tap_records_one_win(world, goal, time_machine):
    step = goal.steps.get(position=0)
    http = world.as_("client")
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    http.post(f"/me/steps/{step.pk}/done/", {"next": "/today/"})
    time_machine.move_to(local(2026, 11, 24, 9, 1), tick=False)
    response = http.post(f"/me/steps/{step.pk}/done/", {"next": "/today/"})

    assert response["Location"] == "/today/"
    step.refresh_from_db()
    assert step.done_at == local(2026, 11, 24, 9, 0)  # the first tap's time stays
    assert Win.objects.filter(client=world.client, kind=Win.Kind.STEP).count() == 1
    assert AuditEvent.objects.filter(action="update", target=f"step:{step.pk}").count() == 1


def test_undo_reopens_the_step_and_removes_its_win(world, goal):
    step = goal.steps.get(position=0)
    http = world.as_("client")
    http.post(f"/me/steps/{step.pk}/done/")

    response = http.post(f"/me/steps/{step.pk}/undo/", {"next": "/today/"})

    assert response["Location"] == "/today/"
    step.refresh_from_db()
    assert step.done_at is None
    assert not Win.objects.filter(source=f"step:{step.pk}").exists()
    # Done again later: celebrated again, once.
    http.post(f"/me/steps/{step.pk}/done/")
    assert Win.objects.filter(source=f"step:{step.pk}").count() == 1


def test_a_step_of_another_client_is_404_and_untouched(world):
    foreign_goal = make_goal(world.other_client, steps=["Olive's step"])
    foreign = foreign_goal.steps.get()
    http = world.as_("client")

    assert http.post(f"/me/steps/{foreign.pk}/done/", {"next": "/today/"}).status_code == 404
    assert http.post(f"/me/steps/{foreign.pk}/undo/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_at is None
    assert not Win.objects.exists()


def test_done_step_is_a_happening_of_its_day(world, goal, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    step = goal.steps.get(position=0)
    world.as_("client").post(f"/me/steps/{step.pk}/done/")
    found = happenings.happenings(
        client_ids=[world.client.pk],
        start=local(2026, 11, 24),
        end=local(2026, 11, 25),
        kinds=["goals.step_done"],
    )
    assert [(h.summary, h.source) for h in found] == [("Pick one person", f"goals.step:{step.pk}")]


def test_planned_steps_are_due_today_until_done(world, goal, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    http = world.as_("client")
    http.post(f"/me/goals/{goal.pk}/steps/", {"title": "Late one", "scheduled_for": "2026-11-20"})
    http.post(f"/me/goals/{goal.pk}/steps/", {"title": "Today's", "scheduled_for": "2026-11-24"})
    http.post(f"/me/goals/{goal.pk}/steps/", {"title": "Later", "scheduled_for": "2026-11-25"})
    late = Step.objects.get(title="Late one")

    due = {item.title: item for item in due_steps(world.client)}

    # Future steps are not due; of the undated ones, only the goal's next step is.
    assert set(due) == {"Late one", "Today's", "Pick one person"}
    assert due["Late one"].detail == "Planned for 20 Nov"
    assert due["Late one"].done_url == f"/me/steps/{late.pk}/done/"
    assert due["Today's"].detail == ""
    http.post(due["Late one"].done_url, {"next": "/today/"})
    assert [item.title for item in due_steps(world.client)] == ["Pick one person", "Today's"]


def due_steps(client):
    """What the Today page lists for the client's steps on 24 November (via the registry)."""
    day = datetime.date(2026, 11, 24)
    return [
        item
        for item in happenings.due_items(client=client, day=day)
        if item.key.startswith("step:")
    ]


def test_today_offers_the_planned_step_with_a_way_back(world, goal, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    step = goal.steps.get(position=0)
    step.scheduled_for = datetime.date(2026, 11, 24)
    step.save()
    http = world.as_("client")

    today = http.get("/today/").text
    assert f'action="/me/steps/{step.pk}/done/"' in today
    assert '<input type="hidden" name="next" value="/today/">' in today

    assert http.post(f"/me/steps/{step.pk}/done/", {"next": "/today/"})["Location"] == "/today/"
    assert f'action="/me/steps/{step.pk}/done/"' not in http.get("/today/").text

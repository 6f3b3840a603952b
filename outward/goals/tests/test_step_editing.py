"""Editing what was made: a step's words and day, its place in the goal, deleting a step or a
goal (after a confirmation), goals achieved or set aside folded away, and the next undated
step of each goal on Today."""

import datetime

import pytest

from outward.care import happenings
from outward.care.models import AuditEvent
from outward.goals.models import Goal, GoalReview, Step, Win

from .helpers import make_goal


@pytest.fixture
def goal(world):
    return make_goal(world.client, steps=["Pick one person", "Write a first line", "Send it"])


def _titles(goal):
    return list(goal.steps.order_by("position", "id").values_list("title", flat=True))


def test_client_edits_a_step_and_the_change_is_audited(world, goal):
    step = goal.steps.get(title="Send it")
    http = world.as_("client")
    assert "Send it" in http.get(f"/me/steps/{step.pk}/edit/").text

    response = http.post(
        f"/me/steps/{step.pk}/edit/", {"title": "Send it on Friday", "scheduled_for": "2026-12-04"}
    )

    assert response["Location"] == f"/me/goals/{goal.pk}/"
    step.refresh_from_db()
    assert (step.title, step.scheduled_for) == ("Send it on Friday", datetime.date(2026, 12, 4))
    assert AuditEvent.objects.filter(action="update", target=f"step:{step.pk}").exists()


def test_a_bad_edit_shows_errors_and_changes_nothing(world, goal):
    step = goal.steps.get(title="Send it")
    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/steps/{step.pk}/edit/", {"title": ""}
    )
    assert response.status_code == 200
    assert "field-invalid" in response.text
    step.refresh_from_db()
    assert step.title == "Send it"


@pytest.mark.parametrize(
    ("title", "direction", "order"),
    [
        ("Send it", "up", ["Pick one person", "Send it", "Write a first line"]),
        ("Pick one person", "down", ["Write a first line", "Pick one person", "Send it"]),
        ("Pick one person", "up", ["Pick one person", "Write a first line", "Send it"]),
        ("Send it", "down", ["Pick one person", "Write a first line", "Send it"]),
        ("Send it", "sideways", ["Pick one person", "Write a first line", "Send it"]),
    ],
)
def test_moving_a_step_swaps_it_with_its_neighbour(world, goal, title, direction, order):
    step = goal.steps.get(title=title)
    response = world.as_("client").post(f"/me/steps/{step.pk}/move/", {"direction": direction})
    assert response["Location"] == f"/me/goals/{goal.pk}/#step-{step.pk}"
    assert _titles(goal) == order


def test_a_move_works_when_steps_share_a_position(world, goal):
    goal.steps.update(position=0)  # as older data may have it
    last = goal.steps.order_by("id").last()
    world.as_("client").post(f"/me/steps/{last.pk}/move/", {"direction": "up"})
    assert _titles(goal) == ["Pick one person", "Send it", "Write a first line"]
    assert sorted(goal.steps.values_list("position", flat=True)) == [0, 1, 2]


def test_deleting_a_step_asks_first_then_deletes_it_and_keeps_its_win(world, goal):
    step = goal.steps.get(title="Pick one person")
    http = world.as_("client")
    http.post(f"/me/steps/{step.pk}/done/")
    url = f"/me/steps/{step.pk}/delete/"

    asked = http.post(url)
    assert asked.status_code == 200
    assert "Delete this step?" in asked.text
    assert Step.objects.filter(pk=step.pk).exists()

    response = http.post(url, {"confirmed": "1"})
    assert response["Location"] == f"/me/goals/{goal.pk}/"
    assert not Step.objects.filter(pk=step.pk).exists()
    assert Win.objects.filter(client=world.client, source=f"step:{step.pk}").exists()
    assert AuditEvent.objects.filter(action="delete", target=f"step:{step.pk}").exists()


def test_deleting_a_goal_asks_first_then_deletes_its_steps_and_reviews(world, goal):
    http = world.as_("therapist")
    http.post(
        f"/clients/{world.client.pk}/goals/{goal.pk}/review/",
        {"reviewed_on": "2026-11-01", "level": "0"},
    )
    url = f"/clients/{world.client.pk}/goals/{goal.pk}/delete/"
    assert "Delete this goal?" in http.post(url).text
    assert Goal.objects.filter(pk=goal.pk).exists()

    response = http.post(url, {"confirmed": "1"})

    assert response["Location"] == f"/clients/{world.client.pk}/goals/"
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert not Step.objects.filter(goal_id=goal.pk).exists()
    assert not GoalReview.objects.filter(goal_id=goal.pk).exists()
    assert AuditEvent.objects.filter(action="delete", target=f"goal:{goal.pk}").exists()


def test_another_clients_step_and_goal_cannot_be_changed(world):
    foreign = make_goal(world.other_client, steps=["Theirs"])
    step = foreign.steps.get()
    http = world.as_("client")
    assert http.post(f"/me/steps/{step.pk}/edit/", {"title": "Mine now"}).status_code == 404
    assert http.post(f"/me/steps/{step.pk}/move/", {"direction": "up"}).status_code == 404
    assert http.post(f"/me/steps/{step.pk}/delete/", {"confirmed": "1"}).status_code == 404
    assert http.post(f"/me/goals/{foreign.pk}/delete/", {"confirmed": "1"}).status_code == 404
    assert Step.objects.filter(pk=step.pk, title="Theirs").exists()
    assert Goal.objects.filter(pk=foreign.pk).exists()


def test_achieved_and_set_aside_goals_fold_away(world, goal):
    make_goal(world.client, title="Finished one", status=Goal.Status.ACHIEVED)
    make_goal(world.client, title="Paused one", status=Goal.Status.SET_ASIDE)
    page = world.as_("client").get("/me/goals/").text
    start = page.index('<details class="goals-folded">')
    folded = page[start : page.index("</details>", start)]
    assert "Achieved or set aside (2)" in folded
    assert "Finished one" in folded and "Paused one" in folded
    assert goal.title not in folded and goal.title in page


def _today_steps(client, day=datetime.date(2026, 11, 24)):
    return [
        (item.title, item.detail)
        for item in happenings.due_items(client=client, day=day)
        if item.key.startswith("step:")
    ]


def test_today_shows_the_next_undated_step_of_each_active_goal(world, goal):
    other = make_goal(world.client, title="Join a club", steps=["Look at the list"])
    make_goal(world.client, title="Paused", status=Goal.Status.SET_ASIDE, steps=["Not now"])
    dated = make_goal(world.client, title="Dated", steps=["On its day"])
    dated.steps.update(scheduled_for=datetime.date(2026, 11, 30))

    assert _today_steps(world.client) == [
        ("Look at the list", f"Next step toward “{other.title}”"),
        ("Pick one person", f"Next step toward “{goal.title}”"),
    ]
    world.as_("client").post(f"/me/steps/{goal.steps.get(position=0).pk}/done/")
    assert [title for title, _detail in _today_steps(world.client)] == [
        "Look at the list",
        "Write a first line",
    ]


def test_the_steps_for_today_take_one_query(world, django_assert_num_queries):
    from outward.goals.selectors import steps_for_today

    for n in range(5):
        make_goal(world.client, title=f"Goal {n}", steps=["One", "Two"])
    with django_assert_num_queries(1):
        dated, following = steps_for_today(client=world.client, day=datetime.date(2026, 11, 26))
    assert dated == [] and [step.title for step in following] == ["One"] * 5

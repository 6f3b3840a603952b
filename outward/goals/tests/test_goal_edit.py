"""Editing a goal: fields, status, validation, and a goal of another client."""

import datetime

import pytest

from outward.care.models import AuditEvent
from outward.goals.models import Goal

from .helpers import make_goal, weekly_goal


def edit_url(world, persona, goal):
    if persona == "client":
        return f"/me/goals/{goal.pk}/edit/"
    return f"/clients/{world.client.pk}/goals/{goal.pk}/edit/"


def form_data(**change):
    return {
        "title": "Say hello to a neighbour twice a month",
        "specific": "Greet a neighbour",
        "measurable": "",
        "achievable": "",
        "relevant": "",
        "target_date": "2027-01-31",
        "cadence_count": "2",
        "cadence_period": "month",
        "counts_kind": "",
        "weight": "3",
        "status": "active",
        **change,
    }


def test_edit_form_is_prefilled(world):
    goal = weekly_goal(world.client, specific="Text Sam", weight=2)
    response = world.as_("therapist").get(edit_url(world, "therapist", goal))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["title"] == goal.title and initial["specific"] == "Text Sam"
    assert (initial["cadence_count"], initial["cadence_period"]) == (1, "week")
    assert (initial["weight"], initial["status"]) == (2, "active")
    assert "steps" not in response.context["form"].fields  # steps are edited on the goal page


@pytest.mark.parametrize("persona", ["therapist", "client"])
def test_edit_saves_fields_and_status_and_is_audited(world, persona):
    goal = weekly_goal(world.client, steps=["Pick one person"])

    response = world.as_(persona).post(edit_url(world, persona, goal), form_data(status="achieved"))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/goals/{goal.pk}/")
    goal.refresh_from_db()
    assert goal.title == "Say hello to a neighbour twice a month"
    assert (goal.cadence_count, goal.cadence_period) == (2, "month")
    assert goal.target_date == datetime.date(2027, 1, 31)
    assert (goal.weight, goal.status) == (3, Goal.Status.ACHIEVED)
    assert goal.author == world.client.user  # the author stays who wrote it
    assert goal.steps.count() == 1
    event = AuditEvent.objects.get(action="update", target=f"goal:{goal.pk}")
    assert event.actor == world.user(persona)


def test_removing_the_cadence_clears_both_fields(world):
    goal = weekly_goal(world.client)
    world.as_("client").post(
        edit_url(world, "client", goal), form_data(cadence_count="", cadence_period="")
    )
    goal.refresh_from_db()
    assert (goal.cadence_count, goal.cadence_period) == (None, "")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence_count": "3", "cadence_period": ""}, "cadence_period"),
        ({"cadence_count": "", "cadence_period": "week"}, "cadence_count"),
        ({"cadence_count": "51"}, "cadence_count"),
        ({"title": ""}, "title"),
        ({"status": "deleted"}, "status"),
        ({"target_date": "31/31/2026"}, "target_date"),
    ],
)
def test_bad_edit_changes_nothing(world, change, field):
    goal = weekly_goal(world.client)
    response = world.as_("client").post(edit_url(world, "client", goal), form_data(**change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    goal.refresh_from_db()
    assert (goal.title, goal.cadence_count, goal.status) == (
        "Reach out to a friend weekly",
        1,
        "active",
    )
    assert not AuditEvent.objects.filter(action="update", target=f"goal:{goal.pk}").exists()


def test_goal_of_another_client_is_404_through_my_client(world):
    foreign = make_goal(world.other_client, title="Olive's goal")
    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/goals/{foreign.pk}/edit/", form_data()
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Olive's goal"


def test_client_cannot_edit_another_clients_goal(world):
    foreign = make_goal(world.other_client, title="Olive's goal")
    response = world.as_("client").post(f"/me/goals/{foreign.pk}/edit/", form_data())
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Olive's goal"

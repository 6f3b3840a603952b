"""Creating a goal: on the therapist's side (/clients/<id>/goals/new/) and the client's (/me/)."""

import datetime

import pytest

from outward.care.models import AuditEvent
from outward.goals.models import Goal, Step

GOAL = {
    "title": "Reach out to a friend weekly",
    "specific": "Text Sam or call my sister",
    "measurable": "Once a week",
    "achievable": "A short message is enough for me",
    "relevant": "I miss the people I lost touch with",
    "target_date": "2026-12-31",
    "cadence_count": "1",
    "cadence_period": "week",
    "counts_kind": "journal.contact.reached_out",
    "gas_minus2": "No contact at all",
    "gas_minus1": "Thought about it",
    "gas_0": "One message a week",
    "gas_plus1": "Two a week",
    "gas_plus2": "Met someone in person",
    "weight": "2",
    "steps": "Write down two people\n\n   Choose one  \nSend it\n",
}


def new_url(world, persona):
    return "/me/goals/new/" if persona == "client" else f"/clients/{world.client.pk}/goals/new/"


@pytest.mark.parametrize(
    ("persona", "detail_prefix"),
    [("therapist", "/clients/{client}/goals/"), ("client", "/me/goals/")],
)
def test_create_saves_the_goal_its_author_and_its_steps_in_order(world, persona, detail_prefix):
    response = world.as_(persona).post(new_url(world, persona), GOAL)

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_prefix.format(client=world.client.pk) + f"{goal.pk}/"
    assert goal.client == world.client
    assert goal.author == world.user(persona)
    assert (goal.title, goal.specific, goal.measurable) == (
        "Reach out to a friend weekly",
        "Text Sam or call my sister",
        "Once a week",
    )
    assert (goal.achievable, goal.relevant) == (
        "A short message is enough for me",
        "I miss the people I lost touch with",
    )
    assert goal.target_date == datetime.date(2026, 12, 31)
    assert (goal.cadence_count, goal.cadence_period) == (1, "week")
    assert goal.counts_kind == "journal.contact.reached_out"
    assert (goal.gas_minus2, goal.gas_0, goal.gas_plus2) == (
        "No contact at all",
        "One message a week",
        "Met someone in person",
    )
    assert goal.weight == 2
    assert goal.status == Goal.Status.ACTIVE
    steps = list(goal.steps.order_by("position"))
    assert [(s.position, s.title) for s in steps] == [
        (0, "Write down two people"),
        (1, "Choose one"),
        (2, "Send it"),
    ]
    assert {(s.client, s.author, s.done_at) for s in steps} == {
        (world.client, world.user(persona), None)
    }
    event = AuditEvent.objects.get(action="create", target=f"goal:{goal.pk}")
    assert (event.client, event.actor) == (world.client, world.user(persona))


def test_a_goal_without_cadence_or_steps_is_fine(world):
    response = world.as_("client").post("/me/goals/new/", {"title": "Join a choir", "weight": "1"})
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.cadence_count, goal.cadence_period, goal.target_date) == (None, "", None)
    assert not goal.steps.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cadence_count": "2", "cadence_period": ""}, "cadence_period", "Choose week or month."),
        ({"cadence_count": "", "cadence_period": "week"}, "cadence_count", "How many times"),
        ({"cadence_count": "0"}, "cadence_count", "greater than or equal to 1"),
        ({"cadence_count": "51"}, "cadence_count", "less than or equal to 50"),
        ({"steps": "A fine step\n" + "x" * 201}, "steps", "Keep each step under 200"),
        ({"steps": "\n".join(f"Step {n}" for n in range(21))}, "steps", "Twenty steps at most"),
        ({"target_date": "2026-02-30"}, "target_date", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
        ({"title": "   "}, "title", "This field is required."),
        ({"weight": "5"}, "weight", "Select a valid choice."),
        ({"counts_kind": "journal.secret"}, "counts_kind", "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("persona", ["therapist", "client"])
def test_bad_input_shows_field_errors_and_saves_nothing(world, persona, change, field, message):
    audit_before = AuditEvent.objects.count()

    response = world.as_(persona).post(new_url(world, persona), {**GOAL, **change})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert message.split("“")[0] in response.text
    assert "Please check these and try again:" in response.text
    assert not Goal.objects.exists() and not Step.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_step_of_exactly_200_characters_is_accepted(world):
    response = world.as_("client").post("/me/goals/new/", {**GOAL, "steps": "y" * 200})
    assert response.status_code == 302
    assert Step.objects.get().title == "y" * 200


def test_starting_point_prefills_the_form(world):
    response = world.as_("client").get("/me/goals/new/", {"start": "reach_out"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "Reach out to a friend weekly"
    assert (form.initial["cadence_count"], form.initial["cadence_period"]) == (1, "week")
    assert form.initial["counts_kind"] == "journal.contact.reached_out"
    assert (
        form.initial["steps"].splitlines()[0] == "Write down two people I would like to hear from"
    )
    assert len(form.initial["steps"].splitlines()) == 4
    assert 'value="Reach out to a friend weekly"' in response.text
    assert '<option value="week" selected>' in response.text
    assert not Goal.objects.exists()


def test_therapist_gets_the_same_starting_points(world):
    response = world.as_("therapist").get(
        f"/clients/{world.client.pk}/goals/new/", {"start": "event"}
    )
    form = response.context["form"]
    assert form.initial["title"] == "Attend one social event per month"
    assert form.initial["cadence_period"] == "month"


@pytest.mark.parametrize("start", ["nope", "", "__class__", "steps"])
def test_unknown_starting_point_is_ignored(world, start):
    response = world.as_("client").get("/me/goals/new/", {"start": start})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_goals_page_links_every_starting_point(world):
    text = world.as_("client").get("/me/goals/").text
    for key in ["event", "reach_out", "neighbour", "class", "invite"]:
        assert f'href="/me/goals/new/?start={key}"' in text


def test_check_my_goal_shows_the_smart_check_and_saves_nothing(world):
    audit_before = AuditEvent.objects.count()

    response = world.as_("client").post("/me/goals/new/", {**GOAL, "check": "1"})

    assert response.status_code == 200
    assert [c.key for c in response.context["check"]] == [
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
    ]
    assert all(criterion.passed for criterion in response.context["check"])
    assert response.text.count('class="criterion criterion-pass"') == 5
    # What was typed stays in the form, ready to save.
    assert 'value="Reach out to a friend weekly"' in response.text
    assert not Goal.objects.exists() and not Step.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_check_my_goal_gives_hints_for_a_vague_goal(world):
    response = world.as_("client").post(
        "/me/goals/new/", {"title": "Be less lonely", "weight": "1", "check": "1"}
    )
    check = {criterion.key: criterion for criterion in response.context["check"]}
    assert not any(criterion.passed for criterion in check.values())
    assert "What would you actually do?" in response.text
    assert response.text.count('class="criterion criterion-hint"') == 5
    assert not Goal.objects.exists()


def test_check_my_goal_with_bad_input_shows_errors_not_the_check(world):
    response = world.as_("client").post(
        "/me/goals/new/", {**GOAL, "cadence_count": "0", "check": "1"}
    )
    assert response.status_code == 200
    assert response.context["check"] is None
    assert "cadence_count" in response.context["form"].errors
    assert not Goal.objects.exists()


def test_a_starting_point_shows_its_smart_check_at_once(world):
    response = world.as_("client").get("/me/goals/new/", {"start": "reach_out"})
    assert [criterion.key for criterion in response.context["check"]][0] == "specific"
    assert response.text.count('<li class="criterion ') == 5


def test_after_posting_the_check_is_of_what_was_typed_not_the_starting_point(world):
    # The form posts back to its own URL, ?start=... included.
    response = world.as_("client").post(
        "/me/goals/new/?start=reach_out",
        {"title": "Be less lonely", "cadence_count": "0", "weight": "1", "check": "1"},
    )
    assert response.status_code == 200
    assert "cadence_count" in response.context["form"].errors
    check = response.context["check"]
    assert check is None or not any(criterion.passed for criterion in check)
    assert not Goal.objects.exists()


def test_a_past_target_date_is_saved_with_a_warning_and_shown_as_passed(world, time_machine):
    from .helpers import local

    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    http = world.as_("client")
    response = http.post("/me/goals/new/", {**GOAL, "target_date": "2026-11-01"}, follow=True)

    assert Goal.objects.get().target_date == datetime.date(2026, 11, 1)
    assert "The target date, 1 November 2026, has already passed." in response.text
    assert "(that date has passed — a new one may fit better)" in response.text
    assert "(date passed)" in http.get("/me/goals/").text


def test_a_target_date_ahead_brings_no_warning(world, time_machine):
    from .helpers import local

    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    response = world.as_("client").post("/me/goals/new/", GOAL, follow=True)
    assert "has already passed" not in response.text and "date passed" not in response.text


def test_the_form_asks_the_client_about_you_and_the_care_team_about_the_client(world):
    name = world.client.short_name
    therapists = world.as_("therapist").get(new_url(world, "therapist")).text
    clients = world.as_("client").get(new_url(world, "client")).text
    assert f"What exactly will {name} do?" in therapists and "Your goal" not in therapists
    assert "What exactly will you do?" in clients and "Your goal" in clients

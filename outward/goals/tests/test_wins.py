"""Wins: noticed by Outward (targets met, firsts, steps, the check-in's win of the week) or
written by hand, and a therapist's acknowledgement the client gets to read."""

import pytest

from outward.care.models import AuditEvent
from outward.goals.models import Win

from .helpers import local, make_goal, weekly_goal

QUIET_WEEK = {
    "mood": "5",
    "loneliness": "5",
    "meaningful_interactions": "0",
    "in_person": "0",
    "online": "0",
}


def did_it(world, time_machine, goal, when):
    time_machine.move_to(when, tick=False)
    response = world.as_("client").post(f"/me/goals/{goal.pk}/did-it/", {"next": "/today/"})
    assert response.status_code == 302
    assert response["Location"] == "/today/"


def target_wins(client):
    return list(
        Win.objects.filter(client=client, kind=Win.Kind.TARGET)
        .order_by("id")
        .values_list("source", "text")
    )


def test_meeting_the_weekly_target_records_one_win_per_week(world, time_machine):
    goal = weekly_goal(world.client, times=1)

    did_it(world, time_machine, goal, local(2026, 11, 24, 9, 0))
    assert target_wins(world.client) == [
        (
            f"target:{goal.pk}:2026-11-23",
            "Target met: “Reach out to a friend weekly” this week",
        )
    ]

    did_it(world, time_machine, goal, local(2026, 11, 26, 9, 0))  # same week: no second win
    assert len(target_wins(world.client)) == 1
    assert goal.check_ins.count() == 2

    did_it(world, time_machine, goal, local(2026, 12, 1, 9, 0))  # next week: another
    assert [source for source, _text in target_wins(world.client)] == [
        f"target:{goal.pk}:2026-11-23",
        f"target:{goal.pk}:2026-11-30",
    ]


def test_the_win_comes_only_when_the_target_is_reached(world, time_machine):
    goal = weekly_goal(world.client, times=2)
    did_it(world, time_machine, goal, local(2026, 11, 23, 9, 0))
    assert target_wins(world.client) == []
    did_it(world, time_machine, goal, local(2026, 11, 24, 9, 0))
    assert len(target_wins(world.client)) == 1


def test_the_target_week_is_the_clients_week_across_dst(world, time_machine):
    goal = weekly_goal(world.client, times=1)
    did_it(world, time_machine, goal, local(2026, 11, 1, 23, 30))  # Sunday night, clocks back
    did_it(world, time_machine, goal, local(2026, 11, 2, 0, 30))  # Monday: a new week
    assert [source for source, _text in target_wins(world.client)] == [
        f"target:{goal.pk}:2026-10-26",
        f"target:{goal.pk}:2026-11-02",
    ]


def test_a_monthly_target_win_says_this_month(world, time_machine):
    goal = make_goal(world.client, title="Attend an event", cadence_count=1, cadence_period="month")
    did_it(world, time_machine, goal, local(2026, 11, 30, 23, 30))
    assert target_wins(world.client) == [
        (f"target:{goal.pk}:2026-11-01", "Target met: “Attend an event” this month")
    ]


def test_a_finished_step_counts_toward_the_target(world, time_machine):
    goal = weekly_goal(world.client, times=1, steps=["Send the message"])
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    world.as_("client").post(f"/me/steps/{goal.steps.get().pk}/done/")
    assert [source for source, _text in target_wins(world.client)] == [
        f"target:{goal.pk}:2026-11-23"
    ]


def test_a_logged_contact_of_the_goals_kind_meets_the_target(world, time_machine):
    goal = weekly_goal(world.client, times=1, counts_kind="journal.contact.reached_out")
    other = weekly_goal(world.client, times=1, title="Go to an event", counts_kind="")
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)

    response = world.as_("client").post("/me/journal/contacts/", {"kind": "reached_out"})

    assert response.status_code == 302
    assert [source for source, _text in target_wins(world.client)] == [
        f"target:{goal.pk}:2026-11-23"
    ]
    assert not Win.objects.filter(source__startswith=f"target:{other.pk}:").exists()


def test_a_contact_of_another_kind_does_not_meet_the_target(world, time_machine):
    weekly_goal(world.client, times=1, counts_kind="journal.contact.reached_out")
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    world.as_("client").post("/me/journal/contacts/", {"kind": "event"})
    assert target_wins(world.client) == []


def test_a_contact_logged_by_the_therapist_in_session_counts_too(world, time_machine):
    goal = weekly_goal(world.client, times=1, counts_kind="journal.contact.met_up")
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    world.as_("therapist").post(f"/clients/{world.client.pk}/journal/contacts/", {"kind": "met_up"})
    assert [source for source, _text in target_wins(world.client)] == [
        f"target:{goal.pk}:2026-11-23"
    ]


def test_set_aside_goals_earn_no_target_wins(world, time_machine):
    goal = weekly_goal(world.client, times=1, counts_kind="journal.contact.reached_out")
    goal.status = "set_aside"
    goal.save()
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    world.as_("client").post("/me/journal/contacts/", {"kind": "reached_out"})
    assert target_wins(world.client) == []


def test_first_times_are_wins_once(world, time_machine):
    goal = weekly_goal(world.client, times=5, steps=["A step"])
    http = world.as_("client")
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)

    http.post(f"/me/goals/{goal.pk}/did-it/")
    http.post(f"/me/goals/{goal.pk}/did-it/")
    http.post("/me/journal/contacts/", {"kind": "event"})
    http.post("/me/journal/contacts/", {"kind": "event"})
    http.post(f"/me/steps/{goal.steps.get().pk}/done/")

    firsts = dict(
        Win.objects.filter(client=world.client, kind=Win.Kind.FIRST).values_list("source", "text")
    )
    assert firsts == {
        "first:goals.did_it": "A first: you did something toward a goal",
        "first:journal.contact.event": "A first: you went to a group or event",
    }  # a finished step is celebrated as a step, not as a first


def test_the_check_ins_win_of_the_week_becomes_a_win(world, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    response = world.as_("client").post(
        "/me/check-in/",
        {
            "mood": "6",
            "loneliness": "4",
            "meaningful_interactions": "2",
            "in_person": "1",
            "online": "1",
            "win": "Spoke up at the book club",
        },
    )
    assert response.status_code == 302
    win = Win.objects.get(client=world.client, kind=Win.Kind.OWN)
    assert win.text == "Spoke up at the book club"
    assert win.source.startswith("journal.checkin:")
    assert "Spoke up at the book club" in world.as_("client").get("/me/goals/").text


def test_a_check_in_without_a_win_adds_no_own_win(world):
    world.as_("client").post(
        "/me/check-in/",
        QUIET_WEEK,
    )
    assert not Win.objects.filter(kind=Win.Kind.OWN).exists()


@pytest.mark.parametrize(
    ("persona", "url"),
    [("client", "/me/wins/"), ("therapist", "/clients/{client}/wins/")],
)
def test_add_a_win_by_hand(world, persona, url):
    response = world.as_(persona).post(
        url.format(client=world.client.pk), {"text": "Said hello to the neighbour"}
    )
    assert response.status_code == 302
    win = Win.objects.get(client=world.client)
    assert (win.kind, win.text, win.author) == (
        Win.Kind.OWN,
        "Said hello to the neighbour",
        world.user(persona),
    )
    assert AuditEvent.objects.filter(action="create", target=f"win:{win.pk}").exists()


@pytest.mark.parametrize("text", ["", "x" * 301])
def test_a_bad_win_is_not_saved(world, text):
    http = world.as_("client")
    response = http.post("/me/wins/", {"text": text})
    assert response["Location"] == "/me/goals/"
    assert not Win.objects.exists()
    assert "The win was not saved:" in http.get("/me/goals/").text


def test_acknowledgement_reaches_the_client(world):
    win = Win.objects.create(
        client=world.client, author=world.client.user, kind=Win.Kind.OWN, text="Went to the choir"
    )

    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/wins/{win.pk}/acknowledge/",
        {"message": "That took courage, well done"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{world.client.pk}/goals/"
    win.refresh_from_db()
    assert (win.acknowledged_by, win.acknowledgement) == (
        world.therapist.user,
        "That took courage, well done",
    )
    assert win.acknowledged_at is not None
    assert AuditEvent.objects.filter(action="update", target=f"win:{win.pk}").exists()
    page = world.as_("client").get("/me/goals/").text
    assert "Tara Therapist wrote:" in page
    assert "That took courage, well done" in page
    assert "/acknowledge/" not in page  # the client is never offered the therapist's form


def test_the_care_teams_message_on_a_win_shows_on_the_clients_today_for_a_week(world, time_machine):
    time_machine.move_to(local(2026, 11, 24, 9, 0), tick=False)
    win = Win.objects.create(
        client=world.client, author=world.client.user, kind=Win.Kind.OWN, text="Went to the choir"
    )
    world.as_("therapist").post(
        f"/clients/{world.client.pk}/wins/{win.pk}/acknowledge/", {"message": "Brave — well done"}
    )
    said = "Tara Therapist wrote about your win “Went to the choir”: Brave — well done"

    assert said in world.as_("client").get("/today/").text
    assert said not in world.as_("other_client").get("/today/").text
    time_machine.move_to(local(2026, 12, 2, 9, 0), tick=False)
    assert said not in world.as_("client").get("/today/").text


def test_the_care_team_reads_whose_win_it_is(world):
    Win.objects.create(
        client=world.client, author=world.client.user, kind=Win.Kind.OWN, text="Said hi"
    )
    Win.objects.create(
        client=world.client, author=world.therapist.user, kind=Win.Kind.OWN, text="Went"
    )
    name = world.client.short_name
    therapists = world.as_("therapist").get(f"/clients/{world.client.pk}/goals/").text
    assert f"{name}’s win" in therapists and "Your win" not in therapists
    assert "Added by Tara Therapist" in therapists
    assert "Your win" in world.as_("client").get("/me/goals/").text


def test_a_win_outward_noticed_can_be_acknowledged(world):
    # Noticed wins (a step done, a target met, a first) have no author.
    goal = make_goal(world.client, steps=["Send the message"])
    world.as_("client").post(f"/me/steps/{goal.steps.get().pk}/done/")
    win = Win.objects.get(kind=Win.Kind.STEP)
    assert win.author is None

    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/wins/{win.pk}/acknowledge/", {"message": "Lovely"}
    )

    assert response.status_code == 302
    win.refresh_from_db()
    assert (win.acknowledged_by, win.acknowledgement, win.author) == (
        world.therapist.user,
        "Lovely",
        None,
    )


def test_an_empty_acknowledgement_is_not_saved(world):
    win = Win.objects.create(client=world.client, kind=Win.Kind.OWN, text="Went to the choir")
    world.as_("therapist").post(
        f"/clients/{world.client.pk}/wins/{win.pk}/acknowledge/", {"message": ""}
    )
    win.refresh_from_db()
    assert (win.acknowledged_by, win.acknowledgement) == (None, "")


def test_a_win_of_another_client_cannot_be_acknowledged_through_my_client(world):
    foreign = Win.objects.create(client=world.other_client, kind=Win.Kind.OWN, text="Olive's")
    response = world.as_("therapist").post(
        f"/clients/{world.client.pk}/wins/{foreign.pk}/acknowledge/", {"message": "Hi"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.acknowledgement == ""


def test_did_it_on_a_goal_without_cadence_is_404(world):
    goal = make_goal(world.client, title="Join a choir")
    assert world.as_("client").post(f"/me/goals/{goal.pk}/did-it/").status_code == 404
    assert not goal.check_ins.exists()

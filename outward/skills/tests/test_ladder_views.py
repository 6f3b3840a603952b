"""A ladder's pages: the ladder itself (and its shared-screen view), adding, editing and
removing rungs, renaming and archiving."""

import pytest
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.goals.models import Win
from outward.skills.models import FearLadder, Rung

from .helpers import make_ladder, make_rung, set_status


def ladder_url(world, persona, ladder, rest=""):
    if persona == "client":
        return f"/me/skills/ladders/{ladder.pk}/{rest}"
    return f"/clients/{world.client.pk}/skills/ladders/{ladder.pk}/{rest}"


def rung_url(world, persona, rung, rest):
    if persona == "client":
        return f"/me/skills/rungs/{rung.pk}/{rest}"
    return f"/clients/{world.client.pk}/skills/rungs/{rung.pk}/{rest}"


def test_the_therapists_look_at_the_examples_for_a_ladder_is_audited(world):
    ladder = make_ladder(world.client)

    url = reverse("skills:rung_library", args=[world.client.pk, ladder.pk])
    assert world.as_("therapist").get(url).status_code == 200

    assert AuditEvent.objects.filter(
        actor=world.therapist.user, action="view", target=f"fearladder:{ladder.pk}"
    ).exists()


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_the_ladder_shows_rungs_in_order_and_where_the_client_is(world, persona):
    ladder = make_ladder(world.client)
    set_status(make_rung(ladder, "Say hello to a neighbour", 15), Rung.Status.DONE)
    make_rung(ladder, "Go to a group for twenty minutes", 55)
    make_rung(ladder, "Ask a question in the queue", 25)

    response = world.as_(persona).get(ladder_url(world, persona, ladder))

    assert response.status_code == 200
    text = response.text
    assert text.index("Say hello") < text.index("Ask a question") < text.index("Go to a group")
    assert text.index("You are here") < text.index("Go to a group")
    assert text.index("Ask a question") < text.index("You are here")
    assert "1 of 3 steps done" in text


def test_the_therapists_look_at_a_ladder_is_audited(world):
    ladder = make_ladder(world.client)

    world.as_("therapist").get(ladder_url(world, "therapist", ladder))

    assert AuditEvent.objects.filter(
        actor=world.therapist.user, action="view", target=f"fearladder:{ladder.pk}"
    ).exists()


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_together_is_large_type_without_the_record_around_it(world, persona):
    ladder = make_ladder(world.client)
    make_rung(ladder, "Say hello to a neighbour", 15)

    response = world.as_(persona).get(ladder_url(world, persona, ladder) + "?together=1")

    assert response.status_code == 200
    assert 'class="page together"' in response.text
    assert "Say hello to a neighbour" in response.text
    assert "/notes/" not in response.text  # no tabs: the session notes are not a click away
    assert "Leave the shared screen" in response.text
    assert "Caseload" not in response.text  # nor the therapist's navigation and its badges


def test_someone_elses_ladder_is_a_404(world):
    olives = make_ladder(world.other_client)
    rung = make_rung(olives)

    client = world.as_("client")
    assert client.get(f"/me/skills/ladders/{olives.pk}/").status_code == 404
    assert (
        client.post(
            f"/me/skills/ladders/{olives.pk}/rungs/",
            {"situation": "Sneak in", "expected_suds": "10"},
        ).status_code
        == 404
    )
    assert client.post(f"/me/skills/rungs/{rung.pk}/status/", {"status": "done"}).status_code == 404
    # Through the therapist's URL of their own client, with the other client's ladder id.
    therapist = world.as_("therapist")
    url = f"/clients/{world.client.pk}/skills/ladders/{olives.pk}/"
    assert therapist.get(url).status_code == 404
    assert world.as_("stranger").get(f"/clients/{world.client.pk}/skills/").status_code == 404
    assert Rung.objects.filter(ladder=olives).count() == 1


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_adding_a_typed_rung(world, persona):
    ladder = make_ladder(world.client)

    response = world.as_(persona).post(
        ladder_url(world, persona, ladder, "rungs/"),
        {"situation": "Phone to book a haircut", "expected_suds": "45"},
    )

    assert response.status_code == 302
    assert response["Location"] == ladder_url(world, persona, ladder)
    rung = Rung.objects.get()
    assert (rung.situation, rung.expected_suds, rung.source, rung.client) == (
        "Phone to book a haircut",
        45,
        Rung.Source.TYPED,
        world.client,
    )
    assert AuditEvent.objects.filter(action="create", target=f"rung:{rung.pk}").exists()


def test_a_suds_of_150_is_not_added_and_says_why(world):
    ladder = make_ladder(world.client)

    response = world.as_("client").post(
        ladder_url(world, "client", ladder, "rungs/"),
        {"situation": "Too much", "expected_suds": "150"},
        follow=True,
    )

    assert not Rung.objects.exists()
    assert "Not added" in response.text


def test_adding_from_the_shared_screen_returns_there(world):
    ladder = make_ladder(world.client)

    response = world.as_("therapist").post(
        ladder_url(world, "therapist", ladder, "rungs/"),
        {"situation": "Say hi", "expected_suds": "10", "together": "1"},
    )

    assert response["Location"].endswith("?together=1")


def test_editing_a_rung_moves_it_and_marks_it_done(world):
    ladder = make_ladder(world.client)
    rung = make_rung(ladder, "Say hello", 15)

    response = world.as_("client").post(
        rung_url(world, "client", rung, "edit/"),
        {"situation": "Say hello by name", "expected_suds": "30", "status": "done"},
    )

    assert response.status_code == 302
    rung.refresh_from_db()
    assert (rung.situation, rung.expected_suds, rung.status) == ("Say hello by name", 30, "done")
    assert rung.done_at is not None
    assert Win.objects.filter(client=world.client, source=f"skills.rung:{rung.pk}").exists()


def test_one_tap_done_is_a_win_once(world):
    """The ladder's one tap finishes a rung through the same service as the therapist's
    decision on the rung page: the win is announced, and a second tap adds nothing."""
    rung = make_rung(make_ladder(world.client))
    client = world.as_("client")

    for _tap in range(2):
        client.post(rung_url(world, "client", rung, "status/"), {"status": "done"})

    rung.refresh_from_db()
    assert rung.status == Rung.Status.DONE and rung.done_at is not None
    assert Win.objects.filter(client=world.client, source=f"skills.rung:{rung.pk}").count() == 1


def test_each_rung_links_to_its_attempts(world):
    ladder = make_ladder(world.client)
    rung = make_rung(ladder)

    response = world.as_("therapist").get(ladder_url(world, "therapist", ladder))
    together = world.as_("therapist").get(ladder_url(world, "therapist", ladder) + "?together=1")

    assert f'href="{rung_url(world, "therapist", rung, "")}"' in response.text
    assert f'href="{rung_url(world, "therapist", rung, "")}"' not in together.text


def test_one_tap_practising(world):
    rung = make_rung(make_ladder(world.client))

    world.as_("client").post(rung_url(world, "client", rung, "status/"), {"status": "practising"})

    rung.refresh_from_db()
    assert rung.status == Rung.Status.PRACTISING


def test_removing_a_rung_asks_first(world):
    ladder = make_ladder(world.client)
    rung = make_rung(ladder, "Say hello", 15)
    therapist = world.as_("therapist")

    asked = therapist.post(rung_url(world, "therapist", rung, "delete/"))
    assert asked.status_code == 200
    assert "Remove this step from the ladder?" in asked.text
    assert Rung.objects.exists()

    done = therapist.post(rung_url(world, "therapist", rung, "delete/"), {"confirmed": "1"})

    assert done.status_code == 302
    assert not Rung.objects.exists()
    assert AuditEvent.objects.filter(
        actor=world.therapist.user, action="update", target=f"fearladder:{ladder.pk}"
    ).exists()


def test_rename_and_archive_and_bring_back(world):
    ladder = make_ladder(world.client)
    client = world.as_("client")

    client.post(ladder_url(world, "client", ladder, "edit/"), {"title": "Speaking up"})
    ladder.refresh_from_db()
    assert ladder.title == "Speaking up"

    response = client.post(ladder_url(world, "client", ladder, "archive/"), {"archived": "1"})
    assert response["Location"] == "/me/skills/"
    ladder.refresh_from_db()
    assert ladder.archived is not None
    overview = client.get("/me/skills/").text
    assert "Archived ladders" in overview
    assert "No ladder yet" in overview

    client.post(ladder_url(world, "client", ladder, "archive/"), {"archived": ""})
    assert FearLadder.objects.get().archived is None


def test_the_ladder_page_reads_a_constant_number_of_queries(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    """As many queries for forty rungs as for one, and not many."""
    ladder = make_ladder(world.client)
    make_rung(ladder, "Situation first", 1)
    therapist = world.as_("therapist")
    url = ladder_url(world, "therapist", ladder)
    therapist.get(url)  # sessions, caches
    with django_assert_max_num_queries(20) as one_rung:
        therapist.get(url)
    for number in range(39):
        rung = make_rung(ladder, f"Situation {number}", number * 2)
        if number % 3 == 0:
            set_status(rung, Rung.Status.DONE)

    with django_assert_num_queries(len(one_rung)):
        response = therapist.get(url)

    assert response.text.count('class="rung rung-') == 40


def test_the_overview_reads_a_constant_number_of_queries(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    make_rung(make_ladder(world.client, title="Ladder first"))
    client = world.as_("client")
    client.get("/me/skills/")
    with django_assert_max_num_queries(15) as one_ladder:
        client.get("/me/skills/")
    for number in range(8):
        ladder = make_ladder(world.client, title=f"Ladder {number}")
        for step in range(6):
            make_rung(ladder, f"Step {number}.{step}", step * 10)

    with django_assert_num_queries(len(one_ladder)):
        response = client.get("/me/skills/")

    assert response.text.count('class="card stack ladder"') == 9

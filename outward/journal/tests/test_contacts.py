"""Logging a social contact (/me/journal/contacts/ and the therapist's, in session)."""

import pytest

from outward.care.models import AuditEvent
from outward.journal.models import Contact


@pytest.mark.parametrize(
    ("persona", "url", "back"),
    [
        ("client", "/me/journal/contacts/", "/me/journal/"),
        ("therapist", "/clients/{client}/journal/contacts/", "/clients/{client}/journal/"),
    ],
)
def test_log_a_contact(world, persona, url, back):
    response = world.as_(persona).post(
        url.format(client=world.client.pk),
        {"kind": "met_up", "with_whom": "Sam", "quality": "4", "note": "Coffee by the river"},
    )

    assert response.status_code == 302
    assert response["Location"] == back.format(client=world.client.pk)
    contact = Contact.objects.get()
    assert (contact.client, contact.author) == (world.client, world.user(persona))
    assert (contact.kind, contact.with_whom, contact.quality, contact.note, contact.visibility) == (
        "met_up",
        "Sam",
        4,
        "Coffee by the river",
        "shared",
    )
    assert AuditEvent.objects.filter(action="create", target=f"contact:{contact.pk}").exists()


def test_quality_is_optional(world):
    world.as_("client").post("/me/journal/contacts/", {"kind": "online", "quality": ""})
    assert Contact.objects.get().quality is None


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "party"}, {"kind": "event", "quality": "6"}, {"kind": "event", "quality": "0"}],
)
def test_a_bad_contact_is_not_logged(world, data):
    http = world.as_("client")
    response = http.post("/me/journal/contacts/", data)
    assert response["Location"] == "/me/journal/"
    assert not Contact.objects.exists()
    assert "Not logged: please say what happened." in http.get("/me/journal/").text


def test_a_private_contact_counts_for_no_shared_goal_and_makes_no_win(world):
    from outward.goals.models import Goal, Win
    from outward.goals.services import goal_create

    goal_create(
        client=world.client,
        author=world.therapist.user,
        title="Meet up with a friend weekly",
        cadence_count=1,
        cadence_period="week",
        counts_kind="journal.contact.met_up",
        ip=None,
    )
    world.as_("client").post("/me/journal/contacts/", {"kind": "met_up", "private": "on"})
    assert not Win.objects.filter(client=world.client).exists()
    page = world.as_("client").get("/me/goals/").text
    assert "0 of 1 this week" in page
    assert "met up with someone" in world.as_("client").get("/today/").text  # their own view
    assert Goal.objects.count() == 1

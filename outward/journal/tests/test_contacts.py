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
    assert (contact.kind, contact.with_whom, contact.quality, contact.note, contact.private) == (
        "met_up",
        "Sam",
        4,
        "Coffee by the river",
        False,
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

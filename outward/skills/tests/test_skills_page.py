"""The Skills overview (/me/skills/ and the therapist's tab) and making a ladder."""

import pytest

from outward.care.models import AuditEvent
from outward.skills import services
from outward.skills.models import FearLadder

PAGES = {"client": "/me/skills/", "therapist": "/clients/{client}/skills/"}


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_empty_state_invites_a_first_ladder(world, persona):
    response = world.as_(persona).get(PAGES[persona].format(client=world.client.pk))

    assert response.status_code == 200
    assert "No ladder yet" in response.text
    assert "skills/ladders/new/" in response.text


@pytest.mark.parametrize("persona", ["client", "therapist"])
def test_lists_the_clients_ladders_only(world, persona):
    services.ladder_create(
        client=world.client, author=world.client.user, title="Meeting new people", ip=None
    )
    services.ladder_create(
        client=world.other_client, author=world.other_client.user, title="Olive's ladder", ip=None
    )

    response = world.as_(persona).get(PAGES[persona].format(client=world.client.pk))

    assert "Meeting new people" in response.text
    assert "Olive" not in response.text
    assert "No ladder yet" not in response.text


def test_the_therapists_look_is_audited(world):
    world.as_("therapist").get(PAGES["therapist"].format(client=world.client.pk))

    assert AuditEvent.objects.filter(
        client=world.client, action=AuditEvent.Action.VIEW, actor=world.therapist.user
    ).exists()


def test_the_client_makes_a_ladder(world):
    response = world.as_("client").post("/me/skills/ladders/new/", {"title": "Speaking up"})

    assert response.status_code == 302
    ladder = FearLadder.objects.get(client=world.client)
    assert (ladder.title, ladder.author) == ("Speaking up", world.client.user)
    assert AuditEvent.objects.filter(client=world.client, action=AuditEvent.Action.CREATE).exists()


def test_a_stranger_cannot_reach_the_tab(world):
    response = world.as_("stranger").get(PAGES["therapist"].format(client=world.client.pk))

    assert response.status_code == 404

"""A discharged client loses the portal, the calendar feed and reminders; the care team keeps
reading the record; setting the client active again gives everything back."""

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import reverse

from outward.care import reminders, services
from outward.care.models import Client
from outward.conftest import PASSWORD
from outward.journal import services as journal_services
from outward.reports import services as report_services

CLOSED = "Your Outward space is closed"


def _set_status(world, status):
    services.client_update(
        client=world.client,
        actor=world.therapist.user,
        display_name=world.client.display_name,
        status=status,
        ip=None,
    )


def _signed_in(http):
    return "_auth_user_id" in http.session


@pytest.fixture
def discharged(world):
    _set_status(world, Client.Status.DISCHARGED)
    return world


@pytest.mark.parametrize(
    "url", ["/today/", "/me/journal/", "/me/goals/", "/me/calendar/", "/account/"]
)
def test_a_signed_in_client_is_signed_out_kindly_when_discharged(world, url):
    http = world.as_("client")
    assert http.get("/today/").status_code == 200
    _set_status(world, Client.Status.DISCHARGED)

    response = http.get(url)
    assert response.status_code == 403
    assert CLOSED in response.text and "Riverside Practice" in response.text
    assert not _signed_in(http)
    assert http.get("/today/")["Location"].startswith(reverse("accounts:login"))


def test_a_discharged_client_signing_in_is_told_and_not_let_in(discharged):
    http = HttpClient()
    response = http.post(
        reverse("accounts:login"), {"email": "casey@client.test", "password": PASSWORD}
    )
    response = http.get(response["Location"])
    assert response.status_code == 403
    assert CLOSED in response.text
    assert not _signed_in(http)


def test_a_discharged_client_cannot_post_either(discharged):
    http = discharged.as_("client")
    response = http.post("/me/journal/contacts/", {"kind": "event"})
    assert response.status_code == 403
    assert not discharged.client.contacts.exists()


def test_the_care_team_still_reads_a_discharged_clients_record(world):
    journal_services.contact_log(
        client=world.client, author=world.client.user, ip=None, kind="event", with_whom="Book club"
    )
    _set_status(world, Client.Status.DISCHARGED)
    http = world.as_("therapist")
    assert http.get(f"/clients/{world.client.pk}/").status_code == 200
    assert "Book club" in http.get(f"/clients/{world.client.pk}/journal/").text
    assert "Casey Client" in http.get("/caseload/?status=discharged").text


def test_the_calendar_feed_stops_and_comes_back(world):
    token = report_services.calendar_feed_enable(
        client=world.client, actor=world.client.user, own_wording=False, ip=None
    )
    feed = reverse("reports:calendar_feed", args=[token])
    assert HttpClient().get(feed).status_code == 200

    _set_status(world, Client.Status.DISCHARGED)
    assert HttpClient().get(feed).status_code == 404

    _set_status(world, Client.Status.ACTIVE)
    assert HttpClient().get(feed).status_code == 200


def test_setting_the_client_active_again_restores_the_portal(discharged):
    _set_status(discharged, Client.Status.ACTIVE)
    http = HttpClient()
    http.post(reverse("accounts:login"), {"email": "casey@client.test", "password": PASSWORD})
    assert http.get("/today/").status_code == 200
    assert _signed_in(http)


def test_a_paused_client_keeps_the_portal(world):
    _set_status(world, Client.Status.PAUSED)
    assert world.as_("client").get("/today/").status_code == 200


def test_a_discharged_client_gets_no_reminders(opted_in, time_machine):
    world = opted_in
    time_machine.move_to("2026-11-03 14:05:00+00:00", tick=False)
    _set_status(world, Client.Status.DISCHARGED)
    assert reminders.reminders_enqueue() == 0
    # Nor from a task enqueued before the discharge.
    assert reminders.send_reminder.call(client_id=world.client.pk, day="2026-11-03") is False
    assert mail.outbox == []

    _set_status(world, Client.Status.ACTIVE)
    assert reminders.reminders_enqueue() == 1

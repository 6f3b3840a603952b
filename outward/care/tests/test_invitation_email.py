"""Handing over an invitation: "E-mail it" sends the link just shown (no clinical content,
audited, a few an hour) and a QR code of it shows on the screen."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from outward.care.models import AuditEvent
from outward.care.services import INVITATION_EMAILS_PER_HOUR
from outward.conftest import make_client


@pytest.fixture
def pending(world):
    return make_client(world.therapist, "p@client.test", "Pending Person", joined=False)


def _invite(http, client):
    response = http.post(reverse("care:client_invitation", args=[client.pk]))
    token = re.search(r'name="token" value="([^"]+)"', response.text).group(1)
    return response, token


def _email(http, client, token):
    return http.post(reverse("care:client_invitation_email", args=[client.pk]), {"token": token})


def test_the_page_shows_a_qr_code_of_the_link(world, pending):
    response, _token = _invite(world.as_("therapist"), pending)
    assert "<svg" in response.text and "QR code of the invitation link" in response.text
    assert "To p@client.test: only the link" in response.text


def test_e_mail_it_sends_the_same_link_and_nothing_clinical(world, pending):
    http = world.as_("therapist")
    response, token = _invite(http, pending)
    link = response.context["link"]
    response = _email(http, pending, token)
    assert response.status_code == 200 and "Sent to p@client.test" in response.text
    assert response.context["link"] == link  # the same link, still on screen
    (message,) = mail.outbox
    assert message.to == ["p@client.test"] and link in message.body
    for clinical in ["Riverside", "Tara", "Pending", "therap", "goal", "anxiety"]:
        assert clinical.lower() not in (message.subject + message.body).lower()
    assert AuditEvent.objects.filter(
        client=pending, actor=world.therapist.user, action=AuditEvent.Action.INVITE_EMAIL
    ).exists()
    # The link still works: e-mailing it used nothing up.
    assert world.as_("anonymous").get(link.removeprefix("http://testserver")).status_code == 200


def test_a_few_an_hour_then_it_says_why(world, pending):
    http = world.as_("therapist")
    _response, token = _invite(http, pending)
    for _n in range(INVITATION_EMAILS_PER_HOUR):
        _email(http, pending, token)
    response = _email(http, pending, token)
    assert response.status_code == 200 and "emailed 3 times in the last hour" in response.text
    assert len(mail.outbox) == INVITATION_EMAILS_PER_HOUR


def test_an_old_or_foreign_link_is_not_sent(world, pending):
    http = world.as_("therapist")
    _response, old = _invite(http, pending)
    _invite(http, pending)  # a newer link revokes the old one
    response = _email(http, pending, old)
    assert response["Location"] == reverse("care:client_detail", args=[pending.pk])
    other = make_client(world.therapist, "o@client.test", "Other Pending", joined=False)
    _response, foreign = _invite(http, other)
    assert _email(http, pending, foreign).status_code == 302
    assert _email(http, pending, "not-a-token").status_code == 302
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.INVITE_EMAIL).exists()


def test_only_the_care_team_can_send_it(world, pending):
    _response, token = _invite(world.as_("therapist"), pending)
    assert _email(world.as_("colleague"), pending, token).status_code == 404
    assert mail.outbox == []

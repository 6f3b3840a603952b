"""Password-reset e-mails are limited per address and per address of origin, and the page
answers the same whether or not it sent one (and whether or not the account exists)."""

from django.core import mail
from django.urls import reverse

from outward.accounts.models import PasswordResetRequest
from outward.accounts.services import login_failures_prune

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")


def _ask(client, email, ip="203.0.113.5"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_per_address_limit(world, client, settings):
    settings.PASSWORD_RESET_THROTTLE_PER_ADDRESS = 3
    responses = [_ask(client, "casey@client.test", ip=f"203.0.113.{n}") for n in range(5)]
    assert [r["Location"] for r in responses] == [DONE] * 5  # the same answer every time
    assert len(mail.outbox) == 3


def test_per_ip_limit_counts_unknown_addresses_too(world, client, settings):
    settings.PASSWORD_RESET_THROTTLE_PER_IP = 4
    for number in range(4):
        _ask(client, f"nobody{number}@nowhere.test")
    assert mail.outbox == []
    response = _ask(client, "casey@client.test")
    assert response["Location"] == DONE
    assert mail.outbox == []  # this address of origin has used up its requests
    _ask(client, "casey@client.test", ip="203.0.113.77")
    assert len(mail.outbox) == 1


def test_the_window_passes_and_old_requests_are_pruned(world, client, settings, time_machine):
    settings.PASSWORD_RESET_THROTTLE_PER_ADDRESS = 1
    time_machine.move_to("2026-11-02 12:00:00+00:00", tick=False)
    _ask(client, "casey@client.test")
    _ask(client, "casey@client.test")
    assert len(mail.outbox) == 1
    time_machine.move_to("2026-11-02 13:01:00+00:00", tick=False)
    _ask(client, "casey@client.test")
    assert len(mail.outbox) == 2
    assert login_failures_prune() >= 1
    assert PasswordResetRequest.objects.count() == 1

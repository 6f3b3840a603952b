"""Turning two-step sign-in off needs the password and a current code."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from outward.care.models import SecurityEvent
from outward.conftest import PASSWORD

OFF = reverse("accounts:two_factor_disable")


def _device(user):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _code(device):
    return f"{totp(device.bin_key):06d}"


def test_off_with_password_and_code(world):
    device = _device(world.client.user)
    http = world.as_("client")
    assert "Your password" in http.get(OFF).text
    response = http.post(OFF, {"password": PASSWORD, "code": _code(device)})
    assert response["Location"] == reverse("accounts:account")
    assert not TOTPDevice.objects.filter(user=world.client.user).exists()
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.TWO_FACTOR_OFF)
    assert (event.practice, event.actor, event.before, event.after) == (
        world.practice,
        world.client.user,
        "on",
        "off",
    )


def test_a_bare_post_no_longer_turns_it_off(world):
    _device(world.client.user)
    response = world.as_("client").post(OFF)
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=world.client.user).exists()


def test_wrong_password_or_wrong_code_keeps_it_on(world):
    device = _device(world.client.user)
    http = world.as_("client")
    for data in [
        {"password": "not my password", "code": _code(device)},
        {"password": PASSWORD, "code": "000000" if _code(device) != "000000" else "111111"},
    ]:
        response = http.post(OFF, data)
        assert "The password or the code is not right" in response.text
        assert TOTPDevice.objects.filter(user=world.client.user).exists()
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.TWO_FACTOR_OFF).exists()


def test_guessing_the_password_here_is_throttled_like_signing_in(world, settings):
    device = _device(world.client.user)
    http = world.as_("client")
    for _guess in range(settings.LOGIN_THROTTLE_PER_ACCOUNT):
        http.post(OFF, {"password": "guess", "code": _code(device)})
    response = http.post(OFF, {"password": PASSWORD, "code": _code(device)})
    assert "Too many sign-in attempts" in response.text
    assert TOTPDevice.objects.filter(user=world.client.user).exists()


def test_without_an_app_the_page_goes_back_to_the_account(world):
    response = world.as_("client").get(OFF)
    assert response["Location"] == reverse("accounts:account")

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from outward.accounts.models import LoginFailure
from outward.conftest import PASSWORD

LOGIN = "/login/"


def _login(client, email, password, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def test_login_sends_therapist_to_caseload(world, client):
    response = _login(client, "TARA@riverside.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == reverse("care:caseload")


def test_login_follows_safe_next_and_ignores_foreign_next(world, client):
    response = client.post(
        LOGIN, {"email": "tara@riverside.test", "password": PASSWORD, "next": "/account/"}
    )
    assert response["Location"] == "/account/"
    client.logout()
    response = client.post(
        LOGIN, {"email": "tara@riverside.test", "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


def test_wrong_password_says_so_and_records_failure(world, client):
    response = _login(client, "tara@riverside.test", "nope")
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert LoginFailure.objects.filter(email="tara@riverside.test").count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("data", [{}, {"email": "not an email", "password": "x"}])
def test_malformed_login_gives_field_errors(world, client, data):
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert 'class="error"' in response.text


def test_account_is_throttled_after_five_failures_even_with_right_password(world, client):
    for _attempt in range(5):
        _login(client, "tara@riverside.test", "wrong")
    response = _login(client, "tara@riverside.test", PASSWORD)
    assert "Too many sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_throttle_window_passes(world, client, time_machine):
    time_machine.move_to("2026-11-02 12:00:00+00:00", tick=False)
    for _attempt in range(5):
        _login(client, "tara@riverside.test", "wrong")
    time_machine.move_to("2026-11-02 12:16:00+00:00", tick=False)
    assert _login(client, "tara@riverside.test", PASSWORD).status_code == 302


def test_address_is_throttled_across_accounts(world, client, settings):
    settings.LOGIN_THROTTLE_PER_IP = 3
    for number in range(3):
        _login(client, f"guess{number}@example.test", "wrong", REMOTE_ADDR="203.0.113.9")
    response = _login(client, "tara@riverside.test", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "Too many sign-in attempts" in response.text
    assert (
        _login(client, "tara@riverside.test", PASSWORD, REMOTE_ADDR="198.51.100.1").status_code
        == 302
    )


def test_success_clears_the_accounts_failures(world, client):
    for _attempt in range(4):
        _login(client, "tara@riverside.test", "wrong")
    assert _login(client, "tara@riverside.test", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email="tara@riverside.test").exists()


def test_invited_but_not_joined_person_cannot_sign_in(world, client):
    from outward.conftest import make_client

    make_client(world.therapist, "new@client.test", "New Person", joined=False)
    assert "do not match an account" in _login(client, "new@client.test", "anything").text


def test_two_step_login(world, client, settings):
    device = TOTPDevice.objects.create(user=world.therapist.user, name="app", confirmed=True)
    response = _login(client, "tara@riverside.test", PASSWORD)
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session  # not signed in before the code

    response = client.post(reverse("accounts:login_verify"), {"code": "000000"})
    assert "That code did not work" in response.text
    response = client.post(reverse("accounts:login_verify"), {"code": "000000"})
    assert "Wait a few seconds" in response.text  # django-otp slows down guessing
    response = client.post(reverse("accounts:login_verify"), {"code": "12"})
    assert "Enter the 6 digits" in response.text

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:login_verify"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.therapist.user.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_logout_ends_the_session(world, client):
    client.force_login(world.therapist.user)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("care:caseload")).status_code == 302


def test_prune_forgets_only_failures_outside_the_window(world, time_machine):
    from django.core.management import call_command

    time_machine.move_to("2026-11-02 12:00:00+00:00", tick=False)
    _login(world.as_("anonymous"), "old@example.test", "x")
    time_machine.move_to("2026-11-02 12:20:00+00:00", tick=False)
    _login(world.as_("anonymous"), "new@example.test", "x")
    call_command("prune_login_failures")
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["new@example.test"]


def test_session_ends_after_inactivity(world, client, time_machine):
    time_machine.move_to("2026-11-02 12:00:00+00:00", tick=False)
    _login(client, "tara@riverside.test", PASSWORD)
    time_machine.move_to("2026-11-02 12:25:00+00:00", tick=False)
    assert client.get("/caseload/").status_code == 200  # activity renews the session
    time_machine.move_to("2026-11-02 12:50:00+00:00", tick=False)
    assert client.get("/caseload/").status_code == 200
    time_machine.move_to("2026-11-02 13:21:00+00:00", tick=False)
    assert client.get("/caseload/")["Location"].startswith("/login/")


def test_knowing_the_password_does_not_reset_the_count_against_code_guessing(
    world, client, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    TOTPDevice.objects.create(user=world.therapist.user, name="app", confirmed=True)
    verify = reverse("accounts:login_verify")
    for _round in range(2):
        _login(client, "tara@riverside.test", PASSWORD)
        for _guess in range(3):
            client.post(verify, {"code": "000000"})
    response = client.post(verify, {"code": "000000"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text


def test_half_finished_two_step_sign_in_expires(world, client, time_machine):
    time_machine.move_to("2026-11-02 12:00:00+00:00", tick=False)
    TOTPDevice.objects.create(user=world.therapist.user, name="app", confirmed=True)
    _login(client, "tara@riverside.test", PASSWORD)
    time_machine.move_to("2026-11-02 12:06:00+00:00", tick=False)
    assert client.get(reverse("accounts:login_verify"))["Location"] == LOGIN


def test_throttled_sign_in_answers_429(world, client):
    for _attempt in range(5):
        _login(client, "tara@riverside.test", "wrong")
    assert _login(client, "tara@riverside.test", "wrong").status_code == 429


def test_an_old_session_without_the_code_must_sign_in_again(world):
    from outward.care import services as care_services

    http = world.as_("therapist")  # signed in before the app was set up elsewhere
    TOTPDevice.objects.create(user=world.therapist.user, name="app", confirmed=True)
    care_services.practice_settings_update(practice=world.practice, require_two_factor=True)
    response = http.get(reverse("care:caseload"))
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in http.session

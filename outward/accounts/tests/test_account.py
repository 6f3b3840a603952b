from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from outward.care import services as care_services
from outward.conftest import make_client


def test_profile_update_and_time_zone_validation(world):
    http = world.as_("client")
    response = http.post(
        reverse("accounts:account"), {"full_name": "Casey C", "time_zone": "Mars/Base"}
    )
    assert response.status_code == 200
    assert "Pick a time zone from the list" in response.text
    # Legacy names are not offered (nor "Factory"); the saved zone is, to keep.
    for legacy in ["Factory", "US/Eastern"]:
        response = http.post(reverse("accounts:account"), {"full_name": "C", "time_zone": legacy})
        assert "Pick a time zone from the list" in response.text
    page = http.get(reverse("accounts:account")).text
    assert '<option value="Europe/London">' in page and '"Factory"' not in page
    assert page.index('"Europe/London"') < page.index('"Africa/Abidjan"')
    assert 'list="id_time_zone-zones"' in page
    response = http.post(
        reverse("accounts:account"), {"full_name": "Casey C", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    world.client.user.refresh_from_db()
    assert (world.client.user.full_name, world.client.user.time_zone) == ("Casey C", "Europe/Paris")


def _setup_page(http):
    response = http.get(reverse("accounts:two_factor"))
    assert response.status_code == 200
    assert "<svg" in response.text
    return TOTPDevice.objects.get(confirmed=False)


def test_turning_on_two_step_sign_in(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the deliberate wrong code
    http = world.as_("therapist")
    device = _setup_page(http)
    url = reverse("accounts:two_factor")
    response = http.post(url, {"device": device.pk, "code": "000000"})
    assert "That code did not work" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    response = http.post(url, {"device": device.pk, "code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "is on" in http.get(url).text


def test_a_device_of_someone_else_cannot_be_confirmed(world):
    other = TOTPDevice.objects.create(user=world.colleague.user, name="x", confirmed=False)
    http = world.as_("therapist")
    response = http.post(
        reverse("accounts:two_factor"), {"device": other.pk, "code": f"{totp(other.bin_key):06d}"}
    )
    assert response.status_code == 200  # a fresh setup page for the therapist's own key
    other.refresh_from_db()
    assert not other.confirmed


def test_practice_can_require_two_step_sign_in(world):
    care_services.practice_settings_update(practice=world.practice, require_two_factor=True)
    http = world.as_("therapist")
    response = http.get(reverse("care:caseload"))
    assert response["Location"] == reverse("accounts:two_factor")
    device = _setup_page(http)
    http.post(
        reverse("accounts:two_factor"), {"device": device.pk, "code": f"{totp(device.bin_key):06d}"}
    )
    assert http.get(reverse("care:caseload")).status_code == 200
    # Required means it cannot be switched off.
    http.post(reverse("accounts:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=world.therapist.user, confirmed=True).exists()
    # Clients are not staff: the practice rule does not apply to them.
    assert world.as_("client").get(reverse("care:today")).status_code == 200


def test_password_reset_mail_has_a_link_and_nothing_clinical(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "casey@client.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "/password-reset/" in body
    assert "PRIVATE-NOTE-TEXT" not in body and "Tara" not in body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]
    response = client.post(
        form_url,
        {"new_password1": "a brand new long phrase", "new_password2": "a brand new long phrase"},
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    world.client.user.refresh_from_db()
    assert world.client.user.check_password("a brand new long phrase")


def test_password_reset_sends_nothing_to_unknown_or_not_joined(world, client):
    make_client(world.therapist, "pending@client.test", "Pending Person", joined=False)
    for email in ["nobody@example.test", "pending@client.test"]:
        response = client.post(reverse("accounts:password_reset"), {"email": email})
        assert response.status_code == 302
    assert mail.outbox == []


def test_setup_page_survives_a_malformed_device_field(world):
    response = world.as_("therapist").post(reverse("accounts:two_factor"), {"device": "abc"})
    assert response.status_code == 200
    assert "<svg" in response.text


def test_a_confirmed_app_is_not_replaced_without_turning_it_off(world):
    TOTPDevice.objects.create(user=world.therapist.user, name="app", confirmed=True)
    response = world.as_("therapist").post(reverse("accounts:two_factor"), {})
    assert "is on" in response.text
    assert TOTPDevice.objects.filter(user=world.therapist.user).count() == 1


def test_time_zone_is_checked_when_users_are_created(db):
    import pytest
    from django.core.exceptions import ValidationError

    from outward.accounts.models import User

    with pytest.raises(ValidationError):
        User.objects.create_user("x@example.test", "p", full_name="X", time_zone="Nowhere/Land")


def test_a_legacy_zone_already_saved_can_be_kept(world):
    user = world.client.user
    user.time_zone = "US/Eastern"
    user.save(update_fields=["time_zone"])
    response = world.as_("client").post(
        reverse("accounts:account"), {"full_name": "Casey C", "time_zone": "US/Eastern"}
    )
    assert response.status_code == 302

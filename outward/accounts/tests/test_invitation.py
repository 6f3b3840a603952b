import pytest
from django.urls import reverse

from outward.accounts import services
from outward.accounts.models import Invitation
from outward.conftest import make_client

NEW_PASSWORD = "a calm walk by the river"


@pytest.fixture
def invited(world):
    client = make_client(world.therapist, "new@client.test", "Nia New", joined=False)
    _invitation, token = services.invitation_create(
        user=client.user, created_by=world.therapist.user
    )
    return client, reverse("accounts:invitation_accept", args=[token])


def _accept(http, url, password=NEW_PASSWORD, again=None):
    return http.post(url, {"password": password, "password_again": again or password})


def test_accepting_sets_password_and_lands_on_today(invited, client):
    person, url = invited
    assert "Welcome, Nia" in client.get(url).text
    response = _accept(client, url)
    assert response["Location"] == reverse("home")
    assert client.get("/")["Location"] == reverse("care:today")
    person.user.refresh_from_db()
    assert person.user.is_active and person.user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=person.user).used is not None


def test_joining_sets_the_time_zone_picked_which_starts_as_the_practice_one(invited, client):
    person, url = invited
    page = client.get(url).text
    # The device's zone replaces it in the browser (outward.js); without JavaScript it stays.
    assert 'value="America/New_York"' in page and "data-prefer-device" in page
    response = client.post(
        url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "time_zone": "Factory"}
    )
    assert "Pick a time zone from the list" in response.text
    client.post(
        url,
        {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD, "time_zone": "Europe/Oslo"},
    )
    person.user.refresh_from_db()
    assert person.user.is_active and person.user.time_zone == "Europe/Oslo"


def test_used_link_shows_clear_page_and_changes_nothing(invited, client):
    person, url = invited
    _accept(client, url)
    client.logout()
    response = _accept(client, url, password="a different long password")
    assert response.status_code == 410
    assert "already been used" in response.text
    person.user.refresh_from_db()
    assert person.user.check_password(NEW_PASSWORD)


def test_expired_link(invited, client, time_machine):
    person, url = invited
    time_machine.move_to("2027-06-01 00:00:00+00:00")
    response = _accept(client, url)
    assert response.status_code == 410
    assert "expired" in response.text
    assert "Ask the person who invited you" in response.text
    person.user.refresh_from_db()
    assert not person.user.is_active and not person.user.has_usable_password()


def test_newer_link_revokes_older(world, invited, client):
    person, url = invited
    services.invitation_create(user=person.user, created_by=world.therapist.user)
    response = client.get(url)
    assert response.status_code == 410
    assert "newer invitation" in response.text


def test_unknown_link(world, client):
    response = client.get(reverse("accounts:invitation_accept", args=["made-up"]))
    assert response.status_code == 404
    assert "not valid" in response.text


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        (NEW_PASSWORD, "something else entirely", "The two passwords are different"),
        ("short", "short", "too short"),
        ("1234567890123", "1234567890123", "entirely numeric"),
        ("", "", "This field is required"),
    ],
)
def test_bad_password_is_a_field_error_and_saves_nothing(invited, client, password, again, message):
    person, url = invited
    response = client.post(url, {"password": password, "password_again": again})
    assert response.status_code == 200
    assert message in response.text
    person.user.refresh_from_db()
    assert not person.user.is_active
    assert Invitation.objects.get(user=person.user).used is None


def test_accepting_twice_in_the_service_is_refused(invited):
    person, url = invited
    token = url.rstrip("/").rsplit("/", 1)[1]
    services.invitation_accept(token=token, password=NEW_PASSWORD)
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=token, password="another long password")


def test_no_link_for_someone_who_has_joined(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.invitation_create(user=world.client.user, created_by=world.therapist.user)


def test_an_open_link_cannot_reset_the_password_of_someone_who_joined(invited, client):
    person, url = invited
    person.user.set_password("their own chosen password")
    person.user.is_active = True
    person.user.save()
    response = _accept(client, url)
    assert response.status_code == 410
    person.user.refresh_from_db()
    assert person.user.check_password("their own chosen password")

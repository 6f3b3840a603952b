import pytest
from django.urls import reverse

from outward.accounts.models import Invitation, User
from outward.care.models import AuditEvent, CareTeamMember, Client

CREATE = "/clients/new/"


def test_therapist_creates_a_client_and_gets_a_one_time_link(world, client):
    http = world.as_("therapist")
    response = http.post(CREATE, {"display_name": "Rae Rowan", "email": "Rae@Client.test"})
    assert response.status_code == 200
    created = Client.objects.get(display_name="Rae Rowan")
    assert created.user.email == "rae@client.test"
    assert not created.user.is_active and not created.user.has_usable_password()
    assert created.user.time_zone == "America/New_York"
    assert CareTeamMember.objects.filter(client=created, therapist=world.therapist).exists()
    link = response.context["link"]
    assert link.startswith("http://testserver/invite/")
    assert 'id="invitation-link"' in response.text
    assert Invitation.objects.filter(user=created.user, used=None).count() == 1
    actions = set(AuditEvent.objects.filter(client=created).values_list("action", flat=True))
    assert actions == {"create", "invite"}
    # The link works for the client.
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200


def test_duplicate_email_is_a_field_error(world):
    http = world.as_("therapist")
    for email in ["casey@client.test", "TARA@riverside.test"]:
        response = http.post(CREATE, {"display_name": "Dup", "email": email})
        assert response.status_code == 200
        assert "cannot be used for a new account" in response.text
    assert not Client.objects.filter(display_name="Dup").exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"display_name": "", "email": "x"}, {"display_name": "x" * 151, "email": "a@b.test"}],
)
def test_malformed_client_form(world, data):
    count = User.objects.count()
    response = world.as_("therapist").post(CREATE, data)
    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert User.objects.count() == count


def test_client_page_shows_header_and_is_audited(world):
    url = reverse("care:client_detail", args=[world.client.pk])
    response = world.as_("therapist").get(url, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    assert "Casey Client" in response.text and "Tara Therapist" in response.text
    event = AuditEvent.objects.filter(client=world.client, action="view").latest("id")
    assert (event.actor, event.ip, event.target) == (
        world.therapist.user,
        "192.0.2.7",
        f"client:{world.client.pk}",
    )


def test_edit_status(world):
    url = reverse("care:client_edit", args=[world.client.pk])
    http = world.as_("therapist")
    response = http.post(url, {"display_name": "Casey C.", "status": "frozen"})
    assert "Select a valid choice" in response.text
    response = http.post(url, {"display_name": "Casey C.", "status": "discharged"})
    assert response.status_code == 302
    world.client.refresh_from_db()
    assert world.client.status == "discharged"
    assert AuditEvent.objects.filter(client=world.client, action="update").exists()


def test_new_invitation_link_for_someone_who_has_not_joined(world):
    from outward.conftest import make_client

    pending = make_client(world.therapist, "p@client.test", "Pending", joined=False)
    http = world.as_("therapist")
    url = reverse("care:client_invitation", args=[pending.pk])
    first = http.post(url).context["link"]
    second = http.post(url).context["link"]
    assert first != second
    assert http.get(first.removeprefix("http://testserver")).status_code == 410


def test_no_invitation_link_for_someone_who_joined(world):
    url = reverse("care:client_invitation", args=[world.client.pk])
    response = world.as_("therapist").post(url)
    assert response["Location"] == reverse("care:client_detail", args=[world.client.pk])
    assert not Invitation.objects.filter(user=world.client.user).exists()


def test_an_address_used_in_another_practice_looks_like_any_address_in_use(world):
    """The answer is the same for a colleague's client, a stranger practice's therapist and
    a client of this practice: nothing says where (or that) the address is known."""
    http = world.as_("therapist")
    errors = [
        http.post(CREATE, {"display_name": "Dup", "email": email}).context["form"].errors
        for email in ["sven@hilltop.test", "olive@client.test", "casey@client.test"]
    ]
    assert errors[0] == errors[1] == errors[2]
    assert "Hilltop" not in str(errors[0]) and "practice" not in str(errors[0]).lower()
    admin = world.as_("admin")
    staff_errors = [
        admin.post(
            reverse("care:staff_invite"),
            {"full_name": "X", "email": email, "is_therapist": "on"},
        )
        .context["form"]
        .errors
        for email in ["sven@hilltop.test", "cole@riverside.test"]
    ]
    assert staff_errors[0] == staff_errors[1]
    assert staff_errors[0]["email"] == errors[0]["email"]


def test_the_service_says_the_same_when_two_submits_race(world):
    from django.core.exceptions import ValidationError

    from outward.accounts import services as account_services

    with pytest.raises(ValidationError) as raised:
        account_services.invited_user_create(
            email="SVEN@hilltop.test", full_name="Sven Again", time_zone="UTC"
        )
    assert raised.value.message_dict["email"] == [str(account_services.EMAIL_UNAVAILABLE)]


@pytest.mark.parametrize("client_id", [2**63 - 1, 2**63, 10**30])
def test_a_client_id_past_any_row_is_missing_not_an_error(world, client_id):
    http = world.as_("therapist")
    for path in (f"/clients/{client_id}/", f"/clients/{client_id}/notes/"):
        assert http.get(path).status_code == 404

"""An open risk alert is never left with no therapist to see it, and destructive admin
actions ask first (without JavaScript: a confirmation page, then the same POST again)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outward.care import services
from outward.care.models import CareTeamMember, Membership
from outward.conftest import raise_alert
from outward.measures import services as measure_services
from outward.measures.models import Assignment


def test_removing_the_last_therapist_of_an_open_alert_is_refused(world):
    raise_alert(world.client)
    with pytest.raises(ValidationError, match="only therapist who can see an open risk alert"):
        services.care_team_remove(
            client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
        )
    assert CareTeamMember.objects.filter(client=world.client, therapist=world.therapist).exists()


def test_with_a_colleague_on_the_team_the_removal_goes_through(world):
    raise_alert(world.client)
    services.care_team_add(
        client=world.client, therapist=world.colleague, actor=world.admin.user, ip=None
    )
    services.care_team_remove(
        client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
    )
    assert list(CareTeamMember.objects.filter(client=world.client)) == [
        CareTeamMember.objects.get(client=world.client, therapist=world.colleague)
    ]


def test_an_inactive_colleague_does_not_count(world):
    raise_alert(world.client)
    services.care_team_add(
        client=world.client, therapist=world.colleague, actor=world.admin.user, ip=None
    )
    services.staff_set_active(member=world.colleague, active=False, acting=world.admin)
    with pytest.raises(ValidationError):
        services.care_team_remove(
            client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
        )


def test_an_acknowledged_alert_does_not_block(world):
    alert = raise_alert(world.client)
    measure_services.alert_acknowledge(
        alert=alert, therapist=world.therapist.user, note="Phoned", ip=None
    )
    services.care_team_remove(
        client=world.client, therapist=world.therapist, actor=world.admin.user, ip=None
    )
    assert not CareTeamMember.objects.filter(client=world.client).exists()


def test_deactivating_the_last_therapist_of_an_open_alert_is_refused(world):
    raise_alert(world.client)
    with pytest.raises(ValidationError, match="Casey Client"):
        services.staff_set_active(member=world.therapist, active=False, acting=world.admin)
    world.therapist.refresh_from_db()
    assert world.therapist.is_active and world.therapist.user.is_active


def test_the_refusal_is_shown_to_the_admin_with_the_reason(world):
    raise_alert(world.client)
    admin = world.as_("admin")
    url = reverse("care:staff_active", args=[world.therapist.pk])
    for data in ({"active": "0"}, {"active": "0", "confirmed": "1"}):
        response = admin.post(url, data, follow=True)
        assert "only therapist who can see an open risk alert of Casey Client" in response.text
    assert Membership.objects.get(pk=world.therapist.pk).is_active
    team = reverse("care:care_team", args=[world.client.pk])
    data = {"therapist": world.therapist.pk, "remove": "1"}
    for extra in ({}, {"confirmed": "1"}):
        response = admin.post(team, data | extra, follow=True)
        assert "Add another therapist to the care team first" in response.text
    assert CareTeamMember.objects.filter(client=world.client, therapist=world.therapist).exists()


def test_deactivation_asks_first(world):
    admin = world.as_("admin")
    url = reverse("care:staff_active", args=[world.colleague.pk])
    response = admin.post(url, {"active": "0"})
    assert response.status_code == 200
    assert "Deactivate Cole Colleague?" in response.text
    assert 'name="confirmed" value="1"' in response.text
    assert f'action="{url}"' in response.text
    assert Membership.objects.get(pk=world.colleague.pk).is_active
    response = admin.post(url, {"active": "0", "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("care:practice")
    assert not Membership.objects.get(pk=world.colleague.pk).is_active
    # Reactivating is not destructive: no question.
    assert admin.post(url, {"active": "1"}).status_code == 302
    assert Membership.objects.get(pk=world.colleague.pk).is_active


def test_care_team_removal_asks_first(world):
    services.care_team_add(
        client=world.client, therapist=world.colleague, actor=world.admin.user, ip=None
    )
    admin = world.as_("admin")
    url = reverse("care:care_team", args=[world.client.pk])
    data = {"therapist": world.colleague.pk, "remove": "1"}
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "Remove Cole Colleague from the care team?" in response.text
    assert CareTeamMember.objects.filter(client=world.client, therapist=world.colleague).exists()
    assert admin.post(url, data | {"confirmed": "1"}).status_code == 302
    assert not CareTeamMember.objects.filter(
        client=world.client, therapist=world.colleague
    ).exists()


def test_stopping_a_questionnaire_asks_first(world):
    import datetime

    assignment = measure_services.assignment_create(
        client=world.client,
        actor=world.therapist.user,
        instrument_key="phq9",
        every_days=14,
        first_due=datetime.date(2026, 11, 1),
        ip=None,
    )
    url = reverse("measures:assignment_stop", args=[world.client.pk, assignment.pk])
    http = world.as_("therapist")
    response = http.post(url)
    assert response.status_code == 200 and "Stop PHQ-9 for Casey Client?" in response.text
    assert Assignment.objects.get().active
    response = http.post(url, {"confirmed": "1"})
    assert response["Location"] == reverse("measures:measures", args=[world.client.pk])
    assert not Assignment.objects.get().active
    assert world.as_("colleague").post(url, {"confirmed": "1"}).status_code == 404


def test_the_admin_sees_which_clients_have_an_open_alert_first_but_not_what(world):
    from outward.conftest import make_client

    make_client(world.therapist, "abe@client.test", "Abe Able")
    raise_alert(world.client)
    text = world.as_("admin").get(reverse("care:practice_clients")).text
    assert text.index("Casey Client") < text.index("Abe Able")
    assert "Open alert: make sure the care team sees it" in text
    assert "PHQ" not in text and "harming" not in text

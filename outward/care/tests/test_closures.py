"""Closing an account: the client asks, the practice admin decides with a reason, access ends
at once and erasure is scheduled by the practice's retention period."""

import datetime

from django.urls import reverse
from django.utils import timezone

from outward.care import closures
from outward.care.models import Client, ClosureRequest, SecurityEvent
from outward.conftest import make_client


def test_the_client_asks_and_the_admin_confirms(world):
    client_http = world.as_("client")
    response = client_http.post(reverse("care:my_closure"), {"note": "Moving away"})
    assert response.status_code == 302
    again = client_http.post(reverse("care:my_closure"), {"note": "Twice"})
    assert again.status_code == 302
    request = ClosureRequest.objects.get()  # asking twice keeps one request
    assert (request.state, request.note) == (ClosureRequest.State.PENDING, "Moving away")

    admin = world.as_("admin")
    page = admin.get(reverse("care:closure", args=[world.client.pk]))
    assert b"Moving away" in page.content
    # A reason is required: nothing changes without one.
    refused = admin.post(reverse("care:closure", args=[world.client.pk]), {"decision": "confirm"})
    assert refused.status_code == 200
    assert Client.objects.get(pk=world.client.pk).status == Client.Status.ACTIVE

    admin.post(
        reverse("care:closure", args=[world.client.pk]),
        {"decision": "confirm", "reason": "Client's request, confirmed by phone"},
    )
    client = Client.objects.select_related("user").get(pk=world.client.pk)
    assert client.status == Client.Status.CLOSED
    assert not client.user.is_active
    # Seven years (the default) after closing: the client has session notes.
    assert client.erase_after.year == timezone.now().year + 7
    # The session that was signed in is over.
    assert client_http.get(reverse("care:today")).status_code in (302, 403)
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.DELETION).count() == 1


def test_declining_needs_a_request_and_the_client_reads_the_reason(world):
    admin = world.as_("admin")
    url = reverse("care:closure", args=[world.client.pk])
    admin.post(url, {"decision": "decline", "reason": "No request"})
    assert not ClosureRequest.objects.exists()
    closures.closure_request(client=world.client, actor=world.client.user, note="", ip=None)
    admin.post(url, {"decision": "decline", "reason": "Please talk to Tara first"})
    assert ClosureRequest.objects.get().state == ClosureRequest.State.DECLINED
    assert Client.objects.get(pk=world.client.pk).status == Client.Status.ACTIVE
    page = world.as_("client").get(reverse("care:my_closure"))
    assert b"Please talk to Tara first" in page.content


def test_someone_never_in_care_is_erased_at_the_next_purge(world):
    newcomer = make_client(world.therapist, "new@client.test", "Nia Newcomer", joined=False)
    closures.closure_decide(
        client=newcomer, actor=world.admin.user, confirm=True, reason="Never started", ip=None
    )
    newcomer.refresh_from_db()
    assert newcomer.erase_after <= timezone.now()
    assert list(closures.erasure_due()) == [newcomer]


def test_the_retention_period_is_the_practices(world):
    world.practice.retention_years = 10
    world.practice.save()
    closures.closure_decide(
        client=world.client, actor=world.admin.user, confirm=True, reason="Asked", ip=None
    )
    world.client.refresh_from_db()
    expected = timezone.now() + datetime.timedelta(days=365 * 10)
    assert abs(world.client.erase_after - expected) < datetime.timedelta(days=4)


def test_another_practices_admin_gets_404(world):
    from outward.conftest import make_staff

    other_admin = make_staff(
        world.other_practice, "oz@hilltop.test", "Oz Admin", is_therapist=False, is_admin=True
    )
    http = world.as_("anonymous")
    http.force_login(other_admin.user)
    url = reverse("care:closure", args=[world.client.pk])
    assert http.post(url, {"decision": "confirm", "reason": "x"}).status_code == 404
    assert http.post(reverse("reports:admin_export", args=[world.client.pk])).status_code == 404
    assert Client.objects.get(pk=world.client.pk).status == Client.Status.ACTIVE


def test_the_care_team_cannot_reopen_or_close_an_account_by_editing(world):
    import pytest
    from django.core.exceptions import ValidationError

    from outward.care import services as care_services

    http = world.as_("therapist")
    url = reverse("care:client_edit", args=[world.client.pk])
    http.post(url, {"display_name": "Casey Client", "status": "closed"})
    assert Client.objects.get(pk=world.client.pk).status == Client.Status.ACTIVE
    closures.closure_decide(
        client=world.client, actor=world.admin.user, confirm=True, reason="Asked", ip=None
    )
    http.post(url, {"display_name": "Casey C.", "status": "active"})
    client = Client.objects.get(pk=world.client.pk)
    assert (client.display_name, client.status) == ("Casey C.", Client.Status.CLOSED)
    with pytest.raises(ValidationError):
        care_services.client_update(
            client=client, actor=world.therapist.user, display_name="x", status="active", ip=None
        )

import pytest

from outward.care.models import AuditEvent


def test_audit_events_are_append_only(world):
    event = AuditEvent.objects.filter(client=world.client).first()
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(client=world.client).update(action="view")
    with pytest.raises(ValueError, match="append-only"):
        AuditEvent.objects.filter(client=world.client).delete()


def test_forwarded_address_is_used_only_when_trusted(world, settings):
    from django.urls import reverse

    url = reverse("care:client_detail", args=[world.client.pk])
    http = world.as_("therapist")
    http.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.4")
    assert AuditEvent.objects.filter(action="view").latest("id").ip == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    http.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.4")
    assert AuditEvent.objects.filter(action="view").latest("id").ip == "198.51.100.4"

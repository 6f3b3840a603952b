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


@pytest.mark.parametrize(
    "name",
    ["care:client_detail", "care:client_edit", "care:session_notes", "care:session_note_edit"],
)
def test_every_clinical_page_view_is_audited(world, name):
    from django.urls import reverse

    note = world.client.session_notes.get()
    args = [world.client.pk, note.pk] if name.endswith("note_edit") else [world.client.pk]
    before = AuditEvent.objects.filter(action="view").count()
    assert world.as_("therapist").get(reverse(name, args=args)).status_code == 200
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    assert (event.client, event.actor) == (world.client, world.therapist.user)


def test_strangers_leave_no_view_event(world):
    from django.urls import reverse

    before = AuditEvent.objects.count()
    world.as_("colleague").get(reverse("care:client_detail", args=[world.client.pk]))
    assert AuditEvent.objects.count() == before

"""Writes for the directory and the interest inventory."""

from django.db import transaction

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice

from .directory import services as directory_services
from .interests.services import inventory_save
from .models import Interest, InterestProfile, Mark, Resource


@transaction.atomic
def resource_save(
    *, practice: Practice, resource: Resource | None = None, interests: list[Interest], **fields
) -> Resource:
    """Add a resource to the practice's directory by hand, or change one."""
    resource = resource or Resource(practice=practice, time_zone=practice.time_zone)
    for name, value in fields.items():
        setattr(resource, name, value)
    if resource.latitude is not None:
        resource.placed_in = None
    resource.full_clean()
    resource.save()
    resource.interests.set(interests)
    if resource.latitude is None and not resource.online:
        # Coordinates from the practice's centroid file, or else an area by postcode/place.
        directory_services.locate(practice=practice, resource_ids=[resource.pk])
        resource.refresh_from_db(fields=["latitude", "longitude", "placed_in"])
    return resource


def profile_save(
    *,
    client: Client,
    actor: User,
    interests: dict[Interest, int],
    free_windows: list[tuple[int, object, object]],
    ip: str | None,
    **fields,
) -> InterestProfile:
    """The client's whole interest inventory at once: interests with how much, free windows,
    needs (the inventory's pages save a step at a time through interests.services)."""
    return inventory_save(
        client=client,
        actor=actor,
        ip=ip,
        fields=fields,
        interests=interests,
        free_windows=free_windows,
    )


# Pins and hides on a client's suggestions (matching.ranking reads them).


@transaction.atomic
def mark_set(
    *, client: Client, resource: Resource, state: str, actor: User, ip: str | None
) -> Mark:
    """Pin a resource to the top of the client's suggestions, or hide it from them."""
    if resource.practice_id != client.practice_id:
        raise ValueError("A resource of another practice cannot be marked for this client.")
    mark = Mark.objects.filter(client=client, resource=resource).first()
    created = mark is None
    mark = mark or Mark(client=client, resource=resource)
    mark.state, mark.by = state, actor
    mark.full_clean()
    mark.save()
    care_services.audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=mark,
        ip=ip,
    )
    return mark


@transaction.atomic
def mark_clear(*, client: Client, resource: Resource, actor: User, ip: str | None) -> None:
    """Back to a plain suggestion (neither pinned nor hidden)."""
    mark = Mark.objects.filter(client=client, resource=resource).first()
    if mark is None:
        return
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=mark, ip=ip
    )
    mark.delete()

"""Writes for the interest inventory, one step at a time, and a practice's synonyms."""

from collections.abc import Iterable, Mapping

from django.db import transaction

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, Practice

from ..models import FreeWindow, Interest, InterestChoice, InterestProfile, InterestSynonym


@transaction.atomic
def inventory_save(
    *,
    client: Client,
    actor: User,
    ip: str | None,
    fields: Mapping[str, object] | None = None,
    interests: Mapping[Interest, int] | None = None,
    among: Iterable[Interest] | None = None,
    free_windows: list[tuple[int, object, object]] | None = None,
) -> InterestProfile:
    """Save what one step of the inventory asked, leaving the rest of the profile as it was
    (so leaving halfway loses nothing): the profile's `fields`; if `interests` is given, the
    choices among `among` (all of them when None) become exactly `interests` with their
    strengths; if `free_windows` is given, they replace the weekly windows."""
    profile, created = InterestProfile.objects.select_for_update().get_or_create(client=client)
    for name, value in (fields or {}).items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if interests is not None:
        replaced = profile.choices.all()
        if among is not None:
            replaced = replaced.filter(interest__in={*among, *interests})
        replaced.delete()
        InterestChoice.objects.bulk_create(
            InterestChoice(profile=profile, interest=interest, strength=strength)
            for interest, strength in interests.items()
        )
    if free_windows is not None:
        profile.free_windows.all().delete()
        for weekday, start, end in free_windows:
            window = FreeWindow(profile=profile, weekday=weekday, start=start, end=end)
            window.full_clean()
            window.save()
    care_services.audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=profile,
        ip=ip,
    )
    return profile


@transaction.atomic
def synonym_add(*, practice: Practice, phrase: str, interest_key: str) -> InterestSynonym:
    """A practice's own word for an interest; the same word again points it elsewhere."""
    interest = Interest.objects.get(key=interest_key)
    synonym = InterestSynonym.objects.filter(practice=practice, phrase__iexact=phrase).first()
    synonym = synonym or InterestSynonym(practice=practice)
    synonym.phrase, synonym.interest = phrase, interest
    synonym.full_clean(validate_unique=False)
    synonym.save()
    return synonym


def synonym_delete(*, practice: Practice, synonym_id: int) -> bool:
    """False when the practice has no such synonym (a 404 for the caller)."""
    deleted, _by_model = InterestSynonym.objects.filter(practice=practice, pk=synonym_id).delete()
    return bool(deleted)

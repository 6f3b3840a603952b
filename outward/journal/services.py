"""Writes for the journal. Each write tells the other rooms what happened (care.happenings)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import happenings
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client
from outward.lib.periods import local_date

from . import selectors
from .insights import RULES
from .models import (
    CheckIn,
    CheckInSchedule,
    Contact,
    InsightShare,
    MapSnapshot,
    Person,
    Reflection,
    ReflectionCadence,
)


class AlreadyCheckedIn(Exception):
    """The client has a check-in on that day already (a resubmit, or two at once)."""

    def __init__(self, check_in: CheckIn):
        super().__init__(check_in.pk)
        self.check_in = check_in


@transaction.atomic
def check_in_create(*, client: Client, author: User, ip: str | None, **fields) -> CheckIn:
    """The client's check-in for the day of `occurred` (their own day); AlreadyCheckedIn if
    there is one, so a resubmit never stores a second check-in or a second win."""
    fields.setdefault("occurred", timezone.now())
    day = local_date(fields["occurred"], client.user.time_zone)
    earlier = CheckIn.objects.filter(client=client, day=day).first()
    if earlier is not None:
        raise AlreadyCheckedIn(earlier)
    check_in = CheckIn(client=client, author=author, day=day, **fields)
    check_in.full_clean(exclude=["day"])
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError:
        # Two at once on PostgreSQL: the other one committed first.
        earlier = CheckIn.objects.filter(client=client, day=day).first()
        if earlier is None:
            raise
        raise AlreadyCheckedIn(earlier) from None
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=check_in, ip=ip
    )
    source = f"journal.checkin:{check_in.pk}"
    happenings.announce(
        client=client,
        happening=happenings.Happening(
            "journal.check_in", client.pk, check_in.occurred, "", source
        ),
    )
    if check_in.win:
        happenings.announce(
            client=client,
            happening=happenings.Happening(
                "journal.week.win", client.pk, check_in.occurred, check_in.win, source
            ),
        )
    return check_in


@transaction.atomic
def contact_log(*, client: Client, author: User, ip: str | None, **fields) -> Contact:
    contact = Contact(client=client, author=author, **fields)
    care_services.record_saved(contact, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    happenings.announce(
        client=client,
        happening=happenings.Happening(
            f"journal.contact.{contact.kind}",
            client.pk,
            contact.occurred,
            contact.get_kind_display(),
            f"journal.contact:{contact.pk}",
            private=contact.is_private(),
        ),
    )
    return contact


@transaction.atomic
def check_in_schedule_set(*, client: Client, actor: User, every_days: int, ip: str | None) -> None:
    schedule, _created = CheckInSchedule.objects.get_or_create(client=client)
    schedule.every_days = every_days
    care_services.record_saved(schedule, actor=actor, action=AuditEvent.Action.UPDATE, ip=ip)


@transaction.atomic
def insight_share_set(
    *, client: Client, actor: User, rule: str, shared: bool, ip: str | None
) -> InsightShare:
    """Share one insight (a rule of journal.insights) with the care team, or take it back.
    Only the client decides: the view is the client's alone, and this says so again."""
    if actor.pk != client.user_id:
        raise ValidationError(_("Only the client can share their insights."))
    if rule not in RULES:
        raise ValidationError(_("There is no such insight."))
    # get_or_create survives two submits at once (it reads the winner's row on a conflict).
    share, created = InsightShare.objects.get_or_create(
        client=client, rule=rule, defaults={"author": actor, "shared": shared}
    )
    action = AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE
    if not created:
        share.shared = shared
        share.save(update_fields=["shared", "updated"])
    care_services.audit_record(actor=actor, client=client, action=action, target=share, ip=ip)
    return share


# Reflections (issue 11) ------------------------------------------------------------------


@transaction.atomic
def reflection_write(*, client: Client, author: User, ip: str | None, **fields) -> Reflection:
    """A new journal entry. A shared one counts as a happening (goal cadences, wins, session
    prep); a private one is the client's alone, so the listeners are told it is private."""
    reflection = Reflection(client=client, author=author, **fields)
    care_services.record_saved(reflection, actor=author, action=AuditEvent.Action.CREATE, ip=ip)
    happenings.announce(client=client, happening=selectors.reflection_happening(reflection))
    return reflection


@transaction.atomic
def reflection_update(*, reflection: Reflection, actor: User, ip: str | None, **fields) -> None:
    """The client rewrites an entry or changes who sees it (what it is about stays)."""
    for name, value in fields.items():
        setattr(reflection, name, value)
    care_services.record_saved(
        reflection,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        ip=ip,
        update_fields=[*fields, "updated"],
    )


@transaction.atomic
def reflection_cadence_set(
    *, client: Client, actor: User, every_days: int | None, ip: str | None
) -> None:
    """How often the client is asked for a look back; None stops asking. A new or changed
    cadence counts from today, so the first look back is due one period on."""
    if every_days is None:
        cadence = ReflectionCadence.objects.filter(client=client).first()
        if cadence is not None:
            cadence.delete()
    else:
        cadence = ReflectionCadence.objects.filter(client=client).first() or ReflectionCadence(
            client=client
        )
        if cadence.every_days != every_days:
            cadence.every_days = every_days
            cadence.since = local_date(timezone.now(), client.user.time_zone)
        cadence.full_clean()
        cadence.save()
    care_services.audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.UPDATE,
        target=cadence or client,
        ip=ip,
    )


# The relationship map (issue 11) ----------------------------------------------------------


def _snapshot(*, client: Client, author: User) -> MapSnapshot:
    """The map as it stands now, kept as today's snapshot (one per client per day: a second
    change on the same day updates it in place)."""
    day = local_date(timezone.now(), client.user.time_zone)
    people = [
        {"person": pk, "circle": circle, "role": role, "touch": touch}
        for pk, circle, role, touch in Person.objects.filter(client=client, removed__isnull=True)
        .order_by("circle", "name", "pk")
        .values_list("pk", "circle", "role", "touch")
    ]
    snapshot, _created = MapSnapshot.objects.update_or_create(
        client=client, day=day, defaults={"people": people, "author": author}
    )
    return snapshot


def _map_changed(*, client: Client, actor: User, person: Person, action: str, ip) -> None:
    _snapshot(client=client, author=actor)
    care_services.audit_record(actor=actor, client=client, action=action, target=person, ip=ip)


@transaction.atomic
def person_add(*, client: Client, author: User, ip: str | None, **fields) -> Person:
    person = Person(client=client, author=author, **fields)
    person.full_clean()
    person.save()
    _map_changed(client=client, actor=author, person=person, action=AuditEvent.Action.CREATE, ip=ip)
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User, ip: str | None, **fields) -> None:
    """Move someone to another circle, or change how they are described or who sees them."""
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save(update_fields=[*fields, "updated"])
    _map_changed(
        client=person.client, actor=actor, person=person, action=AuditEvent.Action.UPDATE, ip=ip
    )


@transaction.atomic
def person_remove(*, person: Person, actor: User, ip: str | None) -> None:
    """Off the map from now on; kept for the snapshots that show them earlier."""
    person.removed = timezone.now()
    person.save(update_fields=["removed", "updated"])
    _map_changed(
        client=person.client, actor=actor, person=person, action=AuditEvent.Action.UPDATE, ip=ip
    )

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

from .insights import RULES
from .models import CheckIn, CheckInSchedule, Contact, InsightShare


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
    contact.full_clean()
    contact.save()
    care_services.audit_record(
        actor=author, client=client, action=AuditEvent.Action.CREATE, target=contact, ip=ip
    )
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
    schedule.full_clean()
    schedule.save()
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=schedule, ip=ip
    )


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

"""Writes for reports: the client's calendar feed, and the session prep they approve."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client
from outward.lib.tokens import new_token, token_digest

from .forms import AGENDA_MAX
from .models import CalendarFeed, SessionPrep
from .selectors import PrepItem


@transaction.atomic
def calendar_feed_enable(*, client: Client, actor: User, own_wording: bool, ip: str | None) -> str:
    """Turn the feed on, or give it a new link: returns the token, which is shown once and
    stored only as its digest. A link made before stops working."""
    token = new_token()
    feed = CalendarFeed.objects.select_for_update().filter(client=client).first()
    action = AuditEvent.Action.UPDATE
    if feed is None:
        feed, action = CalendarFeed(client=client), AuditEvent.Action.CREATE
    feed.token_digest = token_digest(token)
    feed.created = timezone.now()  # when this link was made, shown as "Made on"
    feed.own_wording = own_wording
    feed.full_clean()
    feed.save()
    care_services.audit_record(actor=actor, client=client, action=action, target=feed, ip=ip)
    return token


@transaction.atomic
def calendar_feed_set_wording(
    *, feed: CalendarFeed, own_wording: bool, actor: User, ip: str | None
) -> CalendarFeed:
    feed.own_wording = own_wording
    feed.full_clean()
    feed.save(update_fields=["own_wording"])
    care_services.audit_record(
        actor=actor, client=feed.client, action=AuditEvent.Action.UPDATE, target=feed, ip=ip
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, client: Client, actor: User, ip: str | None) -> bool:
    """Turn the feed off: its link stops working at once. False if it was already off."""
    feed = CalendarFeed.objects.select_for_update().filter(client=client).first()
    if feed is None:
        return False
    # Recorded before the delete, while the row still has its id.
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.UPDATE, target=feed, ip=ip
    )
    feed.delete()
    return True


@transaction.atomic
def session_prep_approve(
    *,
    client: Client,
    actor: User,
    since: datetime.datetime,
    items: Sequence[PrepItem],
    removed: int,
    agenda: Sequence[str],
    ip: str | None,
) -> SessionPrep:
    """Keep what the client approved for their next session, as they saw it: the items they
    left in, how many they took out, and their own agenda. Approving again in the same period
    replaces it. Only the client approves."""
    if actor.pk != client.user_id:
        raise ValidationError(_("Only the client can approve what they want to talk about."))
    if len(agenda) > AGENDA_MAX:
        raise ValidationError(_("At most %(max)s things, please.") % {"max": AGENDA_MAX})
    # update_or_create survives two approvals at once (one row per client and period).
    prep, created = SessionPrep.objects.update_or_create(
        client=client,
        since=since,
        defaults={
            "items": [item.as_snapshot() for item in items],
            "removed": removed,
            "agenda": list(agenda),
            "approved": timezone.now(),
        },
    )
    care_services.audit_record(
        actor=actor,
        client=client,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        target=prep,
        ip=ip,
    )
    return prep

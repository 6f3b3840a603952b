"""Reminder e-mails: at most one a day per client, only when something is due, never in quiet
hours, and never with clinical content — only "something is planned, sign in to see it".

`outward send_reminders` (from cron, e.g. every 15 minutes) enqueues a task per client whose
local time has reached their send time; the task records the day before sending, so running
the command or the worker twice sends one e-mail."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import happenings
from .models import Client, ReminderPreference, ReminderSent

UNSUBSCRIBE_SALT = "outward.reminders.unsubscribe"


def in_quiet_hours(moment: datetime.time, start: datetime.time, end: datetime.time) -> bool:
    """Quiet hours may run over midnight (21:00–08:00)."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def reminder_moment(preference: ReminderPreference, now: datetime.datetime) -> datetime.date | None:
    """The client's local day if a reminder may go now, else None."""
    local = now.astimezone(zoneinfo.ZoneInfo(preference.client.user.time_zone))
    if local.time() < preference.send_at:
        return None
    if in_quiet_hours(local.time(), preference.quiet_start, preference.quiet_end):
        return None
    return local.date()


def reminders_enqueue(*, now: datetime.datetime | None = None) -> int:
    """Enqueue today's reminder for every opted-in client whose moment has come and who has
    not had one today. Returns how many were enqueued."""
    now = now or timezone.now()
    enqueued = 0
    preferences = (
        ReminderPreference.objects.filter(email_enabled=True, client__user__is_active=True)
        .exclude(client__status__in=Client.PORTAL_CLOSED)
        .select_related("client__user")
        .order_by("pk")
    )
    for preference in preferences.iterator(chunk_size=500):
        day = reminder_moment(preference, now)
        if day is None or ReminderSent.objects.filter(client=preference.client, day=day).exists():
            continue
        send_reminder.enqueue(client_id=preference.client_id, day=day.isoformat())
        enqueued += 1
    return enqueued


@task()
def send_reminder(*, client_id: int, day: str) -> bool:
    """Send one client's reminder for one local day, once. True if an e-mail went out."""
    with transaction.atomic():
        client = Client.objects.select_related("user").get(pk=client_id)
        the_day = datetime.date.fromisoformat(day)
        if not client.portal_open():  # discharged since it was enqueued
            return False
        if not happenings.due_items(client=client, day=the_day):
            return False
        _sent, created = ReminderSent.objects.get_or_create(client=client, day=the_day)
        if not created:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Something is planned in Outward today"),
                message=_reminder_text(client),
                from_email=None,
                recipient_list=[client.user.email],
            )
    return True


def _reminder_text(client: Client) -> str:
    return "\n\n".join(
        [
            _("Hello,"),
            _("You have something planned in Outward today. Sign in to see it:"),
            settings.SITE_URL + reverse("care:today"),
            _("To stop these emails, open this link (no sign-in needed):"),
            settings.SITE_URL + reverse("care:reminders_stop", args=[unsubscribe_token(client)]),
            _(
                "Outward is not monitored in real time. In an emergency, call your local "
                "emergency number."
            ),
        ]
    )


def unsubscribe_token(client: Client) -> str:
    return signing.dumps({"client": client.pk}, salt=UNSUBSCRIBE_SALT)


def client_for_unsubscribe_token(token: str) -> Client | None:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Client.objects.filter(pk=payload.get("client")).first()

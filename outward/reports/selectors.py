"""Reads for reports: the calendar feed and what goes into it."""

import datetime

from django.db.models import QuerySet

from outward.care.models import Client
from outward.goals import selectors as goal_selectors
from outward.goals.models import Step
from outward.lib.periods import local_date
from outward.lib.tokens import token_digest
from outward.skills import selectors as skills_selectors
from outward.skills.models import Exposure

from .models import CalendarFeed, ClientExport

FEED_DAYS_BEFORE = 30  # steps planned up to this many days ago stay in the calendar
FEED_DAYS_AFTER = 180  # and steps planned this far ahead


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a calendar link opens, or None. The link is the credential, so a client whose
    account is switched off, or who was discharged, gets nothing, as they could not sign in
    either. The feed is kept, so the same link works again if the client is set active."""
    return (
        CalendarFeed.objects.select_related("client__user")
        .filter(token_digest=token_digest(token), client__user__is_active=True)
        .exclude(client__status__in=Client.PORTAL_CLOSED)
        .first()
    )


def feed_for_client(client: Client) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(client=client).first()


def feed_steps(*, feed: CalendarFeed, now: datetime.datetime) -> QuerySet[Step]:
    """The steps a feed shows: planned from a month ago to half a year ahead, counted in the
    client's own time zone. One query."""
    today = local_date(now, feed.client.user.time_zone)
    return goal_selectors.scheduled_steps(
        client=feed.client,
        start=today - datetime.timedelta(days=FEED_DAYS_BEFORE),
        end=today + datetime.timedelta(days=FEED_DAYS_AFTER),
    )


def feed_exposures(*, feed: CalendarFeed, now: datetime.datetime) -> QuerySet[Exposure]:
    """Attempts at fear-ladder rungs planned in the same window as the steps. One query."""
    today = local_date(now, feed.client.user.time_zone)
    return skills_selectors.planned_exposures(
        client=feed.client,
        start=today - datetime.timedelta(days=FEED_DAYS_BEFORE),
        end=today + datetime.timedelta(days=FEED_DAYS_AFTER),
    )


def export_for_token(*, token: str, user) -> ClientExport | None:
    """The export a download link names, for the person who asked for it only (anyone else,
    holding the link or not, gets nothing)."""
    return (
        ClientExport.objects.select_related("client__practice")
        .filter(token_digest=token_digest(token), requested_by=user)
        .first()
    )


def recent_exports(*, client: Client, user, limit: int = 5) -> list[ClientExport]:
    """The exports this person asked for of this client, newest first (a short list)."""
    return list(
        ClientExport.objects.filter(client=client, requested_by=user).order_by("-created")[:limit]
    )

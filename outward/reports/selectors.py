"""Reads for reports: the calendar feed and what goes into it, and session prep (what the
client approved to talk about, and the therapist's page for the next session), and the progress
reports."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from outward.care import happenings
from outward.care import selectors as care_selectors
from outward.care.models import Client
from outward.care.records import is_own_record
from outward.goals import selectors as goal_selectors
from outward.goals.models import Step
from outward.journal import insights as journal_insights
from outward.lib.periods import local_date, local_midnight
from outward.lib.routes import id_url
from outward.lib.tokens import token_digest
from outward.measures import selectors as measure_selectors
from outward.skills import selectors as skills_selectors
from outward.skills.models import Exposure

from .models import CalendarFeed, ClientExport, ProgressReport, SessionPrep

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


# --- Session prep -----------------------------------------------------------------------------

PREP_ITEMS_MAX = 40  # the draft lists the latest this many happenings since the last session


def prep_since(*, client: Client) -> datetime.datetime:
    """Where "since we last met" starts: the local midnight of the last session's day (the
    latest session note), or when the client was added if there has been no session. One
    query."""
    last = care_selectors.client_summary(client=client)["last_session"]
    if last is None:
        return client.created
    return local_midnight(last, client.user.time_zone)


@dataclass(frozen=True)
class PrepItem:
    key: str  # the happening's kind and source, e.g. "journal.check_in|journal.checkin:7"
    label: str  # what happened, e.g. "went to a planned group or event"
    text: str  # its short summary ("Board games", a win in the client's words), may be blank
    occurred: datetime.datetime

    def as_snapshot(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "text": self.text,
            "occurred": self.occurred.isoformat(),
        }


def shared_happenings(
    *, client: Client, since: datetime.datetime, now: datetime.datetime
) -> list[happenings.Happening]:
    """What happened in [since, now) as the care team may see it, whoever asks (nothing the
    client kept private), each shown once, oldest first. One query per room's provider."""
    return happenings.shown_once(
        happenings.happenings(client_ids=[client.pk], start=since, end=now, viewer=None)
    )


def prep_items(found: Sequence[happenings.Happening]) -> list[PrepItem]:
    """The latest of these happenings as the prep lists them, newest first."""
    labels = happenings.kinds()
    items = []
    for happening in reversed(found[-PREP_ITEMS_MAX:]):
        label = str(labels.get(happening.kind, happening.kind))
        # A contact's summary is its kind's label again: say it once.
        text = "" if happening.summary.casefold() == label.casefold() else happening.summary
        items.append(
            PrepItem(f"{happening.kind}|{happening.source}", label, text, happening.occurred)
        )
    return items


def prep_draft(*, client: Client, since: datetime.datetime, now: datetime.datetime):
    """The draft of "Before we meet": what happened since the last session, newest first, as
    the care team may see it, whoever asks. It is what the client will share, so something
    they kept private is never in it, not even for them."""
    return prep_items(shared_happenings(client=client, since=since, now=now))


def approved_prep(*, client: Client, since: datetime.datetime) -> SessionPrep | None:
    """What the client approved for the session after `since`, or None. One query."""
    return SessionPrep.objects.filter(client=client, since=since).first()


def snapshot_items(prep: SessionPrep) -> list[PrepItem]:
    """The approved items as they were approved (never recomputed)."""
    return [
        PrepItem(
            item["key"],
            item["label"],
            item["text"],
            datetime.datetime.fromisoformat(item["occurred"]),
        )
        for item in prep.items
    ]


@dataclass(frozen=True)
class TherapistPrep:
    since: datetime.datetime
    first_period: bool  # no session yet: `since` is when the client was added
    approved: SessionPrep | None
    items: list[PrepItem]  # the approved ones, or (not approved) the shared happenings
    agenda: list[str]
    alerts: list[happenings.Notice]
    due_measures: list[str]
    changed_measures: list[tuple[str, str]]  # (instrument, change in one sentence)
    goals_at_risk: list
    ready: happenings.Cell | None
    insights: list


def therapist_prep(*, client: Client, viewer, now: datetime.datetime) -> TherapistPrep:
    """Everything the therapist's prep page shows, for the care team member `viewer`. What the
    client kept private, and insights they did not share, never reach it: the happenings come
    without private ones, and the insights selector is asked as `viewer`. The queries do not
    grow with the number of records (the measures part grows with the number of instruments
    answered since the last session: a handful)."""
    since = prep_since(client=client)
    approved = approved_prep(client=client, since=since)
    today = local_date(now, client.user.time_zone)
    return TherapistPrep(
        since=since,
        first_period=since == client.created,
        approved=approved,
        items=snapshot_items(approved)
        if approved
        else prep_draft(client=client, since=since, now=now),
        agenda=list(approved.agenda) if approved else [],
        alerts=[n for n in measure_selectors.alert_notices(client) if n.urgent],
        due_measures=due_measures(client=client, today=today),
        changed_measures=measures_changed(client=client, since=since),
        goals_at_risk=goal_selectors.goals_at_risk(client=client, now=now),
        ready=skills_selectors.ready_cell([client], now).get(client.pk),
        insights=journal_insights.insights_for_viewer(client=client, viewer=viewer, now=now),
    )


def due_measures(*, client: Client, today: datetime.date) -> list[str]:
    """The names of the questionnaires due by `today`. One query."""
    return [
        measure_selectors.instrument_name(assignment.instrument_key, client.practice)
        for assignment in measure_selectors.due_assignments(client=client, day=today)
    ]


def measures_changed(*, client: Client, since: datetime.datetime) -> list[tuple[str, str]]:
    """(instrument, change in one sentence) for each questionnaire answered since `since`:
    one query, and one more per instrument answered (a handful)."""
    changed = []
    for response in measure_selectors.latest_by_instrument(client=client):
        if response.completed >= since:
            key = response.instrument_key
            summary = measure_selectors.history(client=client, instrument_key=key).summary
            changed.append(
                (
                    measure_selectors.instrument_name(key, client.practice),
                    summary or _("Answered; no earlier answer to compare with."),
                )
            )
    return changed


def prep_cell(clients: Sequence[Client], now: datetime.datetime) -> dict[int, happenings.Cell]:
    """The caseload's "Session prep" column for one page of clients: a link to each client's
    prep page, saying whether the client approved a summary since their last session. One
    query (the caseload annotates each client's last session)."""
    periods = {}
    for client in clients:
        last = getattr(client, "last_session", None)
        periods[client.pk] = local_midnight(last, client.user.time_zone) if last else client.created
    # Matched here rather than as one OR-ed condition per client, which costs more to build
    # than the query takes to run.
    approved = {
        client_id
        for client_id, since in SessionPrep.objects.filter(
            client_id__in=periods, since__in=set(periods.values())
        ).values_list("client_id", "since")
        if periods[client_id] == since
    }
    approved_text, prep_text, prep_url = _("Approved by client"), _("Prep"), id_url("reports:prep")
    return {
        client_id: happenings.Cell(
            approved_text if client_id in approved else prep_text, url=prep_url(client_id)
        )
        for client_id in periods
    }


def progress_reports(*, client: Client, viewer) -> QuerySet[ProgressReport]:
    """The client's progress reports, newest first, without their PDFs: every one for the care
    team; for the client, the versions made for them that are ready."""
    reports = ProgressReport.objects.filter(client=client).defer("pdf", "summary")
    if is_own_record(client=client, viewer=viewer):
        reports = reports.filter(
            version=ProgressReport.Version.CLIENT, status=ProgressReport.Status.READY
        )
    return reports.select_related("requested_by").order_by("-created", "-id")


def progress_report_for_client(*, client: Client, viewer, report_id: int) -> ProgressReport:
    """One of them (the PDF not read yet); 404 for missing and not theirs alike."""
    report = progress_reports(client=client, viewer=viewer).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


def progress_report_pdf(*, report: ProgressReport) -> bytes:
    return bytes(ProgressReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).get())


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

"""Writes for reports: the client's calendar feed, the session prep they approve, progress
reports (asked for here, rendered to PDF by the task worker) and the client's data export."""

import datetime
import logging
import tempfile
from collections.abc import Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from outward.accounts.models import User
from outward.care import selectors as care_selectors
from outward.care import services as care_services
from outward.care.models import AuditEvent, Client, SecurityEvent
from outward.care.records import is_own_record
from outward.lib.periods import local_date
from outward.lib.tokens import new_token, token_digest

from . import exports, pdf, progress
from .forms import AGENDA_MAX
from .models import CalendarFeed, ClientExport, ExportPart, ProgressReport, SessionPrep
from .selectors import PrepItem

logger = logging.getLogger(__name__)


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
    care_services.record_saved(
        feed, actor=actor, action=AuditEvent.Action.UPDATE, ip=ip, update_fields=["own_wording"]
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


# Progress reports ------------------------------------------------------------------------


def render_progress_pdf(
    *,
    client: Client,
    viewer: User,
    period: Sequence[datetime.date],
    sections: Sequence[str],
    version: str,
    summary: str = "",
) -> bytes:
    """A progress report as PDF bytes, made here and now with what `viewer` may see: shared
    records only for anyone but the client. `period` is (first day, last day), both included,
    in the client's time zone; `sections` are keys of progress.SECTIONS; `version` a
    ProgressReport.Version. The caller checks the viewer may read this client's record and
    records the audit event (the export calls this too)."""
    return _render(
        client=client,
        viewer=viewer,
        period=period,
        sections=sections,
        version=version,
        summary=summary,
    ).pdf


def _render(*, client, viewer, period, sections, version, summary, made=None) -> pdf.Rendered:
    start, end = period
    zone = client.user.time_zone
    context = {
        "client": client,
        "practice": client.practice,
        "viewer": viewer,
        "version": version,
        "client_version": version == ProgressReport.Version.CLIENT,
        "period": progress.Period(start, end, zone),
        "summary": summary,
        "made": made or timezone.now(),
    }
    with timezone.override(zone):
        context["sections"] = progress.build_sections(
            client=client,
            viewer=viewer,
            period=context["period"],
            sections=sections,
            version=version,
        )
        html = render_to_string("reports/pdf/report.html", context)
        css = render_to_string("reports/pdf/report.css", context)
    return pdf.html_to_pdf(html=html, css=css)


@transaction.atomic
def _report_create(*, client, actor, ip, **fields) -> ProgressReport:
    report = ProgressReport(client=client, requested_by=actor, **fields)
    care_services.record_saved(report, actor=actor, action=AuditEvent.Action.CREATE, ip=ip)
    return report


def progress_report_request(
    *,
    client: Client,
    actor: User,
    version: str,
    period_start: datetime.date,
    period_end: datetime.date,
    sections: Sequence[str],
    summary: str,
    ip: str | None,
) -> ProgressReport:
    """Ask for a progress report: kept as "waiting" and handed to the task worker, which
    renders it (under the immediate task backend of the tests, before this returns)."""
    if set(sections) - set(progress.SECTIONS) or not sections:
        raise ValueError(f"choose report sections from {sorted(progress.SECTIONS)}")
    report = _report_create(
        client=client,
        actor=actor,
        ip=ip,
        version=version,
        period_start=period_start,
        period_end=period_end,
        sections=[key for key in progress.SECTIONS if key in sections],
        summary=summary,
    )
    render_report.enqueue(report_id=report.pk)
    report.refresh_from_db()
    return report


@task()
def render_report(*, report_id: int) -> str:
    """The worker's half: render the PDF, as the therapist who asked may see the record now
    (someone who left the care team meanwhile gets no report)."""
    claimed = ProgressReport.objects.filter(
        pk=report_id, status=ProgressReport.Status.QUEUED
    ).update(status=ProgressReport.Status.RENDERING)
    if not claimed:
        return "nothing to do"
    report = ProgressReport.objects.select_related("requested_by").get(pk=report_id)
    try:
        client = care_selectors.client_for_user(
            user=report.requested_by, client_id=report.client_id
        )
        rendered = _render(
            client=client,
            viewer=report.requested_by,
            period=(report.period_start, report.period_end),
            sections=report.sections,
            version=report.version,
            summary=report.summary,
            made=report.created,
        )
    except Http404:
        _report_failed(report_id)
        return ProgressReport.Status.FAILED
    except Exception:  # a bug must not leave the page "being prepared" for ever
        _report_failed(report_id)
        raise
    ProgressReport.objects.filter(pk=report_id).update(
        status=ProgressReport.Status.READY,
        pdf=rendered.pdf,
        pages=rendered.pages,
        finished=timezone.now(),
    )
    return ProgressReport.Status.READY


def _report_failed(report_id: int) -> None:
    logger.warning("Progress report %s could not be rendered", report_id)
    ProgressReport.objects.filter(pk=report_id).update(
        status=ProgressReport.Status.FAILED, finished=timezone.now()
    )


@transaction.atomic
def progress_report_downloaded(
    *, report: ProgressReport, client: Client, actor: User, ip: str | None
) -> None:
    """Every download of a report is recorded, the client's own included: the document
    leaves Outward. The client's audit log has the look; the practice's security log has the
    export (which report, never what is in it)."""
    care_services.audit_record(
        actor=actor, client=client, action=AuditEvent.Action.VIEW, target=report, ip=ip
    )
    care_services.security_event_record(
        practice=client.practice,
        actor=actor,
        action=SecurityEvent.Action.EXPORT,
        target=f"client:{client.pk}",
        after=f"progress report {report.pk} ({report.version})",
        ip=ip,
    )


# --- The client's data export ---------------------------------------------------------------

EXPORT_KEPT_FOR = datetime.timedelta(days=7)  # an export not downloaded by then is let go
PART_BYTES = 1024 * 1024  # the ZIP is kept in parts of this size
# One export at a time per person and client: a second click, or a script, cannot fill the
# worker's queue with the same long job. One still pending after this long is taken as lost.
PENDING_FOR_AT_MOST = datetime.timedelta(hours=1)


class ExportRefused(Exception):
    pass


def export_request(*, client: Client, actor: User, ip: str | None) -> tuple[ClientExport, str]:
    """Ask the task worker for an export of everything Outward holds about `client`, as
    `actor` may see it (their private entries only when the client asks). Returns the export
    and the token of its download link, which is kept only as a digest. Audited in the client's
    record and in the practice's security log."""
    token = new_token()
    with transaction.atomic():
        care_services.client_lock(client=client)
        busy = ClientExport.objects.filter(
            client=client,
            requested_by=actor,
            state=ClientExport.State.PENDING,
            created__gt=timezone.now() - PENDING_FOR_AT_MOST,
        )
        if busy.exists():
            raise ExportRefused(
                _("An export you asked for is still being prepared. Please wait for it.")
            )
        export = ClientExport(
            client=client,
            requested_by=actor,
            includes_private=is_own_record(client=client, viewer=actor),
            token_digest=token_digest(token),
            expires=timezone.now() + EXPORT_KEPT_FOR,
        )
        care_services.record_saved(export, actor=actor, action=AuditEvent.Action.CREATE, ip=ip)
        care_services.security_event_record(
            practice=client.practice,
            actor=actor,
            action=SecurityEvent.Action.EXPORT,
            target=f"client:{client.pk}",
            after="asked for",
            ip=ip,
        )
    # The task row is written to the same database: a worker sees it once this commits.
    build_export.enqueue(export_id=export.pk)
    export.refresh_from_db()
    return export, token


def export_report_pdf(*, client: Client, viewer: User, includes_private: bool) -> bytes:
    """The progress report that goes into an export: every section with data (the summary is
    a therapist's words for one report, so not here), over the last three years or since the
    client was added; the client's version when the client asked, the care team's otherwise."""
    end = local_date(timezone.now(), client.user.time_zone)
    start = max(
        local_date(client.created, client.user.time_zone),
        end - datetime.timedelta(days=progress.MAX_PERIOD_DAYS),
    )
    version = (
        ProgressReport.Version.CLIENT if includes_private else ProgressReport.Version.CARE_TEAM
    )
    return render_progress_pdf(
        client=client,
        viewer=viewer,
        period=(start, end),
        sections=[key for key in progress.SECTIONS if key != "summary"],
        version=version,
    )


@task()
def build_export(*, export_id: int) -> str:
    """Make the ZIP of a pending export (the worker's half of `export_request`). A retry of a
    finished export does nothing."""
    export = (
        ClientExport.objects.select_related("client__practice", "client__user", "requested_by")
        .filter(pk=export_id, state=ClientExport.State.PENDING)
        .first()
    )
    if export is None:
        return "nothing to do"
    try:
        with tempfile.TemporaryFile() as spool:
            exports.write_zip(
                client=export.client,
                viewer=export.requested_by,
                includes_private=export.includes_private,
                report_pdf=export_report_pdf(
                    client=export.client,
                    viewer=export.requested_by,
                    includes_private=export.includes_private,
                ),
                target=spool,
            )
            size = spool.tell()
            spool.seek(0)
            with transaction.atomic():
                ExportPart.objects.filter(export=export).delete()
                for number, data in enumerate(iter(lambda: spool.read(PART_BYTES), b"")):
                    ExportPart.objects.create(export=export, number=number, data=data)
                ClientExport.objects.filter(pk=export.pk).update(
                    state=ClientExport.State.READY, size=size, finished=timezone.now()
                )
    except Exception:
        ClientExport.objects.filter(pk=export.pk).update(
            state=ClientExport.State.FAILED, finished=timezone.now()
        )
        raise
    return ClientExport.State.READY


def export_take(*, export: ClientExport, actor: User, ip: str | None) -> bool:
    """Use up a ready export's link: True once, for the person who asked, before it expires;
    the download then reads its parts (`export_stream`), which go as they are sent."""
    with transaction.atomic():
        taken = ClientExport.objects.filter(
            pk=export.pk,
            requested_by=actor,
            state=ClientExport.State.READY,
            expires__gt=timezone.now(),
        ).update(state=ClientExport.State.DOWNLOADED)
        if taken:
            care_services.audit_record(
                actor=actor,
                client=export.client,
                action=AuditEvent.Action.VIEW,
                target=export,
                ip=ip,
            )
            care_services.security_event_record(
                practice=export.client.practice,
                actor=actor,
                action=SecurityEvent.Action.EXPORT,
                target=f"client:{export.client_id}",
                after="downloaded",
                ip=ip,
            )
    return bool(taken)


def export_stream(*, export: ClientExport) -> Iterator[bytes]:
    """The ZIP of a taken export, part by part (one query each, one part in memory at a
    time); each part is let go once it is sent, so the link cannot be used twice."""
    numbers = list(
        ExportPart.objects.filter(export=export).order_by("number").values_list("number", flat=True)
    )
    for number in numbers:
        data = ExportPart.objects.filter(export=export, number=number).values_list(
            "data", flat=True
        )
        yield bytes(data.first() or b"")
        ExportPart.objects.filter(export=export, number=number).delete()


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Let exports (and their files) past their expiry go. Idempotent; run by `purge_due`."""
    return (
        ClientExport.objects.filter(expires__lte=now or timezone.now())
        .delete()[1]
        .get(ClientExport._meta.label, 0)
    )

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotFound, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outward.care import selectors as care_selectors
from outward.care.decorators import admin_required, audit_view, client_record
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.periods import local_date

from . import selectors, services
from .forms import PrepApproveForm, ProgressReportForm, WordingForm
from .ical import feed_ics
from .models import ProgressReport


def _calendar_page(request, *, token: str | None = None, status: int = 200):
    feed = selectors.feed_for_client(request.record_client)
    context = {
        "feed": feed,
        "wording_form": WordingForm(initial={"own_wording": feed.own_wording} if feed else None),
        # Shown only in the response that made it: the database keeps just its digest.
        "link": token
        and request.build_absolute_uri(reverse("reports:calendar_feed", args=[token])),
    }
    return render(request, "reports/my_calendar.html", context, status=status)


@client_record(care_team=False)
@never_cache
@require_http_methods(["GET"])
def my_calendar(request):
    return _calendar_page(request)


@client_record(care_team=False)
@never_cache
@require_POST
def calendar_link(request):
    """Turn the feed on, or make a new link for it (the old one stops working)."""
    client = request.record_client
    feed = selectors.feed_for_client(client)
    if feed is not None:
        own_wording = feed.own_wording
    else:
        form = WordingForm(request.POST)
        own_wording = form.is_valid() and form.cleaned_data["own_wording"]
    token = services.calendar_feed_enable(
        client=client, actor=request.user, own_wording=own_wording, ip=client_ip(request)
    )
    return _calendar_page(request, token=token)


@client_record(care_team=False)
@require_POST
def calendar_wording(request):
    feed = selectors.feed_for_client(request.record_client)
    form = WordingForm(request.POST)
    if feed is None:
        messages.info(request, _("Your calendar link is off. Turn it on first."))
    elif form.is_valid():
        services.calendar_feed_set_wording(
            feed=feed,
            own_wording=form.cleaned_data["own_wording"],
            actor=request.user,
            ip=client_ip(request),
        )
        messages.success(
            request, _("Saved. Your calendar app shows the change when it next checks.")
        )
    return redirect("reports:my_calendar")


@client_record(care_team=False)
@require_POST
def calendar_off(request):
    services.calendar_feed_revoke(
        client=request.record_client, actor=request.user, ip=client_ip(request)
    )
    messages.success(
        request,
        _("Your calendar link is off. Your calendar app removes the steps when it next checks."),
    )
    return redirect("reports:my_calendar")


@require_GET
def calendar_feed(request, token):
    """The feed a calendar app subscribes to. No sign-in: the secret link is the credential."""
    feed = selectors.feed_for_token(token)
    if feed is None:
        response = HttpResponseNotFound("Not found.", content_type="text/plain; charset=utf-8")
    else:
        now = timezone.now()
        steps = selectors.feed_steps(feed=feed, now=now)
        exposures = selectors.feed_exposures(feed=feed, now=now)
        response = HttpResponse(
            feed_ics(steps=steps, own_wording=feed.own_wording, exposures=exposures),
            content_type="text/calendar; charset=utf-8",
        )
        response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@client_record(care_team=False)
@never_cache
@require_http_methods(["GET", "POST"])
def my_prep(request):
    """The client's "Before we meet": the draft of what happened since the last session, to
    trim and add to, then approve. Once approved, the approved version shows, with a way to
    change it (`?change=1`)."""
    client = request.record_client
    now = timezone.now()
    since = selectors.prep_since(client=client)
    draft = selectors.prep_draft(client=client, since=since, now=now)
    approved = selectors.approved_prep(client=client, since=since)
    form = PrepApproveForm(
        posted(request),
        items=draft,
        initial={
            "shown": [item.key for item in draft],
            "keep": _kept_keys(approved, draft),
            "agenda": "\n".join(approved.agenda) if approved else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        keep = set(form.cleaned_data["keep"])
        services.session_prep_approve(
            client=client,
            actor=request.user,
            since=since,
            items=[item for item in draft if item.key in keep],
            removed=len(form.cleaned_data["shown"]) - len(keep),
            agenda=form.cleaned_data["agenda"],
            ip=client_ip(request),
        )
        messages.success(request, _("Approved. Your therapist will see this before you meet."))
        return redirect("reports:my_prep")
    editing = request.method == "POST" or approved is None or request.GET.get("change") == "1"
    return render(
        request,
        "reports/my_prep.html",
        {
            "client": client,
            "since": since,
            "form": form,
            "draft": draft,
            "approved": approved,
            "approved_items": selectors.snapshot_items(approved) if approved else [],
            "editing": editing,
        },
    )


def _kept_keys(approved, draft) -> list[str]:
    """Ticked when the page opens: everything, or what was kept when last approved (a new item
    since then is ticked too)."""
    if approved is None:
        return [item.key for item in draft]
    kept = {item["key"] for item in approved.items}
    before = approved.approved
    return [item.key for item in draft if item.key in kept or item.occurred > before]


@client_record(portal=False)
@require_http_methods(["GET"])
def prep(request):
    """The therapist's page for the next session: one screen, printable."""
    client = request.record_client
    audit_view(request, client)
    prep = selectors.therapist_prep(client=client, viewer=request.user, now=timezone.now())
    return render(request, "reports/prep.html", {"client": client, "tab": "prep", "prep": prep})


# Progress reports ------------------------------------------------------------------------

REPORTS_PER_PAGE = 20


def _default_period(client) -> tuple:
    """The last three months up to today, in the client's own days."""
    today = local_date(timezone.now(), client.user.time_zone)
    return today - datetime.timedelta(days=91), today


@client_record()
@require_http_methods(["GET", "POST"])
def progress_reports(request):
    """The care team: ask for a report and see those made. The client: the versions made for
    them, ready to download."""
    client = request.record_client
    if request.in_portal and request.method == "POST":
        raise Http404
    form = None
    if not request.in_portal:
        start, end = _default_period(client)
        form = ProgressReportForm(
            posted(request),
            initial={"period_start": start, "period_end": end},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            report = services.progress_report_request(
                client=client,
                actor=request.user,
                ip=client_ip(request),
                version=data["version"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                sections=data["sections"],
                summary=data["summary"],
            )
            return redirect("reports:progress_report", client_id=client.pk, report_id=report.pk)
        audit_view(request, client)
    reports = selectors.progress_reports(client=client, viewer=request.user)
    return render(
        request,
        "reports/progress_reports.html",
        {
            "client": client,
            "tab": "reports",
            "form": form,
            "reports": paginate(request, reports, per_page=REPORTS_PER_PAGE),
        },
    )


@client_record(portal=False)
@require_http_methods(["GET"])
def progress_report(request, report_id):
    """One report: "being prepared" (the page checks again by itself), then its download."""
    client = request.record_client
    report = selectors.progress_report_for_client(
        client=client, viewer=request.user, report_id=report_id
    )
    if not request.htmx:  # the page's own checks every 2 s show only the report's state
        audit_view(request, report)
    return render(
        request,
        "reports/progress_report.html",
        {"client": client, "tab": "reports", "report": report},
    )


@client_record()
@never_cache
@require_http_methods(["GET"])
def progress_report_pdf(request, report_id):
    client = request.record_client
    report = selectors.progress_report_for_client(
        client=client, viewer=request.user, report_id=report_id
    )
    if report.status != ProgressReport.Status.READY:
        raise Http404
    services.progress_report_downloaded(
        report=report, client=client, actor=request.user, ip=client_ip(request)
    )
    name = f"outward-progress-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.pdf"
    response = HttpResponse(selectors.progress_report_pdf(report=report), "application/pdf")
    # Opened in the browser's own viewer; the file name is what "save" suggests.
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The client's data export ----------------------------------------------------------------


def _export_page(request, client, *, back_url: str, tab: str = ""):
    """Ask for an export (POST) or see the ones asked for; the same page for the client, a
    care-team therapist and the practice admin."""
    if request.method == "POST":
        try:
            _export, token = services.export_request(
                client=client, actor=request.user, ip=client_ip(request)
            )
        except services.ExportRefused as refused:
            messages.info(request, str(refused))
            return redirect(request.path)
        return redirect("reports:export_status", token=token)
    context = {
        "client": client,
        "own": request.portal_client is not None,
        "exports": selectors.recent_exports(client=client, user=request.user),
        "back_url": back_url,
        "tab": tab,
    }
    return render(request, "reports/export.html", context)


@client_record()
@never_cache
@require_http_methods(["GET", "POST"])
def export(request):
    """The client's own export from "Me", or one a care-team therapist makes for them."""
    client = request.record_client
    if request.method == "GET":
        audit_view(request, client)
    back_url = (
        reverse("accounts:account")
        if request.in_portal
        else reverse("care:client_detail", args=[client.pk])
    )
    return _export_page(
        request, client, back_url=back_url, tab="" if request.in_portal else "export"
    )


@admin_required
@never_cache
@require_http_methods(["GET", "POST"])
def admin_export(request, client_id):
    """The practice admin makes an export for a client of the practice (a request the client
    made to the practice): the shared records, as the care team sees them."""
    client = care_selectors.client_for_admin(user=request.user, client_id=client_id)
    if request.method == "GET":
        audit_view(request, client, client=client)
    return _export_page(request, client, back_url=reverse("care:practice_clients"))


def _export_for(request, token):
    """The export a link names, for the person who asked for it, while they may still make
    one: staff taken off the care team (or no longer admin) lose the link with the access."""
    export = selectors.export_for_token(token=token, user=request.user)
    if export is None:
        raise Http404
    if export.client.user_id != request.user.pk:
        membership = request.membership
        if membership is None:
            raise Http404
        may_export = (
            care_selectors.client_for_admin
            if membership.is_admin
            else care_selectors.client_for_user
        )
        may_export(user=request.user, client_id=export.client_id)  # 404 when no longer

    return export


@login_required
@never_cache
@require_GET
def export_status(request, token):
    """Where the export being prepared shows up; the page follows it until it is ready."""
    export = _export_for(request, token)
    return render(request, "reports/export_status.html", {"export": export, "token": token})


@login_required
@require_POST
def export_download(request, token):
    """The ZIP, once: the link is used up by this download (and expires unused)."""
    export = _export_for(request, token)
    if not services.export_take(export=export, actor=request.user, ip=client_ip(request)):
        messages.info(
            request,
            _("This export was downloaded already or has expired. You can ask for a new one."),
        )
        return redirect("reports:export_status", token=token)
    response = StreamingHttpResponse(
        services.export_stream(export=export), content_type="application/zip"
    )
    stamp = timezone.localtime(export.created).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="outward-export-{stamp}.zip"'
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "no-store"
    return response

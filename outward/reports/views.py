import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
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

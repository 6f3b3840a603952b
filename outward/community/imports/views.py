"""Directory imports (CSV, Open Referral HSDS, iCalendar) and calendar feeds: upload, look at
the preview, apply. A practice's therapists see its imports and feeds only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import therapist_required
from outward.lib.forms import posted

from ..models import PendingImport
from . import feeds as calendar_feeds
from . import selectors, services
from .csvfile import FIELDS
from .forms import ApplyForm, ColumnMappingForm, FeedForm, ImportUploadForm


@therapist_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportUploadForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pending = services.import_preview(
                practice=request.membership.practice,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except services.ImportRefused as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("community:import_preview", pending.pk)
    return render(request, "community/import_upload.html", {"form": form, "csv_fields": FIELDS})


@therapist_required
@require_http_methods(["GET"])
def import_preview(request, pending_id):
    """The run's page: progress while the worker reads or applies the file (htmx polls it
    every 2 s; without JavaScript, a refresh link), then the preview, then the outcome."""
    pending = selectors.pending_import_for_practice(
        practice=request.membership.practice, pending_id=pending_id
    )
    context = {"pending": pending, "State": PendingImport.State}
    if pending.state == PendingImport.State.READY:
        problems = pending.problems
        if pending.header:
            context["mapping_form"] = ColumnMappingForm(
                header=pending.header, mapping=pending.mapping, samples=pending.samples
            )
        context |= {
            "apply_form": ApplyForm(),
            "counts": selectors.import_counts(pending=pending),
            "rows": selectors.preview_rows(pending=pending),
            "row_count": pending.total,
            "blocking": [problem for problem in problems if problem.get("blocking")],
            "left_out": [
                problem
                for problem in problems
                if not problem.get("blocking") and not problem.get("note")
            ],
            "notes": [problem["why"] for problem in problems if problem.get("note")],
        }
    return render(request, "community/import_preview.html", context)


@therapist_required
@require_POST
def import_mapping(request, pending_id):
    """Read a previewed CSV again with its columns mapped as chosen (and save the mapping)."""
    pending = selectors.pending_import_for_practice(
        practice=request.membership.practice, pending_id=pending_id
    )
    form = ColumnMappingForm(request.POST, header=pending.header, mapping=pending.mapping)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("community:import_preview", pending.pk)
    try:
        services.import_remap(pending=pending, mapping=form.mapping(), actor=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Columns mapped. The preview below uses them."))
    return redirect("community:import_preview", pending.pk)


@therapist_required
@require_POST
def import_apply(request, pending_id):
    pending = selectors.pending_import_for_practice(
        practice=request.membership.practice, pending_id=pending_id
    )
    form = ApplyForm(request.POST)
    strict = form.is_valid() and form.cleaned_data["strict"]
    try:
        pending = services.import_apply_start(pending=pending, actor=request.user, strict=strict)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("community:import_preview", pending.pk)
    if pending.state == PendingImport.State.APPLIED and pending.added_nothing:
        return redirect("community:import_preview", pending.pk)  # it says so, as a warning
    if pending.state == PendingImport.State.APPLIED:  # the worker was quick (or immediate)
        messages.success(request, _("Imported. %(summary)s") % {"summary": pending.outcome})
        return redirect("community:directory")
    return redirect("community:import_preview", pending.pk)


@therapist_required
@require_http_methods(["GET", "POST"])
def feeds(request):
    practice = request.membership.practice
    form = FeedForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            calendar_feeds.calendar_source_create(
                practice=practice, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("url", error)
        else:
            messages.success(
                request,
                _("Feed added. Outward reads it in the background; refresh it to read it now."),
            )
            return redirect("community:feeds")
    return render(
        request,
        "community/feed_list.html",
        {"form": form, "sources": selectors.calendar_sources(practice=practice)},
    )


@therapist_required
@require_POST
def feed_refresh(request, feed_id):
    source = selectors.calendar_source_for_practice(
        practice=request.membership.practice, source_id=feed_id
    )
    try:
        summary = calendar_feeds.calendar_source_refresh(source=source)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("community:feeds")
    if summary is None:
        messages.error(
            request,
            _("Nothing changed: %(why)s") % {"why": source.last_problem},
        )
    elif summary.added_nothing:
        messages.warning(
            request,
            _("“%(name)s” refreshed, but nothing was added, updated or removed. %(summary)s")
            % {"name": source.name, "summary": summary.message()},
        )
    else:
        messages.success(
            request,
            _("“%(name)s” refreshed. %(summary)s")
            % {"name": source.name, "summary": summary.message()},
        )
    return redirect("community:feeds")

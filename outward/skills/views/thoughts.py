"""Thought records: the list and summary, writing one, its versions, the practice default."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import admin_required, audit_view, client_record
from outward.care.records import Visibility
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.suds_charts import count_bars

from .. import selectors, services
from ..forms import (
    CareTeamThoughtRecordForm,
    ThoughtRecordForm,
    ThoughtSettingsForm,
)

# Thought records (issue 9) -----------------------------------------------------------------

THOUGHTS_PER_PAGE = 10


def _thought_form_class(request):
    return ThoughtRecordForm if request.in_portal else CareTeamThoughtRecordForm


def _say_not_saved(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@client_record()
@require_http_methods(["GET"])
def thought_records(request):
    """The thought records, newest first; for the care team (shared records only), the traps
    that recur and the average drop from first rating to re-rating."""
    client = request.record_client
    audit_view(request, client)
    summary = None
    if not request.in_portal:
        summary = selectors.thought_summary(client=client, viewer=request.user, now=timezone.now())
    context = {
        "client": client,
        "tab": "skills",
        "records": paginate(
            request,
            selectors.thought_records(client=client, viewer=request.user),
            per_page=THOUGHTS_PER_PAGE,
        ),
        "summary": summary,
        "bars": count_bars([(row.name, row.total) for row in summary.traps]) if summary else None,
    }
    return render(request, "skills/thought_records.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def thought_create(request):
    client = request.record_client
    form_class = _thought_form_class(request)
    initial = {"started_from": request.GET.get("from", "")[:100]}
    if request.in_portal:
        default = selectors.thought_default_visibility(practice=client.practice)
        initial["private"] = default == Visibility.PRIVATE
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.thought_record_create(
                client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            _say_not_saved(form, error)
        else:
            messages.success(request, _("Saved. You can come back and add to it any time."))
            return redirect(record_reverse(request, "skills:thought_detail", record.pk))
    context = {"client": client, "tab": "skills", "form": form, "creating": True}
    return render(request, "skills/thought_form.html", context)


@client_record()
@require_http_methods(["GET"])
def thought_detail(request, record_id):
    client = request.record_client
    record = selectors.thought_record_for_client(
        client=client, viewer=request.user, record_id=record_id
    )
    audit_view(request, record)
    versions = list(selectors.thought_record_versions(record=record))
    context = {
        "client": client,
        "tab": "skills",
        "record": record,
        "original": versions[0].snapshot if versions else None,
        "versions": versions,
    }
    return render(request, "skills/thought_detail.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def thought_edit(request, record_id):
    client = request.record_client
    record = selectors.thought_record_for_client(
        client=client, viewer=request.user, record_id=record_id
    )
    if request.method == "GET":
        audit_view(request, record)
    form_class = _thought_form_class(request)
    initial = form_class.initial_from(record, list(record.emotions.all()))
    form = form_class(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields.pop("started_from", None)  # where it began does not change
        try:
            services.thought_record_update(
                record=record, client=client, actor=request.user, ip=client_ip(request), **fields
            )
        except ValidationError as error:
            _say_not_saved(form, error)
        else:
            messages.success(request, _("Saved. The earlier version is kept in its history."))
            return redirect(record_reverse(request, "skills:thought_detail", record.pk))
    context = {"client": client, "tab": "skills", "form": form, "record": record}
    return render(request, "skills/thought_form.html", context)


@admin_required
@require_http_methods(["GET", "POST"])
def thought_settings(request):
    """The practice's default for new thought records: shared or kept to the client."""
    practice = request.membership.practice
    initial = {"default_visibility": selectors.thought_default_visibility(practice=practice)}
    form = ThoughtSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.thought_record_settings_set(
            practice=practice, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("skills:thought_settings")
    return render(request, "skills/thought_settings.html", {"form": form})

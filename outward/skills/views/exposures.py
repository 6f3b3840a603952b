"""A rung's attempts (exposures): planned, logged, and the therapist's decision."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.readiness import LOW_PEAK
from outward.lib.suds_charts import bar_chart

from .. import selectors, services
from ..forms import (
    ExposureAfterForm,
    ExposureLogForm,
    ExposurePlanForm,
    RungDecisionForm,
)
from ..models import Exposure
from .ladders import TAB, _first_error

# --- Exposures (issue 9) ----------------------------------------------------------------------

CAME_TRUE_SCORE = {"yes": 100, "partly": 50, "no": 0}


def _rung_url(request, rung_id: int) -> str:
    return record_reverse(request, "skills:rung", rung_id)


def _charts(attempts) -> list:
    """The rung page's three charts; the attempts table beside them holds the same numbers."""
    labels = [date_format(attempt.occurred, "j M") for attempt in attempts]
    exposures = [attempt.exposure for attempt in attempts if attempt.exposure is not None]
    charts = [
        bar_chart(
            labels=labels,
            series=[
                (_("Expected"), [attempt.expected_suds for attempt in attempts]),
                (_("Highest"), [attempt.suds_peak for attempt in attempts]),
            ],
            title=_("Expected and actual anxiety, attempt by attempt"),
            description=_("Anxiety from 0 to 100: what you expected, and the highest it got."),
        ),
        bar_chart(
            labels=labels,
            series=[(_("Highest"), [attempt.suds_peak for attempt in attempts])],
            title=_("The highest anxiety across repeats"),
            description=_("Anxiety from 0 to 100 at its highest, each time you tried."),
        ),
    ]
    if exposures:
        charts.append(
            bar_chart(
                labels=[date_format(exposure.occurred, "j M") for exposure in exposures],
                series=[
                    (_("How likely it felt"), [exposure.likelihood for exposure in exposures]),
                    (
                        _("What happened (yes 100, partly 50, no 0)"),
                        [CAME_TRUE_SCORE.get(exposure.came_true) for exposure in exposures],
                    ),
                ],
                title=_("The prediction and what happened"),
                description=_("How likely the feared outcome felt, and whether it came true."),
            )
        )
    return charts


@client_record()
@require_http_methods(["GET"])
def rung(request, rung_id):
    """One rung: its attempts (exposures and plans attended), the charts, planned attempts,
    and whether the ladder's rule suggests moving up."""
    client = request.record_client
    rung = selectors.rung_for_client(client=client, viewer=request.user, rung_id=rung_id)
    audit_view(request, rung)
    attempts = selectors.attempts_by_rung([rung], viewer=request.user).get(rung.pk, [])
    state = selectors.rung_state(rung=rung, attempts=attempts)
    context = {
        "client": client,
        "tab": TAB,
        "rung": rung,
        "attempts": attempts,
        "state": state,
        "low_peak": LOW_PEAK,
        "charts": _charts(attempts) if attempts else [],
        "planned": selectors.exposures(client=client, viewer=request.user).filter(
            rung=rung, occurred__isnull=True
        )[:10],
        "decision_form": RungDecisionForm(),
    }
    return render(request, "skills/exposure_rung.html", context)


def _exposure_form(request, *, rung, form, heading: str, exposure=None):
    return render(
        request,
        "skills/exposure_form.html",
        {
            "client": request.record_client,
            "tab": TAB,
            "rung": rung,
            "form": form,
            "heading": heading,
            "exposure": exposure,
        },
    )


def _saved_or_errors(form, save) -> bool:
    """Run the service; its refusals become the form's errors (nothing was written)."""
    try:
        save(**form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def _exposure_create(request, rung_id, *, form_class, service, done: str, heading: str):
    """Plan or log an attempt at a rung: the same selector → form → service → redirect."""
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    if request.method == "GET":
        audit_view(request, rung)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        save = partial(service, rung=rung, author=request.user, ip=client_ip(request))
        if _saved_or_errors(form, save):
            messages.success(request, done)
            return redirect(_rung_url(request, rung.pk))
    return _exposure_form(request, rung=rung, form=form, heading=heading)


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_plan(request, rung_id):
    """Plan an attempt at a rung for a day: the "before" half."""
    return _exposure_create(
        request,
        rung_id,
        form_class=ExposurePlanForm,
        service=services.exposure_plan,
        done=_("Planned. It will be on Today that day."),
        heading=_("Plan an attempt"),
    )


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_new(request, rung_id):
    """Log an attempt afterwards: before and after at once."""
    return _exposure_create(
        request,
        rung_id,
        form_class=ExposureLogForm,
        service=services.exposure_log,
        done=_("Logged. Every attempt counts — well done."),
        heading=_("Log an attempt"),
    )


@client_record()
@require_http_methods(["GET", "POST"])
def exposure_log(request, exposure_id):
    """Say how a planned attempt went: the "after" half."""
    exposure = selectors.exposure_for_client(
        client=request.record_client, viewer=request.user, exposure_id=exposure_id
    )
    if exposure.is_logged:
        messages.info(request, _("This attempt is already logged."))
        return redirect(_rung_url(request, exposure.rung_id))
    if request.method == "GET":
        audit_view(request, exposure)
    form = ExposureAfterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        save = partial(
            services.exposure_complete, exposure=exposure, actor=request.user, ip=client_ip(request)
        )
        if _saved_or_errors(form, save):
            messages.success(request, _("Logged. Every attempt counts — well done."))
            return redirect(_rung_url(request, exposure.rung_id))
    return _exposure_form(
        request, rung=exposure.rung, form=form, heading=_("How did it go?"), exposure=exposure
    )


@client_record()
@require_http_methods(["GET"])
def exposures(request):
    """Every attempt, planned and logged, newest first."""
    client = request.record_client
    audit_view(request, client)
    page = paginate(request, selectors.exposures(client=client, viewer=request.user), per_page=20)
    return render(
        request,
        "skills/exposure_list.html",
        {"client": client, "tab": TAB, "page": page, "Exposure": Exposure},
    )


@client_record(portal=False)
@require_POST
def rung_decide(request, rung_id):
    """The therapist's word on moving up: done (a win for the client) or keep practising."""
    rung = selectors.rung_for_client(
        client=request.record_client, viewer=request.user, rung_id=rung_id
    )
    form = RungDecisionForm(request.POST)
    if form.is_valid() and _saved_or_errors(
        form,
        partial(services.rung_decide, rung=rung, therapist=request.user, ip=client_ip(request)),
    ):
        messages.success(request, _("Saved."))
    else:
        request.form_not_saved = True
        messages.error(request, _("Not saved: %(why)s") % {"why": _first_error(form)})
    return redirect(_rung_url(request, rung.pk))

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import admin_required, audit_view, client_record
from outward.lib.charts import line_chart
from outward.lib.forms import (
    confirm_page,
    confirmed,
    posted,
    row_id,
    submit_and_say,
    warn_if_past,
)
from outward.lib.net import client_ip
from outward.lib.pagination import paginate
from outward.lib.periods import local_date
from outward.lib.scoring import AnswerError

from . import catalog, readiness, selectors, services
from .forms import (
    AlertAcknowledgeForm,
    AssignForm,
    CrisisLineForm,
    CrisisTextForm,
    InstrumentSettingForm,
    OneAnswerForm,
    ReadinessForm,
    WholeResponseForm,
)


def _definition(key: str, practice):
    definition = catalog.instrument(key, practice=practice)
    if definition is None:
        raise Http404
    return definition


# The care team -------------------------------------------------------------------------


@client_record(portal=False)
@require_http_methods(["GET", "POST"])
def measures(request):
    client = request.record_client
    offered = catalog.offered(practice=client.practice)
    form = AssignForm(posted(request), instruments=offered)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_create(
                client=client,
                actor=request.user,
                instrument_key=form.cleaned_data["instrument"],
                every_days=form.cleaned_data["every_days"],
                first_due=form.cleaned_data["first_due"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Questionnaire assigned."))
            warn_if_past(
                request,
                form.cleaned_data["first_due"],
                _(
                    "The first due date, %(date)s, has already passed, so it is due at once "
                    "on the client's Today. Change it if that was a slip."
                ),
            )
            return redirect("measures:measures", client_id=client.pk)
    audit_view(request, client)
    latest = [
        (response, catalog.instrument(response.instrument_key, practice=client.practice))
        for response in selectors.latest_by_instrument(client=client)
    ]
    return render(
        request,
        "measures/measures.html",
        {
            "client": client,
            "tab": "measures",
            "form": form,
            "offered": offered,
            "assignments": [
                (
                    assignment,
                    catalog.instrument(assignment.instrument_key, practice=client.practice),
                )
                for assignment in selectors.active_assignments(client=client)
            ],
            "alerts": selectors.open_alerts_described(client=client),
            "acknowledge_form": AlertAcknowledgeForm(),
            "today": timezone.localdate(),  # an assignment due before it is not answered yet
            "latest": latest,
            "last_readiness": selectors.readiness_checks(client=client).first(),
        },
    )


@client_record(portal=False)
@require_POST
def assignment_stop(request, assignment_id):
    client = request.record_client
    assignment = selectors.assignment_for_client(client=client, assignment_id=assignment_id)
    if not confirmed(request):
        definition = catalog.instrument(assignment.instrument_key, practice=client.practice)
        name = definition.short_name if definition else assignment.instrument_key
        return confirm_page(
            request,
            title=_("Stop %(name)s for %(client)s?") % {"name": name, "client": client},
            message=_("It will no longer be due. Earlier answers are kept."),
            button=_("Stop"),
            cancel=reverse("measures:measures", args=[client.pk]),
        )
    services.assignment_stop(assignment=assignment, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Stopped. Earlier answers are kept."))
    return redirect("measures:measures", client_id=request.record_client.pk)


@client_record(portal=False)
@require_http_methods(["GET"])
def measure_detail(request, instrument_key):
    client = request.record_client
    definition = _definition(instrument_key, client.practice)
    past = selectors.history(client=client, instrument_key=instrument_key)
    audit_view(request, client)
    scale = definition.primary
    points = [
        (
            date_format(timezone.localtime(response.completed), "j M"),
            selectors.scale_score(response, scale.key),
        )
        for response in past.responses
    ]
    chart = line_chart(
        points,
        y_min=scale.min,
        y_max=scale.max,
        title=_("%(name)s over time") % {"name": definition.short_name},
        description=_("%(label)s at each completion; %(direction)s. The table has the numbers.")
        % {
            "label": scale.label,
            "direction": _("higher is better") if scale.higher_is_better else _("higher is worse"),
        },
    )
    return render(
        request,
        "measures/measure_detail.html",
        {
            "client": client,
            "tab": "measures",
            "definition": definition,
            "scale": scale,
            "history": past,
            "chart": chart,
        },
    )


@client_record(portal=False)
@require_http_methods(["GET", "POST"])
def enter(request, instrument_key):
    """Answers the client gives in session, typed in by the therapist."""
    client = request.record_client
    definition = _definition(instrument_key, client.practice)
    if not catalog.is_offered(practice=client.practice, key=instrument_key):
        raise Http404
    form = WholeResponseForm(posted(request), instrument=definition)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_enter(
                client=client,
                instrument_key=instrument_key,
                answers=form.answers(),
                actor=request.user,
                ip=client_ip(request),
                submission_key=form.cleaned_data["submission"],
            )
        except AnswerError as error:
            form.add_error(f"item_{error.item_id}", error.message)
        else:
            messages.success(request, _("Saved and scored."))
            if response.risk_items:
                messages.warning(request, _("A risk answer was given: an alert is open below."))
            return redirect("measures:measures", client_id=client.pk)
    audit_view(request, client)
    return render(
        request,
        "measures/enter.html",
        {"client": client, "tab": "measures", "definition": definition, "form": form},
    )


@client_record(portal=False)
@require_http_methods(["GET"])
def alerts(request):
    """The client's risk alerts: open ones (with the answer, to acknowledge) first, then the
    history — raised when, by which answer, who acknowledged, when, and what they did."""
    client = request.record_client
    page = paginate(request, selectors.alert_history(client=client))
    audit_view(request, client)
    return render(
        request,
        "measures/alerts.html",
        {
            "client": client,
            "tab": "measures",
            "page": page,
            "alerts": selectors.alerts_described(page.object_list, client=client),
            "acknowledge_form": AlertAcknowledgeForm(),
        },
    )


@client_record(portal=False)
@require_POST
def alert_acknowledge(request, alert_id):
    alert = selectors.alert_for_client(client=request.record_client, alert_id=alert_id)
    form = AlertAcknowledgeForm(request.POST)
    if form.is_valid():
        services.alert_acknowledge(
            alert=alert,
            therapist=request.user,
            note=form.cleaned_data["note"],
            ip=client_ip(request),
        )
        messages.success(request, _("Alert acknowledged."))
    else:
        messages.error(request, _("Please write what you did before acknowledging."))
    back = "measures:alerts" if request.POST.get("from") == "alerts" else "measures:measures"
    return redirect(back, client_id=request.record_client.pk)


@client_record(portal=False)
@require_http_methods(["GET", "POST"])
def readiness_conversation(request):
    """In session, on one screen both people look at: open questions and the rulers."""
    client = request.record_client
    form = ReadinessForm(posted(request))
    suggestion = None
    if request.method == "POST" and form.is_valid():
        suggestion = readiness.suggest_start(form.rulers())
        if "suggest" not in request.POST:
            services.readiness_record(
                client=client,
                author=request.user,
                held_on=form.cleaned_data["held_on"],
                answers=form.answers(),
                rulers=form.rulers(),
                focus_area=form.cleaned_data["focus_area"],
                focus_note=form.cleaned_data["focus_note"],
                ip=client_ip(request),
            )
            messages.success(request, _("The readiness conversation is saved."))
            return redirect("measures:measures", client_id=client.pk)
    audit_view(request, client)
    return render(
        request,
        "measures/readiness.html",
        {
            "client": client,
            "tab": "readiness",
            "form": form,
            "suggestion": suggestion,
            "importance_prompts": readiness.IMPORTANCE_PROMPTS,
            "confidence_prompts": readiness.CONFIDENCE_PROMPTS,
            "past": selectors.readiness_checks(client=client)[:5],
            "areas": dict(readiness.AREAS),
            "questions": dict(readiness.QUESTIONS),
        },
    )


# The client ------------------------------------------------------------------------------


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def questionnaire(request, assignment_id):
    """One question at a time on a phone; answers are kept as they go, so the client can
    leave and come back."""
    client = request.record_client
    assignment = selectors.assignment_for_client(client=client, assignment_id=assignment_id)
    if not selectors.assignment_open(
        assignment=assignment, today=local_date(timezone.now(), client.user.time_zone)
    ):
        messages.info(request, _("There is nothing to answer here now. Thank you."))
        return redirect("care:today")
    definition = _definition(assignment.instrument_key, client.practice)
    response = services.response_in_progress(assignment=assignment, actor=request.user)
    items = list(definition.items)
    unanswered = [item for item in items if item.id not in response.answers]
    wanted = request.GET.get("item") or request.POST.get("item")
    item = next((i for i in items if i.id == wanted), unanswered[0] if unanswered else None)
    if request.method == "POST" and wanted and (item is None or item.id != wanted):
        return redirect(request.path)  # an answer to a question that is not here: ignore it
    if request.method == "POST" and "submit" in request.POST:
        try:
            response = services.response_submit(
                response=response, actor=request.user, ip=client_ip(request)
            )
        except AnswerError as error:
            messages.error(request, error.message)
            return redirect(f"{request.path}?item={error.item_id}")
        if response.risk_items:
            return redirect("measures:my_crisis")
        messages.success(request, _("Thank you — your answers are saved."))
        return redirect("care:today")
    form = OneAnswerForm(posted(request), item=item) if item else None
    if request.method == "POST" and form is not None and form.is_valid():
        code = form.cleaned_data["answer"]
        try:
            services.response_answer(response=response, item_id=item.id, code=code)
        except AnswerError as error:
            form.add_error("answer", error.message)
        else:
            if item.is_risk_answer(code):  # help first; the questions can wait
                return redirect(reverse("measures:my_crisis") + f"?assignment={assignment.pk}")
            return redirect(request.path)
    if form is not None and request.method == "GET" and item.id in response.answers:
        form = OneAnswerForm(initial={"answer": response.answers[item.id]}, item=item)
    return render(
        request,
        "measures/questionnaire.html",
        {
            "definition": definition,
            "item": item,
            "form": form,
            "number": items.index(item) + 1 if item else len(items),
            "total": len(items),
            "answered": len(items) - len(unanswered),
            "review": [
                (entry, entry.option(response.answers[entry.id]))
                for entry in items
                if entry.id in response.answers
            ]
            if item is None
            else [],
        },
    )


@client_record(care_team=False)
@require_http_methods(["GET"])
def crisis(request):
    """After a risk answer: the practice's crisis lines (tap to call) or, until it has set
    them, the generic advice. Mid-questionnaire, the client may go on with the questions."""
    client = request.record_client
    continue_url = ""
    if (assignment_id := row_id(request.GET.get("assignment"))) is not None:
        try:  # this page never fails: a wrong or finished assignment just has no "Continue"
            assignment = selectors.assignment_for_client(client=client, assignment_id=assignment_id)
        except Http404:
            assignment = None
        today = local_date(timezone.now(), client.user.time_zone)
        if assignment and selectors.assignment_open(assignment=assignment, today=today):
            continue_url = reverse("measures:my_questionnaire", args=[assignment.pk])
    return render(
        request,
        "measures/crisis.html",
        {
            "text": selectors.crisis_text(client=client),
            "lines": selectors.crisis_lines(practice=client.practice),
            "continue_url": continue_url,
        },
    )


# The practice admin --------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def practice_measures(request):
    practice = request.membership.practice
    if request.method == "POST" and "instrument" in request.POST:
        form = InstrumentSettingForm(request.POST)
        definition = (
            catalog.instrument(form.cleaned_data["instrument"], practice=practice)
            if form.is_valid()
            else None
        )
        if definition is not None:
            enabling = form.cleaned_data["enabled"]
            if (
                enabling
                and not definition.enabled_by_default
                and not form.cleaned_data["licence_confirmed"]
            ):
                messages.error(request, _("Please confirm the licence before switching it on."))
            else:
                services.instrument_set_enabled(
                    practice=practice,
                    key=definition.key,
                    enabled=enabling,
                    actor=request.user,
                    ip=client_ip(request),
                )
                messages.success(request, _("Saved."))
        else:
            messages.error(request, _("That change could not be made."))
        return redirect("measures:practice_measures")
    crisis_form = CrisisTextForm(
        posted(request),
        initial={"text": selectors.crisis_text_for_practice(practice=practice)},
    )
    if request.method == "POST" and crisis_form.is_valid():
        services.crisis_text_set(
            practice=practice,
            text=crisis_form.cleaned_data["text"],
            actor=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("Crisis information saved."))
        return redirect("measures:practice_measures")
    offered = {definition.key for definition in catalog.offered(practice=practice)}
    imports = catalog.imports(practice=practice)
    return render(
        request,
        "measures/practice_measures.html",
        {
            "instruments": [
                (definition, definition.key in offered, imports.get(definition.key))
                for definition in catalog.all_instruments(practice)
            ],
            "crisis_form": crisis_form,
            "line_form": CrisisLineForm(),
            "crisis_lines": selectors.crisis_lines(practice=practice),
        },
    )


@admin_required
@require_POST
def crisis_line_add(request):
    """A local crisis line: name, number, hours. Errors come back as a message, with the
    page's other forms left as they were."""
    practice = request.membership.practice

    def save(**fields):
        services.crisis_line_add(
            practice=practice, actor=request.user, ip=client_ip(request), **fields
        )

    submit_and_say(
        request,
        CrisisLineForm,
        save,
        saved=_("Crisis line added."),
        not_saved=_("The crisis line was not added: %(why)s"),
    )
    return redirect(reverse("measures:practice_measures") + "#crisis")


@admin_required
@require_POST
def crisis_line_remove(request, line_id):
    practice = request.membership.practice
    line = selectors.crisis_line_for_admin(practice=practice, line_id=line_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove the crisis line %(name)s?") % {"name": line.name},
            message=_("Clients will no longer see it after a risk answer."),
            button=_("Remove"),
            cancel=reverse("measures:practice_measures") + "#crisis",
        )
    services.crisis_line_remove(line=line, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Crisis line removed."))
    return redirect(reverse("measures:practice_measures") + "#crisis")

"""Plans to go and the first-visit bridge, for the client (/me/...) and their care team
(/clients/<id>/...): make a plan, prepare it, say how it went, and see the plans so far."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care import happenings
from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from .. import selectors
from ..models import Plan
from . import selectors as plan_selectors
from . import services as plan_services
from .forms import PlanBeforeForm, PlanCreateForm, PlanReportForm, before_initial

TAB = "groups"


def _plan_url(request, plan: Plan) -> str:
    return record_reverse(request, "community:plan", plan.pk)


@client_record()
@require_http_methods(["GET", "POST"])
def plan_create(request, resource_id):
    client = request.record_client
    resource = selectors.resource_for_practice(practice=client.practice, resource_id=resource_id)
    form = PlanCreateForm(
        posted(request),
        times=plan_selectors.upcoming_times(resource=resource, now=timezone.now()),
        time_zone=client.user.time_zone,
        care_team=not request.in_portal,
        opening_lines=plan_selectors.opening_line_choices(
            client=client, viewer=request.user, resource=resource
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.plan_create(
                client=client,
                resource=resource,
                author=request.user,
                ip=client_ip(request),
                **form.plan_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your plan is saved."))
            return redirect(_plan_url(request, plan))
    return render(
        request,
        "community/plan_create.html",
        {"client": client, "tab": TAB, "resource": resource, "form": form},
    )


@client_record()
@require_http_methods(["GET"])
def plans(request):
    client = request.record_client
    audit_view(request, client)
    now = timezone.now()
    return render(
        request,
        "community/plan_list.html",
        {
            "client": client,
            "tab": TAB,
            "now": now,
            "upcoming": plan_selectors.upcoming_plans(client=client, now=now),
            "past": paginate(request, plan_selectors.past_plans(client=client, now=now), 20),
            "balance": plan_selectors.balance(client=client),
        },
    )


@client_record()
@require_http_methods(["GET", "POST"])
def plan(request, plan_id):
    """The bridge: what to expect and the client's preparation before; the report after."""
    client = request.record_client
    plan = plan_selectors.plan_for_client(client=client, plan_id=plan_id)
    care_team = not request.in_portal
    before_form = PlanBeforeForm(
        posted(request),
        care_team=care_team,
        initial=before_initial(plan),
        opening_lines=_opening_lines(request, plan),
    )
    if request.method == "POST" and before_form.is_valid():
        try:
            plan_services.plan_update_before(
                plan=plan, actor=request.user, ip=client_ip(request), **before_form.cleaned_data
            )
        except ValidationError as error:
            before_form.add_error(None, error)
        else:
            messages.success(request, _("Your plan is saved."))
            return redirect(_plan_url(request, plan))
    audit_view(request, plan)
    return _bridge(request, plan, before_form=before_form, report_form=None)


@client_record()
@require_POST
def plan_report(request, plan_id):
    plan = plan_selectors.plan_for_client(client=request.record_client, plan_id=plan_id)
    form = PlanReportForm(request.POST)
    if form.is_valid():
        try:
            plan_services.plan_report(
                plan=plan, actor=request.user, ip=client_ip(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if plan.status == Plan.Status.WENT:
                messages.success(request, _("You went. That took courage, and it counts."))
            else:
                messages.success(request, _("Thank you for telling us. A smaller step is below."))
            return redirect(_plan_url(request, plan))
    before_form = PlanBeforeForm(
        care_team=not request.in_portal,
        initial=before_initial(plan),
        opening_lines=_opening_lines(request, plan),
    )
    return _bridge(request, plan, before_form=before_form, report_form=form)


def _opening_lines(request, plan: Plan):
    """Starters to pick from while the plan is still ahead (none are offered after)."""
    if plan.status != Plan.Status.PLANNED or plan.when <= timezone.now():
        return []
    lines = plan_selectors.opening_line_choices(
        client=request.record_client, viewer=request.user, resource=plan.resource
    )
    # The line already picked stays a choice even if it is no longer offered (a favourite let
    # go since): saving the plan's other answers must not lose it.
    if plan.opening_line_key and plan.opening_line_key not in {line.key for line in lines}:
        lines.insert(0, happenings.OpeningLine(plan.opening_line_key, plan.opening_line))
    return lines


def _bridge(request, plan: Plan, *, before_form, report_form):
    """The bridge page; a report form with errors goes back in the slot it came from."""
    posted_went = report_form is not None and report_form.data.get("went") == "yes"
    went_form = report_form if posted_went else None
    missed_form = report_form if report_form is not None and not posted_went else None
    yes_no = {True: "yes", False: "no", None: ""}
    return render(
        request,
        "community/plan_detail.html",
        {
            "client": request.record_client,
            "tab": TAB,
            "plan": plan,
            "resource": plan.resource,
            "has_happened": plan.when <= timezone.now(),
            "after_missed": happenings.links("missed_plan"),
            "report_failed": report_form is not None,
            "before_form": before_form,
            "went_form": went_form
            or PlanReportForm(
                initial={
                    "actual_anxiety": plan.actual_anxiety,
                    "enjoyment": "" if plan.enjoyment is None else str(plan.enjoyment),
                    "talked_to_someone": yes_no[plan.talked_to_someone],
                    "reflection": plan.reflection,
                    "opening_line_used": yes_no[plan.opening_line_used],
                    "opening_line_worked": yes_no[plan.opening_line_worked],
                }
            ),
            "missed_form": missed_form
            or PlanReportForm(
                initial={
                    "obstacle": plan.obstacle,
                    "smaller_step": plan.smaller_step
                    or plan_selectors.smaller_step_suggestion(plan.resource),
                }
            ),
        },
    )

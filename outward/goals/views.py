from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.charts import line_chart
from outward.lib.forms import confirm_page, confirmed, posted, submit_and_say, warn_if_past
from outward.lib.net import client_ip, local_path
from outward.lib.pagination import paginate
from outward.lib.smart import smart_check

from . import selectors, services
from .forms import AcknowledgeForm, GoalCreateForm, GoalEditForm, ReviewForm, StepForm, WinForm
from .models import Goal
from .starting_points import STARTING_POINTS, starting_point

PAST_TARGET = gettext_lazy(
    "The target date, %(date)s, has already passed. The goal is saved; change the date if "
    "that was a slip."
)


def _goal_url(request, name: str, *args) -> str:
    return record_reverse(request, f"goals:{name}", *args)


def _about(request) -> str:
    """Whom the goal form's questions ask about: "you" in the portal, the client by name on
    the care team's side."""
    return "" if request.in_portal else request.record_client.short_name


def _check(data) -> list:
    return smart_check(
        title=data.get("title", ""),
        specific=data.get("specific", ""),
        measurable=data.get("measurable", ""),
        achievable=data.get("achievable", ""),
        relevant=data.get("relevant", ""),
        target_date=data.get("target_date"),
        cadence_count=data.get("cadence_count"),
        cadence_period=data.get("cadence_period") or None,
        today=timezone.localdate(),
    )


@client_record()
@require_http_methods(["GET"])
def goals(request):
    client = request.record_client
    audit_view(request, client)
    goal_list = selectors.goals_with_steps(client=client)
    progress = selectors.cadence_progress(
        goals=goal_list, time_zones={client.pk: client.user.time_zone}, now=timezone.now()
    )
    gas = selectors.gas_history(client=client)
    gas_chart = line_chart(
        [(date_format(point.reviewed_on, "j M Y"), point.t_score) for point in gas],
        y_min=20,
        y_max=80,
        title=_("Goal attainment T-score over time"),
        description=_("50 means goals landed as expected; above 50, better than expected."),
    )
    context = {
        "client": client,
        "tab": "goals",
        # What is being worked on; achieved and set-aside goals fold away below it.
        "goals": [(g, progress.get(g.pk)) for g in goal_list if g.status == Goal.Status.ACTIVE],
        "folded": [(g, progress.get(g.pk)) for g in goal_list if g.status != Goal.Status.ACTIVE],
        "gas_history": gas,
        "gas_chart": gas_chart,
        "wins": paginate(request, selectors.wins(client=client), per_page=10),
        "win_form": WinForm(),
        "acknowledge_form": AcknowledgeForm(),
        "starting_points": STARTING_POINTS,
        "today": timezone.localdate(),  # a target date before it shows as passed
    }
    return render(request, "goals/goals.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def goal_create(request):
    client = request.record_client
    start = starting_point(request.GET.get("start", ""))
    initial = {}
    if start:
        initial = {**start, "steps": "\n".join(start["steps"])}
    form = GoalCreateForm(posted(request), initial=initial, about=_about(request))
    check = _check(initial) if start and request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        if "check" in request.POST:  # "Check my goal" without JavaScript: advise, don't save
            check = _check(form.cleaned_data)
        else:
            goal = services.goal_create(
                client=client, author=request.user, ip=client_ip(request), **form.cleaned_data
            )
            messages.success(
                request,
                _("Your goal is saved.")
                if request.in_portal
                else _("%(name)s’s goal is saved.") % {"name": client.short_name},
            )
            warn_if_past(request, goal.target_date, PAST_TARGET)
            return redirect(_goal_url(request, "goal_detail", goal.pk))
    return render(
        request,
        "goals/goal_form.html",
        {"client": client, "tab": "goals", "form": form, "check": check, "creating": True},
    )


@login_required
@require_POST
def smart_check_partial(request):
    """The live SMART check (htmx): advice on the text being typed, nothing saved or read."""
    form = GoalCreateForm(request.POST)
    form.is_valid()  # advice works on whatever parses; errors are shown on submit
    data = {**form.data.dict(), **form.cleaned_data}
    for name in ("target_date", "cadence_count"):
        if name not in form.cleaned_data:
            data[name] = None
    return render(request, "goals/smart_check.html", {"check": _check(data)})


@client_record()
@require_http_methods(["GET"])
def goal_detail(request, goal_id):
    client = request.record_client
    goal = selectors.goal_for_client(client=client, goal_id=goal_id)
    audit_view(request, goal)
    progress = selectors.cadence_progress(
        goals=[goal], time_zones={client.pk: client.user.time_zone}, now=timezone.now()
    ).get(goal.pk)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "client": client,
            "tab": "goals",
            "goal": goal,
            "steps": goal.steps.order_by("position", "id"),
            "progress": progress,
            "check": _check({name: getattr(goal, name) for name in services.GOAL_FIELDS}),
            "step_form": StepForm(),
            "review_form": ReviewForm(),
            "reviews": goal.reviews.order_by("-reviewed_on", "-id")[:20],
            "today": timezone.localdate(),
        },
    )


@client_record()
@require_http_methods(["GET", "POST"])
def goal_edit(request, goal_id):
    goal = selectors.goal_for_client(client=request.record_client, goal_id=goal_id)
    if request.method == "GET":  # a saved change is audited as a change
        audit_view(request, goal)
    initial = {name: getattr(goal, name) for name in services.GOAL_FIELDS} | {"status": goal.status}
    form = GoalEditForm(posted(request), initial=initial, about=_about(request))
    if request.method == "POST" and form.is_valid():
        services.goal_update(
            goal=goal, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        if goal.status == goal.Status.ACTIVE:
            warn_if_past(request, goal.target_date, PAST_TARGET)
        return redirect(_goal_url(request, "goal_detail", goal.pk))
    return render(
        request,
        "goals/goal_form.html",
        {"client": goal.client, "tab": "goals", "form": form, "goal": goal, "check": None},
    )


@client_record()
@require_POST
def step_add(request, goal_id):
    goal = selectors.goal_for_client(client=request.record_client, goal_id=goal_id)
    submit_and_say(
        request,
        StepForm,
        partial(services.step_add, goal=goal, author=request.user, ip=client_ip(request)),
        saved=_("Step added."),
        not_saved=_("The step was not added: %(why)s"),
    )
    return redirect(_goal_url(request, "goal_detail", goal.pk))


@client_record()
@require_POST
def goal_delete(request, goal_id):
    goal = selectors.goal_for_client(client=request.record_client, goal_id=goal_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Delete this goal?"),
            message=_(
                "“%(goal)s” will be deleted for good, with its steps and reviews. Wins it "
                "brought stay in the list of wins. To keep it but stop working on it, edit it "
                "and set it aside instead."
            )
            % {"goal": goal.title},
            button=_("Delete the goal"),
            cancel=_goal_url(request, "goal_detail", goal.pk),
        )
    services.goal_delete(goal=goal, actor=request.user, ip=client_ip(request))
    messages.success(request, _("The goal “%(goal)s” is deleted.") % {"goal": goal.title})
    return redirect(_goal_url(request, "goals"))


@client_record()
@require_http_methods(["GET", "POST"])
def step_edit(request, step_id):
    step = selectors.step_for_client(client=request.record_client, step_id=step_id)
    if request.method == "GET":  # a saved change is audited as a change
        audit_view(request, step)
    initial = {"title": step.title, "scheduled_for": step.scheduled_for}
    form = StepForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.step_update(
            step=step, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Step saved."))
        return redirect(_goal_url(request, "goal_detail", step.goal_id))
    return render(
        request,
        "goals/step_form.html",
        {"client": step.client, "tab": "goals", "form": form, "step": step, "goal": step.goal},
    )


@client_record()
@require_POST
def step_move(request, step_id):
    step = selectors.step_for_client(client=request.record_client, step_id=step_id)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.step_move(
            step=step, actor=request.user, up=direction == "up", ip=client_ip(request)
        )
    # Back to the same step, so a keyboard user can move it again without searching for it.
    return redirect(_goal_url(request, "goal_detail", step.goal_id) + f"#step-{step.pk}")


@client_record()
@require_POST
def step_delete(request, step_id):
    step = selectors.step_for_client(client=request.record_client, step_id=step_id)
    goal_page = _goal_url(request, "goal_detail", step.goal_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Delete this step?"),
            message=_("“%(step)s” will be deleted for good.") % {"step": step.title},
            button=_("Delete the step"),
            cancel=goal_page,
        )
    services.step_delete(step=step, actor=request.user, ip=client_ip(request))
    messages.success(request, _("The step “%(step)s” is deleted.") % {"step": step.title})
    return redirect(goal_page)


def _back(request, fallback: str):
    """One-tap actions return to the page they were tapped on (Today or the goal)."""
    target = local_path(request, request.POST.get("next"))
    return HttpResponseRedirect(target) if target else redirect(fallback)


@client_record(care_team=False)
@require_POST
def step_done(request, step_id):
    step = selectors.step_for_client(client=request.record_client, step_id=step_id)
    services.step_complete(step=step, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Done — nice work."))
    return _back(request, _goal_url(request, "goal_detail", step.goal_id))


@client_record(care_team=False)
@require_POST
def step_undo(request, step_id):
    step = selectors.step_for_client(client=request.record_client, step_id=step_id)
    services.step_reopen(step=step, actor=request.user, ip=client_ip(request))
    return _back(request, _goal_url(request, "goal_detail", step.goal_id))


@client_record(care_team=False)
@require_POST
def did_it(request, goal_id):
    goal = selectors.goal_for_client(client=request.record_client, goal_id=goal_id)
    if not goal.cadence_count or goal.status != goal.Status.ACTIVE:
        raise Http404
    services.goal_did_it(goal=goal, actor=request.user, ip=client_ip(request))
    messages.success(request, _("Logged — well done."))
    return _back(request, _goal_url(request, "goal_detail", goal.pk))


@client_record(portal=False)
@require_POST
def goal_review(request, goal_id):
    goal = selectors.goal_for_client(client=request.record_client, goal_id=goal_id)
    submit_and_say(
        request,
        ReviewForm,
        partial(services.goal_review, goal=goal, author=request.user, ip=client_ip(request)),
        saved=_("Review saved."),
        not_saved=_("The review was not saved: %(why)s"),
    )
    return redirect(_goal_url(request, "goal_detail", goal.pk))


@client_record()
@require_POST
def win_add(request):
    submit_and_say(
        request,
        WinForm,
        partial(
            services.win_create,
            client=request.record_client,
            author=request.user,
            ip=client_ip(request),
        ),
        saved=_("Win saved."),
        not_saved=_("The win was not saved: %(why)s"),
    )
    return redirect(_goal_url(request, "goals"))


@client_record(portal=False)
@require_POST
def win_acknowledge(request, win_id):
    win = selectors.win_for_client(client=request.record_client, win_id=win_id)
    submit_and_say(
        request,
        AcknowledgeForm,
        partial(services.win_acknowledge, win=win, therapist=request.user, ip=client_ip(request)),
        saved=_("Your message is on the win."),
        not_saved=_("Not sent: %(why)s"),
    )
    return redirect(_goal_url(request, "goals"))

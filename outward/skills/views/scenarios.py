"""Role-play scenarios (issue 10): the list to pick from (the therapist's Skills tab, the
client's Practice), a role-play on the shared screen and its debrief, a client's rehearsal
alone on the phone, the care team's adaptation for one client, and the practice's own
scenarios (any therapist of the practice writes and edits them; they are shared work)."""

import datetime
import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from outward.care.decorators import audit_view, client_record, therapist_required
from outward.care.templatetags.records import record_reverse
from outward.lib import markdown
from outward.lib.forms import posted, row_id
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from ..models import Rehearsal
from ..roleplay import selectors, services
from ..roleplay.forms import (
    LONGEST_SECONDS,
    AloneRehearsalForm,
    PracticeScenarioForm,
    RolePlayDebriefForm,
    ScenarioAdaptForm,
    ScenarioFilterForm,
)
from .ladders import TAB

PLAYS = (Rehearsal.Role.SELF, Rehearsal.Role.OTHER)
SCENARIOS_PER_PAGE = 12  # the suggested ones come first; a phone need not scroll past all


def _html(text: str):
    """Scenario words as HTML: a practice writes Markdown (lib.markdown shows raw HTML as
    text); the library's plain sentences come through it unchanged."""
    return mark_safe(markdown.render(text))  # noqa: S308 (lib.markdown: no raw HTML)


def _rendered(text) -> dict:
    return {
        name: _html(getattr(text, name))
        for name in ("situation", "role_card", "warm", "neutral", "busy")
    }


# What a debrief saves (the rest of its form only times and orders the role-play).
DEBRIEF_FIELDS = (
    "roles",
    "seconds",
    "confidence_before",
    "confidence_after",
    "went_well",
    "next_time",
)


def _rehearsal_saved(request, form, text, mode, **fields) -> bool:
    """Save a rehearsal of scenario `text` for the record's client through the one rehearsal
    service; False with the service's reasons on the form when it refuses."""
    try:
        services.rehearsal_record(
            client=request.record_client,
            author=request.user,
            ip=client_ip(request),
            mode=mode,
            scenario_key=text.key,
            setting=text.setting,
            **fields,
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    return True


@client_record()
@require_http_methods(["GET"])
def scenarios(request):
    """The scenarios to pick from, filtered by setting and intensity; those at the client's
    current ladder rung and in the settings of their groups come first."""
    client = request.record_client
    audit_view(request, client)
    form = ScenarioFilterForm(request.GET or None)
    if request.in_portal:
        form.fields["intensity"].label = _("How big a step (1 small … 5 big)")
    wanted = form.cleaned_data if form.is_valid() else {}
    found = selectors.scenario_choices(
        client=client,
        viewer=request.user,
        setting=wanted.get("setting") or "",
        intensity=wanted.get("intensity"),
    )
    context = {
        "client": client,
        "tab": TAB,
        "form": form,
        "found": found,
        "page": paginate(request, found.choices, SCENARIOS_PER_PAGE),
    }
    return render(request, "skills/scenario_list.html", context)


def _play_state(request) -> dict:
    """Who plays whom, whether they swapped, and when the role-play started, read from the
    page's own links (so it works without JavaScript); anything odd starts afresh."""
    plays = request.GET.get("plays")
    started = row_id(request.GET.get("started"))
    now = int(time.time())
    started = started if started is not None and now - LONGEST_SECONDS <= started <= now else now
    return {
        "plays": plays if plays in PLAYS else Rehearsal.Role.SELF,
        "swapped": request.GET.get("swapped") == "1",
        "started": started,
        "started_at": datetime.datetime.fromtimestamp(started, tz=datetime.UTC),
    }


@client_record(portal=False)
@require_http_methods(["GET"])
def scenario_play(request, key):
    """A role-play on one shared screen: both role cards in large type, who plays whom, a
    swap, a timer; nothing of the record around it (no tabs, no notes)."""
    client = request.record_client
    text = selectors.scenario_for_client(client=client, viewer=request.user, key=key)
    audit_view(request, client)
    state = _play_state(request)
    swapped = int(state["swapped"])
    other = PLAYS[1] if state["plays"] == PLAYS[0] else PLAYS[0]

    def query(plays: str, swapped: int) -> str:
        return f"plays={plays}&swapped={swapped}&started={state['started']}"

    context = {
        "client": client,
        "scenario": text,
        "html": _rendered(text),
        "state": state,
        # Choosing who plays whom keeps the clock; swapping also marks the roles as swapped.
        "choose_self": query(Rehearsal.Role.SELF, swapped),
        "choose_other": query(Rehearsal.Role.OTHER, swapped),
        "swap_query": query(other, 1),
        "debrief_query": query(state["plays"], swapped),
    }
    return render(request, "skills/scenario_play.html", context)


@client_record(portal=False)
@require_http_methods(["GET", "POST"])
def scenario_debrief(request, key):
    """The short debrief after a role-play, still on the shared screen; saved as a rehearsal
    in session with its roles and how long it took."""
    client = request.record_client
    text = selectors.scenario_for_client(client=client, viewer=request.user, key=key)
    state = _play_state(request)
    form = RolePlayDebriefForm(
        posted(request),
        initial={"started": state["started"], "plays": state["plays"], "swapped": state["swapped"]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _rehearsal_saved(
            request,
            form,
            text,
            Rehearsal.Mode.IN_SESSION,
            **{name: data[name] for name in DEBRIEF_FIELDS},
        ):
            messages.success(request, _("Role-play saved."))
            return redirect("skills:rehearsals", client_id=client.pk)
    if request.method == "GET":
        audit_view(request, client)
    context = {"client": client, "scenario": text, "form": form}
    return render(request, "skills/scenario_debrief.html", context)


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def scenario_rehearse(request, key):
    """The client alone with a scenario on the phone: the situation and aim, the lines to say
    aloud three times, confidence before and after, and what they would say next time."""
    client = request.record_client
    text = selectors.scenario_for_client(client=client, viewer=request.user, key=key)
    form = AloneRehearsalForm(posted(request))
    mode = Rehearsal.Mode.ALONE
    if (
        request.method == "POST"
        and form.is_valid()
        and _rehearsal_saved(request, form, text, mode, **form.cleaned_data)
    ):
        messages.success(request, _("Well done for practising. It is saved."))
        return redirect("skills:my_rehearsals")
    context = {
        "client": client,
        "tab": TAB,
        "scenario": text,
        "html": _rendered(text),
        "form": form,
    }
    return render(request, "skills/scenario_rehearse.html", context)


@client_record(portal=False)
@require_http_methods(["GET", "POST"])
def scenario_adapt(request, key):
    """The care team's version of a scenario for this client (blank keeps the original)."""
    client = request.record_client
    text = selectors.scenario_original(practice=client.practice, key=key)
    current = selectors.adaptation(client=client, viewer=request.user, key=key)
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in ScenarioAdaptForm.base_fields}
    form = ScenarioAdaptForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.scenario_adapt(
            client=client,
            actor=request.user,
            scenario_key=key,
            ip=client_ip(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Adapted for %(name)s.") % {"name": client.display_name})
        return redirect(record_reverse(request, "skills:scenarios"))
    if request.method == "GET":
        audit_view(request, client)
    context = {
        "client": client,
        "tab": TAB,
        "scenario": text,
        "html": _rendered(text),
        "form": form,
    }
    return render(request, "skills/scenario_adapt.html", context)


# The practice's own scenarios ------------------------------------------------------------


@therapist_required
@require_http_methods(["GET"])
def practice_scenarios(request):
    practice = request.membership.practice
    context = {"page": paginate(request, selectors.practice_scenarios(practice=practice))}
    return render(request, "skills/scenario_practice_list.html", context)


def _scenario_form_page(request, form, *, scenario=None):
    return render(request, "skills/scenario_form.html", {"form": form, "scenario": scenario})


@therapist_required
@require_http_methods(["GET", "POST"])
def practice_scenario_create(request):
    form = PracticeScenarioForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_scenario_create(
                practice=request.membership.practice, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Scenario saved. The practice's therapists can use it."))
            return redirect("skills:practice_scenarios")
    return _scenario_form_page(request, form)


@therapist_required
@require_http_methods(["GET", "POST"])
def practice_scenario_edit(request, scenario_id):
    scenario = selectors.practice_scenario(
        practice=request.membership.practice, scenario_id=scenario_id
    )
    initial = {name: getattr(scenario, name) for name in PracticeScenarioForm.base_fields}
    form = PracticeScenarioForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_scenario_update(
                scenario=scenario, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Scenario saved."))
            return redirect(reverse("skills:practice_scenarios"))
    return _scenario_form_page(request, form, scenario=scenario)

"""The reflection journal: its entries, writing and rewriting one, and the look-back cadence."""

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted, submit_and_say
from outward.lib.net import client_ip
from outward.lib.pagination import paginate

from .. import selectors, services
from ..forms import CareTeamReflectionForm, ReflectionCadenceForm, ReflectionForm
from ..models import Reflection

# What a reflection may say it is about: a happening's source such as "community.plan:4".
ABOUT = re.compile(r"[a-z_]+(\.[a-z_]+)*:[0-9]{1,18}")


def _form_class(request):
    return ReflectionForm if request.in_portal else CareTeamReflectionForm


@client_record()
@require_http_methods(["GET"])
def reflections(request):
    client = request.record_client
    audit_view(request, client)
    cadence = selectors.reflection_cadence(client=client)
    context = {
        "client": client,
        "tab": "journal",
        "section": "reflections",
        "entries": paginate(
            request,
            selectors.reflections(client=client, viewer=request.user),
            per_page=selectors.REFLECTIONS_PER_PAGE,
        ),
        "cadence": cadence,
        "cadence_form": None
        if request.in_portal
        else ReflectionCadenceForm(initial={"every_days": cadence.every_days if cadence else ""}),
    }
    return render(request, "journal/reflections.html", context)


@client_record()
@require_http_methods(["GET", "POST"])
def reflection_create(request):
    """A new entry; `?about=` (or a missed plan's `?from=`) names what it looks back on, and
    `?prompt=look_back` makes it the look back the therapist asked for."""
    client = request.record_client
    about = request.GET.get("about") or request.GET.get("from") or ""
    about = about if ABOUT.fullmatch(about) else ""
    look_back = request.GET.get("prompt") == Reflection.Prompt.LOOK_BACK and not about
    about_title = selectors.reflecting_on(client=client, viewer=request.user, about=about)
    form = _form_class(request)(posted(request))
    if request.method == "GET":
        audit_view(request, client)
    if request.method == "POST" and form.is_valid():
        prompt = Reflection.Prompt.FREE
        if about:
            prompt = Reflection.Prompt.AFTER
        elif look_back:
            prompt = Reflection.Prompt.LOOK_BACK
        services.reflection_write(
            client=client,
            author=request.user,
            ip=client_ip(request),
            prompt=prompt,
            about=about,
            about_title=about_title,
            **form.cleaned_data,
        )
        messages.success(request, _("Saved in your journal.") if request.in_portal else _("Saved."))
        return redirect(record_reverse(request, "journal:reflections"))
    context = {
        "client": client,
        "tab": "journal",
        "section": "reflections",
        "form": form,
        "about": about,
        "about_title": about_title,
        "look_back": look_back,
    }
    return render(request, "journal/reflection_form.html", context)


@client_record(care_team=False)
@require_http_methods(["GET", "POST"])
def reflection_edit(request, reflection_id):
    """The client rewrites an entry, or changes whether their therapist sees it."""
    client = request.record_client
    reflection = selectors.reflection_for_client(
        client=client, viewer=request.user, reflection_id=reflection_id
    )
    form = ReflectionForm(posted(request), initial=ReflectionForm.initial_from(reflection))
    if request.method == "POST" and form.is_valid():
        services.reflection_update(
            reflection=reflection, actor=request.user, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return redirect("journal:my_reflections")
    context = {
        "client": client,
        "section": "reflections",
        "form": form,
        "reflection": reflection,
        "about_title": reflection.about_title,
    }
    return render(request, "journal/reflection_form.html", context)


@client_record(portal=False)
@require_POST
def reflection_cadence(request):
    submit_and_say(
        request,
        ReflectionCadenceForm,
        lambda every_days: services.reflection_cadence_set(
            client=request.record_client,
            actor=request.user,
            every_days=every_days,
            ip=client_ip(request),
        ),
        saved=_("Look-back schedule saved."),
        not_saved=_("Not saved: %(why)s"),
    )
    return redirect(record_reverse(request, "journal:reflections"))

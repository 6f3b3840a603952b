"""Suggested groups, for the client (/me/groups/) and their care team (/clients/<id>/groups/),
with the reason for each; the care team pins a suggestion to the top or hides it."""

import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from outward.care import happenings
from outward.care.decorators import audit_view, client_record
from outward.care.templatetags.records import record_reverse
from outward.lib.moments import WEEKDAYS_PLURAL
from outward.lib.net import client_ip

from .. import selectors, services
from ..models import InterestProfile, Mark
from ..taxonomy import OPENACTIVE_ATTRIBUTION
from . import ranking

TAB = "groups"
CLEAR = "clear"
STRENGTHS = {1: gettext_lazy("a little"), 2: gettext_lazy("quite a lot"), 3: gettext_lazy("a lot")}


class MarkForm(forms.Form):
    state = forms.ChoiceField(choices=[*Mark.State.choices, (CLEAR, gettext_lazy("Clear"))])


@client_record()
@require_http_methods(["GET"])
def suggestions(request):
    client = request.record_client
    audit_view(request, client)
    profile = ranking.match_profile(client=client)
    # Where the client is on their fear ladder (the skills room, through care), or None.
    ladder_level = happenings.exposure_level(client=client)
    found = (
        ranking.suggestions(
            client=client,
            profile=profile,
            ladder_level=ladder_level,
            # The reasons speak to the client, or to the care team about the client.
            about="" if request.in_portal else client.short_name,
        )
        if profile is not None
        else []
    )
    context = {
        "client": client,
        "tab": TAB,
        "profile": profile,
        "suggestions": found,
        "interests": _interests(profile),
        "windows": _windows(profile),
        "mode": InterestProfile.Mode(profile.mode).label if profile is not None else "",
        "ladder_level": ladder_level,
        "hidden": [] if request.in_portal else ranking.hidden_resources(client=client),
        "attribution": OPENACTIVE_ATTRIBUTION,
    }
    return render(request, "community/suggestions.html", context)


@client_record(portal=False)
@require_POST
def mark(request, resource_id):
    client = request.record_client
    resource = selectors.resource_for_practice(practice=client.practice, resource_id=resource_id)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing changed: choose pin, hide or clear."))
    elif form.cleaned_data["state"] == CLEAR:
        services.mark_clear(
            client=client, resource=resource, actor=request.user, ip=client_ip(request)
        )
        messages.success(
            request, _("“%(name)s” is back to a plain suggestion.") % {"name": resource.name}
        )
    else:
        state = form.cleaned_data["state"]
        services.mark_set(
            client=client, resource=resource, state=state, actor=request.user, ip=client_ip(request)
        )
        said = (
            _("“%(name)s” is pinned to the top.")
            if state == Mark.State.PINNED
            else _("“%(name)s” is hidden.")
        )
        messages.success(request, said % {"name": resource.name})
    return redirect(record_reverse(request, "community:suggestions"))


def _interests(profile) -> list[tuple[str, str]]:
    if profile is None:
        return []
    chosen = sorted(profile.chosen.values(), key=lambda choice: (-choice[0], choice[1]))
    return [(label, STRENGTHS.get(strength, "")) for strength, label in chosen]


def _windows(profile) -> list[str]:
    if profile is None:
        return []
    return [
        f"{WEEKDAYS_PLURAL[window.weekday]} {_clock(window.start)}–{_clock(window.end)}"
        for window in profile.windows
    ]


def _clock(minutes: int) -> str:
    return time_format(datetime.time(minutes // 60, minutes % 60), "TIME_FORMAT")

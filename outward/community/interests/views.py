"""The interest inventory, a few questions per screen like the questionnaires: each step is
saved when the person moves on (leaving halfway loses nothing), a step that does not apply is
skipped, and it all works without JavaScript. The care team uses the same pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from outward.care.decorators import audit_view, client_record, therapist_required
from outward.care.templatetags.records import record_reverse
from outward.lib.forms import posted
from outward.lib.net import client_ip

from .. import selectors as community_selectors
from ..matching.ranking import terms
from ..models import Interest, InterestProfile
from ..taxonomy import AREA_KEYS, OPENACTIVE_ATTRIBUTION
from . import forms, selectors, services

# (slug, the question as the client reads it, its heading for the care team)
STEPS = [
    ("areas", gettext_lazy("What appeals to you?"), gettext_lazy("Areas that appeal")),
    (
        "details",
        gettext_lazy("Anything in particular?"),
        gettext_lazy("Particular interests and own words"),
    ),
    ("times", gettext_lazy("When are you usually free?"), gettext_lazy("Usually free")),
    ("mode", gettext_lazy("In person or online?"), gettext_lazy("In person or online")),
    ("where", gettext_lazy("Where could you go?"), gettext_lazy("Area and travel")),
    ("needs", gettext_lazy("What you need from a group"), gettext_lazy("Cost and access")),
]
SLUGS = [slug for slug, _question, _heading in STEPS]
NEW_AREA_STRENGTH = 2  # a ticked area: "quite"
NEW_DETAIL_STRENGTH = 3  # a particular thing ticked says more than a broad area
NAMED_STRENGTH = 2  # found in the person's own words


def _titles(request) -> list[tuple[str, str]]:
    """Each step's title in the viewer's voice."""
    return [(slug, question if request.in_portal else heading) for slug, question, heading in STEPS]


def _applies(slug: str, profile: InterestProfile | None) -> bool:
    """Where you could go does not matter to someone who only wants to meet online."""
    return not (slug == "where" and profile and profile.mode == InterestProfile.Mode.ONLINE)


def _is_last(slug: str, profile) -> bool:
    return not any(_applies(later, profile) for later in SLUGS[SLUGS.index(slug) + 1 :])


def _next_url(request, slug: str, profile) -> str:
    for later in SLUGS[SLUGS.index(slug) + 1 :]:
        if _applies(later, profile):
            return record_reverse(request, "community:interests_step", later)
    return record_reverse(request, "community:suggestions")


def _previous_url(request, slug: str, profile) -> str:
    for earlier in reversed(SLUGS[: SLUGS.index(slug)]):
        if _applies(earlier, profile):
            return record_reverse(request, "community:interests_step", earlier)
    return record_reverse(request, "community:interests")


@client_record()
@require_http_methods(["GET"])
def inventory(request):
    """What the client said, a section per step with a link to change it; the first step
    for a client who has not started."""
    client = request.record_client
    profile = community_selectors.profile(client=client)
    if profile is None:
        return redirect(record_reverse(request, "community:interests_step", SLUGS[0]))
    audit_view(request, profile)
    chosen = sorted(profile.choices.all(), key=lambda choice: choice.interest.label)
    areas = [choice for choice in chosen if choice.interest.key in AREA_KEYS]
    lookup = selectors.lookup_for(practice=client.practice)
    _found, rest = lookup.found_in(profile.free_text)
    return render(
        request,
        "community/interests.html",
        {
            "client": client,
            "tab": "groups",
            "profile": profile,
            "areas": areas,
            "particular": [choice for choice in chosen if choice not in areas],
            "search_words": [term.surface for term in terms(rest)],
            "parts": _parts_by_day(profile),
            "steps": _titles(request),
            "attribution": OPENACTIVE_ATTRIBUTION,
        },
    )


def _parts_by_day(profile) -> list[tuple[str, list[str]]]:
    parts = forms.parts_from_windows(profile.free_windows.all())
    labels = {key: label for key, label, _start, _end in forms.DAY_PARTS}
    return [
        (day, [labels[key] for key in parts[number]])
        for number, day in forms.WEEKDAYS
        if number in parts
    ]


@client_record()
@require_http_methods(["GET", "POST"])
def inventory_step(request, step):
    if step not in SLUGS:
        raise Http404
    client = request.record_client
    profile = community_selectors.profile(client=client)
    form, save = STEP_HANDLERS[step](request, client, profile)
    if request.method == "POST" and form.is_valid():
        profile = save()
        if _is_last(step, profile):
            messages.success(
                request,
                _("Your interests are saved. Here is what fits them.")
                if request.in_portal
                else _("The interest inventory is saved. These are the suggestions it gives."),
            )
        return redirect(_next_url(request, step, profile))
    if profile is not None:
        audit_view(request, profile)
    number = SLUGS.index(step) + 1
    return render(
        request,
        "community/interests_step.html",
        {
            "client": client,
            "tab": "groups",
            "form": form,
            "step": step,
            "question": dict(_titles(request))[step],
            "number": number,
            "total": len(SLUGS),
            "is_last": _is_last(step, profile),
            "skip_url": _next_url(request, step, profile),
            "back_url": _previous_url(request, step, profile),
            "day_parts": [(key, label) for key, label, _start, _end in forms.DAY_PARTS],
            "attribution": OPENACTIVE_ATTRIBUTION if step == "details" else "",
        },
    )


def _save(request, client, **changes):
    return services.inventory_save(
        client=client, actor=request.user, ip=client_ip(request), **changes
    )


def _strengths(profile) -> dict[int, int]:
    return {} if profile is None else {c.interest_id: c.strength for c in profile.choices.all()}


def _areas_step(request, client, profile):
    areas = list(community_selectors.top_level_interests())
    had = _strengths(profile)
    form = forms.AreasForm(
        posted(request),
        areas=areas,
        initial={"areas": [area.key for area in areas if area.pk in had]},
    )

    def save():
        ticked = [area for area in areas if area.key in form.cleaned_data["areas"]]
        return _save(
            request,
            client,
            interests={area: had.get(area.pk, NEW_AREA_STRENGTH) for area in ticked},
            among=areas,
        )

    return form, save


def _details_step(request, client, profile):
    had = _strengths(profile)
    ticked_areas = [a for a in community_selectors.top_level_interests() if a.pk in had]
    groups = selectors.detail_groups(areas=ticked_areas, profile=profile)
    initial = {
        f"in_{area.key}": [str(i.pk) for i in interests if i.pk in had]
        for area, interests in groups
    }
    initial["own_words"] = profile.free_text if profile else ""
    form = forms.DetailsForm(posted(request), groups=groups, initial=initial)

    def save():
        words = form.cleaned_data["own_words"]
        lookup = selectors.lookup_for(practice=client.practice)
        named_keys, rest = lookup.found_in(words)
        named = list(Interest.objects.filter(key__in=named_keys))
        shown = {i.pk: i for _area, interests in groups for i in interests}
        chosen = {
            shown[pk]: had.get(pk, NEW_DETAIL_STRENGTH) for pk in form.ticked_ids() if pk in shown
        }
        for interest in named:
            chosen.setdefault(interest, had.get(interest.pk, NAMED_STRENGTH))
        if named:
            names = ", ".join(sorted(i.label for i in named))
            messages.info(
                request,
                _("In your words we found: %(names)s.") % {"names": names}
                if request.in_portal
                else _("Found in %(client)s’s words: %(names)s.")
                % {"client": client.short_name, "names": names},
            )
        searched = [term.surface for term in terms(rest)]
        if searched:
            messages.info(
                request,
                (
                    _("We will also look for groups that mention: %(words)s.")
                    if request.in_portal
                    else _("Also searched for in group descriptions: %(words)s.")
                )
                % {"words": ", ".join(searched)},
            )
        return _save(
            request,
            client,
            fields={"free_text": words},
            interests=chosen,
            among=shown.values(),
        )

    return form, save


def _times_step(request, client, profile):
    had = forms.parts_from_windows(profile.free_windows.all() if profile else [])
    form = forms.TimesForm(
        posted(request), initial={f"day_{number}": keys for number, keys in had.items()}
    )

    def save():
        parts = {number: keys for number, keys in form.parts().items() if keys}
        unchanged = {n: sorted(k) for n, k in parts.items()} == {
            n: sorted(k) for n, k in had.items()
        }
        # Untouched, windows typed to the minute by the care team stay as they were.
        windows = None if unchanged else forms.windows_from_parts(parts)
        return _save(request, client, free_windows=windows)

    return form, save


def _mode_step(request, client, profile):
    form = forms.ModeForm(
        posted(request), initial={"mode": profile.mode if profile else InterestProfile.Mode.EITHER}
    )
    return form, lambda: _save(request, client, fields=form.cleaned_data)


def _where_step(request, client, profile):
    form = forms.WhereForm(
        posted(request),
        areas=community_selectors.areas(practice=client.practice),
        initial={
            "area": profile.area_id if profile else None,
            "max_travel_km": profile.max_travel_km if profile else 5,
        },
    )
    return form, lambda: _save(request, client, fields=form.cleaned_data)


def _needs_step(request, client, profile):
    form = forms.NeedsForm(
        posted(request),
        initial={
            "budget_per_session": profile.budget_per_session if profile else 0,
            "accessibility_needs": profile.accessibility_needs if profile else "",
        },
    )
    return form, lambda: _save(request, client, fields=form.cleaned_data)


STEP_HANDLERS = {
    "areas": _areas_step,
    "details": _details_step,
    "times": _times_step,
    "mode": _mode_step,
    "where": _where_step,
    "needs": _needs_step,
}


# A practice's own synonyms (the care team's directory pages).


@therapist_required
@require_http_methods(["GET", "POST"])
def synonyms(request):
    """Words the practice's clients and directories use for an interest, on top of Outward's."""
    practice = request.membership.practice
    form = forms.SynonymForm(posted(request), lookup=selectors.lookup_for(practice=practice))
    if request.method == "POST" and form.is_valid():
        synonym = services.synonym_add(
            practice=practice,
            phrase=form.cleaned_data["phrase"],
            interest_key=form.cleaned_data["interest"],
        )
        messages.success(
            request,
            _("“%(phrase)s” now means %(interest)s.")
            % {"phrase": synonym.phrase, "interest": synonym.interest.label},
        )
        return redirect("community:synonyms")
    return render(
        request,
        "community/synonyms.html",
        {"form": form, "synonyms": selectors.synonyms(practice=practice)},
    )


@therapist_required
@require_http_methods(["POST"])
def synonym_delete(request, synonym_id):
    if not services.synonym_delete(practice=request.membership.practice, synonym_id=synonym_id):
        raise Http404
    messages.success(request, _("The word is removed."))
    return redirect("community:synonyms")

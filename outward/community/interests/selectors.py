"""Reads for the interest inventory's steps and a practice's synonyms."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from outward.care.models import Practice

from ..models import Interest, InterestProfile, InterestSynonym
from ..taxonomy import AREA_KEYS, SPORT, SPORT_SHORTLIST, InterestLookup, interest_lookup

# The group under which a step lists choices it has no area for (an activity named in the
# person's own words, say): an unsaved stand-in, never written.
ALSO_CHOSEN = Interest(key="also", label=_("Also chosen"))


def lookup_for(*, practice: Practice) -> InterestLookup:
    """Every interest by its key, label and synonyms, Outward's and the practice's own (these
    first), for reading a person's own words or a file's categories. Two queries."""
    return interest_lookup(
        Interest.objects.values_list("key", "label"),
        InterestSynonym.objects.filter(practice=practice).values_list("phrase", "interest__key"),
    )


def synonyms(*, practice: Practice) -> QuerySet[InterestSynonym]:
    return (
        InterestSynonym.objects.filter(practice=practice)
        .select_related("interest")
        .order_by("phrase", "pk")
    )


def detail_groups(
    *, areas: list[Interest], profile: InterestProfile | None
) -> list[tuple[Interest, list[Interest]]]:
    """For each ticked area, the narrower interests to tick (for sport, a shortlist of common
    ones), and last, under "Also chosen", whatever else the profile holds, so a step shows
    every choice it can take away. Two queries."""
    links = (
        Interest.broader.through.objects.filter(to_interest__in=areas)
        .select_related("from_interest")
        .order_by("from_interest__label")
    )
    narrower: dict[int, list[Interest]] = {area.pk: [] for area in areas}
    for link in links:
        interest = link.from_interest
        is_sport = link.to_interest_id in {a.pk for a in areas if a.key == SPORT}
        if not is_sport or interest.label in SPORT_SHORTLIST:
            narrower[link.to_interest_id].append(interest)
    shown = {interest.pk for interests in narrower.values() for interest in interests}
    area_ids = {area.pk for area in areas}
    groups = [(area, narrower[area.pk]) for area in areas if narrower[area.pk]]
    if profile is not None:
        others = [
            choice.interest
            for choice in profile.choices.all()
            if choice.interest_id not in shown
            and choice.interest_id not in area_ids
            and choice.interest.key not in AREA_KEYS
        ]
        if others:
            groups.append((ALSO_CHOSEN, sorted(others, key=lambda i: i.label)))
    return groups

"""Reads for the directory and the interest inventory. A practice's directory is visible to its
therapists and its clients, never to another practice."""

from django.db.models import Q, QuerySet
from django.http import Http404

from outward.care import happenings
from outward.care.models import Client, Practice
from outward.lib.forms import row_id

from .matching.ranking import (
    INTENSITY_WORDS,
    hidden_resources,  # noqa: F401  (a matching selector)
    suggestions,
)
from .models import (
    Area,
    Interest,
    InterestChoice,
    InterestProfile,
    Mark,
    Plan,
    Resource,
    resource_setting,
)
from .taxonomy import AREA_KEYS


def directory(*, practice: Practice, search: str = "", kind: str = "") -> QuerySet[Resource]:
    resources = Resource.objects.filter(practice=practice)
    if search:
        resources = resources.filter(name__icontains=search)
    if kind:
        resources = resources.filter(kind=kind)
    return resources.prefetch_related("interests").order_by("name", "pk")


def resource_for_practice(*, practice: Practice, resource_id: int) -> Resource:
    resource = Resource.objects.filter(practice=practice, pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def top_level_interests() -> QuerySet[Interest]:
    """Outward's own areas (each with its narrower interests; OpenActive under sport)."""
    return Interest.objects.filter(key__in=AREA_KEYS).order_by("label")


def profile(*, client: Client) -> InterestProfile | None:
    return (
        InterestProfile.objects.filter(client=client)
        .select_related("area")
        .prefetch_related("choices__interest", "free_windows")
        .first()
    )


def areas(*, practice: Practice) -> QuerySet[Area]:
    return Area.objects.filter(practice=practice).order_by("name")


def area_name(resource: Resource) -> str:
    """The area an entry without coordinates was placed in, or ""."""
    if resource.placed_in_id is None:
        return ""
    return (
        Area.objects.filter(pk=resource.placed_in_id).values_list("name", flat=True).first() or ""
    )


def setting_hints(client: Client) -> set[str]:
    """The settings (see models.resource_setting) of the groups the client is drawn to: those
    that share an interest they chose, those the care team pinned for them and those they
    planned to go to; and "online" when they asked for online groups. Two queries."""
    chosen = InterestChoice.objects.filter(profile__client=client).values("interest_id")
    pinned = Mark.objects.filter(client=client, state=Mark.State.PINNED).values("resource_id")
    planned = Plan.objects.filter(client=client).values("resource_id")
    rows = (
        _reachable(client)
        .filter(Q(interests__in=chosen) | Q(pk__in=pinned) | Q(pk__in=planned))
        .values_list("kind", "online")
        .distinct()
    )
    hints = {resource_setting(kind, online) for kind, online in rows}
    if InterestProfile.objects.filter(client=client, mode=InterestProfile.Mode.ONLINE).exists():
        hints.add("online")
    return hints


# A directory resource as a rung on the client's fear ladder (the skills room asks through
# care.happenings, without importing this room). Its social intensity gives the first SUDS
# guess, which the client corrects.
RUNG_REF = "community.resource:"
RUNG_IDEAS = 20


UNGRADED_RUNG_INTENSITY = 3  # not assessed yet: the middle guess, which the client corrects


def _rung_idea(row: dict) -> happenings.RungIdea:
    intensity = row["social_intensity"]
    return happenings.RungIdea(
        ref=f"{RUNG_REF}{row['pk']}",
        text=row["name"],
        detail=str(INTENSITY_WORDS.get(intensity, "")),
        suds=happenings.suds_for_intensity(intensity or UNGRADED_RUNG_INTENSITY),
    )


def _reachable(client: Client) -> QuerySet[Resource]:
    """The client's practice's resources, less the ones the care team hid from them."""
    hidden = Mark.objects.filter(client=client, state=Mark.State.HIDDEN).values("resource_id")
    return Resource.objects.filter(practice_id=client.practice_id).exclude(pk__in=hidden)


def rung_ideas(*, client: Client, viewer, query: str = "") -> list[happenings.RungIdea]:
    """With a query, the directory's resources named so; without one, the client's own
    suggestions, best first (they need an interest inventory). A constant number of queries."""
    if query:
        rows = (
            _reachable(client)
            .filter(name__icontains=query)
            .order_by("name", "pk")
            .values("pk", "name", "social_intensity")[:RUNG_IDEAS]
        )
        return [_rung_idea(row) for row in rows]
    return [
        _rung_idea(
            {
                "pk": found.resource_id,
                "name": found.name,
                "social_intensity": found.social_intensity,
            }
        )
        for found in suggestions(
            client=client,
            limit=RUNG_IDEAS,
            ladder_level=happenings.exposure_level(client=client),
        )
    ]


def rung_idea(*, client: Client, viewer, ref: str) -> happenings.RungIdea | None:
    """The picked resource again, if the client may have it; None otherwise (a 404)."""
    resource_id = row_id(ref.removeprefix(RUNG_REF)) if ref.startswith(RUNG_REF) else None
    if resource_id is None:
        return None
    row = _reachable(client).filter(pk=resource_id).values("pk", "name", "social_intensity")
    return _rung_idea(row[0]) if row else None

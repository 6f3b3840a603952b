"""Reads for the directory and the interest inventory. A practice's directory is visible to its
therapists and its clients, never to another practice."""

from django.db.models import QuerySet
from django.http import Http404

from outward.care.models import Client, Practice

from .matching import hidden_resources, suggestions  # noqa: F401  (the matching selectors)
from .models import Area, Interest, InterestProfile, Resource


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
    """Outward's own areas, each with its narrower interests (OpenActive under sport)."""
    return Interest.objects.filter(source=Interest.Source.OUTWARD).order_by("label")


def profile(*, client: Client) -> InterestProfile | None:
    return (
        InterestProfile.objects.filter(client=client)
        .select_related("area")
        .prefetch_related("choices__interest", "free_windows")
        .first()
    )


def areas(*, practice: Practice) -> QuerySet[Area]:
    return Area.objects.filter(practice=practice).order_by("name")

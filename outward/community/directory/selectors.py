"""Reads for where directory entries are: the areas, and the entries clients cannot find by
place yet."""

from django.db.models import QuerySet

from outward.care.models import Practice

from ..models import Area, PlaceCentroid, Resource


def needs_location(*, practice: Practice) -> QuerySet[Resource]:
    """In-person entries with neither coordinates nor an area: no client sees them by place."""
    return (
        Resource.objects.filter(
            practice=practice, online=False, latitude__isnull=True, placed_in__isnull=True
        )
        .exclude(kind=Resource.Kind.ONLINE)
        .order_by("name", "pk")
        .only("pk", "name", "kind", "address", "postcode", "source")
    )


def area_for_practice(*, practice: Practice, area_id: int) -> Area | None:
    return Area.objects.filter(practice=practice, pk=area_id).first()


def centroid_count(*, practice: Practice) -> int:
    return PlaceCentroid.objects.filter(practice=practice).count()

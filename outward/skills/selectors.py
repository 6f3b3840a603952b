"""Reads for the skills room: fear ladders and their rungs, as the viewer may see them."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from outward.care.models import Client

from .models import FearLadder, Rung


def ladders(*, client: Client, viewer, archived: bool = False) -> QuerySet[FearLadder]:
    """The client's ladders (active ones by default), each with its rungs in SUDS order, in
    two queries whatever the number of ladders and rungs."""
    rungs = Rung.objects.for_viewer(client=client, viewer=viewer).order_by(
        "expected_suds", "position", "id"
    )
    return (
        FearLadder.objects.for_viewer(client=client, viewer=viewer)
        .filter(archived__isnull=not archived)
        .prefetch_related(Prefetch("rungs", queryset=rungs))
        .order_by("created", "id")
    )


def ladder_for_client(*, client: Client, viewer, ladder_id: int) -> FearLadder:
    ladder = (
        FearLadder.objects.for_viewer(client=client, viewer=viewer).filter(pk=ladder_id).first()
    )
    if ladder is None:
        raise Http404
    return ladder

"""Reads for the skills room: fear ladders and their rungs, as the viewer may see them, and
the client's current rung (the lowest not yet done), which matching reads as a level."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from outward.care import happenings
from outward.care.models import Client

from .models import FearLadder, Rung

RUNG_ORDER = ("expected_suds", "position", "id")


def ladders(*, client: Client, viewer, archived: bool = False) -> QuerySet[FearLadder]:
    """The client's ladders (active ones by default, oldest first), each with its rungs in
    SUDS order, in two queries whatever the number of ladders and rungs."""
    rungs = Rung.objects.for_viewer(client=client, viewer=viewer).order_by(*RUNG_ORDER)
    return (
        FearLadder.objects.for_viewer(client=client, viewer=viewer)
        .filter(archived__isnull=not archived)
        .prefetch_related(Prefetch("rungs", queryset=rungs))
        .order_by("-archived" if archived else "created", "id")
    )


def ladder_for_client(*, client: Client, viewer, ladder_id: int) -> FearLadder:
    """One of the client's ladders, or a 404 exactly as for a ladder that does not exist."""
    ladder = (
        FearLadder.objects.for_viewer(client=client, viewer=viewer).filter(pk=ladder_id).first()
    )
    if ladder is None:
        raise Http404
    return ladder


def rung_for_client(*, client: Client, viewer, rung_id: int) -> Rung:
    rung = (
        Rung.objects.for_viewer(client=client, viewer=viewer)
        .select_related("ladder")
        .filter(pk=rung_id)
        .first()
    )
    if rung is None:
        raise Http404
    return rung


@dataclass(frozen=True)
class LadderView:
    """A ladder with its rungs in order and where the client is on it."""

    ladder: FearLadder
    rungs: list[Rung]
    current: Rung | None  # the lowest rung not yet done
    done: int

    @property
    def total(self) -> int:
        return len(self.rungs)


def ladder_view(ladder: FearLadder, rungs: list[Rung] | None = None) -> LadderView:
    """`rungs` in order, or the ladder's prefetched ones (no query either way)."""
    rungs = list(ladder.rungs.all()) if rungs is None else rungs
    current = next((rung for rung in rungs if rung.status != Rung.Status.DONE), None)
    done = sum(rung.status == Rung.Status.DONE for rung in rungs)
    return LadderView(ladder, rungs, current, done)


def ladder_rungs(*, ladder: FearLadder, viewer) -> list[Rung]:
    """A ladder's rungs in order, in one query."""
    return list(
        Rung.objects.for_viewer(client=ladder.client, viewer=viewer)
        .filter(ladder=ladder)
        .order_by(*RUNG_ORDER)
    )


def exposure_level(client: Client) -> int | None:
    """The social intensity (1–5) of the client's current rung: the lowest rung not yet done
    on any ladder they are working on (not archived). With every rung done, the highest rung
    reached. None with no rung at all. One query."""
    suds = list(
        Rung.objects.filter(client=client, ladder__archived__isnull=True)
        .order_by(*RUNG_ORDER)
        .values_list("expected_suds", "status")
    )
    if not suds:
        return None
    open_ = [value for value, status in suds if status != Rung.Status.DONE]
    return happenings.intensity_for_suds(open_[0] if open_ else suds[-1][0])

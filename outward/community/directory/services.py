"""Writes for where directory entries are: areas' postcode and place lists, the practice's
centroid file, and filling in coordinates (`locate`, which the import's apply calls too) —
from the centroid file, or, where a deployment allows it, an online geocoder in the task
worker (`geocode_resources`)."""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task

from outward.accounts.models import User
from outward.care import services as care_services
from outward.care.models import Practice, SecurityEvent

from ..models import Area, GeocodeCache, PlaceCentroid, Resource
from . import places

BATCH = 2000


@dataclasses.dataclass
class Located:
    """What `locate` did: entries given coordinates, entries placed in an area, and in-person
    entries still without either."""

    filled: int = 0
    placed: int = 0
    missing: int = 0


def area_index(practice_id: int) -> places.AreaIndex:
    return places.AreaIndex.of(
        places.AreaLists(*row)
        for row in Area.objects.filter(practice_id=practice_id).values_list(
            "pk", "name", "postcodes", "places"
        )
    )


@transaction.atomic
def area_save(
    *, practice: Practice, area: Area | None = None, actor: User, ip: str | None, **fields
) -> Area:
    """Add or change an area; then every entry without coordinates is placed again, since
    the area's lists may now name it (or no longer do)."""
    area = area or Area(practice=practice)
    for name, value in fields.items():
        setattr(area, name, value)
    area.postcodes = "\n".join(places.split_list(area.postcodes))
    area.places = "\n".join(places.split_list(area.places))
    area.full_clean()
    area.save()
    care_services.security_event_record(
        practice=practice,
        actor=actor,
        action=SecurityEvent.Action.DIRECTORY_IMPORT,
        target=f"area {area.pk}",
        ip=ip,
    )
    locate_soon(practice=practice, centroids=False)
    return area


def _unlocated(practice_id: int):
    """In-person live entries with no coordinates."""
    return Resource.objects.filter(
        practice_id=practice_id, online=False, latitude__isnull=True
    ).exclude(kind=Resource.Kind.ONLINE)


def locate(
    *,
    practice: Practice,
    resource_ids: list[int] | None = None,
    since: datetime.datetime | None = None,
    centroids: bool = True,
) -> Located:
    """Give in-person entries without coordinates the centroid of their postcode (or, failing
    that, of the place their address names) from the practice's centroid file, and place the
    rest in the area whose postcodes or places they name. `resource_ids` narrows it to some,
    `since` to those changed since then (an import's); by default every such entry of the
    practice. A batch per transaction:
    reads whose entries change meanwhile are only placed again next time."""
    index = area_index(practice.pk)
    outcome = Located()
    rows = _unlocated(practice.pk)
    if resource_ids is not None:
        rows = rows.filter(pk__in=resource_ids)
    if since is not None:
        rows = rows.filter(updated__gte=since)
    last = 0
    while batch := list(
        rows.filter(pk__gt=last)
        .order_by("pk")
        .values("pk", "postcode", "address", "placed_in_id")[:BATCH]
    ):
        last = batch[-1]["pk"]
        found = _centroids_for(practice.pk, batch) if centroids else {}
        moved, placed = [], []
        for row in batch:
            if row["pk"] in found:
                latitude, longitude = found[row["pk"]]
                moved.append(
                    Resource(pk=row["pk"], latitude=latitude, longitude=longitude, placed_in=None)
                )
                continue
            area_id = index.area_for(postcode=row["postcode"], address=row["address"])
            if area_id is not None:
                outcome.placed += 1
            else:
                outcome.missing += 1
            if area_id != row["placed_in_id"]:
                placed.append(Resource(pk=row["pk"], placed_in_id=area_id))
        with transaction.atomic():
            Resource.objects.bulk_update(moved, ["latitude", "longitude", "placed_in"])
            Resource.objects.bulk_update(placed, ["placed_in"])
        outcome.filled += len(moved)
    return outcome


LOCATE_NOW = 2000  # more entries than this to look at: the worker does it


def locate_soon(*, practice: Practice, centroids: bool = True) -> Located | None:
    """`locate` every unlocated entry of the practice here and now, or, when there are more
    than LOCATE_NOW (seconds of work, too long for a page), in the task worker: then None."""
    if _unlocated(practice.pk).count() <= LOCATE_NOW:
        return locate(practice=practice, centroids=centroids)
    locate_practice.enqueue(practice_id=practice.pk, centroids=centroids)
    return None


@task()
def locate_practice(*, practice_id: int, centroids: bool = True) -> int:
    """The worker's `locate` of a practice's unlocated entries: how many still need one."""
    practice = Practice.objects.filter(pk=practice_id).first()
    if practice is None:
        return 0
    return locate(practice=practice, centroids=centroids).missing


def _centroids_for(practice_id: int, rows: list[dict]) -> dict[int, tuple[float, float]]:
    """pk → (latitude, longitude) for the rows the practice's centroid file knows, by
    postcode first, then by place name (two queries a batch)."""
    wanted = {
        row["pk"]: places.centroid_keys(postcode=row["postcode"], address=row["address"])
        for row in rows
    }
    codes = {code for keys, _names in wanted.values() for code in keys}
    names = {name for _keys, found in wanted.values() for name in found}
    known: dict[tuple[str, str], tuple[float, float]] = {}
    lookups = [(PlaceCentroid.Kind.POSTCODE, codes), (PlaceCentroid.Kind.PLACE, names)]
    for kind, keys in lookups:
        if keys:
            for key, latitude, longitude in PlaceCentroid.objects.filter(
                practice_id=practice_id, kind=kind, key__in=keys
            ).values_list("key", "latitude", "longitude"):
                known[(kind, key)] = (latitude, longitude)
    found = {}
    for pk, (codes_, names_) in wanted.items():
        for key in [(PlaceCentroid.Kind.POSTCODE, code) for code in codes_] + [
            (PlaceCentroid.Kind.PLACE, name) for name in names_
        ]:
            if key in known:
                found[pk] = known[key]
                break
    return found


class CentroidsRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def centroids_load(
    *,
    practice: Practice,
    data: bytes,
    file_name: str,
    actor: User | None,
    ip: str | None,
    now: bool = False,
) -> tuple[int, Located | None]:
    """Replace the practice's centroid file with this one, all or nothing (any bad line: the
    old one stays and CentroidsRefused lists the problems), then fill in coordinates (here,
    or with many entries in the worker; `now`: here whatever their number). Returns
    (centroids kept, what locating did or None if the worker does it)."""
    read = places.read_centroids(data)
    if read.problems:
        raise CentroidsRefused(read.problems)
    with transaction.atomic():
        PlaceCentroid.objects.filter(practice=practice).delete()
        PlaceCentroid.objects.bulk_create(
            (
                PlaceCentroid(
                    practice=practice,
                    kind=centroid.kind,
                    key=centroid.key,
                    label=centroid.label,
                    latitude=centroid.latitude,
                    longitude=centroid.longitude,
                )
                for centroid in read.centroids
            ),
            batch_size=BATCH,
        )
        care_services.security_event_record(
            practice=practice,
            actor=actor,
            action=SecurityEvent.Action.DIRECTORY_IMPORT,
            target=f"centroids: {file_name}"[:200],
            after=f"{len(read.centroids)} centroids",
            ip=ip,
        )
    located = locate(practice=practice) if now else locate_soon(practice=practice)
    return len(read.centroids), located


# --- The online geocoder (off unless settings.OUTWARD_GEOCODER_URL is set) ----------------

GEOCODE_PER_RUN = 500  # at 1 request a second, about eight minutes of the worker's time


def geocoder_enabled() -> bool:
    return bool(getattr(settings, "OUTWARD_GEOCODER_URL", ""))


def _geocoder():
    """A rate-limited (1 request a second) Nominatim client for the configured server."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    server = settings.OUTWARD_GEOCODER_URL
    scheme, _sep, domain = server.partition("://")
    nominatim = Nominatim(
        domain=domain.rstrip("/"),
        scheme=scheme or "https",
        user_agent=settings.OUTWARD_GEOCODER_USER_AGENT,
        timeout=10,
    )
    return RateLimiter(
        nominatim.geocode, min_delay_seconds=1.0, max_retries=1, swallow_exceptions=True
    )


def public_query(*, address: str, postcode: str) -> str:
    """What is sent for an entry: its public address and postcode as listed in the
    directory, nothing else."""
    return ", ".join(part.strip() for part in (address, postcode) if part.strip())[:400]


def geocode_resources(*, practice: Practice, geocode=None, limit: int = GEOCODE_PER_RUN) -> int:
    """Ask the online geocoder for in-person entries still without coordinates (up to
    `limit`), each distinct address once ever (GeocodeCache). Only a directory entry's public
    address and postcode are sent. Returns how many entries got coordinates. `geocode` is a
    callable (query → object with .latitude/.longitude, or None) for tests."""
    if geocode is None:
        if not geocoder_enabled():
            return 0
        geocode = _geocoder()
    rows = list(
        _unlocated(practice.pk)
        .filter(~Q(address="") | ~Q(postcode=""))
        .order_by("pk")
        .values("pk", "address", "postcode")[:limit]
    )
    queries = {
        row["pk"]: public_query(address=row["address"], postcode=row["postcode"]) for row in rows
    }
    cached = {
        entry.query: entry for entry in GeocodeCache.objects.filter(query__in=set(queries.values()))
    }
    filled = 0
    for pk, query in queries.items():
        entry = cached.get(query)
        if entry is None:
            answer = geocode(query)
            entry = GeocodeCache.objects.create(
                query=query,
                latitude=getattr(answer, "latitude", None),
                longitude=getattr(answer, "longitude", None),
            )
            cached[query] = entry
        if entry.latitude is not None:
            filled += Resource.objects.filter(pk=pk, latitude__isnull=True).update(
                latitude=entry.latitude, longitude=entry.longitude, placed_in=None
            )
    return filled


@task()
def geocode_practice(*, practice_id: int) -> int:
    """The worker's run of the online geocoder for one practice."""
    practice = Practice.objects.filter(pk=practice_id).first()
    if practice is None:
        return 0
    return geocode_resources(practice=practice)

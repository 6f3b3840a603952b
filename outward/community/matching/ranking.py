"""Explainable matching: a practice's resources ranked for one client's interest inventory.

Two steps, so that ranking the top 20 of 100,000 resources stays under 50 ms (see
benchmarks/matching.py):

1. **A first cut in the database** (`candidate_rows`, one query): the practice's resources the
   client could reach, never the ones hidden for them, as a few capped pools of ids picked from
   indexes — the nearest in person inside a latitude/longitude box around their area's centroid
   (an index-only scan of `resource_live_place`), the nearest of those tagged with an
   interest they chose, a taxonomy neighbour of one or an interest named in their own words,
   online ones if their in-person/online choice allows, the newest without coordinates placed
   in an area within reach, and the pinned ones — then those rows as plain `.values()` dicts.
   At most about 640 rows, whatever the size of the directory.
2. **Scoring in Python** on those rows (no model instances, a constant number of queries):
   interest fit, free-text relevance, distance, schedule fit, cost, access, in-person/online
   and *anxiety fit*, each a number in 0…1 weighted into a score out of 100. Only the chosen
   few get a reason sentence.

Entries without coordinates (most real directories have an address or postcode, not
latitude/longitude) still count when the practice's area lists name their postcode or place
(`Resource.placed_in`, kept by directory.places): for a client whose area is within reach of
that area they are in a pool of their own, ranked a little below a known short distance, and
their reason says so honestly ("in Northside — distance not known").

Anxiety fit compares a resource's social intensity (1 a shared task where talking is optional …
5 open mingling) with where the client is on their exposure work: callers pass
`suggestions(ladder_level=happenings.exposure_level(client=...))`, the intensity (1–5) of the
client's current fear-ladder rung, which the skills room registers in care. Near it ranks
higher ("close to where you are on your ladder"), a step or two above a little lower, far above
lowest. With no rung on a ladder (None), intensity 1–2 is preferred and the reason says so
("low pressure to start"). An entry nobody has graded yet (intensity None) scores a neutral
UNKNOWN_SHARE and its reason says the pressure is not known, never a level.
"""

import datetime
import math
import os
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Case, Count, Max, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care.models import Client
from outward.lib.moments import WEEKDAYS_PLURAL
from outward.lib.money import money
from outward.lib.rows import table

from .. import taxonomy
from ..models import (
    RESOURCE_FIELDS,
    Area,
    FreeWindow,
    Interest,
    InterestChoice,
    InterestProfile,
    Mark,
    Resource,
    ResourceOccurrence,
)

# How much each part of the fit counts, out of 100.
WEIGHTS = {
    "interest": 35,
    "text": 15,
    "place": 15,
    "time": 10,
    "cost": 8,
    "access": 5,
    "anxiety": 12,
}
NEIGHBOUR_SHARE = 0.5  # a broader or narrower taxonomy neighbour counts half an exact match
EXTRA_MATCH_SHARE = 0.15  # each further matching interest adds a little, up to a full match
TEXT_INTEREST_SHARE = 0.6  # tagged with an interest the client named in their own words
ONLINE_SHARE_EITHER = 0.3  # "either": online supplements in-person life; counts as the farthest
UNKNOWN_SHARE = 0.5  # no area, no free windows or no schedule: neither for nor against
NO_NEEDS_ACCESS_SHARE = 0.6  # access needs not stated: notes neither help nor hurt
PREFERRED_INTENSITY = 2  # with no fear-ladder rung yet: structured, talking optional
# The first cut's pools (see candidate_rows): at most about 640 rows are scored in Python.
NEAR_POOL = 150  # nearest reachable in-person resources, whatever their tags
PLACED_POOL = 40  # newest reachable ones without coordinates, placed in an area within reach
PLACED_TAGGED_POOL = 80  # of those, the newest tagged with a wanted interest
PLACED_SHARE = 0.6  # in the client's own area, distance unknown: like about 2 km of 5
PLACED_NEARBY_SHARE = 0.4  # in another area within reach, distance unknown
TAGGED_POOL = 250  # nearest reachable in-person resources with a wanted interest
TAGGED_SCAN = 3000  # interest tags (of any practice) read to find those, rare ones all
ONLINE_POOL = 80  # online resources with a wanted interest
ONLINE_NEAR = 40  # online resources whatever their tags (free text can find them)
HORIZON = datetime.timedelta(weeks=8)  # dated occurrences looked at for schedule fit
ASSUMED_MINUTES = 90  # a meeting with no end time is taken to last this long
EARTH_KM = 6371.0088
KM_PER_DEGREE = 111.32

# The plain words for each social intensity, as the client reads them in a reason.
INTENSITY_WORDS = {
    1: gettext_lazy("structured, talking optional"),
    2: gettext_lazy("structured, some chatting"),
    3: gettext_lazy("small-group conversation"),
    4: gettext_lazy("lots of talking with new people"),
    5: gettext_lazy("open mingling with strangers"),
}

# Words that say nothing about what a person likes: English stop-words, and the words every
# group's description uses ("club", "join", "friendly", "people").
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each else
    even ever few for from further get gets getting go goes going got had has have having he
    her here hers herself him himself his how i i'd i'll i'm i've if in into is it it's its
    itself just lot lots me more most much my myself no nor not now of off on once only or
    other our ours ourselves out over own really same she should so some something such than
    that the their theirs them themselves then there these they this those through to too
    under until up us used use very was we were what when where which while who whom why will
    with would you your yours yourself yourselves don't didn't can't won't maybe bit little
    kind kinds sort sorts thing things stuff anything everything like likes liked love loved
    loves enjoy enjoyed enjoys want wanted wants try trying tried interested interest interests
    into fan new old again back way ways time times day days week weeks weekly people person
    friend friends friendly make making meet meeting meets meetup join joining club clubs group
    groups class classes society session sessions local community welcome everyone all-ages
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


# --- Text ---------------------------------------------------------------------------------


_fold = taxonomy.fold  # lower case without accents, as the taxonomy compares words


def stem(word: str) -> str:
    """A folded word's Snowball stem (taxonomy.stem), cut back to where it still begins the
    word, because resource text is matched by word *prefix* against it: "knitting" → "knit"
    (knitters, knitted), "pottery" → "potter" (not Snowball's "potteri"), "games" → "game"."""
    return os.path.commonprefix([taxonomy.stem(word), word])


@dataclass(frozen=True)
class Term:
    """One meaningful word (or hyphenated compound) from the client's own words."""

    surface: str  # as the client wrote it, for the reason
    stem: str  # folded and stemmed, for comparing with taxonomy labels
    pattern: str  # a regular expression for the start of the word's forms in a resource's text
    needle: str  # a plain substring every match contains: a cheap test before the pattern


def terms(text: str) -> list[Term]:
    """The client's free text as search terms, without stop-words, first occurrence first."""
    found: dict[str, Term] = {}
    for match in _WORD.finditer(text):
        surface = match.group()
        folded = _fold(surface).replace("’", "'")
        if folded in STOP_WORDS or len(folded) < 3 or folded.isdigit():
            continue
        parts = [part for part in re.split(r"[-']", folded) if part]
        if len(parts) > 1:
            # "sci-fi" matches "sci-fi", "sci fi" and "scifi"; its parts alone would match
            # "science". Possessives ("people's") keep only their word.
            if folded.endswith("'s"):
                parts = parts[:-1]
            word, needle = "".join(parts), parts[0]
            pattern = r"[-'’\s]?".join(map(re.escape, parts))
        else:
            word = needle = stem(folded)
            pattern = re.escape(word)
        if word not in found and word not in STOP_WORDS:
            found[word] = Term(surface=surface, stem=word, pattern=pattern, needle=needle)
    return list(found.values())


@lru_cache(maxsize=4096)
def naming_stems(label: str, examples: str = "") -> tuple[frozenset[str], frozenset[str]]:
    """How the client's own words can name an interest: all of its label's words, or (for
    Outward's areas, whose definitions list examples) any one example ("pottery" names Arts
    and crafts). Cached: the taxonomy's wording changes only with a release."""
    return frozenset(t.stem for t in terms(label)), frozenset(t.stem for t in terms(examples))


# --- Geography and time -------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    lat: float, lon: float, km: float
) -> tuple[float, float, float | None, float | None]:
    """(south, north, west, east) around a point, a little wider than `km` each way; west and
    east are None near a pole or across the antimeridian (then latitude alone cuts)."""
    d_lat = km / KM_PER_DEGREE * 1.01
    south, north = lat - d_lat, lat + d_lat
    widest = max(abs(south), abs(north))
    if widest >= 89:
        return max(south, -90), min(north, 90), None, None
    d_lon = km / (KM_PER_DEGREE * math.cos(math.radians(widest))) * 1.01
    west, east = lon - d_lon, lon + d_lon
    if west < -180 or east > 180:
        return south, north, None, None
    return south, north, west, east


def _on_the_day(midnight_utc: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """An all-day meeting's date (stored as midnight UTC) as midnight on the viewer's clock."""
    day = midnight_utc.astimezone(datetime.UTC).date()
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)


@lru_cache(maxsize=256)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


@dataclass(frozen=True)
class Window:
    """A weekly free window in the client's own time zone, in minutes after midnight."""

    weekday: int
    start: int
    end: int


def _minutes(moment: datetime.datetime | datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def window_fit(
    windows: Sequence[Window], start: datetime.datetime, end: datetime.datetime | None
) -> float:
    """1 if the meeting (in the client's time zone) lies inside a free window, 0.5 if it
    starts in one but runs past its end, 0 if it starts outside them all."""
    first = _minutes(start)
    if end is None:
        last = first + ASSUMED_MINUTES
    elif end.date() != start.date():
        last = 24 * 60  # runs past midnight: judged on the evening it starts
    else:
        last = max(_minutes(end), first)
    best = 0.0
    for window in windows:
        if window.weekday == start.weekday() and window.start <= first < window.end:
            if last <= window.end:
                return 1.0
            best = 0.5
    return best


# --- The client's side --------------------------------------------------------------------


@dataclass
class MatchProfile:
    """All matching needs to know about one client, read in a few queries."""

    client_id: int
    practice_id: int
    time_zone: zoneinfo.ZoneInfo
    # interest id → (strength 1–3, label)
    chosen: dict[int, tuple[int, str]] = field(default_factory=dict)
    # neighbour interest id → (strength of the chosen interest it neighbours, chosen label)
    neighbours: dict[int, tuple[int, str]] = field(default_factory=dict)
    # interest id → the client's words that named it ("board games" → Games)
    named: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # every interest mentioned above
    terms: list[Term] = field(default_factory=list)
    windows: tuple[Window, ...] = ()
    origin: tuple[float, float] | None = None  # the area's centroid
    area_name: str = ""
    area_id: int | None = None
    # The practice's areas whose centroid is within reach (the client's own among them):
    # id → name, for entries placed in an area rather than at coordinates.
    areas_in_reach: dict[int, str] = field(default_factory=dict)
    max_travel_km: float = 5.0
    budget: Decimal = Decimal(0)
    access_needs: str = ""
    mode: str = InterestProfile.Mode.EITHER

    @property
    def wanted_interests(self) -> set[int]:
        return set(self.chosen) | set(self.neighbours) | set(self.named)

    @property
    def has_wishes(self) -> bool:
        """Said what they like (interests or their own words): then a resource must fit some."""
        return bool(self.chosen or self.terms)


def match_profile(*, client: Client) -> MatchProfile | None:
    """The client's inventory as matching reads it; None until they have filled it in.
    At most six queries whatever the size of the taxonomy or the directory, in plain SQL (see
    _fetch)."""
    found = _fetch(
        "SELECT id, free_text, max_travel_km, budget_per_session, accessibility_needs, mode,"  # noqa: S608
        f" area_id FROM {table(InterestProfile)} WHERE client_id = %s",
        [client.pk],
    )
    if not found:
        return None
    profile_id, free_text, max_travel_km, budget, access_needs, mode, area_id = found[0]
    match = MatchProfile(
        client_id=client.pk,
        practice_id=client.practice_id,
        time_zone=_zone(client.user.time_zone),
        terms=terms(free_text),
        max_travel_km=float(max_travel_km),
        # SQLite hands a decimal column back as an int or a float; its text is the amount.
        budget=Decimal(str(budget)),
        access_needs=access_needs.strip(),
        mode=mode,
        area_id=area_id,
    )
    if match.area_id is not None:
        _add_areas(match)
    for interest_id, strength, label in _fetch(
        f"SELECT c.interest_id, c.strength, i.label FROM {table(InterestChoice)} AS c"  # noqa: S608
        f" JOIN {table(Interest)} AS i ON i.id = c.interest_id WHERE c.profile_id = %s",
        [profile_id],
    ):
        match.chosen[interest_id] = (strength, label)
        match.labels[interest_id] = label
    match.windows = tuple(
        Window(weekday, _minutes(start), _minutes(end))
        for weekday, start, end in _fetch(
            f'SELECT weekday, start, "end" FROM {table(FreeWindow)}'  # noqa: S608
            " WHERE profile_id = %s ORDER BY weekday, start",
            [profile_id],
        )
    )
    if match.chosen:
        _add_neighbours(match)
    if match.terms:
        _add_named_interests(match)
    return match


def _fetch(sql: str, params: list) -> list[tuple]:
    """The rows of one plain-SQL query. Matching's reads other than the candidates' rows go
    this way: building each through the ORM cost more CPU than running it (about half a
    millisecond a query for the inventory's, on every ranking)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _add_areas(match: MatchProfile) -> None:
    """The client's area (its name and centroid, the origin of distances) and the practice's
    areas whose centroid is within their reach, in one query."""
    areas = _fetch(
        f"SELECT id, name, latitude, longitude FROM {table(Area)} WHERE practice_id = %s",  # noqa: S608
        [match.practice_id],
    )
    for pk, name, latitude, longitude in areas:
        if pk == match.area_id:
            match.area_name, match.origin = name, (latitude, longitude)
    if match.origin is None:
        return
    for pk, name, latitude, longitude in areas:
        if haversine_km(*match.origin, latitude, longitude) <= match.max_travel_km:
            match.areas_in_reach[pk] = name


def _add_neighbours(match: MatchProfile) -> None:
    """One step up or down the taxonomy from each chosen interest."""
    narrower_of, chosen = _in("b.from_interest_id", match.chosen)
    broader_of, __ = _in("b.to_interest_id", match.chosen)  # the same parameters
    links = _fetch(
        "SELECT b.from_interest_id, b.to_interest_id, n.label, w.label"  # noqa: S608
        f" FROM {table(Interest.broader.through)} AS b"
        f" JOIN {table(Interest)} AS n ON n.id = b.from_interest_id"
        f" JOIN {table(Interest)} AS w ON w.id = b.to_interest_id"
        f" WHERE {narrower_of} OR {broader_of}",
        [*chosen, *chosen],
    )
    for narrower, broader, narrower_label, broader_label in links:
        for mine, theirs, their_label in (
            (narrower, broader, broader_label),
            (broader, narrower, narrower_label),
        ):
            if mine in match.chosen and theirs not in match.chosen:
                strength, label = match.chosen[mine]
                if strength > match.neighbours.get(theirs, (0, ""))[0]:
                    match.neighbours[theirs] = (strength, label)
                match.labels[theirs] = their_label


def _add_named_interests(match: MatchProfile) -> None:
    """Taxonomy interests the client named in their own words ("board games" names Games,
    "pottery" names Arts and crafts), so the database's first cut finds resources tagged with
    them even where the words themselves are not in the description."""
    by_stem = {term.stem: term.surface for term in match.terms}
    index = _naming_index()
    candidates = {entry[0]: entry for stem in by_stem for entry in index.get(stem, ())}
    for interest_id, label, label_stems, example_stems in sorted(candidates.values()):
        if label_stems and label_stems <= by_stem.keys():
            said = sorted(label_stems)
        else:
            said = sorted(example_stems & by_stem.keys())
        if said and interest_id not in match.chosen:
            match.named[interest_id] = ", ".join(by_stem[stem] for stem in said)
            match.labels[interest_id] = label


# The taxonomy by the stems that name its interests, built once per process and rebuilt when
# the taxonomy changes: reading and stemming all of it on every ranking was a fifth of the
# ranking's CPU. The version (how many interests, the newest id) catches loads and bulk
# writes; saving or deleting one through the ORM forgets the index at once.
_naming = {"version": None, "index": {}}


def _naming_index() -> dict[str, list[tuple[int, str, frozenset, frozenset]]]:
    version = tuple(Interest.objects.aggregate(count=Count("pk"), last=Max("pk")).values())
    if _naming["version"] != version:
        index: dict[str, list] = defaultdict(list)
        rows = Interest.objects.annotate(
            examples=Case(
                When(source=Interest.Source.OUTWARD, then="definition"),
                default=Value(""),
                output_field=TextField(),
            )
        ).values_list("pk", "label", "examples")
        for interest_id, label, examples in rows:
            label_stems, example_stems = naming_stems(label, examples)
            entry = (interest_id, label, label_stems, example_stems)
            for stem in label_stems | example_stems:
                index[stem].append(entry)
        _naming.update(version=version, index=dict(index))
    return _naming["index"]


@receiver([post_save, post_delete], sender=Interest)
def _forget_naming_index(**kwargs) -> None:
    _naming["version"] = None


# --- Suggestions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    resource_id: int
    name: str
    description: str
    kind: str
    online: bool
    address: str
    postcode: str  # shown where the distance is not known
    contact_url: str
    cost_per_session: Decimal | None
    accessibility: str
    group_size: str
    social_intensity: int | None  # None: not assessed yet
    last_verified: datetime.date | None
    distance_km: float | None
    next_meeting: datetime.datetime | None  # aware; the next (free-time) meeting if known
    score: float
    reason: str
    pinned: bool
    area_name: str = ""  # placed in this area, distance not known (no coordinates)

    @property
    def kind_label(self) -> str:
        return Resource.Kind(self.kind).label if self.kind in Resource.Kind.values else self.kind


RESOURCE_VALUES = ("pk", *RESOURCE_FIELDS, "time_zone", "placed_in_id")


def suggestions(
    *,
    client: Client,
    limit: int = 20,
    ladder_level: int | None = None,
    now: datetime.datetime | None = None,
    profile: MatchProfile | None = None,
    about: str = "",
) -> list[Suggestion]:
    """The best `limit` resources of the client's practice for them, pinned first, hidden never,
    each with a reason. Empty until the client has an interest inventory. A constant number of
    queries (at most ten), whatever the size of the directory. Pass `profile` if read. The
    reasons speak to the client ("your interest in…"), or, given `about` (the client's name),
    to the care team about them ("Alex's interest in…")."""
    profile = profile or match_profile(client=client)
    if profile is None:
        return []
    now = now or timezone.now()
    marks = dict(
        _fetch(
            f"SELECT resource_id, state FROM {table(Mark)} WHERE client_id = %s",  # noqa: S608
            [profile.client_id],
        )
    )
    pinned = {pk for pk, state in marks.items() if state == Mark.State.PINNED}
    hidden = {pk for pk, state in marks.items() if state == Mark.State.HIDDEN}
    rows = candidate_rows(profile=profile, pinned=pinned, hidden=hidden)
    if not rows:
        return []
    tags = _tags([row["pk"] for row in rows])
    unscheduled = [row["pk"] for row in rows if row["weekday"] is None or row["start_time"] is None]
    upcoming, passed = _occurrences(unscheduled, now)
    ranker = Ranker(profile=profile, now=now, ladder_level=ladder_level, about=about)
    scored = []
    for row in rows:
        is_pinned = row["pk"] in pinned
        if row["pk"] in passed and not is_pinned:
            continue  # dated meetings, all in the past
        result = ranker.score(
            row, tags.get(row["pk"], ()), upcoming.get(row["pk"], ()), pinned=is_pinned
        )
        if result is not None:
            scored.append(result)
    scored.sort(
        key=lambda s: (not s.pinned, -s.total, s.distance_km or 0.0, s.row["name"], s.row["pk"])
    )
    return [ranker.suggestion(s) for s in scored[:limit]]


def candidate_rows(*, profile: MatchProfile, pinned: set[int], hidden: set[int]) -> list[dict]:
    """The database's first cut (see the module docstring), in one query: the rows, as dicts
    of RESOURCE_VALUES, of a few small pools of ids, each picked from an index:

    - near: the NEAR_POOL reachable resources nearest the client's area (an index-only scan of
      `resource_live_place`, ordered by a squared flat-earth distance computed from it);
    - tagged: the TAGGED_POOL nearest of those tagged with a wanted interest. The tagged ids
      come from the interest side (`resource_interests_by_interest`), at most TAGGED_SCAN of
      them: a rare interest is found wherever it is within reach; a common one fills `near`
      anyway;
    - placed: PLACED_POOL (and PLACED_TAGGED_POOL tagged) of the newest without coordinates
      placed in an area within reach (`resource_live_area`);
    - online (if the client's mode allows): ONLINE_POOL of those tagged ones that are online,
      and the ONLINE_NEAR newest others; four times as many for an online-only client;
    - pinned: always, wherever they are.

    On SQLite the tagged ids are read once, with the few columns the tagged pools choose by,
    into a common table (`tagged`) that all three tagged pools pick from: each checking the
    same TAGGED_SCAN ids against the resource table was most of the query's time there.

    The pools' SQL is written here rather than built by the ORM: building that query (a
    dozen nested querysets and a UNION) cost more CPU than running it, on every request.
    """
    pools = _pools(profile, pinned=pinned, hidden=hidden)
    if pools is None:
        return []
    sql, params = pools
    return list(
        Resource.objects.filter(practice_id=profile.practice_id)
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611
        .values(*RESOURCE_VALUES)
    )


def _in(column: str, values, *, negate: bool = False) -> tuple[str, list]:
    """ "column IN (%s, %s, …)" (or NOT IN) and its parameters, sorted so the SQL text is the
    same each time. On PostgreSQL the ids go as one array parameter ("column = ANY(%s)"):
    psycopg caches the parsing of a statement only up to 50 parameters and parses one of
    hundreds anew on every call, about 2 ms each time for the candidate query."""
    ordered = sorted(values)
    if connection.vendor == "postgresql":
        return (f"{column} <> ALL(%s)" if negate else f"{column} = ANY(%s)"), [ordered]
    marks = ", ".join(["%s"] * len(ordered))
    return f"{column} {'NOT IN' if negate else 'IN'} ({marks})", ordered


def _pools(profile: MatchProfile, *, pinned: set[int], hidden: set[int]) -> tuple[str, list] | None:
    """The ids of candidate_rows's pools as one SELECT (a UNION, after the `tagged` common
    table if an interest is wanted) and its parameters; None if no pool applies."""
    resources = table(Resource)
    # An entry flagged as the same group as one from another source is never suggested.
    live = "practice_id = %s AND staged_by_id IS NULL AND duplicate_of_id IS NULL"
    live_params: list = [profile.practice_id]
    if hidden:
        not_hidden, marked = _in("id", hidden, negate=True)
        live += f" AND {not_hidden}"
        live_params += marked
    wanted = profile.wanted_interests
    head, head_params = "", []
    # On SQLite the tagged ids and their rows' few columns the pools choose by are read once,
    # into a common table the tagged pools pick from: each pool looked all the ids up in the
    # table before. PostgreSQL filters each pool's own index scan through a hash of the ids
    # (a few ms from the index): measured, cheaper there than fetching the rows of them all.
    rows_in_tagged = connection.vendor == "sqlite"
    if wanted:
        through = table(Resource.interests.through)
        of_interests, interest_ids = _in("interest_id", wanted)
        # From the index `resource_interests_by_interest` alone, without a join to check the
        # practice (the live filter checks it): on PostgreSQL that join costs a scan of the
        # resource table. In the index's order (the lowest interest id first, then the oldest
        # resource), so both engines read the same TAGGED_SCAN tags: unordered, PostgreSQL
        # read them in a sequential scan, slower and a different set.
        scan = (
            f"SELECT resource_id FROM {through} WHERE {of_interests}"  # noqa: S608
            f" ORDER BY interest_id, resource_id LIMIT {TAGGED_SCAN}"
        )
        if rows_in_tagged:
            head = (
                "WITH tagged AS MATERIALIZED (SELECT id, latitude, longitude, placed_in_id, "  # noqa: S608
                f"online FROM {resources} WHERE {live} AND id IN ({scan})) "
            )
            head_params = live_params + interest_ids
    members: list[str] = []
    params: list = []

    def pool(where, where_params, order, order_params, limit: int, *, tagged, areas=()):
        if tagged and rows_in_tagged:
            source, source_params = "tagged WHERE TRUE", []
        else:
            source, source_params = f"{resources} WHERE {live}", live_params
            if tagged:
                where += f" AND id IN ({scan})"
                where_params = [*where_params, *interest_ids]
        picked = f"SELECT id FROM {source}{where} ORDER BY {order} LIMIT {limit}"  # noqa: S608
        head_of_pool: list = []
        if areas:  # the query once per area (its `a.area`), then the newest of them all
            picked = (
                f"SELECT q.id FROM unnest(%s::bigint[]) AS a(area), LATERAL ({picked}) AS q"  # noqa: S608
                f" ORDER BY q.id DESC LIMIT {limit}"
            )
            head_of_pool = [sorted(areas)]
        members.append(f"SELECT id FROM ({picked}) AS p{len(members)}")  # noqa: S608
        params.extend([*head_of_pool, *source_params, *where_params, *order_params])

    if profile.mode != InterestProfile.Mode.ONLINE:
        if profile.origin is None:  # no area: distance unknown, newest first
            where, where_params, order, order_params = " AND online = %s", [False], "id DESC", []
        else:
            lat, lon = profile.origin
            south, north, west, east = bounding_box(lat, lon, profile.max_travel_km)
            # No `online = false` here: it is not in the index, and reading every row in the
            # box to check it costs more than scoring the odd online resource with coordinates.
            where, where_params = " AND latitude >= %s AND latitude <= %s", [south, north]
            if west is not None:
                where += " AND longitude >= %s AND longitude <= %s"
                where_params += [west, east]
            squeeze = math.cos(math.radians(lat)) ** 2
            order = (
                "((latitude - %s) * (latitude - %s) + (longitude - %s) * (longitude - %s) * %s), id"
            )
            order_params = [lat, lat, lon, lon, squeeze]
        pool(where, where_params, order, order_params, NEAR_POOL, tagged=False)
        if wanted:
            pool(where, where_params, order, order_params, TAGGED_POOL, tagged=True)
        if profile.areas_in_reach:
            # Without coordinates, placed in an area within reach: newest first. PostgreSQL
            # reads each area's newest backwards from `resource_live_area`: over the areas at
            # once it walked the practice's ids backwards, or sorted every placed entry.
            if connection.vendor == "postgresql":
                where, area_ids, areas = " AND placed_in_id = a.area", [], profile.areas_in_reach
            else:
                in_areas, area_ids = _in("placed_in_id", profile.areas_in_reach)
                where, areas = f" AND {in_areas}", ()
            pool(where, area_ids, "id DESC", [], PLACED_POOL, tagged=False, areas=areas)
            if wanted:
                pool(where, area_ids, "id DESC", [], PLACED_TAGGED_POOL, tagged=True, areas=areas)
    if profile.mode != InterestProfile.Mode.IN_PERSON:
        # Online only: the in-person pools' share goes to online ones.
        scale = 4 if profile.mode == InterestProfile.Mode.ONLINE else 1
        pool(" AND online = %s", [True], "id DESC", [], ONLINE_NEAR * scale, tagged=False)
        if wanted:
            pool(" AND online = %s", [True], "id DESC", [], ONLINE_POOL * scale, tagged=True)
    if pinned:
        is_pinned, marked = _in("id", pinned)
        members.append(f"SELECT id FROM {resources} WHERE practice_id = %s AND {is_pinned}")  # noqa: S608
        params += [profile.practice_id, *marked]
    if not members:
        return None
    return head + " UNION ".join(members), head_params + params


def _tags(resource_ids: list[int]) -> dict[int, list[int]]:
    """resource id → its interest ids. Plain SQL: the ORM normalised each of the few hundred
    ids of the IN list, a tenth of the ranking's CPU."""
    of_resources, ordered = _in("resource_id", resource_ids)
    tags: dict[int, list[int]] = defaultdict(list)
    for resource_id, interest_id in _fetch(
        f"SELECT resource_id, interest_id FROM {table(Resource.interests.through)}"  # noqa: S608
        f" WHERE {of_resources}",
        ordered,
    ):
        tags[resource_id].append(interest_id)
    return tags


def _occurrences(resource_ids: Sequence[int], now: datetime.datetime):
    """Upcoming dated meetings within HORIZON for resources with no weekly time, and the set of
    those whose dated meetings are all in the past (one-off events that have happened). One
    statement in plain SQL (see _tags): the upcoming meetings, and the first meeting of each
    resource that had one before now."""
    upcoming: dict[int, list[tuple]] = defaultdict(list)
    if not resource_ids:
        return upcoming, set()
    occurrences = table(ResourceOccurrence)
    of_resources, ordered = _in("resource_id", resource_ids)
    # As the ORM passes them: SQLite compares stored UTC text, so `now` goes as that text.
    moment, horizon = (
        connection.ops.adapt_datetimefield_value(value) for value in (now, now + HORIZON)
    )
    seen_before: set[int] = set()
    for resource_id, start, end, all_day in _fetch(
        f'SELECT resource_id, start, "end", all_day FROM {occurrences}'  # noqa: S608
        f" WHERE {of_resources} AND start >= %s AND start < %s"
        f" UNION ALL SELECT resource_id, NULL, NULL, NULL FROM {occurrences} AS o"
        f" WHERE {of_resources} AND start < %s AND NOT EXISTS (SELECT 1 FROM {occurrences} AS e"
        " WHERE e.resource_id = o.resource_id AND e.start < o.start) ORDER BY 1, 2",
        [*ordered, moment, horizon, *ordered, moment],
    ):
        if start is None:
            seen_before.add(resource_id)
        else:
            upcoming[resource_id].append((_utc(start), _utc(end), all_day))
    return upcoming, seen_before - upcoming.keys()


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A moment read by plain SQL, aware: SQLite gives the stored time without its zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return timezone.make_aware(moment, connection.timezone)


@dataclass
class Scored:
    row: dict
    total: float
    pinned: bool
    distance_km: float | None
    interest: tuple[str, str, str] | None  # (exact/neighbour/named, the client's word, tag)
    text_words: list[str]
    meeting: tuple[datetime.datetime, datetime.datetime | None, bool, bool] | None
    time_fit: float | None  # None: unknown (no free windows or no schedule)


class Ranker:
    """Scores one client's candidate rows; built once per ranking, so its caches (time-zone
    conversions of weekly meetings, the text pattern) are shared by every row."""

    def __init__(
        self,
        *,
        profile: MatchProfile,
        now: datetime.datetime,
        ladder_level: int | None,
        about: str = "",
    ):
        self.profile = profile
        self.now = now
        self.ladder_level = ladder_level
        self.about = about  # the client's name when the care team reads the reasons
        self._weekly: dict[tuple, tuple] = {}
        self.pattern = (
            # One pass per text: any term at the start of a word; numbered groups say which.
            re.compile(r"\b(?:" + "|".join(f"({term.pattern})" for term in profile.terms) + r")\w*")
            if profile.terms
            else None
        )
        self.needles = [term.needle for term in profile.terms]

    # The parts of the fit, each 0…1 ------------------------------------------------------

    def interest_fit(self, tags: Iterable[int]) -> tuple[float, tuple[str, str, str] | None]:
        """The best match among the resource's interests (exact: the client's strength / 3;
        a taxonomy neighbour: half that), plus a little for each further match."""
        chosen, neighbours = self.profile.chosen, self.profile.neighbours
        best, total, why = 0.0, 0.0, None
        for tag in tags:
            if tag in chosen:
                strength, label = chosen[tag]
                share, reason = strength / 3, ("exact", label, label)
            elif tag in neighbours:
                strength, label = neighbours[tag]
                share = NEIGHBOUR_SHARE * strength / 3
                reason = ("neighbour", label, self.profile.labels[tag])
            else:
                continue
            total += share
            if share > best:
                best, why = share, reason
        if why is None:
            return 0.0, None
        return min(1.0, best + EXTRA_MATCH_SHARE * (total - best)), why

    def text_fit(self, row: dict, tags: Iterable[int]) -> tuple[float, list[str]]:
        """Share of the client's own words found in the resource's name (counting fully) or
        description (counting 0.7); a tag the client named in their words counts 0.6."""
        if self.pattern is None:
            return 0.0, []
        found: dict[int, float] = {}
        for weight, field_name in ((0.7, "description"), (1.0, "name")):
            text = _fold(row[field_name])
            for needle in self.needles:
                if needle in text:  # most texts have none: the pattern runs on the few
                    for match in self.pattern.finditer(text):
                        found[match.lastindex - 1] = weight
                    break
        named = self.profile.named
        if not found:
            said = [named[tag] for tag in tags if tag in named] if named else ()
            return (TEXT_INTEREST_SHARE, said[:1]) if said else (0.0, [])
        terms_ = self.profile.terms
        share = sum(found.values()) / len(terms_)
        words = [terms_[index].surface for index in sorted(found)]
        if named and share < TEXT_INTEREST_SHARE and any(tag in named for tag in tags):
            share = TEXT_INTEREST_SHARE
        return min(1.0, share), words

    def place_fit(self, row: dict) -> tuple[float | None, float | None]:
        """(share, distance in km); share None means "out of reach": not suggested."""
        profile = self.profile
        if row["online"]:
            if profile.mode == InterestProfile.Mode.IN_PERSON:
                return None, None
            return (
                1.0 if profile.mode == InterestProfile.Mode.ONLINE else ONLINE_SHARE_EITHER
            ), None
        if profile.mode == InterestProfile.Mode.ONLINE:
            return None, None
        if profile.origin is None:
            return UNKNOWN_SHARE, None
        if row["latitude"] is None or row["longitude"] is None:
            area = row["placed_in_id"]
            if area is None:
                return UNKNOWN_SHARE, None  # nowhere known: only a pin brings it here
            if area not in profile.areas_in_reach:
                return None, None
            return (PLACED_SHARE if area == profile.area_id else PLACED_NEARBY_SHARE), None
        km = haversine_km(*profile.origin, row["latitude"], row["longitude"])
        if km > profile.max_travel_km:
            return None, km
        reach = max(profile.max_travel_km, 0.1)
        return 1.0 - 0.7 * (km / reach), km  # next door 1.0, at the limit 0.3

    def time_fit(self, row: dict, occurrences: Sequence[tuple]):
        """(share or None if unknown, the meeting the reason names or None)."""
        zone = self.profile.time_zone
        windows = self.profile.windows
        if row["weekday"] is not None and row["start_time"] is not None:
            key = (row["weekday"], row["start_time"], row["end_time"], row["time_zone"])
            if key not in self._weekly:
                start, end = self._next_weekly(*key)
                fit = window_fit(windows, start, end) if windows else None
                self._weekly[key] = (fit, (start, end, False, True))
            return self._weekly[key]
        if not occurrences:
            return None, None
        first = None
        for start, end, all_day in occurrences:
            if all_day:  # a date (kept as midnight UTC): the same day on every clock
                local_start = _on_the_day(start, zone)
                local_end = _on_the_day(end, zone) if end is not None else None
            else:
                local_start = start.astimezone(zone)
                local_end = end.astimezone(zone) if end is not None else None
            meeting = (local_start, local_end, all_day, False)
            first = first or meeting
            if not windows:
                return None, first
            if all_day:
                fit = 1.0 if any(w.weekday == local_start.weekday() for w in windows) else 0.0
            else:
                fit = window_fit(windows, local_start, local_end)
            if fit == 1.0:
                return 1.0, meeting
        return 0.0, first

    def _next_weekly(self, weekday: int, start_time, end_time, zone_name: str):
        """The next weekly meeting, on the client's clock (DST and time zones on both sides)."""
        zone = _zone(zone_name)
        today = self.now.astimezone(zone).date()
        day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
        start = datetime.datetime.combine(day, start_time, tzinfo=zone)
        if start < self.now:
            day += datetime.timedelta(days=7)
            start = datetime.datetime.combine(day, start_time, tzinfo=zone)
        end = None
        if end_time is not None:
            end = datetime.datetime.combine(day, end_time, tzinfo=zone)
            if end <= start:
                end += datetime.timedelta(days=1)
            end = end.astimezone(self.profile.time_zone)
        return start.astimezone(self.profile.time_zone), end

    def cost_fit(self, row: dict) -> float:
        cost = row["cost_per_session"]
        if cost is None:
            return UNKNOWN_SHARE
        return 1.0 if cost <= self.profile.budget else 0.0

    def access_fit(self, row: dict) -> float:
        """Access notes count only for a client who stated needs, and only for a place to go
        (an online community's access is a different question, not scored)."""
        if not self.profile.access_needs or row["online"]:
            return NO_NEEDS_ACCESS_SHARE
        return 1.0 if row["accessibility"].strip() else 0.0

    def anxiety_fit(self, intensity: int | None) -> float:
        """Intensity against the level the client's exposure work has reached (their current
        rung), or, with no rung on a ladder yet, against 1–2 (structured, talking optional).
        Not assessed: neutral, neither for nor against."""
        if intensity is None:
            return UNKNOWN_SHARE
        level = self.ladder_level
        if level is None:
            return {1: 1.0, 2: 1.0, 3: 0.4, 4: 0.1}.get(intensity, 0.0)
        if intensity <= level:
            return 1.0 - 0.1 * (level - intensity)  # a little less for far easier than now
        return {1: 0.6, 2: 0.35}.get(intensity - level, 0.1)

    # Together ----------------------------------------------------------------------------

    def score(
        self, row: dict, tags: Sequence[int], occurrences: Sequence[tuple], *, pinned: bool
    ) -> Scored | None:
        """The weighted fit of one resource, or None if it is not a suggestion for this client
        (out of reach, or unrelated to anything they said). Pinned ones always count."""
        place, km = self.place_fit(row)
        if place is None and not pinned:
            return None
        interest, why = self.interest_fit(tags)
        text, words = self.text_fit(row, tags)
        if self.profile.has_wishes and not (interest or text or pinned):
            return None
        time_share, meeting = self.time_fit(row, occurrences)
        total = (
            WEIGHTS["interest"] * interest
            + WEIGHTS["text"] * text
            + WEIGHTS["place"] * (place or 0.0)
            + WEIGHTS["time"] * (UNKNOWN_SHARE if time_share is None else time_share)
            + WEIGHTS["cost"] * self.cost_fit(row)
            + WEIGHTS["access"] * self.access_fit(row)
            + WEIGHTS["anxiety"] * self.anxiety_fit(row["social_intensity"])
        )
        return Scored(row, round(total, 2), pinned, km, why, words, meeting, time_share)

    def suggestion(self, scored: Scored) -> Suggestion:
        row = scored.row
        return Suggestion(
            resource_id=row["pk"],
            name=row["name"],
            description=row["description"],
            kind=row["kind"],
            online=row["online"],
            address=row["address"],
            postcode=row["postcode"],
            contact_url=row["contact_url"],
            cost_per_session=row["cost_per_session"],
            accessibility=row["accessibility"],
            group_size=row["group_size"],
            social_intensity=row["social_intensity"],
            last_verified=row["last_verified"],
            distance_km=scored.distance_km,
            next_meeting=scored.meeting[0] if scored.meeting else None,
            score=scored.total,
            reason=self.reason(scored),
            pinned=scored.pinned,
            area_name=self._placed_area(scored),
        )

    def _placed_area(self, scored: Scored) -> str:
        """The area an entry without coordinates was placed in, if it counts for the client."""
        row = scored.row
        if row["online"] or row["latitude"] is not None or self.profile.origin is None:
            return ""
        return self.profile.areas_in_reach.get(row["placed_in_id"], "")

    # Why, in plain words -----------------------------------------------------------------

    def reason(self, scored: Scored) -> str:
        """One sentence, its parts joined by " · ", e.g. "Matches your interest in board games ·
        2.1 km · Thursdays 7 p.m., when you are free · low pressure to start: structured,
        talking optional"."""
        row = scored.row
        parts = [self._why_interest(scored), self._why_place(scored), self._why_time(scored)]
        parts += [
            self._why_cost(row),
            self._why_access(row),
            self._why_pressure(row["social_intensity"]),
        ]
        sentence = " · ".join(part for part in parts if part)
        return sentence[:1].upper() + sentence[1:]

    def _say(self, yours: str, theirs: str, **values) -> str:
        """The client's words (`yours`) or the care team's about the client (`theirs`, which
        names them as %(name)s)."""
        if self.about:
            return theirs % {**values, "name": self.about}
        return yours % values

    def _why_interest(self, scored: Scored) -> str:
        if scored.interest is not None:
            kind, mine, tag = scored.interest
            if kind == "exact":
                return self._say(
                    _("matches your interest in %(interest)s"),
                    _("matches %(name)s’s interest in %(interest)s"),
                    interest=mine.lower(),
                )
            return self._say(
                _("related to your interest in %(interest)s: %(tag)s"),
                _("related to %(name)s’s interest in %(interest)s: %(tag)s"),
                interest=mine.lower(),
                tag=tag.lower(),
            )
        if scored.text_words:
            quoted = ", ".join(f"“{word}”" for word in scored.text_words[:3])
            return self._say(
                _("fits what you wrote: %(words)s"),
                _("fits what %(name)s wrote: %(words)s"),
                words=quoted,
            )
        if scored.pinned:
            return self._say(_("picked for you by your therapist"), _("pinned by the care team"))
        return ""

    def _why_place(self, scored: Scored) -> str:
        if scored.row["online"]:
            if self.profile.mode == InterestProfile.Mode.ONLINE:
                return self._say(_("online, as you prefer"), _("online, as %(name)s prefers"))
            return _("online")
        if scored.distance_km is None:
            if area := self._placed_area(scored):
                return _("in %(area)s — distance not known") % {"area": area}
            if self.profile.origin is not None:
                return ""
            return self._say(_("add your area to see how far"), _("no area given, so no distance"))
        km = scored.distance_km
        shown = number_format(round(km, 1), 1) if km < 10 else number_format(round(km), 0)
        if km > self.profile.max_travel_km:
            return self._say(
                _("%(km)s km, further than you said you can travel"),
                _("%(km)s km, further than %(name)s said they can travel"),
                km=shown,
            )
        return _("%(km)s km") % {"km": shown}

    def _why_time(self, scored: Scored) -> str:
        if scored.meeting is None:
            return ""
        start, _end, all_day, weekly = scored.meeting
        if weekly:
            when = f"{WEEKDAYS_PLURAL[start.weekday()]} {date_format(start, 'TIME_FORMAT')}"
        elif all_day:
            when = date_format(start, "D j M")
        else:
            when = f"{date_format(start, 'D j M')}, {date_format(start, 'TIME_FORMAT')}"
        if scored.time_fit is None:
            return when
        if scored.time_fit == 1.0:
            return self._say(
                _("%(when)s, when you are free"), _("%(when)s, when %(name)s is free"), when=when
            )
        if scored.time_fit > 0:
            return self._say(
                _("%(when)s, partly in your free time"),
                _("%(when)s, partly in %(name)s’s free time"),
                when=when,
            )
        return self._say(
            _("%(when)s (outside your free times)"),
            _("%(when)s (outside %(name)s’s free times)"),
            when=when,
        )

    def _why_cost(self, row: dict) -> str:
        cost = row["cost_per_session"]
        if cost is None:
            return ""
        if cost == 0:
            return _("free")
        shown = money(cost)
        if cost > self.profile.budget:
            return self._say(
                _("%(cost)s each time, more than your budget"),
                _("%(cost)s each time, more than %(name)s’s budget"),
                cost=shown,
            )
        return self._say(
            _("%(cost)s each time, within your budget"),
            _("%(cost)s each time, within %(name)s’s budget"),
            cost=shown,
        )

    def _why_access(self, row: dict) -> str:
        if not self.profile.access_needs or row["online"]:
            return ""
        if row["accessibility"].strip():
            return _("access information listed")
        return _("ask about access")

    def _why_pressure(self, intensity: int | None) -> str:
        if intensity is None:
            return _("how much talking to expect is not known yet")
        words = INTENSITY_WORDS.get(intensity, "")
        level = self.ladder_level
        if level is None:
            if intensity <= PREFERRED_INTENSITY:
                return _("low pressure to start: %(what)s") % {"what": words}
            return _("a bigger step for later: %(what)s") % {"what": words}
        if level - 1 <= intensity <= level:
            return self._say(
                _("close to where you are on your ladder: %(what)s"),
                _("close to %(name)s’s current ladder step: %(what)s"),
                what=words,
            )
        if intensity < level:
            return self._say(
                _("easier than where you are now: %(what)s"),
                _("easier than %(name)s’s current ladder step: %(what)s"),
                what=words,
            )
        if intensity <= level + 2:
            return self._say(
                _("a step or two above where you are now: %(what)s"),
                _("a step or two above %(name)s’s current ladder step: %(what)s"),
                what=words,
            )
        return _("a bigger step for later: %(what)s") % {"what": words}


def hidden_resources(*, client: Client, limit: int = 50) -> list[dict]:
    """The resources the care team hid from this client's suggestions, to show them again."""
    return list(
        Mark.objects.filter(client=client, state=Mark.State.HIDDEN)
        .order_by("resource__name", "resource_id")
        .values("resource_id", "resource__name")[:limit]
    )

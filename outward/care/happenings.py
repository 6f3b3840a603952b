"""How feature rooms hear about each other without importing each other (DESIGN.md).

- A **provider** answers "what happened for these clients between start and end?" for the kinds
  it owns, in one query. Readers (wins, cadence progress, session prep) ask `happenings()`.
- A **due provider** answers "what is due for this client on this day?" for the Today page and
  the reminder e-mails.
- A **listener** is told, inside the writing transaction, that something of a kind just happened
  for a client, so that, say, goals can record a win when a logged contact meets a target.

Rooms register in their AppConfig.ready(). Everything here is derived from the rooms' own
records; nothing is copied into a second table.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, Q, Value


@dataclass(frozen=True)
class Happening:
    kind: str  # e.g. "goals.step_done", "journal.check_in", "journal.contact.event"
    client_id: int
    occurred: datetime.datetime
    summary: str  # a short line in the client's own words or Outward's; never for e-mail
    source: str = ""  # the record, e.g. "journal.checkin:7"
    # Kept private by the client: never shown or counted for the care team, never a win.
    private: bool = False
    # What it was at, e.g. "community.resource:4", so a reader (a fear ladder's rung) can
    # match it without importing the room that owns it.
    about: str = ""
    # Ratings a reader may chart, e.g. {"expected_suds": 60, "peak_suds": 35} (0–100 each).
    # (A mapping is not hashable: a Happening still is, without it.)
    numbers: Mapping[str, int] | None = field(default=None, hash=False)
    # Where it happened, as the skills room's settings name it ("class", "club", "online",
    # "workplace", "neighbours", "reconnecting"; "" when unknown), so a rehearsal can be
    # matched to the real thing it prepared for.
    setting: str = ""


# The two kinds of facing a real situation, which other rooms read by name: each carries the
# anxiety expected and felt (`numbers` "expected_suds" and "peak_suds").
PLAN_ATTENDED = "community.plan.went"  # a plan the client went to
LADDER_ATTEMPT = "skills.exposure"  # an attempt at a fear-ladder step
FACED_KINDS = (PLAN_ATTENDED, LADDER_ATTEMPT)


@dataclass(frozen=True)
class DueItem:
    key: str  # stable for one item on one day, e.g. "step:12"; reminders are sent once per key
    title: str
    detail: str = ""
    done_url: str = ""  # POST here marks it done in one tap
    done_label: str = ""  # the button's words ("Done" when empty)
    open_url: str = ""  # or open this page to do it (e.g. a check-in form)
    order: int = 0


Provider = Callable[[Sequence[int], datetime.datetime, datetime.datetime], Iterable[Happening]]
# A provider's counter answers "how many of each kind" for one client without building the
# happenings: `counter(client_id, start, end, own)` gives querysets of one row per record
# naming its kind (see `count_rows`), keeping what the client kept private only when `own`
# (the client is the viewer), or None when it cannot (then the provider is asked). The
# registry sends every room's as one UNION ALL query.
HappeningCounter = Callable[[int, datetime.datetime, datetime.datetime, bool], Sequence[object]]
DueProvider = Callable[[object, datetime.date], Iterable[DueItem]]
# "Could anything be due?": an unevaluated queryset that is empty when the provider has
# nothing for this client on this day (see `register_due_provider`).
DueProbe = Callable[[object, datetime.date], object]
Listener = Callable[[object, Happening], None]


@dataclass
class _Registry:
    providers: dict[str, Provider] = field(default_factory=dict)
    counters: dict[Provider, HappeningCounter] = field(default_factory=dict)
    due_providers: list[tuple[DueProvider, DueProbe | None]] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    labels: dict[str, object] = field(default_factory=dict)


_registry = _Registry()


def register_provider(
    provider: Provider, *, kinds: dict[str, object], counter: HappeningCounter | None = None
) -> None:
    """`kinds` maps each kind the provider answers for to its (translatable) label; the
    optional `counter` counts the same happenings in SQL (it must agree with the provider:
    tests compare the two)."""
    for kind, label in kinds.items():
        if kind in _registry.providers:
            raise ValueError(f"happening kind {kind!r} is registered twice")
        _registry.providers[kind] = provider
        _registry.labels[kind] = label
    if counter is not None:
        _registry.counters[provider] = counter


def register_due_provider(provider: DueProvider, *, probe: DueProbe | None = None) -> None:
    """`provider(client, day)` lists what is due. The optional `probe(client, day)` gives a
    queryset that has a row whenever the provider may have something due: the registry asks
    every probe in one query and calls only the providers whose probe found a row, so a room
    with nothing due that day costs Today no query of its own (most days most rooms have
    nothing)."""
    _registry.due_providers.append((provider, probe))


def register_listener(listener: Listener) -> None:
    _registry.listeners.append(listener)


def kinds() -> dict[str, object]:
    """Every registered kind with its label, e.g. for a goal's "what counts" choice."""
    return dict(_registry.labels)


def happenings(
    *,
    client_ids: Sequence[int],
    start: datetime.datetime,
    end: datetime.datetime,
    kinds: Iterable[str] | None = None,
    viewer=None,
) -> list[Happening]:
    """Happenings of the given kinds (all kinds by default) in [start, end), oldest first.
    One query per provider involved, whatever the number of clients. A happening the client
    kept private is kept only when `viewer` is that client; for anyone else (the care team, or
    no viewer: counting toward a goal they share) it is as if it never happened."""
    wanted = set(_registry.providers) if kinds is None else set(kinds)
    # In the order they registered, so that happenings at the same moment keep one order.
    providers = dict.fromkeys(p for kind, p in _registry.providers.items() if kind in wanted)
    found = [
        happening
        for provider in providers
        for happening in provider(client_ids, start, end)
        if happening.kind in wanted
    ]
    if any(happening.private for happening in found):
        own = _own_client_ids(client_ids, viewer)
        found = [h for h in found if not h.private or h.client_id in own]
    return sorted(found, key=lambda happening: happening.occurred)


def count_rows(rows, kind):
    """`rows` (a queryset of one room's records) as a counter's part: one row per record
    naming its kind. `kind` is a kind's name, or an expression giving it per row. (Counted
    in Python: a week of one client's records is a handful of rows, and a plain select costs
    less to build than an aggregate.)"""
    kind = Value(kind, output_field=CharField()) if isinstance(kind, str) else kind
    return rows.order_by().values(happening_kind=kind)


def counts(
    *, client, start: datetime.datetime, end: datetime.datetime, kinds: Iterable[str], viewer
) -> dict[str, int]:
    """How many happenings of each of `kinds` the client had in [start, end), as
    `happenings()` would list them for `viewer`: one query for every room with a counter,
    plus the queries of any provider without one."""
    wanted = set(kinds)
    own = viewer is not None and viewer.pk is not None and viewer.pk == client.user_id
    # In the order they registered (one query, the same every time).
    providers = dict.fromkeys(p for kind, p in _registry.providers.items() if kind in wanted)
    parts, uncounted = [], []
    for provider in providers:
        counter = _registry.counters.get(provider)
        counted = counter(client.pk, start, end, own) if counter is not None else None
        if counted is None:
            uncounted.append(provider)
        else:
            parts.extend(counted)
    found: dict[str, int] = {}
    if parts:
        # Ordered by its one column: a union otherwise takes its first model's own ordering.
        for row in parts[0].union(*parts[1:], all=True).order_by("happening_kind"):
            if (kind := row["happening_kind"]) in wanted:
                found[kind] = found.get(kind, 0) + 1
    for provider in uncounted:
        for happening in provider([client.pk], start, end):
            if happening.kind in wanted and (own or not happening.private):
                found[happening.kind] = found.get(happening.kind, 0) + 1
    return found


def about_kind(kind: str) -> str:
    """The `about` of a happening that celebrates the first of a kind (a goals "first")."""
    return f"kind:{kind}"


def shown_once(found: Sequence[Happening]) -> list[Happening]:
    """The happenings without those that only celebrate another one in the list (a win whose
    `about` names a rung climbed, a check-in's win of the week, or the kind of a first whose
    happening is listed): a reader listing both shows it once, as the thing itself."""
    listed = {happening.source for happening in found}
    listed |= {about_kind(happening.kind) for happening in found}
    return [h for h in found if not (h.about and h.about in listed)]


def _own_client_ids(client_ids: Sequence[int], viewer) -> set[int]:
    """Of these clients, the one the viewer is (a set of at most one), asked only when a
    private happening turns up."""
    if viewer is None or viewer.pk is None:
        return set()
    from .models import Client  # the registry is imported while apps load

    return set(
        Client.objects.filter(pk__in=client_ids, user_id=viewer.pk).values_list("pk", flat=True)
    )


def due_items(*, client, day: datetime.date) -> list[DueItem]:
    asking = _probed(client, day)
    items = [
        item
        for provider, probe in _registry.due_providers
        if probe is None or asking[provider]
        for item in provider(client, day)
    ]
    return sorted(items, key=lambda item: (item.order, item.title))


def _probed(client, day: datetime.date) -> dict[DueProvider, bool]:
    """For each provider with a probe, whether it may have something due: one query."""
    probes = {
        f"p{n}": (provider, probe)
        for n, (provider, probe) in enumerate(_registry.due_providers)
        if probe
    }
    if not probes:
        return {}
    from .models import Client  # the registry is imported while apps load

    row = (
        Client.objects.filter(pk=client.pk)
        .values(**{name: Exists(probe(client, day)) for name, (_p, probe) in probes.items()})
        .get()
    )
    return {provider: row[name] for name, (provider, _probe) in probes.items()}


def announce(*, client, happening: Happening) -> None:
    """Tell listeners, inside the writer's transaction, that this just happened."""
    for listener in _registry.listeners:
        listener(client, happening)


CaseloadProvider = Callable[[Sequence[object], datetime.datetime], dict[int, str]]


@dataclass(frozen=True)
class CaseloadColumn:
    label: object
    provider: CaseloadProvider


_caseload_columns: list[CaseloadColumn] = []


def register_caseload_column(label, provider: CaseloadProvider) -> None:
    """A column on the therapist's caseload: `provider(clients, now)` gives each client's cell
    (a text or a Cell) for one page of clients, in a constant number of queries."""
    _caseload_columns.append(CaseloadColumn(label, provider))


def caseload_cells(*, clients: Sequence[object], now: datetime.datetime):
    """[(label, {client_id: Cell})] for the registered columns (a plain text is a Cell).
    The page's clients are read once here, so no column re-runs the caseload's query; each
    label is translated once, not once per row it labels."""
    clients = list(clients)
    return [
        (str(column.label), {pk: _as_cell(v) for pk, v in column.provider(clients, now).items()})
        for column in _caseload_columns
    ]


@dataclass(frozen=True)
class Place:
    """A tab on the therapist's client page or a place in the client's bottom navigation."""

    key: str
    label: object
    url_name: str  # takes the client id on the therapist's side, nothing in the portal
    order: int
    # In the portal's bottom bar, every page of this app (URL namespace) counts as this place.
    app: str = ""


_client_tabs: list[Place] = []
_portal_places: list[Place] = []


def register_client_tab(place: Place) -> None:
    _client_tabs.append(place)
    _client_tabs.sort(key=lambda place: place.order)


def register_portal_place(place: Place) -> None:
    _portal_places.append(place)
    _portal_places.sort(key=lambda place: place.order)


# Links one room puts on another's page: "today" (the client's things to do any time, below
# what is due), "practice" (the practice admin's settings kept by other rooms) and
# "missed_plan" (what may help after a plan that did not happen; a client-record page, so the
# place's URL takes the client id on the therapist's side and a `from` reference is added)
# and "admin_client" (the practice admin's pages about one client; the URL takes its id).
_links: dict[str, list[Place]] = {
    "today": [],
    "practice": [],
    "missed_plan": [],
    "admin_client": [],
}


def register_link(where: str, place: Place) -> None:
    _links[where].append(place)
    _links[where].sort(key=lambda place: place.order)


def links(where: str) -> list[Place]:
    return list(_links[where])


def client_tabs() -> list[Place]:
    return list(_client_tabs)


def portal_places() -> list[Place]:
    return list(_portal_places)


@dataclass(frozen=True)
class Cell:
    """A caseload cell: text, optionally a link; `urgent` draws it as a high-contrast badge."""

    text: str
    url: str = ""
    urgent: bool = False


def _as_cell(value) -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


@dataclass(frozen=True)
class Notice:
    """A line at the top of a page (the client's Overview, the practice page): what needs
    doing, with a link to where to do it. `urgent` draws it as an alert."""

    text: str
    url: str = ""
    link_text: str = ""
    urgent: bool = False


# Something a therapist must not miss (an open risk alert): `clients()` gives the ids of the
# clients for whom it holds, as a values queryset of one column "client_id" (a handful of
# rows, from an index), so readers drive from those few clients rather than test every one.
AttentionClients = Callable[[], object]
NoticeProvider = Callable[[object], Sequence[Notice]]

_attention: list[AttentionClients] = []
_record_notices: list[NoticeProvider] = []
_practice_notices: list[NoticeProvider] = []


def register_attention(clients: AttentionClients) -> None:
    """Clients in `clients()` come first on the caseload, count in the header, and cannot be
    left without an active therapist on their care team."""
    _attention.append(clients)


def needs_attention(client_ref):
    """One boolean expression over the client `client_ref` for every registered source."""
    if not _attention:
        return Value(False)
    combined = Q()
    for clients in _attention:
        combined |= Q(Exists(clients().filter(client_id=client_ref)))
    return ExpressionWrapper(combined, output_field=BooleanField())


def attention_sql() -> tuple[str, list]:
    """The ids of the clients who need attention as one SQL statement (a UNION over the
    registered sources) and its parameters, for a plain statement to read them with; ("",
    []) when no room registered one."""
    parts, params = [], []
    for clients in _attention:
        sql, source_params = clients().order_by().query.sql_with_params()
        parts.append(sql)
        params.extend(source_params)
    return " UNION ".join(parts), params


def attention_filter(field: str = "pk") -> Q:
    """A filter keeping the rows whose `field` (a client id) needs attention: an IN over the
    registered sources, which a database answers from their few rows."""
    combined = Q(**{f"{field}__in": []})
    for clients in _attention:
        combined |= Q(**{f"{field}__in": clients()})
    return combined


def register_record_notices(provider: NoticeProvider) -> None:
    """`provider(client)` gives the notices at the top of a client's Overview (a few queries)."""
    _record_notices.append(provider)


def record_notices(*, client) -> list[Notice]:
    return [notice for provider in _record_notices for notice in provider(client)]


_today_notices: list[NoticeProvider] = []


def register_today_notices(provider: NoticeProvider) -> None:
    """`provider(client)` gives lines for the top of the client's own Today page: words from
    their care team (a message on a win). One query each; never clinical alerts."""
    _today_notices.append(provider)


def today_notices(*, client) -> list[Notice]:
    return [notice for provider in _today_notices for notice in provider(client)]


def register_practice_notices(provider: NoticeProvider) -> None:
    """`provider(practice)` gives setup prompts and warnings for the practice admin's page."""
    _practice_notices.append(provider)


def practice_notices(*, practice) -> list[Notice]:
    return [notice for provider in _practice_notices for notice in provider(practice)]


# --- Exposure work: rung sources and the client's level -------------------------------------


@dataclass(frozen=True)
class RungIdea:
    """Something from another room that could become a rung on a client's fear ladder, e.g. a
    goal's step or a directory resource. `suds` is a first guess the client corrects."""

    ref: str  # stable and checkable, e.g. "goals.step:12", "community.resource:4"
    text: str
    detail: str = ""  # where it comes from, in words (the goal's title, "Board games · 2 km")
    suds: int | None = None


@dataclass(frozen=True)
class RungSource:
    """A room offering rung ideas. `ideas(client=, viewer=, query=)` lists at most a page of
    them in a constant number of queries; `idea(client=, viewer=, ref=)` finds one again when
    it is picked, or None when it is not this client's to pick (then the page is a 404)."""

    key: str  # e.g. "goal_step", "resource"
    label: object
    ideas: Callable[..., list[RungIdea]]
    idea: Callable[..., RungIdea | None]
    searchable: bool = False  # ideas() filters by a typed query


_rung_sources: dict[str, RungSource] = {}


def register_rung_source(source: RungSource) -> None:
    if source.key in _rung_sources:
        raise ValueError(f"rung source {source.key!r} is registered twice")
    _rung_sources[source.key] = source


def rung_sources() -> list[RungSource]:
    return list(_rung_sources.values())


def rung_source(key: str) -> RungSource | None:
    return _rung_sources.get(key)


# One scale for both directions (DESIGN "Fear ladder"): a directory resource's social intensity
# (1 a shared task where talking is optional … 5 open mingling) gives a first SUDS guess for a
# rung, and the SUDS of the client's current rung gives the intensity matching prefers.
INTENSITY_SUDS = {1: 20, 2: 35, 3: 50, 4: 65, 5: 80}


def suds_for_intensity(intensity: int) -> int:
    return INTENSITY_SUDS.get(intensity, INTENSITY_SUDS[max(INTENSITY_SUDS)])


def intensity_for_suds(suds: int) -> int:
    """The intensity whose SUDS guess is nearest (the lower one on a tie)."""
    return min(INTENSITY_SUDS, key=lambda level: (abs(INTENSITY_SUDS[level] - suds), level))


ExposureLevel = Callable[[object], int | None]
_exposure_levels: list[ExposureLevel] = []


def register_exposure_level(provider: ExposureLevel) -> None:
    """`provider(client)` gives the social intensity (1–5, as the directory grades resources)
    the client's exposure work has reached, or None when they have no ladder with a rung."""
    _exposure_levels.append(provider)


def exposure_level(*, client) -> int | None:
    """Where the client is on their exposure work, as a social intensity 1–5, or None."""
    for provider in _exposure_levels:
        level = provider(client)
        if level is not None:
            return level
    return None


# --- Rehearsal: which settings a client's interests point to ---------------------------------

SettingHints = Callable[[object], set[str]]
_setting_hints: list[SettingHints] = []


def register_setting_hints(provider: SettingHints) -> None:
    """`provider(client)` gives the settings (as on Happening.setting) of the groups the client
    is drawn to, in a query or two, so role-play scenarios there can be suggested first."""
    _setting_hints.append(provider)


def setting_hints(*, client) -> set[str]:
    return {setting for provider in _setting_hints for setting in provider(client)}


# --- Opening lines: conversation starters offered for a plan, and how they went --------------
# The skills room keeps the conversation starters; community's plans offer them as the
# first-visit opening line and ask afterwards whether it was used and whether it worked. Neither
# imports the other: skills registers the lines, community registers the uses.

# Where a conversation happens (skills.models.Setting): the words the two rooms share.
CONVERSATION_SETTINGS = ("class", "club", "online", "workplace", "neighbours", "reconnecting")


@dataclass(frozen=True)
class OpeningLine:
    key: str  # stable, e.g. "club-new-here", "practice:3", "own:5"
    text: str
    favourite: bool = False  # one of the client's favourites (their own starters are)


@dataclass(frozen=True)
class OpeningLines:
    """`options(client=, viewer=, setting=)` lists the lines to offer for a plan in that setting
    (one of CONVERSATION_SETTINGS), the client's favourites first, in a constant number of
    queries; `find(client=, viewer=, key=)` gives one again when it is picked, or None when
    it is not this client's to pick."""

    options: Callable[..., list[OpeningLine]]
    find: Callable[..., OpeningLine | None]


@dataclass(frozen=True)
class LineUse:
    used: int  # plans attended where the client said the line
    worked: int  # of those, the times they said it worked


_opening_lines: list[OpeningLines] = []
_line_uses: list[Callable[..., dict[str, LineUse]]] = []


def register_opening_lines(source: OpeningLines) -> None:
    _opening_lines.append(source)


def opening_lines(*, client, viewer, setting: str) -> list[OpeningLine]:
    return [
        line
        for source in _opening_lines
        for line in source.options(client=client, viewer=viewer, setting=setting)
    ]


def opening_line(*, client, viewer, key: str) -> OpeningLine | None:
    for source in _opening_lines:
        line = source.find(client=client, viewer=viewer, key=key)
        if line is not None:
            return line
    return None


def register_opening_line_uses(provider: Callable[..., dict[str, LineUse]]) -> None:
    """`provider(client=, keys=)` counts, by key, the client's plans attended where a line
    chosen from that key was used (and worked), in one query."""
    _line_uses.append(provider)


def opening_line_uses(*, client, keys) -> dict[str, LineUse]:
    keys = set(keys)
    if not keys:
        return {}
    found: dict[str, LineUse] = {}
    for provider in _line_uses:
        for key, use in provider(client=client, keys=keys).items():
            before = found.get(key, LineUse(0, 0))
            found[key] = LineUse(before.used + use.used, before.worked + use.worked)
    return found


# --- The client page's Overview: "what happened since we last met?" -------------------------


@dataclass(frozen=True)
class OverviewSection:
    """A part of the therapist's Overview of one client, drawn by `template` with `context`."""

    template: str
    context: dict


OverviewProvider = Callable[..., OverviewSection | None]
_overview: list[OverviewProvider] = []


def register_overview(provider: OverviewProvider) -> None:
    """`provider(client=, viewer=, since=, now=)` gives a section of the client's Overview (or
    None), as the care team member `viewer` may see it, in a constant number of queries."""
    _overview.append(provider)


def overview_sections(*, client, viewer, since, now) -> list[OverviewSection]:
    sections = (
        provider(client=client, viewer=viewer, since=since, now=now) for provider in _overview
    )
    return [section for section in sections if section is not None]

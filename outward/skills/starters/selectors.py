"""Reads for conversation starters, as the viewer may see them: one setting's starters level
by level with the next level to try, the client's favourites with how often each was
rehearsed and used for real, their starter rehearsals, and the opening lines a plan offers
(registered with care.happenings). Every page's query count is constant."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from outward.care import happenings
from outward.care.models import Client, Practice

from ..models import (
    OWN_STARTER_PREFIX,
    FavouriteStarter,
    Openness,
    OwnStarter,
    Rehearsal,
    Setting,
    Starter,
    key_row_id,
)
from .library import Source, StarterText, bank

# Lists on one page stay bounded however much a practice or a client writes.
PRACTICE_SHOWN = 100  # a setting's practice starters, newest first
OWN_SHOWN = 100  # a setting's own starters
LINES_OFFERED = 20  # favourites, and practice starters, offered as a plan's opening line
FIRST_VISIT_LEVEL = 2  # a plan offers at least small talk and opinions, however new the client


def _practice_text(starter: Starter) -> StarterText:
    return StarterText(
        starter.key, starter.text, starter.setting, starter.openness, Source.PRACTICE
    )


def _own_text(starter: OwnStarter) -> StarterText:
    return StarterText(starter.key, starter.text, starter.setting, starter.openness, Source.OWN)


def starter_texts(*, client: Client, viewer, keys: Iterable[str]) -> dict[str, StarterText]:
    """The starters behind these keys, by key, in at most two queries: Outward's bank, the
    client's practice's starters, the client's own. A key whose starter is gone or not this
    client's is left out."""
    keys = set(keys)
    built_in = bank()
    found = {key: built_in[key] for key in keys if key in built_in}
    practice_ids = {pk for key in keys if (pk := key_row_id(key))}
    own_ids = {pk for key in keys if (pk := key_row_id(key, OWN_STARTER_PREFIX))}
    if practice_ids:
        for starter in Starter.objects.filter(practice_id=client.practice_id, pk__in=practice_ids):
            found[starter.key] = _practice_text(starter)
    if own_ids:
        own = OwnStarter.objects.for_viewer(client=client, viewer=viewer).filter(pk__in=own_ids)
        for starter in own:
            found[starter.key] = _own_text(starter)
    return found


def starter_for_client(*, client: Client, viewer, key: str) -> StarterText:
    """One starter the client may use; 404 for one that is missing and not theirs alike."""
    found = starter_texts(client=client, viewer=viewer, keys=[key[:100]]).get(key)
    if found is None:
        raise Http404
    return found


def setting_or_404(setting: str) -> str:
    if setting not in Setting.values:
        raise Http404
    return setting


def _favourite_keys(*, client: Client, viewer, keys: Iterable[str]) -> set[str]:
    return set(
        FavouriteStarter.objects.for_viewer(client=client, viewer=viewer)
        .filter(starter_key__in=list(keys))
        .values_list("starter_key", flat=True)
    )


def _rehearsed(*, client: Client, viewer, keys: Iterable[str]) -> dict[str, int]:
    """How many times each starter was rehearsed (one query)."""
    rows = (
        Rehearsal.objects.for_viewer(client=client, viewer=viewer)
        .filter(starter_key__in=list(keys))
        .values("starter_key")
        .annotate(n=Count("id"))
        .values_list("starter_key", "n")
    )
    return dict(rows)


def reached_levels(*, client: Client, viewer) -> dict[str, int]:
    """The highest level of openness rehearsed in each setting (one query)."""
    rows = (
        Rehearsal.objects.for_viewer(client=client, viewer=viewer)
        .exclude(starter_key="")
        .filter(openness__isnull=False)
        .values("setting")
        .annotate(top=Max("openness"))
        .values_list("setting", "top")
    )
    return dict(rows)


def next_level(reached: int | None) -> int:
    """One step up from the highest level rehearsed (the first level before any)."""
    return min((reached or 0) + 1, max(Openness.values))


@dataclass(frozen=True)
class StarterRow:
    starter: StarterText
    favourite: bool
    rehearsed: int
    use: happenings.LineUse | None  # plans where it was used as the opening line

    @property
    def key(self) -> str:
        return self.starter.key


@dataclass(frozen=True)
class Level:
    openness: int
    label: str
    rows: list[StarterRow]
    state: str  # "reached" (rehearsed at or above), "next" (the one to try), "later"


@dataclass(frozen=True)
class SettingPage:
    setting: str
    label: str
    levels: list[Level]
    reached: int | None
    suggested: int

    @property
    def suggested_label(self) -> str:
        return str(Openness(self.suggested).label)


def _rows(*, client, viewer, starters: list[StarterText], favourites=None) -> list[StarterRow]:
    """Rows for these starters: favourite or not, rehearsals and uses (three queries at most;
    two when `favourites` is already known)."""
    keys = [starter.key for starter in starters]
    if favourites is None:
        favourites = _favourite_keys(client=client, viewer=viewer, keys=keys)
    rehearsed = _rehearsed(client=client, viewer=viewer, keys=keys)
    uses = happenings.opening_line_uses(client=client, keys=keys)
    return [
        StarterRow(
            starter=starter,
            favourite=starter.key in favourites or starter.source == Source.OWN,
            rehearsed=rehearsed.get(starter.key, 0),
            use=uses.get(starter.key),
        )
        for starter in starters
    ]


def setting_starters(*, client: Client, viewer, setting: str) -> list[StarterText]:
    """A setting's starters from the three places, by level: Outward's first, then the
    practice's, then the client's own (two queries)."""
    practice = Starter.objects.filter(practice_id=client.practice_id, setting=setting).order_by(
        "-created", "-id"
    )[:PRACTICE_SHOWN]
    own = (
        OwnStarter.objects.for_viewer(client=client, viewer=viewer)
        .filter(setting=setting)
        .order_by("-created", "-id")[:OWN_SHOWN]
    )
    found = [
        *(starter for starter in bank().values() if starter.setting == setting),
        *map(_practice_text, practice),
        *map(_own_text, own),
    ]
    return sorted(found, key=lambda starter: starter.openness)  # stable: the order above


def setting_page(*, client: Client, viewer, setting: str) -> SettingPage:
    """One setting's starters, level by level, and the level to try next: one above the
    highest the client has rehearsed there. Six queries, however many starters."""
    starters = setting_starters(client=client, viewer=viewer, setting=setting)
    rows = _rows(client=client, viewer=viewer, starters=starters)
    reached = reached_levels(client=client, viewer=viewer).get(setting)
    suggested = next_level(reached)
    levels = []
    for openness in Openness:
        if reached is not None and openness <= reached:
            state = "reached"
        elif openness == suggested:
            state = "next"
        else:
            state = "later"
        levels.append(
            Level(
                openness=openness.value,
                label=str(openness.label),
                rows=[row for row in rows if row.starter.openness == openness],
                state=state,
            )
        )
    return SettingPage(setting, str(Setting(setting).label), levels, reached, suggested)


def favourites(*, client: Client, viewer) -> QuerySet[FavouriteStarter]:
    """The client's favourites, newest first (their own starters are among them)."""
    return FavouriteStarter.objects.for_viewer(client=client, viewer=viewer).order_by(
        "-created", "-id"
    )


def favourite_rows(*, client: Client, viewer, page: Iterable[FavouriteStarter]) -> list[StarterRow]:
    """One page of favourites as rows (four queries at most); a favourite whose starter is
    gone is left out."""
    keys = [favourite.starter_key for favourite in page]
    texts = starter_texts(client=client, viewer=viewer, keys=keys)
    starters = [texts[key] for key in keys if key in texts]
    return _rows(client=client, viewer=viewer, starters=starters, favourites=set(keys))


@dataclass(frozen=True)
class SettingSummary:
    setting: str
    label: str
    reached: int | None
    suggested: int


def setting_summaries(*, client: Client, viewer) -> list[SettingSummary]:
    """Each setting with the level reached and the next to try (one query)."""
    reached = reached_levels(client=client, viewer=viewer)
    return [
        SettingSummary(value, str(label), reached.get(value), next_level(reached.get(value)))
        for value, label in Setting.choices
    ]


def starter_rehearsals(*, client: Client, viewer) -> QuerySet[Rehearsal]:
    """The client's rehearsals of starters, newest first."""
    return (
        Rehearsal.objects.for_viewer(client=client, viewer=viewer)
        .exclude(starter_key="")
        .order_by("-occurred", "-id")
    )


def with_starters(*, client: Client, viewer, rehearsals) -> list[tuple[Rehearsal, object]]:
    """(rehearsal, its StarterText or None when the starter is gone), two queries at most."""
    rehearsals = list(rehearsals)
    texts = starter_texts(
        client=client, viewer=viewer, keys={rehearsal.starter_key for rehearsal in rehearsals}
    )
    return [(rehearsal, texts.get(rehearsal.starter_key)) for rehearsal in rehearsals]


def practice_starters(*, practice: Practice) -> QuerySet[Starter]:
    """The practice's bank, by setting and level, newest first within one."""
    return (
        Starter.objects.filter(practice=practice)
        .select_related("author")
        .order_by("setting", "openness", "-created", "-id")
    )


def practice_starter(*, practice: Practice, starter_id: int) -> Starter:
    """A starter of this practice's bank; another practice's is "missing"."""
    found = Starter.objects.filter(practice=practice, pk=starter_id).first()
    if found is None:
        raise Http404
    return found


# Opening lines for a plan (registered with care.happenings in apps.ready) ------------------


def _line(starter: StarterText, *, favourite: bool) -> happenings.OpeningLine:
    return happenings.OpeningLine(starter.key, starter.text, favourite=favourite)


def opening_lines(*, client: Client, viewer, setting: str) -> list[happenings.OpeningLine]:
    """What a plan in this setting offers as its opening line: the client's favourites
    (newest first), then the setting's starters up to the level they are ready for (at least
    small talk and opinions), Outward's then the practice's. Five queries at most."""
    favourite_keys = list(
        favourites(client=client, viewer=viewer).values_list("starter_key", flat=True)[
            :LINES_OFFERED
        ]
    )
    texts = starter_texts(client=client, viewer=viewer, keys=favourite_keys)
    lines = [_line(texts[key], favourite=True) for key in favourite_keys if key in texts]
    if setting not in Setting.values:
        return lines
    reached = reached_levels(client=client, viewer=viewer).get(setting)
    top = max(FIRST_VISIT_LEVEL, next_level(reached))
    practice = Starter.objects.filter(
        practice_id=client.practice_id, setting=setting, openness__lte=top
    ).order_by("openness", "-created", "-id")[:LINES_OFFERED]
    offered = {line.key for line in lines}
    fitting = [
        *(s for s in bank().values() if s.setting == setting and s.openness <= top),
        *map(_practice_text, practice),
    ]
    lines += [_line(s, favourite=False) for s in fitting if s.key not in offered]
    return lines


def opening_line(*, client: Client, viewer, key: str) -> happenings.OpeningLine | None:
    """A starter picked as a plan's opening line, if the client may use it."""
    found = starter_texts(client=client, viewer=viewer, keys=[key]).get(key)
    return None if found is None else _line(found, favourite=False)

"""Reads for role-play and rehearsal. Scenarios are found by key: a library one by its own
key, a practice's as "practice:<id>" (another practice's is "missing"); a client's adaptation
replaces the words the care team filled in. Rehearsals are happenings (one query a period)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outward.care import happenings
from outward.care.models import Client, Practice

from .. import scenarios
from ..models import Rehearsal, Scenario, ScenarioAdaptation, key_row_id
from ..scenarios import ScenarioText
from ..selectors import exposure_level
from ..starters import selectors as starter_selectors

REHEARSAL = "skills.rehearsal"
REHEARSAL_WIN = "skills.rehearsal.win"  # announced only: goals' listener makes it a win
HAPPENING_KINDS = {REHEARSAL: gettext_lazy("rehearsed a conversation")}
HISTORY_PAGE = 20


def _one_or_404(queryset: QuerySet, pk: int | None):
    found = None if pk is None else queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# Scenarios ----------------------------------------------------------------------------------


def practice_scenarios(*, practice: Practice) -> QuerySet[Scenario]:
    return (
        Scenario.objects.filter(practice=practice).select_related("author").order_by("title", "pk")
    )


def practice_scenario(*, practice: Practice, scenario_id: int) -> Scenario:
    """A scenario of this practice; another practice's is "missing"."""
    return _one_or_404(Scenario.objects.filter(practice=practice), scenario_id)


def scenario_texts(*, practice: Practice, keys: Sequence[str]) -> dict[str, ScenarioText]:
    """The scenarios behind these keys, by key, in at most one query; a key whose scenario is
    gone or belongs to another practice is left out."""
    library = scenarios.library()
    found = {key: library[key] for key in keys if key in library}
    ids = {pk for pk in map(key_row_id, keys) if pk is not None}
    if ids:
        for scenario in Scenario.objects.filter(practice=practice, pk__in=ids):
            found[scenario.key] = scenarios.from_practice(scenario)
    return found


def adaptation(*, client: Client, viewer, key: str) -> ScenarioAdaptation | None:
    return (
        ScenarioAdaptation.objects.for_viewer(client=client, viewer=viewer)
        .filter(scenario_key=key)
        .first()
    )


def scenario_original(*, practice: Practice, key: str) -> ScenarioText:
    """One scenario of the library or this practice, unadapted; 404 for any other key."""
    text = scenario_texts(practice=practice, keys=[key]).get(key)
    if text is None:
        raise Http404
    return text


def scenario_for_client(*, client: Client, viewer, key: str) -> ScenarioText:
    """One scenario as the client rehearses it (with their adaptation); 404 when the key
    names no scenario of the library or the client's practice. Two queries at most."""
    text = scenario_original(practice=client.practice, key=key)
    return scenarios.adapted(text, adaptation(client=client, viewer=viewer, key=key))


@dataclass(frozen=True)
class ScenarioChoice:
    text: ScenarioText
    fits_level: bool  # its intensity is the client's current ladder rung's
    fits_interests: bool  # its setting is one the client's groups are in

    @property
    def suggested(self) -> bool:
        return self.fits_level or self.fits_interests


@dataclass(frozen=True)
class ScenarioList:
    choices: list[ScenarioChoice]
    level: int | None  # the social intensity of the client's current rung
    hinted: set[str]  # the settings of the groups the client is drawn to


def scenario_choices(
    *, client: Client, viewer, setting: str = "", intensity: int | None = None
) -> ScenarioList:
    """The scenarios to pick from for one client, filtered by setting and intensity: those at
    the client's current ladder rung and in the settings of their groups first (both before
    either), then by intensity and title. A constant number of queries (the practice's
    scenarios, the client's adaptations, the ladder level, the settings of their groups)."""
    own = Scenario.objects.filter(practice=client.practice)
    if setting:
        own = own.filter(setting=setting)
    if intensity:
        own = own.filter(intensity=intensity)
    texts = [
        text
        for text in scenarios.library().values()
        if (not setting or text.setting == setting)
        and (not intensity or text.intensity == intensity)
    ]
    texts += [scenarios.from_practice(scenario) for scenario in own]
    adaptations = {
        row.scenario_key: row
        for row in ScenarioAdaptation.objects.for_viewer(client=client, viewer=viewer)
    }
    level = exposure_level(client)
    hinted = happenings.setting_hints(client=client)
    choices = [
        ScenarioChoice(
            scenarios.adapted(text, adaptations.get(text.key)),
            fits_level=level is not None and text.intensity == level,
            fits_interests=text.setting in hinted,
        )
        for text in texts
    ]
    choices.sort(
        key=lambda c: (-(c.fits_level + c.fits_interests), c.text.intensity, c.text.title.lower())
    )
    return ScenarioList(choices, level, hinted)


# Rehearsals ---------------------------------------------------------------------------------


def rehearsal_happening(rehearsal: Rehearsal) -> happenings.Happening:
    return happenings.Happening(
        REHEARSAL,
        rehearsal.client_id,
        rehearsal.occurred,
        _summary(rehearsal.mode),
        f"skills.rehearsal:{rehearsal.pk}",
        about=_about(rehearsal.scenario_key, rehearsal.starter_key),
        numbers=_confidence(rehearsal.confidence_before, rehearsal.confidence_after),
        setting=rehearsal.setting,
    )


def _summary(mode: str) -> str:
    return str(Rehearsal.Mode(mode).label) if mode in Rehearsal.Mode.values else mode


def _about(scenario_key: str, starter_key: str) -> str:
    return f"skills.scenario:{scenario_key}" if scenario_key else f"skills.starter:{starter_key}"


def _confidence(before: int | None, after: int | None) -> dict[str, int]:
    numbers = {"confidence_before": before, "confidence_after": after}
    return {name: value for name, value in numbers.items() if value is not None}


def _rehearsals(client_ids: Sequence[int], start, end) -> QuerySet[Rehearsal]:
    return Rehearsal.objects.filter(client_id__in=client_ids, occurred__gte=start, occurred__lt=end)


def rehearsal_counts(client_id: int, start, end, own: bool) -> list:
    """`rehearsal_happenings` counted."""
    return [happenings.count_rows(_rehearsals([client_id], start, end), REHEARSAL)]


def rehearsal_happenings(
    client_ids: Sequence[int], start: datetime.datetime, end: datetime.datetime
) -> list[happenings.Happening]:
    """Every rehearsal, of a scenario or a starter, in session or alone, in [start, end):
    one query. The summary says only how it was rehearsed, never what."""
    rows = _rehearsals(client_ids, start, end).values_list(
        "pk",
        "client_id",
        "occurred",
        "mode",
        "scenario_key",
        "starter_key",
        "setting",
        "confidence_before",
        "confidence_after",
    )
    return [
        happenings.Happening(
            REHEARSAL,
            client_id,
            occurred,
            _summary(mode),
            f"skills.rehearsal:{pk}",
            about=_about(scenario_key, starter_key),
            numbers=_confidence(before, after),
            setting=setting,
        )
        for pk, client_id, occurred, mode, scenario_key, starter_key, setting, before, after in rows
    ]


def rehearsals(*, client: Client, viewer) -> QuerySet[Rehearsal]:
    """The client's rehearsals, newest first (one query a page)."""
    return Rehearsal.objects.for_viewer(client=client, viewer=viewer).order_by("-occurred", "-pk")


@dataclass(frozen=True)
class HistoryRow:
    rehearsal: Rehearsal
    title: str  # the scenario's title, or "" for a starter (its text is the starter helper's)
    faced: happenings.Happening | None  # the first real thing in its setting after it

    @property
    def faced_how(self) -> str:
        if self.faced is None:
            return ""
        attended = self.faced.kind == happenings.PLAN_ATTENDED
        return _("a plan attended") if attended else _("a ladder step")

    @property
    def minutes(self) -> int | None:
        seconds = self.rehearsal.seconds
        return None if not seconds else -(-seconds // 60)


def history_rows(*, client: Client, viewer, rehearsals: Sequence[Rehearsal]) -> list[HistoryRow]:
    """One page of rehearsals with their scenario's title (or the starter's words) and the
    first plan attended or exposure logged in the same setting since (read through the
    happenings registry, as the viewer may see them). A constant number of queries for the
    page."""
    rehearsals = list(rehearsals)
    if not rehearsals:
        return []
    texts = scenario_texts(
        practice=client.practice,
        keys=sorted({r.scenario_key for r in rehearsals if r.scenario_key}),
    )
    starters = starter_selectors.starter_texts(
        client=client, viewer=viewer, keys={r.starter_key for r in rehearsals if r.starter_key}
    )
    real = happenings.happenings(
        client_ids=[client.pk],
        start=min(r.occurred for r in rehearsals),
        end=timezone.now() + datetime.timedelta(days=1),
        kinds=happenings.FACED_KINDS,  # facing the rehearsed situation for real
        viewer=viewer,
    )
    rows = []
    for rehearsal in rehearsals:
        if rehearsal.scenario_key:
            text = texts.get(rehearsal.scenario_key)
            title = text.title if text else ""
        else:
            starter = starters.get(rehearsal.starter_key)
            title = f"“{starter.text}”" if starter else ""
        faced = next(
            (h for h in real if h.setting == rehearsal.setting and h.occurred > rehearsal.occurred),
            None,
        )
        rows.append(HistoryRow(rehearsal, title, faced))
    return rows


def confidence_series(*, client: Client, viewer, limit: int = HISTORY_PAGE) -> list[Rehearsal]:
    """The latest rehearsals with a confidence rating, oldest first, for the chart: one query,
    at most `limit` of them."""
    rows = (
        rehearsals(client=client, viewer=viewer)
        .exclude(confidence_before__isnull=True, confidence_after__isnull=True)
        .only("pk", "occurred", "confidence_before", "confidence_after", "scenario_key")[:limit]
    )
    return list(reversed(list(rows)))


def faced_summary(rows: Sequence[HistoryRow]) -> list[tuple[str, HistoryRow]]:
    """Of one page, each setting rehearsed and since faced for real: (setting label, the
    latest such rehearsal)."""
    seen: dict[str, HistoryRow] = {}
    for row in rows:
        if row.faced is not None and row.rehearsal.setting not in seen:
            seen[row.rehearsal.setting] = row
    return [(row.rehearsal.get_setting_display(), row) for row in seen.values()]

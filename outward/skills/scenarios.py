"""Role-play scenarios: the built-in library (data/scenarios.json, written for Outward, each
with a stable key) and one shape, `ScenarioText`, for a library scenario, a practice's own
(skills.models.Scenario) or either as adapted for one client (ScenarioAdaptation). Read once
per process; a broken file stops start-up (apps.ready)."""

import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .models import Scenario, ScenarioAdaptation, Setting

FILE = Path(__file__).parent / "data" / "scenarios.json"
INTENSITIES = range(1, 6)
RESPONSES = ("warm", "neutral", "busy")


@dataclass(frozen=True)
class ScenarioText:
    key: str
    title: str
    setting: str
    intensity: int
    situation: str
    aim: str
    role_card: str
    warm: str
    neutral: str
    busy: str
    opening_lines: tuple[str, ...]
    debrief: tuple[str, ...]
    built_in: bool = True
    adapted: bool = False

    def setting_label(self) -> str:
        return str(Setting(self.setting).label)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _checked(item: dict, keys: set[str]) -> ScenarioText:
    where = f"{FILE}: {item.get('key')!r}"
    if not item.get("key") or item["key"] in keys or ":" in item["key"]:
        raise ValueError(f"{where} needs a unique key without ':'")
    if item.get("setting") not in Setting.values or item.get("intensity") not in INTENSITIES:
        raise ValueError(f"{where} needs a known setting and an intensity 1–5")
    texts = ["title", "situation", "aim", "role_card", *RESPONSES]
    if not all(isinstance(item.get(name), str) and item[name].strip() for name in texts):
        raise ValueError(f"{where} needs every text: {', '.join(texts)}")
    if not 2 <= len(item.get("opening_lines", ())) <= 4 or not item.get("debrief"):
        raise ValueError(f"{where} needs two to four opening lines and debrief questions")
    return ScenarioText(
        **{name: item[name] for name in ["key", "setting", "intensity", *texts]},
        opening_lines=tuple(item["opening_lines"]),
        debrief=tuple(item["debrief"]),
    )


@cache
def library() -> dict[str, ScenarioText]:
    """The built-in scenarios by key, in the file's order."""
    found: dict[str, ScenarioText] = {}
    for item in json.loads(FILE.read_text(encoding="utf-8"))["scenarios"]:
        found[item["key"]] = _checked(item, set(found))
    return found


def from_practice(scenario: Scenario) -> ScenarioText:
    return ScenarioText(
        key=scenario.key,
        title=scenario.title,
        setting=scenario.setting,
        intensity=scenario.intensity,
        situation=scenario.situation,
        aim=scenario.aim,
        role_card=scenario.role_card,
        warm=scenario.warm,
        neutral=scenario.neutral,
        busy=scenario.busy,
        opening_lines=_lines(scenario.opening_lines),
        debrief=_lines(scenario.debrief_questions),
        built_in=False,
    )


def adapted(text: ScenarioText, adaptation: ScenarioAdaptation | None) -> ScenarioText:
    """The scenario as the care team adapted it for one client: each field they filled in
    replaces the scenario's own."""
    if adaptation is None:
        return text
    changes: dict = {
        name: getattr(adaptation, name)
        for name in ("situation", "aim", "role_card")
        if getattr(adaptation, name).strip()
    }
    if _lines(adaptation.opening_lines):
        changes["opening_lines"] = _lines(adaptation.opening_lines)
    return replace(text, adapted=True, **changes)

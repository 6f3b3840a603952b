"""Outward's bank of conversation starters (data/starters.json), written for Outward and
tagged by setting and level of openness. Read once per process; a broken file stops start-up
(apps.ready), naming the file."""

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..models import Openness, Setting

FILE = Path(__file__).resolve().parents[1] / "data" / "starters.json"
TEXT_MAX = 300  # as Starter.text and OwnStarter.text
# Each setting offers a client a few starters at every level, so there is always a next step.
AT_LEAST_PER_SETTING = 6


class Source:
    LIBRARY = "library"
    PRACTICE = "practice"
    OWN = "own"


@dataclass(frozen=True)
class StarterText:
    """A starter wherever it was written: Outward's bank, the practice's, the client's own."""

    key: str
    text: str
    setting: str
    openness: int
    source: str = Source.LIBRARY

    @property
    def setting_label(self) -> str:
        return str(Setting(self.setting).label)

    @property
    def openness_label(self) -> str:
        return str(Openness(self.openness).label)


@cache
def bank() -> dict[str, StarterText]:
    """Outward's starters by key, in the file's order (setting, then level)."""
    data = json.loads(FILE.read_text(encoding="utf-8"))
    found: dict[str, StarterText] = {}
    for item in data["starters"]:
        key, text = item.get("key"), item.get("text")
        if not (isinstance(key, str) and key and ":" not in key) or key in found:
            raise ValueError(f"{FILE}: {key!r} needs a unique key without a colon")
        if item.get("setting") not in Setting.values:
            raise ValueError(f"{FILE}: {key!r} has an unknown setting {item.get('setting')!r}")
        if item.get("openness") not in Openness.values:
            raise ValueError(f"{FILE}: {key!r} needs an openness from 1 to 4")
        if not (isinstance(text, str) and text.strip() and len(text) <= TEXT_MAX):
            raise ValueError(f"{FILE}: {key!r} needs words, at most {TEXT_MAX} characters")
        found[key] = StarterText(key, text, item["setting"], item["openness"])
    per_setting = Counter(starter.setting for starter in found.values())
    for setting in Setting.values:
        levels = {s.openness for s in found.values() if s.setting == setting}
        if per_setting[setting] < AT_LEAST_PER_SETTING or levels != set(Openness.values):
            raise ValueError(f"{FILE}: {setting!r} needs starters at every level")
    return found

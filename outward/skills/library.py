"""The library of example situations (data/situations.json), written for Outward and graded
with a suggested SUDS. Read once per process; a broken file stops start-up (apps.ready)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

FILE = Path(__file__).parent / "data" / "situations.json"

# The areas' titles, translatable here (the file's own titles name them for people editing it).
AREA_TITLES = {
    "meeting": _("Meeting new people"),
    "groups": _("Groups and classes"),
    "work": _("Work and study"),
    "friends": _("Friends and family"),
    "online": _("Online"),
    "errands": _("Everyday errands"),
}

# Each area's setting (skills.models.Setting), so an exposure at an example rung can be matched
# to a rehearsal in the same setting.
AREA_SETTINGS = {
    "meeting": "club",
    "groups": "club",
    "work": "workplace",
    "friends": "reconnecting",
    "online": "online",
    "errands": "neighbours",
}


@dataclass(frozen=True)
class Situation:
    key: str
    text: str
    suds: int
    area: str


@dataclass(frozen=True)
class Area:
    key: str
    title: object
    situations: tuple[Situation, ...]


@cache
def areas() -> tuple[Area, ...]:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    found, keys = [], set()
    for area in data["areas"]:
        if area["key"] not in AREA_TITLES:
            raise ValueError(f"{FILE}: unknown area {area['key']!r}")
        situations = []
        for item in area["situations"]:
            suds = item["suds"]
            if not (isinstance(suds, int) and 0 <= suds <= 100) or item["key"] in keys:
                raise ValueError(f"{FILE}: {item['key']!r} needs a unique key and SUDS 0–100")
            keys.add(item["key"])
            situations.append(Situation(item["key"], item["text"], suds, area["key"]))
        situations.sort(key=lambda situation: situation.suds)
        found.append(Area(area["key"], AREA_TITLES[area["key"]], tuple(situations)))
    return tuple(found)


def situation(key: str) -> Situation | None:
    return next((s for area in areas() for s in area.situations if s.key == key), None)

"""The relationship map's pure parts: where each person sits in the three circles of the
convoy model (the client at the centre), and what changed between two states of the map.
The geometry is drawn by a template (journal/map_svg.html); the words are the journal's."""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CIRCLES = (1, 2, 3)  # closest, close, wider
LOST = "lost"  # the "not in touch now" answer
LABEL_CHARS = 12


@dataclass(frozen=True)
class Ring:
    circle: int
    radius: float


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    circle: int
    label_y: float


@dataclass(frozen=True)
class ConvoyLayout:
    size: int
    centre: float
    rings: list[Ring]
    dots: list[Dot]


# Each circle's outer edge as a share of the drawing's radius: the closest circle is wide
# enough for names to sit clear of "You" in the middle.
RING_SHARES = {1: 0.42, 2: 0.71, 3: 1.0}
YOU_RADIUS = 16


def convoy_layout(people: Sequence[tuple[str, int]], *, size: int = 360) -> ConvoyLayout:
    """`people` as (name, circle 1–3): each circle's people spread evenly round the middle of
    its band (the closest between "You" and its ring), each band starting at a different angle
    so that names in neighbouring bands do not line up. Long names are shortened for the
    drawing (the list beside it has them whole)."""
    centre = size / 2
    outer = centre * 0.94
    rings = [Ring(circle, round(outer * RING_SHARES[circle], 1)) for circle in CIRCLES]
    inner = {1: YOU_RADIUS + 4, 2: rings[0].radius, 3: rings[1].radius}
    dots = []
    for ring in rings:
        names = [name for name, in_circle in people if in_circle == ring.circle]
        # A little inside the middle of the band, so the name under each dot stays in it.
        radius = (inner[ring.circle] + ring.radius) / 2 - 4
        offset = -math.pi / 2 + ring.circle * 0.6
        for index, name in enumerate(names):
            angle = offset + 2 * math.pi * index / len(names)
            x = round(centre + radius * math.cos(angle), 1)
            y = round(centre + radius * math.sin(angle), 1)
            short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
            # The name on the far side of the dot from "You": above it in the top half.
            label_y = y - 10 if y < centre else y + 15
            dots.append(Dot(x, y, short, ring.circle, round(label_y, 1)))
    return ConvoyLayout(size, centre, rings, dots)


@dataclass(frozen=True)
class Place:
    """Where one person stood on the map at one time."""

    circle: int
    touch: str


@dataclass
class MapChanges:
    closer: int = 0
    further: int = 0
    new: Counter = field(default_factory=Counter)  # circle -> people new in it
    lost_touch: int = 0
    back_in_touch: int = 0
    off_the_map: int = 0

    def any(self) -> bool:
        return bool(
            self.closer
            or self.further
            or self.new
            or self.lost_touch
            or self.back_in_touch
            or self.off_the_map
        )


def map_changes(before: Mapping[int, Place], after: Mapping[int, Place]) -> MapChanges:
    """What changed from one state of the map to another (each keyed by person)."""
    changes = MapChanges()
    for person, now in after.items():
        then = before.get(person)
        if then is None:
            changes.new[now.circle] += 1
            continue
        if now.circle < then.circle:
            changes.closer += 1
        elif now.circle > then.circle:
            changes.further += 1
        if now.touch == LOST and then.touch != LOST:
            changes.lost_touch += 1
        elif then.touch == LOST and now.touch != LOST:
            changes.back_in_touch += 1
    changes.off_the_map = sum(1 for person in before if person not in after)
    return changes

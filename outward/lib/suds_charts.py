"""Geometry for the skills room's charts, drawn by template partials: the exposure charts
(0–100 scales, `skills/exposure_chart.html`) and the thinking-trap counts (horizontal bars,
`skills/thought_bars.html`).

Python computes where every bar and dot goes; the templates draw the SVG with classes only (the
CSP forbids inline styles). Every chart comes with a table of the same numbers on the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320  # fits a 375 px phone with the page's padding; scales down with viewBox
HEIGHT = 180
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 8, 24
TICKS = (0, 25, 50, 75, 100)
MIN_BAR = 2


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int  # 0 or 1: which of the chart's two series (a class, and a legend with words)
    label: str  # the attempt's label under the x axis (on the first series only)
    label_x: float  # the middle of the attempt's group


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    series: tuple[str, ...]
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def _y(value: float, top: int = 100) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top), 1)


def bar_chart(
    *,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
    title: str,
    description: str,
    top: int = 100,
    ticks: Sequence[int] = TICKS,
) -> Chart:
    """Grouped bars on a 0–`top` scale (0–100 by default, 0–10 for confidence): one group
    per label, one bar per series (at most two); a missing value draws no bar."""
    groups = max(len(labels), 1)
    slot = (WIDTH - LEFT - RIGHT) / groups
    bar = min(slot * 0.8 / max(len(series), 1), 24)
    marks = []
    for index, label in enumerate(labels):
        start = LEFT + slot * index + (slot - bar * len(series)) / 2
        for number, (_name, values) in enumerate(series):
            value = values[index]
            if value is None:
                continue
            # A zero still shows, as a thin mark on the baseline.
            y = min(_y(value, top), HEIGHT - BOTTOM - MIN_BAR)
            marks.append(
                Mark(
                    x=round(start + bar * number, 1),
                    y=y,
                    width=round(bar, 1),
                    height=round(HEIGHT - BOTTOM - y, 1),
                    value=value,
                    series=number,
                    label=label if number == 0 else "",
                    label_x=round(start + bar * len(series) / 2, 1),
                )
            )
    return Chart(
        title=title,
        description=description,
        series=tuple(name for name, _values in series),
        marks=tuple(marks),
        ticks=tuple(Tick(_y(value, top), value) for value in ticks),
    )


@dataclass(frozen=True)
class CountBar:
    label: str
    value: int
    y: int  # the top of the bar's row
    width: float  # the bar's length in the chart's units
    value_x: float  # where the count is written, just past the bar


@dataclass(frozen=True)
class CountBars:
    bars: list[CountBar]
    height: int
    bar_x: int  # where every bar starts, right of the labels


COUNT_ROW, COUNT_X, COUNT_MAX = 28, 150, 140


def count_bars(counts: Sequence[tuple[str, int]]) -> CountBars:
    """One horizontal bar per (label, count), the largest COUNT_MAX long."""
    top = max((count for _label, count in counts), default=0) or 1
    bars = []
    for index, (label, count) in enumerate(counts):
        width = round(COUNT_MAX * count / top, 1)
        bars.append(CountBar(label, count, index * COUNT_ROW, width, COUNT_X + width + 6))
    return CountBars(bars=bars, height=max(1, len(bars)) * COUNT_ROW, bar_x=COUNT_X)

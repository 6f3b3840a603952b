"""Small accessible SVG charts, drawn on the server.

The markup has no inline styles (the Content-Security-Policy forbids them): only classes —
`chart`, `chart-grid`, `chart-line`, `chart-point`, `chart-label` — and presentation attributes
that keep it legible before any CSS loads (CSS rules on the classes override them). The chart is
an image to assistive technology (`role="img"`), named by its own `<title>` and `<desc>`; pages
should still give a table or a sentence with the same numbers.
"""

import math
import uuid
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PAD_TOP = 12
PAD_RIGHT = 24  # half of a last x label
PAD_BOTTOM = 28  # room for the x labels
PAD_LEFT = 44  # room for the y tick labels
PAD_Y_LABEL = 18  # more on the left when the y axis has a label
X_LABEL_SPACE = 56  # horizontal room one x label needs before labels are thinned out
TARGET_TICKS = 4


def _number(value: float) -> str:
    """A value for people to read: localised, at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return number_format(round(value, decimals), decimal_pos=decimals)


def _coordinate(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _ticks(y_min: float, y_max: float) -> list[float]:
    """A few round values from y_min to y_max for gridlines (1, 2, 2.5 or 5 times a power of 10
    apart)."""
    raw_step = (y_max - y_min) / TARGET_TICKS
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step * 0.999)
    first = math.ceil(y_min / step - 1e-9)
    last = math.floor(y_max / step + 1e-9)
    return [index * step for index in range(first, last + 1)]


def _close(parts: list[SafeString]) -> SafeString:
    """The finished `<svg>`: every part was built with format_html, so all text is escaped."""
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    y_min: float,
    y_max: float,
    title: str,
    description: str,
    y_label: str = "",
    width: int = 600,
    height: int = 200,
) -> SafeString:
    """An `<svg>` line chart of `points` — (x label, value or None for a gap), in order.

    Values are clamped to [y_min, y_max]; a gap (None or NaN) breaks the line. With no values
    at all the chart draws no axes or line and says "No data yet."
    """
    if not y_max > y_min:
        raise ValueError(f"y_max ({y_max!r}) must be greater than y_min ({y_min!r}).")
    if width <= 0 or height <= 0:
        raise ValueError("A chart needs a positive width and height.")

    points = list(points)
    values = [None if v is None or math.isnan(v) else min(max(v, y_min), y_max) for _x, v in points]
    chart_id = f"chart-{uuid.uuid4().hex[:12]}"
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    empty = all(value is None for value in values)
    if empty:
        no_data = _("No data yet.")
        description = f"{description} {no_data}" if description.strip() else no_data

    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            'aria-labelledby="{} {}" viewBox="0 0 {} {}">',
            title_id,
            desc_id,
            width,
            height,
        ),
        format_html('<title id="{}">{}</title>', title_id, title),
        format_html('<desc id="{}">{}</desc>', desc_id, description),
    ]
    if empty:
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle" '
                'dominant-baseline="middle" fill="currentColor" font-size="14">{}</text>',
                _coordinate(width / 2),
                _coordinate(height / 2),
                no_data,
            )
        )
        return _close(parts)

    left = PAD_LEFT + (PAD_Y_LABEL if y_label else 0)
    plot_width = max(width - left - PAD_RIGHT, 1)
    plot_height = max(height - PAD_TOP - PAD_BOTTOM, 1)

    def x_at(index: int) -> float:
        if len(points) == 1:
            return left + plot_width / 2
        return left + index * plot_width / (len(points) - 1)

    def y_at(value: float) -> float:
        return PAD_TOP + (y_max - value) / (y_max - y_min) * plot_height

    # Gridlines with their tick labels.
    for tick in _ticks(y_min, y_max):
        y = _coordinate(y_at(tick))
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}" '
                'stroke="currentColor" stroke-opacity="0.2"/>',
                left,
                y,
                _coordinate(left + plot_width),
                y,
            )
        )
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end" '
                'dominant-baseline="middle" fill="currentColor" font-size="12">{}</text>',
                left - 6,
                y,
                _number(tick),
            )
        )
    if y_label:
        x, y = _coordinate(PAD_Y_LABEL / 2 + 2), _coordinate(PAD_TOP + plot_height / 2)
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" transform="rotate(-90 {} {})" '
                'text-anchor="middle" dominant-baseline="middle" fill="currentColor" '
                'font-size="12">{}</text>',
                x,
                y,
                x,
                y,
                y_label,
            )
        )

    # X labels, thinned to every n-th when there are more than fit.
    label_every = math.ceil(len(points) / max(1, plot_width // X_LABEL_SPACE))
    for index, (x_label, _value) in enumerate(points):
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="middle" '
                    'fill="currentColor" font-size="12">{}</text>',
                    _coordinate(x_at(index)),
                    height - 8,
                    x_label,
                )
            )

    # The line: one polyline per run of values between gaps (a lone value is only a point).
    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x_at(index), y_at(value)))
    for run in runs:
        if len(run) >= 2:
            parts.append(
                format_html(
                    '<polyline class="chart-line" points="{}" fill="none" '
                    'stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
                    " ".join(f"{_coordinate(x)},{_coordinate(y)}" for x, y in run),
                )
            )

    # A point at every value, with its value as a tooltip.
    for index, ((x_label, raw), value) in enumerate(zip(points, values, strict=True)):
        if value is not None:
            parts.append(
                format_html(
                    '<circle class="chart-point" cx="{}" cy="{}" r="3.5" fill="currentColor">'
                    "<title>{}</title></circle>",
                    _coordinate(x_at(index)),
                    _coordinate(y_at(value)),
                    _("%(label)s: %(value)s") % {"label": x_label, "value": _number(raw)},
                )
            )

    return _close(parts)

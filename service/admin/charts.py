"""Small bar charts drawn on the server as inline SVG: no script, CDN or external service.

Every number is also in the SVG's <title>/<desc> and in a table next to the chart,
so the charts are readable by screen readers and printable.
"""

from __future__ import annotations

import math

from flask_babel import gettext
from markupsafe import Markup, escape

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 34
COLOURS = ("#b4451f", "#2f6f8f", "#8a8f2f")


TICKS = 4


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value`, split into TICKS whole steps of
    1, 2 or 5 × 10^n (so counts get whole-number gridlines: 0 1 2 3 4, 0 5 10 15 20)."""
    if value <= 0:
        return TICKS
    raw_step = value / TICKS
    exponent = 10 ** math.floor(math.log10(raw_step))
    for multiple in (1, 2, 5, 10):
        step = multiple * exponent
        if step >= raw_step:
            break
    return max(step, 1) * TICKS


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return gettext("no data")
    if unit == "%":
        return f"{value:.0f}%"
    return f"{value:g}"


def bar_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    unit: str = "",
    maximum: float | None = None,
    direct_labels: bool = False,
    hidden: frozenset[tuple[int, int]] = frozenset(),
) -> Markup:
    """Grouped bars, one group per label; None draws no bar (no data that week).

    `direct_labels` prints each value above its bar and fills the second and third series
    with stripes and dots, so the chart reads without colour (in print, for instance).
    `hidden`: (label index, series index) of figures withheld for privacy, marked "<5"."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = maximum if maximum is not None else nice_max(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.7 / max(len(series), 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if direct_labels:
        parts.append(_patterns())
    parts.append(f"<desc>{escape(_description(labels, series, unit))}</desc>")
    parts += _grid(top, plot_h, unit)
    for i, label in enumerate(labels):
        x0 = LEFT + group_w * i + group_w * 0.15
        for s, (name, vs) in enumerate(series):
            value = vs[i]
            x = x0 + bar_w * s
            if (i, s) in hidden:
                parts.append(_bar_label(x + (bar_w - 1) / 2, TOP + plot_h - 4, "<5"))
                continue
            if value is None:
                continue
            h = plot_h * min(value, top) / top if top else 0
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{_fill(s, direct_labels)}" stroke="#333" stroke-width="0.5">'
                f"<title>{escape(label)} · {escape(name)}: "
                f"{escape(_fmt(value, unit))}</title></rect>"
            )
            if direct_labels:
                parts.append(_bar_label(x + (bar_w - 1) / 2, y - 3, _fmt(value, unit)))
        parts.append(
            f'<text x="{LEFT + group_w * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" class="axis">{escape(label)}</text>'
        )
    if len(series) > 1:
        parts += _legend([name for name, _ in series], direct_labels)
    parts.append("</svg>")
    return Markup("".join(parts))


def _description(labels: list[str], series, unit: str) -> str:
    """Every value in words, for screen readers: "W49: Pairs 12, Tips 9; W50: ..."."""
    return "; ".join(
        f"{label}: " + ", ".join(f"{escape(name)} {_fmt(vs[i], unit)}" for name, vs in series)
        for i, label in enumerate(labels)
    )


def _grid(top: float, plot_h: float, unit: str) -> list[str]:
    """Horizontal grid lines with their values on the left axis."""
    parts = []
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        y = TOP + plot_h - plot_h * tick / TICKS
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
            f"{escape(_fmt(round(value, 1), unit))}</text>"
        )
    return parts


def _legend(names: list[str], direct_labels: bool) -> list[str]:
    parts = []
    x = LEFT
    for s, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" '
            f'fill="{_fill(s, direct_labels)}" stroke="#333" stroke-width="0.5"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 3}" class="legend">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts


PATTERNS = ("", "stripes", "dots")  # series 0 solid, then patterns that survive greyscale


def _fill(series: int, patterned: bool) -> str:
    pattern = PATTERNS[series % len(PATTERNS)]
    if patterned and pattern:
        return f"url(#chart-{pattern}-{series % len(COLOURS)})"
    return COLOURS[series % len(COLOURS)]


def _patterns() -> str:
    """Stripes and dots in each series colour. Every chart carries the same definitions
    (same ids, same content), so a page with several charts stays consistent."""
    defs = []
    for s, pattern in enumerate(PATTERNS):
        colour = COLOURS[s % len(COLOURS)]
        if pattern == "stripes":
            defs.append(
                f'<pattern id="chart-stripes-{s}" width="6" height="6" '
                f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="#fff"/>'
                f'<rect width="3" height="6" fill="{colour}"/></pattern>'
            )
        elif pattern == "dots":
            defs.append(
                f'<pattern id="chart-dots-{s}" width="5" height="5" patternUnits="userSpaceOnUse">'
                f'<rect width="5" height="5" fill="#fff"/>'
                f'<circle cx="2.5" cy="2.5" r="1.6" fill="{colour}"/></pattern>'
            )
    return "<defs>" + "".join(defs) + "</defs>"


def _bar_label(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" class="value">{escape(text)}</text>'

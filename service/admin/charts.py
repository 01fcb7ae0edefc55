"""Small bar charts drawn on the server as inline SVG: no script, CDN or external service.

Every number is also in the SVG's <title>/<desc> and in a table next to the chart,
so the charts are readable by screen readers and printable.
"""

from __future__ import annotations

import math

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
        return "no data"
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
) -> Markup:
    """Grouped bars, one group per label; None draws no bar (no data that week)."""
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
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{escape(name)} {_fmt(vs[i], unit)}" for name, vs in series)
        for i, label in enumerate(labels)
    )
    parts.append(f"<desc>{escape(desc)}</desc>")
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        y = TOP + plot_h - plot_h * tick / TICKS
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">'
            f"{escape(_fmt(round(value, 1), unit))}</text>"
        )
    for i, label in enumerate(labels):
        x0 = LEFT + group_w * i + group_w * 0.15
        for s, (name, vs) in enumerate(series):
            value = vs[i]
            if value is None:
                continue
            h = plot_h * min(value, top) / top if top else 0
            x = x0 + bar_w * s
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(label)} · {escape(name)}: '
                f"{escape(_fmt(value, unit))}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + group_w * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" class="axis">{escape(label)}</text>'
        )
    if len(series) > 1:
        x = LEFT
        for s, (name, _) in enumerate(series):
            parts.append(
                f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" '
                f'fill="{COLOURS[s % len(COLOURS)]}"/>'
                f'<text x="{x + 14}" y="{HEIGHT - 3}" class="legend">{escape(name)}</text>'
            )
            x += 24 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))

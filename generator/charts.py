"""Bar charts drawn as inline SVG at build time: no script, readable by screen readers
(a title and description), and always shown beside a table of the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

COLOURS = ("#1d3557", "#6f777b")  # both at least 3:1 against white, as WCAG 1.4.11 asks of graphics
_BAR = 28
_GAP = 14
_LEFT = 48
_TOP = 12
_HEIGHT = 160


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[Series]) -> Markup:
    """Stacked bars, one per label; each series a layer with its own colour and legend entry."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    step = _nice_step(top)
    scale_top = -(-top // step) * step
    width = _LEFT + len(labels) * (_BAR + _GAP) + _GAP
    legend_y = _TOP + _HEIGHT + 40
    height = legend_y + 18 * len(series) + 8
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.values[i]} {s.name.lower()}" for s in series) for i, label in enumerate(labels))
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(described)}</desc>',
    ]
    for tick in range(0, scale_top + 1, step):
        y = _TOP + _HEIGHT - tick * _HEIGHT / scale_top
        parts.append(f'<line x1="{_LEFT - 4}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{tick}</text>')
    for index, label in enumerate(labels):
        x = _LEFT + _GAP + index * (_BAR + _GAP)
        base = _TOP + _HEIGHT
        for layer, values in enumerate(series):
            value = values.values[index]
            if value:
                bar = value * _HEIGHT / scale_top
                base -= bar
                parts.append(f'<rect x="{x}" y="{base:.1f}" width="{_BAR}" height="{bar:.1f}" fill="{COLOURS[layer % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + _BAR / 2}" y="{base - 4:.1f}" text-anchor="middle" font-size="12">{totals[index]}</text>')
        parts.append(f'<text x="{x + _BAR / 2}" y="{_TOP + _HEIGHT + 18}" text-anchor="middle" font-size="12">{escape(label)}</text>')
    if len(series) > 1:
        for layer, values in enumerate(series):
            y = legend_y + 18 * layer
            parts.append(f'<rect x="{_LEFT}" y="{y - 10}" width="12" height="12" fill="{COLOURS[layer % len(COLOURS)]}"/>')
            parts.append(f'<text x="{_LEFT + 18}" y="{y}" font-size="12">{escape(values.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top))

"""Bar charts drawn as inline SVG at build time: no script, readable by screen readers
(a title and description), and always shown beside a table of the same numbers.

The bars lie across, one row per label, so that a long run of years still fits a phone's
screen with every label at a readable size. The SVG is drawn at the size it should be
shown and only ever shrinks to fit; every label and legend is given the room its text
needs, reckoned generously, so that no font can make it run off the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

COLOURS = ("#1d3557", "#6f777b")  # both at least 3:1 against white, as WCAG 1.4.11 asks of graphics
FONT = 14
_CHAR = 0.66 * FONT  # wider than the average character of common sans-serif fonts
_ROW = 28
_BAR = 18
_PLOT = 200  # the length of the longest bar
_PAD = 4
_GAP = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


def series_of(names: list[str], rows: list[tuple[Any, ...]]) -> list[Series]:
    """A series for each column of `rows` after the first (the label), named by `names`."""
    return [Series(name, tuple(row[column] for row in rows)) for column, name in enumerate(names, start=1)]


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[Series]) -> Markup:
    """Stacked bars, one row per label; each series a layer with its own colour and legend entry."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    step = _nice_step(top)
    scale_top = -(-top // step) * step
    left = _PAD + _text_width(max(labels, key=len, default="")) + _GAP
    values_end = left + _PLOT + _GAP + _text_width(str(max(totals, default=0)))
    ticks_end = left + _PLOT + _text_width(str(scale_top)) / 2
    legend_end = max((_PAD + 18 + _text_width(s.name) for s in series), default=0) if len(series) > 1 else 0
    width = round(max(values_end, ticks_end, legend_end) + _PAD)
    axis_y = _PAD + len(labels) * _ROW
    legend_y = axis_y + FONT + 2 * _GAP
    height = round(legend_y + (FONT + _GAP) * len(series) if len(series) > 1 else legend_y)
    described = "; ".join(
        f"{label}: " + ", ".join(f"{s.values[i]} {s.name.lower()}" for s in series) for i, label in enumerate(labels))
    chart = escape(chart_id)
    parts = [
        f'<svg class="chart" id="{chart}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart}-title {chart}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart}-title">{escape(title)}</title>',
        f'<desc id="{chart}-desc">{escape(described)}</desc>',
    ]
    for tick in range(0, scale_top + 1, step):
        x = left + tick * _PLOT / scale_top
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{_PAD}" y2="{axis_y + 4}" stroke="#b1b4b6" stroke-width="1"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 4 + FONT}" text-anchor="middle" font-size="{FONT}">{tick}</text>')
    for index, label in enumerate(labels):
        y = _PAD + index * _ROW
        middle = y + _ROW / 2 + FONT * 0.35
        x = float(left)
        for layer, values in enumerate(series):
            value = values.values[index]
            if value:
                length = value * _PLOT / scale_top
                parts.append(f'<rect x="{x:.1f}" y="{y + (_ROW - _BAR) / 2:.1f}" width="{length:.1f}" height="{_BAR}" '
                             f'fill="{COLOURS[layer % len(COLOURS)]}"/>')
                x += length
        parts.append(f'<text x="{left - _GAP}" y="{middle:.1f}" text-anchor="end" font-size="{FONT}">{escape(label)}</text>')
        parts.append(f'<text x="{x + _GAP / 2:.1f}" y="{middle:.1f}" font-size="{FONT}">{totals[index]}</text>')
    if len(series) > 1:
        for layer, values in enumerate(series):
            y = legend_y + (FONT + _GAP) * layer
            parts.append(f'<rect x="{_PAD}" y="{y - 12}" width="12" height="12" fill="{COLOURS[layer % len(COLOURS)]}"/>')
            parts.append(f'<text x="{_PAD + 18}" y="{y}" font-size="{FONT}">{escape(values.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _text_width(text: str) -> float:
    return len(text) * _CHAR


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top))

"""The plot in docs/performance.md: cold build time against corpus size, from the results.

    python benchmarks/plot.py [--output docs/images/performance.svg]

Reads benchmarks/results/{S,M,L,XL}.json (whichever exist) and draws, against the number
of meetings, the median cold build of Minutes without and with the search index and of
Hugo, each with its least-squares line, as an SVG with a title and a description (the
same numbers as text) for screen readers.
"""

from __future__ import annotations

import argparse
import json
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = ("S", "M", "L", "XL")
SERIES = (  # label, colour (at least 3:1 against white), how to find the figure in a result
    ("Minutes, no search index", "#1d3557", lambda r: r["results"]["no-search"]["cold"]["median"]),
    ("Minutes, with search index", "#b3541e", lambda r: r["results"]["search"]["cold"]["median"]),
    ("Hugo (meeting pages and board lists only)", "#505a5f", lambda r: r["hugo"]["median"]),
)
WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 40, 112


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares: y = a + b x."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, b


def _r2(points: list[tuple[float, float]], a: float, b: float) -> float:
    my = sum(y for _, y in points) / len(points)
    total = sum((y - my) ** 2 for _, y in points)
    residual = sum((y - a - b * x) ** 2 for x, y in points)
    return 1 - residual / total if total else 1.0


def _step(top: float, ticks: int = 5) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if top / step <= ticks:
            return step
    return 10 ** len(str(int(top)))


def plot(results: dict[str, dict]) -> str:
    sizes = [s for s in SIZES if s in results]
    meetings = {s: results[s]["corpus"]["meetings"] for s in sizes}
    series = []
    for label, colour, pick in SERIES:
        points = [(float(meetings[s]), float(pick(results[s]))) for s in sizes]
        a, b = _fit(points) if len(points) > 1 else (0.0, 0.0)
        series.append((label, colour, points, a, b))
    x_top = max(meetings.values()) * 1.05
    y_top = max(y for *_, points, _, _ in [(s[0], s[1], s[2], s[3], s[4]) for s in series] for _, y in points) * 1.1
    x_step, y_step = _step(x_top), _step(y_top)
    x_top = -(-x_top // x_step) * x_step
    y_top = -(-y_top // y_step) * y_step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def X(x: float) -> float:
        return LEFT + x * plot_w / x_top

    def Y(y: float) -> float:
        return TOP + plot_h - y * plot_h / y_top

    described = []
    for label, _, points, a, b in series:
        figures = ", ".join(f"{s} ({int(x)} meetings) {y:.1f} s" for s, (x, y) in zip(sizes, points))
        fit = f"; fitted line {a:.1f} s + {b * 1000:.1f} s per thousand meetings, R² {_r2(points, a, b):.4f}" if len(points) > 1 else ""
        described.append(f"{label}: {figures}{fit}")
    title = "Cold build time against the number of meetings"
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        'aria-labelledby="perf-title perf-desc" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">',
        f'<title id="perf-title">{escape(title)}</title>',
        f'<desc id="perf-desc">{escape(". ".join(described))}.</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="600" fill="#0b0c0c">{escape(title)}</text>',
    ]
    tick = 0.0
    while tick <= y_top + 1e-9:
        y = Y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dadb" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#0b0c0c">{tick:g}</text>')
        tick += y_step
    tick = 0.0
    while tick <= x_top + 1e-9:
        x = X(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 5}" stroke="#0b0c0c"/>')
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 20}" text-anchor="middle" font-size="12" fill="#0b0c0c">{int(tick):,}</text>')
        tick += x_step
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#0b0c0c"/>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#0b0c0c"/>')
    parts.append(f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h + 40}" text-anchor="middle" font-size="12" fill="#0b0c0c">'
                 'meetings in the corpus (about 6.7 agenda items and 4.8 decisions each)</text>')
    parts.append(f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle" font-size="12" '
                 'fill="#0b0c0c">seconds (median, wall-clock)</text>')
    markers = ("circle", "square", "diamond")
    for index, (label, colour, points, a, b) in enumerate(series):
        if len(points) > 1:
            parts.append(f'<line x1="{X(0):.1f}" y1="{Y(max(a, 0)):.1f}" x2="{X(x_top):.1f}" y2="{Y(a + b * x_top):.1f}" '
                         f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        for (x, y), size in zip(points, sizes):
            parts.append(_marker(markers[index], X(x), Y(y), colour))
            if index == 0:
                parts.append(f'<text x="{X(x) + 8:.1f}" y="{Y(y) - 8:.1f}" font-size="12" fill="#0b0c0c">{size}</text>')
        y = TOP + plot_h + 60 + 16 * index
        parts.append(_marker(markers[index], LEFT + 6, y - 4, colour))
        fit = f": {b * 1000:.1f} s per 1,000 meetings (R² {_r2(points, a, b):.3f})" if len(points) > 1 else ""
        parts.append(f'<text x="{LEFT + 18}" y="{y}" font-size="12" fill="#0b0c0c">{escape(label + fit)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<path d="M{x:.1f} {y - 5.5:.1f} L{x + 5.5:.1f} {y:.1f} L{x:.1f} {y + 5.5:.1f} L{x - 5.5:.1f} {y:.1f} Z" fill="{colour}"/>'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=HERE.parent / "docs" / "images" / "performance.svg")
    args = parser.parse_args()
    results = {s: json.loads((HERE / "results" / f"{s}.json").read_text()) for s in SIZES
               if (HERE / "results" / f"{s}.json").is_file()}
    if not results:
        parser.error("no results in benchmarks/results/: run benchmarks/run.py first")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(plot(results), encoding="utf-8")
    print(f"Wrote {args.output} from {', '.join(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

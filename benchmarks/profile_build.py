"""Where a build's time goes: cProfile of each step of build_site, in one process.

    python benchmarks/profile_build.py SITE OUTPUT [--no-search] [--top N] [--edit-meeting]

Runs build_site with one render process by default (-j 1, so rendering is profiled too;
a build on two cores renders on two), with a profiler per step (load, validate, link, plan, render,
check links, write, search index), and prints each step's time and its top functions by
cumulative time. With --edit-meeting, first builds once unprofiled, then changes one word
of the meeting run.py edits and profiles the rebuild (the word is put back afterwards);
without it, the output and its build cache are removed first, so the build is cold.
Run it with the same Minutes as the builds it follows (run.py --commit puts that commit
on PYTHONPATH), or the build cache, which is tied to the code, is not used.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("SOURCE_DATE_EPOCH", __import__("run").EPOCH)
os.environ.setdefault("MINUTES_CACHE_KEY", __import__("run").CACHE_KEY)  # run.py's builds' cache stays usable

import run

from generator import build
from generator.incremental.cache import cache_path


def profiled_build(site: Path, output: Path, search: bool, jobs: int = 1) -> tuple[build.BuildResult, list[tuple[str, float, pstats.Stats]]]:
    profiles: list[tuple[str, float, pstats.Stats]] = []
    original = build.Timings.step

    @contextmanager
    def step(self: build.Timings, name: str) -> Iterator[None]:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        try:
            with original(self, name):
                yield
        finally:
            profiler.disable()
            profiles.append((name, time.perf_counter() - started, pstats.Stats(profiler)))

    build.Timings.step = step  # type: ignore[method-assign]
    try:
        result = build.build_site(site, output, search=search, jobs=jobs)
    finally:
        build.Timings.step = original  # type: ignore[method-assign]
    return result, profiles


_PREFIXES = sorted({str(Path(build.__file__).resolve().parent.parent) + "/", *(p + "/" for p in sys.path if p)},
                   key=len, reverse=True)


def _short(line: str) -> str:
    for prefix in _PREFIXES:
        line = line.replace(prefix, "")
    return line


def summary(profiles: list[tuple[str, float, pstats.Stats]], top: int) -> str:
    out = []
    total = sum(seconds for _, seconds, _ in profiles)
    out.append(f"total {total:.2f} s under the profiler: " + ", ".join(f"{n} {s:.2f} s" for n, s, _ in profiles))
    for name, seconds, stats in profiles:
        buffer = io.StringIO()
        stats.stream = buffer  # type: ignore[attr-defined]
        stats.sort_stats("cumulative").print_stats(top)
        lines = [_short(line) for line in buffer.getvalue().splitlines() if line.strip()]
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
        out.append(f"\n== {name}: {seconds:.2f} s (top {top} by cumulative time)")
        out.extend(lines[start:])
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="render processes (default 1, so that rendering is profiled; with more, the render "
                             "step shows only the build process's own share: deciding what to render, and waiting)")
    parser.add_argument("--edit-meeting", action="store_true", help="profile a rebuild after editing one meeting")
    args = parser.parse_args()
    site, output = args.site.resolve(), args.output.resolve()
    if not args.edit_meeting:  # a cold build: no output and no build cache for it
        shutil.rmtree(output, ignore_errors=True)
        cache_path(site / ".cache" / "minutes", output, site).unlink(missing_ok=True)
        result, profiles = profiled_build(site, output, args.search, args.jobs)
    else:
        build.build_site(site, output, search=args.search, jobs=args.jobs)
        meeting = run.edited_meeting(site)
        original = meeting.read_text(encoding="utf-8")
        meeting.write_text(original.replace(run.EDIT_WORD, " considered a report ", 1), encoding="utf-8")
        try:
            result, profiles = profiled_build(site, output, args.search, args.jobs)
        finally:
            meeting.write_text(original, encoding="utf-8")
        print(f"edited {meeting.relative_to(site)}")
    if not result.ok:
        print("the build failed", file=sys.stderr)
        return 1
    print(f"{result.pages} outputs, {result.rendered} rendered, {result.written} written")
    print(summary(profiles, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

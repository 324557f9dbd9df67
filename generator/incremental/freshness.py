"""Whether anything a build reads has changed since the last build of the same output: if not,
there is nothing to do, and the command line says so without importing the rest of Minutes.

The inputs are every file of content/, site.yaml and the layouts, judged by their size, times
and inode, which any write changes (when one has changed, the build decides what really did by
its digest); Minutes' own version (the build cache is opened only by the same version); whether
the search index is wanted; and the day, since "today" decides what is upcoming. The outputs
must still be as the last build published them.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Iterable, Mapping

from generator.clock import today
from generator.diagnostics import Diagnostic, Diagnostics
from generator.incremental.cache import BuildCache, OutputState, cache_path, linked_cache_path
from generator.plan import urls
from generator.render.theme import layout_dirs
from generator.result import BuildResult, Timings


def default_cache_dir(site_root: Path) -> Path:
    return site_root / ".cache" / "minutes"


def unchanged_build(site_root: Path, output: Path, search: bool, cache_dir: Path | None) -> BuildResult | None:
    """The last build's result when nothing has changed since it, else None."""
    timings = Timings()
    cache_dir = cache_dir or default_cache_dir(site_root)
    if linked_cache_path(site_root, cache_dir, output) or not cache_path(cache_dir, output, site_root).is_file():
        return None  # the build says why, or has not been made
    with timings.step("look for changes"):
        cache = BuildCache(cache_path(cache_dir, output, site_root), site_root)
        try:
            if cache.note or not unchanged(cache, site_root, output, search):
                return None  # a cache thrown away is said so by the build
            return previous_result(cache, timings)
        finally:
            cache.close()


def unchanged(cache: BuildCache, site_root: Path, output: Path, search: bool) -> bool:
    last = json.loads(cache.note_value("last build") or "{}")
    if not last or last.get("search") != search or last.get("today") != today(last["timezone"]).isoformat():
        return False
    if last.get("inputs") != snapshot(site_root, layout_dirs(site_root)):
        return False
    if cache.unfinished():
        return False  # pages were published ahead of a build that did not finish
    return _still_published(output, last.get("published"))


def _still_published(output: Path, files: Any) -> bool:
    """Every file the last build published is as it left it (`files`: its path in the output,
    size and time, kept with the last build's inputs, so that the check reads nothing else)."""
    root = str(output)
    try:
        return all(_as_left(os.path.join(root, rel), size, mtime) for rel, size, mtime in files)
    except (TypeError, ValueError):
        return False


def previous_result(cache: BuildCache, timings: Timings) -> BuildResult:
    """The result of the last build, with its warnings."""
    diagnostics = Diagnostics()
    diagnostics.extend(Diagnostic(**d) for d in json.loads(cache.note_value("warnings") or "[]"))
    result = BuildResult(diagnostics, timings, pages=int(cache.note_value("pages") or 0))
    result.notes.append("nothing has changed since the last build")
    return result


def last_build(search: bool, timezone: str, inputs: dict[str, list[int]], outputs: Mapping[str, OutputState]) -> str:
    """What the no-op check compares with, as the build cache keeps it."""
    files = sorted([urls.output_path(url), state.size, state.mtime] for url, state in outputs.items())
    return json.dumps({"search": search, "timezone": timezone, "today": today(timezone).isoformat(),
                       "inputs": inputs, "published": files}, sort_keys=True)


def snapshot(site_root: Path, layouts: Iterable[Path]) -> dict[str, list[int]]:
    """Every input file, with its size, modification and change times and inode."""
    found: dict[str, list[int]] = {}
    _walk(site_root / "site.yaml", "site.yaml", found)
    _walk(site_root / "content", "content", found)
    for number, folder in enumerate(layouts):
        _walk(folder, f"layouts{number}:{folder}", found)
    return found


def _walk(root: Path, name: str, found: dict[str, list[int]]) -> None:
    try:
        status = os.stat(root)
    except OSError:
        return
    if not root.is_dir():
        found[name] = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        return
    folders = [(str(root), name)]
    while folders:
        folder, label = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            found[label] = [-1]
            continue
        for entry in entries:
            key = f"{label}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, key))
                continue
            try:
                status = entry.stat()
            except OSError:
                found[key] = [-1]
                continue
            found[key] = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def published(output: Path, url: str, state: OutputState) -> bool:
    """The published file is still there as the last build left it: a regular file of its size
    and time (to the second, which is all an archive such as a CI cache may keep)."""
    return _as_left(os.path.join(output, urls.output_path(url)), state.size, state.mtime)


def _as_left(path: str, size: int, mtime: int) -> bool:
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size == size and status.st_mtime_ns // 10**9 == mtime

"""Whether anything a build reads has changed since the last build of the same output.

Every input file (content, layouts, site.yaml) is judged by its size, change time and
inode, which any write changes; the output folder the same way; plus Minutes' own code,
the day ("today" decides what is upcoming) and whether the search index is wanted. When
all of it is as the last successful build left it, there is nothing to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from generator.incremental.cache import BuildCache, cache_path, code_version, linked_cache_path
from generator.diagnostics import Diagnostic, Diagnostics
from generator.result import BuildResult, Timings
from generator.render.theme import layout_dirs


def unchanged_build(site_root: Path, output: Path, search: bool, cache_dir: Path | None) -> BuildResult | None:
    """The last build's result when nothing has changed since it, else None; quick, and light
    on imports, so a build with nothing to do is over at once."""
    timings = Timings()
    cache_dir = cache_dir or default_cache_dir(site_root)
    if linked_cache_path(site_root, cache_dir, output):
        return None  # the build says why
    with timings.step("look for changes"):
        cache = BuildCache(cache_path(cache_dir, output, site_root), site_root)
        try:
            return previous_result(cache, input_signature(site_root, layout_dirs(site_root), search), output, timings)
        finally:
            cache.close()


def default_cache_dir(site_root: Path) -> Path:
    return site_root / ".cache" / "minutes"


def previous_result(cache: BuildCache, inputs: str, output: Path, timings: Timings) -> BuildResult | None:
    """The result of the last build, with its warnings, if it was made from these inputs and
    its output is as it left it."""
    if cache.note_value("inputs") != inputs or cache.note_value("outputs") != output_signature(output):
        return None
    diagnostics = Diagnostics()
    diagnostics.extend(Diagnostic(**d) for d in json.loads(cache.note_value("warnings") or "[]"))
    result = BuildResult(diagnostics, timings, pages=int(cache.note_value("pages") or 0))
    result.notes.append("nothing has changed since the last build")
    return result


def input_signature(site_root: Path, layouts: list[Path], search: bool) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(f"{code_version()}|search={search}|".encode())
    hasher.update(f"epoch={os.environ.get('SOURCE_DATE_EPOCH', '')}|day={dt.datetime.now(dt.timezone.utc).date()}".encode())
    _files(hasher, site_root / "site.yaml")
    for folder in [site_root / "content", *layouts]:
        _files(hasher, folder)
    return hasher.hexdigest()


def output_signature(output: Path) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    _files(hasher, output)
    return hasher.hexdigest()


def _files(hasher: "hashlib._Hash", root: Path) -> None:
    """Every file below `root` with its size, times and inode, in a fixed order. A site's
    output holds tens of thousands of files, so this walks with scandir, whose entries
    carry what is needed, and hashes one string per folder."""
    if root.is_file():
        hasher.update(_line(root.name, root.stat()).encode() + b"\n")
        return
    folders = [str(root)]
    while folders:
        folder = folders.pop()
        lines = [folder]
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            hasher.update(b"unreadable:" + folder.encode())
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                lines.append(f"{entry.name}\0gone")
                continue
            lines.append(_line(entry.name, stat))
        hasher.update("\n".join(lines).encode() + b"\n")


def _line(name: str, stat: os.stat_result) -> str:
    return f"{name}\0{stat.st_size}\0{stat.st_ctime_ns}\0{stat.st_mtime_ns}\0{stat.st_ino}"

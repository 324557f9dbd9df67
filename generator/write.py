"""The write stage: the new site replaces the old one whole, or not at all.

Everything is written into a staging folder beside the output; files whose
bytes have not changed are hard-linked from the previous build, so they keep
their modification times. The staging folder then takes the output's place.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class Staged:
    """A complete new site in a folder beside the output, not yet published."""

    path: Path
    output: Path
    written: int
    unchanged: int


def stage_site(output: Path, contents: Mapping[str, bytes], copies: Mapping[str, Path],
               kept: Iterable[str] = ()) -> Staged:
    """Write exactly these files into a staging folder: `contents` (relative path -> bytes),
    `copies` (relative path -> file to copy) and `kept` (published files known to be unchanged)."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _recover(output)
    staging = output.with_name(f".{output.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    written = unchanged = 0
    try:
        for rel in sorted(kept):
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(output / rel, staging / rel)
            unchanged += 1
        for rel, data in sorted(contents.items()):
            if _reuse(output / rel, staging / rel, data):
                unchanged += 1
            else:
                _put(staging / rel, data)
                written += 1
        for rel, source in sorted(copies.items()):
            data = source.read_bytes()
            if _reuse(output / rel, staging / rel, data):
                unchanged += 1
            else:
                _put(staging / rel, data)
                written += 1
    except BaseException:
        discard(staging)
        raise
    return Staged(staging, output, written, unchanged)


def publish(staged: Staged) -> None:
    """Put the staged site in the output's place."""
    try:
        _swap(staged.path, staged.output)
    finally:
        discard(staged.path)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def write_site(output: Path, contents: Mapping[str, bytes], copies: Mapping[str, Path]) -> Staged:
    """Stage and publish in one go, for callers with nothing to add to the staged site."""
    staged = stage_site(output, contents, copies)
    publish(staged)
    return staged


def _reuse(old: Path, new: Path, data: bytes) -> bool:
    try:
        if old.is_file() and not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data:
            new.parent.mkdir(parents=True, exist_ok=True)
            os.link(old, new)
            return True
    except OSError:
        pass
    return False


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _swap(staging: Path, output: Path) -> None:
    """Put `staging` where `output` is, atomically where the system allows it."""
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        return  # the previous site is now at `staging`, and is removed by the caller
    previous = output.with_name(f".{output.name}.previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(output, previous)
    os.rename(staging, output)
    shutil.rmtree(previous, ignore_errors=True)


def _recover(output: Path) -> None:
    """Tidy up after builds that were killed: restore a site set aside between the two
    renames of `_swap`, and remove staging folders whose build is no longer running."""
    previous = output.with_name(f".{output.name}.previous")
    if previous.is_dir() and not output.exists():
        os.rename(previous, output)
    for staging in output.parent.glob(f".{output.name}.staging-*"):
        pid = staging.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process's own leftover, from a build it abandoned
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): swap two paths in one step."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0

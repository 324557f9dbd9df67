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
from pathlib import Path
from typing import Mapping

_RENAME_EXCHANGE = 2


class Staging:
    """A new site being written in a folder beside the output, then published in one step.

    Files are written as they are rendered (by worker processes too), so a large site is
    never held in memory whole.
    """

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _recover(self.output)
        self.path = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}")
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()

    def put(self, rel: str, data: bytes) -> bool:
        """Stage a file; True if its bytes are new, False if the published one was reused."""
        if _reuse(self.output / rel, self.path / rel, data):
            return False
        _put(self.path / rel, data)
        return True

    def keep(self, rel: str) -> None:
        """Stage the published file as it is (known to be unchanged)."""
        (self.path / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(self.output / rel, self.path / rel)

    def copy(self, rel: str, source: Path) -> bool:
        return self.put(rel, source.read_bytes())

    def publish(self) -> None:
        """Put the staged site in the output's place."""
        try:
            _swap(self.path, self.output)
        finally:
            self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def write_site(output: Path, contents: Mapping[str, bytes], copies: Mapping[str, Path]) -> tuple[int, int]:
    """Stage and publish exactly these files in one go: (files written, files unchanged)."""
    staging = Staging(output)
    try:
        written = [staging.put(rel, data) for rel, data in sorted(contents.items())]
        written += [staging.copy(rel, source) for rel, source in sorted(copies.items())]
        staging.publish()
    finally:
        staging.discard()
    return sum(written), len(written) - sum(written)


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
        pass  # running, as another user
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

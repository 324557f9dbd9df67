"""The write stage: the files of the new site that changed are put in place, and those no longer
in it removed, once the whole build has succeeded.

Files are written as they are made into a staging folder beside the output (worker processes
write their own), so nothing of a build that fails, or finds a broken link, reaches the output.
A file whose bytes did not change is not written at all, so it keeps its time and the many
files of a large site cost nothing to keep. Publishing moves each staged file into place with a
rename, which readers see whole, and removes the files of outputs that are gone. What it is
about to do is first written to a journal beside the output, so a build killed half way through
publishing is finished by the next build, which completes the journal before anything
else: the output is the old site or the new one, never a mixture once that has run. The journal
is sealed like the build cache, since the folder beside the output may be the site folder, which
a pull request can write: a journal this machine did not write is never followed.

The output is Minutes' own: a file in it that the build did not make (left by hand, or committed
to the repository) is removed when the site is published, so nothing but the site is published.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.incremental.sealing import Sealer

_JOURNAL = "journal"


class Staging:
    """The changed files of a new site, staged beside the output until they are published."""

    def __init__(self, output: Path, sealer: Sealer) -> None:
        self.output = Path(os.path.abspath(output))
        self.sealer = sealer
        self.output.parent.mkdir(parents=True, exist_ok=True)
        finish_publishing(self.output, sealer)
        self.path = self.output.with_name(f".{self.output.name}.staging-{os.getpid()}")
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir()
        self.folders: set[str] = set()  # folders staged whole, which replace the published ones
        self.made: set[str] = set()  # folders this process has made in the staging folder

    def put(self, rel: str, data: bytes) -> int:
        """Stage a file; returns its modification time in seconds, which it keeps when published.
        (Made with os calls: a cold build stages tens of thousands of files, and pathlib's own
        work was a tenth of the time it took to render them.)"""
        path = os.path.join(self.path, rel)
        folder = os.path.dirname(path)
        if folder not in self.made:
            os.makedirs(folder, exist_ok=True)
            self.made.add(folder)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            with memoryview(data) as view:
                written = 0
                while written < len(view):
                    written += os.write(descriptor, view[written:])
            return os.fstat(descriptor).st_mtime_ns // 10**9
        finally:
            os.close(descriptor)

    def copy(self, rel: str, source: Path) -> int:
        """Stage a copy of a file, such as an attachment; returns its modification time in
        seconds. (A hard link would be quicker, but it changes the source's change time, which
        would make the next build think it changed.)"""
        path = self.path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        return path.stat().st_mtime_ns // 10**9

    def stage_folder(self, rel: str) -> Path:
        """A folder to fill whole (a part of the search index): it replaces the published one."""
        path = self.path / rel
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        self.folders.add(rel)
        return path

    def publish(self, belongs: Callable[[str], bool] | None) -> None:
        """Put every staged file (and folder) in place, and remove every published file that
        does not `belong` to the new site (given its path in the output); with no `belongs`,
        remove none, and spare looking at every published file."""
        moves = sorted(_staged(self.path, "", self.folders))
        if not self.output.exists():
            os.rename(self.path, self.output)
            return
        removed = [rel for rel in _published_files(self.output) if not belongs(rel)] if belongs else []
        journal = self.output.with_name(f".{self.output.name}.{_JOURNAL}")
        temporary = journal.with_name(journal.name + ".new")
        text = json.dumps({"staging": self.path.name, "moves": moves, "removed": removed})
        temporary.write_text(text + "\n" + self.sealer.seal("journal", text).hex())
        _sync(temporary)
        os.replace(temporary, journal)
        _complete(self.output, journal, self.sealer)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def finish_publishing(output: Path, sealer: Sealer) -> None:
    """Complete what a killed build had started to publish, and remove staging folders whose
    build is no longer running."""
    journal = output.with_name(f".{output.name}.{_JOURNAL}")
    if journal.is_symlink():
        journal.unlink()
    elif journal.is_file():
        _complete(output, journal, sealer)
    for staging in output.parent.glob(f".{output.name}.staging-*"):
        pid = staging.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _running(int(pid)) and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)


def _complete(output: Path, journal: Path, sealer: Sealer) -> None:
    """Carry out a journal: each move is done once (a file already moved is not in the staging
    folder any more), and removing a file that is gone is nothing to do."""
    try:
        text, seal = journal.read_text().rsplit("\n", 1)
        if not sealer.verified(bytes.fromhex(seal), "journal", text):
            raise ValueError("not sealed by this machine")
        plan = json.loads(text)
        if not re.fullmatch(re.escape(f".{output.name}.staging-") + r"[0-9]+", str(plan["staging"])):
            raise ValueError("not a staging folder")
        staging = output.with_name(str(plan["staging"]))
        moves, removed = list(plan["moves"]), list(plan["removed"])
    except (OSError, ValueError, KeyError, TypeError):
        journal.unlink(missing_ok=True)  # not a journal Minutes wrote here: nothing of it is followed
        return
    for rel in moves:
        source, target = staging / rel, output / rel
        if not _inside(output, target) or not (source.exists() or source.is_symlink()):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir() and not source.is_symlink():
            if target.exists():
                shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
        os.replace(source, target)
    folders = set()
    for rel in removed:
        target = output / rel
        if not _inside(output, target):
            continue
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.is_file() or target.is_symlink():
            target.unlink()
        folders.add(target.parent)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != output and _inside(output, folder):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
    journal.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _published_files(output: Path) -> list[str]:
    """Every file and symbolic link in the output, as paths relative to it."""
    found, folders, root = [], [""], str(output)
    while folders:
        rel = folders.pop()
        with os.scandir(os.path.join(root, rel)) as entries:
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(name)
                else:
                    found.append(name)
    return sorted(found)


def _staged(folder: Path, rel: str, whole: set[str]) -> list[str]:
    """The staged files, and the folders staged whole, relative to the staging folder."""
    found = []
    for entry in sorted(folder.iterdir()):
        name = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_dir() and not entry.is_symlink() and name not in whole:
            found += _staged(entry, name, whole)
        else:
            found.append(name)
    return found


def _inside(output: Path, path: Path) -> bool:
    """A path below the output, reached without following a symbolic link out of it."""
    try:
        relative = path.relative_to(output)
    except ValueError:
        return False
    here = output
    for part in relative.parts[:-1]:
        here = here / part
        if here.is_symlink():
            return False
    return ".." not in relative.parts


def _sync(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


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

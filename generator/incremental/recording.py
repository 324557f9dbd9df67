"""What each output reads from the linked model, recorded while it renders.

Templates and data makers are given the linked site wrapped in a `Recorder`. Every
attribute, lookup and method call they make on it is logged with a digest of what it
returned. A later build replays the same reads against the new model: if every read
gives the same digest, the output would come out byte for byte the same, because
rendering is a pure function of what it read. Reads name model objects by identity
(a meeting by its key, a board by its slug), so they can be replayed on a new model.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import inspect
from collections.abc import Mapping
from typing import Any, Callable, Iterator

from generator.model.link import LinkedSite
from generator.model.records import Board, Markdown, Meeting, Person, Report, Site

Step = tuple[Any, ...]
Path = tuple[Step, ...]
MISSING = "<missing>"


class Reads:
    """The reads one output made: path from the site root -> digest of what it returned."""

    def __init__(self, fingerprint: Fingerprint) -> None:
        self.fingerprint = fingerprint
        self.paths: dict[Path, str] = {}

    def note(self, path: Path, value: Any) -> None:
        if path not in self.paths:
            self.paths[path] = self.fingerprint.digest(value)


class Recorder:
    """Stands in for the LinkedSite (or an object inside it) and logs each read."""

    __slots__ = ("_target", "_path", "_reads")

    def __init__(self, target: Any, path: Path, reads: Reads) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        path = self._path + (("attr", name),)
        if inspect.ismethod(value):
            return _RecordedMethod(value, path, self._reads)
        return _wrap(value, path, self._reads)


class _RecordedMethod:
    __slots__ = ("_method", "_path", "_reads")

    def __init__(self, method: Callable[..., Any], path: Path, reads: Reads) -> None:
        self._method = method
        self._path = path
        self._reads = reads

    def __call__(self, *args: Any) -> Any:
        result = self._method(*args)
        self._reads.note(self._path + (("call", tuple(identity(a) for a in args)),), result)
        return result


class RecordingMapping(Mapping):  # type: ignore[type-arg]
    """A mapping of the model whose lookups are logged key by key; walking it all is one read."""

    def __init__(self, target: Mapping[Any, Any], path: Path, reads: Reads) -> None:
        self._target = target
        self._path = path
        self._reads = reads

    def __getitem__(self, key: Any) -> Any:
        value = self._target[key]
        self._reads.note(self._path + (("item", identity(key)),), value)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._target.get(key, MISSING)
        self._reads.note(self._path + (("get", identity(key)),), value)
        return default if value is MISSING else value

    def __contains__(self, key: object) -> bool:
        found = key in self._target
        self._reads.note(self._path + (("in", identity(key)),), found)
        return found

    def __iter__(self) -> Iterator[Any]:
        self._reads.note(self._path + (("all",),), self._target)
        return iter(self._target)

    def __len__(self) -> int:
        self._reads.note(self._path + (("all",),), self._target)
        return len(self._target)


def _wrap(value: Any, path: Path, reads: Reads) -> Any:
    if isinstance(value, (LinkedSite, Site)):
        return Recorder(value, path, reads)
    if isinstance(value, Mapping):
        return RecordingMapping(value, path, reads)
    reads.note(path, value)
    return value


def identity(value: Any) -> Any:
    """A model object as something that names it in any build: its kind and key."""
    if isinstance(value, Meeting):
        return ("meeting", value.key)
    if isinstance(value, Board):
        return ("board", value.slug)
    if isinstance(value, Person):
        return ("person", value.slug)
    if isinstance(value, Report):
        return ("report", value.meeting_key, value.slug)
    if isinstance(value, tuple):
        return ("tuple",) + tuple(identity(v) for v in value)
    if isinstance(value, (str, int, float, bool, type(None), dt.date)):
        return value
    raise TypeError(f"cannot name a {type(value).__name__} across builds")


class Unresolvable(Exception):
    """A read named something that no longer exists."""


def replay(linked: LinkedSite, path: Path) -> Any:
    """Make a recorded read again, against (perhaps) another build's model."""
    value: Any = linked
    for step in path:
        kind = step[0]
        if kind == "attr":
            value = getattr(value, step[1])
        elif kind == "item":
            try:
                value = value[resolve(linked, step[1])]
            except KeyError:
                raise Unresolvable(step) from None
        elif kind == "get":
            value = value.get(resolve(linked, step[1]), MISSING)
        elif kind == "in":
            value = resolve(linked, step[1]) in value
        elif kind == "all":
            pass
        elif kind == "call":
            value = value(*(resolve(linked, a) for a in step[1]))
    return value


def resolve(linked: LinkedSite, named: Any) -> Any:
    if isinstance(named, tuple) and named:
        kind = named[0]
        site = linked.site
        if kind == "tuple":
            return tuple(resolve(linked, v) for v in named[1:])
        try:
            if kind == "meeting":
                return linked.meeting_by_key[named[1]]
            if kind == "board":
                return site.boards[named[1]]
            if kind == "person":
                return site.people[named[1]]
            if kind == "report":
                return next(r for r in linked.reports.get(named[1], ()) if r.slug == named[2])
        except (KeyError, StopIteration):
            raise Unresolvable(named) from None
    return named


class Fingerprint:
    """Digests of model values. A meeting, person, board or report is a pure function of its
    source files, and a piece of Markdown of its file and line, so their digests come from
    the files' digests: no need to walk their text again."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.sources = sources  # an entity's source path -> digest of its files
        self._memo: dict[int, tuple[Any, str]] = {}

    def digest(self, value: Any) -> str:
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value)
        return hasher.hexdigest()

    def _feed(self, hasher: Any, value: Any) -> None:
        if isinstance(value, (Meeting, Person, Board, Report)) and value.path in self.sources:
            hasher.update(b"E" + type(value).__name__.encode() + self.sources[value.path].encode())
        elif isinstance(value, Markdown) and value.path in self.sources:
            # The same file at the same line holds the same text: no need to read it again.
            hasher.update(b"T" + self.sources[value.path].encode() + str(value.line).encode())
        elif isinstance(value, (str, int, float, bool, type(None), dt.date, dt.time)):
            hasher.update(repr(value).encode() + b"\x00")
        elif isinstance(value, (tuple, list)):
            hasher.update(b"(")
            for item in value:
                self._feed(hasher, item)
            hasher.update(b")")
        elif isinstance(value, Mapping):
            hasher.update(b"{")
            for key, item in value.items():
                self._feed(hasher, key)
                self._feed(hasher, item)
            hasher.update(b"}")
        elif dataclasses.is_dataclass(value):
            hasher.update(self._dataclass(value).encode())
        else:
            raise TypeError(f"cannot fingerprint a {type(value).__name__}")

    def _dataclass(self, value: Any) -> str:
        """Model dataclasses are immutable and shared, so each is digested once per build."""
        key = id(value)
        if key not in self._memo:
            hasher = hashlib.blake2b(digest_size=16)
            hasher.update(type(value).__name__.encode())
            for field in dataclasses.fields(value):
                self._feed(hasher, getattr(value, field.name))
            self._memo[key] = (value, hasher.hexdigest())  # the value is kept so its id stays its own
        return self._memo[key][1]

"""The values an output declares it is made from (its inputs), and their digest.

An output is rendered again only when the digest of its inputs changes, so its inputs must be
everything its template or maker reads: templates are given their inputs and nothing else.
Digesting them must be quick, since every build digests every output's inputs: records and
summaries are digested by the digests they carry (the build cache knows them), and a mapping of
summaries that many pages share (`Indexed`) by one digest made once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any, Iterable, NamedTuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Full(NamedTuple):
    """A record in full, read from the record store when the output is rendered. Its digest is
    the record's: the digest of the files it is made from."""

    kind: str  # "person", "board", "meeting" or "report"
    key: str  # a slug; a meeting's "<board>/<name>"; a report's "<board>/<name>/<slug>"
    digest: str


class Indexed(dict[K, V]):
    """A read-only mapping of summaries with one digest of them all, made once and shared by the
    pages that look names up in it (every board's name, every person's)."""

    def __init__(self, items: Iterable[tuple[K, V]]) -> None:
        super().__init__(items)
        hasher = hashlib.blake2b(digest_size=16)
        for key, value in self.items():
            hasher.update(f"{key}\0{getattr(value, 'digest', value)}\0".encode())
        self.digest = hasher.hexdigest()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self.digest)


def digest_inputs(inputs: Mapping[str, Any]) -> str:
    """The digest of an output's inputs."""
    parts: list[str] = []
    for name in sorted(inputs):
        parts.append(name + "=")
        _feed(parts, inputs[name])
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})  # written as reprs


def _feed(parts: list[str], value: Any) -> None:
    kind = type(value)
    if kind in _PLAIN:
        parts.append(repr(value))
        return
    digest = getattr(value, "digest", None)
    if isinstance(digest, str):  # a summary, a record in full, an Indexed mapping
        parts.append("#" + digest)
    elif isinstance(value, (str, int, float, dt.date)):  # their subclasses
        parts.append(repr(value))
    elif isinstance(value, (tuple, list)):
        parts.append("(")
        for item in value:
            _feed(parts, item)
        parts.append(")")
    elif isinstance(value, (set, frozenset)):
        parts.append("{")
        for item in sorted(value):
            _feed(parts, item)
        parts.append("}")
    elif isinstance(value, Mapping):
        parts.append("[")
        for key, item in value.items():
            _feed(parts, key)
            _feed(parts, item)
        parts.append("]")
    elif dataclasses.is_dataclass(value):
        parts.append(kind.__name__ + "(")
        for field in dataclasses.fields(value):
            _feed(parts, getattr(value, field.name))
        parts.append(")")
    else:
        raise TypeError(f"an output cannot declare a {kind.__name__} as an input")

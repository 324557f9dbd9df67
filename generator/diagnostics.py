"""Problems found in a site, reported together as values rather than raised."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]
# What a terminal, a log viewer or a browser would act on rather than show: control characters
# (line feeds, carriage returns, escape sequences), line and paragraph separators, and the
# bidirectional controls that reorder the text after them.
_ACTED_ON = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, order=True)
class Position:
    line: int
    column: int = 1


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located at a file, line and column (both 1-based)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self) -> str:
        text = f"{shown(self.path)}:{self.line}:{self.column}: {self.severity}: {shown(self.message)}"
        if self.hint:
            text += f"\n  hint: {shown(self.hint)}"
        return text


@dataclass
class Diagnostics:
    """Collects problems while a stage keeps going, so one run reports them all."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, where: Position, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, where.line, where.column, message, hint, "error"))

    def warning(self, path: str, where: Position, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, where.line, where.column, message, hint, "warning"))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def has_errors(self) -> bool:
        return self.error_count() > 0

    def error_count(self) -> int:
        return sum(d.severity == "error" for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


def shown(text: str) -> str:
    """Text for a message, with every character that would be acted on written out (\\n,
    \\x1b, \\u202e): messages quote file names, keys and values from the content, which must
    never start a line of their own, send a terminal an escape sequence or reverse what follows."""
    return _ACTED_ON.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or nothing when none is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        close = difflib.get_close_matches(word.lower(), sorted(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f"did you mean '{close[0]}'?" if close else ""

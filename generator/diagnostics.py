"""Problems found in a site, reported together as values rather than raised."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


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
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
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


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known word, or nothing when none is close."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in options}
        close = difflib.get_close_matches(word.lower(), sorted(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f"did you mean '{close[0]}'?" if close else ""

"""What a build tells its caller: its problems, its timed steps and what it did."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from generator.diagnostics import Diagnostics


@dataclass
class Timings:
    """How long each step of a build took, and the build in all: the steps account for the whole
    of it, and whatever they do not is said as "other"."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    total: float | None = None

    def finish(self) -> None:
        if self.total is None:
            self.total = time.perf_counter() - self.started

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - started))

    def summary(self) -> str:
        total = self.total if self.total is not None else time.perf_counter() - self.started
        steps = list(self.steps)
        other = total - sum(seconds for _, seconds in steps)
        if other >= 0.0005:
            steps.append(("other", other))
        parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in steps)
        return f"{total:.2f} s ({parts})"


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    timings: Timings
    pages: int = 0  # outputs planned (pages and generated files)
    rendered: int = 0  # outputs rendered this time; the rest were reused unchanged
    written: int = 0  # files written; the rest were kept as they were
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # the addresses of the outputs whose files changed

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors

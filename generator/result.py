"""What a build tells its caller: its problems, its timed steps and what it did."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from generator.diagnostics import Diagnostics


@dataclass
class Timings:
    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - started))

    def summary(self) -> str:
        total = sum(seconds for _, seconds in self.steps)
        parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in self.steps)
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

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors

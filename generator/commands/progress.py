"""How a long build shows its progress: a counter that updates in place on a terminal,
and a few plain lines under CI or when the output is not a terminal."""

from __future__ import annotations

import os
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO, what: str = "pages and files", verbs: tuple[str, str] = ("Rendering", "Rendered"),
                 quiet_below: int = 50) -> None:
        self.stream = stream
        self.what = what
        self.verbs = verbs
        self.quiet_below = quiet_below
        self.live = stream.isatty() and os.environ.get("CI", "") != "true"
        self.total = 0
        self.shown = -1
        self.drawn = False

    def update(self, done: int, total: int) -> None:
        """Called as work finishes; quiet for jobs that do little."""
        self.total = total
        if total < self.quiet_below or total == 0:
            return
        if self.live:
            percent = 100 * done // total
            if percent != self.shown:
                self.shown = percent
                self.stream.write(f"\r{self.verbs[0]} {done} of {total} {self.what} ({percent}%)")
                self.stream.flush()
                self.drawn = True
        elif done == 0 or done == total or done * 4 // total != (done - 1) * 4 // total:
            self.stream.write(f"{self.verbs[1]} {done} of {total} {self.what}\n")
            self.stream.flush()

    def done(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()

"""Which lines of Markdown are inside fenced code blocks, decided as Python-Markdown decides.

A fence is a line of three or more backticks or tildes (with an optional language) at the
start of a line, and it counts only once a line with the same fence closes it. An unclosed
fence is ordinary text: Python-Markdown renders what follows it, so the agenda parser must
see the headings after it too, or an exempt item could hide behind a stray line of backticks.
"""

from __future__ import annotations

import bisect
import re

_OPENING = re.compile(r"^(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=([\"']).*?\2[ ]*)?)$")


def fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside closed code fences, the fence lines included."""
    closers: dict[str, list[int]] = {}  # each fence, and the lines that could close it, in order
    for index, line in enumerate(lines):
        if line[:3] in ("```", "~~~"):
            closers.setdefault(line.rstrip(" "), []).append(index)
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index]) if lines[index][:3] in ("```", "~~~") else None
        if opening:
            candidates = closers.get(opening.group("fence"), [])
            after = bisect.bisect_right(candidates, index)  # found once for each line, not looked for line by line
            if after < len(candidates):
                closing = candidates[after]
                inside.update(range(index, closing + 1))
                index = closing + 1
                continue
        index += 1
    return inside

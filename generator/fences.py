"""Which lines of Markdown are inside fenced code blocks, decided as Python-Markdown decides.

A fence is a line of three or more backticks or tildes (with an optional language) at the
start of a line, and it counts only once a line with the same fence closes it. An unclosed
fence is ordinary text: Python-Markdown renders what follows it, so the agenda parser must
see the headings after it too, or an exempt item could hide behind a stray line of backticks.
"""

from __future__ import annotations

import re

_OPENING = re.compile(r"^(?P<fence>~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=([\"']).*?\2[ ]*)?)$")


def fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside closed code fences, the fence lines included."""
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening:
            fence = opening.group("fence")
            closing = next((i for i in range(index + 1, len(lines)) if lines[i].rstrip(" ") == fence), None)
            if closing is not None:
                inside.update(range(index, closing + 1))
                index = closing + 1
                continue
        index += 1
    return inside

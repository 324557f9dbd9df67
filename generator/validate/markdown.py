"""What clerks write in Markdown: nothing that would take too long to render or is nested
beyond reason, and no links that would lead to different places from different pages.

A meeting's text appears on its meeting page and on its decisions' pages, which sit at
different depths, so a relative link could only be right on one of them: records link to
each other with [[cross-references]], and to the web with full addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from generator.diagnostics import Diagnostics, Position
from generator.fences import fenced_lines
from generator.model import Markdown

MAX_UNMATCHED_BRACKETS = 1_000  # Python-Markdown's link parser slows with the square of these
MAX_BRACKET_COST = 2_000_000  # the sum of their squares over a piece of text: about a second's work
MAX_NESTING = 40
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# A relative path such as "site-plan.pdf" or "../2010-12-16/": not a full address (which has a
# scheme), a path on this site ("/..."), a place on the page ("#..."), nor anything stranger,
# which the sanitiser deals with.
_RELATIVE = re.compile(r"^(?![/#])[A-Za-z0-9._~%/-]+(?:#[\w-]*)?$")
_NESTING = re.compile(r"^((?:[ \t]*(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$))+)")


def check_markdown(pieces: Iterable[Markdown], diagnostics: Diagnostics) -> list[Markdown]:
    """Report each piece's problems; the pieces without any, which are safe to convert."""
    clean = []
    for piece in pieces:
        problems = markdown_problems(piece.text)
        for offset, column, message, hint in problems:
            diagnostics.error(piece.path, Position(piece.line + offset, column), message, hint)
        if not problems:
            clean.append(piece)
    return clean


def markdown_problems(text: str) -> list[tuple[int, int, str, str]]:
    """(line offset, column, message, hint) for each problem in a piece of Markdown."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    problems = []
    problems += _bracket_problems(lines, fenced)
    for offset, line in enumerate(lines):
        if offset in fenced:
            continue
        depth = _depth(line)
        if depth > MAX_NESTING:
            problems.append((offset, 1, f"lists or quotations are nested {depth} deep here",
                             f"no more than {MAX_NESTING} levels can be published; check the markers at the start of the line"))
    for offset, column, target in _written_links(text):
        if _RELATIVE.match(target):
            problems.append((offset, column, f"the link to '{target}' is relative, so it would lead to different "
                                             "places from the meeting's page and its decisions' pages",
                             "link to records with [[...]], to files with the meeting's documents, "
                             "and to other websites with a full address starting https://"))
    return problems


def site_links(pieces: Iterable[Markdown]) -> Iterator[tuple[Markdown, int, int, str]]:
    """Every link written as a path on this site ("/boards/..."): (piece, line offset, column, path)."""
    for piece in pieces:
        for offset, column, target in _written_links(piece.text):
            if target.startswith("/") and not target.startswith("//"):
                yield piece, offset, column, target


@lru_cache(maxsize=None)
def _written_links(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every link written in a piece of Markdown outside code blocks: (line offset, column,
    target). Validation reads them, and the plan again once it knows the site's pages."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    return tuple((offset, match.start(1) + 1, match.group(1))
                 for offset, line in enumerate(lines) if offset not in fenced
                 for pattern in (_INLINE_LINK, _HTML_LINK) for match in pattern.finditer(line))


def _depth(line: str) -> int:
    match = _NESTING.match(line)
    if not match:
        return 0
    markers = len(re.findall(r"(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$)", match.group(1)))
    indent = len(line) - len(line.lstrip(" \t"))
    return markers + indent // 4


def _bracket_problems(lines: list[str], fenced: set[int]) -> list[tuple[int, int, str, str]]:
    """Unmatched '[' make Python-Markdown's link parser slow with their square, paragraph by paragraph."""
    problems = []
    cost = 0
    worst: tuple[int, int] = (0, 0)
    paragraph_start, opened = 0, 0
    for offset, line in enumerate(lines + [""]):
        if offset in fenced or not line.strip():
            if opened:
                cost += opened * opened
                worst = max(worst, (opened, paragraph_start))
            paragraph_start, opened = offset + 1, 0
            continue
        opened = max(0, opened + line.count("[") - line.count("]"))
    unmatched, where = worst
    if unmatched > MAX_UNMATCHED_BRACKETS or cost > MAX_BRACKET_COST:
        problems.append((where, 1, f"this paragraph has {unmatched} '[' without a matching ']'",
                         "square brackets start links in Markdown: write \\[ for a bracket that is just a bracket"))
    return problems

"""What clerks write in Markdown: nothing that would take too long to render or is nested
beyond reason, and no links that would lead to different places from different pages.

A meeting's text appears on its meeting page and on its decisions' pages, which sit at
different depths, so a relative link could only be right on one of them: records link to
each other with [[cross-references]], and to the web with full addresses.

Python-Markdown takes time that grows with the square of the text on some input: each
formatting mark in a paragraph copies the paragraph again; each heading or rule with no blank
line before it parses the rest of the paragraph again; each '[' without its ']', each link
address and each '<' of a tag never closed reads on to the end of its paragraph or text; each
code fence never closed reads on to the end of the text. A file's Markdown is refused when an
estimate of that work, made from those counts and lengths, passes about a second's worth; real
records need a thousandth of it. Lines and paragraphs also have lengths no real record comes near.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from generator.diagnostics import Diagnostics, Position
from generator.source.fences import fenced_lines
from generator.model.records import Markdown

MAX_LINE = 10_000  # characters; the longest lines of real records are under 3,000
MAX_PARAGRAPH = 50_000  # characters between blank lines, a table's included; real ones are under 10,000
MAX_UNMATCHED_BRACKETS = 1_000
MAX_NESTING = 40
# Python-Markdown's work on one file, estimated in units of which this many take about a second.
MAX_WORK = 1_000_000_000
# What each unit of a kind of work costs, relative to copying a character.
_SPLIT_COST = 32  # a heading or rule with no blank line before it: the rest of the paragraph parsed again
_BRACKET_COST = 200  # each character that a '[' reads on while looking for its ']'
_ADDRESS_COST = 100  # each character that a link's address may read on while looking for its ')'
_TAG_COST = 40  # each character that a '<' reads on while looking for the '>' that ends its tag
_FENCE_COST = 40  # each character that a code fence reads on while looking for its closing fence

# Characters that start Markdown's inline formatting, besides '[' and line breaks.
_NO_MARKS = str.maketrans("", "", "`*_!<&\\")
# A line that is a heading, a rule or a heading's underline.
_SPLITS = re.compile(r"^[ \t>]*(?:#|[=-]+[ \t]*$|(?:[-*_][ \t]*){3,}$)", re.MULTILINE)
_TAG_OPEN = re.compile(r"<[A-Za-z/!?]|>")
_BRACKET = re.compile(r"[\[\]]")
_FENCE = re.compile(r"^(?:~{3,}|`{3,})")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# A relative path such as "site-plan.pdf" or "../2010-12-16/": not a full address (which has a
# scheme), a path on this site ("/..."), a place on the page ("#..."), nor anything stranger,
# which the sanitiser deals with.
_RELATIVE = re.compile(r"^(?![/#])[A-Za-z0-9._~%/-]+(?:#[\w-]*)?$")
# A quotation's '>' needs no space after it (">>>" is three levels deep); a list's marker does.
_NESTING = re.compile(r"^((?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)))+)")
_MARKER = re.compile(r">|(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


@dataclass(frozen=True)
class Work:
    """Part of the estimated work of converting a file's Markdown, and where it comes from."""

    amount: int
    offset: int  # the line, counted from the start of the piece of Markdown
    column: int
    kind: str  # a key of _CAUSES
    counts: tuple[int, ...] = ()  # for its message

    def problem(self) -> tuple[str, str]:
        message, hint = _CAUSES[self.kind]
        return message.format(*self.counts) + ": too many for Markdown to convert this file in good time", hint


_BRACKET_HINT = "square brackets start links in Markdown: write \\[ for a bracket that is just a bracket"
_CAUSES = {
    "paragraphs": ("this text has {:,} paragraphs", "split it into reports of their own"),
    "formatting": ("this paragraph of {1:,} characters has {0:,} that Markdown reads as formatting (* _ ` ! < & \\ "
                   "and line breaks)", "split it into shorter paragraphs with blank lines, and write \\* \\_ \\` "
                                     "for characters that are just characters"),
    "splits": ("this paragraph has {:,} headings or rules with no blank line between them",
               "put a blank line before and after each heading and rule"),
    "brackets": ("this paragraph has '[' whose ']' is far away or missing", _BRACKET_HINT),
    "addresses": ("this paragraph of {1:,} characters has {0:,} links written [text](address)",
                  "split it into shorter paragraphs with blank lines"),
    "tags": ("from here on, '<' start HTML tags whose '>' is far away or missing",
             "write &lt; for a '<' that does not start a tag"),
    "fences": ("this text has {:,} code fences that are never closed and {:,} that are",
               "close each code fence with a line of the same backticks or tildes, or remove it"),
}


def check_markdown(pieces: Iterable[Markdown], diagnostics: Diagnostics) -> list[Markdown]:
    """Report each piece's problems, and each file's whose Markdown would take too long to
    convert; the pieces without any, which are safe to convert."""
    work: dict[str, list[tuple[Markdown, Work]]] = {}
    clean = []
    for piece in pieces:
        problems = markdown_problems(piece.text)
        for offset, column, message, hint in problems:
            diagnostics.error(piece.path, Position(piece.line + offset, column), message, hint)
        work.setdefault(piece.path, []).extend((piece, part) for part in markdown_work(piece.text))
        if not problems:
            clean.append(piece)
    for path, parts in sorted(work.items()):
        if sum(part.amount for _, part in parts) > MAX_WORK:
            piece, worst = max(parts, key=lambda found: found[1].amount)
            diagnostics.error(path, Position(piece.line + worst.offset, worst.column), *worst.problem())
            clean = [piece for piece in clean if piece.path != path]
    return clean


def markdown_problems(text: str) -> list[tuple[int, int, str, str]]:
    """(line offset, column, message, hint) for each problem in a piece of Markdown."""
    lines, fenced, paragraphs = _structure(text)
    problems = []
    for offset, line in enumerate(lines):
        if len(line) > MAX_LINE:
            problems.append((offset, 1, f"this line is {len(line):,} characters long, over the limit of {MAX_LINE:,}",
                             "break it into paragraphs with blank lines, or attach long text as a PDF document"))
    for paragraph in paragraphs:
        if len(paragraph.text) > MAX_PARAGRAPH:
            problems.append((paragraph.offset, 1, f"this paragraph is {len(paragraph.text):,} characters long, "
                                                  f"over the limit of {MAX_PARAGRAPH:,}",
                             "split it with blank lines; attach long tables as a spreadsheet or PDF document"))
        unmatched = paragraph.unmatched_brackets() if "[" in paragraph.text else 0
        if unmatched > MAX_UNMATCHED_BRACKETS:
            problems.append((paragraph.offset, 1, f"this paragraph has {unmatched} '[' without a matching ']'",
                             _BRACKET_HINT))
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


def markdown_work(text: str) -> list[Work]:
    """The parts of Python-Markdown's estimated work on a piece of Markdown that grow faster
    than its length, each with the place that causes it."""
    lines, fenced, paragraphs = _structure(text)
    work = [Work(len(paragraphs) ** 2, 0, 1, "paragraphs", (len(paragraphs),))]
    if work[0].amount > MAX_WORK:
        return work  # too much whatever the paragraphs hold
    for paragraph in paragraphs:
        length = len(paragraph.text)
        marks = length - len(paragraph.text.translate(_NO_MARKS)) + len(paragraph.lines)
        work.append(Work(length * marks, paragraph.offset, 1, "formatting", (marks, length)))
        if _SPLITS.search(paragraph.text):
            splits = len(_SPLITS.findall(paragraph.text))
            work.append(Work(_SPLIT_COST * length * splits, paragraph.offset, 1, "splits", (splits,)))
        if "[" in paragraph.text:
            work.append(Work(_BRACKET_COST * paragraph.bracket_reach(), paragraph.offset, 1, "brackets"))
        if "](" in paragraph.text:
            addresses = paragraph.text.count("](")
            work.append(Work(_ADDRESS_COST * length * addresses, paragraph.offset, 1, "addresses", (addresses, length)))
    return work + _tag_work(lines, fenced) + _fence_work(lines, fenced)


@dataclass(frozen=True)
class _Paragraph:
    offset: int  # of its first line
    lines: list[str]
    text: str

    def unmatched_brackets(self) -> int:
        opened = 0
        for line in self.lines:
            opened = max(0, opened + line.count("[") - line.count("]"))
        return opened

    def bracket_reach(self) -> int:
        """How far the '[' read, in all, to find their ']': to the end of the paragraph, for those without one."""
        reach, opened = 0, []
        for found in _BRACKET.finditer(self.text):
            if found.group() == "[":
                opened.append(found.start())
            elif opened:
                reach += found.start() - opened.pop()
        return reach + sum(len(self.text) - start for start in opened)


@lru_cache(maxsize=1)
def _structure(text: str) -> tuple[list[str], set[int], list[_Paragraph]]:
    """A piece's lines, the lines in code fences, and the paragraphs (the runs of lines between
    blank lines, outside code fences); kept for the last piece, which is read twice."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    paragraphs: list[_Paragraph] = []
    start = None
    for offset, line in enumerate(lines + [""]):
        if offset in fenced or not line or line.isspace():
            if start is not None:
                paragraphs.append(_Paragraph(start, lines[start:offset], "\n".join(lines[start:offset])))
            start = None
        elif start is None:
            start = offset
    return lines, fenced, paragraphs


def _tag_work(lines: list[str], fenced: set[int]) -> list[Work]:
    """A '<' that starts a tag reads on to the next '>', however far: Python-Markdown reads raw
    HTML over the whole text, not paragraph by paragraph."""
    text = "\n".join("" if offset in fenced else line for offset, line in enumerate(lines))
    reach, farthest, worst = 0, 0, 0
    waiting, waited_from = 0, 0  # the '<' since the last '>', and the sum of where they are
    first = 0  # where the first of them is
    for found in _TAG_OPEN.finditer(text + ">"):  # the text's end closes what is left
        if found.group() != ">":
            first = found.start() if not waiting else first
            waiting, waited_from = waiting + 1, waited_from + found.start()
        elif waiting:
            reach += waiting * found.start() - waited_from
            if found.start() - first > farthest:
                farthest, worst = found.start() - first, first
            waiting, waited_from = 0, 0
    column = worst - (text.rfind("\n", 0, worst) + 1) + 1
    return [Work(_TAG_COST * reach, text.count("\n", 0, worst), column, "tags")]


def _fence_work(lines: list[str], fenced: set[int]) -> list[Work]:
    """A code fence never closed reads on to the end of the text, once for each closed fence."""
    ends = [offset for offset in range(len(lines)) if offset in fenced and _FENCE.match(lines[offset])]
    unclosed = [offset for offset, line in enumerate(lines) if offset not in fenced and _FENCE.match(line)]
    if not ends and not unclosed:
        return []
    starts, length = [0], 0
    for line in lines:
        length += len(line) + 1
        starts.append(length)
    reach = sum(length - starts[offset] for offset in unclosed)
    closed = len(ends) // 2
    amount = _FENCE_COST * ((1 + closed) * reach + closed * length)
    where = unclosed[0] if unclosed else ends[0]
    return [Work(amount, where, 1, "fences", (len(unclosed), closed))]


def site_links(pieces: Iterable[Markdown]) -> Iterator[tuple[Markdown, int, int, str]]:
    """Every link written as a path on this site ("/boards/..."): (piece, line offset, column, path)."""
    for piece in pieces:
        for offset, column, target in _written_links(piece.text):
            if target.startswith("/") and not target.startswith("//"):
                yield piece, offset, column, target


@lru_cache(maxsize=4096)
def _written_links(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every link written in a piece of Markdown outside code blocks: (line offset, column,
    target). Validation reads them twice: to check them, and to find the links to this site."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    return tuple((offset, match.start(1) + 1, match.group(1))
                 for offset, line in enumerate(lines) if offset not in fenced
                 for pattern in (_INLINE_LINK, _HTML_LINK) for match in pattern.finditer(line))


def _depth(line: str) -> int:
    match = _NESTING.match(line)
    if not match:
        return 0
    markers = len(_MARKER.findall(match.group(1)))
    indent = len(line) - len(line.lstrip(" \t"))
    return markers + indent // 4

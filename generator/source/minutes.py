"""Splitting a meeting's body into agenda items, resolutions and decision sections.

Works on the Markdown source line by line, so every part keeps its line number. A line is a
heading here exactly when Python-Markdown, which renders the parts, would make it one (its own
pattern is used), or when another reader a clerk previews with would (up to three spaces before
the hashes): a heading this splitter missed would be published as item text, and an exempt item
with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.blockprocessors import HashHeaderProcessor

from generator.diagnostics import did_you_mean
from generator.source.fences import fenced_lines

FLAG_CLASSES = ("key-decision", "exempt")
FLAG_KEYS = ("paragraph",)
SECTIONS = {
    "reasons": re.compile(r"^reasons?(\s*\(s\))?\s+for\s+(the\s+)?decisions?$", re.IGNORECASE),
    "alternatives": re.compile(r"^alternative\s+options?\s+considered(\s+and\s+rejected)?$", re.IGNORECASE),
    "implementation": re.compile(r"^implementation\s+dates?$", re.IGNORECASE),
}
RESOLUTION = re.compile(r"^(\*\*|__)?(RESOLVED|RECOMMENDED|AGREED)(\*\*|__)?\s*[:\-–—]", re.IGNORECASE)
_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
_HEADING = re.compile(r"^[ ]{0,3}" + HashHeaderProcessor.RE.pattern.removeprefix("(?:^|\\n)"))
# What a clerk may have meant as an item's flags: a group in braces naming a flag or written as
# flags are ({.x}, {#x}), a flag's dotted name, or a paragraph setting. Flags are read only at the
# end of an item's heading; anywhere else they would be published as text, exempt or not.
_FLAG_LIKE = re.compile(r"\{[^{}\n]*\b(?:exempt|key-decision|paragraph)\b|\{\s*[.#]|\.(?:exempt|key-decision)\b"
                        r"|\bparagraph\s*=", re.IGNORECASE)
_FLAG_TEXT = re.compile(r"\{[^{}\n]*\}?|\S+")  # what to quote of it: the whole group, or the word
_LIST = re.compile(r"^\s{0,3}([-*+]|\d+[.)]|\(?[0-9ivxlc]+\)|\(?[a-z]\))\s+\S", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Part:
    """A run of Markdown lines from the body."""

    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    ref: str | None
    title: str
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]
    custom_id: str | None
    line: int


@dataclass(frozen=True)
class ParsedItem:
    heading: Heading
    text: Part | None
    resolution: Part | None
    resolution_kind: str | None
    sections: dict[str, Part] = field(hash=False)
    first_content_line: int | None = None


@dataclass(frozen=True)
class ParsedBody:
    intro: Part | None
    items: tuple[ParsedItem, ...]
    problems: tuple[Problem, ...]


def heading_level(line: str) -> tuple[int, str] | None:
    """(level, text) of a heading line, its closing hashes taken off, as Python-Markdown reads it."""
    match = _HEADING.match(line)
    return (len(match.group("level")), match.group("header").strip()) if match else None


def parse_heading(text: str, line: int) -> tuple[Heading, list[Problem]]:
    """Read `EXB77 Title {.key-decision}`: minute reference, title and flags."""
    problems: list[Problem] = []
    classes: list[str] = []
    attrs: list[tuple[str, str]] = []
    custom_id = None
    match = _ATTRS.search(text)
    if match:
        text = text[: match.start()]
        for token in match.group(1).split():
            if token.startswith("."):
                name = token[1:]
                if name not in FLAG_CLASSES:
                    problems.append(Problem(line, 1, f"unknown flag '.{name}'",
                                            did_you_mean(name, FLAG_CLASSES).replace("'", "'.", 1) or
                                            "the flags are {.key-decision} and {.exempt paragraph=N}"))
                classes.append(name)
            elif token.startswith("#"):
                custom_id = token[1:]
            elif "=" in token:
                key, _, value = token.partition("=")
                if key not in FLAG_KEYS:
                    problems.append(Problem(line, 1, f"unknown setting '{key}'", did_you_mean(key, FLAG_KEYS)))
                attrs.append((key, value.strip("\"'")))
            else:
                problems.append(Problem(line, 1, f"cannot read '{token}' in the heading's braces",
                                        "write flags as {.key-decision}, {.exempt paragraph=3} or {#an-id}"))
    problems += flag_lookalikes(text, line)
    text = text.strip()
    ref = None
    if text.startswith("\\"):
        text = text[1:].lstrip()
    else:
        first, _, rest = text.partition(" ")
        if any(ch.isdigit() for ch in first):
            ref = first.rstrip(".:")
            text = rest.strip()
    if not text:
        problems.append(Problem(line, 4, "this agenda item has no title",
                                "write the title after the minute reference, such as '## EXB77 Shared services'"))
    return Heading(ref, text, tuple(classes), tuple(attrs), custom_id, line), problems


def flag_lookalikes(text: str, line: int) -> list[Problem]:
    """Flags written where they are not read: at worst an exempt item published in full."""
    found = _FLAG_LIKE.search(text)
    if found is None:
        return []
    quoted = _FLAG_TEXT.match(text, found.start())
    return [Problem(line, 1, f"'{quoted.group(0) if quoted else found.group(0)}' looks like an item's flags, "
                             "but flags are only read at the very end of an item's heading, so this would be "
                             "published as text",
                    "write the flags last on the item's own '## ' line, as in "
                    "'## EXB80 Sale of land {.exempt paragraph=3}', with nothing after them")]


def parse_minutes(body: str, first_line: int) -> ParsedBody:
    """Split a meeting body into its introduction and agenda items."""
    lines = body.split("\n")
    problems: list[Problem] = []
    chunks: list[tuple[int, list[str]]] = [(0, [])]  # (index of heading line or -1, lines)
    titles: dict[int, str] = {}
    fenced = fenced_lines(lines)
    for index, line in enumerate(lines):
        found = None if index in fenced else heading_level(line)
        if found and found[0] == 2:
            titles[index] = found[1]
            chunks.append((index, []))
            continue
        if found and found[0] == 1:
            problems.append(Problem(first_line + index, 1, "a '# ' heading is not allowed in a meeting",
                                    "start agenda items with '## ' (the page title comes from the meeting)"))
        else:
            problems += flag_lookalikes(line, first_line + index)
        chunks[-1][1].append(line)
    intro = _part(chunks[0][1], first_line)
    items = []
    for (heading_index, item_lines) in chunks[1:]:
        heading_line = first_line + heading_index
        heading, heading_problems = parse_heading(titles[heading_index], heading_line)
        problems.extend(heading_problems)
        items.append(_parse_item(heading, item_lines, heading_line + 1, problems))
    return ParsedBody(intro, tuple(items), tuple(problems))


def _parse_item(heading: Heading, lines: list[str], first_line: int, problems: list[Problem]) -> ParsedItem:
    text: list[tuple[int, str]] = []
    sections: dict[str, list[tuple[int, str]]] = {}
    resolution: list[tuple[int, str]] = []
    kind = None
    current = text
    fenced = fenced_lines(lines)
    in_resolution = False
    previous_blank = True
    for offset, line in enumerate(lines):
        number = first_line + offset
        blank = not line.strip()
        in_fence = offset in fenced
        subheading = None if in_fence else heading_level(line)
        if subheading and subheading[0] == 3:
            name = _section_name(subheading[1])
            in_resolution = False
            if name:
                if name in sections:
                    problems.append(Problem(number, 1, f"the section '{subheading[1]}' appears twice in this item"))
                current = sections.setdefault(name, [])
                previous_blank = True
                continue
            current = text
        if not in_fence and previous_blank and RESOLUTION.match(line):
            match = RESOLUTION.match(line)
            assert match is not None
            kind = kind or match.group(2).upper()
            in_resolution = True
            current = text  # a resolution ends any section; what follows it is item text
        elif in_resolution and previous_blank and not blank and not _LIST.match(line) and not line.startswith((" ", "\t")):
            in_resolution = False
        if in_resolution:
            resolution.append((number, line))
        else:
            current.append((number, line))
        previous_blank = blank
    section_lines = [entry for part in sections.values() for entry in part]
    content_lines = [n for n, line in text + resolution + section_lines if line.strip()]
    return ParsedItem(
        heading=heading,
        text=_numbered_part(text),
        resolution=_numbered_part(resolution),
        resolution_kind=kind,
        sections={name: part for name, lines_ in sections.items() if (part := _numbered_part(lines_))},
        first_content_line=min(content_lines, default=None),
    )


def _section_name(title: str) -> str | None:
    title = re.sub(r"[*_]", "", title).strip().removesuffix(":").rstrip()
    return next((name for name, pattern in SECTIONS.items() if pattern.match(title)), None)


def _part(lines: list[str], first_line: int) -> Part | None:
    return _numbered_part([(first_line + i, line) for i, line in enumerate(lines)])


def _numbered_part(lines: list[tuple[int, str]]) -> Part | None:
    """Trim blank lines at both ends; nothing left means no part.

    Lines taken out of the middle (a resolution or section between two runs of item
    text) leave blank lines in their place, so that each line of the part is still
    at its own line of the file; blank lines between blocks change nothing in Markdown.
    """
    while lines and not lines[0][1].strip():
        lines = lines[1:]
    while lines and not lines[-1][1].strip():
        lines = lines[:-1]
    if not lines:
        return None
    kept = [lines[0][1]]
    for (before, _), (number, line) in zip(lines, lines[1:]):
        kept += [""] * (number - before - 1) + [line]
    return Part("\n".join(kept), lines[0][0])

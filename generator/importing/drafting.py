"""`minutes import document`: minutes read from a document cut into a draft meeting file.

Items start at their minute references (`EXB77 TITLE`, `CYP12 Title`, `1. Title`, or a Word
heading); `RESOLVED:`, `RECOMMENDED:` and `AGREED:` paragraphs keep the list after them, the
numbers typed into it (`1)`, `2)`) becoming a Markdown numbered list; the recognised decision
sections become `### ` headings; "Present:" and apologies lines before the first item become
the attendance, naming the site's people where they exist. Minutes published as a ModernGov
web page and copied as text ("No. | Item |" rows, each with its "Minutes:" text) are read row
by row. Everything else is kept as the items' text. What could not be placed is reported line
by line, and the draft is checked as `minutes check` would check it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.build import check_site
from generator.diagnostics import Diagnostic, Diagnostics, did_you_mean
from generator.importing.document import Line, Unreadable, read_document
from generator.importing.files import write_text
from generator.source.load import SiteDocuments, read_site
from generator.source.minutes import RESOLUTION, SECTIONS
from generator.commands.scaffold import yaml_flow_text, yaml_text

_REF = r"(?:[A-Z]{1,6}[/.\-]?\d+[A-Za-z]?|\d+(?:\.\d+)*\.?|\d+\([A-Za-z0-9]+\))"
_ITEM = re.compile(rf"^(?P<ref>{_REF})\s+(?P<title>\S.*)$")
_KEY_DECISION = re.compile(r"\s*(?:[-–—]\s*KEY\s+DECISION|\(\s*KEY\s+DECISION\s*\))\s*$", re.IGNORECASE)
_MARKER = re.compile(r"^(\s*(?:[-•·▪*]\s+)?)<\d+>\s*")
_BULLET = re.compile(r"^\s*[-•·▪*]\s+(?P<rest>.*)$")
_NUMBER = re.compile(r"^\s*(?:\((?:\d{1,2}|[a-z]|[ivx]+)\)|(?:\d{1,2}|[a-z]|[ivx]+)[.)])\s+(?P<rest>\S.*)$", re.IGNORECASE)
_ATTENDANCE = re.compile(r"^(?P<label>present|apologies(?:\s+for\s+absence)?(?:\s+were\s+received\s+from)?|"
                         r"in\s+attendance|also\s+present)\s*[:\-–]?\s+(?P<rest>\S.*)$", re.IGNORECASE)
_VENUE = re.compile(r"^(?:venue|place|location)\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)
_TIME = re.compile(r"^time\s*:\s*(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m\.?$", re.IGNORECASE)
_TABLE_HEADER = re.compile(r"^\s*No\.?\s*\|\s*Item\s*\|?\s*$", re.IGNORECASE)
_MINUTES_LABEL = re.compile(r"\bMinutes:\s*")
_HONORIFIC = re.compile(r"^(?:(?:county\s+|borough\s+|city\s+)?councillors?|cllrs?\.?|mr|mrs|ms|miss|dr)\s+", re.IGNORECASE)
_SECTION_NAMES = {"reasons": "Reasons for decision", "alternatives": "Alternative options considered and rejected",
                  "implementation": "Implementation date"}
_CALENDAR = ("January February March April May June July August September October November December "
             "Monday Tuesday Wednesday Thursday Friday Saturday Sunday").split()
ATTENDANCE_KEYS = {"present": "present", "also present": "in_attendance", "in attendance": "in_attendance"}


@dataclass
class Result:
    written: Path | None
    unplaced: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


@dataclass
class _Item:
    ref: str | None
    title: str
    key_decision: bool
    line: int
    chunks: list[tuple[str, str, bool]] = field(default_factory=list)  # (kind, text, numbered)


def import_document(site_root: Path, path: Path, board: str, day: dt.date) -> Result:
    """Write content/meetings/<board>/<date>.md from the document, unless it exists."""
    raw = read_site(site_root, Diagnostics())
    rel = f"content/meetings/{board}/{day.isoformat()}.md"
    known = [doc.rel.rsplit("/", 1)[-1][:-3] for doc in raw.boards]
    if board not in known:
        return Result(None, problems=[Diagnostic(f"content/boards/{board}.md", 1, 1, f"there is no board '{board}'",
                                                 did_you_mean(board, known) or f"add content/boards/{board}.md first")])
    for existing in (rel, rel[:-3] + "/index.md"):
        if (site_root / existing).exists():
            return Result(None, problems=[Diagnostic(existing, 1, 1, "this meeting already exists",
                                                     "import into a new meeting, or move the existing file aside")])
    try:
        lines, unit = read_document(path)
    except Unreadable as err:
        return Result(None, problems=[Diagnostic("", 0, 0, f"{path.name}: {err}")])
    draft = _Draft(path.name, unit, raw)
    text = draft.meeting(lines, day)
    write_text(site_root / rel, text)
    _, diagnostics = check_site(site_root)
    return Result(site_root / rel, draft.unplaced, [d for d in diagnostics.sorted() if d.path == rel])


class _Draft:
    def __init__(self, name: str, unit: str, raw: SiteDocuments) -> None:
        self.name = name
        self.unit = unit
        self.unplaced: list[str] = []
        self.intro: list[tuple[str, str, bool]] = []
        self.items: list[_Item] = []
        self.attendance: dict[str, list[str]] = {}
        self.venue: str | None = None
        self.start: str | None = None
        self.in_resolution = False
        self.people = {_person_key(str(doc.data.get("name", ""))): doc.rel.rsplit("/", 1)[-1][:-3]
                       for doc in raw.people if isinstance(doc.data.get("name"), str)}
        names = [str(doc.data["name"]) for doc in raw.boards + raw.people if isinstance(doc.data.get("name"), str)]
        if raw.config is not None and isinstance(raw.config.data.get("organisations"), dict):
            names += [str(v) for v in raw.config.data["organisations"].values()]
        self.names = sorted(set(names + _CALENDAR), key=len, reverse=True)

    def note(self, number: int, message: str) -> None:
        self.unplaced.append(f"{self.name}:{self.unit} {number}: {message}")

    # --- Reading -------------------------------------------------------------------------------

    def meeting(self, lines: list[Line], day: dt.date) -> str:
        header = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line.text)), None)
        if header is None:
            self._blocks(lines)
        else:
            self._blocks(lines[:header])
            self.note(lines[header].number, f"not placed: '{lines[header].text.strip()}' (the table's heading row)")
            self._rows(lines[header + 1:])
        return self._render(day)

    def _blocks(self, lines: list[Line]) -> None:
        block: list[Line] = []
        for line in lines + [Line("", 0, "blank")]:
            if line.kind == "blank":
                if block:
                    self._block(block)
                block = []
            elif line.kind in ("heading", "table"):
                if block:
                    self._block(block)
                self._block([line])
                block = []
            else:
                block.append(line)

    def _block(self, block: list[Line]) -> None:
        first = block[0]
        if first.kind == "table":
            self._emit("table", first.text)
            return
        texts = [self._clean(line) for line in block]
        if len(block) == 1 and self._item_heading(first, texts[0]):
            return
        section = _section(texts[0]) if len(block) == 1 else None
        if section:
            self.in_resolution = False
            self._emit("h3", section)
            return
        if first.kind == "heading":
            self.in_resolution = False
            self._emit("h3" if self.items else "p", self._case(texts[0], first.number))
            return
        if not self.items:  # before the first item, a line may be a fact of the meeting
            kept = [(line, text) for line, text in zip(block, texts) if not self._meeting_fact(line, text)]
            if not kept:
                return
            block, texts = [line for line, _ in kept], [text for _, text in kept]
        paragraph: list[str] = []
        in_list = False
        for line, text in zip(block, texts):
            bullet = _BULLET.match(text)
            rest = bullet.group("rest") if bullet else text
            if RESOLUTION.match(rest):
                self._flush(paragraph)
                self._emit("resolution", rest)
                self.in_resolution, in_list = True, False
                continue
            number = _NUMBER.match(rest)
            if bullet or line.kind in ("bullet", "numbered") or (number and (self.in_resolution or len(block) > 1)):
                self._flush(paragraph)
                explicit = bool(number) or line.kind == "numbered"
                self._emit("li", number.group("rest") if number else rest, explicit)
                in_list = True
                continue
            if in_list:  # a list entry's next line, where the text was broken into lines
                self._extend(text)
                continue
            if not paragraph:
                self.in_resolution = False
            paragraph.append(self._case(text, line.number) if len(block) == 1 and not self.items else text)
        self._flush(paragraph)

    def _item_heading(self, line: Line, text: str) -> bool:
        match = _ITEM.match(text)
        if match is None:
            if line.kind == "heading" and self.items and self.items[-1].ref is None and line.level <= 2:
                self._start(None, text, line.number)
                return True
            return False
        ref, title = match.group("ref").rstrip("."), match.group("title").strip()
        if title.endswith((";", ",")) or title[0].islower() or len(title) > 200:
            return False
        numeric = not any(ch.isalpha() for ch in ref)
        if numeric and line.kind != "heading" and not _shouting(title):
            # "3. Land at Moor Lane", not "3. The Committee noted the report." nor a resolution's
            # third point: short, and numbered on from the item before.
            previous = self.items[-1].ref if self.items else None
            follows = previous is None or not previous.isdigit() or ref.split(".")[0] == str(int(previous) + 1)
            if not follows or len(title.split()) > 12 or title.endswith((".", ":")):
                return False
        self._start(ref, title, line.number)
        return True

    def _start(self, ref: str | None, title: str, number: int) -> None:
        key = bool(_KEY_DECISION.search(title))
        title = _KEY_DECISION.sub("", title).strip().rstrip(".").replace("{", "(").replace("}", ")")
        self.items.append(_Item(ref, self._case(title, number), key, number))
        self.in_resolution = False

    def _meeting_fact(self, line: Line, text: str) -> bool:
        """Venue, time and attendance lines before the first item: the meeting's front matter."""
        if venue := _VENUE.match(text):
            place = venue.group("rest").strip()
            cut = re.sub(r"\.?\s*View directions\.?$", "", place, flags=re.IGNORECASE)
            if cut != place:
                self.note(line.number, "not placed: 'View directions' (a link on the council's web page)")
            self.venue = cut.rstrip(".")
            return True
        if time := _TIME.match(text):
            hour = int(time.group("hour")) % 12 + (12 if time.group("half").lower() == "p" else 0)
            self.start = f"{hour:02d}:{time.group('minute') or '00'}"
            return True
        attendance = _ATTENDANCE.match(text)
        if attendance is None:
            return False
        label = " ".join(attendance.group("label").lower().split())
        key = ATTENDANCE_KEYS.get(label, "apologies")
        for name, role in _names(attendance.group("rest")):
            slug = self._person(name)
            if slug is None:
                self.note(line.number, f"'{name}' has no page in content/people: listed by name under {key}; "
                                       f"add the person (minutes new person) to link the record")
                entry = f"  - {{name: {yaml_flow_text(name)}" + (f", role: {yaml_flow_text(role)}}}" if role else "}")
            else:
                entry = f"  - {{person: {slug}, role: {yaml_flow_text(role)}}}" if role else f"  - {slug}"
            self.attendance.setdefault(key, []).append(entry)
        return True

    def _person(self, name: str) -> str | None:
        key = _person_key(name)
        if key in self.people:
            return self.people[key]
        surname = [slug for known, slug in self.people.items() if known.split(" ")[-1] == key.split(" ")[-1]
                   and (len(key.split()) == 1 or known[0] == key[0])]
        return surname[0] if len(surname) == 1 else None

    def _rows(self, lines: list[Line]) -> None:
        """Minutes copied from a ModernGov web page: a row per item, each ending in '|'."""
        row: list[Line] = []
        for line in lines:
            if line.kind == "blank":
                continue
            row.append(line)
            if line.text.rstrip().endswith("|"):
                self._row(row)
                row = []
        if row:
            self._row(row)

    def _row(self, row: list[Line]) -> None:
        number = row[0].number
        text = " ".join(self._clean(line) for line in row).rstrip().rstrip("|").strip()
        cells = [cell.strip() for cell in text.split(" | ")]
        ref = cells[0].rstrip(".") if len(cells) > 1 and re.fullmatch(_REF, cells[0]) else None
        text = cells[-1] if ref else text
        label = _MINUTES_LABEL.search(text)
        title, minutes = (text[:label.start()], text[label.end():]) if label else (text, "")
        if re.search(r"Additional documents:\s*$", title):
            title = re.sub(r"\s*Additional documents:\s*$", "", title)
            self.note(number, f"not placed: 'Additional documents:' of '{title or 'Minutes'}' (papers linked from the "
                              "web page, not in this text): list them under documents")
        if not title.strip():
            title = "Minutes"
            self.note(number, "this row has no title: titled 'Minutes' after its label")
        self._start(ref, title.strip(), number)
        for kind, chunk, explicit in _run_of_text(minutes.strip()):
            self._emit(kind, chunk, explicit)

    # --- Writing -------------------------------------------------------------------------------

    def _clean(self, line: Line) -> str:
        text = " ".join(line.text.split())
        marker = _MARKER.match(text)
        if marker:
            self.note(line.number, f"removed '{text[len(marker.group(1)):marker.end()].strip()}' (a mark left by "
                                   "the program that made the text, not part of the minutes)")
            text = marker.group(1) + text[marker.end():]
        return text

    def _case(self, text: str, number: int) -> str:
        if not _shouting(text):
            return text
        cased = _sentence_case(text, self.names)
        self.note(number, f"'{text}' was in capitals: written '{cased}'; check names and abbreviations")
        return cased

    def _emit(self, kind: str, text: str, numbered: bool = False) -> None:
        (self.items[-1].chunks if self.items else self.intro).append((kind, text, numbered))

    def _extend(self, text: str) -> None:
        chunks = self.items[-1].chunks if self.items else self.intro
        kind, previous, numbered = chunks[-1]
        chunks[-1] = (kind, f"{previous} {text}", numbered)

    def _flush(self, paragraph: list[str]) -> None:
        if paragraph:
            self._emit("p", " ".join(paragraph))
            paragraph.clear()

    def _render(self, day: dt.date) -> str:
        front = [f"# A draft imported from {yaml_text(self.name)} by minutes import document: check it against",
                 "# the document, then change minutes: draft to approved once they are.", f"date: {day.isoformat()}"]
        if self.start:
            front.append(f'start: "{self.start}"')
        if self.venue:
            front.append(f"venue: {yaml_text(self.venue)}")
        front += ["status: held", "minutes: draft"]
        for key in ("present", "apologies", "in_attendance"):
            if self.attendance.get(key):
                front += [f"{key}:"] + self.attendance[key]
        blocks = [_render_chunks(self.intro)] if self.intro else []
        for item in self.items:
            shown = f"{item.ref} {item.title}" if item.ref else (
                f"\\{item.title}" if any(ch.isdigit() for ch in item.title.split(" ")[0]) else item.title)
            heading = f"## {shown}" + (" {.key-decision}" if item.key_decision else "")
            blocks.append(heading + ("\n\n" + _render_chunks(item.chunks) if item.chunks else ""))
        return "---\n" + "\n".join(front) + "\n---\n" + "\n\n".join(block for block in blocks if block) + "\n"


def _render_chunks(chunks: list[tuple[str, str, bool]]) -> str:
    """Paragraphs apart, each list together: numbered if any entry of it carried a number."""
    blocks: list[str] = []
    index = 0
    while index < len(chunks):
        kind, text, _ = chunks[index]
        if kind == "li":
            end = index
            while end < len(chunks) and chunks[end][0] == "li":
                end += 1
            numbered = any(numbered for _, _, numbered in chunks[index:end])
            blocks.append("\n".join(f"{n}. {t}" if numbered else f"- {t}"
                                    for n, (_, t, _) in enumerate(chunks[index:end], start=1)))
            index = end
            continue
        blocks.append(f"### {text}" if kind == "h3" else text)
        index += 1
    return "\n\n".join(blocks)


def _run_of_text(text: str) -> list[tuple[str, str, bool]]:
    """A row's minutes, one run of text: its resolution a paragraph of its own with its
    numbered points as a list, and its '·' points as a list."""
    chunks: list[tuple[str, str, bool]] = []
    parts = re.split(r"\s+(?=(?:RESOLVED|RECOMMENDED|AGREED)\s*[:\-–—])", text)
    for part in parts:
        if RESOLUTION.match(part):
            points = _numbered_points(part)
            chunks.append(("resolution", points[0], False))
            chunks += [("li", point, True) for point in points[1:]]
            continue
        pieces = [piece.strip() for piece in re.split(r"\s*·\s+", part)]
        if len(pieces) == 1:
            if part.strip():
                chunks.append(("p", part.strip(), False))
            continue
        if pieces[0]:
            chunks.append(("p", pieces[0], False))
        last = re.split(r"(?<=[.!?])\s+(?=[A-Z])", pieces[-1], maxsplit=1)
        chunks += [("li", piece, False) for piece in pieces[1:-1] + last[:1]]
        if len(last) > 1:
            chunks.append(("p", last[1], False))
    return chunks


def _numbered_points(text: str) -> list[str]:
    """'That 1) a; and 2) b.' as ['That', 'a; and', 'b.'], when the points are numbered 1, 2, ..."""
    points, rest, number = [], text, 1
    while True:
        match = re.search(rf"\s\(?{number}\)\s+", rest)
        if match is None:
            break
        points.append(rest[:match.start()].strip())
        rest, number = rest[match.end():], number + 1
    return points + [rest.strip()] if points else [text]


def _names(text: str) -> list[tuple[str, str | None]]:
    """"Councillors A (Chair), B and C" as [("A", "Chair"), ("B", None), ("C", None)]."""
    text = _HONORIFIC.sub("", text.strip().rstrip("."))
    found = []
    for part in re.split(r",\s*|\s+and\s+|\s*&\s*", text):
        part = _HONORIFIC.sub("", part.strip())
        role = re.search(r"\(([^)]*)\)\s*$", part)
        name = part[:role.start()].strip() if role else part
        if name:
            found.append((name, role.group(1).strip() if role else None))
    return found


def _person_key(name: str) -> str:
    return " ".join(_HONORIFIC.sub("", name.strip()).split()).casefold()


def _section(text: str) -> str | None:
    title = re.sub(r"[*_]", "", text).strip().removesuffix(":").rstrip()
    return next((_SECTION_NAMES[name] for name, pattern in SECTIONS.items() if pattern.match(title)), None)


def _shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _sentence_case(text: str, names: list[str]) -> str:
    cased = text.lower()
    for name in names:
        cased = re.sub(rf"(?<![\w']){re.escape(name.lower())}(?![\w'])", name, cased)
    first = next((i for i, ch in enumerate(cased) if ch.isalpha()), None)
    return cased if first is None else cased[:first] + cased[first].upper() + cased[first + 1:]

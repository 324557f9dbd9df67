"""Open data: the whole record as files under /data/.

People, organisations (the councils and their boards) and memberships are shaped on Popolo;
meetings are Open Civic Data events, with their agendas, papers, participants and recordings;
decisions come as JSON, and the register of them as CSV. Meetings and decisions are published
in pieces, one per board and year (/data/boards/<board>/<year>/events.json and decisions.json),
listed in /data/index.json: a large council's twenty years are too much for one download, and
an edit to a meeting then rewrites its own piece alone. Each JSON file has a JSON Schema,
shipped in generator/outputs/schemas/ and published beside the data. docs/open-data.md
describes every field.

Every file is a pure function of its inputs: collections are in a fixed order, keys are sorted
and nothing reads the clock, so two builds give the same bytes. Of an exempt item nothing
beyond its reference, title and paragraph is written (the model holds nothing more).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zoneinfo
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

import orjson

from generator.model.link import LinkedSite, Target, item_url, meeting_title
from generator.model.markup import XREF, Converter, without_repeated_words
from generator.model.records import (
    Attendee,
    Board,
    BoardSummary,
    Document,
    Item,
    ItemSummary,
    Markdown,
    Media,
    Meeting,
    MeetingSummary,
    Person,
    PersonSummary,
    SiteConfig,
    Votes,
)
from generator.model.times import meeting_end, meeting_start
from generator.plan import urls
from generator.plan.inputs import Full
from generator.plan.outputs import Dataset, FileKind, Inputs, Output, PageKind
from generator.source.fences import fenced_lines

SCHEMAS = Path(__file__).resolve().parent / "schemas"

# Minutes' meeting statuses as Open Civic Data event statuses. A postponed meeting will not
# take place at its date, so for a calendar it is cancelled; `meeting_status` keeps the detail.
EVENT_STATUS = {"scheduled": "confirmed", "held": "passed", "cancelled": "cancelled", "postponed": "cancelled"}
# Board kinds as event classifications; every other kind of board holds committee meetings.
EVENT_CLASSIFICATION = {"council": "council-meeting", "individual": "decision-session"}
EXEMPT_NOTE = ("This item was considered in private. It is exempt information under paragraph {} of Part 1 "
               "of Schedule 12A to the Local Government Act 1972, so nothing more about it is published.")

# Media types by file name ending: a fixed table, because the mimetypes module reads the
# machine's own lists and would make the output depend on where it was built.
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".gif": "image/gif",
    ".htm": "text/html",
    ".html": "text/html",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".m4a": "audio/mp4",
    ".mp3": "audio/mpeg",
    ".mp4": "video/mp4",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ogg": "audio/ogg",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
    ".webm": "video/webm",
    ".webp": "image/webp",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# The register's columns, then what a decision's standing depends on (added after the first
# columns, so that readers of the older file find its columns where they were).
DECISIONS_CSV_HEADER = ("date", "board", "reference", "title", "key_decision", "decision_maker", "url",
                        "minutes", "call_in_deadline", "call_in_status", "effective_from")


# --- Addresses and identifiers -------------------------------------------------------------------

def person_id(slug: str) -> str:
    return f"person/{slug}"


def organisation_id(slug: str) -> str:
    return f"organisation/{slug}"


def board_id(slug: str) -> str:
    return f"board/{slug}"


def membership_id(board: str, person: str, number: int) -> str:
    """`number` counts the person's memberships of the board in the order the board file lists them."""
    return f"membership/{board}/{person}/{number}"


def event_id(meeting: Meeting) -> str:
    return f"event/{meeting.board}/{meeting.slug}"


def decision_id(meeting: Meeting, item: Item) -> str:
    return f"decision/{meeting.board}/{meeting.slug}/{item.id}"


# --- Values shared with the pages' metadata ------------------------------------------------------

def start_date(config: SiteConfig, meeting: Meeting) -> str:
    """The start as an ISO 8601 date, with the time and the zone's offset on that day when known."""
    return (meeting_start(meeting, zoneinfo.ZoneInfo(config.timezone)) or meeting.date).isoformat()


def end_date(config: SiteConfig, meeting: Meeting) -> str | None:
    end = meeting_end(meeting, zoneinfo.ZoneInfo(config.timezone))
    return end.isoformat() if end else None


def media_type(url: str) -> str | None:
    """The media type a web address's file name ending suggests; None when it does not say."""
    path = urlsplit(url).path.lower()
    return next((kind for ending, kind in MEDIA_TYPES.items() if path.endswith(ending)), None)


# --- Text ------------------------------------------------------------------------------------------

def portable_markdown(text: Markdown | None, links: Mapping[str, Target], base_url: str) -> str | None:
    """The Markdown as written, with each [[cross-reference]] made an ordinary Markdown link to the
    absolute address of its target, so the text can be used away from the site. Runs of blank
    lines (left where a resolution or section was taken out of an item's text) become one."""
    if text is None:
        return None

    def link(match: re.Match[str]) -> str:
        own_text = (match.group(2) or "").strip()
        target = match.group(1).strip()
        found = links.get(target)
        if found is None:
            return own_text or target
        title = found.title
        if target.startswith("people/"):
            title = without_repeated_words(title, re.sub(r"[*_`]", "", match.string[:match.start()]))
        label = own_text or re.sub(r"([\[\]])", r"\\\1", title)
        return f"[{label}]({urls.absolute(base_url, found.url)})"

    lines: list[str] = []
    source = text.text.split("\n")
    fenced = fenced_lines(source)
    for index, line in enumerate(source):
        if index not in fenced:
            if not line.strip() and lines and not lines[-1].strip():
                continue
            line = XREF.sub(link, line)
        lines.append(line)
    return "\n".join(lines).strip("\n")


# --- People, organisations and memberships (Popolo) ------------------------------------------------

def people(inputs: Inputs) -> list[dict[str, Any]]:
    config = inputs["config"]
    return [
        {
            "id": person_id(person.slug),
            "name": person.name,
            "honorific_prefix": person.honorific,
            "role": person.role,
            "position": person.position,
            "party": person.party,
            "ward": person.ward,
            "organization_id": organisation_id(person.organisation),
            "biography": portable_markdown(person.biography, inputs["links"], config.base_url),
            "url": urls.absolute(config.base_url, urls.person(person.slug)),
        }
        for person in sorted(inputs["people"], key=lambda p: p.slug)
    ]


def organizations(inputs: Inputs) -> list[dict[str, Any]]:
    config = inputs["config"]
    found = [
        {
            "id": organisation_id(slug),
            "name": name,
            "classification": "organisation",
            "parent_id": None,
            "minute_prefix": None,
            "venue": None,
            "start": None,
            "contact": None,
            "remit": None,
            "url": None,
        }
        for slug, name in config.organisations.items()
    ]
    found += [
        {
            "id": board_id(board.slug),
            "name": board.name,
            "classification": board.kind,
            "parent_id": board_id(board.parent) if board.parent else organisation_id(board.organisation),
            "minute_prefix": board.minute_prefix,
            "venue": board.venue,
            "start": board.start,
            "contact": board.contact,
            "remit": portable_markdown(board.remit, inputs["links"], config.base_url),
            "url": urls.absolute(config.base_url, urls.board(board.slug)),
        }
        for board in inputs["boards"]
    ]
    return sorted(found, key=lambda o: o["id"])


def memberships(inputs: Inputs) -> list[dict[str, Any]]:
    found = []
    for board in sorted(inputs["boards"].values(), key=lambda b: b.slug):
        counts: dict[str, int] = {}
        for membership in board.members:
            counts[membership.person] = counts.get(membership.person, 0) + 1
            found.append(((board.slug, membership.person, counts[membership.person]), {
                "id": membership_id(board.slug, membership.person, counts[membership.person]),
                "person_id": person_id(membership.person),
                "organization_id": board_id(board.slug),
                "role": membership.role,
                "start_date": membership.start.isoformat() if membership.start else None,
                "end_date": membership.end.isoformat() if membership.end else None,
            }))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


# --- Meetings (Open Civic Data events) -------------------------------------------------------------

class _Records:
    """What the entries of a piece of meetings or decisions read: the site's settings, the names
    of its boards and people, and the targets of the pieces' cross-references."""

    def __init__(self, inputs: Inputs) -> None:
        self.config: SiteConfig = inputs["config"]
        self.boards: Mapping[str, BoardSummary] = inputs["boards"]
        self.people: Mapping[str, PersonSummary] = inputs["people"]
        self.links: Mapping[str, Target] = inputs["links"]

    def text(self, text: Markdown | None) -> str | None:
        return portable_markdown(text, self.links, self.config.base_url)


def events(inputs: Inputs) -> list[dict[str, Any]]:
    records = _Records(inputs)
    return [event(records, meeting) for meeting in inputs["meetings"]]  # by date, board and slug


def event(records: _Records, meeting: Meeting) -> dict[str, Any]:
    config = records.config
    board = records.boards[meeting.board]
    participants = [{"entity_type": "organization", "id": board_id(board.slug), "name": board.name,
                     "note": "host", "role": None}]
    for note, attendees in (("present", meeting.present), ("substitute", meeting.substitutes),
                            ("apologies", meeting.apologies), ("in attendance", meeting.in_attendance)):
        participants += [_participant(records, attendee, note) for attendee in attendees]
    return {
        "id": event_id(meeting),
        "name": meeting_title(meeting, records.boards),
        "title": meeting.title,
        "description": records.text(meeting.intro),
        "classification": EVENT_CLASSIFICATION.get(board.kind, "committee-meeting"),
        "start_date": start_date(config, meeting),
        "end_date": end_date(config, meeting),
        "timezone": config.timezone,
        "status": EVENT_STATUS[meeting.status],
        "meeting_status": meeting.status,
        "minutes": meeting.minutes,
        "location": {"name": meeting.venue, "note": None, "url": None, "coordinates": None} if meeting.venue else None,
        "organization_id": board_id(board.slug),
        "participants": participants,
        "agenda": [_agenda_item(records, meeting, item) for item in meeting.items],
        "documents": [_document(config, meeting, document) for document in meeting.documents],
        "media": [_media(medium, None) for medium in meeting.media],
        "declarations": [
            {
                "person_id": person_id(declaration.person),
                "name": records.people[declaration.person].name,
                "item_id": _item_id(meeting, declaration.item),
                "interest": declaration.interest,
                "note": declaration.note,
            }
            for declaration in meeting.declarations
        ],
        "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
    }


def _item_id(meeting: Meeting, key: str) -> str:
    item = meeting.item(key)
    assert item is not None
    return item.id


def _participant(records: _Records, attendee: Attendee, note: str) -> dict[str, Any]:
    name: str | None
    pid: str | None
    if attendee.person:
        name, pid = records.people[attendee.person].name, person_id(attendee.person)
    else:
        name, pid = attendee.name, None
    return {"entity_type": "person", "id": pid, "name": name, "note": note, "role": attendee.role}


def _agenda_item(records: _Records, meeting: Meeting, item: Item) -> dict[str, Any]:
    shared = {
        "order": str(item.number),
        "id": item.id,
        "reference": item.ref,
        "description": item.title,
        "url": urls.absolute(records.config.base_url, item_url(meeting, item)),
    }
    if item.is_exempt:
        # Only the reference, title and paragraph: every other field is empty, whatever was flagged.
        return shared | {
            "classification": ["exempt"],
            "exempt_paragraph": item.exempt_paragraph,
            "notes": [EXEMPT_NOTE.format(item.exempt_paragraph)],
            "key_decision": None,
            "decision_id": None,
            "subjects": [],
            "wards": [],
            "related_entities": [],
            "media": [],
        }
    classification = (["decision"] if item.is_decision else []) + (["key-decision"] if item.key_decision else [])
    related = []
    if item.is_decision:
        related.append({"entity_type": "decision", "id": decision_id(meeting, item), "name": item.label, "note": None})
    people = records.people
    for declaration in meeting.declarations:
        if meeting.item(declaration.item) is item:
            note = f"declared an interest: {declaration.interest}" + (f" ({declaration.note})" if declaration.note else "")
            related.append({"entity_type": "person", "id": person_id(declaration.person),
                            "name": people[declaration.person].name, "note": note})
    for side, slugs in _recorded_votes(item.votes):
        related += [{"entity_type": "person", "id": person_id(slug), "name": people[slug].name, "note": side}
                    for slug in slugs]
    media = [_media(meeting.media[0], item.media_offset)] if item.media_offset is not None and meeting.media else []
    return shared | {
        "classification": classification,
        "exempt_paragraph": None,
        "notes": [records.text(part) for part in (item.text, item.resolution.text if item.resolution else None)
                  if part is not None],
        "key_decision": item.key_decision,
        "decision_id": decision_id(meeting, item) if item.is_decision else None,
        "subjects": [item.matter] if item.matter else [],
        "wards": list(item.wards),
        "related_entities": related,
        "media": media,
    }


def _recorded_votes(votes: Votes | None) -> list[tuple[str, tuple[str, ...]]]:
    if votes is None:
        return []
    sides = (("voted for", votes.in_favour), ("voted against", votes.against), ("abstained", votes.abstain))
    return [(side, value) for side, value in sides if isinstance(value, tuple)]


def _document(config: SiteConfig, meeting: Meeting, document: Document) -> dict[str, Any]:
    mime: str | None
    if document.report:
        kind, url, mime = "report", urls.absolute(config.base_url, urls.report(meeting.board, meeting.slug, document.report)), "text/html"
    elif document.file:
        kind, url = "attachment", urls.absolute(config.base_url, urls.attachment(meeting.board, meeting.slug, document.file))
        mime = media_type(document.file) or "application/octet-stream"
    else:
        assert document.url is not None
        kind, url = "link", document.url
        mime = media_type(document.url)
    return {"note": document.title, "url": url, "media_type": mime, "kind": kind, "item_id": document.item}


def _media(medium: Media, offset: int | None) -> dict[str, Any]:
    """A recording; `offset` is where an agenda item starts in it, in seconds (None for the whole)."""
    return {
        "name": medium.title,
        "type": "recording",
        "kind": medium.kind,
        "offset": offset,
        "links": [{"media_type": media_type(medium.url), "url": medium.url}],
    }


# --- Decisions -----------------------------------------------------------------------------------

def decisions(inputs: Inputs) -> list[dict[str, Any]]:
    """The decisions of the piece's meetings, newest first, as in the register on the site."""
    records = _Records(inputs)
    config = records.config
    pairs = [(meeting, item) for meeting in inputs["meetings"] for item in meeting.items if item.is_decision]
    pairs.sort(key=lambda pair: (-pair[0].date.toordinal(), pair[0].board, pair[0].slug, pair[1].number))
    found = []
    for meeting, item in pairs:
        board = records.boards[meeting.board]
        assert item.resolution is not None
        found.append({
            "id": decision_id(meeting, item),
            "event_id": event_id(meeting),
            "item_id": item.id,
            "reference": item.ref,
            "title": item.title,
            "date": meeting.date.isoformat(),
            "organization_id": board_id(board.slug),
            "board": board.name,
            "decision_maker": item.decision_maker or board.name,
            "key_decision": item.key_decision,
            "kind": item.resolution.kind,
            "resolution": records.text(item.resolution.text),
            "minute": records.text(item.text),
            "reasons": records.text(item.reasons),
            "alternatives": records.text(item.alternatives),
            "implementation": records.text(item.implementation),
            "wards": list(item.wards),
            "call_in": {
                "deadline": item.call_in.deadline.isoformat() if item.call_in.deadline else None,
                "status": item.call_in.status,
            } if item.call_in else None,
            "effective_from": item.effective_from.isoformat() if item.effective_from else None,
            "votes": _votes(item.votes),
            "matter": item.matter,
            "minutes": meeting.minutes,
            "documents": [_document(config, meeting, d) for d in meeting.documents_for(item)],
            "media": [_media(meeting.media[0], item.media_offset)] if item.media_offset is not None and meeting.media else [],
            "url": urls.absolute(config.base_url, item_url(meeting, item)),
        })
    return found


def _votes(votes: Votes | None) -> dict[str, Any] | None:
    if votes is None:
        return None

    def side(value: int | tuple[str, ...] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        if isinstance(value, tuple):
            return {"count": len(value), "person_ids": [person_id(slug) for slug in value]}
        return {"count": value, "person_ids": []}

    return {"for": side(votes.in_favour), "against": side(votes.against), "abstain": side(votes.abstain)}


# --- Files -----------------------------------------------------------------------------------------

def _json_file(config: SiteConfig, name: str, key: str, entries: list[dict[str, Any]]) -> bytes:
    document = {
        "$schema": urls.absolute(config.base_url, urls.schema(name)),
        "title": config.title,
        "url": config.base_url,
        "licence": config.licence,
        key: entries,
    }
    return json_text(document) + b"\n"


def json_text(value: Any) -> bytes:
    """JSON as Minutes publishes it, in UTF-8 with sorted keys and an indent of two: the bytes of
    `json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)`, which orjson makes many
    times faster (the standard library writes indented JSON in Python)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)


def _spreadsheet_text(value: str) -> str:
    """Text a spreadsheet would run as a formula (starting =, +, -, @, tab or CR) gets a
    leading apostrophe, which spreadsheets hide, as OWASP advises against CSV injection."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def make_decisions_csv(inputs: Inputs, converter: Converter) -> bytes:
    """One row per decision of the site, newest first: UTF-8, a header row, \\n line endings. It
    holds no text of the records, so it changes only when a decision's summary does."""
    config = inputs["config"]
    boards = inputs["boards"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DECISIONS_CSV_HEADER)
    for meeting, item in inputs["decisions"]:
        board = boards[meeting.board]
        writer.writerow([_spreadsheet_text(cell) for cell in (
            meeting.date.isoformat(),
            board.name,
            item.ref or "",
            item.title,
            "yes" if item.key_decision else "no",
            item.decision_maker or board.name,
            urls.absolute(config.base_url, item_url(meeting, item)),
            meeting.minutes,
            item.call_in.deadline.isoformat() if item.call_in and item.call_in.deadline else "",
            (item.call_in.status or "") if item.call_in else "",
            item.effective_from.isoformat() if item.effective_from else "",
        )])
    return buffer.getvalue().encode("utf-8")


def _schema_file(name: str) -> Path:
    return SCHEMAS / f"{name}.schema.json"


def make_schema(inputs: Inputs, converter: Converter) -> bytes:
    """A shipped JSON Schema, published as it is."""
    return _schema_file(inputs["schema"]).read_bytes()


@dataclass(frozen=True)
class Listed:
    """A file of open data as the data page and /data/index.json list it; `size` in bytes, once
    it has been written."""

    url: str
    about: Dataset
    size: int | None = None


def make_index(inputs: Inputs, converter: Converter) -> bytes:
    """/data/index.json: every file of open data, with what it holds, for programs to find them."""
    config = inputs["config"]
    files = [{"url": urls.absolute(config.base_url, entry.url), "title": entry.about.title,
              "holds": entry.about.holds, "board": entry.about.board, "year": entry.about.year,
              "schema": urls.absolute(config.base_url, entry.about.schema) if entry.about.schema else None}
             for entry in inputs["files"]]
    return _json_file(config, "index", "files", files)


# --- Kinds of file ---------------------------------------------------------------------------------

def _links(linked: LinkedSite, units: Iterable[str]) -> dict[str, Target]:
    return {x.target: linked.targets[x.target] for unit in units for x in linked.site.units[unit].xrefs}


def _whole(name: str, title: str, holds: str) -> Callable[[LinkedSite], list[Output]]:
    return lambda linked: [Output(urls.data(f"{name}.json"), f"{name}-data",
                                  about=Dataset(title, holds, schema=urls.schema(name)))]


def _pieces(name: str, title: str, holds: str) -> Callable[[LinkedSite], list[Output]]:
    """One file per board and year: `title` and `holds` are formatted with the board's name and
    the year."""
    def outputs(linked: LinkedSite) -> list[Output]:
        found = []
        for board, year in _board_years(linked):
            found.append(Output(urls.data_piece(board, year, name), f"{name}-data", (board, year), about=Dataset(
                title.format(year=year), holds.format(board=linked.site.boards[board].name, year=year),
                schema=urls.schema(name), board=board, year=year)))
        return found
    return outputs


def _board_years(linked: LinkedSite) -> list[tuple[str, int]]:
    return sorted({(board, meeting.date.year) for board, meetings in linked.meetings_by_board.items()
                   for meeting in meetings})


def _piece_inputs(piece: Output, linked: LinkedSite) -> Inputs:
    board, year = piece.subject
    meetings = [m for m in linked.meetings_by_board[board] if m.date.year == year]
    return {"config": linked.site.config, "boards": linked.board_index, "people": linked.people_index,
            "meetings": tuple(Full("meeting", m.key, m.record) for m in meetings),
            "links": _links(linked, [f"meeting:{m.key}" for m in meetings])}


def _people_inputs(output: Output, linked: LinkedSite) -> Inputs:
    people = linked.site.people.values()
    return {"config": linked.site.config, "people": tuple(Full("person", p.slug, p.record) for p in people),
            "links": _links(linked, [f"person:{p.slug}" for p in people])}


def _organizations_inputs(output: Output, linked: LinkedSite) -> Inputs:
    boards = linked.site.boards.values()
    return {"config": linked.site.config, "boards": tuple(Full("board", b.slug, b.record) for b in boards),
            "links": _links(linked, [f"board:{b.slug}" for b in boards])}


def _memberships_inputs(output: Output, linked: LinkedSite) -> Inputs:
    return {"config": linked.site.config, "boards": linked.board_index}


def _csv(linked: LinkedSite) -> list[Output]:
    return [Output(urls.data("decisions.csv"), "decisions-csv", about=Dataset(
        "Decisions register", "The decisions register for spreadsheets, one row per decision of the whole site, "
        "newest first, with the state of its minutes, call-in and the date it takes effect.",
        columns=DECISIONS_CSV_HEADER))]


def _csv_inputs(output: Output, linked: LinkedSite) -> Inputs:
    return {"config": linked.site.config, "boards": linked.board_index, "decisions": linked.decisions}


def _schemas(linked: LinkedSite) -> list[Output]:
    return [Output(urls.schema(name), "schema", (name,)) for name in SCHEMA_NAMES]


def _schema_inputs(output: Output, linked: LinkedSite) -> Inputs:
    (name,) = output.subject
    return {"schema": name, "content": hashlib.blake2b(_schema_file(name).read_bytes(), digest_size=16).hexdigest()}


def _json_maker(name: str, key: str, entries: Callable[[Inputs], list[dict[str, Any]]]) -> Callable[[Inputs, Converter], bytes]:
    return lambda inputs, converter: _json_file(inputs["config"], name, key, entries(inputs))


SCHEMA_NAMES = ("people", "organizations", "memberships", "events", "decisions", "index")

OPEN_DATA = (
    FileKind("people-data", _whole("people", "People", "Everyone with a page on this site: councillors, officers "
                                   "and others, with their roles, parties and wards (Popolo persons)."),
             _people_inputs, _json_maker("people", "persons", people)),
    FileKind("organizations-data", _whole("organizations", "Organisations", "The councils and their boards and "
                                          "committees, with each board's remit (Popolo organizations)."),
             _organizations_inputs, _json_maker("organizations", "organizations", organizations)),
    FileKind("memberships-data", _whole("memberships", "Memberships", "Who sits on each board, in which role, and "
                                        "from when to when (Popolo memberships)."),
             _memberships_inputs, _json_maker("memberships", "memberships", memberships)),
    FileKind("events-data", _pieces("events", "Meetings in {year}", "The meetings of the {board} in {year}, with "
                                    "their agendas, papers, attendance, declarations of interest and recordings "
                                    "(Open Civic Data events)."),
             _piece_inputs, _json_maker("events", "events", events)),
    FileKind("decisions-data", _pieces("decisions", "Decisions in {year}", "The decisions of the {board} in {year}, "
                                       "newest first, with their resolutions, reasons, votes, call-in and the state "
                                       "of their minutes."),
             _piece_inputs, _json_maker("decisions", "decisions", decisions)),
    FileKind("decisions-csv", _csv, _csv_inputs, make_decisions_csv),
    FileKind("schema", _schemas, _schema_inputs, make_schema),
)


def _index(linked: LinkedSite) -> list[Output]:
    return [Output(urls.data("index.json"), "data-index", about=Dataset(
        "Index of the open data", "Every file of open data on this site, with what it holds and its schema: the "
        "meetings and decisions are in a file for each board and year.", schema=urls.schema("index")))]


DATA_INDEX = FileKind("data-index", _index, lambda output, linked: {
    "config": linked.site.config,
    "files": listed_files((o for kind in OPEN_DATA for o in kind.outputs(linked)), {})}, make_index)
# Made once every other file is, since it gives their sizes.
DATA_PAGE = PageKind("data", "data.html", lambda linked: [Output(urls.open_data(), "data")],
                     lambda page, linked: {"config": linked.site.config, "boards": linked.board_index})


def listed_files(outputs: Iterable[Output], sizes: Mapping[str, int]) -> tuple[Listed, ...]:
    """Every file of open data, by address, with its size once written."""
    return tuple(Listed(output.url, output.about, sizes.get(output.url))
                 for output in sorted(outputs, key=lambda o: o.url) if output.about is not None)

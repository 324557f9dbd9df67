"""Open data: the whole record as files under /data/.

People, organisations (the councils and their boards) and memberships are shaped on Popolo;
meetings are Open Civic Data events, with their agendas, papers, participants and recordings;
decisions come as JSON and as a CSV register. Each JSON file has a JSON Schema, shipped in
generator/schemas/ and published beside the data. docs/open-data.md describes every field.

Every file is a pure function of the linked model: collections are in a fixed order, keys are
sorted and nothing reads the clock, so two builds give the same bytes. Of an exempt item
nothing beyond its reference, title and paragraph is written (the model holds nothing more).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zoneinfo
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from generator.plan import urls
from generator.source.fences import fenced_lines
from generator.model.link import LinkedSite, item_url
from generator.model.markup import XREF, without_repeated_words
from generator.model.records import (
    Attendee,
    Document,
    Item,
    Markdown,
    Media,
    Meeting,
    SiteConfig,
    Votes,
)
from generator.plan.outputs import DataFile, Dataset
from generator.model.times import meeting_end, meeting_start

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

def portable_markdown(linked: LinkedSite, text: Markdown | None) -> str | None:
    """The Markdown as written, with each [[cross-reference]] made an ordinary Markdown link to the
    absolute address of its target, so the text can be used away from the site. Runs of blank
    lines (left where a resolution or section was taken out of an item's text) become one."""
    if text is None:
        return None
    config = linked.site.config

    def link(match: re.Match[str]) -> str:
        own_text = (match.group(2) or "").strip()
        target = match.group(1).strip()
        found = linked.targets.get(target)
        if found is None:
            return own_text or target
        title = found.title
        if target.startswith("people/"):
            title = without_repeated_words(title, re.sub(r"[*_`]", "", match.string[:match.start()]))
        label = own_text or re.sub(r"([\[\]])", r"\\\1", title)
        return f"[{label}]({urls.absolute(config.base_url, found.url)})"

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

def people(linked: LinkedSite) -> list[dict[str, Any]]:
    config = linked.site.config
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
            "biography": portable_markdown(linked, person.biography),
            "url": urls.absolute(config.base_url, urls.person(person.slug)),
        }
        for person in sorted(linked.site.people.values(), key=lambda p: p.slug)
    ]


def organizations(linked: LinkedSite) -> list[dict[str, Any]]:
    config = linked.site.config
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
            "remit": portable_markdown(linked, board.remit),
            "url": urls.absolute(config.base_url, urls.board(board.slug)),
        }
        for board in linked.site.boards.values()
    ]
    return sorted(found, key=lambda o: o["id"])


def memberships(linked: LinkedSite) -> list[dict[str, Any]]:
    found = []
    for board in sorted(linked.site.boards.values(), key=lambda b: b.slug):
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

def events(linked: LinkedSite) -> list[dict[str, Any]]:
    return [event(linked, meeting) for meeting in linked.site.meetings]  # by date, board and slug


def event(linked: LinkedSite, meeting: Meeting) -> dict[str, Any]:
    site = linked.site
    config = site.config
    board = site.boards[meeting.board]
    participants = [{"entity_type": "organization", "id": board_id(board.slug), "name": board.name,
                     "note": "host", "role": None}]
    for note, attendees in (("present", meeting.present), ("substitute", meeting.substitutes),
                            ("apologies", meeting.apologies), ("in attendance", meeting.in_attendance)):
        participants += [_participant(linked, attendee, note) for attendee in attendees]
    return {
        "id": event_id(meeting),
        "name": linked.meeting_title(meeting),
        "title": meeting.title,
        "description": portable_markdown(linked, meeting.intro),
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
        "agenda": [_agenda_item(linked, meeting, item) for item in meeting.items],
        "documents": [_document(linked, meeting, document) for document in meeting.documents],
        "media": [_media(medium, None) for medium in meeting.media],
        "declarations": [
            {
                "person_id": person_id(declaration.person),
                "name": site.people[declaration.person].name,
                "item_id": meeting.item(declaration.item).id,
                "interest": declaration.interest,
                "note": declaration.note,
            }
            for declaration in meeting.declarations
        ],
        "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
    }


def _participant(linked: LinkedSite, attendee: Attendee, note: str) -> dict[str, Any]:
    if attendee.person:
        name, pid = linked.site.people[attendee.person].name, person_id(attendee.person)
    else:
        name, pid = attendee.name, None
    return {"entity_type": "person", "id": pid, "name": name, "note": note, "role": attendee.role}


def _agenda_item(linked: LinkedSite, meeting: Meeting, item: Item) -> dict[str, Any]:
    shared = {
        "order": str(item.number),
        "id": item.id,
        "reference": item.ref,
        "description": item.title,
        "url": urls.absolute(linked.site.config.base_url, item_url(meeting, item)),
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
    people = linked.site.people
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
        "notes": [portable_markdown(linked, part) for part in (item.text, item.resolution.text if item.resolution else None)
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


def _document(linked: LinkedSite, meeting: Meeting, document: Document) -> dict[str, Any]:
    config = linked.site.config
    if document.report:
        kind, url, mime = "report", urls.absolute(config.base_url, urls.report(meeting.board, meeting.slug, document.report)), "text/html"
    elif document.file:
        kind, url = "attachment", urls.absolute(config.base_url, urls.attachment(meeting.board, meeting.slug, document.file))
        mime = media_type(document.file) or "application/octet-stream"
    else:
        assert document.url is not None
        kind, url, mime = "link", document.url, media_type(document.url)
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

def decisions(linked: LinkedSite) -> list[dict[str, Any]]:
    """Every decision, newest first, as in the register on the site."""
    site = linked.site
    config = site.config
    found = []
    for meeting, item in linked.decisions:
        board = site.boards[meeting.board]
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
            "resolution": portable_markdown(linked, item.resolution.text),
            "minute": portable_markdown(linked, item.text),
            "reasons": portable_markdown(linked, item.reasons),
            "alternatives": portable_markdown(linked, item.alternatives),
            "implementation": portable_markdown(linked, item.implementation),
            "wards": list(item.wards),
            "call_in": {
                "deadline": item.call_in.deadline.isoformat() if item.call_in.deadline else None,
                "status": item.call_in.status,
            } if item.call_in else None,
            "effective_from": item.effective_from.isoformat() if item.effective_from else None,
            "votes": _votes(item.votes),
            "matter": item.matter,
            "minutes": meeting.minutes,
            "documents": [_document(linked, meeting, d) for d in meeting.documents_for(item)],
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

def _json_file(linked: LinkedSite, name: str, key: str, entries: list[dict[str, Any]]) -> bytes:
    config = linked.site.config
    document = {
        "$schema": urls.absolute(config.base_url, urls.schema(name)),
        "title": config.title,
        "url": config.base_url,
        "licence": config.licence,
        key: entries,
    }
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def make_people(linked: LinkedSite) -> bytes:
    return _json_file(linked, "people", "persons", people(linked))


def make_organizations(linked: LinkedSite) -> bytes:
    return _json_file(linked, "organizations", "organizations", organizations(linked))


def make_memberships(linked: LinkedSite) -> bytes:
    return _json_file(linked, "memberships", "memberships", memberships(linked))


def make_events(linked: LinkedSite) -> bytes:
    return _json_file(linked, "events", "events", events(linked))


def make_decisions(linked: LinkedSite) -> bytes:
    return _json_file(linked, "decisions", "decisions", decisions(linked))


def _spreadsheet_text(value: str) -> str:
    """Text a spreadsheet would run as a formula (starting =, +, -, @, tab or CR) gets a
    leading apostrophe, which spreadsheets hide, as OWASP advises against CSV injection."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def make_decisions_csv(linked: LinkedSite) -> bytes:
    """One row per decision, newest first: UTF-8, a header row, \\n line endings."""
    site = linked.site
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DECISIONS_CSV_HEADER)
    for meeting, item in linked.decisions:
        board = site.boards[meeting.board]
        writer.writerow([_spreadsheet_text(cell) for cell in (
            meeting.date.isoformat(),
            board.name,
            item.ref or "",
            item.title,
            "yes" if item.key_decision else "no",
            item.decision_maker or board.name,
            urls.absolute(site.config.base_url, item_url(meeting, item)),
            meeting.minutes,
            item.call_in.deadline.isoformat() if item.call_in and item.call_in.deadline else "",
            (item.call_in.status or "") if item.call_in else "",
            item.effective_from.isoformat() if item.effective_from else "",
        )])
    return buffer.getvalue().encode("utf-8")


def make_schema(linked: LinkedSite, name: str) -> bytes:
    """A shipped JSON Schema, published as it is."""
    return (SCHEMAS / f"{name}.schema.json").read_bytes()


JSON_FILES: dict[str, tuple[Callable[[LinkedSite], bytes], str, str]] = {
    "people": (make_people, "People", "Everyone with a page on this site: councillors, officers and others, "
               "with their roles, parties and wards (Popolo persons)."),
    "organizations": (make_organizations, "Organisations", "The councils and their boards and committees, "
                      "with each board's remit (Popolo organizations)."),
    "memberships": (make_memberships, "Memberships", "Who sits on each board, in which role, and from when to "
                    "when (Popolo memberships)."),
    "events": (make_events, "Meetings", "Every meeting, with its agenda, papers, attendance, declarations of "
               "interest and recordings (Open Civic Data events)."),
    "decisions": (make_decisions, "Decisions", "Every decision, newest first, with its resolution, reasons, "
                  "votes, call-in and the state of its minutes."),
}


def plan_open_data(linked: LinkedSite) -> list[DataFile]:
    files = [DataFile(urls.data(f"{name}.json"), make, about=Dataset(title, holds, schema=urls.schema(name)))
             for name, (make, title, holds) in JSON_FILES.items()]
    files.append(DataFile(urls.data("decisions.csv"), make_decisions_csv, about=Dataset(
        "Decisions register", "The decisions register for spreadsheets, one row per decision, newest first, "
        "with the state of its minutes, call-in and the date it takes effect.", columns=DECISIONS_CSV_HEADER)))
    files += [DataFile(urls.schema(name), make_schema, (name,)) for name in JSON_FILES]
    return files


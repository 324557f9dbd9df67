"""ModernGov's answers as records in the content format: boards, people and meetings.

Pure functions: what the web service said in, the text of files out (front matter lines and
body), with notes on anything the service does not say. Nothing here invents a fact: a value
the service does not give is left out, and said so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.importing.files import Source
from generator.importing.moderngov import AgendaItem, Attendee, Committee, MeetingDetail, document_url
from generator.importing.wordhtml import neutralise_resolutions, word_html_to_markdown
from generator.commands.scaffold import yaml_flow_text, yaml_text
from generator.plan.urls import slugify

HONORIFICS = ("County Councillor", "City Councillor", "Borough Councillor", "Councillor", "Cllr.", "Cllr",
              "Alderman", "Professor", "Prof.", "Dr.", "Dr", "Mrs.", "Mrs", "Mr.", "Mr", "Ms.", "Ms", "Miss",
              "Sir", "Dame", "Reverend", "Rev.", "Rev")
_COUNCILLOR = ("County Councillor", "City Councillor", "Borough Councillor", "Councillor", "Cllr.", "Cllr")
_KINDS = (("cabinet", "cabinet"), ("executive", "cabinet"), ("panel", "panel"), ("partnership", "partnership"),
          ("board", "board"), ("council", "council"))
_PLAIN_ROLES = {"", "member", "committee member", "board member", "panel member", "members", "voting member"}
# ModernGov's attendance values, by the word that decides them.
ATTENDANCE = (("substitute", "substitutes"), ("apolog", "apologies"), ("in attendance", "in_attendance"),
              ("present", "present"), ("expected", "expected"), ("absent", "absent"))


@dataclass(frozen=True)
class Record:
    rel: str
    front: list[str]
    body: str
    source: Source


@dataclass(frozen=True)
class Member:
    person: str
    role: str | None
    start: dt.date
    end: dt.date | None


@dataclass
class MeetingNotes:
    """What a meeting's import could not carry over, for the summary."""

    restricted_items: int = 0
    restricted_documents: int = 0
    unknown_paragraphs: list[str] = field(default_factory=list)  # headings of exempt items without one
    declarations: int = 0
    pdf_minutes: bool = False
    drafted: bool = False  # its minutes were imported, as a draft
    other: list[str] = field(default_factory=list)


# --- People and boards -----------------------------------------------------------------------------

def split_name(full: str) -> tuple[str | None, str]:
    """("Councillor", "Basil Curley") from "Councillor Basil Curley"."""
    text = " ".join(full.split())
    for honorific in HONORIFICS:
        if text.lower().startswith(honorific.lower() + " "):
            shown = "Councillor" if honorific in _COUNCILLOR else honorific.rstrip(".")
            return shown, text[len(honorific):].strip()
    return None, text


def person_record(rel: str, source: Source, full_name: str, party: str | None, ward: str | None,
                  councillor: bool) -> Record:
    honorific, name = split_name(full_name)
    front = ["# Imported from ModernGov. Importing again updates this file, unless it has been changed here.",
             f"name: {yaml_text(name)}"]
    if honorific:
        front.append(f"honorific: {yaml_text(honorific)}")
    if party:
        front.append(f"party: {yaml_text(party)}")
    if ward:
        front.append(f"ward: {yaml_text(ward)}")
    front.append(f"role: {'councillor' if councillor or honorific == 'Councillor' else 'other'}")
    return Record(rel, front, "", source)


def board_kind(title: str) -> str:
    words = title.lower()
    return next((kind for word, kind in _KINDS if re.search(rf"\b{word}\b", words)), "committee")


def board_record(rel: str, source: Source, committee: Committee, members: list[Member]) -> Record:
    front = ["# Imported from ModernGov. Importing again updates this file, unless it has been changed here.",
             "# The members are those the meetings' attendance lists expected, from the first to the last",
             "# meeting imported that lists them. The board's remit goes below the closing line.",
             f"name: {yaml_text(committee.title)}", f"kind: {board_kind(committee.title)}"]
    if members:
        front.append("members:")
        for member in members:
            front.append(f"  - person: {member.person}")
            if member.role:
                front.append(f"    role: {yaml_text(member.role)}")
            front.append(f"    from: {member.start.isoformat()}")
            if member.end:
                front.append(f"    to: {member.end.isoformat()}")
    return Record(rel, front, "", source)


def attendance_of(attendee: Attendee) -> str | None:
    """Where ModernGov's attendance value puts someone: a meeting's list, "expected" (invited:
    a member, not a sign of being there) or "absent"; None when it is not a value it uses."""
    value = attendee.attendance.lower()
    return next((where for word, where in ATTENDANCE if word in value), None)


def meeting_role(attendee: Attendee) -> str | None:
    return None if attendee.role.lower() in _PLAIN_ROLES else attendee.role


def memberships(meetings: list[tuple[dt.date, MeetingDetail]], people: Mapping[str, str]) -> list[Member]:
    """A board's members, from its meetings' attendance lists: everyone listed as a member
    (expected, present, absent or sending apologies), from the first meeting listing them, to
    the last one if a later meeting no longer does."""
    seen: dict[str, list[dt.date]] = {}
    roles: dict[str, str | None] = {}
    days = sorted({day for day, _ in meetings})
    for day, detail in sorted(meetings, key=lambda m: (m[0], m[1].id)):
        for attendee in detail.attendees:
            if attendance_of(attendee) in ("expected", "present", "absent", "apologies") and attendee.id in people:
                seen.setdefault(attendee.id, []).append(day)
                roles[attendee.id] = meeting_role(attendee)
    members = []
    for ident, dates in seen.items():
        last = max(dates)
        members.append(Member(people[ident], roles[ident], min(dates), last if last < days[-1] else None))
    return sorted(members, key=lambda m: (m.start, m.person))


# --- Meetings ------------------------------------------------------------------------------------

def meeting_status(detail: MeetingDetail, today: dt.date) -> str:
    status = detail.status.lower()
    if "cancel" in status or "abandon" in status:
        return "cancelled"
    if "postpone" in status or "defer" in status:
        return "postponed"
    return "held" if detail.date <= today else "scheduled"


def meeting_record(rel: str, source: Source, site: str, detail: MeetingDetail, people: Mapping[str, str],
                   today: dt.date, prefix: str | None = None,
                   files: Mapping[str, str] | None = None) -> tuple[Record, MeetingNotes]:
    """A meeting's file. `people` maps ModernGov ids to person slugs; `files` maps the
    addresses of papers that were downloaded to their names in the meeting's folder."""
    notes = MeetingNotes()
    status = meeting_status(detail, today)
    has_minutes = status == "held" and any(item.minutes_html for item in detail.items if not item.restricted)
    notes.pdf_minutes = status == "held" and detail.minutes_published and not has_minutes
    notes.drafted = has_minutes
    front = [f"# Imported from ModernGov ({site}/ieListDocuments.aspx?MId={detail.id}). Importing again",
             "# updates this file, unless it has been changed here.",
             f"date: {detail.date.isoformat()}"]
    if detail.start:
        front.append(f'start: "{detail.start}"')
    if detail.end and detail.start and detail.end >= detail.start:
        front.append(f'end: "{detail.end}"')
    if detail.location:
        front.append(f"venue: {yaml_text(detail.location)}")
    front.append(f"status: {status}")
    if has_minutes:
        front += ["# ModernGov does not say whether these minutes were approved: change draft to approved",
                  "# once they have been.", "minutes: draft"]
    front += _attendance(detail, people, notes)
    body, documents = _items(detail, site, prefix, has_minutes, notes, files or {})
    if documents:
        front.append("documents:")
        for title, where, item in documents:
            front.append(f"  - title: {yaml_text(title)}")
            front.append(f"    {where}")
            if item:
                front.append(f"    item: {yaml_text(item)}")
    return Record(rel, front, body, source), notes


def _attendance(detail: MeetingDetail, people: Mapping[str, str], notes: MeetingNotes) -> list[str]:
    lists: dict[str, list[str]] = {"present": [], "apologies": [], "substitutes": [], "in_attendance": []}
    listed = set()
    for attendee in detail.attendees:
        where = attendance_of(attendee)
        slug = people.get(attendee.id)
        if where not in lists or slug is None or slug in listed:
            if where is None:
                notes.other.append(f"attendance '{attendee.attendance}' of {attendee.name} is not one Minutes knows: not imported")
            continue
        listed.add(slug)
        role = meeting_role(attendee)
        lists[where].append(f"  - {{person: {slug}, role: {yaml_flow_text(role)}}}" if role else f"  - {slug}")
    lines = []
    for key, entries in lists.items():
        if entries:
            lines += [f"{key}:"] + entries
    return lines


def _items(detail: MeetingDetail, site: str, prefix: str | None, has_minutes: bool, notes: MeetingNotes,
           files: Mapping[str, str]) -> tuple[str, list[tuple[str, str, str | None]]]:
    blocks: list[str] = []
    documents: list[tuple[str, str, str | None]] = []
    refs: set[str] = set()
    ids: set[str] = set()
    for item in detail.items:
        ref, title = _reference(item, prefix), _title(item)
        if ref and ref in refs:
            notes.other.append(f"two items are numbered {ref}: the second, '{title}', is written without its number")
            ref = None
        if ref:
            refs.add(ref)
        item_id = slugify(ref or title)
        flags = []
        if item_id in ids:
            item_id = next(f"{item_id}-{n}" for n in range(2, 1000) if f"{item_id}-{n}" not in ids)
            flags.append(f"#{item_id}")
        ids.add(item_id)
        shown = f"{ref} {title}" if ref else (f"\\{title}" if _looks_numbered(title) else title)
        if item.restricted:
            notes.restricted_items += 1
            notes.restricted_documents += item.restricted_documents
            paragraph = f" paragraph={item.paragraph}" if item.paragraph else ""
            if not item.paragraph:
                notes.unknown_paragraphs.append(shown)
            blocks.append(f"## {shown} {{.exempt{paragraph}{''.join(' ' + f for f in flags)}}}")
            continue
        heading = f"## {shown}" + (f" {{{' '.join(flags)}}}" if flags else "")
        notes.restricted_documents += item.restricted_documents
        notes.declarations += item.declarations
        if has_minutes and item.minutes_html:
            text = word_html_to_markdown(item.minutes_html, site + "/")
        else:
            text = neutralise_resolutions(word_html_to_markdown(item.agenda_html or "", site + "/"))
        blocks.append(heading + ("\n\n" + text.rstrip("\n") if text.strip() else ""))
        seen = set()
        for doc in item.documents:
            url = document_url(site, doc.url)
            if url is None:
                notes.other.append(f"the paper '{doc.title}' of item '{title}' has no web address: not linked")
                continue
            if url in seen:
                continue
            seen.add(url)
            where = f"file: {yaml_text(files[url])}" if url in files else f"url: {json.dumps(url)}"
            documents.append((doc.title, where, ref or item_id))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), documents


def _reference(item: AgendaItem, prefix: str | None) -> str | None:
    number = "".join((item.number or "").split())
    if not number or not any(ch.isdigit() for ch in number) or not re.fullmatch(r"[A-Za-z0-9().\-/]+", number):
        return None
    if prefix and not number.startswith(prefix):
        number = prefix + number
    return number


def _title(item: AgendaItem) -> str:
    title = " ".join(item.title.split()).replace("{", "(").replace("}", ")")
    return title or "Untitled item"


def _looks_numbered(title: str) -> bool:
    return any(ch.isdigit() for ch in title.split(" ", 1)[0])

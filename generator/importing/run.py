"""`minutes import moderngov`: read a council's web service and write its boards, people and
meetings into a site, then say what was written, what was kept and what the service does not
hold.

Records are written as they are read, each file whole, so an import that is interrupted (or
stopped by a failing request) leaves a site that a second run completes. People come first,
then each board (without members, if it is new), then meeting by meeting; the boards'
members, which come from all their meetings, are written last.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator.clock import today
from generator.diagnostics import Diagnostics
from generator.source.frontmatter import Document
from generator.importing.files import Outcome, Source, Writer, unedited, write_bytes
from generator.importing.mapping import (
    MeetingNotes,
    Record,
    attendance_of,
    board_record,
    meeting_record,
    memberships,
    person_record,
    split_name,
)
from generator.importing.moderngov import Client, Committee, MeetingDetail, ServiceError, document_url
from generator.source.load import ATTACHMENT_TYPES, read_site
from generator.plan.urls import slugify

Progress = Callable[[int, int, str], None]
_TYPES = {"application/pdf": ".pdf", "application/msword": ".doc", "text/plain": ".txt", "text/csv": ".csv",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
          "application/vnd.ms-excel": ".xls", "application/vnd.ms-powerpoint": ".ppt",
          "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
          "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "application/rtf": ".rtf"}


class ImportProblem(Exception):
    """A mistake in what was asked for (an unknown committee), found by asking the service."""


@dataclass
class Summary:
    site: str
    committees: int = 0
    meetings: int = 0
    requests: int = 0
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    notes: MeetingNotes = field(default_factory=MeetingNotes)
    unknown_paragraphs: list[str] = field(default_factory=list)  # "file: heading"
    pdf_minutes: list[str] = field(default_factory=list)
    unrecorded_attendance: int = 0
    downloaded: int = 0
    drafts: int = 0  # meetings whose minutes were imported
    failed: ServiceError | None = None

    def lines(self) -> list[str]:
        """The summary for the clerk, most important first."""
        count = {kind: sorted(rel for rel, outcome in self.outcomes.items() if outcome == kind)
                 for kind in ("new", "updated", "unchanged", "edited", "not imported")}
        lines = [f"Read {_plural(self.meetings, 'meeting')} of {_plural(self.committees, 'committee')} from "
                 f"{self.site} in {_plural(self.requests, 'request')}: {len(count['new'])} files new, "
                 f"{len(count['updated'])} updated, {len(count['unchanged'])} unchanged"
                 + (f", {_plural(self.downloaded, 'paper')} downloaded" if self.downloaded else "") + "."]
        for rel in count["edited"]:
            lines.append(f"Kept as it is, because it has been changed since it was imported: {rel}")
        for rel in count["not imported"]:
            lines.append(f"Kept as it is, because it was not made by an import: {rel}")
        notes = self.notes
        if notes.restricted_items or notes.restricted_documents:
            lines.append(f"Restricted (exempt) papers: {_plural(notes.restricted_items, 'item')} written as headings only, "
                         f"{_plural(notes.restricted_documents, 'restricted paper')} left out. None of their text was "
                         "written anywhere.")
        for where in self.unknown_paragraphs:
            lines.append(f"{where}: ModernGov does not say under which paragraph of Schedule 12A this item was "
                         "exempt; write it as {.exempt paragraph=N} (minutes check reports it until you do).")
        lines.append("Not in ModernGov's web service, so not imported: votes, and declarations of interest"
                     + (f" ({_plural(notes.declarations, 'item')} record some: add them from the minutes)" if notes.declarations
                        else "") + ".")
        if self.pdf_minutes:
            lines.append(f"{_plural(len(self.pdf_minutes), 'meeting')} published minutes only as a document, so their "
                         "resolutions were not imported (the agenda's text is there instead): " + ", ".join(self.pdf_minutes))
        if self.unrecorded_attendance:
            lines.append(f"{_plural(self.unrecorded_attendance, 'held meeting')} list only who was expected, not who "
                         "attended: their attendance is left empty.")
        if self.drafts:
            lines.append(f"The minutes of {_plural(self.drafts, 'meeting')} were imported as draft: ModernGov does not "
                         "say whether they were approved.")
        lines += sorted(set(notes.other))
        if self.failed is not None:
            lines.append(f"The import stopped: the request {self.failed.request} failed: {self.failed.message}. "
                         "Everything read before it was written; run the same command again to go on.")
        return lines


def import_moderngov(root: Path, client: Client, *, committees: list[str], start: dt.date, end: dt.date,
                     download: bool = False, progress: Progress | None = None) -> Summary:
    """Import into the site at `root`; a request that fails for good ends the import early,
    with what was read written and the failure in the summary."""
    job = _Import(root, client, download, progress or (lambda done, total, label: None))
    try:
        job.run(committees, start, end)
    except ServiceError as err:
        job.summary.failed = err
    job.summary.requests = client.requests
    job.summary.outcomes = dict(sorted(job.writer.outcomes.items()))
    return job.summary


class _Import:
    def __init__(self, root: Path, client: Client, download: bool, progress: Progress) -> None:
        self.root = root
        self.client = client
        self.site = client.site
        self.download = download
        self.progress = progress
        self.writer = Writer.for_site(root)
        self.summary = Summary(self.site)
        raw = read_site(root, Diagnostics())
        zone = raw.config.data.get("timezone") if raw.config is not None else None
        self.today = today(zone if isinstance(zone, str) and _known_zone(zone) else "Europe/London")
        self.hand_people = {_name_key(str(doc.data.get("name", ""))): _slug(doc) for doc in raw.people
                            if "source" not in doc.data and isinstance(doc.data.get("name"), str)}
        self.hand_boards = {_name_key(str(doc.data.get("name", ""))): doc for doc in raw.boards
                            if "source" not in doc.data and isinstance(doc.data.get("name"), str)}
        self.taken = {PurePosixPath(rel).as_posix() for rel in raw.files}
        self.people: dict[str, str] = {}  # ModernGov user id -> person slug

    def run(self, wanted: list[str], start: dt.date, end: dt.date) -> None:
        listed = self.client.committees()
        by_id = {c.id: c for c in listed}
        unknown = [ident for ident in wanted if ident not in by_id]
        if unknown:
            raise ImportProblem(f"the service lists no committee {', '.join(unknown)}; its committees are: "
                                + "; ".join(f"{c.id} {c.title}" for c in listed))
        chosen = [by_id[ident] for ident in dict.fromkeys(wanted)] if wanted else listed
        for councillor in self.client.councillors():
            self._person(councillor.id, councillor.name, councillor.party, councillor.ward, True)
        boards = {committee.id: self._board(committee) for committee in chosen}
        schedule = [(committee, meeting) for committee in chosen
                    for meeting in self.client.meetings(committee.id, start, end)]
        self.summary.committees = len(chosen)
        held: dict[str, list[tuple[dt.date, MeetingDetail]]] = {committee.id: [] for committee in chosen}
        for done, (committee, summary) in enumerate(schedule):
            self.progress(done, len(schedule), f"{committee.title}, {summary.date.isoformat()}")
            detail = self.client.meeting(summary.id)
            held[committee.id].append((detail.date, detail))
            self._meeting(committee, boards[committee.id], detail)
            self.summary.meetings += 1
        self.progress(len(schedule), len(schedule), "")
        for committee in chosen:
            slug, prefix, imported = boards[committee.id]
            if imported:
                members = memberships(held[committee.id], self.people) if held[committee.id] else []
                self._write(board_record(f"content/boards/{slug}.md", self._source(committee.id), committee, members))

    # --- Records ---------------------------------------------------------------------------------

    def _person(self, ident: str, full_name: str, party: str | None, ward: str | None, councillor: bool) -> str:
        if ident in self.people:
            return self.people[ident]
        source = self._source(ident)
        found = self.writer.existing("people", source)
        _, name = split_name(full_name)
        if found is None and _name_key(name) in self.hand_people:
            slug = self.people[ident] = self.hand_people[_name_key(name)]
            return slug
        slug = PurePosixPath(found).stem if found else self._free(slugify(name), "content/people/{}.md")
        self.people[ident] = slug
        self._write(person_record(f"content/people/{slug}.md", source, full_name, party, ward, councillor))
        return slug

    def _board(self, committee: Committee) -> tuple[str, str | None, bool]:
        """The board's slug, its minute prefix and whether the import writes it."""
        source = self._source(committee.id)
        found = self.writer.existing("boards", source)
        if found is None and _name_key(committee.title) in self.hand_boards:
            doc = self.hand_boards[_name_key(committee.title)]
            prefix = doc.data.get("minute_prefix")
            return _slug(doc), prefix if isinstance(prefix, str) else None, False
        slug = PurePosixPath(found).stem if found else self._free(slugify(committee.title), "content/boards/{}.md")
        record = board_record(f"content/boards/{slug}.md", source, committee, [])
        self.writer.write(record.rel, record.front, record.body, source, create_only=True)
        return slug, None, True

    def _meeting(self, committee: Committee, board: tuple[str, str | None, bool], detail: MeetingDetail) -> None:
        slug, prefix, _ = board
        for attendee in detail.attendees:
            if attendance_of(attendee) is not None:
                self._person(attendee.id, attendee.name, None, attendee.ward, False)
        source = self._source(detail.id)
        found = self.writer.existing("meetings", source)
        if found is not None and not unedited((self.root / found).read_text(encoding="utf-8")):
            self.writer.outcomes[found] = "edited"
            return
        if found:
            name = PurePosixPath(found).parent.name if found.endswith("/index.md") else PurePosixPath(found).stem
        else:
            name = self._free_meeting(slug, detail.date.isoformat())
        bundle = self.download or bool(found and found.endswith("/index.md"))
        rel = f"content/meetings/{slug}/{name}/index.md" if bundle else f"content/meetings/{slug}/{name}.md"
        files = self._papers(detail, rel) if self.download else {}
        record, notes = meeting_record(rel, source, self.site, detail, self.people, self.today, prefix, files)
        self._write(record)
        self._gather(notes, rel, detail)

    def _papers(self, detail: MeetingDetail, rel: str) -> dict[str, str]:
        """Download the meeting's public papers into its folder: address -> file name."""
        folder = self.root / PurePosixPath(rel).parent
        names: dict[str, str] = {}
        used: set[str] = set()
        for item in detail.items:
            for doc in item.documents:  # restricted papers were never read
                url = document_url(self.site, doc.url)
                if url is None or url in names:
                    continue
                if urlsplit(url).netloc != urlsplit(self.site).netloc:  # the server may not send us elsewhere
                    self.summary.notes.other.append(f"the paper at {url} is on another site: linked, not downloaded")
                    continue
                paper = self.client.download(url)
                extension = _extension(paper.content_type, paper.filename, url)
                if extension not in ATTACHMENT_TYPES:
                    self.summary.notes.other.append(f"the paper at {url} is of a type Minutes does not publish "
                                                    f"({paper.content_type}): linked, not downloaded")
                    continue
                stem = slugify(doc.title, limit=60)
                name = next(n for k in range(1, 1000) if (n := stem + (f"-{k}" if k > 1 else "") + extension) not in used)
                used.add(name)
                target = folder / name
                if not target.exists() or target.read_bytes() != paper.data:
                    write_bytes(target, paper.data)
                    self.summary.downloaded += 1
                names[url] = name
        return names

    def _gather(self, notes: MeetingNotes, rel: str, detail: MeetingDetail) -> None:
        total = self.summary.notes
        total.restricted_items += notes.restricted_items
        total.restricted_documents += notes.restricted_documents
        total.declarations += notes.declarations
        total.other += notes.other
        self.summary.unknown_paragraphs += [f"{rel}: {heading}" for heading in notes.unknown_paragraphs]
        if notes.pdf_minutes:
            self.summary.pdf_minutes.append(rel)
        if notes.drafted:
            self.summary.drafts += 1
        statuses = {attendance_of(a) for a in detail.attendees}
        if detail.date <= self.today and detail.attendees and statuses <= {"expected"} and "cancel" not in detail.status.lower():
            self.summary.unrecorded_attendance += 1

    # --- Helpers -----------------------------------------------------------------------------------

    def _write(self, record: Record) -> None:
        self.writer.write(record.rel, record.front, record.body, record.source)
        self.taken.add(record.rel)

    def _source(self, ident: str) -> Source:
        return Source("moderngov", self.site, ident)

    def _free(self, slug: str, pattern: str) -> str:
        for n in range(1, 10000):
            candidate = slug if n == 1 else f"{slug}-{n}"
            if pattern.format(candidate) not in self.taken and not (self.root / pattern.format(candidate)).exists():
                self.taken.add(pattern.format(candidate))
                return candidate
        raise AssertionError("no free name")  # pragma: no cover

    def _free_meeting(self, board: str, day: str) -> str:
        for n in range(1, 1000):
            name = day if n == 1 else f"{day}-{n}"
            single, bundle = f"content/meetings/{board}/{name}.md", f"content/meetings/{board}/{name}/index.md"
            if not ({single, bundle} & self.taken) and not (self.root / single).exists() \
                    and not (self.root / bundle).exists():
                self.taken.update((single, bundle))
                return name
        raise AssertionError("no free name")  # pragma: no cover


def _known_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _extension(content_type: str, filename: str | None, url: str) -> str:
    for candidate in (filename or "", urlsplit(url).path):
        suffix = PurePosixPath(candidate).suffix.lower()
        if suffix in ATTACHMENT_TYPES:
            return suffix
    return _TYPES.get(content_type) or mimetypes.guess_extension(content_type) or ""


def _name_key(name: str) -> str:
    return re.sub(r"\s+", " ", split_name(name)[1]).casefold()


def _slug(doc: Document) -> str:
    return PurePosixPath(doc.rel).stem


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"

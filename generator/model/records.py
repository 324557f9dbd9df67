"""The published record as plain immutable values: what the validate stage produces.

Each record comes twice. In full (a frozen dataclass: `Person`, `Board`, `Meeting`, `Report`)
for its own pages and its open data; and as a summary (a `NamedTuple`: `MeetingSummary` and
the rest) for every other page that names it: lists, registers, calendars, other records'
pages. A page that shows only summaries does not depend on a record's text, so editing the
minutes of a meeting does not make every list that names the meeting be rendered again. Both
carry a digest: a full record's is its source files' (`record`), a summary's its own values'.

Summaries, and the small values inside them, are NamedTuples rather than dataclasses because
every build holds the summary of every record: made from the build cache, a large council's
tens of thousands of them take a tenth of the time frozen dataclasses take to construct.
Mappings inside these values are never mutated after validation.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from typing import Literal, Mapping, NamedTuple

BOARD_KINDS = ("committee", "board", "cabinet", "panel", "partnership", "council", "individual")
PERSON_ROLES = ("councillor", "officer", "other")
MeetingStatus = Literal["scheduled", "held", "cancelled", "postponed"]
MinutesStatus = Literal["none", "draft", "approved"]


@dataclass(frozen=True)
class Markdown:
    """A piece of Markdown and where it starts, so problems in it can be located."""

    text: str
    path: str
    line: int


class Alias(NamedTuple):
    """An old address of a record (`aliases:` in its front matter), which sends readers on to its
    page; `line` and `column` are where it is written, for messages."""

    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Contact:
    """Whom readers contact about the site's accessibility: a name, with an email address or a
    telephone number or both."""

    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class SiteConfig:
    title: str
    organisation: str
    organisations: Mapping[str, str]
    base_url: str
    language: str
    timezone: str
    contact: str | None
    licence: str | None
    accessibility_reviewed: dt.date | None = None
    accessibility_contact: Contact | None = None

    @functools.cached_property
    def digest(self) -> str:
        """Its values' digest: nearly every page reads the configuration, and this is quicker to
        digest than its values one by one."""
        return hashlib.blake2b(repr(self).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    honorific: str | None
    party: str | None
    ward: str | None
    role: str
    position: str | None
    organisation: str
    biography: Markdown | None
    path: str
    aliases: tuple[Alias, ...] = ()
    record: str = ""  # the digest of what the record is made from

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name


class Membership(NamedTuple):
    person: str
    role: str
    start: dt.date | None
    end: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Board:
    slug: str
    name: str
    kind: str
    organisation: str
    minute_prefix: str | None
    parent: str | None
    venue: str | None
    start: str | None
    contact: str | None
    members: tuple[Membership, ...]
    remit: Markdown | None
    path: str
    aliases: tuple[Alias, ...] = ()
    record: str = ""


class Attendee(NamedTuple):
    """Someone at a meeting: a person with a page (`person`) or just a name."""

    person: str | None
    name: str | None
    role: str | None


class Declaration(NamedTuple):
    person: str
    item: str
    interest: str
    note: str | None


@dataclass(frozen=True)
class Document:
    title: str
    file: str | None
    url: str | None
    item: str | None
    report: str | None = None  # slug of the report page when `file` is Markdown


@dataclass(frozen=True)
class Media:
    """A recording of the meeting (a webcast or audio)."""

    title: str
    url: str
    kind: str  # video or audio


@dataclass(frozen=True)
class Votes:
    in_favour: int | tuple[str, ...] | None
    against: int | tuple[str, ...] | None
    abstain: int | tuple[str, ...] | None


class CallIn(NamedTuple):
    deadline: dt.date | None
    status: str | None


@dataclass(frozen=True)
class Resolution:
    kind: str  # RESOLVED, RECOMMENDED or AGREED
    text: Markdown


@dataclass(frozen=True)
class Item:
    """An agenda item; with a resolution it is a decision."""

    ref: str | None
    id: str
    title: str
    number: int
    key_decision: bool
    exempt_paragraph: int | None
    text: Markdown | None
    resolution: Resolution | None
    reasons: Markdown | None
    alternatives: Markdown | None
    implementation: Markdown | None
    wards: tuple[str, ...] = ()
    decision_maker: str | None = None
    call_in: CallIn | None = None
    effective_from: dt.date | None = None
    votes: Votes | None = None
    matter: str | None = None
    media_offset: int | None = None  # seconds from the start of the meeting's first recording
    line: int = 1
    aliases: tuple[Alias, ...] = ()

    @property
    def is_decision(self) -> bool:
        return self.resolution is not None

    @property
    def is_exempt(self) -> bool:
        return self.exempt_paragraph is not None

    @property
    def label(self) -> str:
        return f"{self.ref} {self.title}" if self.ref else self.title


@dataclass(frozen=True)
class Meeting:
    board: str
    slug: str
    date: dt.date
    title: str | None
    start: str | None
    end: str | None
    venue: str | None
    status: MeetingStatus
    minutes: MinutesStatus
    present: tuple[Attendee, ...]
    apologies: tuple[Attendee, ...]
    substitutes: tuple[Attendee, ...]
    in_attendance: tuple[Attendee, ...]
    declarations: tuple[Declaration, ...]
    documents: tuple[Document, ...]
    items: tuple[Item, ...]
    intro: Markdown | None
    media: tuple[Media, ...]
    path: str
    folder: str | None  # the bundle folder (relative to the site) holding attachments
    approved: dt.date | None = None  # when draft minutes were approved, as the clerk records it
    corrected: dt.date | None = None  # when published minutes were last corrected
    status_line: int = 1  # where the status is written, for messages
    aliases: tuple[Alias, ...] = ()
    record: str = ""

    @property
    def key(self) -> str:
        return f"{self.board}/{self.slug}"

    def item(self, ref_or_id: str) -> Item | None:
        return next((i for i in self.items if i.ref == ref_or_id or i.id == ref_or_id), None)

    def documents_for(self, item: Item) -> list[Document]:
        return [d for d in self.documents if d.item == item.id]

    @property
    def changed(self) -> dt.date:
        """The day the published record last changed: held, approved or corrected."""
        return max(day for day in (self.date, self.approved, self.corrected) if day is not None)


@dataclass(frozen=True)
class Report:
    """An officers' report written in Markdown, published as a page of its own."""

    board: str
    meeting: str
    slug: str
    title: str
    item: str | None
    author: str | None
    portfolio: str | None
    wards: tuple[str, ...]
    date: dt.date | None
    body: Markdown
    path: str
    aliases: tuple[Alias, ...] = ()
    record: str = ""

    @property
    def meeting_key(self) -> str:
        return f"{self.board}/{self.meeting}"


class CrossReference(NamedTuple):
    """A [[target]] written in a record's text: where, and in which record's part (`source`:
    ("person", slug), ("board", slug), ("meeting", key), ("item", meeting key, item id) or
    ("report", meeting key, slug)), so the link stage can list it on the target's page."""

    target: str
    path: str
    line: int
    column: int
    source: tuple[str, ...]


class Reference(NamedTuple):
    """A person or board named in a record's file, or an item reference that must start with its
    board's prefix: checked once every record is read (model/validate/references.py)."""

    what: str  # "person", "board", "prefix", or "voter": a person who, if there is one, is in error
    slug: str  # the person or board (for "prefix", the meeting's board)
    path: str
    line: int
    column: int
    hint: str = ""  # for "prefix": the item's reference
    message: str = ""  # for "voter": what is wrong, when the person does exist


# --- Summaries ----------------------------------------------------------------------------------


class PersonSummary(NamedTuple):
    """A person as other pages name them."""

    slug: str
    name: str
    honorific: str | None
    party: str | None
    ward: str | None
    role: str
    position: str | None
    organisation: str
    path: str
    aliases: tuple[Alias, ...]
    record: str  # the digest of the full record
    digest: str  # the digest of this summary

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name


class BoardSummary(NamedTuple):
    """A board as other pages name it, with its members (the link stage reads them)."""

    slug: str
    name: str
    kind: str
    organisation: str
    minute_prefix: str | None
    parent: str | None
    venue: str | None
    start: str | None
    contact: str | None
    members: tuple[Membership, ...]
    path: str
    aliases: tuple[Alias, ...]
    record: str
    digest: str


class ItemSummary(NamedTuple):
    """An agenda item as registers, the forward plan and other records' pages show it."""

    ref: str | None
    id: str
    title: str
    number: int
    key_decision: bool
    exempt_paragraph: int | None
    is_decision: bool
    wards: tuple[str, ...]
    decision_maker: str | None
    call_in: CallIn | None
    effective_from: dt.date | None
    matter: str | None
    voters: tuple[str, ...]  # the people named in its recorded votes
    line: int
    aliases: tuple[Alias, ...]
    digest: str

    @property
    def is_exempt(self) -> bool:
        return self.exempt_paragraph is not None

    @property
    def label(self) -> str:
        return f"{self.ref} {self.title}" if self.ref else self.title


class MeetingSummary(NamedTuple):
    """A meeting as lists, calendars and other records' pages show it: everything but its text,
    documents and recordings."""

    board: str
    slug: str
    date: dt.date
    title: str | None
    start: str | None
    end: str | None
    venue: str | None
    status: MeetingStatus
    minutes: MinutesStatus
    approved: dt.date | None
    corrected: dt.date | None
    present: tuple[Attendee, ...]
    apologies: tuple[Attendee, ...]
    substitutes: tuple[Attendee, ...]
    in_attendance: tuple[Attendee, ...]
    declarations: tuple[Declaration, ...]
    items: tuple[ItemSummary, ...]
    attachments: tuple[str, ...]  # the files in its folder that its documents list, published with it
    path: str
    folder: str | None
    status_line: int
    aliases: tuple[Alias, ...]
    record: str
    digest: str

    @property
    def key(self) -> str:
        return f"{self.board}/{self.slug}"

    def item(self, ref_or_id: str) -> ItemSummary | None:
        return next((i for i in self.items if i.ref == ref_or_id or i.id == ref_or_id), None)

    @property
    def changed(self) -> dt.date:
        """The day the published record last changed: held, approved or corrected."""
        return max(day for day in (self.date, self.approved, self.corrected) if day is not None)


class ReportSummary(NamedTuple):
    """An officers' report as its meeting's pages and other records' pages name it."""

    board: str
    meeting: str
    slug: str
    title: str
    item: str | None
    author: str | None
    date: dt.date | None
    path: str
    aliases: tuple[Alias, ...]
    record: str
    digest: str

    @property
    def meeting_key(self) -> str:
        return f"{self.board}/{self.meeting}"

"""Each record validated on its own, from its own files.

A unit is what one record is made from: site.yaml, a person's file, a board's file, or a
meeting's file with its folder's reports and attachments. Validating a unit reads nothing else,
so its result depends only on its files (and on site.yaml and the version of Minutes, which
every unit's digest takes in): the build cache keeps it, and a build validates again only the
units whose files changed. What a unit names in other records (people, boards, the board's
minute prefix, [[cross-references]]) is collected here and checked across records afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Diagnostics, Position
from generator.model import encoding
from generator.model.markup import Converter, find_xrefs, fragment_digest
from generator.model.records import (
    Board,
    CrossReference,
    Markdown,
    Meeting,
    Person,
    Reference,
    Report,
    SiteConfig,
)
from generator.model.summaries import summarise_board, summarise_meeting, summarise_person, summarise_report
from generator.model.validate.boards import validate_board
from generator.model.validate.common import References
from generator.model.validate.config import validate_config
from generator.model.validate.markdown import site_links
from generator.model.validate.meetings import validate_meeting
from generator.model.validate.people import validate_person
from generator.model.validate.reports import check_report, report_slug, validate_report
from generator.source.load import MeetingFiles, read_config, read_document


@dataclass(frozen=True)
class Unit:
    """One record, validated on its own: its summaries (none when its files have errors), the
    problems found in its files, and what it names in other records. Every build needs this of
    every record; the records in full (`Validated.records()`) only for the pages being rendered."""

    key: str  # "config", "person:<slug>", "board:<slug>" or "meeting:<board>/<name>"
    digest: str  # of its files, site.yaml and Minutes' version: when it changes, the unit is validated again
    valid: bool
    diagnostics: tuple[Diagnostic, ...]
    references: tuple[Reference, ...]
    xrefs: tuple[CrossReference, ...]
    site_links: tuple[CrossReference, ...]  # links written as a path on this site ("/boards/...")
    summaries: tuple[Any, ...]  # the records' summaries, in the same order as the records
    fragments: tuple[str, ...]  # digests of its texts, whose HTML the build cache keeps


@dataclass(frozen=True)
class Validated:
    """A unit with its records in full, held as the build cache keeps them (model/encoding.py):
    a build holds thousands, and as text they are a fraction of the size they are as objects, and
    are not copied into every process that renders from them."""

    unit: Unit
    encoded: str  # SiteConfig; Person; Board; or Meeting and its Reports; none when invalid
    head: str  # the unit, as the build cache keeps it: made where the unit was validated

    def records(self) -> tuple[Any, ...]:
        """The records, read again at each call (a RecordStore keeps the last few read)."""
        records: tuple[Any, ...] = encoding.loads(self.encoded)
        return records


def head(unit: Unit) -> str:
    """What the build cache keeps of a unit for every build to read."""
    return encoding.dumps((unit.valid, unit.diagnostics, unit.references, unit.xrefs, unit.site_links,
                           unit.summaries, unit.fragments))


def read_head(key: str, digest: str, text: str) -> Unit:
    valid, diagnostics, references, xrefs, site_links, summaries, fragments = encoding.loads(text)
    return Unit(key, digest, valid, diagnostics, references, xrefs, site_links, summaries, fragments)


def unit_digest(kind: str, files: Mapping[str, str], extra: str, context: str) -> str:
    """The digest of a unit: its kind, its files' digests, anything else it is made from
    (`extra`: a meeting folder's attachments) and `context` (site.yaml and Minutes' version)."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{kind}\0{context}\0{extra}\0".encode())
    for rel, digest in sorted(files.items()):
        hasher.update(f"{rel}={digest}\0".encode())
    return hasher.hexdigest()


def validate_config_unit(root: Path, digest: str) -> Validated:
    diagnostics = Diagnostics()
    doc = read_config(root, diagnostics)
    config = validate_config(doc, diagnostics) if doc else None
    records = (config,) if config else ()
    return _unit("config", digest, diagnostics, References(), records, records, Converter())


def validate_person_unit(root: Path, rel: str, config: SiteConfig, digest: str, converter: Converter) -> Validated:
    diagnostics = Diagnostics()
    doc = read_document(root, rel, diagnostics)
    person = validate_person(doc, config, diagnostics) if doc else None
    records = (replace(person, record=digest),) if person and not diagnostics.has_errors else ()
    return _unit(f"person:{rel.rsplit('/', 1)[-1][:-3]}", digest, diagnostics, References(), records,
                 tuple(summarise_person(p) for p in records), converter)


def validate_board_unit(root: Path, rel: str, config: SiteConfig, digest: str, converter: Converter) -> Validated:
    diagnostics = Diagnostics()
    refs = References()
    doc = read_document(root, rel, diagnostics)
    board = validate_board(doc, config, refs, diagnostics) if doc else None
    records = (replace(board, record=digest),) if board and not diagnostics.has_errors else ()
    return _unit(f"board:{rel.rsplit('/', 1)[-1][:-3]}", digest, diagnostics, refs, records,
                 tuple(summarise_board(b) for b in records), converter)


def validate_meeting_unit(root: Path, files: MeetingFiles, digest: str, converter: Converter) -> Validated:
    """A meeting with the reports in its folder, which are validated against it."""
    diagnostics = Diagnostics()
    refs = References()
    report_docs = [doc for rel in files.reports if (doc := read_document(root, rel, diagnostics))]
    report_values = {doc.rel: check_report(doc, diagnostics) for doc in report_docs}
    titles = {report_slug(rel): report_slug(rel) for rel in files.reports}  # unreadable ones by their slug
    titles.update({report_slug(doc.rel): values["title"] for doc in report_docs
                   if (values := report_values[doc.rel]) is not None})
    doc = read_document(root, files.file, diagnostics)
    meeting = validate_meeting(doc, files, titles, refs, converter, diagnostics) if doc else None
    if meeting is not None:
        meeting = replace(meeting, record=digest)
    reports = []
    for report_doc in report_docs:
        values = report_values[report_doc.rel]
        if values is not None and (report := validate_report(report_doc, values, meeting, diagnostics)):
            reports.append(replace(report, record=digest))
    if meeting is not None:
        _warn_unlisted_attachments(files, meeting, diagnostics)
    records: tuple[Any, ...] = ()
    if meeting is not None and not diagnostics.has_errors:
        records = (meeting, *sorted(reports, key=lambda r: r.slug))
    summaries = tuple(summarise_meeting(r) if isinstance(r, Meeting) else summarise_report(r) for r in records)
    return _unit(f"meeting:{files.key}", digest, diagnostics, refs, records, summaries, converter)


def _unit(key: str, digest: str, diagnostics: Diagnostics, refs: References, records: tuple[Any, ...],
          summaries: tuple[Any, ...], converter: Converter) -> Validated:
    """The unit, with its texts converted (kept in the build cache, so pages need only look them
    up) and the cross-references written in them."""
    texts = list(_texts(records))
    for piece, _ in texts:
        converter.html(piece.text)
    xrefs = tuple(CrossReference(target.split("|", 1)[0].strip(), piece.path, piece.line + offset, column, source)
                  for piece, source in texts for target, offset, column in find_xrefs(piece.text))
    paths = tuple(CrossReference(target, piece.path, piece.line + offset, column, source)
                  for piece, source in texts for _, offset, column, target in site_links([piece]))
    unit = Unit(key, digest, bool(records), tuple(diagnostics.sorted()), tuple(refs.found), xrefs, paths, summaries,
                tuple(sorted({fragment_digest(piece.text) for piece, _ in texts})))
    return Validated(unit, encoding.dumps(records), head(unit))


def _texts(records: tuple[Any, ...]) -> Iterator[tuple[Markdown, tuple[str, ...]]]:
    """Every piece of Markdown in the records, with the part of the record it is in."""
    for record in records:
        if isinstance(record, Person) and record.biography:
            yield record.biography, ("person", record.slug)
        elif isinstance(record, Board) and record.remit:
            yield record.remit, ("board", record.slug)
        elif isinstance(record, Meeting):
            if record.intro:
                yield record.intro, ("meeting", record.key)
            for item in record.items:
                for part in (item.text, item.resolution.text if item.resolution else None,
                             item.reasons, item.alternatives, item.implementation):
                    if part:
                        yield part, ("item", record.key, item.id)
        elif isinstance(record, Report):
            yield record.body, ("report", record.meeting_key, record.slug)


def _warn_unlisted_attachments(files: MeetingFiles, meeting: Meeting, diagnostics: Diagnostics) -> None:
    listed = {d.file for d in meeting.documents if d.file}
    for name in files.attachments:
        if name not in listed:
            diagnostics.warning(f"{files.folder}/{name}", Position(1, 1),
                                "this file is not listed in its meeting's documents, so it is not published",
                                "add it under documents with a title, or remove it")

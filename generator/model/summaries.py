"""Summaries of records: what pages other than a record's own show of it (see records.py).

A summary's digest is made from its values, so a page that shows summaries is rendered again
only when one of them changes, not whenever a record's text does.
"""

from __future__ import annotations

from typing import Any, TypeVar

from generator.model import encoding
from generator.model.records import (
    Board,
    BoardSummary,
    Item,
    ItemSummary,
    Meeting,
    MeetingSummary,
    Person,
    PersonSummary,
    Report,
    ReportSummary,
)

Summary = TypeVar("Summary", PersonSummary, BoardSummary, MeetingSummary, ReportSummary)


def _summary(cls: type[Summary], record: str, *values: Any) -> Summary:
    """The summary of `values`, with the digest of its record and its own, made from its values
    alone: a change to the record that its summary does not show leaves the summary as it was."""
    return cls._make((*values, record, encoding.digest(values)))


def summarise_person(person: Person) -> PersonSummary:
    return _summary(PersonSummary, person.record, person.slug, person.name, person.honorific, person.party, person.ward,
                    person.role, person.position, person.organisation, person.path, person.aliases)


def summarise_board(board: Board) -> BoardSummary:
    return _summary(BoardSummary, board.record, board.slug, board.name, board.kind, board.organisation,
                    board.minute_prefix, board.parent, board.venue, board.start, board.contact, board.members,
                    board.path, board.aliases)


def summarise_item(item: Item) -> ItemSummary:
    values = (item.ref, item.id, item.title, item.number, item.key_decision, item.exempt_paragraph, item.is_decision,
              item.wards, item.decision_maker, item.call_in, item.effective_from, item.matter, _voters(item), item.line,
              item.aliases)
    return ItemSummary(*values, encoding.digest(values))


def summarise_meeting(meeting: Meeting) -> MeetingSummary:
    return _summary(MeetingSummary, meeting.record, meeting.board, meeting.slug, meeting.date, meeting.title,
                    meeting.start, meeting.end, meeting.venue, meeting.status, meeting.minutes, meeting.approved,
                    meeting.corrected, meeting.present, meeting.apologies, meeting.substitutes, meeting.in_attendance,
                    meeting.declarations, tuple(summarise_item(item) for item in meeting.items),
                    tuple(dict.fromkeys(d.file for d in meeting.documents if d.file and not d.report)) if meeting.folder else (),
                    meeting.path, meeting.folder, meeting.status_line, meeting.aliases)


def summarise_report(report: Report) -> ReportSummary:
    return _summary(ReportSummary, report.record, report.board, report.meeting, report.slug, report.title, report.item,
                    report.author, report.date, report.path, report.aliases)


def _voters(item: Item) -> tuple[str, ...]:
    votes = item.votes
    if votes is None:
        return ()
    return tuple(slug for side in (votes.in_favour, votes.against, votes.abstain) if isinstance(side, tuple)
                 for slug in side)

"""The validate stage: raw documents into the immutable model, with every problem reported."""

from __future__ import annotations

from generator.diagnostics import Diagnostics, Position
from generator.source.load import RawSite
from generator.model.records import Board, Meeting, Person, Report, Site
from generator.model.validate.boards import validate_board
from generator.model.validate.config import validate_config
from generator.model.validate.meetings import validate_meeting
from generator.model.validate.people import validate_person
from generator.model.validate.reports import check_report, reports_by_folder, validate_report


def validate_site(raw: RawSite, diagnostics: Diagnostics) -> Site | None:
    """Build the model; returns None when anything is wrong (every problem is in `diagnostics`)."""
    if raw.config is None:
        return None
    config = validate_config(raw.config, diagnostics)
    if config is None:
        return None
    # References are checked against the records whose files are there, so a mistake inside
    # one file is reported once, in that file, and not again wherever the record is named.
    person_slugs = {slug for (slug,) in raw.present_of("person")}
    board_slugs = {slug for (slug,) in raw.present_of("board")}
    people: dict[str, Person] = {}
    for doc in raw.people:
        if person := validate_person(doc, config, diagnostics):
            people[person.slug] = person
    boards: dict[str, Board] = {}
    for doc in raw.boards:
        if board := validate_board(doc, config, person_slugs, board_slugs, diagnostics):
            boards[board.slug] = board
    _check_board_cycles(boards, diagnostics)
    report_values = {source.doc.rel: check_report(source, diagnostics) for source in raw.reports}
    titles = reports_by_folder(raw.reports, report_values)
    for board_slug, meeting_name, slug in raw.present_of("report"):  # unreadable ones too, titled by their slug
        titles.setdefault((board_slug, meeting_name), {}).setdefault(slug, slug)
    meetings: dict[tuple[str, str], Meeting] = {}
    for source in raw.meetings:
        folder_titles = titles.get((source.board, source.name), {})
        files = raw.attachments.get(source.folder or "", ())
        if meeting := validate_meeting(source, boards, board_slugs, person_slugs, folder_titles, files, diagnostics):
            meetings[(meeting.board, meeting.slug)] = meeting
    reports: list[Report] = []
    meeting_keys = raw.present_of("meeting")
    for source in raw.reports:
        values = report_values[source.doc.rel]
        if (source.board, source.meeting) not in meeting_keys:
            diagnostics.error(source.doc.rel, Position(1, 1), "this report's folder has no index.md for its meeting",
                              "the meeting itself is written in index.md in the same folder")
        elif values is not None and (report := validate_report(source, values, meetings.get((source.board, source.meeting)), diagnostics)):
            reports.append(report)
    _warn_unlisted_attachments(raw, meetings, diagnostics)
    if diagnostics.has_errors:
        return None
    site = Site(
        config=config,
        people=dict(sorted(people.items())),
        boards=dict(sorted(boards.items())),
        meetings=tuple(sorted(meetings.values(), key=lambda m: (m.date, m.board, m.slug))),
        reports=tuple(sorted(reports, key=lambda r: (r.board, r.meeting, r.slug))),
    )
    return site


def _check_board_cycles(boards: dict[str, Board], diagnostics: Diagnostics) -> None:
    for board in boards.values():
        seen = [board.slug]
        parent = board.parent
        while parent and parent in boards:
            if parent in seen:
                diagnostics.error(board.path, Position(1, 1),
                                  "boards' parents go round in a circle: " + " → ".join(seen + [parent]))
                break
            seen.append(parent)
            parent = boards[parent].parent


def _warn_unlisted_attachments(raw: RawSite, meetings: dict[tuple[str, str], Meeting], diagnostics: Diagnostics) -> None:
    listed = {(m.folder, d.file) for m in meetings.values() for d in m.documents if d.file}
    checked = {m.folder for m in meetings.values()}
    for folder, names in raw.attachments.items():
        for name in names if folder in checked else ():
            if (folder, name) not in listed:
                diagnostics.warning(f"{folder}/{name}", Position(1, 1),
                                    "this file is not listed in its meeting's documents, so it is not published",
                                    "add it under documents with a title, or remove it")

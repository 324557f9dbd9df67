"""What records say of each other, checked once every record is read: the people and boards
they name exist, items' minute references start with their board's prefix, and boards' parents
do not go round in a circle.

A name is checked against the records whose file is there (SiteFiles.present), so a record whose
only problem is inside its own file (already reported) is not also called missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.diagnostics import Diagnostics, Position
from generator.model.records import BoardSummary
from generator.model.validate.common import report_unknown
from generator.model.validate.units import Unit
from generator.source.load import SiteFiles


def check_references(units: Iterable[Unit], files: SiteFiles, diagnostics: Diagnostics) -> None:
    units = list(units)
    people = {slug for (slug,) in files.present_of("person")}
    boards = {slug for (slug,) in files.present_of("board")}
    summaries = {s.slug: s for unit in units for s in unit.summaries if isinstance(s, BoardSummary)}
    for unit in units:
        for ref in unit.references:
            where = Position(ref.line, ref.column)
            if ref.what in ("person", "voter") and ref.slug not in people:
                report_unknown(ref.path, where, "person", ref.slug, people, diagnostics)
            elif ref.what == "voter":
                diagnostics.error(ref.path, where, ref.message, ref.hint)
            elif ref.what == "board" and ref.slug not in boards:
                report_unknown(ref.path, where, "board", ref.slug, boards, diagnostics, ref.hint)
            elif ref.what == "prefix" and (board := summaries.get(ref.slug)) and board.minute_prefix:
                _check_prefix(ref.path, where, ref.hint, board.minute_prefix, diagnostics)
    _check_board_cycles(summaries, diagnostics)


def _check_prefix(rel: str, where: Position, ref: str, prefix: str, diagnostics: Diagnostics) -> None:
    if ref.startswith(prefix):
        return
    meant = (prefix + ref if ref[:1].isdigit() else
             prefix + ref[len(prefix):] if ref.upper().startswith(prefix.upper()) else None)
    diagnostics.error(rel, where, f"the minute reference '{ref}' does not start with this board's prefix '{prefix}'",
                      f"did you mean '{meant}'?" if meant else "")


def _check_board_cycles(boards: dict[str, BoardSummary], diagnostics: Diagnostics) -> None:
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

"""Checks shared by the record validators."""

from __future__ import annotations

from collections.abc import Collection

from generator.diagnostics import Diagnostics, Position, did_you_mean
from generator.model.fields import Choice, ListOf, Record, SitePath, Text
from generator.source.frontmatter import Document, KeyPath
from generator.model.records import Alias, Reference

ALIASES = ListOf(SitePath(example="/boards/planning-committee/2020-01-14/"))


def aliases(doc: Document, path: KeyPath, values: tuple[str, ...]) -> tuple[Alias, ...]:
    """The cleaned `aliases` at `path`, each with the line it is written on."""
    positions = [doc.at(path + (index,)) for index in range(len(values))]
    return tuple(Alias(value, where.line, where.column) for value, where in zip(values, positions))

# Where an imported record came from (`minutes import`): found again by it, never published.
SOURCE = Record({"system": Choice(("moderngov",), what="a system records are imported from", required=True),
                 "site": Text(required=True), "id": Text(required=True), "digest": Text()},
                shape="{system: moderngov, site: ..., id: ..., digest: ...}, as written by minutes import")


def check_known(doc: Document, path: KeyPath, what: str, slug: str, known: Collection[str],
                diagnostics: Diagnostics) -> bool:
    """Report a slug that names no record, suggesting the closest one."""
    if slug in known:
        return True
    report_unknown(doc.rel, doc.at(path), what, slug, known, diagnostics)
    return False


def report_unknown(rel: str, where: Position, what: str, slug: str, known: Collection[str],
                   diagnostics: Diagnostics, hint: str = "") -> None:
    hint = did_you_mean(slug, known) or hint
    if not hint and what == "person":
        hint = "add a file content/people/%s.md, or write {name: ..., role: ...} for someone without a page" % slug
    elif not hint and what == "organisation":
        hint = "use one of the organisations listed in site.yaml: " + ", ".join(sorted(known))
    diagnostics.error(rel, where, f"there is no {what} '{slug}'", hint)


class References:
    """The references one record's file makes to others, collected while it is validated on its
    own; a record's validation can then be kept, and redone only when its own files change."""

    def __init__(self) -> None:
        self.found: list[Reference] = []

    def known(self, doc: Document, path: KeyPath, what: str, slug: str) -> bool:
        where = doc.at(path)
        self.found.append(Reference(what, slug, doc.rel, where.line, where.column))
        return True

    def voter(self, doc: Document, path: KeyPath, slug: str, message: str, hint: str) -> None:
        """A person named in a vote whom the meeting's attendance does not allow to have voted:
        an error about the vote if they have a page, else that there is no such person."""
        where = doc.at(path)
        self.found.append(Reference("voter", slug, doc.rel, where.line, where.column, hint, message))

    def board(self, rel: str, slug: str, hint: str) -> None:
        self.found.append(Reference("board", slug, rel, 1, 1, hint))

    def prefix(self, rel: str, board: str, ref: str, line: int) -> None:
        self.found.append(Reference("prefix", board, rel, line, 4, ref))

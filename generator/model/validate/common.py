"""Checks shared by the record validators."""

from __future__ import annotations

from collections.abc import Collection

from generator.diagnostics import Diagnostics, did_you_mean
from generator.model.fields import Choice, ListOf, Record, SitePath, Text
from generator.source.frontmatter import Document, KeyPath
from generator.model.records import Alias

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
    hint = did_you_mean(slug, known)
    if not hint and what == "person":
        hint = "add a file content/people/%s.md, or write {name: ..., role: ...} for someone without a page" % slug
    elif not hint and what == "organisation":
        hint = "use one of the organisations listed in site.yaml: " + ", ".join(sorted(known))
    diagnostics.error(doc.rel, doc.at(path), f"there is no {what} '{slug}'", hint)
    return False

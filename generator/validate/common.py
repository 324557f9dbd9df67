"""Checks shared by the record validators."""

from __future__ import annotations

from typing import Iterable

from generator.diagnostics import Diagnostics, did_you_mean
from generator.frontmatter import Document, KeyPath


def check_known(doc: Document, path: KeyPath, what: str, slug: str, known: Iterable[str],
                diagnostics: Diagnostics) -> bool:
    """Report a slug that names no record, suggesting the closest one."""
    choices = list(known)
    if slug in choices:
        return True
    hint = did_you_mean(slug, choices)
    if not hint and what == "person":
        hint = "add a file content/people/%s.md, or write {name: ..., role: ...} for someone without a page" % slug
    diagnostics.error(doc.rel, doc.at(path), f"there is no {what} '{slug}'", hint)
    return False

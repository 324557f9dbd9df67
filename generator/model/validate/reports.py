"""Officers' reports written in Markdown, kept in a meeting's folder and published as pages."""

from __future__ import annotations

from typing import Any

from generator.diagnostics import Diagnostics, Position, did_you_mean
from generator.model.fields import Date, ListOf, Schema, Text
from generator.source.frontmatter import Document
from generator.model.records import Markdown, Meeting, Report
from generator.model.validate.common import ALIASES, aliases
from generator.model.validate.people import body_markdown

SCHEMA = Schema({
    "title": Text(required=True),
    "item": Text(),
    "author": Text(),
    "portfolio": Text(),
    "wards": ListOf(Text()),
    "date": Date(),
    "aliases": ALIASES,
})


def check_report(doc: Document, diagnostics: Diagnostics) -> dict[str, Any] | None:
    """The report's front matter, checked before its meeting (which needs the title)."""
    before = diagnostics.error_count()
    values = SCHEMA.check(doc, diagnostics)
    return values if diagnostics.error_count() == before else None


def report_slug(rel: str) -> str:
    return rel.rsplit("/", 1)[-1][:-3]


def validate_report(doc: Document, values: dict[str, Any], meeting: Meeting | None,
                    diagnostics: Diagnostics) -> Report | None:
    """The report in its meeting's folder; None while its meeting has errors."""
    if meeting is None:
        return None
    slug = report_slug(doc.rel)
    if not any(d.report == slug for d in meeting.documents):
        diagnostics.error(doc.rel, Position(1, 1), "this report is not listed in its meeting's documents",
                          f"add '- {{file: {slug}.md, item: ...}}' under documents in {meeting.path}")
        return None
    item_id = None
    if values["item"] is not None:
        item = meeting.item(values["item"])
        if item is None:
            keys = [k for i in meeting.items for k in (i.ref, i.id) if k]
            diagnostics.error(doc.rel, doc.at(("item",)), f"there is no item '{values['item']}' in {meeting.path}",
                              did_you_mean(values["item"], keys))
            return None
        if item.is_exempt:
            diagnostics.error(doc.rel, doc.at(("item",)), f"this report belongs to the exempt item '{item.ref or item.title}'",
                              "exempt papers must not be published, nor committed to the content repository")
            return None
        item_id = item.id
    body = body_markdown(doc, diagnostics) or Markdown("", doc.rel, doc.body_line)
    return Report(
        board=meeting.board,
        meeting=meeting.slug,
        slug=slug,
        title=values["title"],
        item=item_id,
        author=values["author"],
        portfolio=values["portfolio"],
        wards=values["wards"],
        date=values["date"],
        body=body,
        path=doc.rel,
        aliases=aliases(doc, ("aliases",), values["aliases"]),
    )

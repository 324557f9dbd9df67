"""content/boards/<slug>.md: committees, boards, cabinets, panels and single decision-makers."""

from __future__ import annotations

from generator.diagnostics import Diagnostics
from generator.model.fields import Choice, Date, ListOf, Record, Schema, Slug, Text, Time
from generator.source.frontmatter import Document
from generator.model.records import BOARD_KINDS, Board, Membership, SiteConfig
from generator.model.validate.common import ALIASES, SOURCE, References, aliases, check_known
from generator.model.validate.people import body_markdown

MEMBER = Record({
    "person": Slug(what="a person's slug", example="mark-dennett", required=True),
    "role": Text(default="Member"),
    "from": Date(),
    "to": Date(),
}, shorthand="person", shape="a person's slug, or {person: ..., role: ..., from: ..., to: ...}")
SCHEMA = Schema({
    "name": Text(required=True),
    "kind": Choice(BOARD_KINDS, what="a kind of board", required=True),
    "organisation": Slug(what="an organisation slug", example="isle-of-wight"),
    "minute_prefix": Text(),
    "parent": Slug(what="a board's slug"),
    "venue": Text(),
    "start": Time(),
    "contact": Text(),
    "members": ListOf(MEMBER),
    "aliases": ALIASES,
    "source": SOURCE,
})


def validate_board(doc: Document, config: SiteConfig, refs: References, diagnostics: Diagnostics) -> Board | None:
    """Check one board file on its own; the people and boards it names go to `refs`."""
    before = diagnostics.error_count()
    values = SCHEMA.check(doc, diagnostics)
    slug = doc.rel.rsplit("/", 1)[-1][:-3]
    organisation = values["organisation"] or config.organisation
    check_known(doc, ("organisation",), "organisation", organisation, config.organisations, diagnostics)
    if values["parent"] == slug:
        diagnostics.error(doc.rel, doc.at(("parent",)), "a board cannot be its own parent")
    elif values["parent"]:
        refs.known(doc, ("parent",), "board", values["parent"])
    members = []
    for index, member in enumerate(values["members"]):
        refs.known(doc, ("members", index, "person"), "person", member["person"])
        if member["from"] and member["to"] and member["to"] < member["from"]:
            diagnostics.error(doc.rel, doc.at(("members", index, "to")), "the membership ends before it starts",
                              "check the 'from' and 'to' dates")
        members.append(Membership(member["person"], member["role"], member["from"], member["to"]))
    if diagnostics.error_count() > before:
        return None
    return Board(
        slug=slug,
        name=values["name"],
        kind=values["kind"],
        organisation=organisation,
        minute_prefix=values["minute_prefix"],
        parent=values["parent"],
        venue=values["venue"],
        start=values["start"],
        contact=values["contact"],
        members=tuple(members),
        remit=body_markdown(doc, diagnostics),
        path=doc.rel,
        aliases=aliases(doc, ("aliases",), values["aliases"]),
    )

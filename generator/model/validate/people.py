"""content/people/<slug>.md: councillors, officers and others who appear in the records."""

from __future__ import annotations

from generator.diagnostics import Diagnostics
from generator.model.fields import Choice, Schema, Slug, Text
from generator.source.frontmatter import Document
from generator.model.records import PERSON_ROLES, Markdown, Person, SiteConfig
from generator.model.validate.common import ALIASES, SOURCE, aliases, check_known
from generator.model.validate.markdown import check_markdown

SCHEMA = Schema({
    "name": Text(required=True),
    "honorific": Text(),
    "party": Text(),
    "ward": Text(),
    "role": Choice(PERSON_ROLES, what="a person's role", default="other"),
    "position": Text(),
    "organisation": Slug(what="an organisation slug", example="isle-of-wight"),
    "aliases": ALIASES,
    "source": SOURCE,
})


def validate_person(doc: Document, config: SiteConfig, diagnostics: Diagnostics) -> Person | None:
    before = diagnostics.error_count()
    values = SCHEMA.check(doc, diagnostics)
    organisation = values["organisation"] or config.organisation
    check_known(doc, ("organisation",), "organisation", organisation, config.organisations, diagnostics)
    if diagnostics.error_count() > before:
        return None
    return Person(
        slug=doc.rel.rsplit("/", 1)[-1][:-3],
        name=values["name"],
        honorific=values["honorific"],
        party=values["party"],
        ward=values["ward"],
        role=values["role"],
        position=values["position"],
        organisation=organisation,
        biography=body_markdown(doc, diagnostics),
        path=doc.rel,
        aliases=aliases(doc, ("aliases",), values["aliases"]),
    )


def body_markdown(doc: Document, diagnostics: Diagnostics) -> Markdown | None:
    """The text under the front matter, checked."""
    text = doc.body.strip("\n")
    if not text.strip():
        return None
    leading = len(doc.body) - len(doc.body.lstrip("\n"))
    piece = Markdown(text, doc.rel, doc.body_line + leading)
    check_markdown([piece], diagnostics)
    return piece

"""site.yaml: the site's title, organisations, address, language and time zone."""

from __future__ import annotations

import re
import zoneinfo

from generator.diagnostics import Diagnostics
from generator.diagnostics import did_you_mean
from generator.model.fields import SLUG, Date, Email, MapOf, Record, Schema, Slug, Text
from generator.source.frontmatter import Document
from generator.model.records import Contact, SiteConfig
from generator.plan.urls import slugify

SCHEMA = Schema({
    "title": Text(required=True),
    # A slug from organisations, or on a one-council site the council's name.
    "organisation": Text(required=True),
    "organisations": MapOf(Slug(what="an organisation slug", example="isle-of-wight"), Text(),
                           shape="'slug: full name' lines"),
    "base_url": Text(required=True),
    "language": Text(default="en-GB"),
    "timezone": Text(default="Europe/London"),
    "contact": Text(),
    "licence": Text(),
    "accessibility_reviewed": Date(),
    "accessibility_contact": Record({"name": Text(required=True), "email": Email(), "phone": Text()},
                                    make=Contact, shape="{name: ..., email: ..., phone: ...}"),
})
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def validate_config(doc: Document, diagnostics: Diagnostics) -> SiteConfig | None:
    before = diagnostics.error_count()
    values = SCHEMA.check(doc, diagnostics)
    base_url = values["base_url"] or ""
    if values["base_url"] and not re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        diagnostics.error(doc.rel, doc.at(("base_url",)), f"'{base_url}' is not an absolute web address",
                          "write the full address, such as https://democracy.example.gov.uk/records/")
    elif not base_url.endswith("/"):
        base_url += "/"
    organisation = values["organisation"]
    if organisation and not SLUG.match(organisation):
        if values["organisations"]:
            diagnostics.error(doc.rel, doc.at(("organisation",)), f"'{organisation}' is not an organisation slug",
                              did_you_mean(slugify(organisation), values["organisations"])
                              or "write one of the slugs listed under organisations: " + ", ".join(values["organisations"]))
            organisation = None
        else:  # one council, named: its slug is made from its name
            values["organisations"] = {slugify(organisation): organisation}
            organisation = slugify(organisation)
    organisations = values["organisations"] or {organisation: values["title"]}
    if organisation and organisation not in organisations:
        diagnostics.error(doc.rel, doc.at(("organisation",)),
                          f"the organisation '{organisation}' is not listed in organisations",
                          "add it under organisations, with its full name")
    if not _LANGUAGE.match(values["language"]):
        diagnostics.error(doc.rel, doc.at(("language",)), f"'{values['language']}' is not a language tag",
                          "write a tag such as en-GB or cy-GB")
    try:
        zoneinfo.ZoneInfo(values["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        diagnostics.error(doc.rel, doc.at(("timezone",)), f"'{values['timezone']}' is not a known time zone",
                          "write a zone such as Europe/London")
    if diagnostics.error_count() > before:
        return None
    return SiteConfig(
        title=values["title"],
        organisation=organisation,
        organisations=dict(sorted(organisations.items())),
        base_url=base_url,
        language=values["language"],
        timezone=values["timezone"],
        contact=values["contact"],
        licence=values["licence"],
        accessibility_reviewed=values["accessibility_reviewed"],
        accessibility_contact=values["accessibility_contact"],
    )

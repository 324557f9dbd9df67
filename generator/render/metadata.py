"""Machine-readable metadata of the pages (layouts/_metadata.html): OpenGraph values and
schema.org JSON-LD, built here as Python values so that no JSON is ever written by hand in a
template. Registered for templates in render.make_environment.
"""

from __future__ import annotations

import json
from typing import Any

import jinja2
from markupsafe import Markup

from generator.outputs import opendata

from generator.render import present

from generator.plan import urls
from generator.model.link import LinkedSite, item_url
from generator.model.records import Board, Item, Meeting, Person, Report
from generator.plan.outputs import Page

SCHEMA_ORG = "https://schema.org"
EVENT_STATUS = {"scheduled": "EventScheduled", "held": "EventScheduled", "cancelled": "EventCancelled",
                "postponed": "EventPostponed"}


def json_script(value: Any) -> Markup:
    """JSON for a <script> block: "<", ">" and "&" are written as \\u escapes, so no text in
    the value can close the script or open a comment, and the JSON means the same."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


@jinja2.pass_context
def page_title(context: jinja2.runtime.Context) -> str:
    """The page's own title, as its template's `title` block gives it (the site's title for the
    home page), as plain text."""
    page: Page = context["page"]
    if page.url == urls.home():
        return context["config"].title
    template = context.environment.get_template(page.template)
    block = template.blocks.get("title")
    if block is None:
        return context["config"].title
    rendered = Markup("".join(block(template.new_context(context.get_all(), shared=True))))
    return rendered.striptags() or context["config"].title


def og_type(page: Page) -> str:
    if "meeting" in page.context:
        return "article"  # a meeting, a decision or a report
    if "person" in page.context:
        return "profile"
    return "website"


def description(linked: LinkedSite, page: Page) -> str | None:
    """A sentence saying what the page holds, for previews of shared links; None where the
    title already says everything."""
    site = linked.site
    context = page.context
    meeting: Meeting | None = context.get("meeting")
    if meeting is not None:
        board = site.boards[meeting.board]
        report: Report | None = context.get("report")
        item = context.get("item")
        if report is not None:
            author = f" by the {report.author}" if report.author else ""
            return f"Report{author} to the {board.name}, {present.long_date(meeting.date)}."
        if item is not None:
            key = " A key decision." if item.key_decision else ""
            ref = f" {item.ref}" if item.ref else ""
            return f"Decision{ref} of the {board.name}, {present.long_date(meeting.date)}: {item.title}.{key}"
        return _meeting_sentence(board, meeting)
    board = context.get("board")
    if isinstance(board, Board):
        return f"Meetings, members and decisions of the {board.name}, {site.config.organisations[board.organisation]}."
    person = context.get("person")
    if isinstance(person, Person):
        about = ", ".join(part for part in (person.position, person.party, person.ward and f"{person.ward} ward") if part)
        return f"{person.display_name}{f' ({about})' if about else ''}: memberships, attendance at meetings and declared interests."
    if page.url == urls.home():
        names = list(site.config.organisations.values())
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Agendas, minutes and decisions of {joined}."
    return None


def _meeting_sentence(board: Board, meeting: Meeting) -> str:
    when = present.weekday_date(meeting.date)
    if meeting.start:
        when += f" at {present.clock_time(meeting.start)}"
    where = f", {meeting.venue}" if meeting.venue else ""
    if meeting.status in ("cancelled", "postponed"):
        return f"The meeting of the {board.name} on {when} was {meeting.status}."
    papers = {"none": "Agenda", "draft": "Draft minutes", "approved": "Minutes"}[meeting.minutes]
    held = "held on" if meeting.status == "held" else "on"
    return f"{papers} of the meeting of the {board.name} {held} {when}{where}."


def structured(linked: LinkedSite, page: Page, title: str) -> dict[str, Any] | None:
    """The page's schema.org JSON-LD, of the type that fits what it shows; None for pages that
    are only ways through the site (boards, calendars, matters)."""
    context = page.context
    meeting: Meeting | None = context.get("meeting")
    if meeting is not None:
        if "report" in context:
            return report(linked, context["report"], meeting)
        if "item" in context:
            return decision(linked, meeting, context["item"])
        return event(linked, meeting)
    board = context.get("board")
    if isinstance(board, Board) and page.url == urls.board(board.slug):
        return organization(linked, board)
    person = context.get("person")
    if isinstance(person, Person):
        return person_data(linked, person)
    if page.url == urls.home():
        return website(linked)
    if page.template in ("decisions.html", "people.html"):
        return collection(linked, page, title)
    if page.template == "data.html":
        return data_catalog(linked, page, title)
    return None


def website(linked: LinkedSite) -> dict[str, Any]:
    """The site, with its search: a search engine may offer a search box that leads to it."""
    config = linked.site.config
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": config.title,
        "url": config.base_url,
        "inLanguage": config.language,
        "publisher": _government(config.organisations[config.organisation]),
        "potentialAction": {"@type": "SearchAction", "target": urls.absolute(config.base_url, urls.search()) + "?q={query}",
                            "query-input": "required name=query"},
    }


def collection(linked: LinkedSite, page: Page, title: str) -> dict[str, Any]:
    """A page listing records (the decisions register, the people)."""
    config = linked.site.config
    return {
        "@context": SCHEMA_ORG,
        "@type": "CollectionPage",
        "name": title,
        "url": urls.absolute(config.base_url, page.url),
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
    }


def decision(linked: LinkedSite, meeting: Meeting, item: Item) -> dict[str, Any]:
    """A decision as the record of it: who took it, at which meeting, and whether the minutes
    that record it are still a draft."""
    config = linked.site.config
    board = linked.site.boards[meeting.board]
    return {
        "@context": SCHEMA_ORG,
        "@type": "CreativeWork",
        "name": item.label,
        "url": urls.absolute(config.base_url, item_url(meeting, item)),
        "datePublished": meeting.date.isoformat(),
        "creativeWorkStatus": "Draft" if meeting.minutes == "draft" else "Published",
        "author": _government(item.decision_maker) if item.decision_maker else _organization(linked, board),
        "publisher": _government(config.organisations[board.organisation]),
        "recordedAt": {"@type": "Event", "name": linked.meeting_title(meeting),
                       "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug))},
    }


def person_data(linked: LinkedSite, person: Person) -> dict[str, Any]:
    config = linked.site.config
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Person",
        "name": person.name,
        "url": urls.absolute(config.base_url, urls.person(person.slug)),
        "worksFor": _government(config.organisations[person.organisation]),
    }
    if person.honorific:
        data["honorificPrefix"] = person.honorific
    if person.position:
        data["jobTitle"] = person.position
    if person.party:
        data["affiliation"] = {"@type": "Organization", "name": person.party}
    return data


def report(linked: LinkedSite, paper: Report, meeting: Meeting) -> dict[str, Any]:
    config = linked.site.config
    board = linked.site.boards[meeting.board]
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Report",
        "name": paper.title,
        "url": urls.absolute(config.base_url, urls.report(paper.board, paper.meeting, paper.slug)),
        "datePublished": (paper.date or meeting.date).isoformat(),
        "publisher": _government(config.organisations[board.organisation]),
    }
    if paper.author:
        data["author"] = {"@type": "Person", "jobTitle": paper.author}
    return data


def data_catalog(linked: LinkedSite, page: Page, title: str) -> dict[str, Any]:
    """The open data files as a catalogue of datasets, each file a download."""
    config = linked.site.config
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "DataCatalog",
        "name": title,
        "url": urls.absolute(config.base_url, page.url),
        "publisher": _government(config.organisations[config.organisation]),
        "dataset": [
            {
                "@type": "Dataset",
                "name": entry.about.title,
                "description": entry.about.holds,
                "distribution": {
                    "@type": "DataDownload",
                    "contentUrl": urls.absolute(config.base_url, entry.url),
                    "encodingFormat": "text/csv" if entry.url.endswith(".csv") else "application/json",
                    **({"contentSize": f"{entry.size} B"} if entry.size is not None else {}),
                },
            }
            for entry in page.context["files"]
        ],
    }
    if config.licence:
        data["license"] = config.licence
    return data


def _government(name: str) -> dict[str, Any]:
    return {"@type": "GovernmentOrganization", "name": name}


def event(linked: LinkedSite, meeting: Meeting) -> dict[str, Any]:
    """A meeting as a schema.org Event."""
    config = linked.site.config
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "name": linked.meeting_title(meeting),
        "startDate": opendata.start_date(config, meeting),
        "eventStatus": f"{SCHEMA_ORG}/{EVENT_STATUS[meeting.status]}",
        "organizer": _organization(linked, linked.site.boards[meeting.board]),
        "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
    }
    end = opendata.end_date(config, meeting)
    if end:
        data["endDate"] = end
    if meeting.venue:
        data["location"] = {"@type": "Place", "name": meeting.venue, "address": meeting.venue}
    return data


def organization(linked: LinkedSite, board: Board) -> dict[str, Any]:
    """A board as a schema.org GovernmentOrganization."""
    return {"@context": SCHEMA_ORG} | _organization(linked, board)


def _organization(linked: LinkedSite, board: Board, seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    site = linked.site
    if board.parent and board.parent not in seen | {board.slug}:
        parent = _organization(linked, site.boards[board.parent], seen | {board.slug})
    else:
        parent = {"@type": "GovernmentOrganization", "name": site.config.organisations[board.organisation]}
    return {
        "@type": "GovernmentOrganization",
        "name": board.name,
        "url": urls.absolute(site.config.base_url, urls.board(board.slug)),
        "parentOrganization": parent,
    }

"""Machine-readable metadata of the pages (layouts/_metadata.html): OpenGraph values and
schema.org JSON-LD, built here as Python values so that no JSON is ever written by hand in a
template. Registered for templates in render.make_environment; each reads only the page's
template context, which is its declared inputs.
"""

from __future__ import annotations

from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from generator.model.link import item_url, meeting_title
from generator.model.records import Board, BoardSummary, Item, Meeting, MeetingSummary, Person, Report, SiteConfig
from generator.outputs import opendata
from generator.plan import urls
from generator.render import present

Context = Mapping[str, Any]
Boards = Mapping[str, BoardSummary]

SCHEMA_ORG = "https://schema.org"
EVENT_STATUS = {"scheduled": "EventScheduled", "held": "EventScheduled", "cancelled": "EventCancelled",
                "postponed": "EventPostponed"}


def json_script(value: Any) -> Markup:
    """JSON for a <script> block: "<", ">" and "&" are written as \\u escapes, so no text in
    the value can close the script or open a comment, and the JSON means the same."""
    text = opendata.json_text(value).decode("utf-8")
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


@jinja2.pass_context
def page_title(context: jinja2.runtime.Context) -> str:
    """The page's own title, as its template's `title` block gives it (the site's title for the
    home page), as plain text."""
    if context["kind"] == "home":
        return context["config"].title
    template = context.environment.get_template(context["template"])
    block = template.blocks.get("title")
    if block is None:
        return context["config"].title
    rendered = Markup("".join(block(template.new_context(context.get_all(), shared=True))))
    return rendered.striptags() or context["config"].title


def og_type(kind: str) -> str:
    if kind in ("meeting", "decision", "report"):
        return "article"
    if kind == "person":
        return "profile"
    return "website"


@jinja2.pass_context
def description(context: jinja2.runtime.Context) -> str | None:
    """A sentence saying what the page holds, for previews of shared links; None where the
    title already says everything."""
    kind = context["kind"]
    config: SiteConfig = context["config"]
    boards: Boards = context.get("boards", {})
    if kind == "report":
        report: Report = context["report"]
        meeting_summary: MeetingSummary = context["meeting"]
        author = f" by the {report.author}" if report.author else ""
        return f"Report{author} to the {boards[report.board].name}, {present.long_date(meeting_summary.date)}."
    if kind == "decision":
        meeting: Meeting = context["meeting"]
        item = meeting.item(context["item_id"])
        assert item is not None
        key = " A key decision." if item.key_decision else ""
        ref = f" {item.ref}" if item.ref else ""
        return f"Decision{ref} of the {boards[meeting.board].name}, {present.long_date(meeting.date)}: {item.title}.{key}"
    if kind == "meeting":
        return _meeting_sentence(boards[context["meeting"].board], context["meeting"])
    if kind == "board":
        board: Board = context["board"]
        return f"Meetings, members and decisions of the {board.name}, {config.organisations[board.organisation]}."
    if kind == "person":
        person: Person = context["person"]
        about = ", ".join(part for part in (person.position, person.party, person.ward and f"{person.ward} ward") if part)
        return f"{person.display_name}{f' ({about})' if about else ''}: memberships, attendance at meetings and declared interests."
    if kind == "home":
        names = list(config.organisations.values())
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"Agendas, minutes and decisions of {joined}."
    return None


def _meeting_sentence(board: BoardSummary, meeting: Meeting) -> str:
    when = present.weekday_date(meeting.date)
    if meeting.start:
        when += f" at {present.clock_time(meeting.start)}"
    where = f", {meeting.venue}" if meeting.venue else ""
    if meeting.status in ("cancelled", "postponed"):
        return f"The meeting of the {board.name} on {when} was {meeting.status}."
    papers = {"none": "Agenda", "draft": "Draft minutes", "approved": "Minutes"}[meeting.minutes]
    held = "held on" if meeting.status == "held" else "on"
    return f"{papers} of the meeting of the {board.name} {held} {when}{where}."


@jinja2.pass_context
def structured(context: jinja2.runtime.Context, title: str) -> dict[str, Any] | None:
    """The page's schema.org JSON-LD, of the type that fits what it shows; None for pages that
    are only ways through the site (boards, calendars, matters)."""
    kind = context["kind"]
    config: SiteConfig = context["config"]
    boards: Boards = context.get("boards", {})
    if kind == "report":
        return report(config, boards, context["report"], context["meeting"])
    if kind == "decision":
        meeting = context["meeting"]
        item = meeting.item(context["item_id"])
        assert item is not None
        return decision(config, boards, meeting, item)
    if kind == "meeting":
        return event(config, boards, context["meeting"])
    if kind == "board":
        return organization(config, boards, context["board"])
    if kind == "person":
        return person_data(config, context["person"])
    if kind == "home":
        return website(config)
    if kind in ("register", "people"):
        return collection(config, context["page"].url, title)
    if kind == "data":
        return data_catalog(config, context["page"].url, title, context["files"])
    return None


def website(config: SiteConfig) -> dict[str, Any]:
    """The site, with its search: a search engine may offer a search box that leads to it."""
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


def collection(config: SiteConfig, url: str, title: str) -> dict[str, Any]:
    """A page listing records (the decisions register, the people)."""
    return {
        "@context": SCHEMA_ORG,
        "@type": "CollectionPage",
        "name": title,
        "url": urls.absolute(config.base_url, url),
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url},
    }


def decision(config: SiteConfig, boards: Boards, meeting: Meeting, item: Item) -> dict[str, Any]:
    """A decision as the record of it: who took it, at which meeting, and whether the minutes
    that record it are still a draft."""
    board = boards[meeting.board]
    return {
        "@context": SCHEMA_ORG,
        "@type": "CreativeWork",
        "name": item.label,
        "url": urls.absolute(config.base_url, item_url(meeting, item)),
        "datePublished": meeting.date.isoformat(),
        "creativeWorkStatus": "Draft" if meeting.minutes == "draft" else "Published",
        "author": _government(item.decision_maker) if item.decision_maker else _organization(config, boards, board),
        "publisher": _government(config.organisations[board.organisation]),
        "recordedAt": {"@type": "Event", "name": meeting_title(meeting, boards),
                       "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug))},
    }


def person_data(config: SiteConfig, person: Person) -> dict[str, Any]:
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


def report(config: SiteConfig, boards: Boards, paper: Report, meeting: MeetingSummary) -> dict[str, Any]:
    board = boards[meeting.board]
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


def data_catalog(config: SiteConfig, url: str, title: str, files: Any) -> dict[str, Any]:
    """The open data files as a catalogue of datasets, each file a download."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "DataCatalog",
        "name": title,
        "url": urls.absolute(config.base_url, url),
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
            for entry in files
        ],
    }
    if config.licence:
        data["license"] = config.licence
    return data


def _government(name: str) -> dict[str, Any]:
    return {"@type": "GovernmentOrganization", "name": name}


def event(config: SiteConfig, boards: Boards, meeting: Meeting) -> dict[str, Any]:
    """A meeting as a schema.org Event."""
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "Event",
        "name": meeting_title(meeting, boards),
        "startDate": opendata.start_date(config, meeting),
        "eventStatus": f"{SCHEMA_ORG}/{EVENT_STATUS[meeting.status]}",
        "organizer": _organization(config, boards, boards[meeting.board]),
        "url": urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
    }
    end = opendata.end_date(config, meeting)
    if end:
        data["endDate"] = end
    if meeting.venue:
        data["location"] = {"@type": "Place", "name": meeting.venue, "address": meeting.venue}
    return data


def organization(config: SiteConfig, boards: Boards, board: Board | BoardSummary) -> dict[str, Any]:
    """A board as a schema.org GovernmentOrganization."""
    return {"@context": SCHEMA_ORG} | _organization(config, boards, board)


def _organization(config: SiteConfig, boards: Boards, board: Board | BoardSummary,
                  seen: frozenset[str] = frozenset()) -> dict[str, Any]:
    if board.parent and board.parent not in seen | {board.slug}:
        parent = _organization(config, boards, boards[board.parent], seen | {board.slug})
    else:
        parent = {"@type": "GovernmentOrganization", "name": config.organisations[board.organisation]}
    return {
        "@type": "GovernmentOrganization",
        "name": board.name,
        "url": urls.absolute(config.base_url, urls.board(board.slug)),
        "parentOrganization": parent,
    }

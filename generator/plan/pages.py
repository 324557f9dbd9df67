"""The kinds of page, each with the pages of its kind and what each page shows.

A page's inputs are all its template reads. Pages that name records show their summaries, so a
change to a meeting's text renders again its own pages and not every list that names it; values
that change with the day (what is upcoming, which meetings are overdue) are worked out here, so
a new day renders again only the pages whose content it changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generator.model.link import LinkedSite
from generator.model.records import MeetingSummary
from generator.outputs.search import search_shards
from generator.plan import urls
from generator.plan.inputs import Full, Indexed
from generator.plan.outputs import Inputs, Output, PageKind


def _site(linked: LinkedSite) -> dict[str, Any]:
    """What every page shows: the site's settings, and the names of its boards (for titles of
    meetings and decisions, and the organisations boards belong to)."""
    return {"config": linked.site.config, "boards": linked.board_index}


def _meetings(linked: LinkedSite, meetings: Iterable[MeetingSummary]) -> dict[str, Any]:
    """A list of meetings, with which of them are still `scheduled` after their date."""
    listed = tuple(meetings)
    return {"meetings": listed, "overdue": frozenset(m.key for m in listed if m.key in linked.overdue)}


def _upcoming(linked: LinkedSite, board: str | None = None) -> dict[str, Any]:
    upcoming = [m for m in linked.upcoming() if board is None or m.board == board]
    return {"upcoming": tuple(upcoming), "overdue": frozenset(m.key for m in upcoming if m.key in linked.overdue)}


def _links(linked: LinkedSite, unit: str) -> Mapping[str, Any]:
    """The targets of the [[cross-references]] written in a record's texts."""
    return linked.links.get(unit, _NO_LINKS)


_NO_LINKS: Indexed[str, Any] = Indexed(())


# --- Pages of the whole site ----------------------------------------------------------------------

def _home(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), **_upcoming(linked), "latest_minutes": tuple(linked.latest_minutes(10)),
            "decisions": linked.decisions[:10], "organisation_boards": linked.boards_by_organisation()}


def _boards(page: Output, linked: LinkedSite) -> Inputs:
    counts = {slug: (len(meetings), meetings[-1].date) for slug, meetings in linked.meetings_by_board.items()}
    return {**_site(linked), "organisation_boards": linked.boards_by_organisation(), "meeting_counts": counts}


def _register(page: Output, linked: LinkedSite) -> Inputs:
    key_only, year = page.subject
    return {**_site(linked), "key_only": key_only, "year": year,
            "years": tuple(y for y, _ in linked.decisions_by_year()), "register": linked.register(year, key_only)}


def _register_pages(linked: LinkedSite) -> Iterable[Output]:
    yield Output(urls.decisions(), "register", (False, None))
    yield Output(urls.key_decisions(), "register", (True, None))
    for year in sorted({m.date.year for m, _ in linked.decisions}):
        yield Output(urls.decisions_in(year), "register", (False, year))


def _people(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), "organisation_people": linked.people_by_organisation()}


def _calendar(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), **_upcoming(linked), "years": tuple(linked.calendar_years())}


def _calendar_year(page: Output, linked: LinkedSite) -> Inputs:
    (year,) = page.subject
    return {**_site(linked), "year": year, "years": tuple(y for y, _ in linked.calendar_years()),
            "months": tuple(linked.meetings_by_month(year))}


def _forward_plan(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), "plan": tuple(linked.forward_plan())}


def _matters(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), "matters": linked.matters}


def _matter(page: Output, linked: LinkedSite) -> Inputs:
    (slug,) = page.subject
    return {**_site(linked), "items": linked.matters[slug]}


def _plain(page: Output, linked: LinkedSite) -> Inputs:
    return _site(linked)


def _search(page: Output, linked: LinkedSite) -> Inputs:
    return {**_site(linked), "indexes": search_shards(linked)}


# --- Pages of records ----------------------------------------------------------------------------

def _board_pages(linked: LinkedSite) -> Iterable[Output]:
    for board in linked.site.boards.values():
        yield Output(urls.board(board.slug), "board", (board.slug,), board.path)


def _board(page: Output, linked: LinkedSite) -> Inputs:
    (slug,) = page.subject
    board = linked.site.boards[slug]
    return {
        **_site(linked), **_upcoming(linked, slug),
        "board": Full("board", slug, board.record),
        "links": _links(linked, f"board:{slug}"),
        "people": Indexed((slug, linked.site.people[slug]) for slug in sorted({m.person for m in board.members})),
        "current_members": tuple(linked.members(board, True)),
        "former_members": tuple(linked.members(board, False)),
        "years": tuple((year, tuple(meetings), frozenset(m.key for m in meetings if m.key in linked.overdue))
                       for year, meetings in linked.meetings_by_year(board)),
        "decisions": tuple(linked.board_decisions(board, 10)),
        "decisions_per_year": tuple(linked.decisions_per_year(board)),
        "open_data": urls.open_data(slug if slug in linked.meetings_by_board else None),
        "backlinks": linked.backlinks.get(page.url, ()),
    }


def _person_pages(linked: LinkedSite) -> Iterable[Output]:
    for person in linked.site.people.values():
        yield Output(urls.person(person.slug), "person", (person.slug,), person.path)


def _person(page: Output, linked: LinkedSite) -> Inputs:
    (slug,) = page.subject
    person = linked.site.people[slug]
    return {
        **_site(linked),
        "person": Full("person", slug, person.record),
        "links": _links(linked, f"person:{slug}"),
        "memberships": linked.memberships.get(slug, ()),
        "attendance": linked.attendance.get(slug, ()),
        "attendance_rate": linked.attendance_rate(slug),
        "attendance_by_year": tuple(linked.attendance_by_year(slug)),
        "declarations": linked.declarations.get(slug, ()),
        "backlinks": linked.backlinks.get(page.url, ()),
    }


def _meeting_pages(linked: LinkedSite) -> Iterable[Output]:
    for meeting in linked.site.meetings:
        yield Output(urls.meeting(meeting.board, meeting.slug), "meeting", (meeting.key,), meeting.path)


def _meeting(page: Output, linked: LinkedSite) -> Inputs:
    (key,) = page.subject
    meeting = linked.meeting_by_key[key]
    return {
        **_site(linked),
        "meeting": Full("meeting", key, meeting.record),
        "links": _links(linked, f"meeting:{key}"),
        "people": linked.people_named[key],
        "previous": linked.previous.get(key),
        "following": linked.following.get(key),
        "backlinks": linked.backlinks.get(page.url, ()),
    }


def _decision_pages(linked: LinkedSite) -> Iterable[Output]:
    for meeting in linked.site.meetings:
        for item in meeting.items:
            if item.is_decision:
                yield Output(urls.decision(meeting.board, meeting.slug, item.id), "decision", (meeting.key, item.id),
                             meeting.path)


def _decision(page: Output, linked: LinkedSite) -> Inputs:
    key, item = page.subject
    meeting = linked.meeting_by_key[key]
    return {
        **_site(linked),
        "meeting": Full("meeting", key, meeting.record),
        "item_id": item,
        "links": _links(linked, f"meeting:{key}"),
        "people": linked.people_named[key],
        "backlinks": linked.backlinks.get(page.url, ()),
    }


def _report_pages(linked: LinkedSite) -> Iterable[Output]:
    for report in linked.site.reports:
        yield Output(urls.report(report.board, report.meeting, report.slug), "report",
                     (report.meeting_key, report.slug), report.path)


def _report(page: Output, linked: LinkedSite) -> Inputs:
    key, slug = page.subject
    meeting = linked.meeting_by_key[key]
    return {
        **_site(linked),
        "report": Full("report", f"{key}/{slug}", meeting.record),
        "meeting": meeting,
        "links": _links(linked, f"meeting:{key}"),
        "backlinks": linked.backlinks.get(page.url, ()),
    }


def _alias_pages(linked: LinkedSite) -> Iterable[Output]:
    for path, alias in linked.aliases:
        yield Output(path, "alias", (alias.target, alias.title, alias.line, alias.column), alias.path)


def _alias(page: Output, linked: LinkedSite) -> Inputs:
    target, title, _, _ = page.subject
    return {"config": linked.site.config, "target": target, "title": title}


def _fixed(url: str, kind: str, links: str = "relative") -> Any:
    return lambda linked: [Output(url, kind, links=links)]  # type: ignore[arg-type]


KINDS = (
    PageKind("home", "home.html", _fixed(urls.home(), "home"), _home),
    PageKind("not-found", "404.html", _fixed(urls.not_found(), "not-found", "rooted"), _plain),
    PageKind("boards", "boards.html", _fixed(urls.boards(), "boards"), _boards),
    PageKind("register", "decisions.html", _register_pages, _register),
    PageKind("people", "people.html", _fixed(urls.people(), "people"), _people),
    PageKind("search", "search.html", _fixed(urls.search(), "search"), _search),
    PageKind("calendar", "calendar.html", _fixed(urls.calendar(), "calendar"), _calendar),
    PageKind("calendar-year", "calendar_year.html",
             lambda linked: [Output(urls.calendar_year(y), "calendar-year", (y,)) for y, _ in linked.calendar_years()],
             _calendar_year),
    PageKind("forward-plan", "forward_plan.html", _fixed(urls.forward_plan(), "forward-plan"), _forward_plan),
    PageKind("matters", "matters.html", _fixed(urls.matters(), "matters"), _matters),
    PageKind("matter", "matter.html", lambda linked: [Output(urls.matter(s), "matter", (s,)) for s in linked.matters],
             _matter),
    PageKind("accessibility", "accessibility.html", _fixed(urls.accessibility(), "accessibility"), _plain),
    PageKind("board", "board.html", _board_pages, _board),
    PageKind("person", "person.html", _person_pages, _person),
    PageKind("meeting", "meeting.html", _meeting_pages, _meeting),
    PageKind("decision", "decision.html", _decision_pages, _decision),
    PageKind("report", "report.html", _report_pages, _report),
    PageKind("alias", "alias.html", _alias_pages, _alias),
)


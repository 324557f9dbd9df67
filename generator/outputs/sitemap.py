"""sitemap.xml and robots.txt: every page of the site for search engines, each with the date
its content last changed, and a robots.txt that allows everything and names the sitemap.

The dates come from the records, never from the clock: a page made from meetings (a meeting,
its decisions and reports, a page listing items) is as new as its newest meeting (a meeting
being as new as the last approval or correction of its minutes); a board's
page as its latest meeting; a person's as the latest meeting that names them; any other
generated page (the home page, the indexes) as the newest meeting of the site. A meeting still
to come counts as "today" (`linked.today`), since a sitemap may not announce a change that has
not happened yet.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any, Iterator

from generator.plan import urls
from generator.model.link import LinkedSite
from generator.model.records import Board, Meeting, Person
from generator.plan.outputs import DataFile, Page

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The page a static host serves for a missing address, and the pages at old addresses that
# send readers on: not pages to index.
UNLISTED_TEMPLATES = ("404.html", "alias.html")


def plan_sitemap(linked: LinkedSite, pages: list[Page]) -> list[DataFile]:
    dates = ContentDates(linked)
    config = linked.site.config
    entries = tuple(sorted(
        (urls.absolute(config.base_url, page.url), day.isoformat() if (day := dates.of(page)) else None)
        for page in pages if page.template not in UNLISTED_TEMPLATES
    ))
    return [DataFile(urls.sitemap(), make_sitemap, (entries,)), DataFile(urls.robots(), make_robots)]


def make_sitemap(linked: LinkedSite, entries: tuple[tuple[str, str | None], ...]) -> bytes:
    """`entries` are (absolute address, lastmod date or None), sorted by address."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for loc, lastmod in entries:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = loc
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def make_robots(linked: LinkedSite) -> bytes:
    """Crawlers read robots.txt only at the root of a host: a site published under a sub-path
    should have its sitemap named in the host's own robots.txt as well."""
    sitemap = urls.absolute(linked.site.config.base_url, urls.sitemap())
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode("utf-8")


class ContentDates:
    """The date each page's content last changed, worked out from the meetings."""

    def __init__(self, linked: LinkedSite) -> None:
        self.today = linked.today
        meetings = linked.site.meetings
        self.newest = max((self._day(m) for m in meetings), default=None)
        self.boards = {slug: max(self._day(m) for m in ms) for slug, ms in linked.meetings_by_board.items() if ms}
        self.people: dict[str, dt.date] = {}
        for meeting in meetings:
            for slug in _people_named(meeting):
                self.people[slug] = max(self.people.get(slug, dt.date.min), self._day(meeting))
        for person, entries in linked.memberships.items():
            if person not in self.people:
                member_of = [self.boards[board.slug] for board, _ in entries if board.slug in self.boards]
                if member_of:
                    self.people[person] = max(member_of)

    def _day(self, meeting: Meeting) -> dt.date:
        return min(meeting.changed, self.today)

    def of(self, page: Page) -> dt.date | None:
        shown = [self._day(m) for value in page.context.values() for m in _meetings_in(value)]
        if shown:
            return max(shown)
        for value in page.context.values():
            if isinstance(value, Board):
                return self.boards.get(value.slug, self.newest)
            if isinstance(value, Person):
                return self.people.get(value.slug, self.newest)
        return self.newest


def _meetings_in(value: Any, depth: int = 0) -> Iterator[Meeting]:
    """Meetings in a page's context: a meeting, or meetings in a list, or in (meeting, item) pairs."""
    if isinstance(value, Meeting):
        yield value
    elif isinstance(value, (list, tuple)) and depth < 2:
        for entry in value:
            yield from _meetings_in(entry, depth + 1)


def _people_named(meeting: Meeting) -> Iterator[str]:
    for attendees in (meeting.present, meeting.substitutes, meeting.apologies, meeting.in_attendance):
        yield from (a.person for a in attendees if a.person)
    yield from (d.person for d in meeting.declarations)
    for item in meeting.items:
        if item.votes:
            for side in (item.votes.in_favour, item.votes.against, item.votes.abstain):
                if isinstance(side, tuple):
                    yield from side


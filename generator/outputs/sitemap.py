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
from typing import Iterable, Iterator

from generator.model.link import LinkedSite
from generator.model.markup import Converter
from generator.model.records import MeetingSummary
from generator.plan import urls
from generator.plan.outputs import FileKind, Inputs, Output

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The page a static host serves for a missing address, and the pages at old addresses that
# send readers on: not pages to index.
UNLISTED_KINDS = ("not-found", "alias")


def sitemap_entries(linked: LinkedSite, pages: Iterable[Output]) -> tuple[tuple[str, str | None], ...]:
    """(absolute address, the date its content last changed) of every page to list, by address."""
    dates = ContentDates(linked)
    config = linked.site.config
    return tuple(sorted(
        (urls.absolute(config.base_url, page.url), day.isoformat() if (day := dates.of(page)) else None)
        for page in pages if page.kind not in UNLISTED_KINDS
    ))


def make_sitemap(inputs: Inputs, converter: Converter) -> bytes:
    """`entries` are (absolute address, lastmod date or None), sorted by address."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for loc, lastmod in inputs["entries"]:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = loc
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def make_robots(inputs: Inputs, converter: Converter) -> bytes:
    """Crawlers read robots.txt only at the root of a host: a site published under a sub-path
    should have its sitemap named in the host's own robots.txt as well."""
    sitemap = urls.absolute(inputs["config"].base_url, urls.sitemap())
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

        self.linked = linked

    def _day(self, meeting: MeetingSummary) -> dt.date:
        return min(meeting.changed, self.today)

    def of(self, page: Output) -> dt.date | None:
        meetings = self.linked.meeting_by_key
        if page.kind in ("meeting", "decision", "report"):
            return self._day(meetings[page.subject[0]])
        if page.kind == "matter":
            return max(self._day(m) for m, _ in self.linked.matters[page.subject[0]])
        if page.kind == "board":
            return self.boards.get(page.subject[0], self.newest)
        if page.kind == "person":
            return self.people.get(page.subject[0], self.newest)
        return self.newest


def _people_named(meeting: MeetingSummary) -> Iterator[str]:
    for attendees in (meeting.present, meeting.substitutes, meeting.apologies, meeting.in_attendance):
        yield from (a.person for a in attendees if a.person)
    yield from (d.person for d in meeting.declarations)
    for item in meeting.items:
        yield from item.voters



def _sitemap(linked: LinkedSite) -> list[Output]:
    return [Output(urls.sitemap(), "sitemap")]


def _sitemap_inputs(sitemap: Output, linked: LinkedSite) -> Inputs:
    return {}  # its entries are given once every page is planned (plan.finishing_inputs)


SITEMAP = FileKind("sitemap", _sitemap, _sitemap_inputs, make_sitemap)
ROBOTS = FileKind("robots", lambda linked: [Output(urls.robots(), "robots")],
                  lambda robots, linked: {"config": linked.site.config}, make_robots)

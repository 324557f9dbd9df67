"""Atom feeds of decisions and published minutes: one for the whole site at /feed.xml and one
per board at /boards/<slug>/feed.xml.

Every date in a feed comes from the content (a meeting's date and start time, in the site's
time zone), never from the clock, so the same records always give the same bytes. An entry is
`updated` when its minutes are approved or corrected, on the dates the clerk records
(`approved:`, `corrected:`), and says so: feed readers show an entry again only when its
`updated` changes. Exempt
items are never entries: they cannot be decisions, and a meeting's entry names them only by
their reference and title.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
import zoneinfo
from dataclasses import dataclass
from typing import Mapping

from generator.model.link import LinkedSite, item_url, meeting_title
from generator.model.markup import Converter, resolve_xrefs
from generator.model.records import BoardSummary, Item, Meeting, MeetingSummary, SiteConfig
from generator.model.times import meeting_start
from generator.plan import urls
from generator.plan.inputs import Full
from generator.plan.outputs import FileKind, Inputs, Output
from generator.render import present

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_TYPE = "application/atom+xml"
LIMIT = 200  # the newest entries a feed keeps; older ones stay on the site's pages
DRAFT_SUFFIX = " (draft minutes)"

# Characters XML 1.0 cannot carry at all; ElementTree would write them and make the feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def site_feed_title(config: SiteConfig) -> str:
    return f"{config.title}: decisions and minutes"


def board_feed_title(board: BoardSummary) -> str:
    return f"{board.name}: decisions and minutes"


def _feeds(linked: LinkedSite) -> list[Output]:
    """The site's feed and one for every board (each board page links its own, even an empty one)."""
    return [Output(urls.feed(), "feed", (None,))] + [Output(urls.feed(slug), "feed", (slug,)) for slug in linked.site.boards]


def _inputs(feed: Output, linked: LinkedSite) -> Inputs:
    """The meetings whose entries are among the feed's newest, in full (a decision's entry holds
    its resolution), with what their entries link to; and, for a feed with no entries, the date
    it falls back on."""
    (board_slug,) = feed.subject
    site = linked.site
    zone = zoneinfo.ZoneInfo(site.config.timezone)
    meetings = linked.meetings_by_board.get(board_slug, ()) if board_slug else site.meetings
    published = [m for m in meetings if m.minutes != "none"]
    newest = sorted(published, key=lambda m: (-entry_date(m, zone).timestamp(), m.board, m.slug))
    shown, entries = [], 0
    for meeting in newest:
        if entries >= LIMIT:
            break
        shown.append(meeting)
        entries += 1 + sum(1 for item in meeting.items if item.is_decision and not item.is_exempt)
    units = [site.units[f"meeting:{m.key}"] for m in shown]
    return {
        "config": site.config,
        "boards": linked.board_index,
        "board": board_slug,
        "meetings": tuple(Full("meeting", m.key, m.record) for m in shown),
        "links": {x.target: linked.targets[x.target] for unit in units for x in unit.xrefs},
        "fallback": None if shown else _fallback_updated(linked, board_slug, zone),
    }


@dataclass(frozen=True)
class _Entry:
    sort_key: tuple
    id: str
    title: str
    link: str
    when: dt.datetime  # published
    updated: dt.datetime
    author: str
    categories: tuple[tuple[str, str], ...]  # (term, label)
    content: str  # HTML


def make_feed(inputs: Inputs, converter: Converter) -> bytes:
    """The Atom document of the whole site (board None) or of one board."""
    config = inputs["config"]
    boards = inputs["boards"]
    zone = zoneinfo.ZoneInfo(config.timezone)
    board_slug = inputs["board"]
    if board_slug is None:
        feed_url, page_url, title = urls.feed(), urls.home(), site_feed_title(config)
        author = config.organisations[config.organisation]
    else:
        board = boards[board_slug]
        feed_url, page_url, title = urls.feed(board.slug), urls.board(board.slug), board_feed_title(board)
        author = config.organisations[board.organisation]
    entries = sorted(_entries(inputs, converter, zone), key=lambda e: e.sort_key)[:LIMIT]

    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _text(feed, "id", urls.absolute(config.base_url, feed_url))
    _text(feed, "title", title)
    ET.SubElement(feed, "link", {"rel": "self", "type": FEED_TYPE, "href": urls.absolute(config.base_url, feed_url)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": urls.absolute(config.base_url, page_url)})
    _text(feed, "updated", _rfc3339(max(e.updated for e in entries) if entries else inputs["fallback"]))
    _text(ET.SubElement(feed, "author"), "name", author)
    _text(feed, "generator", "Minutes")
    for entry in entries:
        element = ET.SubElement(feed, "entry")
        _text(element, "id", entry.id)
        _text(element, "title", entry.title)
        ET.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": entry.link})
        _text(element, "published", _rfc3339(entry.when))
        _text(element, "updated", _rfc3339(entry.updated))
        _text(ET.SubElement(element, "author"), "name", entry.author)
        for term, label in entry.categories:
            ET.SubElement(element, "category", {"term": term, "label": label})
        _text(element, "content", entry.content).set("type", "html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def entry_date(meeting: Meeting | MeetingSummary, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """An entry's date: the meeting's start, or the start of its day when no time is given."""
    return meeting_start(meeting, zone) or dt.datetime.combine(meeting.date, dt.time(0, 0), tzinfo=zone)


def _entries(inputs: Inputs, converter: Converter, zone: zoneinfo.ZoneInfo) -> list[_Entry]:
    config = inputs["config"]
    boards = inputs["boards"]
    entries = []
    for meeting in inputs["meetings"]:
        board = boards[meeting.board]
        when = entry_date(meeting, zone)
        updated = max(when, dt.datetime.combine(meeting.changed, dt.time(0, 0), tzinfo=zone))
        changes = _changes(meeting)
        draft = meeting.minutes == "draft"
        author = config.organisations[board.organisation]
        # Newest first; the meeting's own entry before its decisions, which follow in agenda order.
        base_key = (-when.timestamp(), meeting.board, meeting.slug)
        draft_category = (("draft", "Draft minutes"),) if draft else ()
        entries.append(_Entry(
            sort_key=base_key + (0,),
            id=urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
            title=f"Minutes: {meeting_title(meeting, boards)}" + (DRAFT_SUFFIX if draft else ""),
            link=urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)),
            when=when,
            updated=updated,
            author=author,
            categories=(("minutes", "Minutes"),) + draft_category,
            content=_meeting_content(config, boards, meeting) + changes,
        ))
        for item in meeting.items:
            if not item.is_decision or item.is_exempt:
                continue
            categories: tuple[tuple[str, str], ...] = (("decision", "Decision"),)
            if item.key_decision:
                categories += (("key-decision", "Key decision"),)
            entries.append(_Entry(
                sort_key=base_key + (item.number,),
                id=urls.absolute(config.base_url, item_url(meeting, item)),
                title=item.label + (DRAFT_SUFFIX if draft else ""),
                link=urls.absolute(config.base_url, item_url(meeting, item)),
                when=when,
                updated=updated,
                author=author,
                categories=categories + draft_category,
                content=_decision_content(inputs, converter, meeting, item) + changes,
            ))
    return entries


def _changes(meeting: Meeting) -> str:
    """What happened to the minutes since they were first published, for an updated entry."""
    said = [f"The minutes were {verb} on {present.long_date(day)}."
            for verb, day in (("approved", meeting.approved), ("corrected", meeting.corrected)) if day]
    return "".join(f"\n<p>{_escape(sentence)}</p>" for sentence in said)


def _meeting_content(config: SiteConfig, boards: Mapping[str, BoardSummary], meeting: Meeting) -> str:
    """What the minutes are and which items they cover: exempt items by their label only."""
    board = boards[meeting.board]
    state = "Draft minutes (not yet approved)" if meeting.minutes == "draft" else "Approved minutes"
    when = present.weekday_date(meeting.date)
    if meeting.start:
        when += f" at {present.clock_time(meeting.start)}"
    parts = [f"<p>{state} of the meeting of the {_escape(board.name)} held on {_escape(when)}"
             + (f", {_escape(meeting.venue)}" if meeting.venue else "") + ".</p>"]
    if meeting.items:
        lines = []
        for item in meeting.items:
            if item.is_exempt:
                lines.append(f"<li>{_escape(item.label)}</li>")
            else:
                href = _escape(urls.absolute(config.base_url, item_url(meeting, item)))
                lines.append(f'<li><a href="{href}">{_escape(item.label)}</a></li>')
        parts.append("<ul>" + "".join(lines) + "</ul>")
    return "\n".join(parts)


def _decision_content(inputs: Inputs, converter: Converter, meeting: Meeting, item: Item) -> str:
    """Who decided, at which meeting, and the resolution itself with links made absolute."""
    config = inputs["config"]
    boards = inputs["boards"]
    board = boards[meeting.board]
    meeting_link = (f'<a href="{_escape(urls.absolute(config.base_url, urls.meeting(meeting.board, meeting.slug)))}">'
                    f"{_escape(meeting_title(meeting, boards))}</a>")
    parts = [f"<p>Decision maker: {_escape(item.decision_maker or board.name)}. Meeting: {meeting_link}.</p>"]
    if item.key_decision:
        parts.append("<p><strong>Key decision.</strong></p>")
    if meeting.minutes == "draft":
        parts.append("<p><strong>From draft minutes, not yet approved.</strong></p>")

    def lookup(target: str) -> tuple[str, str] | None:
        found = inputs["links"].get(target)
        return (urls.absolute(config.base_url, found.url), found.title) if found else None

    assert item.resolution is not None
    resolution = resolve_xrefs(converter.html(item.resolution.text.text), lookup)
    parts.append(urls.absolutize(resolution, config.base_url))
    return "\n".join(parts)


def _fallback_updated(linked: LinkedSite, board_slug: str | None, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A feed with no entries still needs a date: its newest meeting's, else the build's "today"
    (from SOURCE_DATE_EPOCH), never the clock."""
    meetings = linked.meetings_by_board.get(board_slug, ()) if board_slug else linked.site.meetings
    if meetings:
        return max(entry_date(m, zone) for m in meetings)
    return dt.datetime.combine(linked.today, dt.time(0, 0), tzinfo=zone)


def _rfc3339(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _escape(value: str) -> str:
    return html.escape(value, quote=True)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", value)
    return element


FEEDS = (FileKind("feed", _feeds, _inputs, make_feed),)

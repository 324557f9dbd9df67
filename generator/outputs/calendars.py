"""iCalendar files of meetings: one for the whole site at /calendar.ics and one per board at
/boards/<slug>/calendar.ics, written with the icalendar package (escaping, line folding and
the VTIMEZONE component are its job).

Output depends only on the content: a meeting's UID is made from its board and slug, and its
DTSTAMP from its date, so the same records always give the same bytes and a subscriber's
calendar updates events in place rather than duplicating them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar

from generator.model.link import LinkedSite
from generator.model.markup import Converter
from generator.model.records import BoardSummary, MeetingSummary, SiteConfig
from generator.model.times import meeting_end, meeting_start
from generator.plan import urls
from generator.plan.outputs import FileKind, Inputs, Output

PRODID = "-//Minutes//Meeting calendar//EN"
STATUS = {"scheduled": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}
_STATUS_NOTE = {"cancelled": "This meeting was cancelled.", "postponed": "This meeting has been postponed."}
_MINUTES_NOTE = {"draft": "Minutes: draft, not yet approved.", "approved": "Minutes: approved."}


def site_calendar_title(config: SiteConfig) -> str:
    return f"{config.title}: meetings"


def board_calendar_title(board: BoardSummary) -> str:
    return f"{board.name}: meetings"


def _calendars(linked: LinkedSite) -> list[Output]:
    """The site's calendar and one for every board (each board page links its own, even an empty one)."""
    return [Output(urls.ical(), "ical", (None,))] + [Output(urls.ical(slug), "ical", (slug,))
                                                         for slug in linked.site.boards]


def _inputs(calendar: Output, linked: LinkedSite) -> Inputs:
    (board_slug,) = calendar.subject
    meetings = linked.meetings_by_board.get(board_slug, ()) if board_slug else linked.site.meetings
    return {"config": linked.site.config, "boards": linked.board_index, "board": board_slug, "meetings": tuple(meetings)}


def make_calendar(inputs: Inputs, converter: Converter) -> bytes:
    """The iCalendar document of every meeting of the site (board None) or of one board."""
    config = inputs["config"]
    boards = inputs["boards"]
    board_slug = inputs["board"]
    name = site_calendar_title(config) if board_slug is None else board_calendar_title(boards[board_slug])
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # the same, for clients that predate RFC 7986
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    meetings = inputs["meetings"]
    if any(m.start for m in meetings):
        # A VTIMEZONE that covers just the years of these meetings (icalendar's default spans
        # 1970 to 2038), placed before the events that use it.
        first = min(m.date for m in meetings)
        last = max(m.date for m in meetings)
        calendar.add_component(icalendar.Timezone.from_tzid(
            config.timezone, first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 12, 31)))
    # Each meeting is written once by icalendar and the same lines are used in the site's
    # calendar and its board's; only the enclosing BEGIN and END lines are joined here.
    events = sorted(((m.date, event_uid(config, m), m) for m in meetings), key=lambda e: (e[0], e[1]))
    body = b"".join(_event(meeting, uid, boards[meeting.board].name, config.base_url, config.timezone)
                    for _, uid, meeting in events)
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical()
    assert head.endswith(end)
    return head[: -len(end)] + body + end


def event_uid(config: SiteConfig, meeting: MeetingSummary) -> str:
    """`<board>/<meeting-slug>@<host>`: the same for a meeting in every build and every calendar."""
    host = urlsplit(config.base_url).hostname or "localhost"
    return f"{meeting.key}@{host}"


@lru_cache(maxsize=8192)
def _event(meeting: MeetingSummary, uid: str, board_name: str, base_url: str, timezone: str) -> bytes:
    zone = zoneinfo.ZoneInfo(timezone)
    page = urls.absolute(base_url, urls.meeting(meeting.board, meeting.slug))
    event = icalendar.Event()
    event.add("uid", uid)
    # DTSTAMP is required; made from the content (the meeting's date at midnight UTC), never the clock.
    event.add("dtstamp", dt.datetime.combine(meeting.date, dt.time(0, 0), tzinfo=dt.timezone.utc))
    event.add("summary", f"{board_name} ({meeting.title})" if meeting.title else board_name)
    start = meeting_start(meeting, zone)
    if start:
        event.add("dtstart", start)
        end = meeting_end(meeting, zone)
        if end:
            event.add("dtend", end)
    else:
        # No start time: an all-day event (VALUE=DATE), which ends at the start of the next day.
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add("status", STATUS[meeting.status])
    event.add("url", page)
    event.add("description", _description(meeting, page))
    return event.to_ical()


def _description(meeting: MeetingSummary, page: str) -> str:
    """Plain text: the meeting's state, its agenda by item label (exempt items too, by label
    alone: they have no text to show) and the address of its page."""
    paragraphs = []
    notes = [note for note in (_STATUS_NOTE.get(meeting.status), _MINUTES_NOTE.get(meeting.minutes)) if note]
    if notes:
        paragraphs.append(" ".join(notes))
    if meeting.items:
        paragraphs.append("Agenda:\n" + "\n".join(f"- {item.label}" for item in meeting.items))
    paragraphs.append(f"Meeting page: {page}")
    return "\n\n".join(paragraphs)



CALENDARS = (FileKind("ical", _calendars, _inputs, make_calendar),)

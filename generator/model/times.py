"""When meetings happen, as moments in the site's time zone, for feeds, calendars and open data."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from generator.model.records import Meeting, MeetingSummary


def meeting_start(meeting: Meeting | MeetingSummary, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The start, or None when the record gives no start time."""
    return _at(meeting.date, meeting.start, zone) if meeting.start else None


def meeting_end(meeting: Meeting | MeetingSummary, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The end, or None when the record gives none; a meeting that ran past midnight ends the next day."""
    start = meeting_start(meeting, zone)
    if not meeting.end or start is None:
        return None
    end = _at(meeting.date, meeting.end, zone)
    return end if end > start else _at(meeting.date + dt.timedelta(days=1), meeting.end, zone)


def _at(day: dt.date, clock: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)

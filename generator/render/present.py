"""How values read on the page: dates, times and statuses in plain British English,
the same whatever the machine's locale."""

from __future__ import annotations

import datetime as dt

STATUS_LABELS = {
    "scheduled": "Scheduled",
    "held": "Held",
    "cancelled": "Cancelled",
    "postponed": "Postponed",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_LABELS = {
    "none": "Not yet published",
    "draft": "Draft — not yet approved",
    "approved": "Approved",
}


def long_date(day: dt.date) -> str:
    """16 December 2010"""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(day: dt.date) -> str:
    """Thursday 16 December 2010"""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def clock_time(value: str) -> str:
    """'18:30' as 6:30pm, '12:00' as midday."""
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def file_size(size: int) -> str:
    """1234 bytes as 1.2 kB (thousands, as file managers count them)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def recording_time(seconds: int) -> str:
    """2530 seconds as 0:42:10."""
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

"""The iCalendar files, read with the icalendar package as a subscriber's calendar app would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from conftest import EXAMPLE, EXAMPLE_BASE, build, build_for_module, make_site
from pages import exists, page, site_url

from generator.build import check_site

UTC = dt.timezone.utc
SMALL_BASE = "https://example.org/records/"

# A second board with a meeting without a start time; a summer meeting with an end time and an
# exempt item; a cancelled and a postponed meeting; a board with no meetings.
SMALL_SITE = {
    "content/boards/licensing-committee.md": "---\nname: Licensing Committee\nkind: committee\nminute_prefix: LC\n---\n",
    "content/boards/audit-panel.md": "---\nname: Audit Panel\nkind: panel\n---\n",
    "content/meetings/planning-committee/2020-07-08.md": """---
date: 2020-07-08
start: "18:30"
end: "20:15"
venue: Council Chamber, Town Hall; Room 2
status: held
minutes: draft
---
## PC3 Land at Station Road {.key-decision}

RESOLVED: That planning permission be refused.

## PC4 Sale of council land {.exempt paragraph=3}
""",
    "content/meetings/planning-committee/2020-09-09.md": """---
date: 2020-09-09
start: "18:30"
venue: Council Chamber
status: cancelled
---
""",
    "content/meetings/planning-committee/2020-10-14-special.md": """---
date: 2020-10-14
start: "10:00"
status: postponed
title: Special meeting
---
""",
    "content/meetings/licensing-committee/2020-03-02.md": """---
date: 2020-03-02
status: held
minutes: approved
---
## LC1 Taxi licensing policy

RESOLVED: That the policy be adopted.
""",
}


def read_calendar(output: Path, url: str) -> icalendar.Calendar:
    data = (output / url.lstrip("/")).read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0"
    assert calendar.get_missing_tzids() == set()  # every TZID used has its VTIMEZONE
    return calendar


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}



@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_for_module(tmp_path_factory, "calendars", SMALL_SITE)


# The example site


def test_every_meeting_is_an_event_with_a_stable_uid_and_a_link_to_its_page(example_output: Path) -> None:
    linked, _ = check_site(EXAMPLE)
    found = events(read_calendar(example_output, "/calendar.ics"))
    assert sorted(found) == sorted(f"{m.board}/{m.slug}@records.example.org" for m in linked.site.meetings)
    for uid, event in found.items():
        assert exists(example_output, site_url(str(event["URL"]), EXAMPLE_BASE)), uid
    event = found["executive-board/2010-12-16@records.example.org"]
    assert event["SUMMARY"] == "Executive Board"
    assert event["URL"] == EXAMPLE_BASE + "boards/executive-board/2010-12-16/"
    assert event["STATUS"] == "CONFIRMED"


def test_a_january_evening_meeting_is_at_the_same_hour_in_utc(example_output: Path) -> None:
    found = events(read_calendar(example_output, "/calendar.ics"))
    event = found["children-young-people-families-ppb/2016-01-04@records.example.org"]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert start.astimezone(UTC) == dt.datetime(2016, 1, 4, 18, 30, tzinfo=UTC)
    assert event["LOCATION"] == "Civic Suite, Town Hall, Runcorn"
    assert "- 6(A) Independent living skills" in event["DESCRIPTION"]


def test_a_board_calendar_holds_only_that_boards_meetings(example_output: Path) -> None:
    calendar = read_calendar(example_output, "/boards/executive-board/calendar.ics")
    assert calendar["X-WR-CALNAME"] == "Executive Board: meetings"
    assert sorted(events(calendar)) == [
        "executive-board/2010-12-16@records.example.org",
        "executive-board/2015-11-19@records.example.org",
        "executive-board/2015-12-10@records.example.org",
    ]


def test_the_home_page_and_board_pages_advertise_and_link_their_calendar(example_output: Path) -> None:
    for url, calendar_url, text in (("/", "/calendar.ics", "Meetings calendar (iCalendar)"),
                                    ("/boards/cabinet/", "/boards/cabinet/calendar.ics", "Cabinet meetings calendar (iCalendar)")):
        soup = page(example_output, url)
        alternates = soup.find_all("link", rel="alternate", type="text/calendar")
        assert len(alternates) == 1
        assert alternates[0]["title"].endswith(": meetings")
        target = (example_output / calendar_url.lstrip("/")).resolve()
        assert (example_output / url.lstrip("/") / alternates[0]["href"]).resolve() == target
        link = soup.find("h2", id="subscribe").find_parent("section").find("a", string=text)
        assert link is not None and (example_output / url.lstrip("/") / link["href"]).resolve() == target


# Small sites


def test_times_are_local_with_a_timezone_and_convert_correctly(small: Path) -> None:
    calendar = read_calendar(small, "/calendar.ics")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(calendar)
    summer = found["planning-committee/2020-07-08@example.org"]
    assert summer["DTSTART"].params["TZID"] == "Europe/London"
    assert summer["DTSTART"].to_ical() == b"20200708T183000"
    assert summer.decoded("DTSTART").astimezone(UTC) == dt.datetime(2020, 7, 8, 17, 30, tzinfo=UTC)  # BST
    assert summer.decoded("DTEND").astimezone(UTC) == dt.datetime(2020, 7, 8, 19, 15, tzinfo=UTC)
    winter = found["planning-committee/2020-01-15@example.org"]
    assert winter.decoded("DTSTART").astimezone(UTC) == dt.datetime(2020, 1, 15, 18, 30, tzinfo=UTC)
    assert "DTEND" not in winter  # no end time was given, and none is made up


def test_a_meeting_without_a_start_time_is_an_all_day_event(small: Path) -> None:
    event = events(read_calendar(small, "/calendar.ics"))["licensing-committee/2020-03-02@example.org"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == dt.date(2020, 3, 2)
    assert event.decoded("DTEND") == dt.date(2020, 3, 3)


def test_status_location_summary_and_description(small: Path) -> None:
    found = events(read_calendar(small, "/calendar.ics"))
    summer = found["planning-committee/2020-07-08@example.org"]
    assert summer["STATUS"] == "CONFIRMED"
    assert summer["SUMMARY"] == "Planning Committee"
    assert summer["LOCATION"] == "Council Chamber, Town Hall; Room 2"  # escaped and unescaped by the library
    description = str(summer["DESCRIPTION"])
    assert "- PC3 Land at Station Road" in description
    assert "- PC4 Sale of council land" in description  # an exempt item, by its label alone
    assert "draft" in description
    assert SMALL_BASE + "boards/planning-committee/2020-07-08/" in description
    cancelled = found["planning-committee/2020-09-09@example.org"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert "cancelled" in cancelled["DESCRIPTION"]
    postponed = found["planning-committee/2020-10-14-special@example.org"]
    assert postponed["STATUS"] == "TENTATIVE"
    assert postponed["SUMMARY"] == "Planning Committee (Special meeting)"
    assert exists(small, site_url(str(postponed["URL"]), SMALL_BASE))


def test_the_raw_file_says_cancelled_and_names_the_timezone(small: Path) -> None:
    text = (small / "calendar.ics").read_bytes().decode("utf-8")
    assert "\r\nSTATUS:CANCELLED\r\n" in text
    assert "\r\nDTSTART;TZID=Europe/London:20200708T183000\r\n" in text
    assert "\r\nDTSTART;VALUE=DATE:20200302\r\n" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_events_are_sorted_by_date_then_uid(small: Path) -> None:
    calendar = read_calendar(small, "/calendar.ics")
    def day(event: icalendar.Event) -> dt.date:
        start = event.decoded("DTSTART")
        return start.date() if isinstance(start, dt.datetime) else start

    keys = [(day(event), str(event["UID"])) for event in calendar.walk("VEVENT")]
    assert keys == sorted(keys)
    assert len(keys) == 5


def test_board_calendars_hold_only_their_own_meetings(small: Path) -> None:
    licensing = events(read_calendar(small, "/boards/licensing-committee/calendar.ics"))
    assert list(licensing) == ["licensing-committee/2020-03-02@example.org"]
    planning = events(read_calendar(small, "/boards/planning-committee/calendar.ics"))
    assert len(planning) == 4 and all(uid.startswith("planning-committee/") for uid in planning)
    empty = read_calendar(small, "/boards/audit-panel/calendar.ics")
    assert events(empty) == {}
    assert empty.walk("VTIMEZONE") == []


def test_dtstamp_comes_from_the_meeting_not_the_clock(small: Path) -> None:
    event = events(read_calendar(small, "/calendar.ics"))["planning-committee/2020-07-08@example.org"]
    assert event.decoded("DTSTAMP") == dt.datetime(2020, 7, 8, tzinfo=UTC)


def test_uids_stay_the_same_when_meetings_are_added(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", SMALL_SITE)
    assert build(site, tmp_path / "one").ok
    (site / "content/meetings/planning-committee/2020-02-12.md").write_text(
        "---\ndate: 2020-02-12\nstart: \"18:30\"\nstatus: held\n---\n", encoding="utf-8")
    assert build(site, tmp_path / "two").ok
    before = events(read_calendar(tmp_path / "one", "/calendar.ics"))
    after = events(read_calendar(tmp_path / "two", "/calendar.ics"))
    assert set(after) == set(before) | {"planning-committee/2020-02-12@example.org"}
    for uid, event in before.items():
        assert after[uid].to_ical() == event.to_ical()


def test_calendars_are_byte_for_byte_the_same_whatever_the_day_of_the_build(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", SMALL_SITE)
    outputs = []
    for epoch in ("1700000000", "1800000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        output = tmp_path / f"out-{epoch}"
        assert build(site, output).ok
        outputs.append(output)
    calendars = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("calendar.ics"))
    assert len(calendars) == 4
    for rel in calendars:
        assert (outputs[0] / rel).read_bytes() == (outputs[1] / rel).read_bytes(), rel


def test_times_follow_the_sites_timezone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\norganisation: example\nbase_url: https://example.org/\ntimezone: America/New_York\n",
    })
    assert build(site, tmp_path / "out").ok
    calendar = read_calendar(tmp_path / "out", "/calendar.ics")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    event = events(calendar)["planning-committee/2020-01-15@example.org"]
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2020, 1, 15, 23, 30, tzinfo=UTC)

"""The link stage: references, backlinks, attendance, previous and next, decisions (generator/model/link.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import make_site

from generator.build import check_site
from generator.model.link import Backlink, LinkedSite, Target

PLANNING = """\
---
name: Planning Committee
kind: committee
minute_prefix: PC
members:
  - {person: jane-smith, role: Chair}
  - {person: omar-khan, from: 2020-02-01}
  - {person: sam-taylor, to: 2020-01-31}
---
Determines planning applications. Reports to [[boards/licensing-committee]].
"""
LICENSING = """\
---
name: Licensing Committee
kind: committee
minute_prefix: LC
members: [jane-smith]
---
"""
SAM = "---\nname: Sam Taylor\nhonorific: Councillor\nrole: councillor\n---\nSam chaired [[boards/planning-committee]].\n"
MARCH = """\
---
date: 2020-03-04
status: held
minutes: approved
present: [jane-smith]
substitutes:
  - {person: sam-taylor, role: substitute for Councillor Khan}
---
## PC3 Land at Mill Lane: reserved matters

Following [[PC2]], presented by [[people/lee-jones]].

RESOLVED: That the reserved matters be approved (see [[planning-committee/2020-03-04#PC3]]).

## PC4 Appeals

The Committee noted the appeals, as at [[planning-committee/2020-01-15]].

## PC5 Sale of land at Moor Lane {.exempt paragraph=3}
"""
FEBRUARY_CANCELLED = "---\ndate: 2020-02-12\nstatus: cancelled\n---\nThe meeting was cancelled.\n"
UPCOMING = "---\ndate: 2024-01-17\nstatus: scheduled\n---\n## PC9 Local plan\n\nTo consider the local plan.\n"
LICENSING_FEBRUARY = """\
---
date: 2020-02-20
status: held
minutes: draft
---
## LC1 Taxi licensing policy

The Committee considered [[PC2|the Mill Lane decision]].

RESOLVED: That the policy be adopted.
"""
LICENSING_MARCH = """\
---
date: 2020-03-04
status: held
minutes: approved
present: [jane-smith]
---
## LC2 Street trading

AGREED: That street trading consent be granted.
"""


FILES = {
    "content/boards/planning-committee.md": PLANNING,
    "content/boards/licensing-committee.md": LICENSING,
    "content/people/sam-taylor.md": SAM,
    "content/meetings/planning-committee/2020-03-04.md": MARCH,
    "content/meetings/planning-committee/2020-02-12.md": FEBRUARY_CANCELLED,
    "content/meetings/planning-committee/2024-01-17.md": UPCOMING,
    "content/meetings/licensing-committee/2020-02-20.md": LICENSING_FEBRUARY,
    "content/meetings/licensing-committee/2020-03-04.md": LICENSING_MARCH,
}


def link(tmp_path: Path, **changes: str) -> LinkedSite:
    """The linked model of the test site, with some files (by path) replaced."""
    site = make_site(tmp_path, {**FILES, **changes})
    result, diagnostics = check_site(site)
    assert result is not None, [d.format() for d in diagnostics.sorted()]
    return result


@pytest.fixture
def linked(tmp_path: Path) -> LinkedSite:
    return link(tmp_path)


def outcomes(linked: LinkedSite, person: str) -> list[tuple[str, str, bool]]:
    return [(a.meeting.key, a.outcome, a.expected) for a in linked.attendance.get(person, ())]


# --- References and backlinks ------------------------------------------------------------------------

def test_references_resolve_to_pages_and_anchors(linked: LinkedSite) -> None:
    assert linked.targets["PC2"] == Target("/boards/planning-committee/2020-01-15/pc2/", "PC2 Land at Mill Lane")
    assert linked.targets["planning-committee/2020-03-04#PC3"].url == "/boards/planning-committee/2020-03-04/pc3/"
    assert linked.targets["planning-committee/2020-01-15"] == Target(
        "/boards/planning-committee/2020-01-15/", "Planning Committee, 15 January 2020")
    assert linked.targets["people/lee-jones"] == Target("/people/lee-jones/", "Lee Jones")
    assert linked.targets["boards/licensing-committee"] == Target("/boards/licensing-committee/", "Licensing Committee")


def test_an_item_without_a_resolution_is_linked_on_its_meeting_page(tmp_path: Path) -> None:
    result = link(tmp_path, **{"content/meetings/planning-committee/2020-03-04.md":
                               MARCH.replace("Following [[PC2]]", "Following [[PC4]]")})
    assert result.targets["PC4"] == Target("/boards/planning-committee/2020-03-04/#pc4", "PC4 Appeals")


def test_backlinks_name_the_page_the_reference_is_shown_on(linked: LinkedSite) -> None:
    assert linked.backlinks["/boards/planning-committee/2020-01-15/pc2/"] == (
        Backlink(("2020-02-20", "LC1 Taxi licensing policy (Licensing Committee, 20 February 2020)"),
                 "/boards/licensing-committee/2020-02-20/lc1/",
                 "LC1 Taxi licensing policy (Licensing Committee, 20 February 2020)"),
        Backlink(("2020-03-04", "PC3 Land at Mill Lane: reserved matters (Planning Committee, 4 March 2020)"),
                 "/boards/planning-committee/2020-03-04/pc3/",
                 "PC3 Land at Mill Lane: reserved matters (Planning Committee, 4 March 2020)"),
    )


def test_text_of_an_item_that_is_not_a_decision_links_from_its_meeting(linked: LinkedSite) -> None:
    (backlink,) = linked.backlinks["/boards/planning-committee/2020-01-15/"]
    assert (backlink.url, backlink.title) == ("/boards/planning-committee/2020-03-04/",
                                              "Planning Committee, 4 March 2020")


def test_biographies_and_remits_are_sources_too(linked: LinkedSite) -> None:
    assert [(b.url, b.title) for b in linked.backlinks["/boards/planning-committee/"]] == [
        ("/people/sam-taylor/", "Councillor Sam Taylor")]
    assert [b.url for b in linked.backlinks["/boards/licensing-committee/"]] == ["/boards/planning-committee/"]
    assert [b.url for b in linked.backlinks["/people/lee-jones/"]] == ["/boards/planning-committee/2020-03-04/pc3/"]


def test_a_page_linking_to_itself_is_not_its_own_backlink(linked: LinkedSite) -> None:
    assert "/boards/planning-committee/2020-03-04/pc3/" not in linked.backlinks


def test_pages_nobody_links_to_have_no_backlinks(linked: LinkedSite) -> None:
    assert "/people/omar-khan/" not in linked.backlinks
    assert "/boards/planning-committee/2020-01-15/pc1/" not in linked.backlinks


# --- Attendance -------------------------------------------------------------------------------------

def test_attendance_outcomes_follow_membership_dates(linked: LinkedSite) -> None:
    assert outcomes(linked, "jane-smith") == [
        ("planning-committee/2020-01-15", "present", True),
        ("licensing-committee/2020-03-04", "present", True),
        ("planning-committee/2020-03-04", "present", True),
    ]
    # a member only from 1 February: apologies before that are not held against them
    assert outcomes(linked, "omar-khan") == [
        ("planning-committee/2020-01-15", "apologies", False),
        ("planning-committee/2020-03-04", "absent", True),
    ]
    # a member until 31 January, then a substitute
    assert outcomes(linked, "sam-taylor") == [
        ("planning-committee/2020-01-15", "absent", True),
        ("planning-committee/2020-03-04", "substitute", False),
    ]
    assert outcomes(linked, "lee-jones") == [("planning-committee/2020-01-15", "in attendance", False)]


def test_meetings_not_held_or_without_an_attendance_list_do_not_count(linked: LinkedSite) -> None:
    counted = {a.meeting.key for entries in linked.attendance.values() for a in entries}
    assert "planning-committee/2020-02-12" not in counted  # cancelled
    assert "planning-committee/2024-01-17" not in counted  # scheduled
    assert "licensing-committee/2020-02-20" not in counted  # held, but nobody was listed


def test_attendance_rate_counts_meetings_expected_at(linked: LinkedSite) -> None:
    assert linked.attendance_rate("jane-smith") == (3, 3)
    assert linked.attendance_rate("omar-khan") == (0, 1)
    assert linked.attendance_rate("sam-taylor") == (0, 1)
    assert linked.attendance_rate("lee-jones") == (0, 0)


def test_a_substitute_who_is_a_member_counts_as_attending(tmp_path: Path) -> None:
    march = MARCH.replace("present: [jane-smith]\nsubstitutes:\n  - {person: sam-taylor, role: substitute for Councillor Khan}",
                          "present: [sam-taylor]\nsubstitutes: [{person: jane-smith, role: substitute}]")
    planning = PLANNING.replace("{person: sam-taylor, to: 2020-01-31}", "{person: sam-taylor}")
    result = link(tmp_path, **{"content/boards/planning-committee.md": planning,
                               "content/meetings/planning-committee/2020-03-04.md": march})
    assert outcomes(result, "jane-smith")[-1] == ("planning-committee/2020-03-04", "substitute", True)
    assert result.attendance_rate("jane-smith") == (3, 3)
    assert result.attendance_rate("sam-taylor") == (1, 2)


def test_memberships_by_person(linked: LinkedSite) -> None:
    assert [(board.slug, m.role, m.start) for board, m in linked.memberships["jane-smith"]] == [
        ("licensing-committee", "Member", None), ("planning-committee", "Chair", None)]
    assert [(board.slug, m.end) for board, m in linked.memberships["sam-taylor"]] == [
        ("planning-committee", dt.date(2020, 1, 31))]
    assert "lee-jones" not in linked.memberships


# --- Previous and next, decisions -------------------------------------------------------------------------

def test_previous_and_next_meeting_of_the_same_board(linked: LinkedSite) -> None:
    keys = {key: meeting.key for key, meeting in linked.following.items()}
    assert keys == {
        "planning-committee/2020-01-15": "planning-committee/2020-02-12",
        "planning-committee/2020-02-12": "planning-committee/2020-03-04",
        "planning-committee/2020-03-04": "planning-committee/2024-01-17",
        "licensing-committee/2020-02-20": "licensing-committee/2020-03-04",
    }
    assert {key: meeting.key for key, meeting in linked.previous.items()} == {after: before for before, after in keys.items()}


def test_decisions_newest_first_then_board_then_item_order(linked: LinkedSite) -> None:
    assert [(m.key, i.ref) for m, i in linked.decisions] == [
        ("licensing-committee/2020-03-04", "LC2"),
        ("planning-committee/2020-03-04", "PC3"),
        ("licensing-committee/2020-02-20", "LC1"),
        ("planning-committee/2020-01-15", "PC1"),
        ("planning-committee/2020-01-15", "PC2"),
    ]


def test_items_without_a_resolution_and_exempt_items_are_not_decisions(linked: LinkedSite) -> None:
    refs = {i.ref for _, i in linked.decisions}
    assert {"PC4", "PC5", "PC9"}.isdisjoint(refs)


def test_decisions_by_year_and_by_board(linked: LinkedSite) -> None:
    assert [(year, len(pairs)) for year, pairs in linked.decisions_by_year()] == [(2020, 5)]
    board = linked.site.boards["planning-committee"]
    assert [i.ref for _, i in linked.board_decisions(board, 2)] == ["PC3", "PC1"]


def test_charts_count_every_year_in_their_range_even_a_year_with_nothing(tmp_path: Path) -> None:
    later = MARCH.replace("2020-03-04", "2022-05-11").replace("PC3", "PC13").replace("PC4", "PC14").replace("PC5", "PC15")
    linked = link(tmp_path, **{"content/meetings/planning-committee/2022-05-11.md": later})
    board = linked.site.boards["planning-committee"]
    assert linked.decisions_per_year(board) == [(2020, 3), (2021, 0), (2022, 1)]
    assert linked.attendance_by_year("jane-smith") == [(2020, 3, 0), (2021, 0, 0), (2022, 1, 0)]


def test_upcoming_meetings_are_scheduled_from_today(linked: LinkedSite) -> None:
    assert linked.today == dt.date(2023, 11, 14)  # SOURCE_DATE_EPOCH, set for every test
    assert [m.key for m in linked.upcoming()] == ["planning-committee/2024-01-17"]


# --- References that cannot be resolved ------------------------------------------------------------------

@pytest.mark.parametrize("reference, message, hint", [
    ("PC9", "there is no item with the reference 'PC9'", "did you mean 'PC2'?"),
    ("people/jane-smyth", "there is no person 'jane-smyth'", "did you mean 'jane-smith'?"),
    ("boards/planing-committee", "there is no board 'planing-committee'", "did you mean 'planning-committee'?"),
    ("planning-committee/2020-01-16", "there is no meeting or report 'planning-committee/2020-01-16'",
     "did you mean 'planning-committee/2020-01-15'?"),
    ("planning-committee/2020-01-15#PC3", "there is no item 'PC3' in the meeting planning-committee/2020-01-15",
     "did you mean 'PC2'?"),
])
def test_unresolved_references(tmp_path: Path, reference: str, message: str, hint: str) -> None:
    minutes = (Path(__file__).parent / "fixtures/minimal-site/content/meetings/planning-committee/2020-01-15.md")
    text = minutes.read_text(encoding="utf-8").replace("twelve homes.", f"twelve homes, see\n[[{reference}|this]].")
    site = make_site(tmp_path, {"content/meetings/planning-committee/2020-01-15.md": text})
    result, diagnostics = check_site(site)
    assert result is None
    assert [(d.line, d.column, d.message, d.hint) for d in diagnostics.sorted()] == [(18, 1, message, hint)]


def test_references_in_code_are_not_links(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/people/sam-taylor.md": "---\nname: Sam Taylor\n---\n"
                                                                "Write `x` like this:\n\n```\n[[PC99]]\n```\n"})
    result, diagnostics = check_site(site)
    assert result is not None, diagnostics.sorted()
    assert "PC99" not in result.targets

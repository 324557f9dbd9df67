"""The link check that stops a broken site from being published."""

from __future__ import annotations

from generator.publish.linkcheck import check_links, page_links


def test_good_links_pass() -> None:
    pages = {
        "/": b'<a href="boards/">b</a><a href="boards/#top">t</a><a href="https://example.org/">x</a>'
             b'<link rel="stylesheet" href="static/style.css">',
        "/boards/": b'<h1 id="top">Boards</h1><a href="../">home</a><a href="#top">top</a>',
    }
    assert check_links({url: page_links(html) for url, html in pages.items()}, {"/static/style.css"}) == []


def test_missing_page_and_missing_anchor_are_reported() -> None:
    pages = {"/": b'<a href="nowhere/">n</a><a href="boards/#missing">m</a>', "/boards/": b"<h1>Boards</h1>"}
    assert check_links({url: page_links(html) for url, html in pages.items()}, set()) == [
        "/: nowhere/", "/: boards/#missing (no such anchor)"]

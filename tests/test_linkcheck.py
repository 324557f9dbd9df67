"""The link check that stops a broken site from being published."""

from __future__ import annotations

from generator.publish.linkcheck import PageLinks, check_links, page_links


def check(pages: dict[str, bytes], files: set[str], checked: set[str] | None = None) -> list[str]:
    """The problems in the links of the `checked` pages (all of them by default) of a site of `pages`."""
    read: dict[str, PageLinks] = {url: page_links(html) for url, html in pages.items()}
    return check_links({url: links for url, links in read.items() if checked is None or url in checked},
                       {url: set(links[1]) for url, links in read.items()}, files)


def test_good_links_pass() -> None:
    pages = {
        "/": b'<a href="boards/">b</a><a href="boards/#top">t</a><a href="https://example.org/">x</a>'
             b'<link rel="stylesheet" href="static/style.css">',
        "/boards/": b'<h1 id="top">Boards</h1><a href="../">home</a><a href="#top">top</a>',
    }
    assert check(pages, {"/static/style.css"}) == []


def test_missing_page_and_missing_anchor_are_reported() -> None:
    pages = {"/": b'<a href="nowhere/">n</a><a href="boards/#missing">m</a>', "/boards/": b"<h1>Boards</h1>"}
    assert check(pages, set()) == ["/: nowhere/", "/: boards/#missing (no such anchor)"]


def test_only_the_pages_asked_for_are_checked_against_every_page_of_the_site() -> None:
    pages = {"/": b'<a href="nowhere/">n</a>', "/boards/": b'<h1 id="top">Boards</h1><a href="../#missing">m</a>',
             "/people/": b'<a href="../boards/#top">b</a>'}
    assert check(pages, set(), {"/people/"}) == []
    assert check(pages, set(), {"/boards/"}) == ["/boards/: ../#missing (no such anchor)"]

"""The URL scheme and relative links."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from generator.model.fields import SLUG
from generator.plan.urls import relative, relativize, slugify


def test_relative_links_between_pages() -> None:
    assert relative("/boards/cabinet/", "/") == "boards/cabinet/"
    assert relative("/", "/boards/cabinet/2013-06-04/") == "../../../"
    assert relative("/boards/cabinet/2013-06-04/#strategic-partnership", "/boards/cabinet/2013-06-04/") == "#strategic-partnership"
    assert relative("/static/style.css", "/people/ann-jones/") == "../../static/style.css"
    assert relative("/boards/cabinet/", "/boards/cabinet/") == "./"


def test_relativize_rewrites_only_site_root_links() -> None:
    html = '<a href="/people/">p</a><img src="/static/x.png"><a href="//cdn.example">c</a><a href="https://x/">x</a>'
    assert relativize(html, "/boards/cabinet/") == (
        '<a href="../../people/">p</a><img src="../../static/x.png"><a href="//cdn.example">c</a><a href="https://x/">x</a>')


segment = st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True)
site_path = st.lists(segment, max_size=4).map(lambda parts: "/" + "".join(p + "/" for p in parts))


@given(site_path, site_path)
def test_a_relative_link_leads_back_to_its_target(target: str, page: str) -> None:
    link = relative(target, page)
    resolved = posixpath.normpath(posixpath.join(page, link))
    assert resolved.rstrip("/") == target.rstrip("/") or (resolved == "/" and target == "/")


def test_slugs_from_titles() -> None:
    assert slugify("Ofsted Focused Visit 13th and 14th November 2021") == "ofsted-focused-visit-13th-and-14th-november-2021"
    assert slugify("Children's services") == "childrens-services"
    assert slugify("6(A)") == "6-a"
    assert slugify("Café Ünïcode") == "cafe-unicode"
    assert slugify("!!!") == "item"


@given(st.text())
def test_every_slug_is_a_valid_slug(title: str) -> None:
    slug = slugify(title)
    assert SLUG.match(slug) and len(slug) <= 80

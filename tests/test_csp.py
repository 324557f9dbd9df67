"""The Content Security Policy every page carries, read from the built pages.

A policy in a <meta> tag applies only to what comes after it, so it must come straight
after the character set and viewport. It must keep scripts and styles to the site's own
files: no 'unsafe-inline' (which would let an injected <script> or style="" run), no
'unsafe-eval' (only 'wasm-unsafe-eval', which the search engine's WebAssembly needs), no
plugins, and no <base> to redirect relative links. And the pages must live within it:
no inline script except JSON-LD data, no style attributes, no <style> elements. The
browser tests (test_browser.py) check at run time that nothing breaks the policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from hostile import build_hostile, output_files

SOURCES_NEVER_ALLOWED = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "data:",
                         "blob:", "http:", "https:", "filesystem:"}


@pytest.fixture(scope="session")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    return build_hostile(tmp_path_factory)


def parse_policy(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0].lower() not in directives, f"{words[0]} is given twice"
            directives[words[0].lower()] = words[1:]
    return directives


def check_page(rel: str, markup: str) -> list[str]:
    """Everything wrong with one page's policy and its keeping of it."""
    problems: list[str] = []
    soup = BeautifulSoup(markup, "html.parser")
    head = soup.head
    if head is None:
        return [f"{rel}: no <head>"]
    first = [child for child in head.children if isinstance(child, Tag)][:3]
    names = [(tag.name, tag.get("charset"), tag.get("name"), tag.get("http-equiv")) for tag in first]
    if names != [("meta", "utf-8", None, None), ("meta", None, "viewport", None),
                 ("meta", None, None, "Content-Security-Policy")]:
        problems.append(f"{rel}: the head does not start with charset, viewport and the policy: {names}")
    policies = soup.find_all("meta", attrs={"http-equiv": lambda v: v and v.lower() == "content-security-policy"})
    if len(policies) != 1:
        return problems + [f"{rel}: {len(policies)} policies"]
    policy = parse_policy(policies[0]["content"])
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"{rel}: default-src is {policy.get('default-src')}")
    script = policy.get("script-src", policy.get("default-src", []))
    if set(script) - {"'self'", "'wasm-unsafe-eval'"}:
        problems.append(f"{rel}: script-src allows {set(script) - {chr(39) + 'self' + chr(39)}}")
    for directive, sources in policy.items():
        if directive != "img-src" and set(sources) & SOURCES_NEVER_ALLOWED:
            problems.append(f"{rel}: {directive} allows {set(sources) & SOURCES_NEVER_ALLOWED}")
    if policy.get("img-src", ["'self'"]) not in (["'self'"], ["'self'", "data:"]):
        problems.append(f"{rel}: img-src is {policy.get('img-src')}")
    if policy.get("style-src", ["'self'"]) != ["'self'"]:
        problems.append(f"{rel}: style-src is {policy.get('style-src')}")
    if policy.get("object-src") != ["'none'"]:
        problems.append(f"{rel}: object-src is {policy.get('object-src')}")
    if policy.get("base-uri") not in (["'none'"], ["'self'"]):
        problems.append(f"{rel}: base-uri is {policy.get('base-uri')}")
    for element in soup.find_all("script"):
        if not element.get("src") and element.get("type") != "application/ld+json":
            problems.append(f"{rel}: an inline script {str(element)[:60]!r}")
        if element.get("src") is not None and element.string and element.string.strip():
            problems.append(f"{rel}: a script with both src and a body")
    for element in soup.find_all(True):
        if "style" in element.attrs:
            problems.append(f"{rel}: style attribute on <{element.name}>")
        if any(name.lower().startswith("on") for name in element.attrs):
            problems.append(f"{rel}: event handler on <{element.name}>")
    if soup.find("style") is not None:
        problems.append(f"{rel}: a <style> element")
    return problems


def all_pages(output: Path) -> list[tuple[str, str]]:
    pages = [(rel, path.read_text(encoding="utf-8")) for rel, path in output_files(output) if rel.endswith(".html")]
    assert len(pages) > 10
    return pages


def test_every_page_of_the_example_site_keeps_a_strict_policy(example_output: Path) -> None:
    problems = [problem for rel, markup in all_pages(example_output) for problem in check_page(rel, markup)]
    assert problems == []


def test_every_page_of_a_hostile_site_keeps_a_strict_policy(hostile_build: tuple[Path, dict[str, list[str]]]) -> None:
    output, _ = hostile_build
    problems = [problem for rel, markup in all_pages(output) for problem in check_page(rel, markup)]
    assert problems == []


def test_the_not_found_page_has_the_policy_too(example_output: Path) -> None:
    assert check_page("404.html", (example_output / "404.html").read_text(encoding="utf-8")) == []


def test_the_search_page_needs_only_wasm_unsafe_eval(example_output: Path) -> None:
    soup = BeautifulSoup((example_output / "search/index.html").read_text(encoding="utf-8"), "html.parser")
    policy = parse_policy(soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"])
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    scripts = [script["src"] for script in soup.find_all("script")]
    assert scripts and all(src.startswith("../") and src.endswith(".js") for src in scripts)


# --- The check itself ----------------------------------------------------------------------------------

GOOD_HEAD = ('<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
             '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
             'style-src \'self\'; img-src \'self\' data:; object-src \'none\'; base-uri \'none\'">')


@pytest.mark.parametrize("change", [
    ("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
    ("script-src 'self'", "script-src 'self' 'unsafe-eval'"),
    ("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    ("default-src 'self'", "default-src *"),
    ("object-src 'none'", "object-src 'self'"),
    ("; base-uri 'none'", ""),
    ('<meta charset="utf-8">', '<meta charset="utf-8"><link rel="stylesheet" href="x.css">'),
])
def test_the_check_finds_a_weakened_policy(change: tuple[str, str]) -> None:
    good = f"<html><head>{GOOD_HEAD}</head><body></body></html>"
    assert check_page("good.html", good) == []
    assert check_page("bad.html", good.replace(*change)) != []


@pytest.mark.parametrize("body", ['<script>alert(1)</script>', '<p style="color:red">x</p>', "<style>p{}</style>",
                                  '<button onclick="go()">x</button>'])
def test_the_check_finds_what_the_policy_would_block(body: str) -> None:
    assert check_page("bad.html", f"<html><head>{GOOD_HEAD}</head><body>{body}</body></html>") != []

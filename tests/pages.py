"""Reading built pages as HTML documents."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def page(output: Path, url: str) -> BeautifulSoup:
    """The page at a site URL such as /boards/cabinet/."""
    path = output / url.lstrip("/")
    if url.endswith("/"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_url(absolute: str, base: str) -> str:
    """The site URL ("/boards/x/") of an absolute link into the site, without any fragment."""
    assert absolute.startswith(base), absolute
    return "/" + absolute[len(base):].split("#", 1)[0]


def internal_links(url: str, soup: BeautifulSoup) -> list[tuple[str, str]]:
    """(site URL, fragment) of every link on the page that stays on the site."""
    base = url if url.endswith("/") else posixpath.dirname(url).rstrip("/") + "/"
    found = []
    for element in soup.find_all(["a", "link", "img", "script"]):
        if element.name == "link" and "canonical" in (element.get("rel") or []):
            continue
        target = element.get("href") or element.get("src")
        if not target:
            continue
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue
        path = unquote(parts.path)
        resolved = posixpath.normpath(posixpath.join(base, path)) if path else url
        if (path.endswith("/") or path in (".", "./")) and not resolved.endswith("/"):
            resolved += "/"
        if not path:
            resolved = url
        found.append((resolved, unquote(parts.fragment)))
    return found


def exists(output: Path, url: str) -> bool:
    path = output / url.lstrip("/")
    return (path / "index.html").is_file() if url.endswith("/") else path.is_file()


def crawl(output: Path, start: str = "/") -> dict[str, BeautifulSoup]:
    """Every HTML page reachable by following links from `start`."""
    seen: dict[str, BeautifulSoup] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen or not url.endswith("/") or not exists(output, url):
            continue
        seen[url] = page(output, url)
        queue.extend(target for target, _ in internal_links(url, seen[url]) if target not in seen)
    return seen


def text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())

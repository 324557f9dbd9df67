"""The internal link check: every link and anchor in the rendered site must lead somewhere.

Runs on the rendered pages before anything is published, so a broken site never is. Each
page's links and anchors are read once, when it is rendered, and kept in the build cache with
the state of its output.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from typing import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from generator.plan import urls
from generator.diagnostics import Diagnostics, Position
from generator.model.records import CrossReference

PageLinks = tuple[tuple[str, ...], tuple[str, ...]]  # (links, anchor ids) of one page


# Pages are written by Minutes' templates and its sanitiser, which always quote attributes
# with '"', and text never holds a bare '<': tags can be read with a pattern, which is many
# times quicker than an HTML parser on thousands of pages. Only tags with attributes match.
_TAG = re.compile(r'<([a-zA-Z][\w-]*)((?:\s+[^\s=>/"]+(?:\s*=\s*"[^"]*")?)+)\s*/?>')
_ATTRIBUTE = re.compile(r'\s(href|src|id)\s*=\s*"([^"]*)"', re.IGNORECASE)


def page_links(html: bytes) -> PageLinks:
    links: list[str] = []
    ids: list[str] = []
    for tag in _TAG.finditer(html.decode("utf-8")):
        attributes = tag.group(2)
        if "=" not in attributes or (tag.group(1) == "link" and 'rel="canonical"' in attributes):
            continue
        for name, value in _ATTRIBUTE.findall(attributes):
            (ids if name.lower() == "id" else links).append(unescape(value) if "&" in value else value)
    return tuple(links), tuple(sorted(set(ids)))


def check_links(pages: Mapping[str, PageLinks], anchors: Mapping[str, set[str]], files: set[str],
                base_path: str = "/") -> list[str]:
    """Problems as 'page: link' lines, for the links of `pages` (URL -> links and anchors);
    `anchors` gives the anchors of every page of the site, `files` its other URLs. Links that
    start with `base_path` (the path the site is published under) are rooted there."""
    problems = []
    for url, (links, _) in sorted(pages.items()):
        for link in links:
            target = _resolve(link, url, base_path)
            if target is None:
                continue
            path, fragment = target
            if path in anchors:
                if fragment and fragment not in anchors[path]:
                    problems.append(f"{url}: {link} (no such anchor)")
            elif path not in files or fragment:
                problems.append(f"{url}: {link}")
    return problems


def _resolve(link: str, page_url: str, base_path: str) -> tuple[str, str] | None:
    """The site URL a link leads to, or None for links that leave the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url).rstrip("/") + "/"
    path = unquote(parts.path)
    if path.startswith(base_path) and base_path != "/":
        path = "/" + path[len(base_path):]
    if not path:
        resolved = page_url
    else:
        resolved = posixpath.normpath(posixpath.join(base, path))
        if path.endswith("/") or path.endswith("/.") or path == ".":
            resolved = resolved.rstrip("/") + "/"
    if not resolved.startswith("/"):
        resolved = "/" + resolved
    if urls.output_path(resolved).endswith("index.html") and not resolved.endswith("/"):
        resolved += "/"
    return resolved, unquote(parts.fragment)


def check_content_links(written: Iterable[CrossReference], known: set[str], diagnostics: Diagnostics) -> None:
    """A link a clerk wrote as a path on this site ("/boards/...") must lead to one of its pages
    or files: reported at the line it was written on, not as a fault of the templates."""
    for link in written:
        path = unquote(urlsplit(link.target).path)
        if path not in known and path + "/" not in known:
            diagnostics.error(link.path, Position(link.line, link.column), f"there is no page or file at '{link.target}' on this site",
                              "link to other records with [[...]], such as [[boards/cabinet]]")

"""Markdown to safe HTML.

Converting a fragment depends only on its text, so results are cached by
text. Cross-references come out as `<a data-xref="...">` placeholders that
`resolve_xrefs` turns into links once the link stage knows every target.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as etree
from typing import Callable, Iterator, Protocol

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from generator.source.fences import fenced_lines

XREF = re.compile(r"\[\[([^\[\]|\\\n]+?)(?:\\?\|([^\[\]\n]+?))?\]\]")

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre",
    "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title", "data-xref"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_ALIGNMENTS = {"left", "center", "right"}
_TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>'
_XREF_ANCHOR = re.compile(r'<a data-xref="([^"]*)">(.*?)</a>', re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")


class _CrossReferencePattern(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]  # noqa: N802
        element = etree.Element("a")
        element.set("data-xref", m.group(1).strip())
        element.text = (m.group(2) or "").strip()
        return element, m.start(0), m.end(0)


class _PageStructure(Treeprocessor):
    """Keep fragments inside the page's outline: no second h1, and tables whose headers
    say what they head. A table pasted from Word often has an empty header row: it is
    a two-column list of facts, so its first column becomes the row headers."""

    def run(self, root: etree.Element) -> None:
        for element in list(root.iter()):
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "table":
                _label_table(element)


def _label_table(table: etree.Element) -> None:
    for cell in table.iter():
        # Column alignment arrives as a style attribute, which the pages' Content
        # Security Policy refuses: it becomes a class instead.
        style = cell.attrib.pop("style", "")
        alignment = style.partition("text-align:")[2].strip(" ;")
        if alignment in _ALIGNMENTS:
            cell.set("class", f"align-{alignment}")
    head = table.find("thead")
    body = table.find("tbody")
    header_cells = head.findall("tr/th") if head is not None else []
    if head is not None and not any("".join(th.itertext()).strip() for th in header_cells):
        table.remove(head)
        for row in body.findall("tr") if body is not None else []:
            first = row.find("td")
            if first is not None and "".join(first.itertext()).strip():
                first.tag = "th"
                first.set("scope", "row")
        return
    for th in header_cells:
        if "".join(th.itertext()).strip():
            th.set("scope", "col")
        else:
            th.tag = "td"


class _MinutesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_CrossReferencePattern(XREF.pattern, md), "xref", 185)
        md.treeprocessors.register(_PageStructure(md), "page_structure", 5)


_converter = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code", _MinutesExtension()])
# Made once: handing nh3 its allow-lists with each fragment cost more than cleaning a short one.
_cleaner = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel=None,
    allowed_classes={"td": {f"align-{a}" for a in _ALIGNMENTS}, "th": {f"align-{a}" for a in _ALIGNMENTS}},
)


class FragmentStore(Protocol):
    """Where converted Markdown is kept between builds (the build cache)."""

    def fragment(self, digest: str) -> str | None: ...


def fragment_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).hexdigest()


class Converter:
    """Markdown to safe HTML, each text converted at most once: what was converted in an earlier
    build is taken from `store`, and what is converted now is kept in `made` for the next."""

    def __init__(self, store: FragmentStore | None = None) -> None:
        self.store = store
        self.made: dict[str, str] = {}
        self.reused: dict[str, str] = {}

    def html(self, text: str) -> str:
        digest = fragment_digest(text)
        found = self.made.get(digest) or self.reused.get(digest)
        if found is None:
            found = self.store.fragment(digest) if self.store else None
            if found is None:
                found = self.made[digest] = _convert(text)
            else:
                self.reused[digest] = found
        return found


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, with cross-references left as placeholders."""
    return _convert(text)


def _convert(text: str) -> str:
    _converter.reset()
    clean = _cleaner.clean(_converter.convert(text))
    # Wide tables scroll inside their own keyboard-reachable box, not the page.
    return clean.replace("<table>", _TABLE_OPEN).replace("</table>", "</table></div>")


def resolve_xrefs(fragment: str, lookup: Callable[[str], tuple[str, str] | None]) -> str:
    """Turn placeholders into links; `lookup` gives a target's URL and default text.

    The link stage has already reported every unknown [[target]]; a placeholder
    that still matches nothing (one typed as raw HTML) is left as plain text.
    """

    def link(match: re.Match[str]) -> str:
        target = html.unescape(match.group(1))
        found = lookup(target)
        if found is None:
            return match.group(2) or html.escape(target)
        url, title = found
        if target.startswith("people/"):
            before = html.unescape(_HTML_TAG.sub("", fragment[max(0, match.start() - 200):match.start()]))
            title = without_repeated_words(title, before)
        return f'<a href="{html.escape(url)}">{match.group(2) or html.escape(title)}</a>'

    return _XREF_ANCHOR.sub(link, fragment)


def without_repeated_words(title: str, before: str) -> str:
    """A person's name as a link's text, without the honorific the text has just given:
    "Councillor [[people/kath-loftus]]" reads "Councillor Kath Loftus", not "Councillor
    Councillor Kath Loftus". `before` is the plain text up to the link."""
    if not before[-1:].isspace():
        return title
    written = [word.lower() for word in before.split()]
    words = title.split()
    for count in range(len(words) - 1, 0, -1):
        if written[-count:] == [word.lower() for word in words[:count]]:
            return " ".join(words[count:])
    return title


def find_xrefs(text: str) -> Iterator[tuple[str, int, int]]:
    """Every [[target]] in Markdown source, as (target, line offset, column), skipping code blocks."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    for offset, line in enumerate(lines):
        if offset in fenced:
            continue
        for match in XREF.finditer(line):
            yield match.group(1).strip(), offset, match.start() + 1

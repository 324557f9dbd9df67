"""Splitting a meeting's body into items, resolutions and decision sections (generator/source/minutes.py)."""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import check, make_site
from hypothesis import given, settings
from hypothesis import strategies as st
import markdown
from markdown.extensions.fenced_code import FencedBlockPreprocessor

from generator.source.minutes import ParsedItem, Part, parse_heading, parse_minutes

FULL = """\
The meeting opened at 2 p.m.

## EXB77 Traded services {.key-decision}

The Board received a report.

RESOLVED: That

1. the proposal be approved; and
2. Option B be supported.

### Reasons for decision

To raise standards.

### Alternative options considered and rejected

None.

### Implementation date

1 April 2011.

## EXB78 Ofsted letter

Noted.
"""


def one_item(body: str) -> ParsedItem:
    parsed = parse_minutes("## PC1 Item\n\n" + body, 1)
    assert len(parsed.items) == 1 and parsed.problems == ()
    return parsed.items[0]


def text(part: Part | None) -> str | None:
    return part.text if part else None


# --- Headings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("heading, ref, title", [
    ("EXB77 Traded services", "EXB77", "Traded services"),
    ("68 Minutes", "68", "Minutes"),
    ("6(A) Independent living skills", "6(A)", "Independent living skills"),
    ("2.1 Budget", "2.1", "Budget"),
    ("1. Minutes", "1", "Minutes"),
    ("EXB77: Traded services", "EXB77", "Traded services"),
    ("Public question time", None, "Public question time"),
    ("\\2016-19 business planning", None, "2016-19 business planning"),
    ("Apologies for absence", None, "Apologies for absence"),
    ("Item 5 Budget", None, "Item 5 Budget"),  # only the first word can be a reference
])
def test_minute_reference_and_title(heading: str, ref: str | None, title: str) -> None:
    parsed, problems = parse_heading(heading, 7)
    assert (parsed.ref, parsed.title, parsed.line) == (ref, title, 7)
    assert problems == []


@pytest.mark.parametrize("heading, classes, attrs, custom_id", [
    ("EXB77 Title {.key-decision}", ("key-decision",), (), None),
    ("EXB80 Sale {.exempt paragraph=3}", ("exempt",), (("paragraph", "3"),), None),
    ('EXB80 Sale {.exempt paragraph="3"}', ("exempt",), (("paragraph", "3"),), None),
    ("School meals {#school-meals}", (), (), "school-meals"),
    ("EXB79 DSG {.key-decision #dsg-reprofile}", ("key-decision",), (), "dsg-reprofile"),
    ("EXB79 DSG {  .key-decision   .exempt paragraph=1 }", ("key-decision", "exempt"), (("paragraph", "1"),), None),
])
def test_heading_flags(heading: str, classes: tuple, attrs: tuple, custom_id: str | None) -> None:
    parsed, problems = parse_heading(heading, 1)
    assert (parsed.classes, parsed.attrs, parsed.custom_id) == (classes, attrs, custom_id)
    assert "{" not in parsed.title and problems == []


def test_braces_inside_a_title_are_part_of_it() -> None:
    parsed, problems = parse_heading("PC1 The {draft} local plan", 1)
    assert parsed.title == "The {draft} local plan" and problems == []


@pytest.mark.parametrize("heading, message, hint", [
    ("EXB77 Title {.key-desicion}", "unknown flag '.key-desicion'", "did you mean '.key-decision'?"),
    ("EXB77 Title {.urgent}", "unknown flag '.urgent'", "the flags are {.key-decision} and {.exempt paragraph=N}"),
    ("EXB77 Title {.exempt para=3}", "unknown setting 'para'", "did you mean 'paragraph'?"),
    ("EXB77 Title {key-decision}", "cannot read 'key-decision' in the heading's braces",
     "write flags as {.key-decision}, {.exempt paragraph=3} or {#an-id}"),
])
def test_heading_flag_problems(heading: str, message: str, hint: str) -> None:
    _, problems = parse_heading(heading, 9)
    assert [(p.line, p.column, p.message, p.hint) for p in problems] == [(9, 1, message, hint)]


@pytest.mark.parametrize("heading", ["EXB77", "EXB77 ", "1.", "EXB77 {.key-decision}", "\\", ""])
def test_a_heading_without_a_title(heading: str) -> None:
    _, problems = parse_heading(heading, 3)
    assert [(p.line, p.column, p.message) for p in problems] == [(3, 4, "this agenda item has no title")]


# --- Items and their line numbers -------------------------------------------------------------------------

def blocks(part: Part | None) -> list[str]:
    """A part's text as its blocks: how many blank lines separate them does not matter to Markdown."""
    return re.split(r"\n\s*\n", text(part))


def test_every_part_and_its_line() -> None:
    parsed = parse_minutes(FULL, 10)
    assert parsed.problems == ()
    assert parsed.intro == Part("The meeting opened at 2 p.m.", 10)
    first, second = parsed.items
    assert (first.heading.ref, first.heading.line, first.first_content_line) == ("EXB77", 12, 14)
    assert first.text == Part("The Board received a report.", 14)
    assert first.resolution == Part("RESOLVED: That\n\n1. the proposal be approved; and\n2. Option B be supported.", 16)
    assert first.resolution_kind == "RESOLVED"
    assert first.sections == {"reasons": Part("To raise standards.", 23),
                              "alternatives": Part("None.", 27),
                              "implementation": Part("1 April 2011.", 31)}
    assert (second.heading.ref, second.heading.line) == ("EXB78", 33)
    assert second.text == Part("Noted.", 35)
    assert second.resolution is None and second.sections == {}


def test_a_body_without_items_is_all_introduction() -> None:
    parsed = parse_minutes("\n\nThe meeting was cancelled.\n", 5)
    assert parsed.items == ()
    assert parsed.intro == Part("The meeting was cancelled.", 7)


def test_an_empty_body() -> None:
    parsed = parse_minutes("", 5)
    assert (parsed.intro, parsed.items, parsed.problems) == (None, (), ())


def test_an_item_with_nothing_under_it() -> None:
    item = parse_minutes("## PC3 Sale of land {.exempt paragraph=3}\n\n", 1).items[0]
    assert (item.text, item.resolution, item.sections, item.first_content_line) == (None, None, {}, None)


def test_a_level_one_heading_is_a_problem() -> None:
    parsed = parse_minutes("Intro\n# Minutes\n## PC1 Item\n\n# Also here\n", 20)
    assert [(p.line, p.column, p.message) for p in parsed.problems] == [
        (21, 1, "a '# ' heading is not allowed in a meeting"), (24, 1, "a '# ' heading is not allowed in a meeting")]


def test_deeper_headings_do_not_start_items() -> None:
    parsed = parse_minutes("## PC1 Item\n\n### Background\n\n#### Detail\n\n    ## Code, not a heading\n", 1)
    assert len(parsed.items) == 1
    assert parsed.items[0].text.text == "### Background\n\n#### Detail\n\n    ## Code, not a heading"


@pytest.mark.parametrize("line", [
    "##PC2 Sale of land {.exempt paragraph=3}",  # no space: Python-Markdown still makes it a heading
    "##\u00a0PC2 Sale of land {.exempt paragraph=3}",  # a non-breaking space, as Word writes one
    "##\tPC2 Sale of land {.exempt paragraph=3}",
    " ## PC2 Sale of land {.exempt paragraph=3}",  # indented: a heading to GitHub's preview and editors
    "   ## PC2 Sale of land {.exempt paragraph=3}",
    "## PC2 Sale of land {.exempt paragraph=3} ##",  # closing hashes, which Python-Markdown drops
    "## PC2 Sale of land {.exempt paragraph=3}#",
])
def test_every_way_of_writing_an_item_heading_starts_an_item_and_reads_its_flags(line: str) -> None:
    parsed = parse_minutes(f"## PC1 Item\n\nText.\n\n{line}\n", 1)
    assert parsed.problems == ()
    assert [(i.heading.ref, i.heading.title, i.heading.classes) for i in parsed.items] == [
        ("PC1", "Item", ()), ("PC2", "Sale of land", ("exempt",))]
    assert parsed.items[0].text == Part("Text.", 3)


@pytest.mark.parametrize("line, column", [
    ("## PC2 Sale of land {.exempt paragraph=3}.", 1),  # something after the flags
    ("## PC2 Sale of land {.exempt paragraph=3} (private)", 1),
    ("## PC2 {.exempt paragraph=3} Sale of land", 1),
    ("## PC2 Sale of land {.exempt paragraph=3", 1),  # never closed
    ("## PC2 Sale of land (.exempt paragraph=3)", 1),
    ("PC2 Sale of land {.exempt paragraph=3}", 1),  # not a heading at all
    ("＃＃ PC2 Sale of land {.exempt paragraph=3}", 1),  # full-width hashes
    ("Sale of land {exempt}", 1),
    ("- PC2 Sale of land {.key-decision}", 1),
    ("    ## PC2 Sale of land {.exempt paragraph=3}", 1),  # code, published as it is
])
def test_flags_that_are_not_read_as_flags_are_a_problem(line: str, column: int) -> None:
    parsed = parse_minutes(f"## PC1 Item\n\nText.\n\n{line}\n\nSecret.\n", 1)
    assert [(p.line, p.column) for p in parsed.problems if "looks like an item's flags" in p.message] == [(5, column)]


@pytest.mark.parametrize("fence", ["```", "~~~", "````", "```text"])
def test_a_fenced_block_is_not_split(fence: str) -> None:
    closing = fence.rstrip("text")  # the same run of backticks or tildes
    body = f"## PC1 Item\n\n{fence}\n## not an item\n# not a heading\nRESOLVED: not a resolution\n{closing}\n\n## PC2 Next\n"
    parsed = parse_minutes(body, 1)
    assert [i.heading.ref for i in parsed.items] == ["PC1", "PC2"]
    assert parsed.problems == ()
    assert parsed.items[0].resolution is None
    assert "## not an item" in parsed.items[0].text.text


@pytest.mark.parametrize("stray", ["```", "   ```", "``` pasted from an email"])
def test_a_fence_that_is_never_closed_or_not_at_the_margin_hides_nothing(stray: str) -> None:
    """Python-Markdown renders what follows such a line as text, so its headings are items."""
    parsed = parse_minutes(f"## PC1 Item\n\n{stray}\n\n## PC2 Exempt {{.exempt paragraph=3}}\n\nSecret.\n", 1)
    assert [i.heading.ref for i in parsed.items] == ["PC1", "PC2"]
    assert parsed.items[1].first_content_line == 7


# --- Resolutions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, kind", [
    ("RESOLVED: That the report be noted.", "RESOLVED"),
    ("RECOMMENDED: That Council approve the budget.", "RECOMMENDED"),
    ("AGREED: That the item be deferred.", "AGREED"),
    ("**RESOLVED:** That the report be noted.", "RESOLVED"),
    ("**RESOLVED**: That the report be noted.", "RESOLVED"),
    ("__AGREED:__ That the item be deferred.", "AGREED"),
    ("RESOLVED - That the report be noted.", "RESOLVED"),
    ("RESOLVED – That the report be noted.", "RESOLVED"),
    ("RESOLVED : That the report be noted.", "RESOLVED"),
    ("Resolved: That the report be noted.", "RESOLVED"),  # capitals or not, it is what clerks mean
    ("**Agreed** – That the item be deferred.", "AGREED"),
    ("recommended: That Council approve the budget.", "RECOMMENDED"),
])
def test_resolution_openings(line: str, kind: str) -> None:
    item = one_item(f"Some discussion.\n\n{line}\n")
    assert (text(item.resolution), item.resolution_kind) == (line, kind)
    assert text(item.text) == "Some discussion."


@pytest.mark.parametrize("line", [
    "Resolved to note the report.",  # no colon or dash
    "RESOLVED That the report be noted.",  # no colon or dash
    "UNRESOLVED: matters",
    "    RESOLVED: indented code",
])
def test_lines_that_are_not_resolutions(line: str) -> None:
    item = one_item(f"{line}\n")
    assert item.resolution is None and text(item.text) == line


def test_resolved_inside_a_paragraph_is_not_a_resolution() -> None:
    item = one_item("The Board considered the report and\nRESOLVED: to note it.\n")
    assert item.resolution is None


def test_a_resolution_keeps_its_list_and_continuation_lines() -> None:
    item = one_item("RESOLVED: That\n\n(a) the report be noted;\n(b) officers report back\n    in March; and\n"
                    "- the Chair write to the Minister\ncontinuing lazily.\n\nThe Chair thanked officers.\n")
    assert text(item.resolution) == ("RESOLVED: That\n\n(a) the report be noted;\n(b) officers report back\n"
                                     "    in March; and\n- the Chair write to the Minister\ncontinuing lazily.")
    assert text(item.text) == "The Chair thanked officers."


def test_text_after_the_resolution_is_item_text() -> None:
    item = one_item("Before.\n\nRESOLVED: That the report be noted.\n\nAfter.\n")
    assert text(item.resolution) == "RESOLVED: That the report be noted."
    assert blocks(item.text) == ["Before.", "After."]
    assert item.first_content_line == 3


def test_each_line_of_a_part_stays_at_its_own_line_of_the_file() -> None:
    """Lines taken out of the item text leave blank lines, so a problem in the text is located exactly."""
    body = ("## PC1 Item\nBefore.\n\nRESOLVED: That\n1. it be noted\n\nAfter [[PC9]].\n\n"
            "### Reasons for decision:\nBecause.\n### Background\nLater.\n\nResolved: Also this.\n")
    lines = body.split("\n")
    (item,) = parse_minutes(body, 7).items
    for part in (item.text, item.resolution, *item.sections.values()):
        assert part is not None
        for offset, line in enumerate(part.text.split("\n")):
            assert line in ("", lines[part.line - 7 + offset])
    assert blocks(item.resolution) == ["RESOLVED: That\n1. it be noted", "Resolved: Also this."]


def test_two_resolutions_in_one_item_are_one_resolution() -> None:
    item = one_item("RECOMMENDED: That Council approve it.\n\nDebate followed.\n\nRESOLVED: That it be noted.\n")
    assert re.split(r"\n\s*\n", text(item.resolution)) == ["RECOMMENDED: That Council approve it.",
                                                         "RESOLVED: That it be noted."]
    assert item.resolution_kind == "RECOMMENDED"
    assert text(item.text) == "Debate followed."


def test_a_resolution_ends_a_section() -> None:
    item = one_item("### Reasons for decision\n\nTo raise standards.\n\nRESOLVED: That it be approved.\n\nAfter.\n")
    assert text(item.sections["reasons"]) == "To raise standards."
    assert text(item.resolution) == "RESOLVED: That it be approved."
    assert text(item.text) == "After."


def test_a_heading_ends_a_resolution() -> None:
    item = one_item("RESOLVED: That\n1. it be approved\n### Reasons for decision\nBecause.\n")
    assert text(item.resolution) == "RESOLVED: That\n1. it be approved"
    assert text(item.sections["reasons"]) == "Because."


# --- Decision sections ------------------------------------------------------------------------------------

@pytest.mark.parametrize("heading, name", [
    ("Reasons for decision", "reasons"),
    ("Reason for decision", "reasons"),
    ("Reasons for the decision", "reasons"),
    ("Reasons for decisions", "reasons"),
    ("Reason(s) for decision", "reasons"),
    ("REASONS FOR DECISION", "reasons"),
    ("**Reasons for decision**", "reasons"),
    ("Alternative options considered and rejected", "alternatives"),
    ("Alternative option considered", "alternatives"),
    ("alternative options considered", "alternatives"),
    ("Implementation date", "implementation"),
    ("Implementation dates", "implementation"),
    ("_Implementation date_", "implementation"),
    ("Reasons for decision:", "reasons"),  # a colon at the end is fine
    ("**Alternative options considered and rejected:**", "alternatives"),
])
def test_section_spellings(heading: str, name: str) -> None:
    item = one_item(f"Text.\n\n### {heading}\n\nSection text.\n")
    assert item.sections == {name: Part("Section text.", 7)}
    assert text(item.text) == "Text."


@pytest.mark.parametrize("heading", ["Background", "Reasons", "Decision", "Options", "Implementation"])
def test_other_level_three_headings_are_item_text(heading: str) -> None:
    item = one_item(f"### {heading}\n\nSome text.\n")
    assert item.sections == {}
    assert text(item.text) == f"### {heading}\n\nSome text."


def test_another_heading_ends_a_section() -> None:
    item = one_item("### Reasons for decision\n\nBecause.\n\n### Background\n\nHistory.\n")
    assert text(item.sections["reasons"]) == "Because."
    assert text(item.text) == "### Background\n\nHistory."


def test_a_section_written_twice_is_a_problem() -> None:
    parsed = parse_minutes("## PC1 Item\n\n### Reasons for decision\n\nA.\n\n### Reason for the decision\n\nB.\n", 30)
    assert [(p.line, p.message) for p in parsed.problems] == [
        (36, "the section 'Reason for the decision' appears twice in this item")]


# --- Properties ------------------------------------------------------------------------------------------

LINES = st.one_of(
    st.sampled_from([
        "", "## PC1 Minutes", "## 2.1 Budget {.key-decision}", "## Public question time", "## \\2016 plan",
        "## EXB80 Sale {.exempt paragraph=3}", "## ", "##", "# Minutes", "### Reasons for decision",
        "### Alternative options considered", "### Implementation date", "### Background", "RESOLVED: That",
        "**RESOLVED:** That", "AGREED - yes", "1. first", "(a) second", "    indented", "```", "~~~", "   ```python",
        "text", "More text [[PC1]].", "{.key-decision}", "\t## tabbed", " ## spaced",
    ]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=20),
    st.text(max_size=20).map(lambda s: "## " + s.replace("\n", " ").replace("\r", " ")),
)
BODIES = st.lists(LINES, max_size=40).map("\n".join)
def headings_outside_fences(body: str) -> list[int]:
    """Indexes of the lines that Python-Markdown, given the line alone (less up to three spaces
    of indentation, which other Markdown readers allow), makes a level-two heading of, and that
    are not inside a code block as its own fenced-code rule finds them: pages and parser agree."""
    blocks, position = [], 0
    while found := FencedBlockPreprocessor.FENCED_BLOCK_RE.search(body, position):
        blocks.append(found.span())
        position = found.end()
    headings, offset = [], 0
    for index, line in enumerate(body.split("\n")):
        alone = line.lstrip(" ") if len(line) - len(line.lstrip(" ")) <= 3 else line
        if (markdown.markdown(alone).startswith("<h2>") and "\n" not in alone.strip()
                and not any(start <= offset < end for start, end in blocks)):
            headings.append(index)
        offset += len(line) + 1
    return headings


@settings(max_examples=200, deadline=timedelta(seconds=1))
@given(st.one_of(BODIES, st.text()), st.integers(min_value=1, max_value=500))
def test_parse_minutes_finds_exactly_the_item_headings(body: str, first_line: int) -> None:
    parsed = parse_minutes(body, first_line)
    assert [item.heading.line for item in parsed.items] == [first_line + i for i in headings_outside_fences(body)]
    last_line = first_line + body.count("\n")
    for problem in parsed.problems:
        assert first_line <= problem.line <= last_line


@settings(max_examples=200, deadline=timedelta(seconds=1))
@given(BODIES)
def test_parse_minutes_drops_nothing_a_clerk_wrote(body: str) -> None:
    """Every line other than an item heading or a '### ' section heading ends up in some part."""
    parsed = parse_minutes(body, 1)
    parts = [parsed.intro] + [p for item in parsed.items
                              for p in (item.text, item.resolution, *item.sections.values())]
    kept = Counter(line for part in parts if part for line in part.text.split("\n") if line.strip())
    headings = set(headings_outside_fences(body))
    written = Counter(line for index, line in enumerate(body.split("\n"))
                      if line.strip() and index not in headings and not markdown.markdown(line).startswith("<h3>"))
    assert written - kept == Counter()


# --- The whole check on one arbitrary meeting file -----------------------------------------------------

KEYS = st.sampled_from(["date", "status", "minutes", "start", "end", "venue", "title", "present", "apologies",
                        "substitutes", "in_attendance", "declarations", "documents", "items", "apologise", "x"])
VALUES = st.one_of(st.sampled_from([
    "2020-01-15", "2020-01-16", "2015-02-30", "held", "scheduled", "approved", "none", "draft", '"18:30"', "18:30",
    "6.30pm", "[jane-smith]", "[omar-khan, jane-smith]", "jane-smith", "{person: jane-smith, role: Chair}",
    "{name: Gill Frame}", "[{role: Clerk}]", "[{person: jane-smith, item: PC1, interest: x}]",
    "[{title: Plan, file: plan.pdf}]", "[{url: \"javascript:x\"}]", "[{title: A, url: \"https://a.example\", item: PC2}]",
    "{PC1: {key_decision: true}}", "{PC2: {votes: {for: [jane-smith], against: 2}}}", "{PC9: {matter: x}}",
    "{PC1: {call_in: {deadline: 2020-01-22}}}", "", "~", "[]", "{}", "[[]]", "{a: {b: {c: d}}}", "&a x", "*a",
]), st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=12))
FRONT = st.lists(st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]}: {kv[1]}"), max_size=10).map("\n".join)
MEETING_FILES = st.one_of(
    st.tuples(FRONT, BODIES).map(lambda fb: f"---\n{fb[0]}\n---\n{fb[1]}"),
    st.tuples(st.just("---\ndate: 2020-01-15\nstatus: held\nminutes: approved\npresent: [jane-smith]\n---\n"), BODIES)
    .map("".join),
    st.text(),
    st.binary(max_size=200),
)


@settings(max_examples=100, deadline=timedelta(seconds=2))
@given(MEETING_FILES)
def test_the_check_never_raises_on_a_meeting_file(content: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = make_site(Path(folder) / "site", {"content/meetings/planning-committee/2020-01-15.md": content})
        diagnostics = check(site)
    for diagnostic in diagnostics.items:
        assert diagnostic.path.startswith("content/meetings/planning-committee/2020-01-15.md")
        assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.message

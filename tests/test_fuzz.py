"""Fuzzing the checker and the build with generated content.

Whatever is in a content file, `check_site` must return (never raise) within a bounded
time, which is each example's Hypothesis deadline, with a model exactly when it reports no
error, every problem at a line of the file it names, and the record written in the model
when it is accepted; and whenever it accepts the content, a build must succeed, which
includes its check that every internal link of every page resolves. Four kinds of input:
arbitrary text in and around a front matter, YAML-shaped structures built from the fields
the format knows (and some it does not), meeting
bodies assembled from the pieces of the minutes format (items, flags, resolutions,
sections, cross-references, fences, lists, raw HTML), and Markdown made of patterns that
Python-Markdown is slow on, as much of it as the check accepts, which must build within a
minute.

Builds leave out the search index and the examples are few, to keep the suite quick: the
slowest tests say so in their names.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MINIMAL, copy_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.build import build_site, check_site
from generator.model.link import LinkedSite
from generator.source.text import MAX_FILE_BYTES
from generator.model.validate.markdown import MAX_LINE, MAX_PARAGRAPH, MAX_WORK, markdown_problems, markdown_work

CHECK = settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
BUILD = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PERSON = "content/people/sam-taylor.md"
MEETING = "content/meetings/planning-committee/2020-02-12.md"


@pytest.fixture(scope="module")
def site() -> Iterator[Path]:
    """One copy of the minimal site for a whole module; each example writes its own file in it."""
    with tempfile.TemporaryDirectory() as temporary:
        yield copy_site(MINIMAL, Path(temporary) / "site")


def put(site: Path, rel: str, text: str | bytes) -> None:
    for stale in (PERSON, MEETING):
        (site / stale).unlink(missing_ok=True)
    (site / rel).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))


def checked(site: Path) -> LinkedSite | None:
    """Check the site, asserting what every check must give: a model exactly when no error is
    reported, and each problem at a line of the file it names."""
    linked, diagnostics = check_site(site)
    problems = diagnostics.sorted()
    assert (linked is None) == diagnostics.has_errors, [d.format() for d in problems]
    for problem in problems:
        assert problem.message and problem.line >= 1 and problem.column >= 1, problem
        named = site / problem.path
        assert named.exists() or named.is_symlink(), problem
        if named.is_file():  # lines as the parsers count them: \r, \r\n, U+2028 and the like end one too
            lines = named.read_bytes().decode("utf-8", errors="replace").splitlines()
            assert problem.line <= len(lines) + 1, problem
    return linked


def check_then_build(site: Path) -> None:
    """The property: the check returns; if it finds no error, the build succeeds."""
    linked, diagnostics = check_site(site)
    if linked is None or diagnostics.has_errors:
        assert diagnostics.has_errors  # no model without a reason
        return
    with tempfile.TemporaryDirectory() as output:
        result = build_site(site, Path(output) / "output", search=False)
        assert result.ok, [d.format() for d in result.diagnostics.sorted()]


# --- Arbitrary text --------------------------------------------------------------------------------

yamlish_characters = st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?\n\t ") + ["---", "...", "\r\n", "\ufeff", "\u00a0"])
yamlish_text = st.lists(st.one_of(yamlish_characters, st.text(max_size=8)), max_size=60).map("".join)


@CHECK
@given(front=yamlish_text, body=st.text(max_size=200))
def test_any_text_around_a_front_matter_is_checked_without_crashing(site: Path, front: str, body: str) -> None:
    put(site, PERSON, f"---\n{front}\n---\n{body}")
    linked = checked(site)
    assert linked is None or "sam-taylor" in linked.site.people


@CHECK
@given(data=st.binary(max_size=300))
def test_any_bytes_in_a_content_file_are_checked_without_crashing(site: Path, data: bytes) -> None:
    put(site, PERSON, data)
    linked = checked(site)
    assert linked is None or "sam-taylor" in linked.site.people


@CHECK
@given(text=st.text(max_size=300))
def test_any_text_as_site_yaml_is_checked_without_crashing(text: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        site = copy_site(MINIMAL, Path(temporary) / "site")
        (site / "site.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        linked = checked(site)
        assert linked is None or (linked.site.config.title and linked.site.config.base_url.endswith("/"))


# --- YAML-shaped structures ---------------------------------------------------------------------------

MEETING_KEYS = ["date", "title", "start", "end", "venue", "status", "minutes", "present", "apologies", "substitutes",
                "in_attendance", "declarations", "documents", "media", "items", "person", "name", "role", "item",
                "interest", "note", "file", "url", "kind", "key_decision", "votes", "for", "against", "abstain",
                "call_in", "deadline", "wards", "matter", "media_offset", "PC1", "PC2", "unknown", "paragraph"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(MEETING_KEYS),
    st.sampled_from(["held", "scheduled", "cancelled", "approved", "draft", "none", "18:30", "6.30pm", "24:00",
                     "jane-smith", "omar-khan", "lee-jones", "https://example.org/a.pdf", "javascript:alert(1)",
                     "../../etc/passwd", "site-plan.pdf", "00:42:10", "PC1", "PC2", "2020-02-12", "2.10"]),
)
structures = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(MEETING_KEYS), st.text(max_size=6), st.integers()), inner, max_size=5),
), max_leaves=25)
meeting_fronts = st.fixed_dictionaries(
    {"date": st.one_of(st.just(dt.date(2020, 2, 12)), scalars), "status": st.one_of(st.just("held"), scalars)},
    optional={key: structures for key in MEETING_KEYS if key not in ("date", "status")},
)


def dump(value: Any) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):  # a value PyYAML cannot write: write its text instead
        return repr(value)


@CHECK
@given(front=meeting_fronts)
def test_any_structure_in_a_meeting_front_matter_is_checked_without_crashing(site: Path, front: dict[str, Any]) -> None:
    put(site, MEETING, f"---\n{dump(front)}---\n## PC3 Mill Lane\n\nRESOLVED: noted.\n")
    linked = checked(site)
    assert linked is None or "planning-committee/2020-02-12" in linked.meeting_by_key


@CHECK
@given(front=st.dictionaries(st.sampled_from(["name", "honorific", "party", "ward", "role", "position",
                                               "organisation", "other"]), structures, max_size=6))
def test_any_structure_in_a_person_front_matter_is_checked_without_crashing(site: Path, front: dict[str, Any]) -> None:
    put(site, PERSON, f"---\n{dump(front)}---\n")
    linked = checked(site)
    assert linked is None or "sam-taylor" in linked.site.people


# --- Meeting bodies ------------------------------------------------------------------------------------

refs = st.one_of(st.sampled_from(["PC3", "PC4", "PC5", "PC3", "3", "2.10", "6(A)", "PC1", ""]),
                 st.from_regex(r"PC[0-9]{1,3}", fullmatch=True))
flags = st.sampled_from(["", " {.key-decision}", " {.exempt paragraph=3}", " {.exempt}", " {#an-id}", " {.unknown}",
                         " {.key-decision #mill-lane}", " {paragraph=2}", " {"])
titles = st.sampled_from(["Mill Lane", "Minutes", "\\2016-19 budget", "Land at Smith\u2019s Farm", "", "<b>Bold</b>",
                          "[[PC1]]", "Public question time"])
pieces = st.one_of(
    st.builds(lambda r, t, f: f"## {r} {t}{f}".rstrip() if r else f"## {t}{f}", refs, titles, flags),
    st.sampled_from([
        "RESOLVED: That permission be granted.", "RECOMMENDED: That Council approve the budget.", "AGREED - noted.",
        "**RESOLVED:** That", "1. the plan be approved; and", "2. the report be noted.", "   (a) in part",
        "### Reasons for decision", "### Alternative options considered and rejected", "### Implementation date",
        "### Other", "# A first-level heading", "```", "~~~", "    indented code", "- a list item", "> a quotation",
        "| a | b |", "|---|---|", "| 1 | 2 |", "[[PC1]]", "[[planning-committee/2020-01-15#PC2|the decision]]",
        "[[people/jane-smith]]", "[[boards/planning-committee]]", "[[PC99]]", "[[", "]]", "[link](https://example.org)",
        "<script>alert(1)</script>", "<style>", "<!--", "-->", "<div>", "</div>", "***", "", "", "",
        "[x](javascript:alert(1))", "Text with a footnote.[^1]", "\t- tabbed",
    ]),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
)
bodies = st.lists(pieces, max_size=25).map("\n".join)


@CHECK
@given(body=bodies, minutes=st.sampled_from(["none", "draft", "approved"]))
def test_any_meeting_body_is_checked_without_crashing(site: Path, body: str, minutes: str) -> None:
    put(site, MEETING, f"---\ndate: 2020-02-12\nstatus: held\nminutes: {minutes}\n---\n{body}\n")
    linked = checked(site)
    assert linked is None or linked.meeting_by_key["planning-committee/2020-02-12"].minutes == minutes


@BUILD
@given(body=bodies, minutes=st.sampled_from(["none", "draft", "approved"]))
def test_slow_a_meeting_body_the_check_accepts_always_builds_with_every_link_resolving(
        site: Path, body: str, minutes: str) -> None:
    put(site, MEETING, f"---\ndate: 2020-02-12\nstatus: held\nminutes: {minutes}\n---\n{body}\n")
    check_then_build(site)


@BUILD
@given(front=meeting_fronts.filter(lambda f: f.get("date") == dt.date(2020, 2, 12)))
def test_slow_a_meeting_front_matter_the_check_accepts_always_builds(site: Path, front: dict[str, Any]) -> None:
    put(site, MEETING, f"---\n{dump(front)}---\n## PC3 Mill Lane\n\nText.\n\n## PC4 Moor Lane {{.key-decision}}\n")
    check_then_build(site)


# --- Markdown that Python-Markdown is slow on ------------------------------------------------------------
#
# Python-Markdown takes time that grows with the square of its input, or worse, on some text
# (generator/validate/markdown.py). A file made of any such pattern, as large as the check lets
# it be, must build in bounded time: a build that has not finished after a minute is taken to
# hang. (Real text at that size builds in seconds; the patterns took minutes to hours before
# the check refused them.) This is a hang detector, not a measure of speed.

SLOW_PIECES = ["a<b ", "<a ", "</a ", "<!", "<?", "<", ">", "`a", "``", "*a", "**", "_a", "[", "]", "[a](", "![a", "](",
               "(", ")", "&#", "&amp;", "\\", "# a", "=", "-", "***", "```", "~~~", "1. ", "- ", "> ", "<!--", "[[",
               "a", " ", "\t", "  \n", "\n", "\n\n", "{", ":"]
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HANG = 60  # seconds


def markdown_accepted(text: str) -> bool:
    return not markdown_problems(text) and sum(part.amount for part in markdown_work(text)) <= MAX_WORK


def laid_out(pattern: str, layout: str, size: int) -> str:
    """`size` characters of a pattern: repeated as it is, one to a line or one to a paragraph, or
    in lines and paragraphs of the longest lengths allowed."""
    if layout == "longest lines":
        line = (pattern * (MAX_LINE // len(pattern) + 1))[:MAX_LINE]
        paragraph = "\n".join([line] * (MAX_PARAGRAPH // (MAX_LINE + 1)))
        text = "\n\n".join([paragraph] * (size // len(paragraph) + 1))
    else:
        text = (pattern + {"as it is": "", "one to a line": "\n", "one to a paragraph": "\n\n"}[layout]) * (size // len(pattern) + 1)
    return text[:size].strip("\n")


def largest_accepted(pattern: str, layout: str) -> str:
    """The longest text of a pattern, in a layout, that the check accepts, up to the size of a file."""
    largest = MAX_FILE_BYTES - 100
    accepted, refused = 0, 1024
    while refused < largest and markdown_accepted(laid_out(pattern, layout, refused)):
        accepted, refused = refused, min(2 * refused, largest)
    if markdown_accepted(laid_out(pattern, layout, refused)):
        return laid_out(pattern, layout, refused)
    while refused - accepted > max(1, refused // 50):
        middle = (accepted + refused) // 2
        accepted, refused = (middle, refused) if markdown_accepted(laid_out(pattern, layout, middle)) else (accepted, middle)
    return laid_out(pattern, layout, accepted)


@SLOW
@given(pattern=st.lists(st.sampled_from(SLOW_PIECES), min_size=1, max_size=4).map("".join).filter(str.strip),
       layout=st.sampled_from(["as it is", "one to a line", "one to a paragraph", "longest lines"]))
@example(pattern="a<b ", layout="longest lines")
@example(pattern="`a", layout="longest lines")
@example(pattern="*a", layout="as it is")
@example(pattern="```a", layout="one to a line")
@example(pattern=">", layout="longest lines")  # quotations ">>>" nested thousands deep
def test_slow_the_largest_markdown_the_check_accepts_builds_in_bounded_time(site: Path, pattern: str, layout: str) -> None:
    put(site, PERSON, f"---\nname: Sam Taylor\n---\n{largest_accepted(pattern, layout)}\n")
    with tempfile.TemporaryDirectory() as output:
        try:
            result = subprocess.run([sys.executable, "-m", "generator", "--site", str(site), "build", "--no-search",
                                     "--output", output + "/output"], capture_output=True, text=True, timeout=HANG)
        except subprocess.TimeoutExpired:
            pytest.fail(f"a file of {pattern!r} laid out {layout}, as large as the check accepts, "
                        f"took more than {HANG} seconds to build")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr[-2000:]


def test_the_module_site_is_the_minimal_site(site: Path) -> None:
    """Examples write only their own file: the rest of the site stays as the minimal site."""
    for rel in ("site.yaml", "content/boards/planning-committee.md"):
        assert (site / rel).read_bytes() == (MINIMAL / rel).read_bytes()

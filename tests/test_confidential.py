"""Confidential (exempt, Part II) items never leak.

An exempt item publishes its reference, title and the paragraph of Schedule 12A under
which it was taken in private, and nothing else. These property tests generate meetings
with an exempt item among ordinary ones and put a secret marker (SECRETq7x<random hex>)
where a clerk might wrongly put confidential text: under the exempt heading (as text, a
resolution, a decision section, a list, a comment, a code block), in a document attached
to it, in a report for it, or record votes on it. The build must fail, and no byte of the
marker may appear anywhere beside the site: not in output/ (pages, search index with its
fragments decompressed, feeds, calendars, data, sitemap) nor in any folder a build left.

A meeting with an exempt item written correctly (heading only) builds, and its title
appears only on the meeting's page, in the feeds and the meeting's open data: never in
the search index, never as a page of its own, never in the decisions register.
"""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, build, build_for_module, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pages import page, text

from generator.build import build_site

MEETING = "content/meetings/planning-committee/2020-02-12"
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILD_SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_for_module(tmp_path_factory, "good", MINIMAL)


def readable(path: Path) -> bytes:
    """A file's bytes as a program reading it would see its words: decompressed (the search
    index), with calendar lines unfolded (iCalendar folds lines every 75 bytes), lower-cased
    (the search index keeps words in lower case)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if path.suffix == ".ics":
        data = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    return data.lower()


def files_holding(folder: Path, needle: str) -> list[str]:
    """Every file under a folder, hidden ones and those of left-over staging folders too,
    that holds the needle."""
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*")
                  if path.is_file() and not path.is_symlink() and needle.lower().encode() in readable(path))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def needle(marker: str) -> str:
    """What of a marker survives into every output: its distinctive middle, in case the search
    index's stemmer trims the end of the word."""
    return marker[-15:-4]


# --- Generated meetings -----------------------------------------------------------------------------

hexes = st.text("0123456789abcdef", min_size=12, max_size=12)  # a marker: SECRETq7x<hex>, TITLEw3k<hex>
words = st.lists(st.sampled_from(["land", "at", "Moor", "Lane", "sale", "of", "the", "depot", "staffing", "review",
                                  "contract", "award", "for", "waste", "collection"]), min_size=1, max_size=5).map(" ".join)
PLACES = ["text", "resolution", "recommendation", "reasons", "list", "comment", "code", "table", "after-blank-lines",
          "document-url", "document-file", "report", "votes"]


@st.composite
def meetings(draw: st.DrawFn, place: str | None = None) -> dict[str, object]:
    """A meeting with an exempt item at a random position, and where its secret was put (None: nowhere)."""
    ordinary = draw(st.integers(min_value=0, max_value=3))
    position = draw(st.integers(min_value=0, max_value=ordinary))
    return {
        "ordinary": ordinary,
        "position": position,
        "paragraph": draw(st.integers(min_value=1, max_value=7)),
        "key": draw(st.booleans()),
        "title": draw(words),
        "marker": draw(hexes),
        "place": place if place is not None else draw(st.sampled_from(PLACES)),
        "minutes": draw(st.sampled_from(["draft", "approved"])),
    }


def secret_lines(place: str, secret: str) -> list[str]:
    return {
        "text": [secret],
        "resolution": [f"RESOLVED: That {secret} be accepted."],
        "recommendation": [f"RECOMMENDED: That {secret} be accepted."],
        "reasons": ["### Reasons for decision", "", secret],
        "list": [f"- {secret}", "- and the rest"],
        "comment": [f"<!-- {secret} -->"],
        "code": [f"    {secret}"],
        "table": ["| bid | value |", "|---|---|", f"| {secret} | 1.2m |"],
        "after-blank-lines": ["", "", "", "", secret],
    }.get(place, [])


def write_meeting(site: Path, m: dict[str, object], extra: Callable[[str, str], dict[str, object]] | None = None,
                  heading: Callable[[str, str], list[str]] | None = None) -> tuple[str, str, str]:
    """Write the meeting into a copy of the minimal site: (exempt reference, title marker, secret).
    `extra` gives more front matter, from the exempt item's reference and the secret; `heading`
    writes the exempt item's heading lines from its reference and title."""
    secret = f"SECRETq7x{m['marker']}"
    title_marker = f"TITLEw3k{m['marker']}"
    place = str(m["place"])
    refs = [f"PC{10 + n}" for n in range(int(m["ordinary"]) + 1)]
    exempt = refs[int(m["position"])]
    front: dict[str, object] = {"date": dt.date(2020, 2, 12), "status": "held", "minutes": m["minutes"],
                                "present": ["jane-smith"], "documents": []}
    body = []
    for ref in refs:
        if ref == exempt:
            flags = ".key-decision .exempt" if m["key"] else ".exempt"
            body += heading(ref, f"{title_marker} {m['title']}") if heading else [
                f"## {ref} {title_marker} {m['title']} {{{flags} paragraph={m['paragraph']}}}"]
            body += [""]
            body += secret_lines(place, secret) + [""]
        else:
            body += [f"## {ref} Street naming {ref}", "", "The Committee considered the names put forward.", "",
                     "RESOLVED: That the street be named Mill Court.", ""]
    files: dict[str, str | bytes] = {}
    if place == "document-url":
        front["documents"] = [{"title": f"Valuation {secret}", "url": f"https://example.org/{secret}.pdf",
                               "item": exempt}]
    elif place == "document-file":
        front["documents"] = [{"title": "Valuation", "file": "valuation.pdf", "item": exempt}]
        files["valuation.pdf"] = f"%PDF-1.4\n{secret}\n%%EOF\n".encode()
    elif place == "report":
        front["documents"] = [{"file": "valuation.md"}]
        files["valuation.md"] = f"---\ntitle: Valuation\nitem: {exempt}\n---\n{secret}\n"
    elif place == "votes":
        front["items"] = {exempt: {"votes": {"for": 5, "against": 2, "abstain": 0},
                                   "decision_maker": f"Cabinet {secret}"}}
    if not front["documents"]:
        del front["documents"]
    front.update(extra(exempt, secret) if extra else {})
    folder = site / MEETING
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.md").write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + "\n".join(body),
                                     encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return exempt, title_marker, secret


@SETTINGS
@given(meeting=meetings())
def test_confidential_text_anywhere_near_an_exempt_item_fails_the_build_and_is_never_written(
        meeting: dict[str, object], good_output: Path) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        output = root / "output"
        shutil.copytree(good_output, output)
        site = make_site(root / "site", {})
        _, _, secret = write_meeting(site, meeting)
        result = build(site, output)
        assert not result.ok, f"a secret put as {meeting['place']!r} was accepted"
        assert any("exempt" in d.message for d in result.diagnostics.sorted())
        assert [rel for rel in files_holding(root, needle(secret)) if not rel.startswith("site/")] == []
        assert sorted(p.name for p in root.iterdir()) == ["output", "site"]  # nothing left beside the output
        assert tree(output) == tree(good_output)  # the previous output, whole and unchanged


# Where an exempt item's title may be: the meeting's page (outside the search index), the feeds and
# calendars, and the meeting's open data.
EXEMPT_TITLE_ALLOWED = {"boards/planning-committee/2020-02-12/index.html", "feed.xml", "boards/planning-committee/feed.xml",
                        "data/boards/planning-committee/2020/events.json", "calendar.ics",
                        "boards/planning-committee/calendar.ics"}


@BUILD_SETTINGS
@given(meeting=meetings(place="heading only"))
def test_an_exempt_item_written_correctly_shows_its_title_only_where_allowed(meeting: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        site = make_site(root / "site", {})
        exempt, title_marker, _ = write_meeting(site, meeting)
        output = root / "output"
        result = build(site, output)
        assert result.ok, [d.format() for d in result.diagnostics.sorted()]
        holding = set(files_holding(output, needle(title_marker)))
        assert "boards/planning-committee/2020-02-12/index.html" in holding
        assert holding <= EXEMPT_TITLE_ALLOWED, holding - EXEMPT_TITLE_ALLOWED
        assert not (output / f"boards/planning-committee/2020-02-12/{exempt.lower()}").exists()
        meeting_page = page(output, "/boards/planning-committee/2020-02-12/")
        heading = meeting_page.find(id=exempt.lower())
        assert heading is not None and title_marker in text(heading)
        assert f"paragraph {meeting['paragraph']} of Part 1 of Schedule 12A" in text(heading.find_parent("section"))


# --- Exempt headings written slightly off --------------------------------------------------------------

FLAGS = ["{.exempt paragraph=3}", "{ .exempt paragraph=3 }", "{.Exempt paragraph=3}", "{.EXEMPT paragraph=3}",
         "{exempt paragraph=3}", "{.exempt paragraph = 3}", "{.exempt paragraph=3", "(.exempt paragraph=3)",
         "{.exempt}", "{.exmpt paragraph=3}", "{.exempt paragraph=3 .key-decision}", "{.exempt paragraph=3}{.key-decision}"]


@dataclass(frozen=True)
class ExemptHeading:
    """A way a clerk (or Word) may write an exempt item's heading: the hashes indented, with no
    space, a tab or a non-breaking space after them, closing hashes, the flags out of place or
    mistyped, something after them, or a heading Markdown makes from an underline, a list or a
    quotation."""

    indent: str
    hashes: str
    gap: str
    flags: str
    where: str
    after: str
    form: str

    def __call__(self, ref: str, title: str) -> list[str]:
        """The heading's lines, given the item's reference and title."""
        words = {"end": f"{ref} {title} {self.flags}", "middle": f"{ref} {self.flags} {title}",
                 "start": f"{self.flags} {ref} {title}"}
        heading = words[self.where] + self.after
        if self.form.startswith("underline"):
            return [heading, ("=" if self.form == "underline-double" else "-") * 10]
        prefix = {"list": "- ", "quote": "> "}.get(self.form, "")
        return [f"{self.indent}{prefix}{self.hashes}{self.gap}{heading}"]


exempt_headings = st.builds(
    ExemptHeading,
    indent=st.sampled_from(["", " ", "  ", "   "]),
    hashes=st.sampled_from(["#", "##", "###"]),
    gap=st.sampled_from([" ", "", "\u00a0", "\t", "  ", "\u00a0 "]),
    flags=st.sampled_from(FLAGS),
    where=st.sampled_from(["end", "end", "middle", "start"]),
    after=st.sampled_from(["", " ", " ##", "##", " #", ".", " .", "\u00a0", " (private)"]),
    form=st.sampled_from(["hashes", "hashes", "hashes", "underline", "underline-double", "list", "quote"]),
)


@SETTINGS
@given(meeting=meetings(place="text"), heading=exempt_headings)
def test_an_exempt_heading_written_slightly_off_never_publishes_the_text_under_it(
        meeting: dict[str, object], heading: ExemptHeading) -> None:
    """Either the heading is read as exempt (and its text is then an error), or the flags that
    were not read are an error at their line: the build fails, and no byte of the text is
    written anywhere, the search index decompressed."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        site = make_site(root / "site", {})
        _, _, secret = write_meeting(site, meeting, heading=heading)
        result = build(site, root / "output")
        assert not result.ok, "a secret under a mistyped exempt heading was published"
        lines = (site / MEETING / "index.md").read_text(encoding="utf-8").split("\n")
        flagged = {n for n, line in enumerate(lines, 1) if "exempt" in line.lower() or "exmpt" in line or secret in line}
        assert any(d.line in flagged or d.line - 1 in flagged for d in result.diagnostics.sorted() if d.severity == "error")
        assert [rel for rel in files_holding(root, needle(secret)) if not rel.startswith("site/")] == []


@BUILD_SETTINGS
@given(meeting=meetings(place="heading only"), heading=exempt_headings)
def test_an_exempt_heading_written_slightly_off_is_read_as_exempt_or_refused(
        meeting: dict[str, object], heading: ExemptHeading) -> None:
    """With nothing under it, a mistyped exempt heading builds only if it was read as exempt: its
    title is then only where an exempt item's title may be."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        site = make_site(root / "site", {})
        _, title_marker, _ = write_meeting(site, meeting, heading=heading)
        output = root / "output"
        if build(site, output).ok:
            assert set(files_holding(output, needle(title_marker))) <= EXEMPT_TITLE_ALLOWED


@pytest.mark.parametrize("reference", ["[[PC11]]", "[[planning-committee/2020-02-12#PC11]]",
                                       "[[planning-committee/2020-02-12#pc11]]"])
def test_a_reference_to_an_exempt_item_shows_no_title_where_search_can_find_it(tmp_path: Path, reference: str) -> None:
    site = make_site(tmp_path / "site", {})
    write_meeting(site, {"ordinary": 1, "position": 1, "paragraph": 3, "key": False, "title": "Sale of land",
                         "marker": "a1b2c3d4e5f6", "place": "heading only", "minutes": "approved"})
    index = site / MEETING / "index.md"
    index.write_text(index.read_text().replace("The Committee considered the names put forward.",
                                               f"The Committee noted {reference} before naming the street."))
    output = tmp_path / "output"
    assert build(site, output).ok
    holding = set(files_holding(output, needle("TITLEw3ka1b2c3d4e5f6")))
    assert holding <= EXEMPT_TITLE_ALLOWED, holding - EXEMPT_TITLE_ALLOWED
    decision = page(output, "/boards/planning-committee/2020-02-12/pc10/")
    link = decision.find("a", string=lambda s: s is not None and "PC11" in s)
    assert link is not None and link["href"].endswith("#pc11")


def test_item_facts_given_for_an_exempt_item_are_not_published(tmp_path: Path) -> None:
    """Facts that an ordinary item would show (decision maker, call-in, wards) are dropped for an
    exempt one; declarations of interest in it stay public, as the law requires."""
    site = make_site(tmp_path / "site", {})
    _, _, secret = write_meeting(
        site, {"ordinary": 1, "position": 1, "paragraph": 3, "key": False, "title": "Sale of land",
               "marker": "0123456789ab", "place": "heading only", "minutes": "approved"},
        lambda exempt, secret: {
            "items": {exempt: {"decision_maker": f"Cabinet {secret}", "wards": [secret],
                               "call_in": {"deadline": dt.date(2020, 2, 19), "status": secret}}},
            "declarations": [{"person": "jane-smith", "item": exempt, "interest": "Other registrable interest",
                              "note": "Owns land next to the site"}]})
    output = tmp_path / "output"
    assert build(site, output).ok
    assert files_holding(output, needle(secret)) == []
    assert "Owns land next to the site" in text(page(output, "/boards/planning-committee/2020-02-12/"))


def test_the_leak_scan_finds_a_marker_in_every_kind_of_output(tmp_path: Path) -> None:
    """The control for the tests above: a marker in an ordinary item is found in the pages, the
    search index (its fragments and its word index), feeds, calendars and open data."""
    site = make_site(tmp_path / "site", {})
    write_meeting(site, {"ordinary": 0, "position": 0, "paragraph": 1, "key": False, "title": "Sale of land",
                         "marker": "fedcba987654", "place": "heading only", "minutes": "approved"})
    index = site / MEETING / "index.md"
    marker = "SECRETq7xfedcba987654"
    index.write_text(index.read_text().replace(" {.exempt paragraph=1}", "")
                     + f"\n{marker} was discussed.\n\nRESOLVED: That the land be sold.\n")
    output = tmp_path / "output"
    assert build(site, output).ok
    found = files_holding(output, needle(marker))
    assert "boards/planning-committee/2020-02-12/index.html" in found and "data/boards/planning-committee/2020/events.json" in found
    assert any(rel.startswith("pagefind/planning-committee/fragment/") for rel in found)
    assert any(rel.startswith("pagefind/planning-committee/index/") for rel in found)
    title = files_holding(output, needle("TITLEw3kfedcba987654"))
    assert {"feed.xml", "calendar.ics", "data/boards/planning-committee/2020/decisions.json", "data/decisions.csv"} <= set(title)


RETRACTED = {
    "text and resolution": ("", ("\n{secret} The District Valuer puts the land at 1.2 million pounds.\n\n"
                                 "RESOLVED: That the land be sold for {secret}.\n"), ""),
    "a document": ("documents:\n  - {{title: Valuation {secret}, url: 'https://example.org/{secret}.pdf', item: PC4}}\n",
                   "\nConsidered.\n", ""),
    "a report": ("documents:\n  - {{file: valuation.md}}\n", "\nConsidered.\n",
                 "---\ntitle: Valuation {secret}\nitem: PC4\n---\n{secret} is the valuation.\n"),
}


@pytest.mark.parametrize("search", [True, False], ids=["with the index", "without the index"])
@pytest.mark.parametrize("where", RETRACTED)
def test_confidential_text_published_by_mistake_is_gone_from_every_output_once_the_item_is_exempt(
        tmp_path: Path, where: str, search: bool) -> None:
    """A clerk publishes an item that should have been private, then marks it exempt and removes
    its text: the next build, over the old output, leaves no trace of it, in the search index too,
    even a build that does not make the index (a preview's)."""
    secret = "SECRETq7x5ca1ab1e0042"
    front, text_, report = (part.format(secret=secret) for part in RETRACTED[where])
    head = f"---\ndate: 2020-02-12\nstatus: held\nminutes: approved\npresent: [jane-smith]\n{front}---\n"
    ordinary = "## PC3 Street naming\n\nRESOLVED: That the street be named Mill Court.\n\n"
    site = make_site(tmp_path / "site", {
        f"{MEETING}/index.md": head + ordinary + "## PC4 Sale of land at Moor Lane\n" + text_,
        **({f"{MEETING}/valuation.md": report} if report else {})})
    output = tmp_path / "output"
    assert build(site, output).ok
    assert files_holding(output, needle(secret)) != []  # published: it was not marked exempt
    (site / MEETING / "index.md").write_text(
        "---\ndate: 2020-02-12\nstatus: held\nminutes: approved\npresent: [jane-smith]\n---\n"
        + ordinary + "## PC4 Sale of land at Moor Lane {.exempt paragraph=3}\n")
    (site / MEETING / "valuation.md").unlink(missing_ok=True)
    assert build_site(site, output, search=search).ok
    assert files_holding(output, needle(secret)) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "site"]


def test_confidential_text_removed_from_the_records_is_gone_from_the_build_cache(tmp_path: Path) -> None:
    secret = "SECRETq7xcac4e0dd0042"
    ordinary = "## PC3 Street naming\n\nRESOLVED: That the street be named Mill Court.\n\n"
    head = "---\ndate: 2020-02-12\nstatus: held\nminutes: approved\n---\n"
    site = make_site(tmp_path / "site", {f"{MEETING}.md": head + ordinary + f"## PC4 Moor Lane\n\n{secret}\n"})
    assert build(site, tmp_path / "output").ok
    (site / f"{MEETING}.md").write_text(head + ordinary + "## PC4 Moor Lane {.exempt paragraph=3}\n")
    assert build(site, tmp_path / "output").ok
    assert files_holding(tmp_path / "output", needle(secret)) == []
    assert files_holding(site / ".cache", needle(secret)) == []


# --- Meetings not held cannot carry minutes -------------------------------------------------------------

@pytest.mark.parametrize("status", ["scheduled", "cancelled", "postponed"])
@pytest.mark.parametrize("minutes", ["draft", "approved"])
def test_a_meeting_not_held_cannot_have_minutes(tmp_path: Path, status: str, minutes: str) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2024-01-17.md":
                                         f"---\ndate: 2024-01-17\nstatus: {status}\nminutes: {minutes}\n---\n"
                                         "## PC5 Land at Mill Lane\n\nSECRET-draft-minutes\n"})
    result = build(site, tmp_path / "output")
    assert not result.ok
    [problem] = result.diagnostics.sorted()
    assert (problem.path, problem.line, problem.column) == ("content/meetings/planning-committee/2024-01-17.md", 4, 10)
    assert problem.message == f"a meeting that is {status} cannot have {minutes} minutes"
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("status", ["scheduled", "cancelled", "postponed"])
@pytest.mark.parametrize("kind", ["RESOLVED", "RECOMMENDED", "AGREED"])
def test_a_meeting_not_held_cannot_have_resolutions(tmp_path: Path, status: str, kind: str) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2024-01-17.md":
                                         f"---\ndate: 2024-01-17\nstatus: {status}\n---\n"
                                         f"## PC5 Land at Mill Lane\n\nThe report.\n\n{kind}: That permission be granted.\n"})
    result = build(site, tmp_path / "output")
    assert not result.ok
    [problem] = result.diagnostics.sorted()
    assert (problem.line, problem.column) == (9, 1)
    assert problem.message == f"a resolution is recorded, but this meeting has minutes: none and status: {status}"


# --- Known leaks --------------------------------------------------------------------------------------

STRAY_FENCE = """---
date: 2020-02-12
status: held
minutes: approved
---
## PC3 Street naming

The clerk pasted three backticks from an email:
```

RESOLVED: That the street be named Mill Court.

## PC4 Sale of land at Moor Lane {.exempt paragraph=3}

SECRET-4f2a9c The District Valuer puts the land at 1.2 million pounds.
"""


def test_a_stray_code_fence_cannot_hide_an_exempt_item_from_the_check(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2020-02-12.md": STRAY_FENCE})
    output = tmp_path / "output"
    result = build(site, output)
    leaked = files_holding(output, "secret-4f2a9c") if output.exists() else []
    assert leaked == []
    assert not result.ok


def test_an_exempt_item_named_in_a_declaration_is_not_indexed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    _, title, _ = write_meeting(
        site, {"ordinary": 1, "position": 0, "paragraph": 3, "key": False, "title": "Sale of land",
               "marker": "ba9876543210", "place": "heading only", "minutes": "approved"},
        lambda exempt, _: {"declarations": [{"person": "jane-smith", "item": exempt,
                                             "interest": "Other registrable interest"}]})
    output = tmp_path / "output"
    assert build(site, output).ok
    assert files_holding(output / "pagefind", needle(title)) == []

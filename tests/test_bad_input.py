"""Bad and hostile input: tests/fixtures/bad/<case>/.

Each case is what a clerk, a copy of Word or an attacker might put in a content folder.
Every case starts from a good build of the minimal site in output/; the bad site is then
built into the same output/, and must fail with exactly the expected diagnostics (file,
line, column, message, hint) while output/ stays byte for byte as it was, with no
staging folder left beside it. A few cases must simply work instead (`ok: true`): text from
Word or Windows, and files that are only a front matter.

A case folder is either `expect.yaml` with `rule: <name>`, which reuses the content and
the expected diagnostics of tests/fixtures/rules/<name>/ (so the messages are kept in one
place), or an overlay on the minimal site like those rule folders, with its expectation:

  path, line, column, message, hint   the one diagnostic (or a list under diagnostics:)
  symlink: {path: ..., target: ...}   a symbolic link to create
  many_fields: {path: ..., count: N}  a file whose front matter has N fields
  ok: true                            the build must succeed ...
  shows: {url: [text, ...]}           ... and these pages show these texts, exactly
  absent: [output path, ...]          ... and these files are not published

The second half of the file holds hostile input that must be refused quickly, which is
checked in a subprocess with a timeout, and content that breaks the build today.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    EPOCH,
    FIXTURES,
    MINIMAL,
    build,
    build_for_module,
    check,
    copy_site,
    make_site,
)
from pages import page
from test_rules import as_dict, expectation, expected_diagnostics, make_case, set_up

BAD = FIXTURES / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
MEETING = "content/meetings/planning-committee/2020-01-15.md"
MINIMAL_MEETING = (MINIMAL / MEETING).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal site, built once: each case starts from a copy of this output/."""
    return build_for_module(tmp_path_factory, "good", MINIMAL)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under a folder: its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path, output: Path) -> list[str]:
    """Staging or set-aside folders a build left beside its output."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{output.name}."))


def make_bad_case(name: str, target: Path) -> tuple[Path, dict[str, Any]]:
    expect = yaml.safe_load((BAD / name / "expect.yaml").read_text(encoding="utf-8"))
    if "rule" in expect:
        site, _ = make_case(expect["rule"], target)
        return site, {**expect, "expected": expected_diagnostics(expectation(expect["rule"]))}
    site = set_up(copy_site(MINIMAL, target), BAD / name, expect)
    if not expect.get("ok"):
        expect["expected"] = expected_diagnostics(expect)
    return site, expect


def test_the_corpus_covers_what_it_should() -> None:
    assert len(CASES) >= 45
    for name in CASES:
        expect = yaml.safe_load((BAD / name / "expect.yaml").read_text(encoding="utf-8"))
        assert "rule" in expect or "ok" in expect or "message" in expect or "diagnostics" in expect, name
        if "rule" in expect:
            assert (FIXTURES / "rules" / expect["rule"] / "expect.yaml").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path, good_output: Path) -> None:
    output = tmp_path / "output"
    shutil.copytree(good_output, output)  # copy2: the same bytes and modification times
    before = snapshot(output)
    site, expect = make_bad_case(name, tmp_path / "site")
    result = build(site, output)
    found = [as_dict(d) for d in result.diagnostics.sorted()]
    if expect.get("ok"):
        assert result.ok and found == [], found
        for url, texts in expect.get("shows", {}).items():
            shown = page(output, url).get_text()
            for text in texts:
                assert text in shown, f"{url} does not show {text!r}"
        for rel in expect.get("absent", []):
            assert not (output / rel).exists(), rel
        for path in output.rglob("*.html"):
            data = path.read_bytes()
            assert b"\xef\xbb\xbf" not in data and b"\r" not in data, path  # no byte-order mark, no CR
    else:
        assert not result.ok
        assert sorted(found, key=lambda d: (d["path"], d["line"], d["column"], d["message"])) == expect["expected"]
        assert snapshot(output) == before, "a failed build changed the previous output"
    assert leftovers(tmp_path, output) == []
    assert not (site / "pwned-by-yaml").exists() and not Path("pwned-by-yaml").exists()


def test_text_from_word_keeps_its_characters_in_every_output(tmp_path: Path) -> None:
    """The byte-order mark and carriage returns go; the curly quotes and non-breaking spaces stay,
    in pages, feeds, calendars and open data alike."""
    site, _ = make_bad_case("bom-crlf-smart-quotes-nbsp", tmp_path / "site")
    output = tmp_path / "output"
    assert build(site, output).ok
    title = "Land at Smith\u2019s Farm \u2013 phase\u00a02"
    for rel in ("feed.xml", "data/boards/planning-committee/2020/decisions.json", "data/decisions.csv"):
        assert title in (output / rel).read_text(encoding="utf-8"), rel
    venue = "Queen\u2019s\u00a0Hall"
    assert venue in (output / "data/boards/planning-committee/2020/events.json").read_text(encoding="utf-8")
    assert "\ufeff" not in (output / "calendar.ics").read_text(encoding="utf-8")
    ics = (output / "calendar.ics").read_bytes().replace(b"\r\n ", b"").decode("utf-8")  # unfold lines
    assert venue in ics


def test_tabs_and_closed_bidirectional_controls_are_published_but_no_other_control_character(tmp_path: Path) -> None:
    """Tabs (pasted from Word between a minute number and its title) and right-to-left text closed
    where it is written are kept; no output carries any other control character."""
    rtl = "\u2067\u0645\u062c\u0644\u0633\u2069"
    site = make_site(tmp_path / "site", {
        "content/people/sam-taylor.md": f"---\nname: \"Sam\tTaylor {rtl}\"\nrole: officer\n---\n",
        MEETING: MINIMAL_MEETING.replace("venue: Council Chamber", f'venue: "Council\tChamber {rtl}"\ntitle: "\u202eBudget\u202c"')
        .replace("in_attendance: [lee-jones]", "in_attendance: [lee-jones, sam-taylor]")
        .replace("## PC2 Land at Mill Lane", f"## PC2 Land at\tMill Lane {rtl}")
        .replace("twelve homes.", "twelve homes &#x2067;\u0645&#x2069;.\tRESOLVED"),
    })
    output = tmp_path / "output"
    result = build(site, output)
    assert result.ok, [d.format() for d in result.diagnostics.sorted()]
    assert "Mill Lane" in page(output, "/boards/planning-committee/2020-01-15/").get_text()
    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".ics", ".csv", ".json"):
            text = path.read_text(encoding="utf-8")
            assert set(re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)) <= {"\r"}, path
    assert "Chamber" in (output / "calendar.ics").read_text(encoding="utf-8")


# --- Refused quickly ----------------------------------------------------------------------------

def run_check(site: Path, timeout: float, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """`minutes check` in a process of its own, killed if it runs past `timeout` seconds;
    `memory` limits its address space, as a CI container would."""

    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "generator", "--site", str(site), "check"],
                          check=False, capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))


def run_build(site: Path, output: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "--site", str(site), "build", "--no-search",
                           "--output", str(output)], check=False, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH))


def billion_laughs(levels: int, width: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "---\nname: Sam Taylor\n" + "\n".join(lines) + f"\nparty: *a{levels - 1}\n---\n"


def test_a_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """Ten levels of ten aliases: 10^10 values if expanded. Refused without expanding them."""
    site = make_site(tmp_path, {"content/people/sam-taylor.md": billion_laughs(10, 10)})
    result = run_check(site, timeout=30, memory=2 * 1024**3)
    assert result.returncode == 1, result.stderr
    assert "content/people/sam-taylor.md:2:1: error: the front matter is too complex" in result.stdout + result.stderr


def test_a_file_just_over_the_size_limit_is_refused_quickly(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/people/sam-taylor.md": b"---\nname: Sam\n---\n" + b"words " * 1_400_000})
    result = run_check(site, timeout=30)
    assert result.returncode == 1, result.stderr
    assert "content/people/sam-taylor.md:1:1: error: the file is too large" in result.stdout + result.stderr


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    with open(site / "content/people/sam-taylor.md", "wb") as huge:
        huge.write(b"---\nname: Sam\n---\n")
        huge.truncate(6 * 1024**3)  # sparse: takes no disk space
    result = run_check(site, timeout=30, memory=2 * 1024**3)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    assert "content/people/sam-taylor.md:1:1: error: the file is too large" in result.stdout + result.stderr


def test_thousands_of_items_in_one_file_are_checked_quickly(tmp_path: Path) -> None:
    body = "".join(f"## PC{n} Item {n}\n\n[[PC{n + 1}]] RESOLVED: noted.\n\n" for n in range(1, 5001))
    site = make_site(tmp_path, {"content/meetings/planning-committee/2020-02-12.md":
                                "---\ndate: 2020-02-12\nstatus: held\nminutes: approved\n---\n" + body})
    result = run_check(site, timeout=30)
    assert result.returncode == 1, result.stderr
    assert "there is no item with the reference 'PC5001'" in result.stdout + result.stderr


# --- Content that breaks the build today -----------------------------------------------------------

MEETING_AT = "content/meetings/planning-committee/2020-02-12.md"
HEAD = "---\ndate: 2020-02-12\nstatus: held\nminutes: approved\n---\n## PC3 Mill Lane\n\n"


def test_a_body_of_unmatched_brackets_builds_in_bounded_time(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {MEETING_AT: HEAD + "[" * 8000 + "\n"})
    try:
        result = run_build(site, tmp_path / "output", timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail("the build of a meeting with 8,000 '[' ran for more than 6 seconds")
    assert result.returncode in (0, 1), result.stderr


# Markdown that Python-Markdown takes minutes or hours over, each as a meeting's text: what each
# took to build before the check refused it, on the machine these limits were set on.
SLOW_MARKDOWN = {
    "a 100 KB paragraph of 'a<b '": "a<b " * 25_000,  # 177 seconds
    "320 KB of '`a'": "`a" * 160_000,  # 17 seconds
    "a 1 MB line of '`a'": "`a" * 500_000,  # unfinished after 15 minutes
    "'*a' 500,000 times": "*a" * 500_000,  # over 100 seconds
    "20,000 code fences never closed": "```a\n" * 20_000,  # 40 seconds, and as long again to check
    "4,000 brackets nested": "[" * 4_000 + "]" * 4_000,  # 3 seconds for 8 KB; squared with its length
    "2,000 link addresses never closed": "[a](" * 2_000 + "b" * 20_000,  # 5 seconds for 28 KB
    "20,000 rules with no blank line": "***\n" * 20_000,  # 26 seconds
    "100,000 paragraphs": "a\n\n" * 100_000,  # 7 seconds for 300 KB; squared with their number
}


@pytest.mark.parametrize("case", sorted(SLOW_MARKDOWN))
def test_markdown_that_would_take_minutes_is_refused_quickly_by_check_and_build(case: str, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {MEETING_AT: HEAD + SLOW_MARKDOWN[case] + "\n"})
    try:
        result = run_build(site, tmp_path / "output", timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build of a meeting with {case} ran for more than a minute")
    assert result.returncode == 1, result.stderr[-2000:]
    assert f"{MEETING_AT}:" in result.stderr and "Traceback" not in result.stderr
    assert run_check(site, timeout=60).returncode == 1


def test_deeply_nested_lists_are_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {MEETING_AT: HEAD + "- " * 1000 + "deep\n"})
    result = run_build(site, tmp_path / "output", timeout=60)
    assert "Traceback" not in result.stderr, result.stderr[-1500:]
    assert result.returncode == 0 or MEETING_AT in result.stdout + result.stderr


def test_a_broken_relative_link_in_content_is_reported_at_its_file_and_line(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {MEETING: MINIMAL_MEETING + "\nSee [the site plan](site-plan.pdf).\n"})
    result = build(site, tmp_path / "output")
    assert not result.ok
    where = {(problem.path, problem.line) for problem in result.diagnostics.sorted()}
    assert where == {(MEETING, MINIMAL_MEETING.count("\n") + 2)}


def test_a_control_character_in_front_matter_is_reported_where_it_is(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/people/sam-taylor.md":
                                "---\nname: Sam Taylor\nparty: Green\nward: North\x1b[0m\n---\n"})
    [problem] = check(site).sorted()
    assert (problem.line, problem.column) == (4, 12)
    assert "unicode string" not in problem.message and "\n" not in problem.message


def test_a_meeting_file_with_an_upper_case_extension_is_named_as_such(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/meetings/planning-committee/2020-02-12.MD":
                                MINIMAL_MEETING.replace("2020-01-15", "2020-02-12")})
    [problem] = check(site).sorted()
    assert problem.path.endswith(".MD") and "attachment" not in problem.message and ".md" in problem.hint


def test_a_non_breaking_space_after_a_colon_is_accepted_or_named(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/people/sam-taylor.md": "---\nname:\u00a0Sam Taylor\nrole: officer\n---\n"})
    problems = check(site).sorted()
    assert problems == [] or any("non-breaking space" in p.message + p.hint for p in problems), problems


# --- What the build refuses, the check finds -------------------------------------------------------
#
# A clerk runs `minutes check` (or the pre-commit hook, or CI on a pull request) and trusts it:
# content it passes must build, and content the build refuses must fail the check, with the same
# located messages, never a traceback or a "fault in Minutes".

FOLDER_MEETING = (MINIMAL / MEETING).read_text(encoding="utf-8").replace("2020-01-15", "2020-02-12")


def meeting_on(date: str, front: str = "", body: str = "## PC3 Mill Lane\n\nText.\n") -> dict[str, str | bytes | None]:
    return {f"content/meetings/planning-committee/{date}.md":
            f"---\ndate: {date}\nstart: \"18:30\"\nend: \"20:00\"\nstatus: held\nminutes: approved\n{front}---\n{body}"}


HOSTILE: dict[str, dict[str, str | bytes | None]] = {
    "a meeting in the year 9999": meeting_on("9999-01-01"),
    "a meeting in the year 1": meeting_on("0001-01-01"),
    "a call-in deadline in the year 9999": meeting_on("2020-02-12", "items: {PC3: {call_in: {deadline: 9999-12-31}}}\n"),
    "a person's file name ending in a line feed": {"content/people/sam-taylor\n.md": "---\nname: Sam Taylor\n---\n"},
    "a board's folder name ending in a line feed": {
        "content/meetings/planning-committee\n/2020-02-12.md": FOLDER_MEETING},
    "a meeting's folder name ending in a line feed": {
        "content/meetings/planning-committee/2020-02-12\n/index.md": FOLDER_MEETING},
    "a report's file name ending in a line feed": {
        "content/meetings/planning-committee/2020-02-12/index.md": FOLDER_MEETING,
        "content/meetings/planning-committee/2020-02-12/site-visit\n.md": "---\ntitle: Site visit\n---\nFlat.\n"},
    "an escape character in a venue": meeting_on("2020-02-12", 'venue: "Town Hall\\e[2J"\n'),
    "a null character in a title": meeting_on("2020-02-12", 'title: "Budget\\0"\n'),
    "a line feed in a person's name": {"content/people/sam-taylor.md": '---\nname: "Sam\\nTaylor"\n---\n'},
    "an escape character in a heading": meeting_on("2020-02-12", body="## PC3 Mill \x1b[31mLane\n\nText.\n"),
    "a page break in a paragraph": meeting_on("2020-02-12", body="## PC3 Mill Lane\n\nText.\x0cMore text.\n"),
    "an escape character written as a character reference": meeting_on("2020-02-12", body="## PC3 Mill Lane\n\nA&#27;[2J\n"),
    "a right-to-left override in a name": {"content/people/sam-taylor.md": "---\nname: \"Sam \u202eTaylor\"\n---\n"},
    "a right-to-left override in a heading": meeting_on("2020-02-12", body="## PC3 Mill \u202eLane\n\nText.\n"),
    "a right-to-left override written as a character reference": meeting_on(
        "2020-02-12", body="## PC3 Mill Lane\n\nText &#x202E; txet.\n"),
    "a paragraph of unclosed tags": meeting_on("2020-02-12", body="## PC3 Mill Lane\n\n" + "a<b " * 20_000 + "\n"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_check_finds_whatever_the_build_refuses(case: str, tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", HOSTILE[case])
    checked = check(site).sorted()
    result = build(site, tmp_path / "output")
    assert checked, "the check passes this"
    assert not result.ok
    assert result.diagnostics.sorted() == checked
    assert not any("fault" in problem.hint for problem in checked)


SITE_YAML = (MINIMAL / "site.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("files", [
    {**meeting_on("1000-01-01"), "site.yaml": SITE_YAML + "timezone: Pacific/Kiritimati\n"},  # UTC+14: the year 999 in UTC
    {**meeting_on("2999-12-31"), "site.yaml": SITE_YAML + "timezone: Pacific/Pago_Pago\n"},  # UTC-11
    {"content/meetings/planning-committee/2999-12-31.md": "---\ndate: 2999-12-31\nstatus: scheduled\n---\n"},  # all day
], ids=["the first day", "the last day", "the last day, all day"])
def test_the_first_and_last_days_the_check_accepts_build(files: dict[str, str | bytes | None], tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", files)
    assert check(site).sorted() == []
    result = build(site, tmp_path / "output")
    assert result.ok, [d.format() for d in result.diagnostics.sorted()]


def test_a_symbolic_link_to_itself_is_an_error_in_check_and_build(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    os.symlink("loop.md", site / "content/people/loop.md")
    checked = check(site).sorted()
    result = build(site, tmp_path / "output")
    assert [(p.path, p.line, p.column) for p in checked] == [("content/people/loop.md", 1, 1)]
    assert not result.ok and result.diagnostics.sorted() == checked

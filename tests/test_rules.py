"""One failing site per validation rule: tests/fixtures/rules/<rule>/.

Each folder is an overlay on the minimal site (the files that differ, at the
same relative paths) and an `expect.yaml` giving the one diagnostic `minutes
check` must print: path, line, column, message and hint (and `severity:
warning` for a warning). A rule that names several files lists them under
`diagnostics:`. Extra set-up that a fixture folder cannot hold is described in
expect.yaml too:

  delete:  [site-relative paths]        removed from the minimal site first
  symlink: {path: ..., target: ...}     a symbolic link to create
  fifo:    path                         a named pipe to create
  large:   {path: ..., size: N}         a file of N bytes (plus a front matter)
  create:  {path: text}                 files a case-insensitive checkout could not hold
  append:  {path: ..., text: ..., times: N}  text repeated N times at the end of a file
  stage:   build                        the rule is checked when planning the build
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, MINIMAL, build, check, copy_site, make_site

from generator.diagnostics import Diagnostic

RULES = FIXTURES / "rules"
CASES = sorted(p.name for p in RULES.iterdir() if p.is_dir())
SETUP_KEYS = {"delete", "symlink", "fifo", "large", "create", "append", "stage"}
DIAGNOSTIC_KEYS = {"path", "line", "column", "message", "hint", "severity"}


def expectation(name: str) -> dict[str, Any]:
    return yaml.safe_load((RULES / name / "expect.yaml").read_text(encoding="utf-8"))


def expected_diagnostics(expect: dict[str, Any]) -> list[dict[str, Any]]:
    entries = expect["diagnostics"] if "diagnostics" in expect else [
        {k: v for k, v in expect.items() if k in DIAGNOSTIC_KEYS}]
    return sorted(({"hint": "", "severity": "error", **entry} for entry in entries),
                  key=lambda d: (d["path"], d["line"], d["column"], d["message"]))


def as_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"path": diagnostic.path, "line": diagnostic.line, "column": diagnostic.column,
            "message": diagnostic.message, "hint": diagnostic.hint, "severity": diagnostic.severity}


def case_sensitive(folder: Path) -> bool:
    probe = folder / "case-probe"
    probe.write_text("x")
    try:
        return not (folder / "CASE-PROBE").exists()
    finally:
        probe.unlink()


def make_case(name: str, target: Path) -> tuple[Path, dict[str, Any]]:
    """The minimal site with the rule's overlay and set-up applied."""
    expect = expectation(name)
    return set_up(copy_site(MINIMAL, target), RULES / name, expect), expect


def set_up(site: Path, overlay: Path, expect: dict[str, Any]) -> Path:
    """Copy a fixture's overlay onto a site and make what its expect.yaml asks for that
    cannot be committed as a file (a symbolic link, a named pipe, a very large file)."""
    for rel in expect.get("delete", []):
        path = site / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    for source in sorted(overlay.rglob("*")):
        if source.is_file() and source.name != "expect.yaml":
            destination = site / source.relative_to(overlay)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    if "create" in expect:
        if not case_sensitive(site):
            pytest.skip("needs a case-sensitive file system")
        for rel, text in expect["create"].items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
    if "symlink" in expect:
        link = site / expect["symlink"]["path"]
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.symlink(expect["symlink"]["target"], link)
        except (OSError, NotImplementedError):
            pytest.skip("cannot create symbolic links here")
    if "fifo" in expect:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        os.mkfifo(site / expect["fifo"])
    if "large" in expect:
        path = site / expect["large"]["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"---\nname: x\n---\n" + b"a" * expect["large"]["size"])
    if "append" in expect:
        with open(site / expect["append"]["path"], "a", encoding="utf-8") as file:
            file.write(expect["append"]["text"] * expect["append"]["times"])
    if "many_fields" in expect:
        fields = "".join(f"field{n}: value\n" for n in range(expect["many_fields"]["count"]))
        (site / expect["many_fields"]["path"]).write_text(f"---\nname: Sam\n{fields}---\n", encoding="utf-8")
    return site


def diagnostics_of(site: Path, expect: dict[str, Any], output: Path) -> list[dict[str, Any]]:
    if expect.get("stage") == "build":
        result = build(site, output)
        assert not output.exists(), "nothing is written when the build has errors"
        found = result.diagnostics.sorted()
    else:
        found = check(site).sorted()
    return sorted((as_dict(d) for d in found), key=lambda d: (d["path"], d["line"], d["column"], d["message"]))


def test_the_minimal_site_has_no_problems(tmp_path: Path) -> None:
    """Every fixture's problem comes from its overlay, not from the site under it."""
    site = copy_site(MINIMAL, tmp_path / "site")
    assert check(site).sorted() == []
    result = build(site, tmp_path / "output")
    assert result.ok and result.diagnostics.sorted() == []


def test_every_rule_folder_is_well_formed() -> None:
    assert len(CASES) >= 100
    for name in CASES:
        folder = RULES / name
        expect = expectation(name)
        assert set(expect) <= DIAGNOSTIC_KEYS | SETUP_KEYS | {"diagnostics"}, name
        for entry in expected_diagnostics(expect):
            assert set(entry) <= DIAGNOSTIC_KEYS and {"path", "line", "column", "message"} <= set(entry), name
        overlay = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
        assert all(rel == "expect.yaml" or rel == "site.yaml" or rel.startswith("content/") for rel in overlay), name
        assert overlay != ["expect.yaml"] or set(expect) & {"delete", "symlink", "fifo", "large", "create", "append"}, \
            f"{name} changes nothing"


@pytest.mark.parametrize("name", CASES)
def test_rule(name: str, tmp_path: Path) -> None:
    site, expect = make_case(name, tmp_path / "site")
    found = diagnostics_of(site, expect, tmp_path / "output")
    assert found == expected_diagnostics(expect)


# --- Problems that set off reports about other, correct files --------------------------------------
#
# A clerk fixes the first message and the others should go with it; but these
# second messages are false (the board, person, meeting or report exists) and
# send the clerk to look for a file that is there.

def only(site: Path) -> list[tuple[str, str]]:
    return [(d.path, d.message) for d in check(site).sorted()]


BOARD = (MINIMAL / "content/boards/planning-committee.md").read_text(encoding="utf-8")
MEETING = (MINIMAL / "content/meetings/planning-committee/2020-01-15.md").read_text(encoding="utf-8")
MEETING_PATH = "content/meetings/planning-committee/2020-01-15.md"
INDEX_PATH = "content/meetings/planning-committee/2020-01-15/index.md"


def test_a_mistake_in_a_board_is_not_reported_as_a_missing_board(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/boards/planning-committee.md": BOARD.replace("{person: omar-khan}",
                                                                                     "{person: omar-kan}")})
    assert only(site) == [("content/boards/planning-committee.md", "there is no person 'omar-kan'")]


def test_a_mistake_in_a_person_is_not_reported_as_a_missing_person(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/people/lee-jones.md": "---\nname: Lee Jones\norganisation: exampel\n---\n"})
    assert only(site) == [("content/people/lee-jones.md", "there is no organisation 'exampel'")]


def test_a_mistake_in_index_md_does_not_orphan_its_reports(tmp_path: Path) -> None:
    index = MEETING.replace("in_attendance: [lee-jones]\n",
                            "in_attendance: [lee-jones]\ndocuments: [{file: site-visit.md}]\nvenue: Town Hall\n")
    site = make_site(tmp_path, {
        MEETING_PATH: None,
        INDEX_PATH: index,
        "content/meetings/planning-committee/2020-01-15/site-visit.md": "---\ntitle: Site visit\n---\nFlat.\n",
    })
    assert only(site) == [(INDEX_PATH, "the key 'venue' is given twice")]


def test_a_mistake_in_a_report_is_not_reported_as_a_missing_report(tmp_path: Path) -> None:
    report = "content/meetings/planning-committee/2020-01-15/site-visit.md"
    site = make_site(tmp_path, {
        MEETING_PATH: None,
        INDEX_PATH: MEETING.replace("in_attendance: [lee-jones]\n",
                                    "in_attendance: [lee-jones]\ndocuments: [{file: site-visit.md}]\n"),
        report: "---\ntitle: Site visit: Mill Lane\n---\nFlat.\n",
    })
    assert [path for path, _ in only(site)] == [report]


def test_attendees_without_a_name_are_not_reported_as_none(tmp_path: Path) -> None:
    site = make_site(tmp_path, {MEETING_PATH: MEETING.replace(
        "in_attendance: [lee-jones]", "in_attendance: [lee-jones, {role: Clerk}, {role: Minute taker}]")})
    messages = [message for _, message in only(site)]
    assert messages == ["each attendee needs either a person's slug or a name"] * 2


# --- Content that is silently published wrongly -------------------------------------------------------

def test_a_meeting_written_twice_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, {INDEX_PATH: MEETING.replace("Mill Lane", "Mill Road")})
    assert only(site) == [(MEETING_PATH, f"this meeting is also written in {INDEX_PATH}")]


def test_one_attachment_can_be_listed_for_two_items(tmp_path: Path) -> None:
    index = MEETING.replace("in_attendance: [lee-jones]\n", "in_attendance: [lee-jones]\ndocuments:\n"
                            "  - {title: Site plan, file: site-plan.pdf, item: PC1}\n"
                            "  - {title: Site plan, file: site-plan.pdf, item: PC2}\n")
    site = make_site(tmp_path / "site", {MEETING_PATH: None, INDEX_PATH: index,
                                         "content/meetings/planning-committee/2020-01-15/site-plan.pdf": b"%PDF-1.4\n"})
    assert check(site).sorted() == []  # the check accepts it...
    result = build(site, tmp_path / "output")
    assert result.ok, [d.format() for d in result.diagnostics.sorted()]  # ...so the build should too


def test_a_declaration_for_item_2_10_is_not_attached_to_item_2_1(tmp_path: Path) -> None:
    board = BOARD.replace("minute_prefix: PC\n", "")
    meeting = ("---\ndate: 2020-01-15\nstatus: held\nminutes: approved\npresent: [jane-smith]\n"
               "declarations:\n  - {person: jane-smith, item: 2.10, interest: Other registrable interest}\n"
               "---\n## 2.1 Minutes\n\nApproved.\n\n## 2.10 Land at Mill Lane\n\nConsidered.\n")
    site = make_site(tmp_path, {"content/boards/planning-committee.md": board, MEETING_PATH: meeting})
    from generator.build import check_site

    linked, diagnostics = check_site(site)
    assert linked is not None, diagnostics.sorted()
    (declaration,) = linked.site.meetings[0].declarations
    assert declaration.item == "2-10"


def test_a_bad_reference_after_a_resolution_is_reported_on_its_own_line(tmp_path: Path) -> None:
    site = make_site(tmp_path, {MEETING_PATH: MEETING + "\nThe Chair thanked the officers; see [[PC9]].\n"})
    (diagnostic,) = check(site).sorted()
    lines = MEETING.split("\n")
    assert diagnostic.message == "there is no item with the reference 'PC9'"
    assert diagnostic.line == len(lines) + 1  # the line just added, not the RESOLVED line above it

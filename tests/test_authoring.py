"""The clerk's authoring helpers: `minutes new meeting|board|person`, `minutes check --format
github`, the GitHub workflow and pre-commit hook, and the clerk's guide quoting Minutes exactly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, ROOT, check, copy_site, make_site

from generator.commands.annotations import escape_data, escape_property, github_annotation
from generator.diagnostics import Diagnostic
from generator.commands.scaffold import yaml_text

GUIDE = (ROOT / "docs" / "clerk-guide.md").read_text(encoding="utf-8")
MEETING = "content/meetings/planning-committee/2020-03-11.md"


def minutes(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(ROOT)})


def meeting(front: str, body: str = "## PC5 Tree preservation order\n") -> str:
    return f"---\ndate: 2020-03-11\n{front}---\n{body}"


# --- minutes new --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["meeting", "board", "person"])
def test_every_new_command_has_help(kind: str) -> None:
    result = minutes("new", kind, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(f"usage: minutes new {kind}")
    assert "--site" in result.stdout


def test_a_new_person_board_and_meeting_pass_check_as_written(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    person = minutes("new", "person", "sam-o-neill", "--name", "Sam O'Neill", "--honorific", "Councillor",
                     "--role", "councillor", "--party", "Labour: Co-operative", "--ward", "#1 Riverside",
                     "--position", "yes", "--site", str(site))
    assert person.returncode == 0, person.stderr
    assert person.stdout == "Wrote content/people/sam-o-neill.md\n"
    board = minutes("new", "board", "licensing-committee", "--name", "Licensing Committee", "--kind", "committee",
                    "--prefix", "LIC", "--venue", "Committee Room 1: Town Hall", "--start", "9:30",
                    "--parent", "planning-committee", "--member", "sam-o-neill:Chair, Licensing",
                    "--member", "jane-smith", "--site", str(site))
    assert board.returncode == 0, board.stderr
    made = minutes("new", "meeting", "licensing-committee", "2020-05-06", "--site", str(site))
    assert made.returncode == 0, made.stderr
    assert minutes("check", "--site", str(site)).returncode == 0
    person_file = yaml.safe_load((site / "content/people/sam-o-neill.md").read_text().split("---")[1])
    assert person_file == {"name": "Sam O'Neill", "honorific": "Councillor", "party": "Labour: Co-operative",
                           "ward": "#1 Riverside", "role": "councillor", "position": "yes"}
    board_text = (site / "content/boards/licensing-committee.md").read_text()
    assert 'start: "09:30"' in board_text
    assert yaml.safe_load(board_text.split("---")[1])["members"] == [
        {"person": "sam-o-neill", "role": "Chair, Licensing"}, {"person": "jane-smith"}]
    meeting_text = (site / "content/meetings/licensing-committee/2020-05-06.md").read_text()
    assert 'start: "09:30"' in meeting_text and 'venue: "Committee Room 1: Town Hall"' in meeting_text
    assert "#   - sam-o-neill  # Councillor Sam O'Neill, Chair, Licensing" in meeting_text
    assert "## LIC1 Apologies for absence" in meeting_text


def test_a_new_meeting_continues_the_boards_minute_numbers_and_links_its_last_meeting(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = minutes("new", "meeting", "planning-committee", "2020-04-08", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "numbered PC3 to PC5 (after PC2 at the meeting of 15 January 2020)" in result.stdout
    body = (site / "content/meetings/planning-committee/2020-04-08.md").read_text().split("---\n")[2]
    assert body == ("## PC3 Apologies for absence\n\n## PC4 Declarations of interest\n\n"
                    "## PC5 Minutes of the last meeting\n\n"
                    "To approve the minutes of the meeting held on [[planning-committee/2020-01-15|15 January 2020]].\n")
    restart = minutes("new", "meeting", "planning-committee", "2020-06-10", "--first-number", "1", "--site", str(site))
    assert restart.returncode == 0, restart.stderr
    assert "## PC1 Apologies for absence" in (site / "content/meetings/planning-committee/2020-06-10.md").read_text()
    assert "[[planning-committee/2020-04-08|8 April 2020]]" in (site / "content/meetings/planning-committee/2020-06-10.md").read_text()
    assert minutes("check", "--site", str(site)).returncode == 0


def test_the_expected_attendance_is_the_members_on_the_day_ready_to_uncomment(tmp_path: Path) -> None:
    board = (MINIMAL_BOARD.replace("  - {person: omar-khan}", "  - {person: omar-khan, to: 2020-02-01}"))
    site = make_site(tmp_path, {"content/boards/planning-committee.md": board})
    assert minutes("new", "meeting", "planning-committee", "2020-04-08", "--site", str(site)).returncode == 0
    path = site / "content/meetings/planning-committee/2020-04-08.md"
    text = path.read_text()
    assert "the 1 member of the board on 8 April 2020" in text
    assert "#   - jane-smith  # Councillor Jane Smith, Chair\n" in text and "omar-khan" not in text
    # What the comment says to do, after a meeting Omar Khan attended as a guest:
    held = (text.replace("status: scheduled", "status: held").replace("minutes: none", "minutes: draft")
                .replace("# present:", "present:").replace("#   - jane-smith", "  - jane-smith")
                .replace("# apologies:", "in_attendance: [omar-khan]"))
    path.write_text(held)
    assert check(site).sorted() == []


MINIMAL_BOARD = """---
name: Planning Committee
kind: committee
minute_prefix: PC
venue: Council Chamber
start: "18:30"
members:
  - {person: jane-smith, role: Chair}
  - {person: omar-khan}
---
Determines planning applications.
"""


@pytest.mark.parametrize("kind, args, existing", [
    ("board", ["planning-committee", "--name", "Planning", "--kind", "committee"], "content/boards/planning-committee.md"),
    ("person", ["jane-smith", "--name", "Jane Smyth"], "content/people/jane-smith.md"),
    ("meeting", ["planning-committee", "2020-01-15"], "content/meetings/planning-committee/2020-01-15.md"),
])
def test_new_refuses_to_overwrite(tmp_path: Path, kind: str, args: list[str], existing: str) -> None:
    site = make_site(tmp_path, {})
    before = (site / existing).read_bytes()
    result = minutes("new", kind, *args, "--site", str(site))
    assert result.returncode == 1
    assert f"{existing}:1:1: error: this {kind} already exists" in result.stderr
    assert (site / existing).read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["board", "Licensing", "--name", "Licensing", "--kind", "committee"], "'Licensing' is not a board's slug"),
    (["board", "licensing", "--name", "Licensing", "--kind", "comittee"], "invalid choice: 'comittee'"),
    (["board", "licensing", "--kind", "committee"], "the following arguments are required: --name"),
    (["board", "licensing", "--name", "Licensing", "--kind", "committee", "--start", "6.30pm"],
     "--start: '6.30pm' is not a time (write \"18:30\")"),
    (["board", "licensing", "--name", "Licensing", "--kind", "committee", "--prefix", "L 1"], "is not a minute prefix"),
    (["board", "licensing", "--name", "Licensing", "--kind", "committee", "--member", "Jane Smith"],
     "'Jane Smith' is not a person's slug: use lower-case letters, digits and hyphens, such as 'jane-smith'"),
    (["person", "sam", "--name", "Sam\nCarter"], "--name must be one line of text"),
    (["person", "sam", "--name", "  "], "--name is empty"),
    (["person", "sam", "--name", "Sam", "--role", "mayor"], "invalid choice: 'mayor'"),
    (["meeting", "planning-committee", "2020-13-01"], "is not a date"),
    (["meeting", "planning-committee", "2020-04-08", "--first-number", "0"], "'0' is not a number (1 or more)"),
])
def test_bad_arguments_are_usage_errors_and_write_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    site = make_site(tmp_path, {})
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = minutes("new", *args, "--site", str(site))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_a_record_naming_what_the_site_does_not_have_is_refused(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = minutes("new", "board", "licensing", "--name", "Licensing", "--kind", "committee",
                     "--member", "jane-smiht", "--organisation", "exampel", "--site", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "minutes: there is no organisation 'exampel'", "  hint: did you mean 'example'?",
        "minutes: there is no person 'jane-smiht'", "  hint: did you mean 'jane-smith'?",
        "Nothing was written."]
    assert not (site / "content/boards/licensing.md").exists()


@pytest.mark.parametrize("value", ["Plain text", "Room 1: Town Hall", "#1", "yes", "null", "2020-01-01", "18:30",
                                   "'quoted'", '"double"', "- dash", "50% off", "Café, Ŵ", "[1]", "a \\ b", "@home"])
def test_text_is_written_as_yaml_that_reads_back_the_same(value: str) -> None:
    written = yaml_text(value)
    assert yaml.safe_load(f"value: {written}") == {"value": value}


# --- minutes check --format github ----------------------------------------------------------------

BROKEN_MEETING = """---
date: 2020-03-11
status: held
minutes: draft
present: [jane-smith, omar-kahn]
apologise: [omar-khan]
---
## PC5 Tree preservation order

RESOLVED: That the order be confirmed.
"""


def test_check_prints_github_annotations(tmp_path: Path) -> None:
    folder = "content/meetings/planning-committee/2020-01-15"
    site = make_site(tmp_path, {
        MEETING: BROKEN_MEETING,
        "content/meetings/planning-committee/2020-01-15.md": None,
        f"{folder}/index.md": (ROOT / "tests/fixtures/minimal-site" / f"{folder}.md").read_text(),
        f"{folder}/agenda.pdf": b"%PDF-1.4",
        f"{folder}/site plan, v2: final.pdf": b"%PDF-1.4",
    })
    result = minutes("check", "--format", "github", cwd=site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::warning file={folder}/agenda.pdf,line=1,col=1,title=minutes check::"
        "this file is not listed in its meeting's documents, so it is not published%0A"
        "hint: add it under documents with a title, or remove it",
        f"::error file={folder}/site plan%2C v2%3A final.pdf,line=1,col=1,title=minutes check::"
        "the file name 'site plan, v2: final.pdf' contains spaces or special characters%0A"
        "hint: rename it to 'site-plan-v2-final.pdf'",
        f"::error file={MEETING},line=5,col=23,title=minutes check::there is no person 'omar-kahn'%0A"
        "hint: did you mean 'omar-khan'?",
        f"::error file={MEETING},line=6,col=1,title=minutes check::unknown field 'apologise'%0A"
        "hint: did you mean 'apologies'?",
    ]
    assert result.stderr == "3 errors, 1 warning\n"
    text = minutes("check", cwd=site)  # the default format is unchanged
    assert text.stdout == "" and text.stderr.startswith(f"{folder}/agenda.pdf:1:1: warning: ")


def test_the_guides_annotation_is_what_minutes_prints(tmp_path: Path) -> None:
    site = make_site(tmp_path, {MEETING: meeting("status: held\nminutes: draft\napologise: [omar-khan]\n")})
    annotation = minutes("check", "--format", "github", cwd=site).stdout
    assert f"```\n{annotation}```" in GUIDE


def test_annotations_name_files_from_the_repository_root(tmp_path: Path) -> None:
    site = make_site(tmp_path / "records", {MEETING: BROKEN_MEETING})
    result = minutes("check", "--format", "github", "--site", "records", cwd=tmp_path)
    assert result.stdout.splitlines()[0].startswith(f"::error file=records/{MEETING},line=5,col=23,")
    assert minutes("check", "--format", "github", "--site", str(site)).returncode == 1


def test_check_names_files_from_where_it_ran_whatever_the_format(tmp_path: Path) -> None:
    """One rule for the text and the annotations: a path a terminal or editor opens from the folder the
    command ran in (an absolute one for a site outside it)."""
    site = make_site(tmp_path / "records", {MEETING: BROKEN_MEETING})
    for cwd, shown in ((tmp_path, f"records/{MEETING}"), (site / "content", MEETING[len("content/"):]),
                       (site, MEETING), (tmp_path / "elsewhere", f"{site.as_posix()}/{MEETING}")):
        cwd.mkdir(exist_ok=True)
        where = os.path.relpath(site, cwd) if cwd != tmp_path / "elsewhere" else str(site)
        text = minutes("check", "--site", where, cwd=cwd)
        assert text.stderr.startswith(f"{shown}:5:23: error: there is no person 'omar-kahn'"), (cwd, text.stderr)
        github = minutes("check", "--format", "github", "--site", where, cwd=cwd)
        assert github.stdout.startswith(f"::error file={shown},line=5,col=23,"), (cwd, github.stdout)
        assert (cwd / shown).is_file()
    build = minutes("build", "--site", "records", cwd=tmp_path)
    assert build.returncode == 1 and build.stderr.startswith(f"records/{MEETING}:5:23: error: ")


def test_annotations_escape_data_and_properties() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    diagnostic = Diagnostic("content/odd,name:1.md", 3, 9, "two\nlines, 100%", "a hint, with: punctuation")
    assert github_annotation(diagnostic) == (
        "::error file=content/odd%2Cname%3A1.md,line=3,col=9,title=minutes check::"
        "two\\nlines, 100%25%0Ahint: a hint, with: punctuation")  # only the hint starts a line of its own
    warning = Diagnostic("site/content/a.md", 1, 1, "note", severity="warning")
    assert github_annotation(warning) == "::warning file=site/content/a.md,line=1,col=1,title=minutes check::note"


def test_an_unknown_format_is_a_usage_error() -> None:
    result = minutes("check", "--format", "json", "--site", str(EXAMPLE))
    assert result.returncode == 2 and "invalid choice: 'json'" in result.stderr


# --- GitHub workflow and pre-commit -------------------------------------------------------------

def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/minutes.yml").read_text(encoding="utf-8"))


def _uses(job: dict, action: str) -> dict:
    steps = [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]
    assert len(steps) == 1, f"{action} is used {len(steps)} times"
    return steps[0]


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_the_workflow_checks_pull_requests_and_publishes_main() -> None:
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check_job, publish = workflow["jobs"]["check"], workflow["jobs"]["publish"]

    assert "pull_request" in check_job["if"]
    assert _uses(check_job, "actions/setup-python")["with"]["python-version"] == "3.11"
    assert "pip install ." in _runs(check_job)
    assert "minutes check --format github" in _runs(check_job)

    assert "refs/heads/main" in publish["if"] and "!= 'pull_request'" in publish["if"]
    assert publish["permissions"]["pages"] == "write" and publish["permissions"]["id-token"] == "write"
    assert publish["environment"]["name"] == "github-pages"
    assert _uses(publish, "actions/setup-python")["with"]["python-version"] == "3.11"
    runs = _runs(publish)
    assert "pip install ." in runs
    assert 'SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)' in runs and "GITHUB_ENV" in runs
    cache = _uses(publish, "actions/cache")["with"]
    assert cache["path"].split() == [".cache/minutes", "output"]  # without output/, every page is made again
    restore = cache["restore-keys"].strip()
    assert cache["key"].startswith(restore) and "${{ github.run_id }}" in cache["key"]  # saved each run, restored each run
    names = [step.get("uses", step.get("run", "")).split("@")[0] for step in publish["steps"]]
    order = [names.index("actions/cache"), next(i for i, n in enumerate(names) if n.startswith("minutes build")),
             names.index("actions/upload-pages-artifact"), names.index("actions/deploy-pages")]
    assert order == sorted(order)
    assert _uses(publish, "actions/upload-pages-artifact")["with"]["path"] == "output"
    epoch = next(i for i, n in enumerate(names) if "SOURCE_DATE_EPOCH" in n)
    assert epoch < order[1]


def test_the_pre_commit_hook_runs_minutes_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["minutes-check"]
    hook = hooks[0]
    assert hook["entry"] == "minutes check" and hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("content/meetings/planning-committee/2020-01-15.md") and pattern.search("site.yaml")
    assert not pattern.search("generator/cli.py")
    examples = re.findall(r"```yaml\n(repos:.*?)```", GUIDE, re.S)
    assert len(examples) == 2
    for example in examples:
        assert yaml.safe_load(example)["repos"][0]["hooks"][0]["id"] == "minutes-check"


# --- The clerk's guide --------------------------------------------------------------------------

GUIDE_ERRORS = [
    ({MEETING: "---\ndate: 2020-03-11\nstatus: scheduled\n## PC5 Tree preservation order\n"},
     f"{MEETING}:1:1: error: the front matter block is never closed"),
    ({MEETING: meeting("venue: Committee Room 1: Town Hall\nstatus: scheduled\n")},
     f"{MEETING}:3:24: error: the front matter is not valid YAML"),
    ({MEETING: meeting("status: held\nminutes: draft\npresent:\n\t- jane-smith\n")},
     f"{MEETING}:6:1: error: a tab is used to indent the front matter"),
    ({MEETING: meeting("venue: Caf\u00e9 Suite\nstatus: scheduled\n").encode("cp1252")},
     f"{MEETING}:3:11: error: the file is not UTF-8 text"),
    ({MEETING: meeting("status: held\nminutes: draft\napologise: [omar-khan]\n")},
     f"{MEETING}:5:1: error: unknown field 'apologise'"),
    ({MEETING: "---\ndate: 2020-03-11\n---\n"}, f"{MEETING}:2:1: error: the field 'status' is required"),
    ({MEETING: meeting("status: helds\n")}, f"{MEETING}:3:9: error: 'helds' is not"),
    ({MEETING: meeting("start: 6.30pm\nstatus: scheduled\n")}, f"{MEETING}:3:8: error: '6.30pm' is not a time"),
    ({"content/meetings/planning-committee/11-03-2020.md": meeting("status: scheduled\n")},
     "content/meetings/planning-committee/11-03-2020.md:1:1: error: '11-03-2020' is not a meeting name"),
    ({MEETING: "---\ndate: 2020-03-12\nstatus: scheduled\n---\n"}, f"{MEETING}:2:7: error: the date 2020-03-12"),
    ({"content/meetings/planing-committee/2020-03-11.md": meeting("status: scheduled\n", "")},
     "content/meetings/planing-committee/2020-03-11.md:1:1: error: there is no board 'planing-committee'"),
    ({MEETING: meeting("status: held\nminutes: draft\npresent: [jane-smith, omar-kahn]\n")},
     f"{MEETING}:5:23: error: there is no person 'omar-kahn'"),
    ({MEETING: meeting("status: held\nminutes: draft\npresent: [jane-smith, omar-khan]\napologies: [omar-khan]\n")},
     f"{MEETING}:6:13: error: 'omar-khan' is listed in both present and apologies"),
    ({MEETING: meeting("status: held\nminutes: draft\ndeclarations:\n  - {person: jane-smith, item: PC6, interest: Other registrable interest}\n")},
     f"{MEETING}:6:32: error: there is no item 'PC6' in this meeting"),
    ({MEETING: meeting("status: held\nminutes: draft\npresent: [jane-smith]\napologies: [omar-khan]\n"
                       "items:\n  PC5: {votes: {for: [jane-smith, omar-khan]}}\n",
                       "## PC5 Tree preservation order\n\nRESOLVED: That the order be confirmed.\n")},
     f"{MEETING}:8:35: error: 'omar-khan' sent apologies for this meeting, so cannot have voted"),
    ({MEETING: meeting("status: scheduled\n")}, f"{MEETING}:3:1: warning: this meeting is still scheduled"),
    ({MEETING: meeting("status: held\nminutes: draft\napproved: 2020-04-08\n",
                       "## PC5 Tree preservation order\n\nRESOLVED: That the order be confirmed.\n")},
     f"{MEETING}:5:11: error: these minutes are draft, so they have no date of approval"),
    ({MEETING: meeting("status: scheduled\n", "## 5 Tree preservation order\n")},
     f"{MEETING}:5:4: error: the minute reference '5' does not start"),
    ({MEETING: meeting("status: scheduled\n", "## PC5 Tree preservation order\n\n## PC5 Land at Mill Lane\n")},
     f"{MEETING}:7:4: error: the minute reference 'PC5' is used twice"),
    ({MEETING: meeting("status: scheduled\n", "## PC5 Tree preservation order\n\nRESOLVED: That the order be confirmed.\n")},
     f"{MEETING}:7:1: error: a resolution is recorded"),
    ({MEETING: meeting("status: scheduled\nminutes: draft\n")}, f"{MEETING}:4:10: error: a meeting that is scheduled"),
    ({MEETING: meeting("status: scheduled\n", "## PC5 Tree preservation order\n\nSee [[PC99]].\n")},
     f"{MEETING}:7:5: error: there is no item with the reference 'PC99'"),
    ({MEETING: meeting("status: held\nminutes: draft\n", "## PC6 Sale of land {.exempt paragraph=3}\n\nThe offer was accepted.\n")},
     f"{MEETING}:8:1: error: the exempt item 'PC6' has text under its heading"),
    ({MEETING: meeting("status: scheduled\n", "## PC6 Sale of land {.exempt}\n")},
     f"{MEETING}:5:1: error: an exempt item must say under which paragraph"),
    ({"content/meetings/planning-committee/2020-03-11/index.md":
      meeting("status: scheduled\ndocuments:\n  - {title: Site plan, file: site-plan.pdf}\n"),
      "content/meetings/planning-committee/2020-03-11/site-plan-v2.pdf": b"%PDF-1.4"},
     "content/meetings/planning-committee/2020-03-11/index.md:5:30: error: there is no file 'site-plan.pdf'"),
    ({"content/meetings/planning-committee/2020-01-15.md": None,
      "content/meetings/planning-committee/2020-01-15/index.md":
      (ROOT / "tests/fixtures/minimal-site/content/meetings/planning-committee/2020-01-15.md").read_text(),
      "content/meetings/planning-committee/2020-01-15/site-plan.pdf": b"%PDF-1.4"},
     "content/meetings/planning-committee/2020-01-15/site-plan.pdf:1:1: warning: this file is not listed"),
]


def _guide_blocks() -> list[str]:
    return [block.rstrip("\n") for block in re.findall(r"```\n(content/.*?)```", GUIDE, re.S)]


@pytest.mark.parametrize("files, start", GUIDE_ERRORS, ids=[start.split(": ", 2)[-1][:40] for _, start in GUIDE_ERRORS])
def test_the_guide_quotes_each_common_error_exactly(tmp_path: Path, files: dict, start: str) -> None:
    printed = [d.format() for d in check(make_site(tmp_path, files)).sorted()]
    assert len(printed) == 1 and printed[0].startswith(start), printed
    assert printed[0] in _guide_blocks(), (
        "docs/clerk-guide.md must quote this message as Minutes prints it; update the guide:\n" + printed[0])


def test_the_guide_explains_every_error_it_quotes() -> None:
    assert len(_guide_blocks()) == len(GUIDE_ERRORS)


def test_the_guides_commands_write_what_it_shows(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    commands = re.search(r"```sh\n(minutes new person .*?)```", GUIDE, re.S).group(1)  # type: ignore[union-attr]
    for command in commands.replace("\\\n", " ").strip().splitlines():
        result = subprocess.run(f"{sys.executable} -m generator {command.removeprefix('minutes ')} --site {site}",
                                shell=True, capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stderr
    blocks = re.findall(r"```yaml\n(---\n.*?---\n)```", GUIDE, re.S)
    assert (site / "content/people/sam-carter.md").read_text() == blocks[0]
    assert (site / "content/boards/children-scrutiny-panel.md").read_text() == blocks[1]
    made = minutes("new", "meeting", "children-young-people-families-ppb", "2022-03-07", "--site", str(site))
    written = (site / "content/meetings/children-young-people-families-ppb/2022-03-07.md").read_text()
    shown = re.search(r"```markdown\n(---\ndate: 2022-03-07\n.*?)```", GUIDE, re.S).group(1)  # type: ignore[union-attr]
    shown_lines = [line for line in shown.splitlines() if "..." not in line]
    assert made.returncode == 0 and all(line in written.splitlines() for line in shown_lines)
    numbered = minutes("new", "meeting", "executive-board", "2016-01-14", "--site", str(site))
    assert f"$ minutes new meeting executive-board 2016-01-14\n{numbered.stdout}```" in GUIDE


def test_the_guides_screenshots_are_there_and_small() -> None:
    for name in re.findall(r"\]\(images/([a-z-]+\.png)\)", GUIDE):
        image = ROOT / "docs" / "images" / name
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size < 200_000
    assert len(re.findall(r"\]\(images/", GUIDE)) == 3

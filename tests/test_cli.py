"""The command line as a clerk and CI use it: exit codes, messages, and no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, make_site


def minutes(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


BROKEN_MEETING = """---
date: 2020-03-11
status: helds
present: [jane-smith, omar-kahn]
apologise: [omar-khan]
---
## PC5 Tree preservation order

RESOLVED: That the order be confirmed.
"""


@pytest.mark.parametrize("command", ["build", "check", "serve", "new"])
def test_every_command_has_help(command: str) -> None:
    result = minutes(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: minutes")
    assert "--site" in result.stdout


def test_check_reports_every_error_with_its_line_and_exits_1(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/meetings/planning-committee/2020-03-11.md": BROKEN_MEETING})
    result = minutes("check", "--site", str(site))
    assert result.returncode == 1
    path = f"{site.as_posix()}/content/meetings/planning-committee/2020-03-11.md"  # the site is not under the current folder
    lines = result.stderr.splitlines()
    assert f"{path}:3:9: error: 'helds' is not a meeting status" in lines
    assert "  hint: did you mean 'held'?" in lines
    assert f"{path}:4:23: error: there is no person 'omar-kahn'" in lines
    assert "  hint: did you mean 'omar-khan'?" in lines
    assert f"{path}:5:1: error: unknown field 'apologise'" in lines
    assert "  hint: did you mean 'apologies'?" in lines
    assert lines[-1] == "3 errors, 0 warnings"
    assert "Traceback" not in result.stderr


def test_build_writes_nothing_when_there_are_errors(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2020-03-11.md": BROKEN_MEETING})
    result = minutes("build", "--site", str(site))
    assert result.returncode == 1
    assert not (site / "output").exists()
    assert "previous output is unchanged" in result.stderr


def test_build_in_the_current_folder_writes_output(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    result = minutes("build", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "output/index.html").is_file()
    assert result.stdout.startswith("Built ")


def test_build_to_another_folder(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    result = minutes("--site", str(site), "build", "--output", str(tmp_path / "public"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public/boards/planning-committee/2020-01-15/pc2/index.html").is_file()


def test_a_folder_that_is_not_a_site_is_a_usage_error(tmp_path: Path) -> None:
    result = minutes("check", "--site", str(tmp_path))
    assert result.returncode == 2
    assert "no site.yaml" in result.stderr and "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    assert minutes("publish").returncode == 2


def test_output_cannot_replace_the_site_itself(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    result = minutes("build", "--site", str(site), "--output", str(site / "content"))
    assert result.returncode == 2
    assert (site / "content/boards/planning-committee.md").is_file()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_an_output_folder_committed_as_a_symbolic_link_is_refused(tmp_path: Path, command: str) -> None:
    """Git keeps symbolic links, and '/output/' in .gitignore does not stop one being committed:
    following it would empty a folder anywhere on the machine and publish there."""
    site = make_site(tmp_path / "site", {})
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "documents").mkdir(parents=True)
    (elsewhere / "documents" / "precious.txt").write_text("keep me")
    (site / "output").symlink_to(elsewhere, target_is_directory=True)
    result = minutes(command, "--site", str(site), "--port", "0") if command == "serve" else minutes(command, "--site", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the site's output folder is a symbolic link" in result.stderr
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == ["documents", "documents/precious.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "site"]


def test_an_output_folder_named_with_output_is_written_even_through_a_link(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    (tmp_path / "real").mkdir()
    (tmp_path / "chosen").symlink_to(tmp_path / "real", target_is_directory=True)
    result = minutes("build", "--site", str(site), "--no-search", "--output", str(tmp_path / "chosen"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "real" / "index.html").is_file()


def test_check_passes_on_the_example_site() -> None:
    result = minutes("check", "--site", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No errors in ")


def test_new_meeting_is_filled_from_the_board_and_passes_check(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = minutes("new", "meeting", "planning-committee", "2020-04-08", "--site", str(site))
    assert result.returncode == 0, result.stderr
    made = site / "content/meetings/planning-committee/2020-04-08.md"
    written = made.read_text()
    assert 'start: "18:30"' in written and "venue: Council Chamber" in written
    assert "# present:\n#   - jane-smith  # Councillor Jane Smith, Chair\n#   - omar-khan   # Councillor Omar Khan\n" in written
    assert "## PC4 Declarations of interest" in written
    assert minutes("check", "--site", str(site)).returncode == 0


def test_new_meeting_refuses_to_overwrite_and_names_the_file(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    result = minutes("new", "meeting", "planning-committee", "2020-01-15", "--site", str(site))
    assert result.returncode == 1
    assert "content/meetings/planning-committee/2020-01-15.md:1:1: error: this meeting already exists" in result.stderr


def test_new_meeting_for_an_unknown_board_or_a_bad_date(tmp_path: Path) -> None:
    site = make_site(tmp_path, {})
    unknown = minutes("new", "meeting", "licensing", "2020-04-08", "--site", str(site))
    assert unknown.returncode == 1 and "there is no board 'licensing'" in unknown.stderr
    bad_date = minutes("new", "meeting", "planning-committee", "2020-02-30", "--site", str(site))
    assert bad_date.returncode == 2 and "is not a date" in bad_date.stderr


# A front-matter key written with YAML's escapes: printed as it is, it would forge a GitHub
# annotation and the line of a check that passed, and clear the terminal.
FORGING_KEY = '"party\\n::error file=content/boards/planning-committee.md,line=1::forged\\nNo errors in 9 meetings.\\e[2J"'


@pytest.mark.parametrize("command", [["check"], ["build"], ["check", "--format", "github"]])
def test_text_from_the_content_is_shown_escaped_in_every_output(tmp_path: Path, command: list[str]) -> None:
    site = make_site(tmp_path / "site", {"content/people/sam-taylor.md": f"---\nname: Sam Taylor\n{FORGING_KEY}: x\n---\n"})
    result = minutes(*command, cwd=site)
    assert result.returncode == 1
    printed = result.stdout + result.stderr
    assert "\x1b" not in printed
    assert "No errors in 9 meetings." not in printed.splitlines()
    assert [line for line in printed.splitlines() if line.startswith("::")] == (
        [line for line in result.stdout.splitlines() if line.startswith("::error file=content/people/sam-taylor.md,")]
        if "github" in command else [])
    assert "unknown field 'party\\n::error file=content/boards/planning-committee.md,line=1::forged" \
           "\\nNo errors in 9 meetings.\\x1b[2J'" in printed

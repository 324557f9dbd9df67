"""Reproducible and safe builds.

The same content gives the same bytes whatever the machine's hash seed, time zone, locale
(even a plain ASCII "C" locale with Python's UTF-8 coercion turned off) or number of
processes, and with or without the search index (which only adds pagefind/). And a build
killed at any moment, however hard (SIGKILL, as an out-of-memory killer or a cancelled CI
job does it), leaves the previous output/ whole: either the old site or the new one, never
a mixture; the next build then succeeds and gives exactly what a fresh build gives.
tests/test_site.py checks two environments on the example site; these go further.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EPOCH, build, copy_site, make_site
from hostile import hostile_site

from generator.incremental.sealing import Sealer
from generator.publish.write import finish_publishing

PEOPLE = ["jane-smith", "omar-khan", "lee-jones"]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def minutes(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], check=False, capture_output=True, text=True,
                          timeout=timeout,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})})


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The hostile site (every field full of markup, and text in many scripts), built once here."""
    root = tmp_path_factory.mktemp("reproducible")
    site, _ = hostile_site(root / "site")
    result = minutes("--site", str(site), "build", "--output", str(root / "output"),
                     env={"PYTHONHASHSEED": "0", "TZ": "Europe/London", "LC_ALL": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    return site, tree(root / "output")


ENVIRONMENTS = {
    "hash seed 1, UTC": {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
    "hash seed 4242, Kathmandu (+05:45), ASCII locale": {
        "PYTHONHASHSEED": "4242", "TZ": "Asia/Kathmandu", "LC_ALL": "C", "LANG": "C",
        "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    "random hash seed, Kiritimati (+14), a locale the system lacks": {
        "PYTHONHASHSEED": "random", "TZ": "Pacific/Kiritimati", "LC_ALL": "tr_TR.UTF-8", "LANG": "tr_TR.UTF-8"},
    "hash seed 9, Honolulu (-10), one process": {"PYTHONHASHSEED": "9", "TZ": "Pacific/Honolulu", "--jobs": "1"},
    "hash seed 10, St John's (-03:30), four processes": {"PYTHONHASHSEED": "10", "TZ": "America/St_Johns",
                                                          "--jobs": "4"},
}


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_the_output_does_not_depend_on_the_machine(name: str, reference: tuple[Path, dict[str, bytes]],
                                                   tmp_path: Path) -> None:
    site, expected = reference
    site = copy_site(site, tmp_path / "site")  # its own build cache, so nothing is reused from another build
    env = {k: v for k, v in ENVIRONMENTS[name].items() if not k.startswith("--")}
    jobs = ["--jobs", ENVIRONMENTS[name]["--jobs"]] if "--jobs" in ENVIRONMENTS[name] else []
    result = minutes("--site", str(site), "build", "--output", str(tmp_path / "output"), *jobs, env=env)
    assert result.returncode == 0, result.stderr
    built = tree(tmp_path / "output")
    assert sorted(built) == sorted(expected)
    assert [rel for rel in built if built[rel] != expected[rel]] == []


def test_without_the_search_index_only_the_index_is_missing(reference: tuple[Path, dict[str, bytes]],
                                                            tmp_path: Path) -> None:
    site, expected = reference
    site = copy_site(site, tmp_path / "site")
    result = minutes("--site", str(site), "build", "--no-search", "--output", str(tmp_path / "output"),
                     env={"PYTHONHASHSEED": "3", "TZ": "Australia/Lord_Howe"})
    assert result.returncode == 0, result.stderr
    without = {rel: data for rel, data in expected.items() if not rel.startswith("pagefind/")}
    assert any(rel.startswith("pagefind/") for rel in expected)
    assert tree(tmp_path / "output") == without


def test_a_build_over_a_previous_output_gives_what_a_fresh_build_gives(tmp_path: Path) -> None:
    """Incremental: change one meeting and remove a person, and the result is a fresh build's."""
    site = make_site(tmp_path / "site", {})
    assert build(site, tmp_path / "output").ok
    meeting = site / "content/meetings/planning-committee/2020-01-15.md"
    meeting.write_text(meeting.read_text().replace("twelve homes", "fourteen homes").replace(
        "in_attendance: [lee-jones]\n", ""))
    (site / "content/people/lee-jones.md").unlink()
    assert build(site, tmp_path / "output").ok
    fresh = copy_site(site, tmp_path / "fresh-site")
    assert build(fresh, tmp_path / "fresh").ok
    assert tree(tmp_path / "output") == tree(tmp_path / "fresh")


# --- Killed builds --------------------------------------------------------------------------------

def big_site(target: Path, meetings: int) -> Path:
    """The minimal site with a meeting a week for `meetings` weeks: big enough that a build takes a while."""
    files: dict[str, str | bytes | None] = {}
    first = dt.date(2014, 1, 8)
    for n in range(meetings):
        day = first + dt.timedelta(weeks=n)
        present, absent = PEOPLE[n % 3], PEOPLE[(n + 1) % 3]
        files[f"content/meetings/planning-committee/{day.isoformat()}.md"] = (
            f"---\ndate: {day.isoformat()}\nstart: \"18:30\"\nstatus: held\nminutes: approved\n"
            f"present: [{present}]\napologies: [{absent}]\n---\n"
            f"## PC{1000 + 3 * n} Minutes of the last meeting\n\nRESOLVED: That the minutes be approved.\n\n"
            f"## PC{1001 + 3 * n} Application {n}, land at Mill Lane {{.key-decision}}\n\n"
            f"The Committee considered an application for {n % 40 + 2} homes. See [[PC{1000 + 3 * n}]].\n\n"
            "RESOLVED: That planning permission be granted.\n\n"
            f"## PC{1002 + 3 * n} Enforcement at Moor Farm {{.exempt paragraph=5}}\n")
    return make_site(target, files)


def set_title(site: Path, title: str) -> None:
    """A new site title changes every page, so a build has to write everything again."""
    config = site / "site.yaml"
    lines = [f"title: {title}" if line.startswith("title:") else line for line in config.read_text().splitlines()]
    config.write_text("\n".join(lines) + "\n")


def start_build(site: Path, output: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "generator", "--site", str(site), "build", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build and everything it started (the search indexer), by its process group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


TITLES = ("Example Council decisions", "Example Council records")


def test_slow_killing_a_build_at_any_moment_leaves_the_previous_output_or_one_the_next_build_finishes(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site", meetings=30)
    expected = {}
    duration = 0.0
    for title in TITLES:  # what each version of the site builds to, each in a site and output of its own
        version = copy_site(site, tmp_path / f"reference-{len(expected)}")
        set_title(version, title)
        started = time.monotonic()
        result = minutes("--site", str(version), "build", "--output", str(tmp_path / f"expected-{len(expected)}"))
        duration = max(duration, time.monotonic() - started)
        assert result.returncode == 0, result.stderr
        expected[title] = tree(tmp_path / f"expected-{len(expected)}")
    assert expected[TITLES[0]] != expected[TITLES[1]]
    output = tmp_path / "output"
    set_title(site, TITLES[0])
    assert minutes("--site", str(site), "build", "--output", str(output)).returncode == 0
    current = TITLES[0]
    assert tree(output) == expected[current]

    def which(found: dict[str, bytes]) -> str:
        for title, files in expected.items():
            if found == files:
                return title
        return f"neither site: {len(set(found) ^ set(expected[current]))} files added or missing, " \
               f"{sum(found[rel] != expected[current].get(rel) for rel in found)} changed from the old site"

    rng = random.Random(20231114)
    killed = 0
    for trial in range(15):
        target = TITLES[1] if current == TITLES[0] else TITLES[0]
        set_title(site, target)
        delay = duration * (trial + rng.random()) / 15 * 1.1  # spread over the whole build, and a little beyond
        process = start_build(site, output)
        time.sleep(delay)
        finished = process.poll() is not None
        kill(process)
        found = which(tree(output))
        if finished:
            assert process.returncode == 0
            assert found == target, f"trial {trial}: a finished build left {found}"
        else:
            killed += 1
            if found not in (current, target):  # killed while publishing: the next Minutes command finishes it
                finish_publishing(output, Sealer(site))
                found = which(tree(output))
                assert found == target, f"trial {trial}: killed while publishing, and finished, the output is {found}"
            assert found in (current, target), f"trial {trial}: killed after {delay:.2f} s, the output is {found}"
        current = found
    assert killed >= 5, "too few builds were killed while running: the site builds too quickly for this test"

    set_title(site, TITLES[0])
    result = minutes("--site", str(site), "build", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert tree(output) == expected[TITLES[0]], "the build after the killed ones differs from a fresh build"


def test_the_next_build_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site", meetings=30)
    output = tmp_path / "output"
    assert minutes("--site", str(site), "build", "--output", str(output)).returncode == 0
    set_title(site, TITLES[1])
    process = start_build(site, output)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".output.staging") for p in tmp_path.iterdir()) and process.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.05)
    kill(process)
    assert minutes("--site", str(site), "build", "--output", str(output)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []

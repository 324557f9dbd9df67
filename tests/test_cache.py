"""The build cache is not trusted for being in the site folder (generator/incremental/cache.py, sealing.py).

A pull request can commit a `.cache/` folder. Nothing in it may run code when a build reads it,
put HTML on the site that is not made from the records, or lead a build to write or delete
outside the site. A cache made elsewhere is thrown away with a note; the site comes out as a
clean build makes it.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, make_site

from generator.build import build_site

PERSON = "content/people/jane-smith.md"
FOREIGN = "the build cache was not made by Minutes on this machine, or was changed, so it was rebuilt"


class RunsCode:
    """Unpickling this creates a file: the proof that a cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (str(self.marker), "w")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def built(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site built once, with its cache where a pull request could commit one: (site, output, database)."""
    site = make_site(tmp_path / "site", {})
    output = site / "output"
    assert build_site(site, output, search=False).ok
    [database] = (site / ".cache" / "minutes").glob("*.sqlite")
    return site, output, database


def edit(site: Path) -> None:
    """A change to the records, so that the next build reads its cache."""
    path = site / PERSON
    path.write_text(path.read_text() + "\nA new line of biography.\n")


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    output = tmp_path / "clean"
    assert build_site(site, output, search=False, cache_dir=tmp_path / "clean-cache").ok
    return tree(output)


def test_a_committed_cache_that_would_run_code_when_read_runs_none(tmp_path: Path) -> None:
    site, output, database = built(tmp_path)
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(RunsCode(marker))
    with sqlite3.connect(database) as db:
        db.execute("UPDATE outputs SET links = ?", (payload,))
        db.execute("UPDATE units SET head = ?, records = ?", (payload, payload))
    edit(site)
    result = build_site(site, output, search=False)
    assert not marker.exists(), "the build cache ran code"
    assert result.ok and result.notes == [FOREIGN]
    assert tree(output) == clean_build(site, tmp_path)


def test_html_planted_in_a_committed_cache_is_never_published(tmp_path: Path) -> None:
    site, output, database = built(tmp_path)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE fragments SET html = '<p>Planted</p><script>alert(\"planted\")</script>'")
    edit(site)
    (site / "content/meetings/planning-committee/2020-01-15.md").touch()
    result = build_site(site, output, search=False)
    assert result.ok
    assert not [rel for rel, data in tree(output).items() if b"planted" in data.lower()]
    assert tree(output) == clean_build(site, tmp_path)


def test_compiled_templates_planted_in_a_committed_cache_are_never_run(tmp_path: Path) -> None:
    site, output, _ = built(tmp_path)
    marker = tmp_path / "code-ran"
    compiled = sorted((site / ".cache" / "minutes" / "templates").glob("*/*.cache"))
    assert compiled
    for path in compiled:  # Jinja2's own format: its header, then a pickle it loads
        path.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(RunsCode(marker), 2))
    edit(site)
    assert build_site(site, output, search=False).ok
    assert not marker.exists(), "a compiled template from the cache ran code"


def test_a_cache_made_on_another_machine_is_thrown_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_CACHE_KEY", "the key of the machine that built it first")
    site, output, _ = built(tmp_path)
    edit(site)
    monkeypatch.setenv("MINUTES_CACHE_KEY", "this machine's key")
    result = build_site(site, output, search=False)
    assert result.ok and result.notes == [FOREIGN] and result.rendered == result.pages
    assert tree(output) == clean_build(site, tmp_path)
    edit(site)
    assert build_site(site, output, search=False).notes == []  # made again, and this machine's now


def test_a_cache_with_more_than_minutes_puts_in_it_is_thrown_away(tmp_path: Path) -> None:
    site, output, database = built(tmp_path)
    with sqlite3.connect(database) as db:
        db.execute("CREATE TRIGGER planted AFTER DELETE ON fragments BEGIN SELECT 1; END")
    edit(site)
    result = build_site(site, output, search=False)
    assert result.ok and result.notes == [FOREIGN]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == []


def test_a_changed_table_of_outputs_is_never_used(tmp_path: Path) -> None:
    """With nothing changed, the build does not read the table (the last build's inputs and
    published files are sealed with its result); the first build that does throws it away."""
    site, output, database = built(tmp_path)
    before = tree(output)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE outputs SET size = size + 1 WHERE url = '/'")
    unchanged = build_site(site, output, search=False)
    assert unchanged.ok and unchanged.rendered == 0 and tree(output) == before
    edit(site)
    result = build_site(site, output, search=False)
    assert result.ok and result.notes == [FOREIGN] and result.rendered == result.pages


def test_records_the_cache_no_longer_holds_in_full_are_validated_again(tmp_path: Path) -> None:
    site, output, database = built(tmp_path)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE units SET records = '[\"planted\"]'")
    (site / "layouts").mkdir()  # a template change: every page is made again, from every record
    (site / "layouts/base.html").write_text((ROOT / "layouts/base.html").read_text() + "\n")
    result = build_site(site, output, search=False)
    assert result.ok
    assert not [rel for rel, data in tree(output).items() if b"planted" in data]
    assert tree(output) == clean_build(site, tmp_path)


@pytest.mark.parametrize("link", [".cache", ".cache/minutes", ".cache/minutes/templates"])
def test_a_cache_folder_that_is_a_symbolic_link_is_refused_and_nothing_outside_is_touched(
        tmp_path: Path, link: str) -> None:
    site = make_site(tmp_path / "site", {})
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "keep" / "inside").mkdir(parents=True)
    (elsewhere / "keep" / "inside" / "file.txt").write_text("precious")
    (site / link).parent.mkdir(parents=True, exist_ok=True)
    (site / link).symlink_to(elsewhere, target_is_directory=True)
    before = tree(elsewhere)
    result = build_site(site, site / "output", search=False)
    assert not result.ok
    [problem] = result.diagnostics.sorted()
    assert (problem.path, problem.message) == (
        link, "this is a symbolic link, and Minutes will not write its build cache through it")
    assert tree(elsewhere) == before and sorted(p.name for p in elsewhere.iterdir()) == ["keep"]
    assert not (site / "output").exists()

"""The write stage (generator/publish/write.py): changed files staged, then put in place whole,
and a publication cut short finished by the next build."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.incremental.sealing import Sealer
from generator.publish import write
from generator.publish.write import Staging, finish_publishing


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def staging(out: Path) -> Staging:
    return Staging(out, Sealer(out.parent))


def publish(out: Path, files: dict[str, bytes], kept: set[str] = frozenset()) -> None:
    """Stage `files` and publish them as the whole site, with the `kept` files left as they are."""
    stage = staging(out)
    try:
        for rel, data in files.items():
            stage.put(rel, data)
        stage.publish(lambda rel: rel in files or rel in kept)
    finally:
        stage.discard()


def test_a_first_build_becomes_the_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"index.html": b"<p>home</p>", "a/b/index.html": b"b"})
    assert tree(out) == {"a/b/index.html": b"b", "index.html": b"<p>home</p>"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_files_not_staged_are_left_as_they_are_and_files_not_of_the_site_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"same.html": b"same", "changes.html": b"one", "gone/index.html": b"gone"})
    (out / "planted.html").write_text("not made by the build")
    before = (out / "same.html").stat()
    publish(out, {"changes.html": b"two"}, kept={"same.html"})
    after = (out / "same.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert tree(out) == {"changes.html": b"two", "same.html": b"same"}
    assert not (out / "gone").exists()  # a folder left empty goes too
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_failure_while_staging_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, {"index.html": b"first", "page/index.html": b"page"})
    stage = staging(out)
    stage.put("index.html", b"second")
    stage.discard()  # the build failed: nothing is published
    assert tree(out) == {"index.html": b"first", "page/index.html": b"page"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_publication_cut_short_is_finished_by_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after writing its journal and moving one file: the next build finishes the rest,
    and the output is the new site whole."""
    out = tmp_path / "out"
    publish(out, {"a.html": b"old a", "b.html": b"old b", "old.html": b"old"})
    real = os.replace
    moved: list[str] = []

    def killed(source: str | Path, target: str | Path) -> None:
        if str(target).startswith(str(out)) and moved:
            raise KeyboardInterrupt  # the process dies here
        real(source, target)
        moved.append(str(target))

    monkeypatch.setattr(write.os, "replace", killed)
    stage = staging(out)
    stage.put("a.html", b"new a")
    stage.put("b.html", b"new b")
    with pytest.raises(KeyboardInterrupt):
        stage.publish(lambda rel: rel in ("a.html", "b.html"))
    monkeypatch.setattr(write.os, "replace", real)
    assert tree(out) != {"a.html": b"new a", "b.html": b"new b"}  # a mixture, until the next build
    finish_publishing(out, Sealer(tmp_path))
    assert tree(out) == {"a.html": b"new a", "b.html": b"new b"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("sealed", [False, True])
def test_a_journal_not_written_by_this_machine_or_naming_paths_outside_the_output_is_not_followed(
        tmp_path: Path, sealed: bool) -> None:
    """A journal beside the output may be committed to the repository: unsealed it is ignored,
    and even a sealed one moves and removes nothing outside the output."""
    out = tmp_path / "out"
    publish(out, {"index.html": b"home"})
    (tmp_path / "precious.txt").write_text("keep")
    planted = tmp_path / ".out.staging-1"
    (planted / "x").mkdir(parents=True)
    (planted / "x" / "evil").write_text("evil")
    text = json.dumps({"staging": ".out.staging-1", "moves": ["../precious.txt", "x/evil"],
                       "removed": ["../precious.txt", "/etc/hostname"]})
    seal = Sealer(tmp_path).seal("journal", text) if sealed else b"\0" * 32
    (tmp_path / ".out.journal").write_text(text + "\n" + seal.hex())
    finish_publishing(out, Sealer(tmp_path))
    assert (tmp_path / "precious.txt").read_text() == "keep"
    assert tree(out) == ({"index.html": b"home", "x/evil": b"evil"} if sealed else {"index.html": b"home"})
    assert not (tmp_path / ".out.journal").exists()

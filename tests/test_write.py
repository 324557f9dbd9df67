"""The write stage: the output is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.publish import write
from generator.publish.write import write_site


def test_writes_exactly_the_given_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "stale").mkdir(parents=True)
    (out / "stale/old.html").write_text("old")
    source = tmp_path / "doc.pdf"
    source.write_bytes(b"%PDF")
    written, unchanged = write_site(out, {"index.html": b"<p>home</p>", "a/b/index.html": b"b"}, {"docs/doc.pdf": source})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a/b/index.html", "docs/doc.pdf", "index.html"]
    assert (written, unchanged) == (3, 0)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unchanged_files_keep_their_inode_and_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, {"same.html": b"same", "changes.html": b"one"}, {})
    before = (out / "same.html").stat()
    written, unchanged = write_site(out, {"same.html": b"same", "changes.html": b"two"}, {})
    after = (out / "same.html").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (out / "changes.html").read_bytes() == b"two"
    assert (written, unchanged) == (1, 1)


def test_a_failure_while_writing_leaves_the_previous_output_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_site(out, {"index.html": b"first", "page/index.html": b"page"}, {})
    real_put = write._put
    calls = []

    def failing_put(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        real_put(path, data)

    monkeypatch.setattr(write, "_put", failing_put)
    with pytest.raises(OSError):
        write_site(out, {"index.html": b"second", "page/index.html": b"changed", "new.html": b"new"}, {})
    assert (out / "index.html").read_bytes() == b"first"
    assert (out / "page/index.html").read_bytes() == b"page"
    assert not (out / "new.html").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_site_set_aside_by_an_interrupted_swap_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_site(out, {"index.html": b"first"}, {})
    out.rename(tmp_path / ".out.previous")
    write_site(out, {"index.html": b"first", "more.html": b"more"}, {})
    assert (out / "index.html").read_bytes() == b"first"
    assert (out / "more.html").read_bytes() == b"more"
    assert not (tmp_path / ".out.previous").exists()


def test_swap_without_renameat2_still_replaces_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_site(out, {"index.html": b"first"}, {})
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    write_site(out, {"index.html": b"second"}, {})
    assert (out / "index.html").read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]

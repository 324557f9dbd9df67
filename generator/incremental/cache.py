"""The build cache, kept outside the output: what each output read and how it came out, and
Markdown already converted to HTML.

The cache is in the site folder, which a pull request can write, so nothing in it is trusted for
being there. It holds plain data (text and JSON, never a format that runs code when it is read),
its database may hold only the tables Minutes makes, and every value is sealed with this
machine's key (sealing.py): a row on its own, or a table whole where every build reads all of
it. A cache that cannot be read, was written by another version of Minutes or on another
machine, or was changed by hand, is thrown away with a note and built again.
"""

from __future__ import annotations

import functools
import importlib.metadata
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple

from generator.incremental.sealing import Sealer

FORMAT = "6"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, seal BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY,
    stat TEXT NOT NULL,      -- size, modification and change times and inode, when its digest was taken
    digest TEXT NOT NULL     -- of its bytes
);                           -- sealed whole: meta's "files" is the seal of all its rows
CREATE TABLE IF NOT EXISTS units (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,    -- of what the record is made from (model/validate/units.py)
    head TEXT NOT NULL,      -- JSON: what every build reads of it (model/encoding.py)
    head_seal BLOB NOT NULL,
    records TEXT NOT NULL,   -- JSON: the records in full, read for the pages that show them
    records_seal BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS fragments (digest TEXT PRIMARY KEY, html TEXT NOT NULL, seal BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    url TEXT PRIMARY KEY,
    inputs TEXT NOT NULL,    -- digest of what it was made from
    digest TEXT NOT NULL,    -- digest of the bytes written
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,  -- of the published file, in seconds: a file put there since is not the build's
    links TEXT NOT NULL      -- JSON: [links, anchor ids] of a page, for the link check
);                           -- sealed whole: meta's "outputs" is the seal of all its rows
"""
# The tables sealed whole, with their key and number of columns.
_SEALED_WHOLE = {"files": ("rel", 3), "outputs": ("url", 6)}
# What the database may hold: a table made by anything else (a trigger, a view) is not ours.
_TABLES = ("meta", "files", "units", "fragments", "outputs")
_OBJECTS = {("table", name) for name in _TABLES} | {("index", f"sqlite_autoindex_{name}_1") for name in _TABLES}
FOREIGN = "the build cache was not made by Minutes on this machine, or was changed, so it was rebuilt"
# The libraries whose versions shape what Minutes writes: a cache made with others is not used.
_LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "PyYAML", "icalendar", "orjson", "pagefind", "pagefind-bin")


class ForeignCache(Exception):
    """A value in the cache is not one this machine sealed."""


class OutputState(NamedTuple):
    """How an output was made by the last build: from inputs of this digest, into bytes of this
    digest and size, published with this modification time (in seconds), with these links and
    anchors (a page's; as JSON, read by `links_of` only for the pages whose links are checked)."""

    inputs: str
    digest: str
    size: int
    mtime: int
    links: str


NO_LINKS = "[[],[]]"


def links_of(state: OutputState) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The links of a page, and the ids of its anchors."""
    try:
        links, ids = json.loads(state.links)
        return tuple(str(link) for link in links), tuple(str(name) for name in ids)
    except (ValueError, TypeError):
        return (), ()


@functools.cache
def code_version() -> str:
    """A digest of Minutes' own files (its code, the JSON Schemas it publishes, the preview's
    assets), of the versions of the libraries that shape its output, and of Python's: a cache
    made by anything else is not used, and nothing it made is published again."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            hasher.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            hasher.update(f"{name}=\0".encode())
    hasher.update(sys.version.encode())
    return FORMAT + "-" + hasher.hexdigest()


class BuildCache:
    """One cache per output folder, in an SQLite file under the site's .cache/minutes/."""

    def __init__(self, path: Path, site: Path) -> None:
        self.path = path
        self.note = ""  # said once to the user when the cache had to be thrown away
        self.sealer = Sealer(site)
        self._pid = os.getpid()
        self._empty_of_fragments: bool | None = None  # known once asked: a first build need not ask per text
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = _connect(self.path)
            db.executescript(_SCHEMA)
            if {tuple(row) for row in db.execute("SELECT type, name FROM sqlite_master")} != _OBJECTS:
                raise ForeignCache
            row = db.execute("SELECT value, seal FROM meta WHERE key = 'version'").fetchone()
            if row is not None and not self.sealer.verified(row[1], "meta", "version", row[0]):
                raise ForeignCache
            if row is not None and row[0] != code_version():
                db.close()
                return self._start_again("the build cache was made by another version of Minutes, so it was rebuilt")
            if row is None:
                self._remember(db, "version", code_version())
                db.commit()
            return db
        except sqlite3.DatabaseError:
            return self._start_again("the build cache could not be read, so it was rebuilt")
        except ForeignCache:
            return self._start_again(FOREIGN)

    def _start_again(self, note: str) -> sqlite3.Connection:
        self.note = note
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        db = _connect(self.path)
        db.executescript(_SCHEMA)
        self._remember(db, "version", code_version())
        db.commit()
        return db

    def _connection(self) -> sqlite3.Connection:
        """Worker processes forked from the build open their own connection."""
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._db = _connect(self.path)
        return self._db

    def _rows(self, query: str, *arguments: Any) -> list[tuple[Any, ...]]:
        try:
            return self._connection().execute(query, arguments).fetchall()
        except sqlite3.DatabaseError:
            return []

    def _foreign(self) -> None:
        """A row that does not verify: nothing in the cache is used again, and the user is told."""
        self.note = FOREIGN
        db = self._connection()
        with db:
            db.executescript("".join(f"DELETE FROM {name};" for name in _TABLES if name != "meta"))
            db.execute("DELETE FROM meta WHERE key != 'version'")

    # --- Files: the digest of each of the site's files, with the stat it was taken at ---------------

    def files(self) -> dict[str, tuple[tuple[int, ...], str]]:
        rows = self._sealed_rows("files", "SELECT rel, stat, digest FROM files ORDER BY rel")
        try:
            return {rel: (tuple(int(n) for n in stat.split()), digest) for rel, stat, digest in rows}
        except ValueError:
            return {}

    def save_files(self, files: Mapping[str, tuple[tuple[int, ...], str]],
                   before: Mapping[str, tuple[tuple[int, ...], str]]) -> None:
        """Keep each file's digest; `before` is what the cache held, so only changes are written."""
        self._save_sealed("files", _file_rows(files), _file_rows(before))

    def _save_sealed(self, table: str, rows: Mapping[str, tuple[Any, ...]], before: Mapping[str, tuple[Any, ...]]) -> None:
        """Bring a table sealed whole from `before` (its rows, by key, as the cache holds them) to
        `rows`: only the rows that changed are written, and one seal is made of them all."""
        key, width = _SEALED_WHOLE[table]
        db = self._connection()
        with db:
            db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in sorted(set(before) - set(rows))])
            db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * width)})",
                           [(k, *row) for k, row in sorted(rows.items()) if before.get(k) != row])
            self._remember(db, table, self._seal_rows(table, ((k, *row) for k, row in sorted(rows.items()))))

    def _sealed_rows(self, table: str, query: str) -> list[tuple[Any, ...]]:
        """Every row of a table sealed whole, in order; none if they are not as this machine left them."""
        rows = self._rows(query)
        seal = self.note_value(table)
        if (seal or rows) and seal != self._seal_rows(table, rows):
            self._foreign()
            return []
        return rows

    def _seal_rows(self, table: str, rows: Iterable[tuple[Any, ...]]) -> str:
        """One seal of a table's rows: its values cannot hold the character that separates them
        (NUL, which neither a file name, a digest nor JSON can), so the rows are read one way only."""
        text = "".join("\0".join(str(value) for value in row) + "\0\n" for row in rows)
        return self.sealer.seal(table, text).hex()

    # --- Units: each record validated on its own -------------------------------------------------

    def units(self) -> dict[str, tuple[str, str]]:
        """(digest, head as JSON) of every unit kept; verified, not yet read."""
        found = {}
        for key, digest, head, seal in self._rows("SELECT key, digest, head, head_seal FROM units"):
            if not self.sealer.verified(seal, "unit", key, digest, head):
                self._foreign()
                return {}
            found[key] = (digest, head)
        return found

    def unit_records(self, key: str, digest: str) -> str | None:
        """The records of a unit in full, as JSON, if the cache holds them for this digest."""
        rows = self._rows("SELECT records, records_seal FROM units WHERE key = ? AND digest = ?", key, digest)
        if not rows or not self.sealer.verified(rows[0][1], "records", key, digest, rows[0][0]):
            return None
        return str(rows[0][0])

    def save_units(self, units: Iterable[tuple[str, str, str, str]], gone: Iterable[str]) -> None:
        """Keep these units, (key, digest, head, records) each, and forget those `gone`."""
        rows = [(key, digest, head, self.sealer.seal("unit", key, digest, head), records,
                 self.sealer.seal("records", key, digest, records)) for key, digest, head, records in units]
        db = self._connection()
        with db:
            db.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?)", rows)
            db.executemany("DELETE FROM units WHERE key = ?", [(key,) for key in sorted(gone)])

    # --- Outputs: how each was made --------------------------------------------------------------

    def outputs(self) -> dict[str, OutputState]:
        """How each output was made, but those published ahead of a build that did not finish."""
        rows = self._sealed_rows("outputs", "SELECT url, inputs, digest, size, mtime, links FROM outputs ORDER BY url")
        unfinished = self.unfinished()
        try:
            return {url: OutputState(inputs, digest, int(size), int(mtime), links)
                    for url, inputs, digest, size, mtime, links in rows if url not in unfinished}
        except (ValueError, TypeError):
            return {}

    def save_outputs(self, outputs: Mapping[str, OutputState], before: Mapping[str, OutputState]) -> None:
        """Keep the state of the outputs planned now; `before` is what the cache held."""
        self._save_sealed("outputs", outputs, before)
        db = self._connection()
        with db:
            db.execute("DELETE FROM meta WHERE key = 'unfinished'")

    def forget_outputs(self, urls: Iterable[str]) -> None:
        """Forget how these outputs were made: they were published ahead of a build that may yet
        fail, so the next build must make them again whatever their files look like."""
        self.remember_value("unfinished", json.dumps(sorted(self.unfinished() | set(urls))))

    def unfinished(self) -> set[str]:
        """The outputs published ahead of a build that did not finish."""
        try:
            return {str(url) for url in json.loads(self.note_value("unfinished") or "[]")}
        except (ValueError, TypeError):
            return set()

    # --- Converted Markdown ----------------------------------------------------------------------

    def fragment(self, digest: str) -> str | None:
        """Converted Markdown, if this machine converted it: HTML that is not is never published."""
        if self._empty_of_fragments is None:
            self._empty_of_fragments = not self._rows("SELECT 1 FROM fragments LIMIT 1")
        if self._empty_of_fragments:
            return None
        rows = self._rows("SELECT html, seal FROM fragments WHERE digest = ?", digest)
        if not rows or not self.sealer.verified(rows[0][1], "fragment", digest, rows[0][0]):
            return None
        return str(rows[0][0])

    def save_fragments(self, fragments: Mapping[str, str], gone: Iterable[str]) -> None:
        """Keep these conversions, and forget those of text no longer in the records (`gone`):
        text taken out of them (confidential text published by mistake, say) must not live on in
        the cache."""
        self._empty_of_fragments = None
        db = self._connection()
        with db:
            db.executemany("DELETE FROM fragments WHERE digest = ?", [(digest,) for digest in sorted(gone)])
            db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?, ?)",
                           [(digest, html, self.sealer.seal("fragment", digest, html))
                            for digest, html in sorted(fragments.items())])

    # --- Values of the last build ----------------------------------------------------------------

    def note_value(self, key: str) -> str | None:
        rows = self._rows("SELECT value, seal FROM meta WHERE key = ?", key)
        if not rows or not self.sealer.verified(rows[0][1], "meta", key, rows[0][0]):
            return None
        return str(rows[0][0])

    def remember_value(self, key: str, value: str) -> None:
        db = self._connection()
        with db:
            self._remember(db, key, value)

    def _remember(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (key, value, self.sealer.seal("meta", key, value)))

    def close(self) -> None:
        self._db.close()


def _file_rows(files: Mapping[str, tuple[tuple[int, ...], str]]) -> dict[str, tuple[str, str]]:
    """The files table's rows: each file's stat as text, and its digest."""
    return {rel: (" ".join(str(n) for n in stat), digest) for rel, (stat, digest) in files.items()}


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA trusted_schema = OFF")  # nothing in a database file may call functions
    db.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten, not left in free pages
    return db


def cache_path(cache_dir: Path, output: Path, site: Path) -> Path:
    """Each output folder has its own cache file, named by where it is: from the site folder, for
    one inside it (so a copy of the site, such as a fresh clone in CI, finds its cache)."""
    where = os.path.abspath(output)
    if Path(where).is_relative_to(site):
        where = Path(where).relative_to(site).as_posix()
    key = hashlib.blake2b(str(where).encode(), digest_size=8).hexdigest()
    return cache_dir / f"build-{key}.sqlite"


def linked_cache_path(site: Path, cache_dir: Path, output: Path) -> Path | None:
    """A symbolic link inside the site folder on the way to any file of the cache (a committed
    `.cache` linking elsewhere, say): writing or deleting through it would reach outside the site."""
    database = cache_path(cache_dir, output, site)
    files = [cache_dir / "templates" / code_version(), *(Path(f"{database}{end}") for end in ("", "-journal", "-wal", "-shm"))]
    for file in files:
        for path in [*reversed(file.parents), file]:
            if path != site and path.is_relative_to(site) and path.is_symlink():
                return path
    return None


def compiled_templates_dir(cache_dir: Path) -> Path:
    """Where this version of Minutes keeps compiled templates; those of other versions, compiled
    with other settings, are removed."""
    folder = cache_dir / "templates"
    current = folder / code_version()
    if folder.is_dir():
        for other in folder.iterdir():
            if other != current:
                shutil.rmtree(other, ignore_errors=True)
    current.mkdir(parents=True, exist_ok=True)
    return current

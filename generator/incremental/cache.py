"""The build cache, kept outside the output: what each output read and how it came out, and
Markdown already converted to HTML.

The cache is in the site folder, which a pull request can write, so nothing in it is trusted for
being there. It holds plain data (text and JSON, never a format that runs code when it is read),
its database may hold only the tables Minutes makes, and every row is sealed with this machine's
key (sealing.py). A cache that cannot be read, was written by another version of Minutes or on
another machine, or was changed by hand, is thrown away with a note and built again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.incremental.sealing import Sealer

FORMAT = "4"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, seal BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fragments (digest TEXT PRIMARY KEY, html TEXT NOT NULL, seal BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    url TEXT PRIMARY KEY,
    base TEXT NOT NULL,      -- digest of the template, the context and the settings
    reads TEXT NOT NULL,     -- JSON: [[read path, digest of what it returned], ...]
    digest TEXT NOT NULL,    -- digest of the bytes written
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,  -- of the published file, to notice it being changed by hand
    links TEXT NOT NULL,     -- JSON: [links, ids] for the link check
    seal BLOB NOT NULL
);
"""
# What the database may hold: a table made by anything else (a trigger, a view) is not ours.
_OBJECTS = {("table", "meta"), ("table", "fragments"), ("table", "outputs"), ("index", "sqlite_autoindex_meta_1"),
            ("index", "sqlite_autoindex_fragments_1"), ("index", "sqlite_autoindex_outputs_1")}
FOREIGN = "the build cache was not made by Minutes on this machine, or was changed, so it was rebuilt"


class ForeignCache(Exception):
    """A value in the cache is not one this machine sealed."""


@dataclass(frozen=True)
class Recipe:
    """How an output was made last time."""

    base: str
    reads: dict[Any, str]
    digest: str
    size: int
    mtime: int
    links: tuple[tuple[str, ...], tuple[str, ...]]


@functools.cache
def code_version() -> str:
    """A digest of Minutes' own code: a cache made by other code is not used."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return FORMAT + "-" + hasher.hexdigest()


class BuildCache:
    """One cache per output folder, in an SQLite file under the site's .cache/minutes/."""

    def __init__(self, path: Path, site: Path) -> None:
        self.path = path
        self.note = ""  # said once to the user when the cache had to be thrown away
        self.sealer = Sealer(site)
        self._pid = os.getpid()
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
            if row is None or row[0] != code_version():
                if row is not None:
                    self.note = "the build cache was made by another version of Minutes, so it was rebuilt"
                db.executescript("DELETE FROM fragments; DELETE FROM outputs; DELETE FROM meta;")
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

    def recipes(self) -> dict[str, Recipe]:
        """The recipes of the last build; none at all if any of them is not this machine's."""
        found = {}
        try:
            for url, base, reads, digest, size, mtime, links, seal in self._connection().execute("SELECT * FROM outputs"):
                if not self.sealer.verified(seal, "output", url, base, reads, digest, str(size), str(mtime), links):
                    raise ForeignCache
                found[url] = Recipe(base, _decode_reads(reads), digest, size, mtime, _decode_links(links))
        except ForeignCache:
            self.note = FOREIGN
            return {}
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError):
            return {}
        return found

    def save_recipes(self, recipes: dict[str, Recipe], changed: set[str]) -> None:
        """Keep the recipes of the outputs planned now: `changed` ones are written again,
        outputs no longer planned are forgotten."""
        db = self._connection()
        rows = []
        for url, r in sorted(recipes.items()):
            if url in changed:
                reads, links = _encode_reads(r.reads), json.dumps(r.links)
                seal = self.sealer.seal("output", url, r.base, reads, r.digest, str(r.size), str(r.mtime), links)
                rows.append((url, r.base, reads, r.digest, r.size, r.mtime, links, seal))
        with db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS planned (url TEXT PRIMARY KEY)")
            db.execute("DELETE FROM planned")
            db.executemany("INSERT INTO planned VALUES (?)", [(url,) for url in sorted(recipes)])
            db.execute("DELETE FROM outputs WHERE url NOT IN (SELECT url FROM planned)")
            db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def fragment(self, digest: str) -> str | None:
        """Converted Markdown, if this machine converted it: HTML that is not is never published."""
        try:
            row = self._connection().execute("SELECT html, seal FROM fragments WHERE digest = ?", (digest,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or not self.sealer.verified(row[1], "fragment", digest, row[0]):
            return None
        return str(row[0])

    def save_fragments(self, fragments: dict[str, str]) -> None:
        if fragments:
            db = self._connection()
            with db:
                db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?, ?)",
                               [(digest, html, self.sealer.seal("fragment", digest, html))
                                for digest, html in sorted(fragments.items())])

    def note_value(self, key: str) -> str | None:
        try:
            row = self._connection().execute("SELECT value, seal FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or not self.sealer.verified(row[1], "meta", key, row[0]):
            return None
        return str(row[0])

    def remember_value(self, key: str, value: str) -> None:
        db = self._connection()
        with db:
            self._remember(db, key, value)

    def _remember(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (key, value, self.sealer.seal("meta", key, value)))

    def keep_fragments(self, digests: set[str]) -> None:
        """Forget converted Markdown that is no longer in the records: text taken out of them
        (confidential text published by mistake, say) must not live on in the cache."""
        db = self._connection()
        with db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS current (digest TEXT PRIMARY KEY)")
            db.execute("DELETE FROM current")
            db.executemany("INSERT OR IGNORE INTO current VALUES (?)", [(d,) for d in sorted(digests)])
            db.execute("DELETE FROM fragments WHERE digest NOT IN (SELECT digest FROM current)")

    def close(self) -> None:
        self._db.close()


def _encode_reads(reads: dict[Any, str]) -> str:
    return json.dumps([[_encode(path), digest] for path, digest in reads.items()])


def _decode_reads(text: str) -> dict[Any, str]:
    return {_decode(path): str(digest) for path, digest in json.loads(text)}


def _decode_links(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    links, ids = json.loads(text)
    return tuple(str(link) for link in links), tuple(str(name) for name in ids)


def _encode(value: Any) -> Any:
    """A read path (tuples of names, numbers and dates) as JSON, each kind tagged."""
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a read cannot name a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return tuple(_decode(v) for v in value["t"])
        return dt.date.fromisoformat(value["d"])
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError("not a read path")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA trusted_schema = OFF")  # nothing in a database file may call functions
    db.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten, not left in free pages
    return db


def cache_path(cache_dir: Path, output: Path) -> Path:
    """Each output folder has its own cache file."""
    key = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"build-{key}.sqlite"


def linked_cache_path(site: Path, cache_dir: Path, output: Path) -> Path | None:
    """A symbolic link inside the site folder on the way to any file of the cache (a committed
    `.cache` linking elsewhere, say): writing or deleting through it would reach outside the site."""
    database = cache_path(cache_dir, output)
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

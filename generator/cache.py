"""The build cache, kept outside the output: what each output read and how it came out, and
Markdown already converted to HTML. A cache that cannot be read, or was written by another
version of Minutes, is thrown away and rebuilt: it is never trusted."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fragments (digest TEXT PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    url TEXT PRIMARY KEY,
    base TEXT NOT NULL,      -- digest of the template, the context and the settings
    reads BLOB NOT NULL,     -- pickled {read path: digest of what it returned}
    digest TEXT NOT NULL,    -- digest of the bytes written
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,  -- of the published file, to notice it being changed by hand
    links BLOB NOT NULL      -- pickled (links, ids) for the link check
);
"""


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
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return FORMAT + "-" + hasher.hexdigest()


class BuildCache:
    """One cache per output folder, in an SQLite file under the site's .cache/minutes/."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.note = ""  # said once to the user when the cache had to be thrown away
        self._pid = os.getpid()
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        version = code_version()
        try:
            db = _connect(self.path)
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None or row[0] != version:
                if row is not None:
                    self.note = "the build cache was made by another version of Minutes, so it was rebuilt"
                db.executescript("DELETE FROM fragments; DELETE FROM outputs; DELETE FROM meta;")
                db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
                db.commit()
            db.execute("SELECT count(*) FROM outputs").fetchone()
            return db
        except sqlite3.DatabaseError:
            self.note = "the build cache could not be read, so it was rebuilt"
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            db = _connect(self.path)
            db.executescript(_SCHEMA)
            db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
            db.commit()
            return db

    def _connection(self) -> sqlite3.Connection:
        """Worker processes forked from the build open their own connection."""
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._db = _connect(self.path)
        return self._db

    def recipes(self) -> dict[str, Recipe]:
        found = {}
        try:
            for url, base, reads, digest, size, mtime, links in self._connection().execute("SELECT * FROM outputs"):
                found[url] = Recipe(base, pickle.loads(reads), digest, size, mtime, pickle.loads(links))
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return {}
        return found

    def save_recipes(self, recipes: dict[str, Recipe], changed: set[str]) -> None:
        """Keep the recipes of the outputs planned now: `changed` ones are written again,
        outputs no longer planned are forgotten."""
        db = self._connection()
        with db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS planned (url TEXT PRIMARY KEY)")
            db.execute("DELETE FROM planned")
            db.executemany("INSERT INTO planned VALUES (?)", [(url,) for url in sorted(recipes)])
            db.execute("DELETE FROM outputs WHERE url NOT IN (SELECT url FROM planned)")
            db.executemany(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(url, r.base, pickle.dumps(r.reads, protocol=5), r.digest, r.size, r.mtime,
                  pickle.dumps(r.links, protocol=5)) for url, r in sorted(recipes.items()) if url in changed],
            )

    def fragment(self, digest: str) -> str | None:
        try:
            row = self._connection().execute("SELECT html FROM fragments WHERE digest = ?", (digest,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def save_fragments(self, fragments: dict[str, str]) -> None:
        if fragments:
            db = self._connection()
            with db:
                db.executemany("INSERT OR REPLACE INTO fragments VALUES (?, ?)", sorted(fragments.items()))

    def note_value(self, key: str) -> str | None:
        try:
            row = self._connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row else None

    def remember_value(self, key: str, value: str) -> None:
        db = self._connection()
        with db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

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


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten, not left in free pages
    return db


def cache_path(cache_dir: Path, output: Path) -> Path:
    """Each output folder has its own cache file."""
    key = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"build-{key}.sqlite"


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

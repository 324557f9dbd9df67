"""Writing imported records so that importing again is safe.

Each imported record starts its front matter with one line naming where it came from and a
digest of everything else in the file:

    source: {system: moderngov, site: "https://democracy.example.gov.uk", id: "4967", digest: 3f2a...}

Importing again finds the record by its source (wherever the file is now), and then:
rewrites it only if the new text differs; leaves it alone, and says so, if anything in it
differs from its digest (a clerk has edited it since); and never touches a file that was not
imported. Files are replaced in one step (written beside, then renamed), so an interrupted
import leaves every file whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

Outcome = Literal["new", "updated", "unchanged", "edited", "not imported"]
SYSTEMS = ("moderngov",)


@dataclass(frozen=True)
class Source:
    system: str
    site: str
    id: str


@dataclass
class Writer:
    """Writes records under a site, remembering what happened to each file."""

    root: Path
    index: dict[tuple[str, Source], str] = field(default_factory=dict)  # (folder, source) -> site-relative path
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @classmethod
    def for_site(cls, root: Path) -> Writer:
        """Find every imported record already in the site's content/."""
        index = {}
        for path in sorted((root / "content").rglob("*.md")):
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            source = read_source(_read(path))
            if source is not None:
                rel = path.relative_to(root).as_posix()
                index[(_folder(rel), source)] = rel
        return cls(root, index)

    def existing(self, folder: str, source: Source) -> str | None:
        """Where the record imported from `source` is now (folder: boards, people or meetings)."""
        return self.index.get((folder, source))

    def write(self, rel: str, front: list[str], body: str, source: Source, *, create_only: bool = False) -> Outcome:
        """Write the record to `rel` (or where it already is). `create_only` writes it only if
        it is not there yet: the final version follows later in the same import."""
        found = self.existing(_folder(rel), source)
        text = compose(front, body, source)
        if found is not None:
            current = _read(self.root / found)
            if not unedited(current):
                return self._note(found, "edited")
            if create_only:
                return self._note(found, self.outcomes.get(found, "unchanged"))
            if found != rel and (self.root / rel).exists():  # moving it would replace another file
                rel = found
            if found == rel and current == text:
                return self._note(rel, self.outcomes.get(rel, "unchanged"))
            write_text(self.root / rel, text)
            if found != rel:
                (self.root / found).unlink()
                self.index[(_folder(rel), source)] = rel
            return self._note(rel, "updated" if self.outcomes.get(rel) != "new" else "new")
        if (self.root / rel).exists():
            return self._note(rel, "not imported")
        write_text(self.root / rel, text)
        self.index[(_folder(rel), source)] = rel
        return self._note(rel, "new")

    def _note(self, rel: str, outcome: Outcome) -> Outcome:
        self.outcomes[rel] = outcome
        return outcome


def compose(front: list[str], body: str, source: Source) -> str:
    rest = "\n".join(front)
    return f"---\n{source_line(source, _digest(rest, body))}\n{rest}\n---\n{body}"


def source_line(source: Source, digest: str) -> str:
    return (f"source: {{system: {source.system}, site: {json.dumps(source.site)}, id: {json.dumps(source.id)}, "
            f"digest: {digest}}}")


def read_source(text: str | None) -> Source | None:
    """The source of an imported record; None for a record typed by hand (or unreadable)."""
    line = _source_line(text)
    if line is None:
        return None
    try:
        value = yaml.safe_load(line)
    except yaml.YAMLError:
        return None
    entry = value.get("source") if isinstance(value, dict) else None
    if not isinstance(entry, dict) or entry.get("system") not in SYSTEMS:
        return None
    return Source(str(entry["system"]), str(entry.get("site", "")), str(entry.get("id", "")))


def unedited(text: str | None) -> bool:
    """Whether an imported record is exactly as the import wrote it."""
    line = _source_line(text)
    if text is None or line is None:
        return False
    try:
        digest = str(yaml.safe_load(line)["source"]["digest"])
    except (yaml.YAMLError, KeyError, TypeError):
        return False
    front, _, body = text[4:].partition("\n---\n")
    rest = front.split("\n", 1)[1] if "\n" in front else ""
    return digest == _digest(rest, body)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` in one step, so that it is never seen half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".import-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _source_line(text: str | None) -> str | None:
    if not text or not text.startswith("---\n"):
        return None
    first = text[4:].split("\n", 1)[0]
    return first if first.startswith("source: {") else None


def _digest(front: str, body: str) -> str:
    return hashlib.blake2b(f"{front}\n---\n{body}".encode(), digest_size=12).hexdigest()


def _folder(rel: str) -> str:
    return rel.split("/")[1] if rel.startswith("content/") else ""


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None

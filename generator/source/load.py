"""The load stage: where each record of a site folder is written, and its files read as documents
with the position of every value."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from generator.diagnostics import Diagnostics, Position
from generator.model.fields import SLUG
from generator.source.frontmatter import Document, parse_yaml, split_document
from generator.source.text import TextFile, bad_characters, read_text
from generator.plan.urls import slugify

MEETING_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?\Z")
ATTACHMENT_TYPES = {
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx",
    ".odp", ".txt", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".m4a", ".mp4",
}
_ATTACHMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_PLACES = ("content/people/<slug>.md, content/boards/<slug>.md, content/meetings/<board>/<YYYY-MM-DD>.md "
           "or content/meetings/<board>/<YYYY-MM-DD>/ holding index.md, reports (.md) and attachments")
START = Position(1, 1)


@dataclass(frozen=True)
class MeetingFiles:
    """A meeting's file and what its folder holds: the unit its record is made from."""

    board: str
    name: str
    file: str  # content/meetings/<board>/<name>.md or .../<name>/index.md, relative to the site
    folder: str | None  # the bundle folder, relative to the site
    reports: tuple[str, ...] = ()  # the reports' files, relative to the site
    attachments: tuple[str, ...] = ()  # file names in the folder

    @property
    def key(self) -> str:
        return f"{self.board}/{self.name}"

    @property
    def files(self) -> tuple[str, ...]:
        return (self.file, *self.reports)


@dataclass(frozen=True)
class SiteFiles:
    """Where each record of the site is written, found from the names of the files alone."""

    config: str | None  # "site.yaml", when there is one
    people: Mapping[str, str]  # slug -> file
    boards: Mapping[str, str]
    meetings: Mapping[str, MeetingFiles]  # "<board>/<name>" -> its files
    # Every record whose file is there, read or not: ("person", slug), ("board", slug),
    # ("meeting", board, name), ("report", board, meeting, slug). A reference to a record
    # whose only problem is inside its own file (already reported) is not also "missing".
    present: frozenset[tuple[str, ...]]

    def present_of(self, kind: str) -> set[tuple[str, ...]]:
        return {entry[1:] for entry in self.present if entry[0] == kind}

    def texts(self) -> list[str]:
        """Every file that is read as text."""
        found = [self.config] if self.config else []
        found += [*self.people.values(), *self.boards.values()]
        found += [rel for meeting in self.meetings.values() for rel in meeting.files]
        return sorted(found)

    def attachments(self) -> list[str]:
        return sorted(f"{m.folder}/{name}" for m in self.meetings.values() if m.folder for name in m.attachments)


@dataclass(frozen=True)
class MeetingDocument:
    doc: Document
    board: str
    name: str
    folder: str | None


@dataclass(frozen=True)
class SiteDocuments:
    """Every record's file read as a document: for the tools that write new records from the
    site as it is (`minutes new`, `minutes import`), not for builds, which read only what changed."""

    config: Document | None
    people: tuple[Document, ...]
    boards: tuple[Document, ...]
    meetings: tuple[MeetingDocument, ...]
    files: tuple[str, ...]  # every file of the site's records, relative to the site


def read_site(root: Path, diagnostics: Diagnostics) -> SiteDocuments:
    files = find_files(root, diagnostics)
    config = read_config(root, diagnostics)
    people = tuple(doc for rel in files.people.values() if (doc := read_document(root, rel, diagnostics)))
    boards = tuple(doc for rel in files.boards.values() if (doc := read_document(root, rel, diagnostics)))
    meetings = tuple(MeetingDocument(doc, m.board, m.name, m.folder) for m in files.meetings.values()
                     if (doc := read_document(root, m.file, diagnostics)))
    return SiteDocuments(config, people, boards, meetings, tuple(files.texts() + files.attachments()))


def find_files(root: Path, diagnostics: Diagnostics) -> SiteFiles:
    """Every record's files, by their names; anything out of place becomes a diagnostic.
    Nothing is read: which records changed is known from the files' digests."""
    people: dict[str, str] = {}
    boards: dict[str, str] = {}
    meetings: dict[str, dict[str, Any]] = {}
    present: set[tuple[str, ...]] = set()
    rels = _walk(root, diagnostics)
    for rel in rels:
        parts = rel.split("/")[1:]
        stem, suffix = _name_parts(parts[-1])
        if suffix.lower() == ".md" and suffix != ".md":
            diagnostics.error(rel, START, f"the file name ends in '{suffix}'; Minutes reads only names ending in '.md'",
                              f"rename it to '{stem}.md' (lower case)")
        elif parts[0] in ("people", "boards") and len(parts) == 2 and suffix == ".md":
            if _slug_name(rel, stem, diagnostics):
                present.add(("person" if parts[0] == "people" else "board", stem))
                (people if parts[0] == "people" else boards)[stem] = rel
        elif parts[0] == "meetings" and len(parts) in (3, 4):
            _meeting_file(rel, parts, stem, suffix, diagnostics, meetings, present)
        else:
            diagnostics.error(rel, START, "Minutes does not know what to do with this file", "files belong in " + _PLACES)
    _one_file_per_meeting(set(rels), diagnostics)
    found: dict[str, MeetingFiles] = {}
    for key, parts_ in sorted(meetings.items()):
        if "index" in parts_:  # a bundle: index.md with its reports and attachments
            found[key] = MeetingFiles(parts_["board"], parts_["name"], parts_["index"], parts_["folder"],
                                      tuple(sorted(parts_["reports"])), tuple(sorted(parts_["attachments"])))
            continue
        for report in parts_["reports"]:
            diagnostics.error(report, START, "this report's folder has no index.md for its meeting",
                              "the meeting itself is written in index.md in the same folder")
        if "single" in parts_:
            found[key] = MeetingFiles(parts_["board"], parts_["name"], parts_["single"], None)
    return SiteFiles("site.yaml" if (root / "site.yaml").exists() else None, dict(sorted(people.items())),
                     dict(sorted(boards.items())), found, frozenset(present))


def _name_parts(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as pathlib reads them ("a.b.md": "a.b" and ".md")."""
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:
        return name[:dot], name[dot:]
    return name, ""


def _one_file_per_meeting(rels: set[str], diagnostics: Diagnostics) -> None:
    """A meeting written both as <date>.md and as <date>/index.md is an error; only index.md is kept."""
    for rel in sorted(rels):
        single = rel.removesuffix("/index.md") + ".md"
        if rel.startswith("content/meetings/") and rel.count("/") == 4 and rel.endswith("/index.md") and single in rels:
            diagnostics.error(single, START, f"this meeting is also written in {rel}",
                              "keep one of them: a meeting with papers is written as index.md in its folder, "
                              "so move anything new from this file into it and delete this file")


def read_config(root: Path, diagnostics: Diagnostics) -> Document | None:
    """site.yaml as a document of fields, or None with the reason in `diagnostics`."""
    if not (root / "site.yaml").exists():
        diagnostics.error("site.yaml", START, "there is no site.yaml here",
                          "run Minutes in the site's folder (the one holding site.yaml and content/)")
        return None
    loaded = read_text(root / "site.yaml", "site.yaml")
    if not isinstance(loaded, TextFile):
        diagnostics.extend([loaded])
        return None
    parsed = parse_yaml("site.yaml", loaded.text)
    diagnostics.extend(parsed.problems)
    if parsed.problems:
        return None
    if not isinstance(parsed.value, dict):
        diagnostics.error("site.yaml", START, "site.yaml must be a list of 'field: value' lines")
        return None
    parsed.positions.setdefault((), START)
    return Document("site.yaml", parsed.value, parsed.positions, "", 1, parsed.key_positions)


def _meeting_file(rel: str, parts: list[str], stem: str, suffix: str, diagnostics: Diagnostics,
                  meetings: dict[str, dict[str, Any]], present: set[tuple[str, ...]]) -> None:
    board = parts[1]
    if not _slug_name(rel, board, diagnostics, what="board folder"):
        return
    if len(parts) == 3:  # content/meetings/<board>/<date>.md
        if suffix != ".md":
            diagnostics.error(rel, START, "an attachment must be in its meeting's folder",
                              f"make a folder content/meetings/{board}/<YYYY-MM-DD>/ holding index.md and this file")
        elif _meeting_name(rel, stem, diagnostics):
            present.add(("meeting", board, stem))
            _meeting(meetings, board, stem, None)["single"] = rel
        return
    name, filename = parts[2], parts[3]
    folder = rel.rsplit("/", 1)[0]
    if not _meeting_name(rel, name, diagnostics):
        return
    if filename == "index.md":
        present.add(("meeting", board, name))
        _meeting(meetings, board, name, folder)["index"] = rel
    elif suffix == ".md":
        if _slug_name(rel, stem, diagnostics, what="report file name"):
            present.add(("report", board, name, stem))
            _meeting(meetings, board, name, folder)["reports"].append(rel)
    elif suffix.lower() not in ATTACHMENT_TYPES:
        diagnostics.error(rel, START, f"files of type '{suffix or filename}' are not published",
                          "attach documents as PDF, office documents, spreadsheets, images or recordings")
    elif not _ATTACHMENT_NAME.match(filename):
        diagnostics.error(rel, START, f"the file name '{filename}' contains spaces or special characters",
                          f"rename it to '{slugify(stem)}{suffix.lower()}'")
    else:
        _meeting(meetings, board, name, folder)["attachments"].append(filename)


def _meeting(meetings: dict[str, dict[str, Any]], board: str, name: str, folder: str | None) -> dict[str, Any]:
    """The parts of a meeting found so far; its folder's files make it a bundle."""
    entry = meetings.setdefault(f"{board}/{name}", {"board": board, "name": name, "folder": None,
                                                   "reports": [], "attachments": []})
    entry["folder"] = entry["folder"] or folder
    return entry


def _walk(root: Path, diagnostics: Diagnostics) -> list[str]:
    """Every regular file under content/, as its path from the site's folder, refusing links
    that lead elsewhere. (Strings, not Path objects: a large site has tens of thousands.)"""
    content = root / "content"
    found: list[str] = []
    if not content.is_dir():
        diagnostics.error("content", START, "the site has no content/ folder")
        return found
    real_content = content.resolve()
    folders = [(str(content), "content")]
    while folders:
        folder, label = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            diagnostics.error(label, START, "this folder cannot be read")
            continue
        below = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{label}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                below.append((entry.path, rel))
            elif entry.is_symlink() and os.path.isdir(entry.path):
                diagnostics.error(rel, START, "symbolic links to folders are not followed",
                                  "copy the folder into content/ instead")
            elif entry.is_symlink() and not _inside(entry.path, real_content, rel, diagnostics):
                continue
            elif not entry.is_file():
                diagnostics.error(rel, START, "this is not a regular file")
            else:
                found.append(rel)
        folders.extend(reversed(below))
    return sorted(found)


def _inside(path: str, real_content: Path, rel: str, diagnostics: Diagnostics) -> bool:
    """Whether a symbolic link leads to a file inside content/."""
    try:
        target = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        diagnostics.error(rel, START, "this symbolic link leads nowhere: to a file that is not there, "
                                      "or round in a circle", "replace the link with the file itself")
        return False
    if not target.is_relative_to(real_content):
        diagnostics.error(rel, START, "this symbolic link leads outside content/",
                          "copy the file into content/ instead of linking to it")
        return False
    return True


def read_document(root: Path, rel: str, diagnostics: Diagnostics) -> Document | None:
    """A Markdown file as its front matter and body, or None with the reason in `diagnostics`."""
    loaded = read_text(root / rel, rel)
    if not isinstance(loaded, TextFile):
        diagnostics.extend([loaded])
        return None
    doc, problems = split_document(rel, loaded.text)
    diagnostics.extend(problems)
    if doc:
        for offset, line in enumerate(doc.body.split("\n")):
            for bad in bad_characters(line, references=True):
                diagnostics.error(rel, Position(doc.body_line + offset, bad.index + 1), bad.message("the text"), bad.hint)
    return doc


def _slug_name(rel: str, name: str, diagnostics: Diagnostics, what: str = "file name") -> bool:
    if SLUG.match(name):
        return True
    diagnostics.error(rel, START, f"the {what} '{name}' must use only lower-case letters, digits and hyphens",
                      f"rename it to '{slugify(name)}'")
    return False


def _meeting_name(rel: str, name: str, diagnostics: Diagnostics) -> bool:
    if MEETING_NAME.match(name):
        return True
    diagnostics.error(rel, START, f"'{name}' is not a meeting name",
                      "name meetings by their date, YYYY-MM-DD, with an optional suffix such as 2013-06-19-special")
    return False

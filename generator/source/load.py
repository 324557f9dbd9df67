"""The load stage: a site folder's files into raw documents, each with source positions."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

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
class MeetingSource:
    doc: Document
    board: str
    name: str
    folder: str | None  # the bundle folder, relative to the site


@dataclass(frozen=True)
class ReportSource:
    doc: Document
    board: str
    meeting: str
    slug: str


@dataclass(frozen=True)
class RawSite:
    root: Path
    config: Document | None
    people: tuple[Document, ...]
    boards: tuple[Document, ...]
    meetings: tuple[MeetingSource, ...]
    reports: tuple[ReportSource, ...]
    attachments: dict[str, tuple[str, ...]]  # bundle folder -> file names
    digests: dict[str, str]  # file -> digest of its bytes
    # Every record whose file is there, read or not: ("person", slug), ("board", slug),
    # ("meeting", board, name), ("report", board, meeting, slug). A reference to a record
    # whose only problem is inside its own file (already reported) is not also "missing".
    present: frozenset[tuple[str, ...]]

    def present_of(self, kind: str) -> set[tuple[str, ...]]:
        return {entry[1:] for entry in self.present if entry[0] == kind}


def source_digests(raw: RawSite) -> dict[str, str]:
    """For each record's file, a digest of every file its record is made from: a meeting is
    made from its file and its reports' (their titles name its documents), a report from
    its own and its meeting's."""
    combined: dict[str, str] = {}
    groups: dict[tuple[str, str], list[str]] = {}
    for report in raw.reports:
        groups.setdefault((report.board, report.meeting), []).append(report.doc.rel)
    for meeting in raw.meetings:
        files = [meeting.doc.rel] + sorted(groups.get((meeting.board, meeting.name), []))
        combined[meeting.doc.rel] = _combine(raw.digests, files)
        for report in groups.get((meeting.board, meeting.name), []):
            combined[report] = combined[meeting.doc.rel]
    for doc in raw.people + raw.boards:
        combined[doc.rel] = raw.digests[doc.rel]
    return combined


def _combine(digests: dict[str, str], files: list[str]) -> str:
    return hashlib.blake2b("\0".join(f"{f}={digests[f]}" for f in files).encode(), digest_size=16).hexdigest()


def load_site(root: Path, diagnostics: Diagnostics) -> RawSite:
    """Read every file of the site; anything unreadable or out of place becomes a diagnostic."""
    digests: dict[str, str] = {}
    config = _load_config(root, diagnostics, digests)
    people: list[Document] = []
    boards: list[Document] = []
    meetings: list[MeetingSource] = []
    reports: list[ReportSource] = []
    attachments: dict[str, tuple[str, ...]] = {}
    present: set[tuple[str, ...]] = set()
    content = root / "content"
    paths = _walk(content, root, diagnostics)
    for path in paths:
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(content).parts
        if path.suffix.lower() == ".md" and path.suffix != ".md":
            diagnostics.error(rel, START, f"the file name ends in '{path.suffix}'; Minutes reads only names ending in '.md'",
                              f"rename it to '{path.stem}.md' (lower case)")
        elif parts[0] in ("people", "boards") and len(parts) == 2 and path.suffix == ".md":
            if _slug_name(rel, path.stem, diagnostics):
                present.add(("person" if parts[0] == "people" else "board", path.stem))
                if doc := _markdown(path, rel, diagnostics, digests):
                    (people if parts[0] == "people" else boards).append(doc)
        elif parts[0] == "meetings" and len(parts) in (3, 4):
            _load_meeting_file(root, path, rel, parts, diagnostics, meetings, reports, attachments, digests, present)
        else:
            diagnostics.error(rel, START, "Minutes does not know what to do with this file", "files belong in " + _PLACES)
    meetings = _one_file_per_meeting({path.relative_to(root).as_posix() for path in paths}, meetings, diagnostics)
    return RawSite(
        root=root,
        config=config,
        people=tuple(sorted(people, key=lambda d: d.rel)),
        boards=tuple(sorted(boards, key=lambda d: d.rel)),
        meetings=tuple(sorted(meetings, key=lambda m: m.doc.rel)),
        reports=tuple(sorted(reports, key=lambda r: r.doc.rel)),
        attachments={folder: tuple(sorted(names)) for folder, names in sorted(attachments.items())},
        digests=digests,
        present=frozenset(present),
    )


def _one_file_per_meeting(rels: set[str], meetings: list[MeetingSource], diagnostics: Diagnostics) -> list[MeetingSource]:
    """A meeting written both as <date>.md and as <date>/index.md is an error; only index.md is kept."""
    doubled = set()
    for rel in sorted(rels):
        single = rel.removesuffix("/index.md") + ".md"
        if rel.startswith("content/meetings/") and rel.count("/") == 4 and rel.endswith("/index.md") and single in rels:
            doubled.add(single)
            diagnostics.error(single, START, f"this meeting is also written in {rel}",
                              "keep one of them: a meeting with papers is written as index.md in its folder, "
                              "so move anything new from this file into it and delete this file")
    return [m for m in meetings if m.doc.rel not in doubled]


def _load_config(root: Path, diagnostics: Diagnostics, digests: dict[str, str]) -> Document | None:
    if not (root / "site.yaml").exists():
        diagnostics.error("site.yaml", START, "there is no site.yaml here",
                          "run Minutes in the site's folder (the one holding site.yaml and content/)")
        return None
    loaded = read_text(root / "site.yaml", "site.yaml")
    if not isinstance(loaded, TextFile):
        diagnostics.extend([loaded])
        return None
    digests["site.yaml"] = loaded.digest
    parsed = parse_yaml("site.yaml", loaded.text)
    diagnostics.extend(parsed.problems)
    if parsed.problems:
        return None
    if not isinstance(parsed.value, dict):
        diagnostics.error("site.yaml", START, "site.yaml must be a list of 'field: value' lines")
        return None
    parsed.positions.setdefault((), START)
    return Document("site.yaml", parsed.value, parsed.positions, "", 1, parsed.key_positions)


def _load_meeting_file(root: Path, path: Path, rel: str, parts: tuple[str, ...], diagnostics: Diagnostics,
                       meetings: list[MeetingSource], reports: list[ReportSource],
                       attachments: dict[str, tuple[str, ...]], digests: dict[str, str],
                       present: set[tuple[str, ...]]) -> None:
    board = parts[1]
    if not _slug_name(rel, board, diagnostics, what="board folder"):
        return
    if len(parts) == 3:  # content/meetings/<board>/<date>.md
        name = path.stem
        if path.suffix != ".md":
            diagnostics.error(rel, START, "an attachment must be in its meeting's folder",
                              f"make a folder content/meetings/{board}/<YYYY-MM-DD>/ holding index.md and this file")
        elif _meeting_name(rel, name, diagnostics):
            present.add(("meeting", board, name))
            if doc := _markdown(path, rel, diagnostics, digests):
                meetings.append(MeetingSource(doc, board, name, None))
        return
    name, filename = parts[2], parts[3]
    folder = path.parent.relative_to(root).as_posix()
    if not _meeting_name(rel, name, diagnostics):
        return
    if filename == "index.md":
        present.add(("meeting", board, name))
        if doc := _markdown(path, rel, diagnostics, digests):
            meetings.append(MeetingSource(doc, board, name, folder))
    elif path.suffix == ".md":
        if _slug_name(rel, path.stem, diagnostics, what="report file name"):
            present.add(("report", board, name, path.stem))
            if doc := _markdown(path, rel, diagnostics, digests):
                reports.append(ReportSource(doc, board, name, path.stem))
    elif path.suffix.lower() not in ATTACHMENT_TYPES:
        diagnostics.error(rel, START, f"files of type '{path.suffix or path.name}' are not published",
                          "attach documents as PDF, office documents, spreadsheets, images or recordings")
    elif not _ATTACHMENT_NAME.match(filename):
        diagnostics.error(rel, START, f"the file name '{filename}' contains spaces or special characters",
                          f"rename it to '{slugify(path.stem)}{path.suffix.lower()}'")
    else:
        attachments[folder] = attachments.get(folder, ()) + (filename,)


def _walk(content: Path, root: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every regular file under content/, refusing links that lead elsewhere."""
    found: list[Path] = []
    if not content.is_dir():
        diagnostics.error("content", START, "the site has no content/ folder")
        return found
    real_content = content.resolve()
    for directory, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(directory)
        for name in list(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                diagnostics.error((here / name).relative_to(root).as_posix(), START,
                                  "symbolic links to folders are not followed", "copy the folder into content/ instead")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
                    diagnostics.error(rel, START, "this symbolic link leads nowhere: to a file that is not there, "
                                                  "or round in a circle", "replace the link with the file itself")
                    continue
                if not target.is_relative_to(real_content):
                    diagnostics.error(rel, START, "this symbolic link leads outside content/",
                                      "copy the file into content/ instead of linking to it")
                    continue
            if not path.is_file():
                diagnostics.error(rel, START, "this is not a regular file")
                continue
            found.append(path)
    return found


def _markdown(path: Path, rel: str, diagnostics: Diagnostics, digests: dict[str, str]) -> Document | None:
    loaded = read_text(path, rel)
    if not isinstance(loaded, TextFile):
        diagnostics.extend([loaded])
        return None
    digests[rel] = loaded.digest
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

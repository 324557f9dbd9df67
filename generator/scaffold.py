"""`minutes new meeting`: a meeting file filled in from its board, ready for the agenda."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.frontmatter import split_document
from generator.text import TextFile, read_text

OPENING_ITEMS = ("Apologies for absence", "Declarations of interest", "Minutes of the last meeting")


def new_meeting(site_root: Path, board: str, day: dt.date, suffix: str | None = None) -> Path | Diagnostic:
    """Write content/meetings/<board>/<date>.md; returns its path, or why it could not."""
    board_rel = f"content/boards/{board}.md"
    loaded = read_text(site_root / board_rel, board_rel)
    if not isinstance(loaded, TextFile):
        if not (site_root / board_rel).exists():
            return Diagnostic(board_rel, 1, 1, f"there is no board '{board}'", f"add {board_rel} first")
        return loaded
    doc, problems = split_document(board_rel, loaded.text)
    if doc is None:
        return problems[0]
    name = day.isoformat() + (f"-{suffix}" if suffix else "")
    target = site_root / "content" / "meetings" / board / f"{name}.md"
    bundle = target.with_suffix("") / "index.md"
    if target.exists() or bundle.exists():
        existing = target if target.exists() else bundle
        return Diagnostic(existing.relative_to(site_root).as_posix(), 1, 1, "this meeting already exists",
                          "add a suffix for a second meeting on the same day: --suffix special")
    lines = ["---", f"date: {day.isoformat()}"]
    if isinstance(doc.data.get("start"), str):
        lines.append(f'start: "{doc.data["start"]}"')
    if isinstance(doc.data.get("venue"), str):
        lines.append(f"venue: {_yaml_text(doc.data['venue'])}")
    lines += ["status: scheduled", "minutes: none"]
    members = [m.get("person") if isinstance(m, dict) else m for m in doc.data.get("members") or []]
    members = [m for m in members if isinstance(m, str)]
    if members:
        lines.append("# Expected: the board's members. After the meeting, move each into present or apologies:")
        lines.append(f"# present: [{', '.join(members)}]")
        lines.append("# apologies: []")
    lines.append("---")
    for title in OPENING_ITEMS:
        lines += [f"## {title}", ""]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return target


def _yaml_text(value: str) -> str:
    needs_quotes = value[:1] in "!&*[]{}|>'\"%@`#,?:-" or ": " in value or " #" in value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if needs_quotes else value

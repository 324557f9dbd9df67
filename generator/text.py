"""Reading content files as text: UTF-8 only, with friendly reports for everything else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic

MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class TextFile:
    rel: str
    text: str
    digest: str  # of the file's bytes, so later builds can tell whether it changed


def decode(rel: str, data: bytes) -> TextFile | Diagnostic:
    """Decode a content file: UTF-8 with or without a byte-order mark, any line endings."""
    if len(data) > MAX_FILE_BYTES:
        return Diagnostic(
            rel, 1, 1,
            f"file is too large ({len(data) // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MiB)",
            "split long papers into separate reports, or attach them as PDF documents",
        )
    if b"\x00" in data:
        return Diagnostic(rel, 1, 1, "this is not a text file", "only Markdown (.md) files belong here")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        hint = "save the file as UTF-8"
        try:
            char = data[err.start : err.start + 1].decode("cp1252")
            hint = f"it looks like Windows-1252 (the character '{char}'); save the file as UTF-8"
        except UnicodeDecodeError:
            pass
        return Diagnostic(rel, line, column, "the file is not UTF-8 text", hint)
    return TextFile(rel, text.replace("\r\n", "\n").replace("\r", "\n"), hashlib.blake2b(data, digest_size=16).hexdigest())


def read_text(path: Path, rel: str) -> TextFile | Diagnostic:
    try:
        data = path.read_bytes()
    except OSError as err:
        return Diagnostic(rel, 1, 1, f"cannot read the file: {err.strerror}")
    return decode(rel, data)

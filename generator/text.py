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


def _too_large(rel: str, size: int) -> Diagnostic:
    return Diagnostic(
        rel, 1, 1,
        f"the file is too large ({size / 1024 / 1024:.1f} MiB, over the {MAX_FILE_BYTES // 1024 // 1024} MiB limit)",
        "split long papers into separate reports, or attach them as PDF documents",
    )


def decode(rel: str, data: bytes) -> TextFile | Diagnostic:
    """Decode a content file: UTF-8 with or without a byte-order mark, any line endings."""
    if len(data) > MAX_FILE_BYTES:
        return _too_large(rel, len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Diagnostic(rel, 1, 1, "the file is saved as UTF-16", "save it as UTF-8")
    if b"\x00" in data:
        return Diagnostic(rel, 1, 1, "this file holds binary data, not text",
                          "is it a Word document or a PDF renamed to .md? Save the text as Markdown, "
                          "or attach the file as a document")
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        before = _lines(body[: err.start].decode("utf-8"))  # everything before the first bad byte is good
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1  # characters, as an editor counts them
        hint = "save the file as UTF-8"
        try:
            char = body[err.start : err.start + 1].decode("cp1252")
            hint = f"it looks like Windows-1252 (the character '{char}'); save the file as UTF-8"
        except UnicodeDecodeError:
            pass
        return Diagnostic(rel, line, column, "the file is not UTF-8 text", hint)
    return TextFile(rel, _lines(text), hashlib.blake2b(data, digest_size=16).hexdigest())


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, rel: str) -> TextFile | Diagnostic:
    """Read at most the size limit (and one byte more, to know it was passed): a huge file
    dropped into content/ is refused without being read into memory."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                return _too_large(rel, max(path.stat().st_size, len(data)))
    except OSError as err:
        return Diagnostic(rel, 1, 1, f"cannot read the file: {err.strerror}")
    return decode(rel, data)

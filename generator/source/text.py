"""Reading content files as text: UTF-8 only, with friendly reports for everything else; and
the characters no text may hold."""

from __future__ import annotations

import hashlib
import re
import unicodedata
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


# Control characters (C0 but the tab, DEL and C1) mean nothing on a page and are forbidden in
# calendars (RFC 5545) and XML feeds; the tab is kept, since Word and spreadsheets put it between
# a minute number and its title, and every output format allows it. A bidirectional embedding,
# override or isolate left open reverses or reorders the page's text after it, to the end of its
# paragraph; closed on the same line, it can only affect the text it encloses.
_CONTROLS = "\x00-\x08\x0a-\x1f\x7f-\x9f"
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c",
            "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_SUSPECT_CHARACTER = re.compile(f"[{_CONTROLS}\u202a-\u202e\u2066-\u2069]")
# Or an HTML character reference, which Markdown's HTML turns into the character it stands for.
_SUSPECT_OR_REFERENCE = re.compile(_SUSPECT_CHARACTER.pattern + r"|&#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}));?")
# References to these C1 code points stand for Windows-1252's characters instead (&#150; is a dash).
_WINDOWS_1252 = set(range(0x80, 0xA0)) - {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_NAMES = {"\x00": "a null character", "\n": "a line break", "\r": "a carriage return", "\x0c": "a page break",
          "\x1b": "an escape character"}
_CONTROL_HINT = "delete it: it was probably pasted in from another program"
_OPEN_HINT = "delete it: left open, it reverses the text after it on the page, to the end of its paragraph"


@dataclass(frozen=True)
class BadCharacter:
    index: int  # where it is in the text
    what: str  # "an escape character (U+001B)"
    hint: str
    reference: str = ""  # the character reference it is written as, if it is one

    def message(self, subject: str) -> str:
        """`subject` names the text: "this text", "the text"."""
        if self.reference:
            return f"the character reference '{self.reference}' stands for {self.what}"
        return f"{subject} has {self.what}"


def bad_characters(text: str, references: bool = False) -> list[BadCharacter]:
    """Every control character in a line of text, and every bidirectional control that is left
    open or closes nothing; with `references`, also those written as HTML character references
    (&#27;, &#x202E;), as Markdown may hold them."""
    if not _SUSPECT_CHARACTER.search(text) and not (references and "&#" in text):
        return []
    found: list[BadCharacter] = []
    opened: list[tuple[int, str, str]] = []
    for match in (_SUSPECT_OR_REFERENCE if references else _SUSPECT_CHARACTER).finditer(text):
        char = _character(match)
        if char is None:
            continue
        reference = match.group() if match.group() != char else ""
        if unicodedata.category(char) == "Cc":
            found.append(BadCharacter(match.start(), _named(char), "delete it" if reference else _CONTROL_HINT, reference))
        elif char in _OPENERS:
            opened.append((match.start(), char, reference))
        elif opened and _OPENERS[opened[-1][1]] == char:
            opened.pop()
        else:
            found.append(BadCharacter(match.start(), f"{_named(char)} that closes nothing", "delete it", reference))
    found += [BadCharacter(index, f"{_named(char)} that is not closed", _OPEN_HINT, reference)
              for index, char, reference in opened]
    return sorted(found, key=lambda bad: bad.index)


def _character(match: re.Match[str]) -> str | None:
    """The character a match stands for, when it is one that bad_characters looks at."""
    if not match.group().startswith("&#"):
        return match.group()
    decimal, hexadecimal = match.group(1), match.group(2)
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    if code > 0x10FFFF or code in _WINDOWS_1252 or code in (0x00, 0x09, 0x0A):  # &#0; is read as U+FFFD
        return None
    char = chr(code)
    return char if _SUSPECT_CHARACTER.match(char) else None


def _named(char: str) -> str:
    name = _NAMES.get(char) or ("an invisible control character" if unicodedata.category(char) == "Cc"
                                else "a " + unicodedata.name(char).lower())
    return f"{name} (U+{ord(char):04X})"

"""Reading minutes from a Word document (.docx), a text file or a PDF's text layer into lines
that say what each one is: a heading, a list entry, a table or text.

python-docx reads Word's own structure (heading styles, numbered and bulleted lists, tables);
pypdf reads a PDF's text, whose paragraphs have to be found again from where its lines end.
Cutting the lines into a meeting is `drafting`'s work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Kind = Literal["text", "blank", "heading", "bullet", "numbered", "table"]
_PAGE_NUMBER = re.compile(r"^\s*(page\s+)?\d+(\s+of\s+\d+)?\s*$", re.IGNORECASE)
_STARTS_BLOCK = re.compile(r"^\s*([-•·▪*]\s|\(?[0-9]{1,2}[.)]\s|\(?[a-z][.)]\s|[A-Z]{1,6}\d+\b|<\d+>|"
                           r"(RESOLVED|RECOMMENDED|AGREED)\b)")


class Unreadable(Exception):
    """A file that holds no text Minutes can read."""


@dataclass(frozen=True)
class Line:
    text: str
    number: int  # the line of a text file or PDF, the paragraph of a Word document
    kind: Kind = "text"
    level: int = 0  # a heading's level


def read_document(path: Path) -> tuple[list[Line], str]:
    """The document's lines, and what a position in it is called ("line" or "paragraph")."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path), "paragraph"
    if suffix == ".pdf":
        return _pdf(path), "line"
    return _text_lines(_decode(path.read_bytes())), "line"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # an old Windows file: read as Windows would


def _text_lines(text: str) -> list[Line]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    return [Line(line.rstrip(), n, "text" if line.strip() else "blank") for n, line in enumerate(lines, start=1)]


# --- Word ----------------------------------------------------------------------------------------

def _docx(path: Path) -> list[Line]:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises many kinds for a damaged or mislabelled file
        raise Unreadable(f"cannot read this Word document ({type(err).__name__}): save it again as .docx from Word") from None
    formats = _numbering_formats(document)
    lines: list[Line] = []
    number = 0
    for child in document.element.body.iterchildren():
        number += 1
        if child.tag == qn("w:tbl"):
            lines += [Line(_table_markdown(Table(child, document)), number, "table"), Line("", number, "blank")]
            continue
        if child.tag != qn("w:p"):
            continue
        paragraph = Paragraph(child, document)
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        heading = re.match(r"^(Heading|Title)\s*(\d*)", style)
        kind: Kind = "text"
        level = 0
        if heading:
            kind, level = "heading", int(heading.group(2) or 1)
        elif "List Number" in style:
            kind = "numbered"
        elif "List Bullet" in style:
            kind = "bullet"
        else:
            numbering = child.pPr.numPr if child.pPr is not None else None
            if numbering is not None and numbering.numId is not None:
                level_id = numbering.ilvl.val if numbering.ilvl is not None else 0
                kind = "bullet" if formats.get((numbering.numId.val, level_id), "bullet") == "bullet" else "numbered"
        lines += [Line(text, number, kind, level), Line("", number, "blank")]
    return lines


def _numbering_formats(document: Any) -> dict[tuple[int, int], str]:
    """(numId, level) -> Word's number format ("bullet", "decimal", "lowerLetter", ...)."""
    from docx.oxml.ns import qn

    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for definition in numbering.findall(qn("w:abstractNum")):
        for level in definition.findall(qn("w:lvl")):
            fmt = level.find(qn("w:numFmt"))
            abstract[(definition.get(qn("w:abstractNumId")), int(level.get(qn("w:ilvl"), "0")))] = \
                fmt.get(qn("w:val")) if fmt is not None else "decimal"
    formats = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        for (abstract_id, level), fmt in abstract.items():
            if abstract_id == ref.get(qn("w:val")):
                formats[(int(num.get(qn("w:numId"))), level)] = fmt
    return formats


def _table_markdown(table: Any) -> str:
    rows = []
    for row in table.rows:
        cells = [" ".join(cell.text.split()).replace("|", "\\|") for cell in row.cells]
        rows.append(cells)
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


# --- PDF -----------------------------------------------------------------------------------------

def _pdf(path: Path) -> list[Line]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as err:
        raise Unreadable(f"cannot read this PDF ({err})") from None
    if not "".join(pages).strip():
        raise Unreadable("this PDF has no text layer (it is probably a scan): run it through text recognition "
                         "(OCR) first, or import the Word document it was made from")
    lines: list[Line] = []
    number = 0
    previous = ""  # a paragraph may go on over a page break
    for text in pages:
        page_lines = [line.rstrip() for line in text.split("\n")]
        width = max((len(line) for line in page_lines), default=0)
        for line in page_lines:
            number += 1
            if not line.strip() or _PAGE_NUMBER.match(line):
                continue
            # A PDF keeps no paragraphs, only lines: one ends where its line stops short after a
            # full stop, before and after a heading (a short line with no full stop, or one in
            # capitals), and before a list entry or a resolution.
            stops = previous.rstrip().endswith((".", ":", ";", "?", "!"))
            if previous and ((stops and len(previous) < 0.85 * width) or _STARTS_BLOCK.match(line)
                             or _heading_like(previous, width) or (stops and _heading_like(line, width))):
                lines.append(Line("", number, "blank"))
            lines.append(Line(line, number))
            previous = line
    return lines


def _heading_like(line: str, width: int) -> bool:
    text = line.strip()
    return bool(text) and ((text.isupper() and len(text) < 120)
                           or (len(text) < 0.6 * width and text[0].isupper() and not text.endswith((".", ",", ";", ":"))))

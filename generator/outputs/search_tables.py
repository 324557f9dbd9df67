"""Pagefind's filter tables, rewritten: sorted, so builds are reproducible, and escaped,
because its search interface draws them as HTML.

Pagefind writes its filter tables, and the list of them in its metadata file,
in hash-map order, so two builds of the same site differ (Pagefind issue #638).
Its interface then draws each filter value (a board's name, say) as HTML, so a
name holding markup would become markup on the search page. This rewrites those
files with every list sorted and every value HTML-escaped, names them by their
content, and points the metadata and entry files at the new names. Only the tiny
part of CBOR that Pagefind's index files use is read and written here.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from pathlib import Path
from typing import Any

_HEADER = b"pagefind_dcd"


class UnknownFormat(Exception):
    """The index is not laid out as this module expects (a newer Pagefind?)."""


def rewrite_filter_tables(bundle: Path) -> None:
    """Sort and escape the filter tables of the Pagefind bundle in `bundle`, in place."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 4 and isinstance(meta[3], list)):
            raise UnknownFormat(f"unexpected metadata layout in {meta_path.name}")
        filters = []
        for name, file_hash in meta[3]:
            old = bundle / "filter" / f"{file_hash}.pf_filter"
            table = _read(old)
            if not (isinstance(table, list) and len(table) == 2 and isinstance(table[1], list)):
                raise UnknownFormat(f"unexpected filter layout in {old.name}")
            # The interface shows the escaped text as the text itself, and filters by the same
            # values it is given here, so selecting a filter still finds its pages.
            table[1] = sorted([html.escape(value, quote=False), pages] for value, pages in table[1])
            new_hash = _write(bundle / "filter", language, table, ".pf_filter", 7)
            if new_hash != file_hash:
                old.unlink()
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        new_meta = _write(bundle, language, meta, ".pf_meta", 13, prefix="pagefind.")
        if new_meta != details["hash"]:
            meta_path.unlink()
        details["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_HEADER):
        raise UnknownFormat(f"{path.name} does not start with Pagefind's header")
    value, end = _decode(data, len(_HEADER))
    if end != len(data):
        raise UnknownFormat(f"{path.name} has trailing data")
    return value


def _write(folder: Path, language: str, value: Any, suffix: str, digits: int, prefix: str = "") -> str:
    data = _HEADER + _encode(value)
    name = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{name}{suffix}").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return name


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    initial = data[at]
    major, info = initial >> 5, initial & 31
    at += 1
    if info < 24:
        number = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        number = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise UnknownFormat(f"unsupported CBOR item at byte {at - 1}")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major == 2:
        return data[at : at + number], at + number
    if major == 3:
        return data[at : at + number].decode("utf-8"), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise UnknownFormat(f"unsupported CBOR type {major} at byte {at - 1}")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool):
        raise UnknownFormat("booleans are not expected in the index")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise UnknownFormat(f"cannot encode {type(value).__name__}")


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise UnknownFormat("number too large")

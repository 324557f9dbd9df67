"""Model values as plain JSON data and back: how validated records are kept in the build cache.

Records, summaries and the values inside them are written as `{"t": type name, "v": [fields]}`,
tuples as lists, dates as `{"d": "YYYY-MM-DD"}`, mappings as `{"m": [[key, value], ...]}`. Only
the model's own types can be named, so reading the cache can make nothing else; the cache's
seal (incremental/sealing.py) is checked before any of it is read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any, NamedTuple

from generator.diagnostics import Diagnostic
from generator.model import records

# Every type the cache may hold, by name.
TYPES: dict[str, type] = {
    cls.__name__: cls for cls in vars(records).values()
    if isinstance(cls, type) and cls.__module__ == records.__name__
    and (dataclasses.is_dataclass(cls) or issubclass(cls, tuple))
}
TYPES["Diagnostic"] = Diagnostic
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else cls._fields  # type: ignore[attr-defined]
    for cls in TYPES.values()
}


class Unreadable(Exception):
    """Data that is not a model value: a cache written by other code."""


def encode(value: Any) -> Any:
    """A model value as JSON data."""
    kind = type(value)
    if kind in _FIELDS:
        return {"t": kind.__name__, "v": [encode(getattr(value, name)) for name in _FIELDS[kind]]}
    if kind is tuple or kind is list:
        return [encode(item) for item in value]
    if kind is dt.date:
        return {"d": value.isoformat()}
    if kind is dict:
        return {"m": [[encode(key), encode(item)] for key, item in value.items()]}
    if value is None or kind in (str, int, bool, float):
        return value
    raise TypeError(f"a {kind.__name__} is not a model value")


def _value(data: dict[str, Any]) -> Any:
    """A model value from its mapping, whose mappings inside are read already (the JSON parser
    hands `loads` every mapping as it meets it, innermost first: quicker than walking the data
    afterwards)."""
    name = data.get("t")
    if name is not None:
        cls = TYPES.get(name)
        if cls is None:
            raise Unreadable(f"unknown type {name!r}")
        values = [_tuple(item) if type(item) is list else item for item in data["v"]]
        return cls._make(values) if issubclass(cls, tuple) else cls(*values)  # type: ignore[attr-defined]
    if "d" in data:
        return dt.date.fromisoformat(data["d"])
    if "m" in data:
        return {(_tuple(key) if type(key) is list else key): (_tuple(item) if type(item) is list else item)
                for key, item in data["m"]}
    raise Unreadable("a mapping that is no model value")


def _tuple(items: list[Any]) -> tuple[Any, ...]:
    return tuple([_tuple(item) if type(item) is list else item for item in items])


def dumps(value: Any) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> Any:
    try:
        value = json.loads(text, object_hook=_value)
        return _tuple(value) if type(value) is list else value
    except (ValueError, TypeError, KeyError, IndexError) as err:
        raise Unreadable(str(err)) from None


def digest(value: Any) -> str:
    """A digest of a model value's content."""
    return hashlib.blake2b(dumps(value).encode(), digest_size=16).hexdigest()


def without_digests(summary: NamedTuple) -> tuple[Any, ...]:
    """A summary's values but its own digests: what its digest is made from."""
    return tuple(value for name, value in zip(summary._fields, summary) if name not in ("record", "digest"))

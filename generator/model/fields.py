"""Declared fields for front matter and site.yaml, which check their own values.

A schema lists its fields; checking a mapping reports unknown keys (with a
"did you mean" hint), missing required fields and every bad value in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from generator.diagnostics import Diagnostics, did_you_mean
from generator.source.frontmatter import Document, KeyPath
from generator.source.text import bad_characters

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would also allow a line feed after it
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_LOOSE_TIME = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*([ap])\.?\s*m\.?\s*$", re.IGNORECASE)
FIRST_DAY = dt.date(1000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


class Invalid(Exception):
    """A value that does not fit its field; `path` narrows where, relative to the field."""

    def __init__(self, message: str, hint: str = "", path: KeyPath = (), at_key: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.at_key = at_key  # point at the key itself (an unknown field), not its value


MISSING = object()
_NAME_VALUE_LINES = "'name: value' lines"


class Field:
    required = False

    def __init__(self, required: bool = False, default: Any = None, shape: str | None = None) -> None:
        self.required = required
        self.default = default
        self.shape = shape  # what a value looks like, for messages: "'slug: full name' lines"

    def clean(self, value: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        return "a value"


class Text(Field):
    def clean(self, value: Any) -> str:
        if isinstance(value, bool) or isinstance(value, (list, dict)) or value is None:
            raise Invalid(f"expected text, found {_kind(value)}")
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        written = str(getattr(value, "written", value))  # a number as written: 2.10, not 2.1
        for bad in bad_characters(written.strip(" \t\n"))[:1]:  # a line feed ends a value written with | or >
            raise Invalid(bad.message("this text"), bad.hint)
        text = written.strip()
        if not text:
            raise Invalid("this field is empty")
        return text


class Slug(Text):
    def __init__(self, what: str = "a slug", example: str = "executive-board", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what
        self.example = example

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not SLUG.match(text):
            raise Invalid(f"'{text}' is not {self.what}",
                          f"use lower-case letters, digits and hyphens, such as '{self.example}'")
        return text


class Choice(Text):
    def __init__(self, options: tuple[str, ...], what: str = "one of the choices", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.what = what  # "a kind of board": the message says what the value failed to be

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if text not in self.options:
            hint = did_you_mean(text, self.options) or "choose one of: " + ", ".join(self.options)
            raise Invalid(f"'{text}' is not {self.what}", hint)
        return text


class Flag(Field):
    def clean(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise Invalid(f"expected true or false, found {_kind(value)}")
        return value


class Number(Field):
    def clean(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Invalid(f"expected a whole number, found {_kind(value)}")
        return int(value)


class Date(Field):
    """A day in the years 1000 to 2999: four-digit years, as every output format writes them, and
    room for the day after and for the time-zone rules a calendar spells out up to the year after."""

    def clean(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise Invalid(f"expected a date, found {_kind(value)}", "write dates as YYYY-MM-DD, for example 2010-12-16")
        if not FIRST_DAY <= value <= LAST_DAY:
            raise Invalid(f"{value.isoformat()} is not a date Minutes can publish",
                          f"dates must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}: check the year")
        return value


class Time(Field):
    """A local time written HH:MM (24-hour)."""

    def clean(self, value: Any) -> str:
        text = (str(getattr(value, "written", value)).strip()
                if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None)
        if text is not None:
            match = _TIME.match(text)
            if match:
                return f"{int(match.group(1)):02d}:{match.group(2)}"
        hint = 'write times in 24-hour form in quotes, such as "18:30"'
        loose = _LOOSE_TIME.match(text or "")
        if loose:
            hour = int(loose.group(1)) % 12 + (12 if loose.group(3).lower() == "p" else 0)
            hint = f'write "{hour:02d}:{loose.group(2) or "00"}"'
        raise Invalid(f"'{value if text is None else text}' is not a time", hint)


class Duration(Field):
    """A point in a recording, written H:MM:SS or MM:SS; cleaned to seconds."""

    def clean(self, value: Any) -> int:
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        match = re.fullmatch(r"(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)", text)
        if not match:
            raise Invalid(f"'{value}' is not a time in the recording", 'write hours, minutes and seconds in quotes, such as "00:42:10"')
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds


class Email(Text):
    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
            raise Invalid(f"'{text}' is not an email address", "write an address such as democratic.services@example.gov.uk")
        return text


class SitePath(Field):
    """An address on the site, written from its root (`/boards/cabinet/2020-01-15/`): one that ends
    neither in / nor in .html is a folder, as Hugo reads its aliases."""

    _PATH = re.compile(r"^/(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*/)*(?:[A-Za-z0-9_~%-][A-Za-z0-9._~%-]*)?$")

    def __init__(self, example: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.example = example

    def clean(self, value: Any) -> str:
        text = Text().clean(value)
        if not self._PATH.match(text) or text == "/":
            hint = f"write the old address from the site's root, starting with /, such as {self.example}"
            if re.match(r"^https?://", text):
                hint = f"write only the part after the site's own address, such as {self.example}"
            raise Invalid(f"'{text}' is not an address on this site", hint)
        return text if text.endswith(("/", ".html")) else text + "/"


class ListOf(Field):
    """A list; a single value is taken as a list of one, which is what clerks mean."""

    def __init__(self, item: Field, **kwargs: Any) -> None:
        super().__init__(default=(), **kwargs)
        self.item = item

    def clean(self, value: Any) -> tuple[Any, ...]:
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        cleaned, problems = [], []
        for index, entry in enumerate(values):
            try:
                cleaned.append(self.item.clean(entry))
            except Invalid as err:
                problems.append(Invalid(err.message, err.hint, ((index,) if isinstance(value, list) else ()) + err.path,
                                        err.at_key))
            except _Several as several:
                problems.extend(Invalid(e.message, e.hint, ((index,) if isinstance(value, list) else ()) + e.path,
                                        e.at_key) for e in several.problems)
        if problems:
            raise _Several(problems)
        return tuple(cleaned)


class MapOf(Field):
    def __init__(self, key: Field, value: Field, **kwargs: Any) -> None:
        super().__init__(default={}, **kwargs)
        self.key = key
        self.value = value

    def clean(self, value: Any) -> dict[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise Invalid(f"expected {self.shape or _NAME_VALUE_LINES}, found {_kind(value)}")
        cleaned, problems = {}, []
        for key, entry in value.items():
            try:
                clean_key = self.key.clean(key)
                cleaned[clean_key] = self.value.clean(entry)
            except Invalid as err:
                problems.append(Invalid(err.message, err.hint, (key,) + err.path, err.at_key))
            except _Several as several:
                problems.extend(Invalid(e.message, e.hint, (key,) + e.path, e.at_key) for e in several.problems)
        if problems:
            raise _Several(problems)
        return cleaned


class Record(Field):
    """A mapping with declared fields, cleaned into a dict (or built by `make`)."""

    def __init__(self, fields: Mapping[str, Field], make: Callable[..., Any] | None = None,
                 shorthand: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields = fields
        self.make = make
        self.shorthand = shorthand

    def clean(self, value: Any) -> Any:
        if self.shorthand and isinstance(value, (str, int)) and not isinstance(value, bool):
            value = {self.shorthand: value}
        if not isinstance(value, dict):
            raise Invalid(f"expected {self.shape or self._shape()}, found {_kind(value)}")
        cleaned, problems = check_fields(value, self.fields)
        if problems:
            raise _Several(problems)
        return self.make(**cleaned) if self.make else cleaned

    def _shape(self) -> str:
        names = list(self.fields)
        shape = "{" + ", ".join(f"{name}: ..." for name in names[:4]) + (", ..." if len(names) > 4 else "") + "}"
        return f"a {self.shorthand}, or {shape}" if self.shorthand else shape


class _Several(Exception):
    def __init__(self, problems: list[Invalid]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def check_fields(data: Mapping[Any, Any], fields: Mapping[str, Field]) -> tuple[dict[str, Any], list[Invalid]]:
    cleaned: dict[str, Any] = {}
    problems: list[Invalid] = []
    for key in data:
        if key not in fields:
            problems.append(Invalid(f"unknown field '{key}'", did_you_mean(str(key), fields), (key,), at_key=True))
    for name, spec in fields.items():
        value = data.get(name, MISSING)
        if value is MISSING or (value is None and not isinstance(spec, (ListOf, MapOf))):
            if spec.required:
                problems.append(Invalid(f"the field '{name}' is required", "", ()))
            cleaned[name] = spec.default
            continue
        try:
            cleaned[name] = spec.clean(value)
        except Invalid as err:
            problems.append(Invalid(err.message, err.hint, (name,) + err.path, err.at_key))
            cleaned[name] = spec.default
        except _Several as several:
            problems.extend(Invalid(e.message, e.hint, (name,) + e.path, e.at_key) for e in several.problems)
            cleaned[name] = spec.default
    return cleaned, problems


@dataclass(frozen=True)
class Schema:
    fields: Mapping[str, Field]

    def check(self, doc: Document, diagnostics: Diagnostics) -> dict[str, Any]:
        """Clean a document's front matter, reporting every problem.

        A field with a problem gets its default (None for a required one), so
        that checks of the other fields can go on and be reported in the same run.
        """
        cleaned, problems = check_fields(doc.data, self.fields)
        for problem in problems:
            where = doc.key_at(problem.path) if problem.at_key else doc.at(problem.path)
            diagnostics.error(doc.rel, where, problem.message, problem.hint)
        return cleaned


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{'true' if value else 'false'}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return f"'{getattr(value, 'written', value)}'"

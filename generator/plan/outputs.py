"""What a plan lists: outputs made by a kind (a page from a template, a generated file), and
files copied as they are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, Mapping

from generator.model.link import LinkedSite
from generator.model.markup import Converter


@dataclass(frozen=True)
class Dataset:
    """What a file of open data holds, for the page that lists them (/data/)."""

    title: str
    holds: str
    schema: str | None = None  # the URL of its JSON Schema
    columns: tuple[str, ...] = ()  # a CSV file's columns
    board: str | None = None  # the board whose records it holds; None for the whole site's
    year: int | None = None  # the year of the meetings or decisions it holds; None for all


@dataclass(frozen=True)
class Output:
    """A page or generated file: its address, its kind (which says how it is made and from
    what) and what it is of (`subject`, which the kind reads: a meeting's key, a year).

    Links are written relative to a page, so the site works under any sub-path; a page
    served at addresses other than its own (the 404 page) has them "rooted" at the site's path.
    """

    url: str
    kind: str
    subject: tuple[Any, ...] = ()
    source: str = ""  # the content file it is made from, for messages ("" when generated)
    links: Literal["relative", "rooted"] = "relative"
    about: Dataset | None = None  # for a file of open data, what it holds


Inputs = Mapping[str, Any]


@dataclass(frozen=True)
class PageKind:
    """Pages made from one template. `inputs` gives everything a page's template reads: it is
    given those values and nothing else, and the page is rendered again only when they change."""

    name: str
    template: str
    outputs: Callable[[LinkedSite], Iterable[Output]]
    inputs: Callable[[Output, LinkedSite], Inputs]


@dataclass(frozen=True)
class FileKind:
    """Generated files that are not pages (feeds, calendars, open data): `make` gives a file's
    bytes from its inputs alone, as `inputs` declares them (with the converter that finds a
    record's text as HTML, converted when the record was validated)."""

    name: str
    outputs: Callable[[LinkedSite], Iterable[Output]]
    inputs: Callable[[Output, LinkedSite], Inputs]
    make: Callable[[Inputs, Converter], bytes]


Kind = PageKind | FileKind


@dataclass(frozen=True)
class StaticFile:
    """A file copied as it is: a theme asset or a meeting's attachment."""

    url: str
    source: Path
    origin: str  # for messages

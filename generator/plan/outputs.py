"""What a plan lists: pages rendered from templates, generated files, and files copied as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Mapping


@dataclass(frozen=True)
class Page:
    """A page to render: `template` filled with `context` (model values) at `url`.

    Links are written relative to the page, so the site works under any sub-path; a page
    served at addresses other than its own (the 404 page) has them "rooted" at the site's path.
    """

    url: str
    template: str
    source: str  # the content file it comes from, for messages ("" when generated)
    context: Mapping[str, Any] = field(default_factory=dict, hash=False)
    links: Literal["relative", "rooted"] = "relative"


@dataclass(frozen=True)
class Dataset:
    """What a file of open data holds, for the page that lists them (/data/)."""

    title: str
    holds: str
    schema: str | None = None  # the URL of its JSON Schema
    columns: tuple[str, ...] = ()  # a CSV file's columns
    board: str | None = None  # the board whose records it holds; None for the whole site's


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page (a feed, a calendar, open data): `make(linked, *args)`
    gives its bytes. `make` is a module-level function so that plans can cross process boundaries.
    A file of open data says what it holds (`about`), and is listed on the data page."""

    url: str
    make: Callable[..., bytes]
    args: tuple[Any, ...] = ()
    about: Dataset | None = None


@dataclass(frozen=True)
class Listed:
    """A file of open data as the data page lists it; `size` in bytes, once it has been written."""

    url: str
    about: Dataset
    size: int | None = None


@dataclass(frozen=True)
class StaticFile:
    """A file copied as it is: a theme asset or a meeting's attachment."""

    url: str
    source: Path
    origin: str  # for messages

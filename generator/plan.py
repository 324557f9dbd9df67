"""The plan stage: every output file, with its URL and what it is made from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from generator import urls
from generator.diagnostics import Diagnostics, Position
from generator.link import LinkedSite


@dataclass(frozen=True)
class Page:
    """A page to render: `template` filled with `context` (model values) at `url`."""

    url: str
    template: str
    source: str  # the content file it comes from, for messages ("" when generated)
    context: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class DataFile:
    """A generated file that is not a page (a feed, a calendar, open data): `make(linked, *args)`
    gives its bytes. `make` is a module-level function so that plans can cross process boundaries."""

    url: str
    make: Callable[..., bytes]
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class StaticFile:
    """A file copied as it is: a theme asset or a meeting's attachment."""

    url: str
    source: Path
    origin: str  # for messages


@dataclass(frozen=True)
class Plan:
    pages: tuple[Page, ...]
    data: tuple[DataFile, ...]
    files: tuple[StaticFile, ...]


# Modules that add generated files (feeds, calendars, open data) each contribute a planner here.
DATA_PLANNERS: list[Callable[[LinkedSite], list[DataFile]]] = []


def plan_site(linked: LinkedSite, site_root: Path, layout_dirs: list[Path], diagnostics: Diagnostics) -> Plan | None:
    """List the pages and files of the site; two that would share a URL are an error."""
    site = linked.site
    pages = [
        Page(urls.home(), "home.html", ""),
        Page(urls.boards(), "boards.html", ""),
        Page(urls.decisions(), "decisions.html", ""),
        Page(urls.people(), "people.html", ""),
        Page(urls.search(), "search.html", ""),
    ]
    pages += [Page(urls.board(b.slug), "board.html", b.path, {"board": b}) for b in site.boards.values()]
    pages += [Page(urls.person(p.slug), "person.html", p.path, {"person": p}) for p in site.people.values()]
    files: list[StaticFile] = []
    for meeting in site.meetings:
        pages.append(Page(urls.meeting(meeting.board, meeting.slug), "meeting.html", meeting.path, {"meeting": meeting}))
        pages += [Page(urls.decision(meeting.board, meeting.slug, item.id), "decision.html", meeting.path,
                       {"meeting": meeting, "item": item}) for item in meeting.items if item.is_decision]
        for document in meeting.documents:
            if document.file and not document.report and meeting.folder:
                files.append(StaticFile(urls.attachment(meeting.board, meeting.slug, document.file),
                                        site_root / meeting.folder / document.file, meeting.path))
    meetings = {m.key: m for m in site.meetings}
    pages += [Page(urls.report(r.board, r.meeting, r.slug), "report.html", r.path,
                   {"report": r, "meeting": meetings[r.meeting_key]}) for r in site.reports]
    files += _theme_assets(layout_dirs)
    data: list[DataFile] = []
    for planner in DATA_PLANNERS:
        data += planner(linked)
    _check_unique([(p.url, p.source) for p in pages] + [(d.url, "") for d in data] + [(f.url, f.origin) for f in files],
                  diagnostics)
    if diagnostics.has_errors:
        return None
    return Plan(tuple(sorted(pages, key=lambda p: p.url)), tuple(sorted(data, key=lambda d: d.url)),
                tuple(sorted(set(files), key=lambda f: f.url)))


def _theme_assets(layout_dirs: list[Path]) -> list[StaticFile]:
    """Files under static/ of each layouts folder; the site's own override the default theme's."""
    chosen: dict[str, StaticFile] = {}
    for directory in reversed(layout_dirs):
        static = directory / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    url = urls.static(path.relative_to(static).as_posix())
                    chosen[url] = StaticFile(url, path, "layouts")
    return list(chosen.values())


def _check_unique(entries: list[tuple[str, str]], diagnostics: Diagnostics) -> None:
    """Two outputs at one URL, or at URLs differing only by case (which collide on
    case-insensitive file systems), would overwrite each other."""
    seen: dict[str, tuple[str, str]] = {}
    for url, source in entries:
        key = url.lower()
        if key in seen:
            other_url, other_source = seen[key]
            diagnostics.error(source or other_source or "content", Position(1, 1),
                              f"two pages would be written to the same address {url}"
                              + (f" (also made from {other_source})" if other_source and other_source != source else ""),
                              "give one of them a different name or id")
        else:
            seen[key] = (url, source)


# Generated data files: each of these modules appends its planner to DATA_PLANNERS when it is
# imported, so they are imported here, where plan_site is defined, to make the registration
# certain. The import comes last because those modules import DataFile and DATA_PLANNERS from
# this one.
from generator import calendars, feeds  # noqa: E402,F401  registers plan_calendars and plan_feeds

"""The plan stage: every output of the site, with its URL, its kind and what it is made from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from generator.diagnostics import Diagnostics, Position
from generator.model.link import LinkedSite
from generator.outputs.calendars import CALENDARS
from generator.outputs.feeds import FEEDS
from generator.incremental.cache import OutputState
from generator.outputs.opendata import DATA_INDEX, DATA_PAGE, OPEN_DATA, listed_files
from generator.outputs.sitemap import ROBOTS, SITEMAP, sitemap_entries
from generator.plan import urls
from generator.plan.outputs import Inputs, Kind, Output, PageKind, StaticFile
from generator.plan.pages import KINDS
from generator.publish.linkcheck import check_content_links

ALL_KINDS: dict[str, Kind] = {kind.name: kind for kind in (*KINDS, *FEEDS, *CALENDARS, *OPEN_DATA, DATA_INDEX, ROBOTS)}
# Made last, from what the others came to: the sitemap lists every page, and the data page
# gives every data file's size.
LAST_KINDS: dict[str, Kind] = {kind.name: kind for kind in (SITEMAP, DATA_PAGE)}


@dataclass(frozen=True)
class Plan:
    outputs: tuple[Output, ...]  # made by ALL_KINDS, by URL
    last: tuple[Output, ...]  # made by LAST_KINDS, once the others are made
    files: tuple[StaticFile, ...]  # copied as they are

    def urls(self) -> set[str]:
        return {o.url for o in self.outputs + self.last} | self.file_urls()

    def file_urls(self) -> set[str]:
        return {f.url for f in self.files}


def plan_site(linked: LinkedSite, site_root: Path, layout_dirs: list[Path], diagnostics: Diagnostics) -> Plan | None:
    """List the outputs and files of the site; two that would share a URL are an error, and so is
    a link a clerk wrote to a path of the site that no output has."""
    outputs = [output for kind in ALL_KINDS.values() for output in kind.outputs(linked)]
    last = [output for kind in LAST_KINDS.values() for output in kind.outputs(linked)]
    files = _attachments(linked, site_root) + _theme_assets(layout_dirs)
    aliases = [o for o in outputs if o.kind == "alias"]
    taken = {o.url.lower() for o in outputs + last if o.kind != "alias"} | {f.url.lower() for f in files}
    for output in aliases:
        if output.url.lower() in taken:
            _, _, line, column = output.subject
            diagnostics.error(output.source, Position(line, column), f"the alias {output.url} is the address of a page of this site",
                              "an alias is an old address that no longer has a page of its own: remove it")
    outputs = [o for o in outputs if o.kind != "alias" or o.url.lower() not in taken]
    _check_unique([(o.url, o.source) for o in outputs + last] + [(f.url, f.origin) for f in files],
                  {f.url for f in files}, diagnostics)
    known = {o.url for o in outputs + last} | {f.url for f in files}
    check_content_links((link for unit in linked.site.units.values() for link in unit.site_links), known, diagnostics)
    if diagnostics.has_errors:
        return None
    return Plan(tuple(sorted(outputs, key=lambda o: o.url)), tuple(sorted(last, key=lambda o: o.url)),
                tuple(sorted(set(files), key=lambda f: f.url)))


def kind_of(output: Output) -> Kind:
    return ALL_KINDS.get(output.kind) or LAST_KINDS[output.kind]


def finishing_inputs(linked: LinkedSite, plan: Plan, states: Mapping[str, OutputState]) -> Callable[[Output], Inputs]:
    """The inputs the last outputs have from the others: the sitemap lists every page, and the
    data page every file of open data with its size as it was just written."""
    pages = [o for o in plan.outputs + plan.last if isinstance(kind_of(o), PageKind)]
    entries = sitemap_entries(linked, pages)
    files = listed_files(plan.outputs, {url: state.size for url, state in states.items()})

    def inputs(output: Output) -> Inputs:
        return {"entries": entries} if output.kind == "sitemap" else {"files": files}
    return inputs


def _attachments(linked: LinkedSite, site_root: Path) -> list[StaticFile]:
    """Each meeting's attached documents, copied once however many items list them."""
    files = []
    for meeting in linked.site.meetings:
        if meeting.folder:
            for name in meeting.attachments:
                files.append(StaticFile(urls.attachment(meeting.board, meeting.slug, name),
                                        site_root / meeting.folder / name, meeting.path))
    return files


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


def _check_unique(entries: list[tuple[str, str]], file_urls: set[str], diagnostics: Diagnostics) -> None:
    """Two outputs at one URL, or at URLs differing only by case (which collide on
    case-insensitive file systems), would overwrite each other."""
    seen: dict[str, tuple[str, str]] = {}
    for url, source in entries:
        key = url.lower()
        if key in seen:
            other_url, other_source = seen[key]
            if url != other_url and {url, other_url} <= file_urls:
                names = sorted({other_url.rsplit("/", 1)[-1], url.rsplit("/", 1)[-1]})
                first, second = names if len(names) == 2 else sorted((other_url, url))
                diagnostics.error(source or other_source or "content", Position(1, 1),
                                  "two files would be published at addresses that differ only in capital letters: "
                                  f"{first} and {second}", "rename one of them")
                continue
            diagnostics.error(source or other_source or "content", Position(1, 1),
                              f"two pages would be written to the same address {url}"
                              + (f" (also made from {other_source})" if other_source and other_source != source else ""),
                              "give one of them a different name or id")
        else:
            seen[key] = (url, source)


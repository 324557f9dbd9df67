"""The plan stage: every output file, with its URL and what it is made from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.plan import urls
from generator.outputs.calendars import plan_calendars
from generator.diagnostics import Diagnostics, Position
from generator.outputs.feeds import plan_feeds
from generator.model.link import LinkedSite, item_url
from generator.model.records import Alias
from generator.outputs.opendata import plan_open_data
from generator.plan.outputs import DataFile, Listed, Page, StaticFile
from generator.outputs.sitemap import plan_sitemap


@dataclass(frozen=True)
class Plan:
    pages: tuple[Page, ...]
    data: tuple[DataFile, ...]
    files: tuple[StaticFile, ...]
    # The page listing the open data with each file's size, so it is rendered after them.
    data_page: Page


def plan_site(linked: LinkedSite, site_root: Path, layout_dirs: list[Path], diagnostics: Diagnostics) -> Plan | None:
    """List the pages and files of the site; two that would share a URL are an error."""
    site = linked.site
    pages = [
        Page(urls.home(), "home.html", ""),
        Page(urls.not_found(), "404.html", "", links="rooted"),  # served by static hosts for any missing address
        Page(urls.boards(), "boards.html", ""),
        Page(urls.decisions(), "decisions.html", "", {"key_only": False, "year": None}),
        Page(urls.people(), "people.html", ""),
        Page(urls.search(), "search.html", ""),
        Page(urls.key_decisions(), "decisions.html", "", {"key_only": True, "year": None}),
        Page(urls.calendar(), "calendar.html", ""),
        Page(urls.forward_plan(), "forward_plan.html", ""),
        Page(urls.matters(), "matters.html", ""),
        Page(urls.accessibility(), "accessibility.html", ""),
    ]
    years = sorted({m.date.year for m in site.meetings})
    pages += [Page(urls.decisions_in(y), "decisions.html", "", {"key_only": False, "year": y})
              for y in sorted({m.date.year for m, _ in linked.decisions})]
    pages += [Page(urls.calendar_year(y), "calendar_year.html", "", {"year": y}) for y in years]
    pages += [Page(urls.matter(slug), "matter.html", "", {"matter": slug, "items": items})
              for slug, items in linked.matters.items()]
    files: list[StaticFile] = []
    data = plan_feeds(linked) + plan_calendars(linked) + plan_open_data(linked)
    listed = tuple(Listed(d.url, d.about) for d in sorted(data, key=lambda d: d.url) if d.about)
    data_page = Page(urls.open_data(), "data.html", "", {"files": listed})
    boards_with_data = {entry.about.board for entry in listed}
    pages += [Page(urls.board(b.slug), "board.html", b.path,
                   {"board": b, "open_data": urls.open_data(b.slug if b.slug in boards_with_data else None)})
              for b in site.boards.values()]
    pages += [Page(urls.person(p.slug), "person.html", p.path, {"person": p}) for p in site.people.values()]
    for meeting in site.meetings:
        pages.append(Page(urls.meeting(meeting.board, meeting.slug), "meeting.html", meeting.path, {"meeting": meeting}))
        pages += [Page(urls.decision(meeting.board, meeting.slug, item.id), "decision.html", meeting.path,
                       {"meeting": meeting, "item": item}) for item in meeting.items if item.is_decision]
        attached = dict.fromkeys(d.file for d in meeting.documents if d.file and not d.report)
        for name in attached if meeting.folder else ():  # copied once, however many items list it
            files.append(StaticFile(urls.attachment(meeting.board, meeting.slug, name),
                                    site_root / meeting.folder / name, meeting.path))
    meetings = {m.key: m for m in site.meetings}
    pages += [Page(urls.report(r.board, r.meeting, r.slug), "report.html", r.path,
                   {"report": r, "meeting": meetings[r.meeting_key]}) for r in site.reports]
    files += _theme_assets(layout_dirs)
    pages += _alias_pages(linked, {url.lower() for url in [p.url for p in pages] + [data_page.url]
                                   + [d.url for d in data] + [f.url for f in files]}, diagnostics)
    data += plan_sitemap(linked, pages + [data_page])
    _check_unique([(p.url, p.source) for p in pages + [data_page]] + [(d.url, "") for d in data]
                  + [(f.url, f.origin) for f in files], {f.url for f in files}, diagnostics)
    if diagnostics.has_errors:
        return None
    return Plan(tuple(sorted(pages, key=lambda p: p.url)), tuple(sorted(data, key=lambda d: d.url)),
                tuple(sorted(set(files), key=lambda f: f.url)), data_page)


def _alias_pages(linked: LinkedSite, taken: set[str], diagnostics: Diagnostics) -> list[Page]:
    """A page at each old address in `aliases:`, sending readers and search engines to the record's
    page; an alias that is the address of something else on the site is an error."""
    site = linked.site
    records: list[tuple[str, str, str, tuple[Alias, ...]]] = []  # (source, url, title, aliases)
    records += [(p.path, urls.person(p.slug), p.display_name, p.aliases) for p in site.people.values()]
    records += [(b.path, urls.board(b.slug), b.name, b.aliases) for b in site.boards.values()]
    for meeting in site.meetings:
        records.append((meeting.path, urls.meeting(meeting.board, meeting.slug), linked.meeting_title(meeting),
                        meeting.aliases))
        records += [(meeting.path, item_url(meeting, item), item.label, item.aliases) for item in meeting.items]
    records += [(r.path, urls.report(r.board, r.meeting, r.slug), r.title, r.aliases) for r in site.reports]
    pages = []
    for source, url, title, aliases in records:
        for alias in aliases:
            if alias.path.lower() in taken:
                diagnostics.error(source, Position(alias.line, alias.column), f"the alias {alias.path} is the address of a page of this site",
                                  "an alias is an old address that no longer has a page of its own: remove it")
            else:
                pages.append(Page(alias.path, "alias.html", source, {"target": url, "title": title}))
    return pages


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


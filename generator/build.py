"""The whole pipeline as named, timed steps: load, validate, link (the check), then
plan, render, check links and write (the build)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from generator import urls
from generator.clock import today
from generator.diagnostics import Diagnostics, Position
from generator.link import LinkedSite, link_site
from generator.linkcheck import check_links
from generator.load import load_site
from generator.plan import plan_site
from generator.render import make_environment, render_page
from generator.search import UI_FILES, index_search
from generator.theme import layout_dirs
from generator.validate import validate_site
from generator.write import discard, publish, stage_site


@dataclass
class Timings:
    steps: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps.append((name, time.perf_counter() - started))

    def summary(self) -> str:
        total = sum(seconds for _, seconds in self.steps)
        parts = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in self.steps)
        return f"{total:.2f} s ({parts})"


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    timings: Timings
    pages: int = 0
    written: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors


def check_site(site_root: Path, timings: Timings | None = None) -> tuple[LinkedSite | None, Diagnostics]:
    """Load, validate and link the site: everything a clerk's mistake can break."""
    timings = timings or Timings()
    diagnostics = Diagnostics()
    with timings.step("load"):
        raw = load_site(site_root, diagnostics)
    with timings.step("validate"):
        site = validate_site(raw, diagnostics)
    if site is None:
        return None, diagnostics
    with timings.step("link"):
        linked = link_site(site, today(site.config.timezone), diagnostics)
    return linked, diagnostics


def build_site(site_root: Path, output: Path, search: bool = True) -> BuildResult:
    """Build the site into `output`, which is replaced only when everything succeeded.

    `search=False` leaves out the search index, for quicker previews.
    """
    timings = Timings()
    linked, diagnostics = check_site(site_root, timings)
    result = BuildResult(diagnostics, timings)
    if linked is None:
        return result
    layouts = layout_dirs(site_root)
    with timings.step("plan"):
        plan = plan_site(linked, site_root, layouts, diagnostics)
    if plan is None:
        return result
    with timings.step("render"):
        env = make_environment(layouts)
        pages = {page.url: render_page(page, linked, env) for page in plan.pages}
        data = {item.url: item.make(linked, *item.args) for item in plan.data}
    with timings.step("check links"):
        broken = check_links(pages, {f.url for f in plan.files} | set(data) | set(UI_FILES),
                             urlsplit(linked.site.config.base_url).path or "/")
    for problem in broken:
        diagnostics.error("layouts", Position(1, 1), f"a page links to something that does not exist: {problem}",
                          "this is a fault in the templates or in Minutes itself, not in the content")
    if broken:
        return result
    with timings.step("write"):
        staged = stage_site(
            output,
            {urls.output_path(url): body for url, body in (pages | data).items()},
            {urls.output_path(f.url): f.source for f in plan.files},
        )
    try:
        if search:
            with timings.step("search index"):
                failure = index_search(staged.path)
            if failure:
                diagnostics.error("output", Position(1, 1), f"the search index could not be built: {failure}")
                return result
        publish(staged)
    finally:
        discard(staged.path)
    result.pages = len(pages) + len(data)
    result.written = staged.written
    result.unchanged = staged.unchanged
    return result

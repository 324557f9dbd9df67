"""The whole pipeline as named, timed steps: load, validate, link (the check), then
plan, render, check links and write (the build)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from generator.model import markup

from generator.plan import urls
from generator.incremental.cache import BuildCache, Recipe, cache_path, compiled_templates_dir, linked_cache_path
from generator.clock import today
from generator.diagnostics import Diagnostics, Position
from generator.incremental.freshness import (
    default_cache_dir,
    input_signature,
    output_signature,
    previous_result,
)
from generator.incremental.render import Rendered, render_outputs
from generator.model.link import LinkedSite, link_site, markdown_sources
from generator.publish.linkcheck import check_content_links, check_links
from generator.source.load import RawSite, load_site, source_digests
from generator.model.markup import fragment_digest
from generator.plan.outputs import Page
from generator.plan.plan import Plan, plan_site
from generator.incremental.recording import Fingerprint
from generator.render.templates import make_environment
from generator.result import BuildResult, Timings
from generator.outputs.search import UI_FILES, index_search
from generator.render.theme import layout_dirs
from generator.model.validate import validate_site
from generator.publish.write import Staging


def check_site(site_root: Path, timings: Timings | None = None) -> tuple[LinkedSite | None, Diagnostics]:
    """Load, validate, link and plan the site: everything a clerk's mistake can break."""
    _, linked, _, diagnostics = _load(site_root, timings or Timings())
    return linked, diagnostics


def _load(site_root: Path, timings: Timings) -> tuple[RawSite, LinkedSite | None, Plan | None, Diagnostics]:
    diagnostics = Diagnostics()
    with timings.step("load"):
        raw = load_site(site_root, diagnostics)
    with timings.step("validate"):
        site = validate_site(raw, diagnostics)
    if site is None:
        return raw, None, None, diagnostics
    with timings.step("link"):
        linked = link_site(site, today(site.config.timezone), diagnostics)
    if linked is None:
        return raw, None, None, diagnostics
    with timings.step("plan"):
        plan = plan_site(linked, site_root, layout_dirs(site_root), diagnostics)
        if plan is not None:
            known = ({p.url for p in plan.pages} | {plan.data_page.url} | {d.url for d in plan.data}
                     | {f.url for f in plan.files})
            check_content_links((piece for piece, *_ in markdown_sources(site)), known, diagnostics)
    if diagnostics.has_errors:
        return raw, None, None, diagnostics
    return raw, linked, plan, diagnostics


def build_site(site_root: Path, output: Path, search: bool = True, jobs: int = 1, cache_dir: Path | None = None,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildResult:
    """Build the site into `output`, which is replaced only when everything succeeded.

    Only outputs whose inputs changed are rendered again, on `jobs` processes; the cache of
    what each output read lives in `cache_dir` (the site's .cache/minutes/ by default).
    `search=False` leaves out the search index, for quicker previews.
    """
    timings = Timings()
    layouts = layout_dirs(site_root)
    cache_dir = Path(os.path.abspath(cache_dir or default_cache_dir(site_root)))
    link_in_cache = linked_cache_path(site_root, cache_dir, output)
    if link_in_cache is not None:
        diagnostics = Diagnostics()
        diagnostics.error(link_in_cache.relative_to(site_root).as_posix(), Position(1, 1),
                          "this is a symbolic link, and Minutes will not write its build cache through it",
                          "delete it (the build cache is made again by the next build), and keep .cache/ out of "
                          "the repository")
        return BuildResult(diagnostics, timings)
    cache = BuildCache(cache_path(cache_dir, output), site_root)
    with timings.step("look for changes"):
        inputs = input_signature(site_root, layouts, search)
        unchanged = previous_result(cache, inputs, output, timings)
    if unchanged is not None:
        cache.close()
        return unchanged
    previous = cache.recipes()  # read first: a cache found not to be this machine's is noted
    markup.use_store(cache)  # validation converts the meetings' text, to check it as it will be published
    raw, linked, plan, diagnostics = _load(site_root, timings)
    result = BuildResult(diagnostics, timings)
    if cache.note:
        result.notes.append(cache.note)
    if linked is None or plan is None:
        markup.use_store(None)
        cache.close()
        return result
    converted = markup.take_new_fragments()
    staging = Staging(output)
    try:
        with timings.step("render"):
            environment = make_environment(layouts, (compiled_templates_dir(cache_dir), cache.sealer))
            fingerprint = Fingerprint(source_digests(raw))
            rendered = render_outputs([*plan.pages, *plan.data], linked, environment, fingerprint, previous, staging,
                                      jobs, progress)
            _add(rendered, render_outputs([_with_sizes(plan.data_page, rendered.recipes)], linked, environment,
                                          fingerprint, previous, staging, 1, lambda done, total: None))
        with timings.step("check links"):
            broken = check_links(rendered.links, {f.url for f in plan.files} | {d.url for d in plan.data} | set(UI_FILES),
                                 urlsplit(linked.site.config.base_url).path or "/")
        for problem in broken:
            diagnostics.error("layouts", Position(1, 1), f"a page links to something that does not exist: {problem}",
                              "this is a fault in the templates or in Minutes itself, not in the content")
        if broken:
            return result
        with timings.step("copy files"):
            copied = [staging.copy(urls.output_path(f.url), f.source) for f in plan.files]
        if search:
            with timings.step("search index"):
                failure = index_search(staging.path)
            if failure:
                diagnostics.error("output", Position(1, 1), f"the search index could not be built: {failure}")
                return result
        staging.publish()
        with timings.step("save cache"):
            cache.save_recipes(*_published(rendered.recipes, output))
            cache.save_fragments(converted | rendered.fragments)
            cache.keep_fragments({fragment_digest(md.text) for md, *_ in markdown_sources(linked.site)})
            cache.remember_value("warnings", json.dumps([dataclasses.asdict(d) for d in diagnostics.sorted()]))
            cache.remember_value("pages", str(_outputs(plan)))
            cache.remember_value("inputs", inputs)
            cache.remember_value("outputs", output_signature(output))
    finally:
        staging.discard()
        markup.use_store(None)
        cache.close()
    result.pages = _outputs(plan)
    result.rendered = rendered.rendered
    result.written = rendered.written + sum(copied)
    result.unchanged = result.pages + len(copied) - result.written
    return result


def _outputs(plan: Plan) -> int:
    return len(plan.pages) + 1 + len(plan.data)


def _with_sizes(data_page: Page, recipes: dict[str, Recipe]) -> Page:
    """The data page with the size of each file it lists, as it has just been written."""
    listed = tuple(dataclasses.replace(entry, size=recipes[entry.url].size) for entry in data_page.context["files"])
    return dataclasses.replace(data_page, context={**data_page.context, "files": listed})


def _add(rendered: Rendered, more: Rendered) -> None:
    rendered.rendered += more.rendered
    rendered.written += more.written
    rendered.recipes.update(more.recipes)
    rendered.links.update(more.links)
    rendered.fragments.update(more.fragments)


def _published(recipes: dict[str, Recipe], output: Path) -> tuple[dict[str, Recipe], set[str]]:
    """Recipes of the outputs just rendered (their time not yet known) learn their published
    file's size and time; returned with the URLs of those outputs."""
    done, rendered = {}, set()
    for url, recipe in recipes.items():
        if recipe.mtime == 0:
            stat = (output / urls.output_path(url)).stat()
            recipe = dataclasses.replace(recipe, size=stat.st_size, mtime=stat.st_mtime_ns)
            rendered.add(url)
        done[url] = recipe
    return done, rendered

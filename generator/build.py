"""The whole pipeline as named, timed steps: load, validate, link and plan (the check), then
render, check links, copy files, index for search and publish (the build).

Each step does only what the change since the last build calls for: records whose files are
unchanged are not validated again (model/validate/units.py), and outputs whose inputs are
unchanged are not made again (incremental/render.py).
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from generator.clock import today
from generator.diagnostics import Diagnostics, Position
from generator.incremental.cache import BuildCache, cache_path, code_version, compiled_templates_dir, linked_cache_path
from generator.incremental.freshness import default_cache_dir, input_signature, output_signature, previous_result
from generator.incremental.records import RecordStore, keep_units, known_units
from generator.incremental.render import Rendered, render_outputs
from generator.model.link import LinkedSite, link_site
from generator.model.markup import Converter
from generator.model.validate import Site, validate_site
from generator.model.validate.units import Validated
from generator.outputs.search import UI_FILES, index_search
from generator.plan import urls
from generator.plan.plan import Plan, finishing_inputs, kind_of, plan_site
from generator.publish.linkcheck import check_links
from generator.publish.write import Staging
from generator.render.templates import make_environment
from generator.render.theme import layout_dirs
from generator.result import BuildResult, Timings
from generator.source.files import file_digests
from generator.source.load import find_files


@dataclass
class Model:
    """What the check finds: the linked model and the plan, or the problems that stop them."""

    diagnostics: Diagnostics
    linked: LinkedSite | None
    plan: Plan | None
    fresh: dict[str, Validated]  # the units validated now; the rest are the cache's
    files: dict[str, tuple[tuple[int, ...], str]]  # each file's digest, with the stat it was taken at


def load_model(site_root: Path, cache: BuildCache | None, converter: Converter, timings: Timings) -> Model:
    """Load, validate, link and plan the site: everything a clerk's mistake can break."""
    diagnostics = Diagnostics()
    with timings.step("load"):
        found = find_files(site_root, diagnostics)
        files = file_digests(site_root, found.texts() + found.attachments(), cache.files() if cache else {})
    with timings.step("validate"):
        known = known_units(cache) if cache else {}
        site, fresh = validate_site(site_root, found, {rel: digest for rel, (_, digest) in files.items()},
                                    code_version(), lambda key, digest: _known(known, key, digest), converter,
                                    diagnostics)
    if site is None:
        return Model(diagnostics, None, None, fresh, files)
    with timings.step("link"):
        linked = link_site(site, today(site.config.timezone), diagnostics)
    if linked is None:
        return Model(diagnostics, None, None, fresh, files)
    with timings.step("plan"):
        plan = plan_site(linked, site_root, layout_dirs(site_root), diagnostics)
    if plan is None or diagnostics.has_errors:
        return Model(diagnostics, None, None, fresh, files)
    return Model(diagnostics, linked, plan, fresh, files)


def _known(units: dict[str, object], key: str, digest: str):  # type: ignore[no-untyped-def]
    unit = units.get(key)
    return unit if unit is not None and unit.digest == digest else None  # type: ignore[attr-defined]


def check_site(site_root: Path, timings: Timings | None = None) -> tuple[LinkedSite | None, Diagnostics]:
    """Every problem in the site's content, and its linked model when there are none."""
    model = load_model(site_root, None, Converter(), timings or Timings())
    return model.linked, model.diagnostics


def build_site(site_root: Path, output: Path, search: bool = True, jobs: int = 1, cache_dir: Path | None = None,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildResult:
    """Build the site into `output`, which is replaced only when everything succeeded.

    Only outputs whose inputs changed are made again, on `jobs` processes; what the last build
    made, and from what, is kept in `cache_dir` (the site's .cache/minutes/ by default).
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
    cache = BuildCache(cache_path(cache_dir, output, site_root), site_root)
    with timings.step("look for changes"):
        inputs = input_signature(site_root, layouts, search)
        unchanged = previous_result(cache, inputs, output, timings)
    if unchanged is not None:
        cache.close()
        return unchanged
    converter = Converter(cache)
    model = load_model(site_root, cache, converter, timings)
    result = BuildResult(model.diagnostics, timings)
    if cache.note:
        result.notes.append(cache.note)
    linked, plan = model.linked, model.plan
    if linked is None or plan is None:
        cache.close()
        return result
    diagnostics = model.diagnostics
    staging = Staging(output)
    try:
        with timings.step("render"):
            environment = make_environment(layouts, converter, (compiled_templates_dir(cache_dir), cache.sealer))
            store = RecordStore(model.fresh, linked.site.units, cache)
            previous = cache.outputs()
            rendered = render_outputs(list(plan.outputs), kind_of, linked, environment, store, previous, staging, jobs,
                                      progress)
            last = render_outputs(list(plan.last), kind_of, linked, environment, store, previous, staging, 1,
                                  lambda done, total: None, finishing_inputs(linked, plan, rendered.states))
            _add(rendered, last)
        with timings.step("check links"):
            broken = check_links({url: state.links for url, state in rendered.states.items() if state.links != ((), ())},
                                 {f.url for f in plan.files} | {o.url for o in plan.outputs + plan.last} | set(UI_FILES),
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
        with timings.step("publish"):
            staging.publish()
        with timings.step("save cache"):
            cache.save_files(model.files)
            keep_units(cache, model.fresh, linked.site.units)
            cache.save_fragments(converter.made, {d for unit in linked.site.units.values() for d in unit.fragments})
            cache.save_outputs(rendered.states, rendered.made)
            cache.remember_value("warnings", json.dumps([dataclasses.asdict(d) for d in diagnostics.sorted()]))
            cache.remember_value("pages", str(len(rendered.states)))
            cache.remember_value("inputs", inputs)
            cache.remember_value("outputs", output_signature(output))
    finally:
        staging.discard()
        cache.close()
    result.pages = len(rendered.states)
    result.rendered = rendered.rendered
    result.written = rendered.written + sum(copied)
    result.unchanged = result.pages + len(copied) - result.written
    return result


def _add(rendered: Rendered, more: Rendered) -> None:
    rendered.rendered += more.rendered
    rendered.written += more.written
    rendered.states.update(more.states)
    rendered.made |= more.made


__all__ = ["Model", "Site", "build_site", "check_site", "load_model"]

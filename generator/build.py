"""The whole pipeline as named, timed steps: load, validate, link and plan (the check), then
render, check links, copy files, index for search and publish (the build).

Each step does only what the change since the last build calls for: records whose files are
unchanged are not validated again (model/validate/units.py), and outputs whose inputs are
unchanged are not made again (incremental/render.py).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence
from urllib.parse import urlsplit

from generator.clock import today
from generator.diagnostics import Diagnostics, Position
from generator.incremental.cache import (
    NO_LINKS,
    BuildCache,
    OutputState,
    cache_path,
    code_version,
    compiled_templates_dir,
    linked_cache_path,
    links_of,
)
from generator.incremental.freshness import default_cache_dir, last_build, previous_result, published, snapshot, unchanged
from generator.incremental.records import RecordStore, keep_units, known_units, validate_on
from generator.incremental.render import Rendered, render_outputs
from generator.incremental.workers import fork_map
from generator.model.encoding import without_digests
from generator.model.link import LinkedSite, link_site
from generator.model.markup import Converter
from generator.model.validate import Site, record_units, validate_site
from generator.model.validate.units import Unit, Validated
from generator.outputs.search import (
    BUNDLE,
    INDEXED_KINDS,
    index_shard,
    search_shards,
    shard_digests,
    shard_pages,
    ui_files,
)
from generator.plan import urls
from generator.plan.plan import Plan, finishing_inputs, kind_of, plan_site
from generator.publish.linkcheck import check_links
from generator.source.files import file_digest as _file_digest
from generator.publish.write import Staging
from generator.render.templates import Environment, make_environment
from generator.render.theme import layout_dirs
from generator.result import BuildResult, Timings
from generator.source.files import file_digests
from generator.source.load import SiteFiles, find_files


@dataclass
class Model:
    """What the check finds: the linked model and the plan, or the problems that stop them."""

    diagnostics: Diagnostics
    linked: LinkedSite | None
    plan: Plan | None
    fresh: dict[str, Validated]  # the units validated now; the rest are the cache's
    files: dict[str, tuple[tuple[int, ...], str]]  # each file's digest, with the stat it was taken at


def load_model(site_root: Path, cache: BuildCache | None, converter: Converter, timings: Timings,
               jobs: int = 1) -> Model:
    """Load, validate, link and plan the site: everything a clerk's mistake can break."""
    diagnostics = Diagnostics()
    with timings.step("load"):
        found = find_files(site_root, diagnostics)
        files = file_digests(site_root, found.texts() + found.attachments(), cache.files() if cache else {})
    with timings.step("validate"):
        known = known_units(cache) if cache else {}
        site, fresh = validate_site(site_root, found, {rel: digest for rel, (_, digest) in files.items()},
                                    code_version(), lambda key, digest: _known(known, key, digest), converter,
                                    diagnostics, validate_on(jobs, converter))
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


def _known(units: Mapping[str, Unit], key: str, digest: str) -> Unit | None:
    unit = units.get(key)
    return unit if unit is not None and unit.digest == digest else None


def check_site(site_root: Path, timings: Timings | None = None) -> tuple[LinkedSite | None, Diagnostics]:
    """Every problem in the site's content, and its linked model when there are none."""
    model = load_model(site_root, None, Converter(), timings or Timings(), os.cpu_count() or 1)
    return model.linked, model.diagnostics


def build_site(site_root: Path, output: Path, search: bool = True, jobs: int = 1, cache_dir: Path | None = None,
               progress: Callable[[int, int], None] = lambda done, total: None) -> BuildResult:
    """Build the site into `output`, which is changed only when everything succeeded.

    Only outputs whose inputs changed are made again, on `jobs` processes; what the last build
    made, and from what, is kept in `cache_dir` (the site's .cache/minutes/ by default).
    `search=False` leaves out the search index, for quicker previews.
    """
    return Builder(site_root, output, search, jobs, cache_dir).build(progress)


@dataclass
class _Memory:
    """What a build leaves for the next one in the same process (`minutes serve`), so that it
    need not read it again from the build cache."""

    found: SiteFiles
    files: dict[str, tuple[tuple[int, ...], str]]
    units: dict[str, Unit]
    states: dict[str, OutputState]
    searched: dict[str, str]
    linked: LinkedSite
    plan: Plan
    records: dict[str, Validated]  # the units validated in this process, with their records in full
    snapshot: dict[str, list[int]]
    today: str


class Builder:
    """The builds of one site into one output, one after another. A build reads what the last one
    left in the build cache; one after another in the same process (`minutes serve`), they keep
    it in memory instead, with the templates compiled and the records read."""

    def __init__(self, site_root: Path, output: Path, search: bool = True, jobs: int = 1,
                 cache_dir: Path | None = None) -> None:
        self.site_root = site_root
        self.output = output
        self.search = search
        self.jobs = jobs
        self.cache_dir = Path(os.path.abspath(cache_dir or default_cache_dir(site_root)))
        self.layouts = layout_dirs(site_root)
        self.memory: _Memory | None = None
        self.environment: Environment | None = None
        self.layout_files: dict[str, list[int]] = {}  # as they were when the environment's templates were read

    def build(self, progress: Callable[[int, int], None] = lambda done, total: None,
              first: Callable[[set[str]], None] | None = None) -> BuildResult:
        """Build what changed. `first`, when given, is told the addresses of the pages of records
        whose files changed as soon as those are published, before the rest of the site is made."""
        timings = Timings()
        link_in_cache = linked_cache_path(self.site_root, self.cache_dir, self.output)
        if link_in_cache is not None:
            diagnostics = Diagnostics()
            diagnostics.error(link_in_cache.relative_to(self.site_root).as_posix(), Position(1, 1),
                              "this is a symbolic link, and Minutes will not write its build cache through it",
                              "delete it (the build cache is made again by the next build), and keep .cache/ out of "
                              "the repository")
            return BuildResult(diagnostics, timings)
        cache = BuildCache(cache_path(self.cache_dir, self.output, self.site_root), self.site_root)
        try:
            return self._build(cache, timings, progress, first)
        finally:
            cache.close()
            gc.unfreeze()
            timings.finish()

    def _build(self, cache: BuildCache, timings: Timings, progress: Callable[[int, int], None],
               first: Callable[[set[str]], None] | None) -> BuildResult:
        memory = self.memory if not cache.note else None
        with timings.step("look for changes"):
            inputs = snapshot(self.site_root, self.layouts)
            if memory is not None:
                nothing_to_do = (memory.snapshot == inputs and memory.today == today(memory.linked.site.config.timezone)
                                 .isoformat() and all(published(self.output, url, state)
                                                      for url, state in memory.states.items()))
            else:  # the preview's first build makes the model it keeps, even when nothing changed
                nothing_to_do = (first is None and not cache.note
                                 and unchanged(cache, self.site_root, self.output, self.search))
        if nothing_to_do:
            return previous_result(cache, timings)
        converter = Converter(cache)
        ahead = _Ahead({}, {}, {})
        if first is not None and memory is not None:
            ahead = self._publish_first(memory, _changed(memory.snapshot, inputs), inputs, cache, converter, timings,
                                        first)
        shown = ahead.shown
        diagnostics = Diagnostics()
        with timings.step("load"):
            found = find_files(self.site_root, diagnostics)
            files_before = memory.files if memory else cache.files()  # as the cache holds them
            files = file_digests(self.site_root, found.texts() + found.attachments(), {**files_before, **ahead.files},
                                 inputs)
            digests = {rel: digest for rel, (_, digest) in files.items()}
            # Read before any unit is: a table of the cache that does not verify empties it all.
            previous = memory.states if memory else cache.outputs()
        with timings.step("validate"):
            known = memory.units if memory else known_units(cache)
            ahead_units = {key: validated.unit for key, validated in ahead.validated.items()}
            site, fresh = validate_site(self.site_root, found, digests, code_version(),
                                        lambda key, digest: _known(known, key, digest) or _known(ahead_units, key, digest),
                                        converter, diagnostics, validate_on(self.jobs, converter))
            fresh.update((key, validated) for key, validated in ahead.validated.items()
                         if site is not None and site.units.get(key) == validated.unit)
        # The model is made once and kept to the end of the build: the garbage collector need
        # not look at it again (it would, over and over, and take most of the build's time).
        gc.freeze()
        result = BuildResult(diagnostics, timings)
        if cache.note:
            result.notes.append(cache.note)
        if site is None:
            return result
        with timings.step("link"):
            linked = link_site(site, today(site.config.timezone), diagnostics)
        if linked is None:
            return result
        with timings.step("plan"):
            plan = plan_site(linked, self.site_root, self.layouts, diagnostics)
        if plan is None or diagnostics.has_errors:
            return result
        gc.freeze()
        records = {**(memory.records if memory else {}), **fresh}
        records = {key: validated for key, validated in records.items() if key in site.units
                   and site.units[key].digest == validated.unit.digest}
        staging = Staging(self.output, cache.sealer)
        try:
            with timings.step("render"):
                environment = self._environment(converter, cache, inputs)
                store = RecordStore(records, site.units, cache, functools.partial(
                    _validate_again, self.site_root, found, digests, site.units["config"], converter))
                rendered = render_outputs(list(plan.outputs), kind_of, linked, environment, store, previous, staging,
                                          self.jobs, progress)
                last = render_outputs(list(plan.last), kind_of, linked, environment, store, previous, staging, 1,
                                      lambda done, total: None, finishing_inputs(linked, plan, rendered.states))
                _add(rendered, last)
            with timings.step("check links"):
                broken = _check_links(linked, plan, rendered, previous, self.jobs)
            for problem in broken:
                diagnostics.error("layouts", Position(1, 1), f"a page links to something that does not exist: {problem}",
                                  "this is a fault in the templates or in Minutes itself, not in the content")
            if broken:
                return result
            with timings.step("copy files"):
                copied = _copy_files(plan, files, self.site_root, previous, staging, rendered)
            searched = dict(memory.searched) if memory else json.loads(cache.note_value("search") or "{}")
            with timings.step("search index"):
                indexed = {o.url: rendered.states[o.url].digest for o in plan.outputs if o.kind in INDEXED_KINDS}
                shards = shard_pages(indexed, search_shards(linked))
                parts = shard_digests(indexed, shards)
                # Only the parts still up to date are kept: a build without the index must not
                # leave text taken out of a record findable.
                searched = {shard: digest for shard, digest in searched.items() if parts.get(shard) == digest}
                failure = _index_search(shards, parts, searched, staging, self.jobs) if self.search else None
            if failure:
                diagnostics.error("output", Position(1, 1), f"the search index could not be built: {failure}")
                return result
            with timings.step("publish"):
                staging.publish(_belongs(rendered.states, set(searched)))
        finally:
            staging.discard()
        with timings.step("save cache"):
            cache.save_files(files, files_before)
            keep_units(cache, fresh, set(known) - set(site.units))
            texts = _fragments(site.units.values())
            cache.save_fragments({d: html for d, html in converter.made.items() if d in texts},
                                 _fragments(known.values()) - texts)
            cache.save_outputs(rendered.states, previous)
            cache.remember_value("search", json.dumps(searched, sort_keys=True))
            cache.remember_value("warnings", json.dumps([dataclasses.asdict(d) for d in diagnostics.sorted()]))
            cache.remember_value("pages", str(len(plan.outputs) + len(plan.last)))
            cache.remember_value("last build", last_build(self.search, site.config.timezone, inputs, rendered.states))
        self.memory = _Memory(found, files, dict(site.units), rendered.states, searched, linked, plan, records, inputs,
                              today(site.config.timezone).isoformat())
        result.pages = len(plan.outputs) + len(plan.last)
        result.rendered = rendered.rendered
        result.written = rendered.written + copied
        result.unchanged = result.pages + len(plan.files) - result.written
        result.changed = {url for url in rendered.made if rendered.states[url].digest != shown.get(url)}
        result.changed |= set(previous) - set(rendered.states)
        return result

    def _environment(self, converter: Converter, cache: BuildCache, inputs: Mapping[str, list[int]]) -> Environment:
        """The templates, compiled once for a process and kept in the build cache for the next.
        Jinja2 is not asked to look at a template's file each time a page uses it (that was a
        stat per page and template): the templates it holds are dropped instead when a file of
        the layouts is not as it was at the last build."""
        layouts = {label: stat for label, stat in inputs.items() if label.startswith("layouts")}
        if self.environment is None:
            self.environment = make_environment(self.layouts, converter,
                                                (compiled_templates_dir(self.cache_dir), cache.sealer))
        else:
            self.environment.globals["converter"] = converter
            if layouts != self.layout_files and self.environment.cache is not None:
                self.environment.cache.clear()
        self.layout_files = layouts
        return self.environment

    def _publish_first(self, memory: _Memory, changed: set[str], inputs: Mapping[str, list[int]], cache: BuildCache,
                       converter: Converter, timings: Timings, first: Callable[[set[str]], None]) -> _Ahead:
        """The pages of the records whose files were just edited, made with what the last build
        knew of the rest of the site, and published at once: the preview shows an edit before the
        rest is made, and before anything else of the site is read again. Only edits of records'
        files that leave what other pages show of the records as it was (a change of wording in
        a text, say) are shown ahead, so the pages fit the rest of the site as the last build knew
        it; the build that follows checks everything as usual."""
        if not changed or not all(label in memory.files for label in changed):
            return _Ahead({}, {}, {})  # a template, or a file added or removed: the whole build decides
        with timings.step("show the edited pages"):
            files = {}
            for rel in changed:
                digest = _file_digest(self.site_root / rel)
                if digest is None:
                    return _Ahead({}, {}, {})
                files[rel] = (tuple(inputs[rel]), digest)
            if files.get("site.yaml", memory.files["site.yaml"])[1] != memory.files["site.yaml"][1]:
                return _Ahead({}, {}, files)
            digests = {rel: digest for rel, (_, digest) in {**memory.files, **files}.items()}
            validate = functools.partial(_validate_again, self.site_root, memory.found, digests, memory.units["config"],
                                         converter)
            fresh = {key: validated() for key, digest, validated in record_units(
                self.site_root, memory.found, digests, code_version(), memory.units["config"], converter)
                if key in memory.units and memory.units[key].digest != digest}
            if not all(validated.unit.valid for validated in fresh.values()):
                return _Ahead({}, fresh, files)
            edited = {key for key, validated in fresh.items()
                      if key.partition(":")[0] in _SHOWN_FIRST and _shown_as_before(validated.unit, memory)}
            pages = [o for o in memory.plan.outputs if o.kind in _SHOWN_FIRST and f"{o.kind}:{o.subject[0]}" in edited]
            if not pages:
                return _Ahead({}, fresh, files)
            environment = self._environment(converter, cache, inputs)
            store = RecordStore({**memory.records, **fresh}, memory.units, cache, validate)
            staging = Staging(self.output, cache.sealer)
            try:
                made = render_outputs(pages, kind_of, memory.linked, environment, store, {}, staging, 1,
                                      lambda done, total: None)
                # Whatever becomes of the rest of this build, the next must not take these pages
                # for what it made before.
                cache.forget_outputs(made.made)
                for url in made.made:
                    memory.states.pop(url, None)
                staging.publish(None)
            finally:
                staging.discard()
        first(set(made.made))
        return _Ahead({url: made.states[url].digest for url in made.made}, fresh, files)


class _Ahead(NamedTuple):
    """What the preview did ahead of a build: the pages it published (with the digests of their
    files), the records it validated, and the digests of the files it read (with their stat)."""

    shown: dict[str, str]
    validated: dict[str, Validated]
    files: dict[str, tuple[tuple[int, ...], str]]


_SHOWN_FIRST = frozenset({"meeting", "person", "board"})  # the kinds of record with a page of their own


def _shown_as_before(unit: Unit, memory: _Memory) -> bool:
    """Whether other pages show this validated record as they did at the last build: its
    summaries the same but for their digests, and every record it cross-references known."""
    before = memory.units.get(unit.key)
    if before is None or not unit.valid or len(before.summaries) != len(unit.summaries):
        return False
    return (all(without_digests(old) == without_digests(new) for old, new in zip(before.summaries, unit.summaries))
            and all(xref.target in memory.linked.targets for xref in unit.xrefs))


def _validate_again(site_root: Path, found: SiteFiles, digests: Mapping[str, str], config: Unit, converter: Converter,
                    key: str) -> Validated:
    """A record validated again, for a build cache that no longer holds it in full."""
    return next(validated() for unit, _, validated in record_units(site_root, found, digests, code_version(), config,
                                                                    converter) if unit == key)


def _changed(before: Mapping[str, list[int]], now: Mapping[str, list[int]]) -> set[str]:
    """The files whose size, times or inode are not as they were: edited, added or removed."""
    return {label for label in before.keys() | now.keys() if before.get(label) != now.get(label)}


def _check_links(linked: LinkedSite, plan: Plan, rendered: Rendered, previous: Mapping[str, OutputState],
                 processes: int) -> list[str]:
    """The links of the pages made now; and of every page when something a page could link to is
    gone (an output, or an anchor of a page made again); on `processes` processes, the problems
    put back in the order of the pages."""
    files = plan.file_urls()
    pages = {url: state for url, state in rendered.states.items() if url not in files}
    gone = set(previous) - set(rendered.states) - files
    for url in rendered.made:
        if url in previous and not set(links_of(previous[url])[1]) <= set(links_of(rendered.states[url])[1]):
            gone.add(url)
    order = sorted(url for url in pages if gone or url in rendered.made)
    # The search page links to the index's interface, which a build without the index leaves out.
    known = files | {o.url for o in plan.outputs + plan.last} | ui_files(search_shards(linked))
    anchors, base = _Anchors(pages), urlsplit(linked.site.config.base_url).path or "/"

    def check(index: int) -> list[Any]:
        return [index, check_links({order[index]: links_of(pages[order[index]])}, anchors, known, base)]

    found = dict(fork_map(check, range(len(order)), processes))
    return [problem for index in range(len(order)) for problem in found[index]]


class _Anchors(Mapping[str, set[str]]):
    """The ids of each page's anchors, read only for the pages a checked link points into."""

    def __init__(self, pages: Mapping[str, OutputState]) -> None:
        self.pages = pages
        self.read: dict[str, set[str]] = {}

    def __getitem__(self, url: str) -> set[str]:
        if url not in self.read:
            self.read[url] = set(links_of(self.pages[url])[1])
        return self.read[url]

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


def _copy_files(plan: Plan, files: Mapping[str, tuple[tuple[int, ...], str]], site_root: Path,
                previous: Mapping[str, OutputState], staging: Staging, rendered: Rendered) -> int:
    """Stage the attachments and theme files that changed; returns how many."""
    copied = 0
    for file in plan.files:
        rel = file.source.relative_to(site_root).as_posix() if file.source.is_relative_to(site_root) else ""
        digest = files[rel][1] if rel in files else (_file_digest(file.source) or "")
        size = file.source.stat().st_size
        before = previous.get(file.url)
        if before and (before.digest, before.size) == (digest, size) and published(staging.output, file.url, before):
            rendered.states[file.url] = before
            continue
        mtime = staging.copy(urls.output_path(file.url), file.source)
        rendered.states[file.url] = OutputState(digest, digest, size, mtime, NO_LINKS)
        rendered.made.add(file.url)
        copied += 1
    return copied


def _index_search(shards: Mapping[str, list[str]], digests: Mapping[str, str], searched: dict[str, str],
                  staging: Staging, processes: int) -> str | None:
    """Index the parts of the search index (`shards`: each one's pages) that are not up to date
    (one of their pages changed, or is new or gone), `processes` parts at a time; `searched`
    (each part's digest) is brought up to date."""
    stale = [shard for shard in shards
             if shard not in searched or not (staging.output / BUNDLE / shard / "pagefind-entry.json").is_file()]
    folders = {shard: staging.stage_folder(f"{BUNDLE}/{shard}") for shard in stale}
    with ThreadPoolExecutor(max_workers=max(1, processes)) as pool:
        failures = list(pool.map(lambda shard: index_shard(shard, shards[shard], lambda url: _located(staging, url),
                                                           folders[shard]), stale))
    for shard, failure in zip(stale, failures):
        if failure:
            return failure
        searched[shard] = digests[shard]
    return None


def _located(staging: Staging, url: str) -> Path:
    """A page's file as it will be published: staged if it was made now and changed, else published."""
    rel = urls.output_path(url)
    staged = staging.path / rel
    return staged if staged.exists() else staging.output / rel


def _belongs(states: Mapping[str, OutputState], shards: set[str]) -> Callable[[str], bool]:
    """Whether a published file belongs to the new site: the file of one of its outputs, or of a
    part of its search index that is up to date."""
    files = {urls.output_path(url) for url in states}
    folders = tuple(f"{BUNDLE}/{shard}/" for shard in shards)
    return lambda rel: rel in files or rel.startswith(folders)


def _fragments(units: Iterable[Unit]) -> set[str]:
    return {digest for unit in units for digest in unit.fragments}


def _add(rendered: Rendered, more: Rendered) -> None:
    rendered.rendered += more.rendered
    rendered.written += more.written
    rendered.states.update(more.states)
    rendered.made |= more.made


__all__ = ["Model", "Site", "build_site", "check_site", "load_model"]

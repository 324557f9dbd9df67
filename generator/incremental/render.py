"""Rendering only what changed, on several processes, and never a stale page.

Each output's recipe from the last build holds a digest of its template (with everything
it includes), its own context and the site's settings, and the digest of every read it made
of the model (see recording.py). An output is rendered again unless all of those give the
same digests against the new model and its published file is as it was left.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import re
import stat as statmod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import jinja2

from generator.model import markup

from generator.plan import urls
from generator.incremental.cache import Recipe
from generator.model.link import LinkedSite
from generator.publish.linkcheck import PageLinks, page_links
from generator.plan.outputs import DataFile, Page
from generator.incremental.recording import Fingerprint, Reads, Recorder, Unresolvable, replay
from generator.render.templates import render_page
from generator.publish.write import Staging

Output = Page | DataFile
# Below this many outputs to render, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 24


@dataclass
class Rendered:
    rendered: int  # outputs rendered this time (the rest were reused as they are)
    written: int  # of those, files whose bytes changed
    recipes: dict[str, Recipe]  # URL -> recipe; a rendered output's mtime is filled in once published
    links: dict[str, PageLinks]  # URL -> links and anchors, for every page
    fragments: dict[str, str] = field(default_factory=dict)  # Markdown converted for the first time


def render_outputs(outputs: list[Output], linked: LinkedSite, env: jinja2.Environment, fingerprint: Fingerprint,
                   previous: dict[str, Recipe], staging: Staging, jobs: int,
                   progress: Callable[[int, int], None]) -> Rendered:
    """Render what must be into `staging`, keep what may be; `progress(done, total)` is told as
    renders finish."""
    themes = _TemplateDigests(env)
    base_digest = fingerprint.digest((linked.site.config, linked.today))
    replayed = _Replay(linked, fingerprint)
    result = Rendered(0, 0, {}, {})
    dirty: list[tuple[Output, str]] = []
    for output in outputs:
        base = _base(output, themes, fingerprint, base_digest)
        recipe = previous.get(output.url)
        if recipe and recipe.base == base and _unchanged(staging.output, output.url, recipe) and replayed.same(recipe.reads):
            staging.keep(urls.output_path(output.url))
            result.recipes[output.url] = recipe
            if isinstance(output, Page):
                result.links[output.url] = recipe.links
        else:
            dirty.append((output, base))
    total = len(dirty)
    progress(0, total)
    for done, made in enumerate(_render_all(dirty, staging, linked, env, fingerprint, jobs), 1):
        output, base = dirty[made.index]
        result.recipes[output.url] = Recipe(base, made.reads, made.digest, made.size, 0, made.links)
        if isinstance(output, Page):
            result.links[output.url] = made.links
        result.fragments.update(made.fragments)
        result.rendered += 1
        result.written += made.written
        progress(done, total)
    return result


def _base(output: Output, themes: _TemplateDigests, fingerprint: Fingerprint, site_digest: str) -> str:
    if isinstance(output, Page):
        parts: tuple[Any, ...] = ("page", output.url, output.links, themes.closure(output.template),
                                  fingerprint.digest(dict(output.context)))
    else:
        parts = ("data", output.url, output.make.__module__, output.make.__qualname__, fingerprint.digest(output.args))
    return hashlib.blake2b(repr(parts + (site_digest,)).encode(), digest_size=16).hexdigest()


def _unchanged(published: Path, url: str, recipe: Recipe) -> bool:
    """The published file is the one this recipe made (nobody changed or removed it)."""
    try:
        stat = (published / urls.output_path(url)).lstat()
    except OSError:
        return False
    return stat.st_size == recipe.size and stat.st_mtime_ns == recipe.mtime and statmod.S_ISREG(stat.st_mode)


class _Replay:
    """Reads replayed against the new model; each distinct read is made once per build."""

    def __init__(self, linked: LinkedSite, fingerprint: Fingerprint) -> None:
        self.linked = linked
        self.fingerprint = fingerprint
        self.memo: dict[Any, str | None] = {}

    def same(self, reads: dict[Any, str]) -> bool:
        return all(self.digest(path) == digest for path, digest in reads.items())

    def digest(self, path: Any) -> str | None:
        if path not in self.memo:
            try:
                self.memo[path] = self.fingerprint.digest(replay(self.linked, path))
            except (Unresolvable, KeyError, AttributeError, TypeError, ValueError, StopIteration):
                self.memo[path] = None
        return self.memo[path]


class _TemplateDigests:
    """A template's digest covers every template it extends, includes or imports. A template
    that names another by an expression, not a plain string, depends on them all."""

    _REFERENCE = re.compile(r"""{%-?\s*(?:extends|include|import|from)\s+(?:(["'])(.+?)\1|(\S))""")

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.sources: dict[str, str] = {}
        self.memo: dict[str, str] = {}

    def closure(self, name: str) -> str:
        if name not in self.memo:
            hasher = hashlib.blake2b(digest_size=16)
            for each in sorted(self._names(name, set())):
                hasher.update(each.encode() + b"\0" + self._source(each).encode() + b"\0")
            self.memo[name] = hasher.hexdigest()
        return self.memo[name]

    def _source(self, name: str) -> str:
        if name not in self.sources:
            self.sources[name] = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        return self.sources[name]

    def _names(self, name: str, seen: set[str]) -> set[str]:
        if name in seen:
            return seen
        seen.add(name)
        for match in self._REFERENCE.finditer(self._source(name)):
            if match.group(2) is None:
                seen.update(self.env.loader.list_templates())  # type: ignore[union-attr]
            else:
                self._names(match.group(2), seen)
        return seen


# --- Rendering, here or on worker processes -------------------------------------------------------

@dataclass
class _Made:
    """What rendering one output leaves behind, once its bytes are staged."""

    index: int
    digest: str
    size: int
    written: bool
    reads: dict[Any, str]
    links: PageLinks
    fragments: dict[str, str]


_WORK: tuple[list[tuple[Output, str]], Staging, LinkedSite, jinja2.Environment, Fingerprint] | None = None


def _render_one(index: int) -> _Made:
    assert _WORK is not None
    dirty, staging, linked, env, fingerprint = _WORK
    output = dirty[index][0]
    reads = Reads(fingerprint)
    site = Recorder(linked, (), reads)
    if isinstance(output, Page):
        data = render_page(output, site, env)  # type: ignore[arg-type]
        links = page_links(data)
    else:
        data = output.make(site, *output.args)
        links = ((), ())
    written = staging.put(urls.output_path(output.url), data)
    return _Made(index, hashlib.blake2b(data, digest_size=16).hexdigest(), len(data), written, reads.paths, links,
                 markup.take_new_fragments())


def _render_all(dirty: list[tuple[Output, str]], staging: Staging, linked: LinkedSite, env: jinja2.Environment,
                fingerprint: Fingerprint, jobs: int) -> Iterator[_Made]:
    global _WORK
    _WORK = (dirty, staging, linked, env, fingerprint)
    try:
        if jobs <= 1 or len(dirty) < _PARALLEL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
            for index in range(len(dirty)):
                yield _render_one(index)
            return
        # Workers are forked after the model is built, so they share it without copying it;
        # freezing the collector's view of it keeps garbage collection from touching (and so
        # copying) the shared pages in every worker.
        gc.freeze()
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            # Small chunks keep both processes busy to the end and the progress counter moving.
            yield from pool.imap_unordered(_render_one, range(len(dirty)), chunksize=max(1, min(32, len(dirty) // (jobs * 8))))
    finally:
        gc.unfreeze()
        _WORK = None


"""Making only the outputs whose inputs changed, on several processes, and never a stale one.

Every output declares its inputs (plan/pages.py and the output kinds): for a page, the values its
template is given, which are all it can read. An output is made again unless its kind, its
template (with everything it extends, includes or imports) and the digest of its inputs are as
the last build left them and its published file is still there. Since making an output is a
pure function of those, one that is kept is byte for byte what making it again would give.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import jinja2

from generator.incremental.cache import NO_LINKS, OutputState
from generator.incremental.freshness import published
from generator.incremental.records import RecordStore, resolve
from generator.incremental.workers import fork_map
from generator.model.link import LinkedSite
from generator.plan import urls
from generator.plan.inputs import digest_inputs
from generator.plan.outputs import Inputs, Kind, Output, PageKind
from generator.publish.linkcheck import page_links
from generator.publish.write import Staging
from generator.render.templates import converter_of, render_page


@dataclass
class Rendered:
    rendered: int = 0  # outputs made this time (the rest were kept as they are)
    written: int = 0  # of those, files whose bytes changed
    states: dict[str, OutputState] = field(default_factory=dict)  # every planned output
    made: set[str] = field(default_factory=set)  # the URLs of the outputs made this time


def render_outputs(outputs: list[Output], kinds: Callable[[Output], Kind], linked: LinkedSite, env: jinja2.Environment,
                   store: RecordStore, previous: Mapping[str, OutputState], staging: Staging, jobs: int,
                   progress: Callable[[int, int], None], extra: Callable[[Output], Inputs] = lambda o: {}) -> Rendered:
    """Make what must be into `staging`, keep what may be; `progress(done, total)` is told as
    outputs are made. `extra` adds inputs an output's kind cannot know (the data page's sizes)."""
    templates = _TemplateDigests(env)
    result = Rendered()
    dirty: list[tuple[Output, Inputs, str, OutputState | None]] = []  # with the state it was published in
    for output in outputs:
        kind = kinds(output)
        inputs = {**kind.inputs(output, linked), **extra(output)}
        digest = _digest(kind, output, inputs, templates)
        state = previous.get(output.url)
        if state and state.inputs == digest and published(staging.output, output.url, state):
            result.states[output.url] = state
        else:
            dirty.append((output, inputs, digest, state))
    progress(0, len(dirty))

    def make(index: int) -> list[Any]:
        output, inputs, digest, before = dirty[index]
        kind = kinds(output)
        resolved = resolve(inputs, store)
        if isinstance(kind, PageKind):
            data = render_page(kind, output, resolved, env)
            links = json.dumps(page_links(data), separators=(",", ":"))
        else:
            data = kind.make(resolved, converter_of(env))
            links = NO_LINKS
        data_digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        rel = urls.output_path(output.url)
        if before and data_digest == before.digest and published(staging.output, output.url, before):
            return [index, data_digest, len(data), before.mtime, False, links]
        return [index, data_digest, len(data), staging.put(rel, data), True, links]

    for done, (index, data_digest, size, mtime, written, links) in enumerate(fork_map(make, range(len(dirty)), jobs), 1):
        output, _, digest, _ = dirty[index]
        result.states[output.url] = OutputState(digest, data_digest, size, mtime, links)
        result.made.add(output.url)
        result.rendered += 1
        result.written += bool(written)
        progress(done, len(dirty))
    return result


def _digest(kind: Kind, output: Output, inputs: Inputs, templates: _TemplateDigests) -> str:
    parts = [kind.name, output.links, digest_inputs(inputs)]
    if isinstance(kind, PageKind):
        parts.append(templates.closure(kind.template))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


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

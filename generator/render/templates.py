"""The render stage: a page into bytes, a pure function of its inputs.

A template is given its page's inputs (plan/pages.py) and nothing else: no model to reach into,
so it cannot read what the page does not declare, and a page whose inputs are unchanged would
come out byte for byte the same.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Mapping

import jinja2
from markupsafe import Markup

from generator.incremental.sealing import SEAL_SIZE, Sealer
from generator.model.link import item_url, meeting_title
from generator.model.markup import Converter, resolve_xrefs
from generator.model.records import Markdown
from generator.plan import urls
from generator.plan.outputs import Output, PageKind
from generator.render import metadata, present
from generator.render.charts import bar_chart, series_of

_CONTENT_TABLE = re.compile(r'aria-label="Table"')
Environment = jinja2.Environment


def make_environment(layout_dirs: list[Path], converter: Converter,
                     compiled: tuple[Path, Sealer] | None = None) -> jinja2.Environment:
    """Templates are compiled once and kept in `compiled` (a folder of the build cache, with the
    sealer of its files): compiling them is most of a small site's rebuild, and every render
    worker would do it again. Records' text was converted when they were validated: `converter`
    finds it by the text's digest."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in layout_dirs]),
        bytecode_cache=_CompiledTemplates(str(compiled[0]), compiled[1]) if compiled else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the build decides when templates are read again (build.Builder)
    )
    env.filters.update(
        markdown=_markdown,
        long_date=present.long_date,
        weekday_date=present.weekday_date,
        clock_time=present.clock_time,
        recording_time=present.recording_time,
        file_size=present.file_size,
        month_name=lambda month: present.MONTHS[month - 1],
        status_label=present.STATUS_LABELS.__getitem__,
        minutes_label=present.MINUTES_LABELS.__getitem__,
    )
    env.globals.update(urls=urls, item_url=item_url, meeting_title=meeting_title, bar_chart=bar_chart,
                       series_of=series_of)
    env.globals["converter"] = converter
    # Machine-readable metadata for layouts/_metadata.html (OpenGraph, schema.org JSON-LD): the
    # values come from generator/metadata.py, and json_script makes JSON safe inside <script>.
    env.globals.update(metadata=metadata)
    env.filters.update(json_script=metadata.json_script)
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates are code, and reading Jinja2's files of them runs code (they hold a
    pickle), while the cache is in the site folder, where a pull request could put such a file.
    So a file is handed to Jinja2 only if its seal shows this machine wrote it; a damaged or
    foreign one is compiled again, never trusted nor fatal."""

    def __init__(self, directory: str, sealer: Sealer) -> None:
        super().__init__(directory)
        self.sealer = sealer

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
        except OSError:
            return
        seal, compiled = data[:SEAL_SIZE], data[SEAL_SIZE:]
        if not self.sealer.verified(seal, "template", bucket.key, compiled):
            return
        try:
            bucket.bytecode_from_string(compiled)
        except Exception:  # compiled by a Python whose code objects this one cannot read
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = bucket.bytecode_to_string()
        path = Path(self._get_cache_filename(bucket))
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            temporary.write_bytes(self.sealer.seal("template", bucket.key, compiled) + compiled)
            os.replace(temporary, path)
        except OSError:
            temporary.unlink(missing_ok=True)


@jinja2.pass_context
def _markdown(context: jinja2.runtime.Context, text: Markdown | None) -> Markup:
    """A record's text as HTML, its [[cross-references]] made links by the page's `links`."""
    if text is None:
        return Markup("")
    links = context["links"]

    def lookup(target: str) -> tuple[str, str] | None:
        found = links.get(target)
        return (found.url, found.title) if found else None

    return Markup(resolve_xrefs(converter_of(context.environment).html(text.text), lookup))


def converter_of(env: jinja2.Environment) -> Converter:
    """The converter the templates' Markdown filter finds records' text with."""
    converter = env.globals["converter"]
    assert isinstance(converter, Converter)
    return converter


def render_page(kind: PageKind, page: Output, inputs: Mapping[str, Any], env: jinja2.Environment) -> bytes:
    """The page, from its template and its inputs, with every link made relative to it."""
    html = env.get_template(kind.template).render(page=page, kind=kind.name, template=kind.template, **inputs)
    html = _number_tables(html)
    config = inputs["config"]
    if page.links == "rooted":
        return urls.rooted(html, config.base_url).encode("utf-8")
    return urls.relativize(html, page.url).encode("utf-8")


def _number_tables(html: str) -> str:
    """Tables from Markdown scroll in regions labelled "Table"; a page's regions need
    distinct names, so they become "Table 1", "Table 2" and so on."""
    counter = iter(range(1, 1_000_000))
    return _CONTENT_TABLE.sub(lambda _: f'aria-label="Table {next(counter)}"', html)

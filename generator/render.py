"""The render stage: a page of the plan into bytes, a pure function of the linked model."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import metadata, present, urls
from generator.charts import bar_chart, series_of
from generator.link import LinkedSite, item_url
from generator.markup import render_markdown, resolve_xrefs
from generator.model import Markdown
from generator.outputs import Page

_CONTENT_TABLE = re.compile(r'aria-label="Table"')


def make_environment(layout_dirs: list[Path], compiled: Path | None = None) -> jinja2.Environment:
    """Templates are compiled once and kept in `compiled` (a folder of the build cache): compiling
    them is most of a small site's rebuild, and every render worker would do it again."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in layout_dirs]),
        bytecode_cache=_CompiledTemplates(str(compiled)) if compiled else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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
    env.globals.update(urls=urls, item_url=item_url, bar_chart=bar_chart, series_of=series_of)
    # Machine-readable metadata for layouts/_metadata.html (OpenGraph, schema.org JSON-LD): the
    # values come from generator/metadata.py, and json_script makes JSON safe inside <script>.
    env.globals.update(metadata=metadata)
    env.filters.update(json_script=metadata.json_script)
    return env


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """A damaged file of compiled templates is compiled again, never trusted nor fatal."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # Jinja2 lets a damaged header's unpickling error through
            bucket.reset()


@jinja2.pass_context
def _markdown(context: jinja2.runtime.Context, text: Markdown | None) -> Markup:
    if text is None:
        return Markup("")
    linked: LinkedSite = context["site"]

    def lookup(target: str) -> tuple[str, str] | None:
        found = linked.targets.get(target)
        return (found.url, found.title) if found else None

    return Markup(resolve_xrefs(render_markdown(text.text), lookup))


def render_page(page: Page, linked: LinkedSite, env: jinja2.Environment) -> bytes:
    template = env.get_template(page.template)
    values: dict[str, Any] = dict(page.context)
    html = template.render(
        page=page,
        site=linked,
        config=linked.site.config,
        **values,
    )
    html = _number_tables(html)
    if page.links == "rooted":
        return urls.rooted(html, linked.site.config.base_url).encode("utf-8")
    return urls.relativize(html, page.url).encode("utf-8")


def _number_tables(html: str) -> str:
    """Tables from Markdown scroll in regions labelled "Table"; a page's regions need
    distinct names, so they become "Table 1", "Table 2" and so on."""
    counter = iter(range(1, 1_000_000))
    return _CONTENT_TABLE.sub(lambda _: f'aria-label="Table {next(counter)}"', html)

"""The render stage: a page of the plan into bytes, a pure function of the linked model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import present, urls
from generator.link import LinkedSite, item_url
from generator.markup import render_markdown, resolve_xrefs
from generator.model import Markdown
from generator.plan import Page


def make_environment(layout_dirs: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in layout_dirs]),
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
        status_label=present.STATUS_LABELS.__getitem__,
        minutes_label=present.MINUTES_LABELS.__getitem__,
    )
    env.globals.update(urls=urls, item_url=item_url)
    return env


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
    return urls.relativize(html, page.url).encode("utf-8")

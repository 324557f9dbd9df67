"""The search index: Pagefind indexes the staged site before it is published.

Pages opt in with `data-pagefind-body` (meetings, decisions, reports, people),
so navigation and list pages are not indexed; filters and result details come
from `<meta data-pagefind-filter>` and `data-pagefind-meta` in the templates.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pagefind_bin import get_executable

from generator.model.link import LinkedSite
from generator.outputs.search_tables import UnknownFormat, rewrite_filter_tables

BUNDLE = "pagefind"
# The files of the search interface that pages link to; the rest of the bundle is fetched by it.
UI_FILES = (f"/{BUNDLE}/pagefind-ui.js", f"/{BUNDLE}/pagefind-ui.css")


def search_shards(linked: LinkedSite) -> tuple[str, ...]:
    """The parts the search index is built in: the people, and each board with meetings."""
    return (("people",) if linked.site.people else ()) + tuple(linked.meetings_by_board)


def index_search(site: Path) -> str | None:
    """Index the site in place; returns Pagefind's complaint when it fails."""
    try:
        result = subprocess.run(
            [get_executable(), "--site", str(site), "--output-subdir", BUNDLE, "--silent"],
            capture_output=True, text=True, timeout=600, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"the search indexer could not run: {err}"
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip() or f"the search indexer failed (exit {result.returncode})"
    try:
        rewrite_filter_tables(site / BUNDLE)
    except (UnknownFormat, OSError, ValueError, KeyError) as err:
        return f"the search index is not in the form Minutes expects ({err}); check the pagefind version"
    return None

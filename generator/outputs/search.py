"""The search index, built by Pagefind in parts: one for the people, one for each board.

Pagefind indexes a whole site at every run and has no way to update an index (its maintainer
advises indexing a large site in sections and searching them together, issues #71 and #256).
So each part is indexed on its own, from the pages under its own folder of the site, into its
own bundle (/pagefind/<part>/), and only when one of its pages changed; the search page opens
the first and merges the others into it (Pagefind's `mergeIndex`), so a search still gives one
ranked list, and filters are summed across the parts. Indexing a part at a time also bounds
Pagefind's memory to one part's.

Pages opt in with `data-pagefind-body` (meetings, decisions, reports, people); their filters
and result details come from `<meta data-pagefind-filter>` and `data-pagefind-meta` tags.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pagefind_bin import get_executable

from generator.model.link import LinkedSite
from generator.outputs.search_tables import UnknownFormat, rewrite_filter_tables
from generator.plan import urls

BUNDLE = "pagefind"
# The kinds of page the index holds: those whose templates mark their text `data-pagefind-body`.
INDEXED_KINDS = ("meeting", "decision", "report", "person")
# The parts' folders of pages: a board's meetings, decisions and reports are under its folder.
_PEOPLE = "people"


def search_shards(linked: LinkedSite) -> tuple[str, ...]:
    """The parts the search index is built in: the people, and each board with meetings."""
    return ((_PEOPLE,) if linked.site.people else ()) + tuple(linked.meetings_by_board)


def bundle_url(shard: str) -> str:
    return f"/{BUNDLE}/{shard}/"


def ui_files(shards: Iterable[str]) -> set[str]:
    """The files of the search interface that the search page links to: the first part's."""
    first = next(iter(shards), None)
    return {f"/{BUNDLE}/{first}/pagefind-ui.js", f"/{BUNDLE}/{first}/pagefind-ui.css"} if first else set()


def shard_of(url: str) -> str | None:
    """The part of the index a page's address belongs to."""
    parts = url.strip("/").split("/")
    if parts[0] == "people":
        return _PEOPLE
    if parts[0] == "boards" and len(parts) > 2:
        return parts[1]
    return None


def shard_pages(pages: Iterable[str], shards: Iterable[str]) -> dict[str, list[str]]:
    """The pages (URLs, sorted) of each part of the index."""
    found: dict[str, list[str]] = {shard: [] for shard in shards}
    for url in sorted(pages):
        shard = shard_of(url)
        if shard in found:
            found[shard].append(url)
    return found


def shard_digests(pages: Mapping[str, str], grouped: Mapping[str, list[str]]) -> dict[str, str]:
    """A digest of each part's pages (address and digest of its bytes; `grouped` are the
    `shard_pages`): a part whose digest is unchanged need not be indexed again."""
    return {shard: hashlib.blake2b("".join(f"{url}={pages[url]}\0" for url in urls).encode(),
                                   digest_size=16).hexdigest() for shard, urls in grouped.items()}


def index_shard(shard: str, pages: Iterable[str], located: Callable[[str], Path], bundle: Path) -> str | None:
    """Index one part's `pages` (their URLs; `located` gives each one's file) into `bundle`;
    returns Pagefind's complaint when it fails. The pages are linked into a folder of their own,
    at their places in the site, so that Pagefind reads those alone and records their addresses."""
    with tempfile.TemporaryDirectory(prefix="minutes-search-", dir=bundle.parent) as folder:
        site = Path(folder)
        for url in pages:
            target = site / urls.output_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(located(url), target)
            except OSError:
                shutil.copyfile(located(url), target)
        try:
            result = subprocess.run(
                [get_executable(), "--site", str(site), "--output-path", str(bundle), "--silent"],
                capture_output=True, text=True, timeout=600, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"the search indexer could not run: {err}"
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip() or f"the search indexer failed (exit {result.returncode})"
    try:
        rewrite_filter_tables(bundle)
    except (UnknownFormat, OSError, ValueError, KeyError) as err:
        return f"the search index is not in the form Minutes expects ({err}); check the pagefind version"
    return None

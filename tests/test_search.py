"""The search index: what is in it, what never is, and that it is reproducible."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

from conftest import EXAMPLE, build, copy_site, make_site
from pages import page

from generator.build import build_site
from generator.outputs.search_tables import _read, rewrite_filter_tables

EXEMPT = """---
date: 2020-02-12
status: held
minutes: draft
---
## PC3 Enforcement at Zanzibar Quarry {.exempt paragraph=5}

## PC4 Street naming

RESOLVED: That the new street be named Quillmoor Court.
"""


def fragments(output: Path) -> list[dict]:
    """Every page's record in the search index, of every part of it."""
    return [json.loads(gzip.decompress(p.read_bytes())[len(b"pagefind_dcd"):])
            for p in sorted((output / "pagefind").glob("*/fragment/*.pf_fragment"))]


def bundles(output: Path) -> list[Path]:
    """The parts of the search index, each a Pagefind bundle."""
    return sorted(path.parent for path in (output / "pagefind").glob("*/pagefind-entry.json"))


def test_meetings_decisions_reports_and_people_are_indexed_and_nothing_else(example_output: Path) -> None:
    urls = sorted(f["url"] for f in fragments(example_output))
    assert "/boards/executive-board/2010-12-16/exb77/" in urls
    assert "/boards/executive-board/2010-12-16/" in urls
    assert "/boards/cabinet/2013-06-04/reports/strategic-partnership-report/" in urls
    assert "/people/ann-mcintyre/" in urls
    for listing in ("/", "/boards/", "/decisions/", "/people/", "/search/", "/boards/cabinet/"):
        assert listing not in urls
    types = {f["url"]: f["meta"]["type"] for f in fragments(example_output)}
    assert types["/boards/executive-board/2010-12-16/exb77/"] == "Decision"
    assert types["/people/ann-mcintyre/"] == "Person"


def test_only_page_content_is_indexed(example_output: Path) -> None:
    for fragment in fragments(example_output):
        assert "Skip to main content" not in fragment["content"]
        assert "Published with Minutes" not in fragment["content"]


FACT_LABELS = ("Reference", "Decision maker", "Date of decision", "Meeting", "Board", "Key decision", "Minutes",
               "Date", "Time", "Venue", "Status", "Role", "Position", "Party", "Ward", "Agenda item", "Report of")


def test_excerpts_read_as_sentences_without_facts_run_into_their_labels(example_output: Path) -> None:
    by_url = {f["url"]: f["content"] for f in fragments(example_output)}
    run_in = re.compile("(?:" + "|".join(FACT_LABELS) + r")(?=[A-Z0-9])")
    for url, content in by_url.items():
        assert run_in.search(content) is None, (url, run_in.search(content))
    decision = by_url["/boards/executive-board/2010-12-16/exb77/"]
    assert "Decision maker" not in decision and "Date of decision" not in decision
    assert decision.startswith("Decision EXB77. Traded services for learning and achievement.")
    person = by_url["/people/mark-dennett/"]
    assert "Labour" in person and "Party" not in person  # a person's facts are found, without their labels


def test_results_carry_type_board_and_date_and_the_filters_exist(example_output: Path) -> None:
    exb77 = next(f for f in fragments(example_output) if f["url"] == "/boards/executive-board/2010-12-16/exb77/")
    assert exb77["meta"]["board"] == "Executive Board"
    assert exb77["meta"]["date"] == "16 December 2010"
    assert exb77["filters"]["key decision"] == ["Key decisions"]
    names = {_read(p)[0] for p in (example_output / "pagefind").glob("*/filter/*.pf_filter")}
    assert names == {"board", "organisation", "year", "type", "key decision"}


def test_exempt_items_are_never_indexed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"content/meetings/planning-committee/2020-02-12.md": EXEMPT})
    out = tmp_path / "out"
    assert build(site, out).ok
    index_text = json.dumps(fragments(out))
    assert "Quillmoor" in index_text
    assert "Zanzibar" not in index_text


def test_filter_tables_are_sorted_and_rewriting_them_changes_nothing(example_output: Path, tmp_path: Path) -> None:
    for path in (example_output / "pagefind").glob("*/filter/*.pf_filter"):
        values = [entry[0] for entry in _read(path)[1]]
        assert values == sorted(values)
    for bundle in bundles(example_output):
        copy = tmp_path / bundle.name
        shutil.copytree(bundle, copy)
        rewrite_filter_tables(copy)
        before = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
        after = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
        assert before == after


def test_the_index_is_built_in_a_part_for_the_people_and_one_for_each_board(example_output: Path) -> None:
    """Pagefind cannot update an index, so each part is indexed on its own, and again only when
    one of its pages changed; the search page opens the first part and merges the others."""
    assert [bundle.name for bundle in bundles(example_output)] == sorted(
        ["people", "cabinet", "children-young-people-families-ppb", "childrens-trust-executive-group",
         "executive-board", "executive-lead-member-childrens-services"])
    for bundle in bundles(example_output):
        urls = {f["url"] for f in fragments(example_output) if (bundle / "fragment").exists()}
        assert urls
    search = page(example_output, "/search/")
    parts = search.find(id="search")["data-indexes"].split()
    assert parts[0] == "people" and sorted(parts) == [bundle.name for bundle in bundles(example_output)]
    assert search.find("script", src="../pagefind/people/pagefind-ui.js") is not None


def test_a_page_edit_indexes_its_own_part_again_and_no_other(tmp_path: Path) -> None:
    site = copy_site(EXAMPLE, tmp_path / "site")
    output = tmp_path / "out"
    assert build(site, output).ok
    before = {bundle.name: sorted((p.relative_to(bundle), p.stat().st_mtime_ns) for p in bundle.rglob("*"))
              for bundle in bundles(output)}
    meeting = site / "content/meetings/executive-board/2010-12-16.md"
    meeting.write_text(meeting.read_text().replace("The Board received a report", "The Board received a paper"))
    assert build(site, output).ok
    after = {bundle.name: sorted((p.relative_to(bundle), p.stat().st_mtime_ns) for p in bundle.rglob("*"))
             for bundle in bundles(output)}
    assert {name for name in before if before[name] != after[name]} == {"executive-board"}
    assert "paper" in json.dumps([f for f in fragments(output) if f["url"].startswith("/boards/executive-board/")])


def test_a_build_without_search_has_no_index(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    assert build_site(site, tmp_path / "out", search=False).ok
    assert not (tmp_path / "out/pagefind").exists()


def test_a_build_without_search_drops_the_parts_of_the_index_it_leaves_out_of_date(tmp_path: Path) -> None:
    """Text taken out of a record must not stay findable in an index the build did not remake."""
    site = copy_site(EXAMPLE, tmp_path / "site")
    output = tmp_path / "out"
    assert build(site, output).ok
    kept = {bundle.name for bundle in bundles(output)} - {"executive-board"}
    meeting = site / "content/meetings/executive-board/2010-12-16.md"
    assert "The Board received a report" in json.dumps(fragments(output))
    meeting.write_text(meeting.read_text().replace("The Board received a report", "The Board received a paper"))
    assert build_site(site, output, search=False).ok
    assert "The Board received a report" not in json.dumps(fragments(output))
    assert {bundle.name for bundle in bundles(output)} == kept
    assert build(site, output).ok
    assert "executive-board" in {bundle.name for bundle in bundles(output)}

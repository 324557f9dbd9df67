"""Open data (/data/), the sitemap, robots.txt, the 404 page and the pages' OpenGraph and
schema.org metadata: what someone using the data, a search engine or a link preview would see."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import EXAMPLE, EXAMPLE_BASE, MINIMAL, ROOT, build_for_module, copy_site, full_records, make_site
from jsonschema import Draft202012Validator
from pages import internal_links, page, text

from generator.outputs import opendata
from generator.build import build_site, check_site
from generator.source.load import ATTACHMENT_TYPES
from generator.render.metadata import json_script

SCHEMAS = Path(opendata.__file__).parent / "schemas"
NAMES = ("people", "organizations", "memberships", "events", "decisions", "index")
KEYS = {"people": "persons", "organizations": "organizations", "memberships": "memberships", "events": "events",
        "decisions": "decisions", "index": "files"}
PIECES = ("events", "decisions")  # published in a file for each board and year
SMALL_BASE = "https://example.org/records/"

# A meeting of the minimal site with everything the data carries: times in summer time,
# attendance, a declaration, recorded votes, a recording with an item's moment, a linked
# document, a cross-reference, call-in, wards, a matter, and an exempt item flagged as a key decision.
SUMMER_MEETING = """---
date: 2020-06-17
start: "18:30"
end: "20:05"
venue: Council Chamber
status: held
minutes: approved
present: [{person: jane-smith, role: Chair}, omar-khan]
in_attendance: [lee-jones, {name: Gill Frame, role: Halton CCG}]
declarations:
  - {person: omar-khan, item: PC6, interest: Other registrable interest, note: lives on Mill Lane}
documents:
  - {title: Application 20/0123, url: "https://planning.example.org/20-0123.pdf", item: PC6}
media:
  - {title: Webcast of the meeting, url: "https://www.youtube.com/watch?v=abc123", kind: video}
items:
  PC6:
    votes: {for: [jane-smith], against: [omar-khan], abstain: 0}
    media_offset: "00:42:10"
    call_in: {deadline: 2020-06-24, status: not called in}
    wards: [Mill]
    matter: mill-lane
---
## PC5 Minutes of the last meeting

RESOLVED: That the minutes of the meeting held on 15 January 2020 be approved.

## PC6 Land at Mill Lane {.key-decision}

The Committee considered the revised application; see [[PC2]]. Moved by **Councillor** [[people/jane-smith]].

RESOLVED: That planning permission be granted.

## PC7 Enforcement at Moor Farm {.exempt .key-decision paragraph=5}
"""
FUTURE_MEETING = """---
date: 2024-03-20
start: "18:30"
status: scheduled
title: "Special meeting </script><script>alert(1)</script>"
---
## PC8 Local plan review
"""
POSTPONED_MEETING = """---
date: 2020-03-18
status: postponed
---
"""


def _build(site: Path, output: Path) -> Path:
    result = build_site(site, output, search=False)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    return output


@pytest.fixture(scope="module")
def small_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal site with the three meetings above, built once for this module."""
    return build_for_module(tmp_path_factory, "opendata", {
        "content/meetings/planning-committee/2020-06-17.md": SUMMER_MEETING,
        "content/meetings/planning-committee/2024-03-20.md": FUTURE_MEETING,
        "content/meetings/planning-committee/2020-03-18.md": POSTPONED_MEETING,
    }, search=False)


def load(output: Path, name: str) -> dict[str, Any]:
    """A file of open data; the meetings or decisions of the whole site put together from their
    pieces, one for each board and year, in the order of the register (by date, then board)."""
    if name not in PIECES:
        return json.loads((output / "data" / f"{name}.json").read_text(encoding="utf-8"))
    whole: dict[str, Any] | None = None
    for piece in pieces(output, name):
        document = json.loads(piece.read_text(encoding="utf-8"))
        if whole is None:
            whole = document
        else:
            whole[KEYS[name]] += document[KEYS[name]]
    assert whole is not None, f"no {name} in /data/index.json"
    entries = whole[KEYS[name]]
    if name == "events":
        entries.sort(key=lambda event: event["start_date"][:10])
    else:
        entries.sort(key=lambda decision: decision["date"], reverse=True)
    return whole


def pieces(output: Path, name: str) -> list[Path]:
    """The files of meetings or decisions /data/index.json lists, in its order."""
    index = json.loads((output / "data" / "index.json").read_text(encoding="utf-8"))
    base = index["url"]
    return [output / entry["url"][len(base):] for entry in index["files"] if entry["url"].endswith(f"/{name}.json")]


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def strings(value: Any) -> Iterator[str]:
    """Every string anywhere in a JSON value, keys excepted."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for entry in value.values():
            yield from strings(entry)
    elif isinstance(value, list):
        for entry in value:
            yield from strings(entry)


def html_urls(output: Path) -> set[str]:
    """The site URL of every HTML page in the output."""
    found = set()
    for path in output.rglob("*.html"):
        rel = path.relative_to(output).as_posix()
        if not rel.startswith("pagefind/"):
            found.add("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return found


def resolves(output: Path, base: str, address: str) -> bool:
    """An absolute address on the site leads to a file of the output (and its anchor, if any)."""
    path, _, fragment = address[len(base):].partition("#")
    target = output / path / "index.html" if path == "" or path.endswith("/") else output / path
    if not target.is_file():
        return False
    return not fragment or page(output, "/" + path).find(id=fragment) is not None


# --- The JSON files and their schemas --------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema_and_is_published_as_shipped(example_output: Path,
                                                                                name: str) -> None:
    Draft202012Validator.check_schema(schema(name))
    assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    published = example_output / "data" / "schema" / f"{name}.schema.json"
    assert published.read_bytes() == (SCHEMAS / f"{name}.schema.json").read_bytes()


def test_an_edited_schema_is_published_again_by_the_next_build(tmp_path: Path) -> None:
    """The schemas are part of Minutes, not of the site: after Minutes changes one, the next
    build (a new process, as every build is) must not leave the old one published."""
    minutes = tmp_path / "minutes"  # a copy of Minutes to change, run as a new process each build
    shutil.copytree(ROOT / "generator", minutes / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "layouts", minutes / "layouts")
    site, output = make_site(tmp_path / "site", {}), tmp_path / "out"

    def build() -> None:
        done = subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output),
                               "--no-search"], env={**os.environ, "PYTHONPATH": str(minutes)}, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr

    build()
    shipped = minutes / "generator/outputs/schemas/decisions.schema.json"
    edited = json.loads(shipped.read_text())
    edited["description"] = "Every decision, in a piece for each board and year."
    shipped.write_text(json.dumps(edited, indent=2) + "\n")
    build()
    assert (output / "data/schema/decisions.schema.json").read_bytes() == shipped.read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_every_json_file_is_valid_against_its_schema(example_output: Path, small_output: Path, name: str) -> None:
    validator = Draft202012Validator(schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
    for output, base in ((example_output, EXAMPLE_BASE), (small_output, SMALL_BASE)):
        document = load(output, name)
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        assert errors == [], output
        assert document["$schema"] == f"{base}data/schema/{name}.schema.json"
        assert document[KEYS[name]], f"{name} of {output} is empty"


@pytest.mark.parametrize("name", NAMES)
def test_json_is_sorted_indented_utf8_with_a_final_newline(example_output: Path, name: str) -> None:
    for path in pieces(example_output, name) if name in PIECES else [example_output / "data" / f"{name}.json"]:
        raw = path.read_text(encoding="utf-8")
        assert raw == json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def test_the_licence_line_travels_with_the_data(example_output: Path) -> None:
    for name in NAMES:
        assert load(example_output, name)["licence"].startswith("Contains public sector information licensed under")


# --- What a data user would notice ---------------------------------------------------------------

def test_every_meeting_is_an_event_with_its_agenda(example_output: Path) -> None:
    records = full_records(EXAMPLE)
    events = {e["id"]: e for e in load(example_output, "events")["events"]}
    assert len(events) == len(records.meetings)
    for meeting in records.meetings:
        event = events[f"event/{meeting.board}/{meeting.slug}"]
        assert [a["description"] for a in event["agenda"]] == [i.title for i in meeting.items]
        assert [a["order"] for a in event["agenda"]] == [str(n) for n in range(1, len(meeting.items) + 1)]
        assert event["url"] == f"{EXAMPLE_BASE}boards/{meeting.board}/{meeting.slug}/"
        assert event["start_date"].startswith(meeting.date.isoformat())
        assert event["participants"][0] == {"entity_type": "organization", "id": f"board/{meeting.board}",
                                            "name": records.boards[meeting.board].name, "note": "host", "role": None}
        assert len(event["documents"]) == len(meeting.documents)
    agenda = events["event/children-young-people-families-ppb/2016-01-04"]
    assert agenda["start_date"] == "2016-01-04T18:30:00+00:00"
    assert agenda["location"]["name"] == "Civic Suite, Town Hall, Runcorn"
    assert agenda["status"] == "passed" and agenda["minutes"] == "none"
    report = next(d for d in agenda["documents"] if d["note"] == "Public Question Time")
    assert report == {"note": "Public Question Time", "kind": "report", "media_type": "text/html", "item_id": "3",
                      "url": f"{EXAMPLE_BASE}boards/children-young-people-families-ppb/2016-01-04/reports/public-question-time/"}
    exb77 = events["event/executive-board/2010-12-16"]["agenda"][0]
    assert exb77["reference"] == "EXB77" and exb77["classification"] == ["decision", "key-decision"]
    assert exb77["decision_id"] == "decision/executive-board/2010-12-16/exb77"
    assert exb77["notes"][-1].startswith("RESOLVED: That")


def test_organisations_are_the_councils_and_their_boards(example_output: Path) -> None:
    organisations = {o["id"]: o for o in load(example_output, "organizations")["organizations"]}
    assert organisations["organisation/halton"]["name"] == "Halton Borough Council"
    assert organisations["organisation/halton"]["parent_id"] is None
    board = organisations["board/executive-board"]
    assert board["classification"] == "cabinet" and board["parent_id"] == "organisation/halton"
    assert board["url"] == f"{EXAMPLE_BASE}boards/executive-board/"
    for organisation in organisations.values():
        assert organisation["parent_id"] is None or organisation["parent_id"] in organisations


def test_memberships_join_people_and_boards(example_output: Path) -> None:
    people = {p["id"] for p in load(example_output, "people")["persons"]}
    boards = {o["id"] for o in load(example_output, "organizations")["organizations"]}
    memberships = load(example_output, "memberships")["memberships"]
    assert memberships
    assert len({m["id"] for m in memberships}) == len(memberships)
    for membership in memberships:
        assert membership["person_id"] in people and membership["organization_id"] in boards


def test_decisions_csv_has_a_row_per_decision_with_the_register_columns_and_its_standing(example_output: Path) -> None:
    raw = (example_output / "data" / "decisions.csv").read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == ["date", "board", "reference", "title", "key_decision", "decision_maker", "url",
                       "minutes", "call_in_deadline", "call_in_status", "effective_from"]
    decisions = load(example_output, "decisions")["decisions"]
    linked, _ = check_site(EXAMPLE)
    assert linked is not None
    assert len(rows) - 1 == len(decisions) == len(linked.decisions) > 0
    for row, decision in zip(rows[1:], decisions):
        call_in = decision["call_in"] or {}
        assert row == [decision["date"], decision["board"], decision["reference"] or "", decision["title"],
                       "yes" if decision["key_decision"] else "no", decision["decision_maker"], decision["url"],
                       decision["minutes"], call_in.get("deadline") or "", call_in.get("status") or "",
                       decision["effective_from"] or ""]
    exb77 = next(row for row in rows if row[2] == "EXB77")
    assert exb77 == ["2010-12-16", "Executive Board", "EXB77", "Traded services for learning and achievement", "yes",
                     "Executive Board", f"{EXAMPLE_BASE}boards/executive-board/2010-12-16/exb77/", "approved", "", "", ""]
    draft = next(row for row in rows if row[6].endswith("/2015-12-10/exb79/"))
    assert draft[7:] == ["draft", "", "", "2016-04-01"]
    dates = [row[0] for row in rows[1:]]
    assert dates == sorted(dates, reverse=True)


def test_the_csv_and_json_give_a_decisions_call_in_and_draft_standing(small_output: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((small_output / "data" / "decisions.csv").read_text(encoding="utf-8"))))
    pc6 = next(row for row in rows if row["reference"] == "PC6")
    assert (pc6["minutes"], pc6["call_in_deadline"], pc6["call_in_status"]) == ("approved", "2020-06-24", "not called in")
    decisions = {d["reference"]: d for d in load(small_output, "decisions")["decisions"]}
    assert decisions["PC6"]["minutes"] == "approved"
    assert decisions["PC6"]["call_in"] == {"deadline": "2020-06-24", "status": "not called in"}


def test_absolute_urls_point_at_pages_that_exist(example_output: Path, small_output: Path) -> None:
    for output, base in ((example_output, EXAMPLE_BASE), (small_output, SMALL_BASE)):
        checked = 0
        for name in NAMES:
            for value in strings(load(output, name)):
                if value.startswith(base):
                    assert resolves(output, base, value), value
                    checked += 1
                elif "](" in value:  # a cross-reference made a Markdown link keeps to the site
                    assert f"]({base}" in value, value
        assert checked > 20


def test_cross_references_become_ordinary_links_to_absolute_addresses(small_output: Path) -> None:
    event = next(e for e in load(small_output, "events")["events"] if e["id"] == "event/planning-committee/2020-06-17")
    [minute, resolution] = event["agenda"][1]["notes"]
    assert minute == (f"The Committee considered the revised application; see "
                      f"[PC2 Land at Mill Lane]({SMALL_BASE}boards/planning-committee/2020-01-15/pc2/). "
                      f"Moved by **Councillor** [Jane Smith]({SMALL_BASE}people/jane-smith/).")
    assert resolution == "RESOLVED: That planning permission be granted."
    for path in (small_output / "data").rglob("*.json"):
        assert "[[" not in path.read_text(encoding="utf-8")


def test_times_carry_the_offset_of_the_day_and_statuses_map_to_open_civic_data(small_output: Path) -> None:
    events = {e["id"]: e for e in load(small_output, "events")["events"]}
    winter = events["event/planning-committee/2020-01-15"]
    summer = events["event/planning-committee/2020-06-17"]
    assert winter["start_date"] == "2020-01-15T18:30:00+00:00" and winter["end_date"] is None
    assert summer["start_date"] == "2020-06-17T18:30:00+01:00" and summer["end_date"] == "2020-06-17T20:05:00+01:00"
    assert (summer["status"], summer["meeting_status"]) == ("passed", "held")
    assert events["event/planning-committee/2024-03-20"]["status"] == "confirmed"
    postponed = events["event/planning-committee/2020-03-18"]
    assert (postponed["status"], postponed["meeting_status"], postponed["start_date"]) == ("cancelled", "postponed", "2020-03-18")


def test_participants_declarations_votes_and_documents(small_output: Path) -> None:
    event = next(e for e in load(small_output, "events")["events"] if e["id"] == "event/planning-committee/2020-06-17")
    assert [(p["id"], p["note"], p["role"]) for p in event["participants"]] == [
        ("board/planning-committee", "host", None),
        ("person/jane-smith", "present", "Chair"),
        ("person/omar-khan", "present", None),
        ("person/lee-jones", "in attendance", None),
        (None, "in attendance", "Halton CCG"),
    ]
    assert event["declarations"] == [{"person_id": "person/omar-khan", "name": "Omar Khan", "item_id": "pc6",
                                      "interest": "Other registrable interest", "note": "lives on Mill Lane"}]
    assert event["documents"] == [{"note": "Application 20/0123", "url": "https://planning.example.org/20-0123.pdf",
                                   "media_type": "application/pdf", "kind": "link", "item_id": "pc6"}]
    pc6 = event["agenda"][1]
    assert [(r["entity_type"], r["id"], r["note"]) for r in pc6["related_entities"]] == [
        ("decision", "decision/planning-committee/2020-06-17/pc6", None),
        ("person", "person/omar-khan", "declared an interest: Other registrable interest (lives on Mill Lane)"),
        ("person", "person/jane-smith", "voted for"),
        ("person", "person/omar-khan", "voted against"),
    ]
    assert pc6["subjects"] == ["mill-lane"] and pc6["wards"] == ["Mill"]
    decision = next(d for d in load(small_output, "decisions")["decisions"] if d["reference"] == "PC6")
    assert decision["votes"] == {"for": {"count": 1, "person_ids": ["person/jane-smith"]},
                                 "against": {"count": 1, "person_ids": ["person/omar-khan"]},
                                 "abstain": {"count": 0, "person_ids": []}}
    assert decision["call_in"] == {"deadline": "2020-06-24", "status": "not called in"}
    assert decision["documents"] == event["documents"]


def test_recordings_and_each_items_moment_are_in_the_data(small_output: Path) -> None:
    event = next(e for e in load(small_output, "events")["events"] if e["id"] == "event/planning-committee/2020-06-17")
    recording = {"name": "Webcast of the meeting", "type": "recording", "kind": "video",
                 "links": [{"media_type": None, "url": "https://www.youtube.com/watch?v=abc123"}]}
    assert event["media"] == [recording | {"offset": None}]
    assert event["agenda"][1]["media"] == [recording | {"offset": 2530}]
    assert event["agenda"][0]["media"] == []
    decision = next(d for d in load(small_output, "decisions")["decisions"] if d["reference"] == "PC6")
    assert decision["media"] == [recording | {"offset": 2530}]


def test_an_exempt_item_appears_only_by_reference_title_and_paragraph(small_output: Path) -> None:
    event = next(e for e in load(small_output, "events")["events"] if e["id"] == "event/planning-committee/2020-06-17")
    exempt = event["agenda"][2]
    assert exempt == {
        "order": "3",
        "id": "pc7",
        "reference": "PC7",
        "description": "Enforcement at Moor Farm",
        "url": f"{SMALL_BASE}boards/planning-committee/2020-06-17/#pc7",
        "classification": ["exempt"],
        "exempt_paragraph": 5,
        "notes": [opendata.EXEMPT_NOTE.format(5)],
        "key_decision": None,
        "decision_id": None,
        "subjects": [],
        "wards": [],
        "related_entities": [],
        "media": [],
    }
    for path in [small_output / "data" / f"{name}.json" for name in ("people", "organizations", "memberships")] + pieces(
            small_output, "decisions"):
        raw = path.read_text(encoding="utf-8")
        assert "PC7" not in raw and "Moor Farm" not in raw and "pc7" not in raw, path
    csv_text = (small_output / "data" / "decisions.csv").read_text(encoding="utf-8")
    assert "PC7" not in csv_text and "Moor Farm" not in csv_text


def test_ids_are_stable_across_builds_and_when_records_are_added(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    first = _build(site, tmp_path / "first")
    again = _build(site, tmp_path / "again")

    def ids(output: Path) -> dict[str, dict[str, Any]]:
        return {entry["id"]: entry for name in NAMES if name != "index" for entry in load(output, name)[KEYS[name]]}

    before = ids(first)
    assert before == ids(again)
    assert {"person/jane-smith", "board/planning-committee", "organisation/example", "event/planning-committee/2020-01-15",
            "decision/planning-committee/2020-01-15/pc2", "membership/planning-committee/jane-smith/1"} <= set(before)
    board = site / "content/boards/planning-committee.md"
    board.write_text(board.read_text().replace("  - {person: omar-khan}\n",
                                               "  - {person: omar-khan}\n  - {person: amy-adams, role: Adviser}\n"))
    (site / "content/people/amy-adams.md").write_text("---\nname: Amy Adams\nrole: officer\n---\n")
    (site / "content/meetings/planning-committee/2020-06-17.md").write_text(SUMMER_MEETING)
    after = ids(_build(site, tmp_path / "after"))
    for key, entry in before.items():
        assert after[key].get("url") == entry.get("url"), key
        if key.startswith(("person/", "membership/", "organisation/", "board/")):
            assert after[key] == entry, key


def test_every_attachment_type_has_a_media_type() -> None:
    assert sorted(t for t in ATTACHMENT_TYPES if t not in opendata.MEDIA_TYPES) == []


# --- The page that lists the data -------------------------------------------------------------------

def size_text(size: int) -> str:
    return f"{size} bytes" if size < 1000 else f"{size / 1000:.1f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def data_listing(output: Path, url: str = "/data/") -> dict[str, dict[str, Any]]:
    """Each file the data page lists, by its site URL: its facts, and where its links lead."""
    listed = {}
    for entry in page(output, url).select("ul.datasets > li"):
        [(target, _)] = internal_links(url, entry.select_one("h3"))
        facts = {text(div.dt): div.dd for div in entry.select("dl > div")}
        listed[target] = {"facts": {key: text(value) for key, value in facts.items()},
                          "schema": [t for t, _ in internal_links(url, facts["Schema"])] if "Schema" in facts else []}
    return listed


def test_the_data_page_lists_every_data_file_with_what_it_holds_its_schema_licence_and_size(example_output: Path) -> None:
    listed = data_listing(example_output)
    files = {"/" + p.relative_to(example_output).as_posix() for p in (example_output / "data").rglob("*")
             if p.is_file() and p.name != "index.html" and "schema" not in p.parts}
    index = json.loads((example_output / "data/index.json").read_text(encoding="utf-8"))
    assert set(listed) == files == {urlsplit(entry["url"]).path.removeprefix("/minutes") for entry in index["files"]} | {
        "/data/index.json"}
    licence = "Contains public sector information licensed under the Open Government Licence v3.0."
    for url, entry in listed.items():
        facts = entry["facts"]
        assert facts["Holds"] and facts["Licence"] == licence, url
        assert facts["Size"] == size_text((example_output / url.lstrip("/")).stat().st_size), url
        if url.endswith(".json"):
            assert facts["Format"] == "JSON"
            assert entry["schema"] == [f"/data/schema/{url.rsplit('/', 1)[-1].replace('.json', '.schema.json')}"], url
            assert (example_output / entry["schema"][0].lstrip("/")).is_file()
        else:
            assert facts["Format"] == "CSV" and facts["Schema"].startswith("Columns: date, board, reference")
    soup = page(example_output, "/data/")
    assert "/data/" in dict(internal_links("/", page(example_output, "/").select_one("footer")))
    [catalog] = json_ld(soup)
    assert catalog["@type"] == "DataCatalog" and len(catalog["dataset"]) == len(files)
    assert catalog["license"] == licence


def test_a_boards_meetings_and_decisions_are_a_file_for_each_year_listed_in_the_index(example_output: Path) -> None:
    """A large council's twenty years are too much for one download, and an edit rewrites one
    piece: each board's meetings and decisions are published year by year, and every piece is
    in /data/index.json with its board and year."""
    index = json.loads((example_output / "data/index.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("index")).validate(index)
    by_path = {urlsplit(entry["url"]).path.removeprefix("/minutes"): entry for entry in index["files"]}
    executive = {path: entry for path, entry in by_path.items() if entry["board"] == "executive-board"}
    assert set(executive) == {f"/data/boards/executive-board/{year}/{name}.json"
                              for year in (2010, 2015) for name in ("events", "decisions")}
    assert {entry["year"] for entry in executive.values()} == {2010, 2015}
    events = json.loads((example_output / "data/boards/executive-board/2010/events.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("events")).validate(events)
    assert [event["id"] for event in events["events"]] == ["event/executive-board/2010-12-16"]
    assert by_path["/data/people.json"]["board"] is None and by_path["/data/people.json"]["year"] is None


def test_a_boards_page_links_to_the_section_of_the_data_page_with_its_files(example_output: Path) -> None:
    soup = page(example_output, "/boards/executive-board/")
    section = soup.find(id="open-data").find_parent("section")
    assert dict(internal_links("/boards/executive-board/", section)) == {"/data/": "board-executive-board"}
    data = page(example_output, "/data/")
    listed = data.find(id="board-executive-board").find_parent("section")
    assert {link for link, _ in internal_links("/data/", listed)} == {
        f"/data/boards/executive-board/{year}/{name}.json" for year in (2010, 2015) for name in ("events", "decisions")
    } | {"/data/schema/events.schema.json", "/data/schema/decisions.schema.json"}


# --- Page metadata ---------------------------------------------------------------------------------

def json_ld(soup) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def test_a_meeting_page_has_an_event_in_json_ld(example_output: Path) -> None:
    [event] = json_ld(page(example_output, "/boards/children-young-people-families-ppb/2016-01-04/"))
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == "Children, Young People and Families Policy and Performance Board, 4 January 2016"
    assert event["startDate"] == "2016-01-04T18:30:00+00:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"] == {"@type": "Place", "name": "Civic Suite, Town Hall, Runcorn",
                                 "address": "Civic Suite, Town Hall, Runcorn"}
    assert event["url"] == f"{EXAMPLE_BASE}boards/children-young-people-families-ppb/2016-01-04/"
    organizer = event["organizer"]
    assert organizer["@type"] == "GovernmentOrganization"
    assert organizer["name"] == "Children, Young People and Families Policy and Performance Board"
    assert organizer["parentOrganization"] == {"@type": "GovernmentOrganization", "name": "Halton Borough Council"}


def test_a_board_page_has_a_government_organization_in_json_ld(example_output: Path) -> None:
    [board] = json_ld(page(example_output, "/boards/executive-board/"))
    assert board == {"@context": "https://schema.org", "@type": "GovernmentOrganization", "name": "Executive Board",
                     "url": f"{EXAMPLE_BASE}boards/executive-board/",
                     "parentOrganization": {"@type": "GovernmentOrganization", "name": "Halton Borough Council"}}


def test_the_home_page_decisions_people_and_reports_carry_json_ld_of_their_kind(example_output: Path) -> None:
    [home] = json_ld(page(example_output, "/"))
    assert home["@context"] == "https://schema.org" and home["@type"] == "WebSite"
    assert home["name"] == "Children's services decisions" and home["url"] == EXAMPLE_BASE
    assert home["publisher"] == {"@type": "GovernmentOrganization", "name": "Halton Borough Council"}
    assert home["potentialAction"] == {"@type": "SearchAction", "target": EXAMPLE_BASE + "search/?q={query}",
                                       "query-input": "required name=query"}
    for url, name in (("/decisions/", "Decisions"), ("/decisions/key/", "Key decisions"),
                      ("/decisions/2010/", "Decisions made in 2010"), ("/people/", "People")):
        [listing] = json_ld(page(example_output, url))
        assert listing["@type"] == "CollectionPage" and listing["name"] == name, url
        assert listing["url"] == EXAMPLE_BASE + url.lstrip("/") and listing["isPartOf"]["url"] == EXAMPLE_BASE
    [decision] = json_ld(page(example_output, "/boards/executive-board/2010-12-16/exb77/"))
    assert decision["@type"] == "CreativeWork" and decision["name"] == "EXB77 Traded services for learning and achievement"
    assert decision["datePublished"] == "2010-12-16" and decision["creativeWorkStatus"] == "Published"
    assert decision["author"]["name"] == "Executive Board" and decision["recordedAt"]["@type"] == "Event"
    assert decision["url"] == f"{EXAMPLE_BASE}boards/executive-board/2010-12-16/exb77/"
    [draft] = json_ld(page(example_output, "/boards/executive-board/2015-12-10/exb79/"))
    assert draft["creativeWorkStatus"] == "Draft"
    [person] = json_ld(page(example_output, "/people/mark-dennett/"))
    assert person == {"@context": "https://schema.org", "@type": "Person", "name": "Mark Dennett",
                      "honorificPrefix": "Councillor", "url": f"{EXAMPLE_BASE}people/mark-dennett/",
                      "affiliation": {"@type": "Organization", "name": "Labour"},
                      "worksFor": {"@type": "GovernmentOrganization", "name": "Halton Borough Council"}}
    report_url = "/boards/children-young-people-families-ppb/2016-01-04/reports/independent-living-skills/"
    [report] = json_ld(page(example_output, report_url))
    assert report["@type"] == "Report" and report["name"] == "Independent Living Skills"
    assert report["datePublished"] == "2016-01-04" and report["url"] == EXAMPLE_BASE + report_url.lstrip("/")
    assert report["publisher"] == {"@type": "GovernmentOrganization", "name": "Halton Borough Council"}


def test_json_ld_statuses_times_and_text_that_could_end_the_script(small_output: Path) -> None:
    [summer] = json_ld(page(small_output, "/boards/planning-committee/2020-06-17/"))
    assert (summer["startDate"], summer["endDate"]) == ("2020-06-17T18:30:00+01:00", "2020-06-17T20:05:00+01:00")
    [postponed] = json_ld(page(small_output, "/boards/planning-committee/2020-03-18/"))
    assert postponed["eventStatus"] == "https://schema.org/EventPostponed" and "location" not in postponed
    raw = (small_output / "boards/planning-committee/2024-03-20/index.html").read_text(encoding="utf-8")
    script = raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    [future] = json_ld(page(small_output, "/boards/planning-committee/2024-03-20/"))
    assert future["name"].endswith("(Special meeting </script><script>alert(1)</script>)")


def test_json_script_escapes_what_html_would_read() -> None:
    assert str(json_script({"a": "</script> & <!--"})) == '{\n  "a": "\\u003c/script\\u003e \\u0026 \\u003c!--"\n}'
    assert json.loads(str(json_script({"a": "</script> & <!--"}))) == {"a": "</script> & <!--"}


def test_every_page_has_opengraph_metadata(example_output: Path) -> None:
    for url in html_urls(example_output):
        soup = page(example_output, url)
        og = {meta["property"]: meta["content"] for meta in soup.find_all("meta", property=True)}
        assert og["og:title"].strip(), url
        assert og["og:site_name"] == "Children's services decisions", url
        assert og["og:url"] == EXAMPLE_BASE + url.lstrip("/"), url
        assert og["og:type"] in ("website", "article", "profile"), url
        canonical = soup.find("link", rel="canonical")
        assert canonical is None or canonical["href"] == og["og:url"], url
    meeting = page(example_output, "/boards/executive-board/2010-12-16/")
    og = {meta["property"]: meta["content"] for meta in meeting.find_all("meta", property=True)}
    assert og["og:title"] == "Executive Board, 16 December 2010" and og["og:type"] == "article"
    assert og["og:description"] == "Minutes of the meeting of the Executive Board held on Thursday 16 December 2010."
    home = {m["property"]: m["content"] for m in page(example_output, "/").find_all("meta", property=True)}
    assert home["og:title"] == "Children's services decisions" and home["og:type"] == "website"


# --- Sitemap and robots.txt ------------------------------------------------------------------------

def sitemap(output: Path) -> dict[str, str | None]:
    root = ET.parse(output / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    entries = [(url.findtext("s:loc", namespaces=ns), url.findtext("s:lastmod", namespaces=ns))
               for url in root.findall("s:url", ns)]
    locs = [loc for loc, _ in entries]
    assert len(locs) == len(set(locs)), "a page is listed twice"
    return dict(entries)


def test_the_sitemap_lists_every_page_once_with_the_date_of_its_content(example_output: Path) -> None:
    entries = sitemap(example_output)
    assert set(entries) == {EXAMPLE_BASE + url.lstrip("/") for url in html_urls(example_output) if url != "/404.html"}
    linked, _ = check_site(EXAMPLE)
    assert linked is not None
    meeting_dates = {m.date.isoformat() for m in linked.site.meetings}
    assert all(lastmod in meeting_dates for lastmod in entries.values())
    for meeting in linked.site.meetings:
        assert entries[f"{EXAMPLE_BASE}boards/{meeting.board}/{meeting.slug}/"] == meeting.date.isoformat()
    for report in linked.site.reports:
        url = f"{EXAMPLE_BASE}boards/{report.board}/{report.meeting}/reports/{report.slug}/"
        assert entries[url] == report.meeting[:10]
    assert entries[f"{EXAMPLE_BASE}boards/executive-board/2010-12-16/exb77/"] == "2010-12-16"
    assert entries[f"{EXAMPLE_BASE}boards/executive-board/"] == "2015-12-10"
    newest = max(meeting_dates)
    assert entries[EXAMPLE_BASE] == entries[f"{EXAMPLE_BASE}decisions/"] == newest


def test_sitemap_dates_of_people_and_meetings_still_to_come(small_output: Path) -> None:
    entries = sitemap(small_output)
    today = "2023-11-14"  # SOURCE_DATE_EPOCH of the tests
    assert entries[f"{SMALL_BASE}boards/planning-committee/2024-03-20/"] == today  # never a date in the future
    assert entries[f"{SMALL_BASE}boards/planning-committee/"] == today
    assert entries[f"{SMALL_BASE}people/jane-smith/"] == "2020-06-17"
    assert entries[f"{SMALL_BASE}people/lee-jones/"] == "2020-06-17"


def test_robots_txt_allows_everything_and_names_the_sitemap(example_output: Path) -> None:
    robots = (example_output / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {EXAMPLE_BASE}sitemap.xml\n"


# --- The 404 page ----------------------------------------------------------------------------------

def test_the_404_page_helps_and_its_links_work_from_any_depth(example_output: Path) -> None:
    soup = page(example_output, "/404.html")
    assert [text(h) for h in soup.find_all("h1")] == ["Page not found"]
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical") is None
    # Shown at any depth, so its links start at the path the site is published under.
    root = urlsplit(EXAMPLE_BASE).path
    links = [element.get("href") or element.get("src") for element in soup.find_all(href=True) + soup.find_all(src=True)]
    for link in links:
        assert link in ("#main", "data:,") or link.startswith(root), link
        if link.startswith(root):
            assert resolves(example_output, EXAMPLE_BASE, "https://records.example.org" + link), link
    main = soup.find("main")
    for url in ("", "boards/", "decisions/", "people/"):
        assert main.find("a", href=root + url) is not None, url
    assert soup.find("link", rel="stylesheet")["href"] == f"{root}static/style.css"


def test_the_404_page_uses_the_sites_own_address(tmp_path: Path) -> None:
    site = copy_site(MINIMAL, tmp_path / "site")
    output = _build(site, tmp_path / "out")
    home = page(output, "/404.html").find("main").find("a")
    assert home["href"] == urlsplit(SMALL_BASE).path


def test_the_events_schema_itself_refuses_anything_more_about_an_exempt_item(small_output: Path) -> None:
    validator = Draft202012Validator(schema("events"))
    document = load(small_output, "events")
    assert validator.is_valid(document)
    event = next(e for e in document["events"] if e["id"] == "event/planning-committee/2020-06-17")
    exempt = event["agenda"][2]
    for leak in ({"notes": ["The valuation of Moor Farm"]}, {"key_decision": True}, {"wards": ["Moor"]},
                 {"subjects": ["moor-farm"]}, {"decision_id": "decision/planning-committee/2020-06-17/pc7"},
                 {"text": "anything"}):
        event["agenda"][2] = exempt | leak
        assert not validator.is_valid(document), leak


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2 ** 53), 2 ** 53) | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
@settings(max_examples=300, deadline=None)
def test_published_json_is_what_the_standard_library_writes(value: Any) -> None:
    """Open data and JSON-LD are written with orjson for speed: byte for byte what json.dumps
    writes, control characters, line separators and empty collections included."""
    assert opendata.json_text(value) == json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")

"""Front matter: YAML with the position of every value (generator/source/frontmatter.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from datetime import timedelta

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import Diagnostic, Position
from generator.source.frontmatter import (
    MAX_FRONT_MATTER_BYTES,
    MAX_NODES,
    Document,
    parse_yaml,
    split_document,
)
from generator.source.text import TextFile, decode

BOARD = """\
---
name: Planning Committee
kind: committee
members:
  - person: jane-smith
    role: Chair
  - {person: omar-khan, from: 2020-05-20}
items:
  PC2:
    votes: {for: 8, against: [omar-khan]}
---
Determines planning applications.
"""


def document(text: str) -> Document:
    doc, problems = split_document("x.md", text)
    assert doc is not None and problems == [], problems
    return doc


def problems(text: str) -> list[tuple[int, int, str]]:
    doc, found = split_document("x.md", text)
    assert doc is None and found, "expected the document to be refused"
    return [(d.line, d.column, d.message) for d in found]


# --- Values and where they were written ------------------------------------------------------------

def test_values_are_plain_python_values() -> None:
    doc = document(BOARD)
    assert doc.data == {
        "name": "Planning Committee",
        "kind": "committee",
        "members": [{"person": "jane-smith", "role": "Chair"},
                    {"person": "omar-khan", "from": dt.date(2020, 5, 20)}],
        "items": {"PC2": {"votes": {"for": 8, "against": ["omar-khan"]}}},
    }


@pytest.mark.parametrize("path, line, column", [
    (("name",), 2, 7),
    (("members", 0), 5, 5),
    (("members", 0, "role"), 6, 11),
    (("members", 1), 7, 5),
    (("members", 1, "from"), 7, 31),
    (("items", "PC2", "votes", "for"), 10, 18),
    (("items", "PC2", "votes", "against", 0), 10, 31),
])
def test_at_gives_the_line_and_column_in_the_file(path: tuple, line: int, column: int) -> None:
    assert document(BOARD).at(path) == Position(line, column)


def test_at_falls_back_to_the_nearest_enclosing_value() -> None:
    doc = document(BOARD)
    assert doc.at(("members", 1, "to")) == doc.at(("members", 1)) == Position(7, 5)
    assert doc.at(("missing", "deeper")) == doc.at(())


def test_key_at_gives_the_key_itself() -> None:
    doc = document(BOARD)
    assert doc.key_at(("members",)) == Position(4, 1)
    assert doc.key_at(("members", 1, "from")) == Position(7, 25)
    assert doc.key_at(("items", "PC2")) == Position(9, 3)


def test_the_body_and_its_first_line() -> None:
    doc = document(BOARD)
    assert doc.body == "Determines planning applications.\n"
    assert doc.body_line == 12


@pytest.mark.parametrize("written, value", [
    ("18:30", "18:30"),  # YAML 1.1 would read this as the number 1110
    ('"18:30"', "18:30"),
    ("9:05", "9:05"),
    ("18:30:15", "18:30:15"),
    ("2020-01-15", dt.date(2020, 1, 15)),
    ("12", 12),
    ("true", True),
    ("Council Chamber", "Council Chamber"),
    ("", None),
])
def test_scalars(written: str, value: object) -> None:
    assert parse_yaml("x", f"start: {written}").value == {"start": value}


def test_an_unquoted_time_as_a_key_stays_as_written() -> None:
    assert parse_yaml("x", "18:30: a").value == {"18:30": "a"}


def test_every_key_is_text_as_written() -> None:
    parsed = parse_yaml("x", "items:\n  010: a\n  2.10: b\n  yes: c")
    assert parsed.value == {"items": {"010": "a", "2.10": "b", "yes": "c"}}
    assert parsed.key_positions[("items", "010")] == Position(2, 3)


def test_small_aliases_are_allowed() -> None:
    assert parse_yaml("x", "a: &v Council Chamber\nb: *v").value == {"a": "Council Chamber", "b": "Council Chamber"}


# --- Problems, located in the file ------------------------------------------------------------------

def test_a_duplicate_key_is_reported_at_the_second_one() -> None:
    found = problems("---\nname: Sam\nrole: officer\nname: Samuel\n---\n")
    assert found == [(4, 1, "the key 'name' is given twice")]


def test_a_duplicate_key_inside_a_list_entry_is_reported() -> None:
    found = problems("---\nmembers:\n  - person: jane-smith\n    role: Chair\n    person: omar-khan\n---\n")
    assert found == [(5, 5, "the key 'person' is given twice")]


def test_every_duplicate_key_is_reported() -> None:
    parsed = parse_yaml("x", "a: 1\na: 2\nb: 1\nb: 2")
    assert [(d.line, d.message) for d in parsed.problems] == [(2, "the key 'a' is given twice"),
                                                               (4, "the key 'b' is given twice")]


def test_an_impossible_date_is_reported_where_it_was_written() -> None:
    found = problems("---\nstatus: held\ndate: 2015-02-30\n---\n")
    assert found == [(3, 7, "'2015-02-30' is not a real date")]


def test_yaml_syntax_errors_are_located_in_the_file_not_the_block() -> None:
    found = problems("---\nname: Sam\nposition: Head of Planning: Development\n---\n")
    assert len(found) == 1
    line, column, message = found[0]
    assert (line, column) == (3, 27)
    assert message.startswith("the front matter is not valid YAML")


def test_each_line_indented_with_a_tab_is_reported() -> None:
    found = problems("---\nmembers:\n\t- jane-smith\n  - omar-khan\n \t- lee-jones\n---\n")
    assert found == [(3, 1, "a tab is used to indent the front matter"),
                     (5, 2, "a tab is used to indent the front matter")]


def test_a_tab_inside_a_value_is_fine() -> None:
    assert document("---\nname: Sam\tTaylor\n---\n").data == {"name": "Sam\tTaylor"}


def test_a_key_must_be_a_plain_word() -> None:
    assert problems("---\nitems:\n  [PC1, PC2]: {key_decision: true}\n---\n") == [(3, 3, "a key must be a plain word")]


def test_front_matter_that_is_not_fields_is_refused() -> None:
    assert problems("---\n- Sam Taylor\n---\n") == [(2, 1, "the front matter must be a list of 'field: value' lines")]
    assert problems("---\nSam Taylor\n---\n") == [(2, 1, "the front matter must be a list of 'field: value' lines")]


def test_an_alias_bomb_is_refused() -> None:
    layers = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    layers += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    parsed = parse_yaml("x", "\n".join(layers))
    assert parsed.value is None
    assert [d.message for d in parsed.problems] == [f"the front matter is too complex (more than {MAX_NODES} values)"]


def test_nesting_beyond_the_recursion_limit_is_reported() -> None:
    parsed = parse_yaml("x", "a: " + "[" * 3000 + "]" * 3000)
    assert [d.message for d in parsed.problems] == ["the front matter is nested too deeply"]


def test_very_deep_nesting_is_reported_not_a_crash() -> None:
    program = ("from generator.source.frontmatter import split_document\n"
               "doc, found = split_document('x.md', '---\\nward: ' + '[' * 50000 + ']' * 50000 + '\\n---\\n')\n"
               "print(found[0].message)\n")
    run = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.returncode
    assert "nested too deeply" in run.stdout


@pytest.mark.parametrize("text", ["key_decision: !!bool maybe", "date: !!timestamp next week"])
def test_an_unreadable_tagged_value_is_a_problem_not_a_crash(text: str) -> None:
    parsed = parse_yaml("x", text)
    assert parsed.problems and parsed.problems[0].message.startswith("cannot read the value")
    assert parsed.problems[0].hint.startswith("remove the tag '!!")


def test_an_unknown_tag_is_a_problem() -> None:
    assert problems("---\nname: !person Sam Taylor\n---\n") == [(2, 7, "the YAML tag '!person' is not understood")]
    assert problems("---\nmembers: !team [jane-smith]\n---\n") == [(2, 10, "the YAML tag '!team' is not understood")]


def test_deep_block_nesting_is_refused_before_parsing() -> None:
    assert problems("---\nward:\n" + "- " * 2000 + "x\n---\n") == [(3, 1, "the front matter is nested too deeply")]


def test_ordinary_nesting_and_brackets_in_text_are_fine() -> None:
    assert document("---\nnote: \"[[[[\"\nmembers:\n  - {person: jane-smith, role: [a, [b]]}\n---\n").data["note"] == "[[[["


def test_front_matter_over_the_size_limit_is_refused() -> None:
    big = "---\nnote: " + "x" * (MAX_FRONT_MATTER_BYTES + 1) + "\n---\n"
    assert problems(big) == [(2, 1, f"the front matter is too large (over {MAX_FRONT_MATTER_BYTES // 1024} KiB)")]


# --- The block itself ---------------------------------------------------------------------------------

def test_empty_front_matter() -> None:
    doc = document("---\n---\nJust a body.\n")
    assert doc.data == {}
    assert (doc.body, doc.body_line) == ("Just a body.\n", 3)


def test_front_matter_holding_only_comments_is_empty() -> None:
    assert document("---\n# to be written\n---\n").data == {}


@pytest.mark.parametrize("text", ["---\nname: Sam\n---", "---\nname: Sam\n---\n"])
def test_only_front_matter_and_no_body(text: str) -> None:
    doc = document(text)
    assert doc.data == {"name": "Sam"}
    assert doc.body.strip() == ""


def test_three_dots_also_close_the_block() -> None:
    assert document("---\nname: Sam\n...\nBody\n").body == "Body\n"


def test_trailing_spaces_after_the_dashes_are_fine() -> None:
    assert document("--- \nname: Sam\n---  \nBody").data == {"name": "Sam"}


def test_a_later_line_of_dashes_belongs_to_the_body() -> None:
    doc = document("---\nname: Sam\n---\nBefore\n\n---\n\nAfter\n")
    assert doc.body == "Before\n\n---\n\nAfter\n"


@pytest.mark.parametrize("text", ["", "\n", "   \n\n\t\n"])
def test_an_empty_file(text: str) -> None:
    assert problems(text) == [(1, 1, "the file is empty")]


def test_a_file_without_front_matter() -> None:
    assert problems("name: Sam\n") == [(1, 1, "the file does not start with a front matter block")]


def test_front_matter_is_optional_when_not_required() -> None:
    doc, found = split_document("x.md", "# A report\n\nText.\n", require_front_matter=False)
    assert found == [] and doc is not None
    assert (doc.data, doc.body, doc.body_line) == ({}, "# A report\n\nText.\n", 1)


def test_front_matter_never_closed() -> None:
    assert problems("---\nname: Sam\n\nSam leads the team.\n") == [(1, 1, "the front matter block is never closed")]


# --- Properties -------------------------------------------------------------------------------------

# Explicit core tags such as !!bool and !!timestamp are left out: they crash today
# (test_an_unreadable_tagged_value_is_a_problem_not_a_crash).
YAML_PIECES = st.sampled_from([
    "---", "...", "name:", "name: Sam", "date: 2020-01-15", "date: 2015-02-30", "start: 18:30", "- ", "  - ",
    "  ", "\t", ":", "&a", "*a", "&a [x, x]", "[*a, *a]", "{", "}", "[", "]", "? ", "!!str", "!tag", "|", ">",
    "'", '"', "#", "%YAML 1.1", "\n", "a: b: c", "x", "12", "1.10", "~", "null", "yes", "<<: *a", "\u00e9", "\ufeff",
])
YAMLISH = st.lists(st.one_of(YAML_PIECES, st.text(max_size=5)), max_size=40).map(" ".join) | \
    st.lists(st.one_of(YAML_PIECES, st.text(max_size=8)), max_size=30).map("\n".join)


@settings(max_examples=200, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), YAMLISH))
def test_parse_yaml_never_raises(text: str) -> None:
    parsed = parse_yaml("x.md", text, line_offset=1)
    assert all(isinstance(d, Diagnostic) and d.path == "x.md" and d.line >= 2 and d.column >= 1 for d in parsed.problems)
    if parsed.value is not None:
        assert () in parsed.positions  # a problem with the document as a whole can always be located


@settings(max_examples=200, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), YAMLISH.map(lambda body: "---\n" + body + "\n---\nBody\n")))
def test_split_document_never_raises(text: str) -> None:
    doc, found = split_document("x.md", text)
    assert (doc is None) != (found == []), "either a document or the reasons there is none"
    lines = text.count("\n") + 1
    for diagnostic in found:
        assert 1 <= diagnostic.line <= lines and diagnostic.column >= 1
    if doc is not None:
        assert isinstance(doc.data, dict)
        assert doc.body == "\n".join(text.split("\n")[doc.body_line - 1:])


@settings(max_examples=200, deadline=timedelta(seconds=2))
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_reason(data: bytes) -> None:
    result = decode("x.md", data)
    if isinstance(result, TextFile):
        assert "\r" not in result.text
        split_document("x.md", result.text)
    else:
        assert isinstance(result, Diagnostic) and result.line >= 1 and result.column >= 1


@settings(max_examples=10, deadline=timedelta(seconds=2))
@given(st.integers(min_value=6, max_value=12), st.integers(min_value=5, max_value=12))
def test_alias_bombs_of_any_shape_are_refused_quickly(depth: int, width: int) -> None:
    layers = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    layers += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, depth)]
    parsed = parse_yaml("x", "\n".join(layers))
    assert parsed.value is None
    assert "too complex" in parsed.problems[0].message

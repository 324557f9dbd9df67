"""Declared fields and schemas (generator/model/fields.py)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Diagnostics
from generator.model.fields import (
    Choice,
    Date,
    Flag,
    Invalid,
    ListOf,
    MapOf,
    Number,
    Record,
    Schema,
    Slug,
    Text,
    Time,
    check_fields,
)
from generator.source.frontmatter import split_document
from generator.model.validate.meetings import VoteCount


def refused(field: Any, value: Any) -> Invalid:
    with pytest.raises(Invalid) as caught:
        field.clean(value)
    return caught.value


def problems_of(field: Any, value: Any) -> list[tuple[tuple, str, str]]:
    """Every problem a field finds in a value, as (path, message, hint)."""
    _, found = check_fields({"f": value}, {"f": field})
    return [(p.path, p.message, p.hint) for p in found]


# --- Text, Slug, Choice ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, cleaned", [
    ("Council Chamber", "Council Chamber"),
    ("  padded  ", "padded"),
    (2016, "2016"),
    (2.5, "2.5"),
    (dt.date(2020, 1, 15), "2020-01-15"),
])
def test_text_accepts(value: Any, cleaned: str) -> None:
    assert Text().clean(value) == cleaned


@pytest.mark.parametrize("written", ["2.10", "2.1", "010", "1_000", "1e3", "06"])
def test_text_keeps_a_number_as_it_was_written(written: str) -> None:
    doc, _ = split_document("x.md", f"---\nitem: {written}\nitems:\n  {written}: {{}}\n---\n")
    assert doc is not None
    assert Text().clean(doc.data["item"]) == written
    assert [Text().clean(key) for key in doc.data["items"]] == [written]


@pytest.mark.parametrize("value, message", [
    (True, "expected text, found 'true'"),
    (["Council", "Chamber"], "expected text, found a list"),
    ({"name": "x"}, "expected text, found a group of fields"),
    ("   ", "this field is empty"),
])
def test_text_refuses(value: Any, message: str) -> None:
    assert refused(Text(), value).message == message


@pytest.mark.parametrize("value, message", [
    ("Town Hall\x1b[2J", "this text has an escape character (U+001B)"),
    ("Budget\x00", "this text has a null character (U+0000)"),
    ("Sam\nTaylor", "this text has a line break (U+000A)"),
    ("Page\x0cbreak", "this text has a page break (U+000C)"),
    ("Bell\x07", "this text has an invisible control character (U+0007)"),
    ("C1\x9b", "this text has an invisible control character (U+009B)"),
    ("Delete\x7f", "this text has an invisible control character (U+007F)"),
    ("\x1c", "this text has an invisible control character (U+001C)"),  # which strip() would drop unseen
    ("Sam \u202eTaylor", "this text has a right-to-left override (U+202E) that is not closed"),
    ("Sam \u2067Taylor", "this text has a right-to-left isolate (U+2067) that is not closed"),
    ("Sam Taylor\u202c", "this text has a pop directional formatting (U+202C) that closes nothing"),
    ("Sam \u2066Taylor\u202c", "this text has a left-to-right isolate (U+2066) that is not closed"),
])
def test_text_refuses_control_characters_and_unbalanced_bidirectional_controls(value: str, message: str) -> None:
    assert refused(Text(), value).message == message
    assert refused(Slug(), value).message == message


@pytest.mark.parametrize("value", ["EXB77\tTraded services", "Sam \u202eTaylor\u202c", "\u2067\u0633\u0627\u0645\u2069 Taylor",
                                   "\u202b\u2066a\u2069\u202c", "Caf\u00e9\u200f", "line\n"])
def test_text_keeps_tabs_and_balanced_bidirectional_controls(value: str) -> None:
    assert Text().clean(value) == value.strip()


@given(st.text())
def test_no_text_field_keeps_a_control_character_or_an_open_bidirectional_control(value: str) -> None:
    """What a text field accepts can go into a calendar (RFC 5545 forbids control characters but
    the tab), an XML feed, a spreadsheet and a page, beside other text."""
    try:
        text = Text().clean(value)
    except Invalid:
        return
    assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\t"]
    depth = 0
    for char in text:
        depth += (char in "\u202a\u202b\u202d\u202e\u2066\u2067\u2068") - (char in "\u202c\u2069")
        assert depth >= 0
    assert depth == 0


@pytest.mark.parametrize("value", ["executive-board", "pc", "2020", "a1-b2-c3"])
def test_slug_accepts(value: str) -> None:
    assert Slug().clean(value) == value


@pytest.mark.parametrize("value", ["Executive-Board", "executive board", "executive_board", "-board", "board-",
                                   "a--b", "zoë", "a/b"])
def test_slug_refuses(value: str) -> None:
    problem = refused(Slug(what="a person's slug"), value)
    assert problem.message == f"'{value}' is not a person's slug"
    assert "lower-case letters, digits and hyphens" in problem.hint


def test_choice_accepts_an_option() -> None:
    assert Choice(("held", "scheduled")).clean("held") == "held"


def test_choice_suggests_the_closest_option() -> None:
    problem = refused(Choice(("scheduled", "held", "cancelled", "postponed")), "helds")
    assert problem.message == "'helds' is not one of the choices"
    assert problem.hint == "did you mean 'held'?"


def test_choice_says_what_the_value_should_be() -> None:
    problem = refused(Choice(("committee", "board"), what="a kind of board"), "quango")
    assert problem.message == "'quango' is not a kind of board"
    assert problem.hint == "choose one of: committee, board"


def test_choice_suggests_across_capitals() -> None:
    assert refused(Choice(("held", "cancelled")), "Cancelled").hint == "did you mean 'cancelled'?"


def test_choice_lists_the_options_when_none_is_close() -> None:
    assert refused(Choice(("none", "draft", "approved")), "xyz").hint == "choose one of: none, draft, approved"


# --- Flag, Number, Date, Time -------------------------------------------------------------------------

def test_flag() -> None:
    assert Flag().clean(True) is True and Flag().clean(False) is False
    for value in ("true", 1, None, "maybe"):
        assert refused(Flag(), value).message.startswith("expected true or false")


@pytest.mark.parametrize("value", [0, 8, 1200])
def test_number_accepts(value: int) -> None:
    assert Number().clean(value) == value


@pytest.mark.parametrize("value", [-1, True, "8", 2.5, None, [8]])
def test_number_refuses(value: Any) -> None:
    assert refused(Number(), value).message.startswith("expected a whole number")


def test_date() -> None:
    assert Date().clean(dt.date(2020, 1, 15)) == dt.date(2020, 1, 15)
    assert Date().clean(dt.datetime(2020, 1, 15, 18, 30)) == dt.date(2020, 1, 15)
    problem = refused(Date(), "15/01/2020")
    assert problem.message == "expected a date, found '15/01/2020'"
    assert problem.hint == "write dates as YYYY-MM-DD, for example 2010-12-16"


@pytest.mark.parametrize("value", [dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(3000, 1, 1), dt.date(9999, 12, 31),
                                   dt.datetime(9999, 1, 1, 18, 30)])
def test_a_date_beyond_four_digit_years_and_the_day_after_is_refused(value: dt.date) -> None:
    assert refused(Date(), value).hint == "dates must be between 1000-01-01 and 2999-12-31: check the year"
    assert Date().clean(dt.date(1000, 1, 1)) and Date().clean(dt.date(2999, 12, 31))


@pytest.mark.parametrize("value, cleaned", [("18:30", "18:30"), ("9:05", "09:05"), ("00:00", "00:00"),
                                            (" 23:59 ", "23:59")])
def test_time_accepts(value: str, cleaned: str) -> None:
    assert Time().clean(value) == cleaned


@pytest.mark.parametrize("value, hint", [
    ("6.30pm", 'write "18:30"'),
    ("6:30 p.m.", 'write "18:30"'),
    ("7pm", 'write "19:00"'),
    ("10.15am", 'write "10:15"'),
    ("12pm", 'write "12:00"'),
    ("12am", 'write "00:00"'),
    ("24:00", 'write times in 24-hour form in quotes, such as "18:30"'),
    ("18:75", 'write times in 24-hour form in quotes, such as "18:30"'),
    (1830, 'write times in 24-hour form in quotes, such as "18:30"'),
    ("half past six", 'write times in 24-hour form in quotes, such as "18:30"'),
])
def test_time_refuses_with_a_hint(value: Any, hint: str) -> None:
    problem = refused(Time(), value)
    assert problem.message == f"'{value}' is not a time"
    assert problem.hint == hint


def test_a_time_written_as_a_number_is_quoted_as_written() -> None:
    doc, _ = split_document("x.md", "---\nstart: 18.30\n---\n")
    assert doc is not None
    assert refused(Time(), doc.data["start"]).message == "'18.30' is not a time"


@pytest.mark.parametrize("value", [True, None, ["18:30"]])
def test_time_refuses_values_that_are_not_text(value: Any) -> None:
    assert refused(Time(), value).message.endswith("is not a time")


# --- ListOf, MapOf, Record ----------------------------------------------------------------------------

def test_list_of_cleans_every_entry() -> None:
    assert ListOf(Slug()).clean(["jane-smith", "omar-khan"]) == ("jane-smith", "omar-khan")


def test_a_single_value_is_a_list_of_one() -> None:
    assert ListOf(Slug()).clean("jane-smith") == ("jane-smith",)
    assert ListOf(Text()).clean("All") == ("All",)


def test_an_empty_list() -> None:
    assert ListOf(Slug()).clean(None) == ()
    assert ListOf(Slug()).clean([]) == ()


def test_list_problems_name_each_bad_entry() -> None:
    assert problems_of(ListOf(Slug()), ["jane-smith", "Omar Khan", "lee-jones", True]) == [
        (("f", 1), "'Omar Khan' is not a slug", "use lower-case letters, digits and hyphens, such as 'executive-board'"),
        (("f", 3), "expected text, found 'true'", ""),
    ]


def test_a_bad_single_value_is_located_at_the_field() -> None:
    assert [path for path, _, _ in problems_of(ListOf(Slug()), "Omar Khan")] == [("f",)]


def test_map_of() -> None:
    field = MapOf(Slug(), Text())
    assert field.clean({"example": "Example Council"}) == {"example": "Example Council"}
    assert field.clean(None) == {}
    assert refused(field, ["example"]).message == "expected 'name: value' lines, found a list"
    assert refused(MapOf(Slug(), Text(), shape="'slug: full name' lines"), ["example"]).message == \
        "expected 'slug: full name' lines, found a list"
    assert problems_of(field, {"Example": "Example Council", "ok": " "}) == [
        (("f", "Example"), "'Example' is not a slug", "use lower-case letters, digits and hyphens, such as 'executive-board'"),
        (("f", "ok"), "this field is empty", ""),
    ]


MEMBER = Record({"person": Slug(required=True), "role": Text(default="Member"), "from": Date()}, shorthand="person")


def test_record_with_its_defaults() -> None:
    assert MEMBER.clean({"person": "jane-smith"}) == {"person": "jane-smith", "role": "Member", "from": None}


def test_record_shorthand() -> None:
    assert MEMBER.clean("jane-smith") == {"person": "jane-smith", "role": "Member", "from": None}


def test_record_made_into_a_value() -> None:
    field = Record({"for": Number(), "against": Number()}, make=lambda **kw: (kw["for"], kw["against"]))
    assert field.clean({"for": 8, "against": 1}) == (8, 1)


def test_record_refuses_other_values() -> None:
    assert refused(MEMBER, ["jane-smith"]).message == "expected a person, or {person: ..., role: ..., from: ...}, found a list"
    assert refused(Record({"a": Text()}), "text").message == "expected {a: ...}, found 'text'"
    assert refused(Record({"a": Text()}, shape="a group"), "text").message == "expected a group, found 'text'"


def test_problems_inside_a_record_have_full_paths() -> None:
    field = Record({"votes": Record({"for": Number(), "against": Number()})})
    assert problems_of(field, {"votes": {"for": -1, "aginst": 2}}) == [
        (("f", "votes", "aginst"), "unknown field 'aginst'", "did you mean 'against'?"),
        (("f", "votes", "for"), "expected a whole number, found '-1'", ""),
    ]


def test_problems_inside_records_inside_lists_have_full_paths() -> None:
    found = problems_of(ListOf(MEMBER), [{"person": "jane-smith"}, {"role": "Chair", "form": dt.date(2020, 1, 1)}])
    assert found == [
        (("f", 1, "form"), "unknown field 'form'", "did you mean 'from'?"),
        (("f", 1), "the field 'person' is required", ""),
    ]


def test_vote_counts() -> None:
    assert VoteCount().clean(8) == 8
    assert VoteCount().clean(["jane-smith", "omar-khan"]) == ("jane-smith", "omar-khan")
    assert refused(VoteCount(), "many").message == "expected a number of votes or a list of people, found 'many'"
    assert VoteCount().clean({"count": 2, "people": ["jane-smith", "omar-khan"]}) == {
        "count": 2, "people": ("jane-smith", "omar-khan")}


# --- check_fields and Schema: every problem in one pass ------------------------------------------------

FIELDS = {
    "date": Date(required=True),
    "status": Choice(("scheduled", "held"), required=True),
    "start": Time(),
    "present": ListOf(Slug()),
    "venue": Text(),
}


def test_check_fields_cleans_and_fills_defaults() -> None:
    cleaned, found = check_fields({"date": dt.date(2020, 1, 15), "status": "held", "present": "jane-smith"}, FIELDS)
    assert found == []
    assert cleaned == {"date": dt.date(2020, 1, 15), "status": "held", "start": None, "present": ("jane-smith",),
                       "venue": None}


def test_check_fields_collects_every_problem_in_one_pass() -> None:
    data = {"statsu": "held", "start": "6.30pm", "present": ["jane-smith", "Omar"], "venu": "Chamber"}
    _, found = check_fields(data, FIELDS)
    assert sorted((p.path, p.message) for p in found) == sorted([
        (("statsu",), "unknown field 'statsu'"),
        (("venu",), "unknown field 'venu'"),
        ((), "the field 'date' is required"),
        ((), "the field 'status' is required"),
        (("start",), "'6.30pm' is not a time"),
        (("present", 1), "'Omar' is not a slug"),
    ])
    hints = {p.path: p.hint for p in found}
    assert hints[("statsu",)] == "did you mean 'status'?"
    assert hints[("venu",)] == "did you mean 'venue'?"


def test_an_empty_value_counts_as_missing() -> None:
    _, found = check_fields({"date": None, "status": "held"}, FIELDS)
    assert [p.message for p in found] == ["the field 'date' is required"]


def test_schema_reports_each_problem_where_it_was_written() -> None:
    doc, _ = split_document("content/x.md", "---\nstatsu: held\ndate: 2020-01-15\nstart: 6.30pm\n"
                                            "present:\n  - jane-smith\n  - Omar\n---\n")
    assert doc is not None
    diagnostics = Diagnostics()
    Schema(FIELDS).check(doc, diagnostics)
    found = sorted((d.line, d.column, d.message, d.hint) for d in diagnostics.items)
    assert found == [
        (2, 1, "the field 'status' is required", ""),
        (2, 1, "unknown field 'statsu'", "did you mean 'status'?"),
        (4, 8, "'6.30pm' is not a time", 'write "18:30"'),
        (7, 5, "'Omar' is not a slug", "use lower-case letters, digits and hyphens, such as 'executive-board'"),
    ]

"""Reading content files as text (generator/source/text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, check, make_site

from generator.diagnostics import Diagnostic
from generator.source.text import MAX_FILE_BYTES, TextFile, bad_characters, decode, read_text

MEETING = "content/meetings/planning-committee/2020-01-15.md"


def text_of(data: bytes) -> str:
    result = decode("x.md", data)
    assert isinstance(result, TextFile), result
    return result.text


def problem_of(data: bytes) -> Diagnostic:
    result = decode("x.md", data)
    assert isinstance(result, Diagnostic), result
    return result


def test_plain_utf8_is_kept_as_it_is() -> None:
    assert text_of("---\nname: Zoë Brown – “Chair”\u00a0\n---\n".encode()) == "---\nname: Zoë Brown – “Chair”\u00a0\n---\n"


def test_a_byte_order_mark_is_dropped() -> None:
    assert text_of(b"\xef\xbb\xbf---\nname: x\n---\n") == "---\nname: x\n---\n"


def test_only_a_leading_byte_order_mark_is_dropped() -> None:
    assert text_of("a\ufeffb".encode()) == "a\ufeffb"


@pytest.mark.parametrize("data", [
    b"one\r\ntwo\r\nthree\r\n",  # Windows
    b"one\rtwo\rthree\r",  # classic Mac OS
    b"one\r\ntwo\rthree\n",  # a mixture, from pasting
])
def test_line_endings_become_newlines(data: bytes) -> None:
    assert text_of(data) == "one\ntwo\nthree\n"


def test_a_blank_line_written_with_crlf_stays_one_blank_line() -> None:
    assert text_of(b"a\r\n\r\nb") == "a\n\nb"


@pytest.mark.parametrize("data", [b"\x00", b"---\nname: x\x00\n---\n", b"PK\x03\x04\x14\x00\x06\x00"])
def test_nul_bytes_mean_not_a_text_file(data: bytes) -> None:
    problem = problem_of(data)
    assert (problem.path, problem.line, problem.column) == ("x.md", 1, 1)
    assert problem.message == "this file holds binary data, not text"
    assert problem.hint.startswith("is it a Word document or a PDF renamed to .md?")


@pytest.mark.parametrize("data", ["---\nname: x\n---\n".encode("utf-16"), "---\n".encode("utf-16-be"),
                                  b"\xff\xfe" + "名前".encode("utf-16-le")])
def test_utf16_is_named(data: bytes) -> None:
    problem = problem_of(b"\xfe\xff" + data if not data.startswith((b"\xff\xfe", b"\xfe\xff")) else data)
    assert (problem.message, problem.hint) == ("the file is saved as UTF-16", "save it as UTF-8")


def test_a_file_at_the_size_limit_is_read() -> None:
    assert len(text_of(b"a" * MAX_FILE_BYTES)) == MAX_FILE_BYTES


def test_a_file_over_the_size_limit_is_refused_before_decoding() -> None:
    problem = problem_of(b"\xff" * (MAX_FILE_BYTES + 1))  # not UTF-8 either: the size is reported first
    assert problem.message == "the file is too large (4.0 MiB, over the 4 MiB limit)"
    assert "split long papers" in problem.hint


def test_windows_1252_is_reported_at_the_bad_byte_with_the_character_it_would_be() -> None:
    problem = problem_of(b"---\nname: Sam Taylor\nposition: Director \x96 Planning\n---\n")
    assert (problem.line, problem.column) == (3, 20)
    assert problem.message == "the file is not UTF-8 text"
    assert problem.hint == "it looks like Windows-1252 (the character '–'); save the file as UTF-8"


def test_a_bad_first_byte_is_at_line_1_column_1() -> None:
    problem = problem_of(b"\x93Quoted\x94\n")
    assert (problem.line, problem.column) == (1, 1)
    assert "'“'" in problem.hint


def test_a_byte_that_is_not_windows_1252_either_gets_the_plain_hint() -> None:
    problem = problem_of(b"ok\nab\x81c\n")
    assert (problem.line, problem.column) == (2, 3)
    assert problem.hint == "save the file as UTF-8"


def test_line_numbers_count_crlf_lines_once() -> None:
    problem = problem_of(b"one\r\ntwo\r\nth\xe9\r\n")
    assert (problem.line, problem.column) == (3, 3)


def test_the_column_of_a_bad_byte_counts_characters() -> None:
    problem = problem_of("Zoë said: ".encode() + b"\x93yes\x94\n")
    assert (problem.line, problem.column) == (1, 11)


def test_a_byte_order_mark_does_not_move_the_bad_byte() -> None:
    problem = problem_of(b"\xef\xbb\xbfab\r\nc\x93\n")
    assert (problem.line, problem.column) == (2, 2)


def test_read_text_reports_a_missing_file(tmp_path: Path) -> None:
    result = read_text(tmp_path / "missing.md", "content/people/missing.md")
    assert isinstance(result, Diagnostic)
    assert result.path == "content/people/missing.md"
    assert result.message.startswith("cannot read the file")


def test_read_text_reads_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbfa\r\nb")
    found = read_text(tmp_path / "a.md", "a.md")
    assert isinstance(found, TextFile) and (found.rel, found.text) == ("a.md", "a\nb")


# --- Through the whole check: a clerk's file saved by Windows tools --------------------------------

def test_a_meeting_saved_with_bom_and_crlf_checks_clean(tmp_path: Path) -> None:
    original = (MINIMAL / MEETING).read_text(encoding="utf-8")
    data = b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8")
    site = make_site(tmp_path, {MEETING: data})
    assert check(site).sorted() == []


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_positions_in_a_crlf_or_cr_file_are_the_lines_a_clerk_sees(tmp_path: Path, newline: str) -> None:
    original = (MINIMAL / MEETING).read_text(encoding="utf-8")
    front = make_site(tmp_path / "front", {MEETING: original.replace("apologies:", "apologise:")
                                           .replace("\n", newline).encode("utf-8")})
    assert [(d.line, d.column, d.message) for d in check(front).sorted()] == [(8, 1, "unknown field 'apologise'")]
    body = make_site(tmp_path / "body", {MEETING: original.replace("twelve homes.", "twelve homes [[PC9]].")
                                         .replace("\n", newline).encode("utf-8")})
    assert [(d.line, d.column) for d in check(body).sorted()] == [(17, 58)]


# --- Characters no text may hold -------------------------------------------------------------------

def found(text: str, references: bool = False) -> list[tuple[int, str]]:
    return [(bad.index, bad.message("this text")) for bad in bad_characters(text, references)]


def test_control_characters_are_found_where_they_are() -> None:
    assert found("a\x1b[2Jb\x00c\x85") == [(1, "this text has an escape character (U+001B)"),
                                          (6, "this text has a null character (U+0000)"),
                                          (8, "this text has an invisible control character (U+0085)")]
    assert found("EXB77\tTraded services \u00a0\u2019\u2013 \U0001f642") == []


@pytest.mark.parametrize("text", ["\u202eabc\u202c", "\u2067\u0633\u0627\u0645\u2069", "\u202b\u2066a\u2069b\u202c",
                                  "\u202a\u202b\u202c\u202c", "\u200f\u200e\u061c marks need no closing"])
def test_bidirectional_controls_closed_on_the_line_are_fine(text: str) -> None:
    assert found(text) == []


def test_bidirectional_controls_left_open_or_closing_nothing_are_found() -> None:
    assert found("a\u202eb") == [(1, "this text has a right-to-left override (U+202E) that is not closed")]
    assert found("a\u2069b") == [(1, "this text has a pop directional isolate (U+2069) that closes nothing")]
    assert found("\u2066a\u202cb\u2069") == [(2, "this text has a pop directional formatting (U+202C) that closes nothing")]


def test_character_references_count_only_where_markdown_is_read() -> None:
    assert found("a&#27;b") == []
    assert found("a&#27;b&#x1B;c&#x202e;d", references=True) == [
        (1, "the character reference '&#27;' stands for an escape character (U+001B)"),
        (7, "the character reference '&#x1B;' stands for an escape character (U+001B)"),
        (14, "the character reference '&#x202e;' stands for a right-to-left override (U+202E) that is not closed")]
    assert found("&#8238;x&#8236;", references=True) == []  # closed
    assert found("&#x202Ex", references=True)  # browsers read a reference without its semicolon


@pytest.mark.parametrize("text", ["&#150;", "&#x92;", "&#9;", "&#10;", "&#65;", "&#x1F642;", "&#0;", "&#99999999;", "&amp;#27;"])
def test_references_the_web_reads_as_ordinary_characters_are_fine(text: str) -> None:
    """&#150; is a dash and &#x92; an apostrophe to every browser (Windows-1252), and &#0; a
    replacement character; only references to control characters that stay controls count."""
    assert found(text, references=True) == []

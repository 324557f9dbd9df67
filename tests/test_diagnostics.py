"""Problems as they are printed (generator/diagnostics.py, generator/annotations.py): text
from the content is shown escaped, so that it can never forge a line of output, a GitHub
annotation or a terminal's escape sequence."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from generator.commands.annotations import github_annotation
from generator.diagnostics import Diagnostic, shown

# A key that, printed as it is, would forge an annotation and a summary line and clear the terminal.
FORGERY = "party\n::error file=content/boards/planning-committee.md,line=1::forged\nNo errors in 9 meetings.\x1b[2J"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def acted_on(text: str) -> list[str]:
    """Characters a terminal, a log viewer or a browser would act on rather than show."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Zl", "Zp") or c in BIDI_CONTROLS]


def test_line_feeds_and_escapes_in_a_message_are_shown_not_acted_on() -> None:
    problem = Diagnostic("content/people/sam-taylor.md", 3, 1, f"unknown field '{FORGERY}'", "did you mean 'party'?")
    assert problem.format().split("\n") == [
        "content/people/sam-taylor.md:3:1: error: unknown field 'party\\n::error file=content/boards/"
        "planning-committee.md,line=1::forged\\nNo errors in 9 meetings.\\x1b[2J'",
        "  hint: did you mean 'party'?",
    ]


def test_every_kind_of_invisible_character_has_a_visible_form() -> None:
    assert shown("a\tb\rc\x00d\x7fe\x85f\u2028g\u202eh\u2066i") == \
        "a\\tb\\rc\\x00d\\x7fe\\x85f\\u2028g\\u202eh\\u2066i"
    assert shown("Zo\u00eb\u2019s caf\u00e9 \u2013 \u00a35 \u4e2d\u6587 \U0001f642") == \
        "Zo\u00eb\u2019s caf\u00e9 \u2013 \u00a35 \u4e2d\u6587 \U0001f642"


@given(path=st.text(), message=st.text(), hint=st.text())
def test_a_problem_is_printed_as_its_own_lines_whatever_the_text(path: str, message: str, hint: str) -> None:
    problem = Diagnostic(path, 1, 1, message, hint)
    printed = problem.format()
    assert printed.count("\n") == (1 if hint else 0)
    assert acted_on(printed.replace("\n  hint: ", "")) == []
    annotation = github_annotation(problem)
    assert "\n" not in annotation and "\r" not in annotation and acted_on(annotation) == []

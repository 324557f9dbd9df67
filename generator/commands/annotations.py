"""`minutes check --format github`: problems as GitHub Actions workflow commands, which GitHub
shows as annotations on the lines of a pull request's changed files.

A command is `::error file=F,line=L,col=C,title=T::MESSAGE` (or `::warning ...`). As GitHub's
toolkit does, the message escapes `%`, carriage returns and line feeds, and property values
also escape `:` and `,`, which would otherwise end them. Text from the content is first shown
as every other format shows it (`diagnostics.shown`), so it cannot end the command's line.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic, shown

TITLE = "minutes check"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic) -> str:
    """One workflow command, naming the file by the diagnostic's path."""
    message = shown(diagnostic.message) + (f"\nhint: {shown(diagnostic.hint)}" if diagnostic.hint else "")
    properties = ",".join(f"{key}={value}" for key, value in (
        ("file", escape_property(shown(diagnostic.path))),
        ("line", diagnostic.line),
        ("col", diagnostic.column),
        ("title", escape_property(TITLE)),
    ))
    return f"::{diagnostic.severity} {properties}::{escape_data(message)}"

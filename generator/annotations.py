"""`minutes check --format github`: problems as GitHub Actions workflow commands, which GitHub
shows as annotations on the lines of a pull request's changed files.

A command is `::error file=F,line=L,col=C,title=T::MESSAGE` (or `::warning ...`). As GitHub's
toolkit does, the message escapes `%`, carriage returns and line feeds, and property values
also escape `:` and `,`, which would otherwise end them. Text from the content is first shown
as every other format shows it (`diagnostics.shown`), so it cannot end the command's line.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic, shown

TITLE = "minutes check"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic, prefix: str = "") -> str:
    """One workflow command; `prefix` is the site folder's path from the repository's root."""
    message = shown(diagnostic.message) + (f"\nhint: {shown(diagnostic.hint)}" if diagnostic.hint else "")
    properties = ",".join(f"{key}={value}" for key, value in (
        ("file", escape_property(prefix + shown(diagnostic.path))),
        ("line", diagnostic.line),
        ("col", diagnostic.column),
        ("title", escape_property(TITLE)),
    ))
    return f"::{diagnostic.severity} {properties}::{escape_data(message)}"


def repository_prefix(site: Path) -> str:
    """The site folder as seen from the repository's root (GitHub's workspace, or else the
    current folder), so that annotations name files as the pull request does."""
    base = Path(os.environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    site = site.resolve()
    if not site.is_relative_to(base):
        return site.as_posix() + "/"
    rel = site.relative_to(base).as_posix()
    return "" if rel == "." else rel + "/"

"""Counts every Markdown fragment parsed, in every Python process started with this folder on
PYTHONPATH and MINUTES_COUNT_FILE set (Python imports `sitecustomize` as it starts).

    MINUTES_COUNT_FILE=PATH PYTHONPATH=benchmarks/count_markdown python -m generator build ...

Each conversion by Python-Markdown (`markdown.Markdown.convert`, which `markdown.markdown`
calls too) appends one byte to PATH, so the file's size afterwards is the number of fragments
parsed by the build and by every process it forks or starts. Hooking the library rather than
Minutes' own code keeps the count independent of how Minutes is arranged inside; run.py checks
that the count sees Minutes' Markdown by counting a build that must parse some.
"""

from __future__ import annotations

import os

_path = os.environ.get("MINUTES_COUNT_FILE")
if _path:
    import markdown

    _convert = markdown.Markdown.convert
    _fd = os.open(_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def _counted(self: markdown.Markdown, source: str) -> str:
        os.write(_fd, b".")
        return _convert(self, source)

    markdown.Markdown.convert = _counted  # type: ignore[method-assign]

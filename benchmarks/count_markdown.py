"""`minutes` itself, counting every Markdown fragment it converts (parses) on the way.

    MINUTES_COUNT_FILE=PATH python benchmarks/count_markdown.py build --site ... --output ...

Each conversion (generator.model.markup._convert, the one place Markdown is parsed) appends one
byte to PATH, from the build process and from the render workers it forks, so the file's
size afterwards is the number of fragments parsed. run.py uses it to check that a rebuild
after a template change parses no Markdown again.
"""

from __future__ import annotations

import os
import sys

from generator.model import markup
from generator.commands.cli import main

_convert = markup._convert
_fd = os.open(os.environ["MINUTES_COUNT_FILE"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)


def _counted(text: str) -> str:
    os.write(_fd, b".")
    return _convert(text)


markup._convert = _counted

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Where templates come from: the site's own layouts/ first, then the default theme."""

from __future__ import annotations

import importlib.resources
from pathlib import Path


def default_layouts() -> Path:
    """The project's layouts/, which ships inside the package as generator/theme."""
    source_tree = Path(__file__).resolve().parents[2] / "layouts"
    if (source_tree / "base.html").is_file():
        return source_tree
    return Path(str(importlib.resources.files("generator") / "theme"))


def layout_dirs(site_root: Path) -> list[Path]:
    """Search order for templates and static assets; a site may override any single file."""
    own = site_root / "layouts"
    default = default_layouts()
    if own.is_dir() and own.resolve() != default.resolve():
        return [own, default]
    return [default]

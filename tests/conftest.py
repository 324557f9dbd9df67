"""Shared helpers: the example site, a minimal site to vary, and builds into temporary folders."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import BuildResult, build_site, check_site, load_model
from generator.diagnostics import Diagnostics
from generator.model.markup import Converter
from generator.model.records import Board, Meeting, Person, Report
from generator.result import Timings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT  # the repository root is the bundled example site
# The base_url of the example site (site.yaml).
EXAMPLE_BASE = "https://records.example.org/minutes/"
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "minimal-site"
EPOCH = "1700000000"  # 14 November 2023: "today" for every test build


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def copy_site(source: Path, target: Path) -> Path:
    """A copy of a site (site.yaml, content/ and any layouts/) to change freely."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "site.yaml", target / "site.yaml")
    shutil.copytree(source / "content", target / "content")
    if (source / "layouts").is_dir() and source != EXAMPLE:
        shutil.copytree(source / "layouts", target / "layouts")
    return target


def make_site(target: Path, files: dict[str, str | bytes | None], base: Path = MINIMAL) -> Path:
    """`base` copied to `target`, with files added or replaced (None deletes one)."""
    copy_site(base, target)
    for rel, text in files.items():
        path = target / rel
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return target


def check(site: Path) -> Diagnostics:
    return check_site(site)[1]


@dataclass(frozen=True)
class Records:
    """A site's records in full, as its pages show them (the linked model holds their summaries)."""

    people: dict[str, Person]
    boards: dict[str, Board]
    meetings: tuple[Meeting, ...]  # by date, board and name, as the model orders them
    reports: tuple[Report, ...]


def full_records(site: Path) -> Records:
    """Every record of a site in full; the site must pass the check."""
    model = load_model(site, None, Converter(), Timings())
    assert model.linked is not None, model.diagnostics.sorted()
    records = [record for validated in model.fresh.values() for record in validated.records()]
    order = {m.key: n for n, m in enumerate(model.linked.site.meetings)}
    return Records(
        people={r.slug: r for r in records if isinstance(r, Person)},
        boards={r.slug: r for r in records if isinstance(r, Board)},
        meetings=tuple(sorted((r for r in records if isinstance(r, Meeting)), key=lambda m: order[m.key])),
        reports=tuple(sorted((r for r in records if isinstance(r, Report)), key=lambda r: (r.board, r.meeting, r.slug))),
    )


def build(site: Path, output: Path) -> BuildResult:
    return build_site(site, output)


def build_for_module(tmp_path_factory: pytest.TempPathFactory, name: str, site: Path | dict[str, str | bytes | None],
                     search: bool = True) -> Path:
    """Build a site once for a whole module or session (outside the per-test fixed date):
    `site` is a site folder, or files to change in a copy of the minimal site."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        root = tmp_path_factory.mktemp(name)
        folder = site if isinstance(site, Path) else make_site(root / "site", site)
        result = build_site(folder, root / "output", search=search)
        assert result.ok, "\n".join(d.format() for d in result.diagnostics.sorted())
    finally:
        mp.undo()
    return root / "output"


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once for the whole session."""
    return build_for_module(tmp_path_factory, "example", EXAMPLE)


# --- A real browser ----------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_missing() -> str | None:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright and axe-playwright-python packages are not installed (pip install -e '.[test]')"
    if not os.path.exists(CHROMIUM):
        return "Chromium is not installed (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, driven by Playwright. Skipped with a message when it is missing,
    except under CI=true, where a missing browser is a failure."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()

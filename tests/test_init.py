"""`minutes init DIR`: a new site that passes `minutes check` and builds; and a one-council
site's `organisation:` written as the council's name."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import build, check, make_site
from pages import page
from test_authoring import minutes

from generator.build import check_site


def test_init_makes_a_site_that_passes_check_and_builds(tmp_path: Path) -> None:
    site = tmp_path / "borsetshire"
    result = minutes("init", str(site), "--organisation", "Borsetshire County Council")
    assert result.returncode == 0, result.stderr
    assert (site / "site.yaml").is_file()
    for folder in ("boards", "meetings", "people"):
        assert (site / "content" / folder).is_dir()
    assert "minutes check" in result.stdout  # it says what to do next
    assert not check(site).items
    checked = minutes("check", "--site", str(site))
    assert checked.returncode == 0, checked.stderr
    result_ = build(site, tmp_path / "output")
    assert result_.ok, result_.diagnostics.sorted()
    assert "Borsetshire County Council" in page(tmp_path / "output", "/").get_text()


def test_init_comments_every_field_of_site_yaml(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert minutes("init", str(site)).returncode == 0
    text = (site / "site.yaml").read_text(encoding="utf-8")
    settings = yaml.safe_load(text)
    lines = text.splitlines()
    for key in ("title", "organisation", "base_url", "language", "timezone", "contact", "licence"):
        where = next(i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{key}:"))
        assert lines[where - 1].startswith("#"), f"{key} has no comment above it"
    assert settings["organisation"] and settings["base_url"].endswith("/")
    # Folders git would not keep are kept by a hidden file, which Minutes ignores.
    assert (site / "content" / "meetings" / ".gitkeep").is_file()
    assert "output/" in (site / ".gitignore").read_text(encoding="utf-8")


def test_init_refuses_to_overwrite_a_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert minutes("init", str(site)).returncode == 0
    (site / "site.yaml").write_text("title: mine\n", encoding="utf-8")
    again = minutes("init", str(site))
    assert again.returncode == 1
    assert "already" in again.stderr and str(site) in again.stderr
    assert (site / "site.yaml").read_text(encoding="utf-8") == "title: mine\n"


def test_init_goes_into_an_existing_folder_without_a_site(tmp_path: Path) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("Our records\n", encoding="utf-8")
    assert minutes("init", str(folder)).returncode == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "Our records\n"
    assert (folder / "site.yaml").is_file()


def test_organisation_may_be_the_councils_name_on_a_one_council_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"site.yaml": "title: Borsetshire records\norganisation: Borsetshire County Council\n"
                                             "base_url: https://example.org/\n",
                                "content/people/jane-smith.md": "---\nname: Jane Smith\n"
                                                                "organisation: borsetshire-county-council\n---\n"})
    linked, diagnostics = check_site(site)
    assert linked is not None, diagnostics.sorted()
    config = linked.site.config
    assert config.organisation == "borsetshire-county-council"
    assert config.organisations == {"borsetshire-county-council": "Borsetshire County Council"}


def test_a_name_is_still_refused_where_organisations_are_listed(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"site.yaml": "title: T\norganisation: Example Borough Council\n"
                                             "organisations:\n  example: Example Borough Council\n"
                                             "base_url: https://example.org/\n"})
    [problem] = check(site).sorted()
    assert (problem.path, problem.line) == ("site.yaml", 2)
    assert problem.message == "'Example Borough Council' is not an organisation slug"
    assert "example" in problem.hint

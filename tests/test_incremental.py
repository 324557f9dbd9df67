"""Incremental builds are never stale: after any sequence of edits (to records, officers'
reports, attachments, site.yaml and the templates) and any number of days passing, a build that
reuses its cache, and the preview that keeps the model in memory, give exactly the bytes a
clean build gives. And the cache can be lost or damaged without harm."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build, copy_site, make_site
from generator.build import Builder, build_site
from generator.incremental.sealing import Sealer


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@dataclass
class Meeting:
    board: str
    day: int  # days after 2020-01-01
    status: str = "held"
    minutes: str = "approved"
    present: list[str] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)
    items: list[tuple[str, str, bool, str]] = field(default_factory=list)  # ref, title, decision, text
    reports: dict[str, tuple[str, str]] = field(default_factory=dict)  # slug -> item ref, text
    attachments: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file name -> item ref, bytes

    @property
    def date(self) -> str:
        return (dt.date(2020, 1, 1) + dt.timedelta(days=self.day)).isoformat()

    @property
    def path(self) -> str:
        if self.reports or self.attachments:  # a meeting with papers is a folder
            return f"content/meetings/{self.board}/{self.date}/index.md"
        return f"content/meetings/{self.board}/{self.date}.md"


class RandomCouncil:
    """A small site kept as Python values, written out after every edit, so each edit is valid."""

    WORDS = ("budget", "schools", "housing", "transport", "libraries", "parks", "waste", "grants", "roads", "care")

    def __init__(self, rng: random.Random, site: Path) -> None:
        self.rng = rng
        self.site = site
        self.people = {"jane-smith": "Jane Smith", "omar-khan": "Omar Khan", "lee-jones": "Lee Jones"}
        self.boards = {"planning-committee": ("Planning Committee", "PC", ["jane-smith", "omar-khan"])}
        self.meetings: list[Meeting] = []
        self.next_ref = 1
        self.title = "Example Council decisions"
        self.today = dt.date(2020, 6, 1)
        for _ in range(3):
            self.add_meeting()

    # --- writing the files ----------------------------------------------------------------------

    def write(self) -> None:
        (self.site / "site.yaml").write_text(f"title: {self.title}\norganisation: example\norganisations:\n"
                                             "  example: Example Borough Council\nbase_url: https://example.org/records/\n")
        content = self.site / "content"
        shutil.rmtree(content)
        (content / "people").mkdir(parents=True)
        (content / "boards").mkdir()
        for slug, name in self.people.items():
            (content / "people" / f"{slug}.md").write_text(f"---\nname: {name}\nrole: councillor\n---\n")
        for slug, (name, prefix, members) in self.boards.items():
            listed = "".join(f"  - {{person: {m}}}\n" for m in members if m in self.people) or "  []\n"
            (content / "boards" / f"{slug}.md").write_text(
                f"---\nname: {name}\nkind: committee\nminute_prefix: {prefix}\nmembers:\n{listed}---\nRemit of the {name}.\n")
        for meeting in self.meetings:
            path = self.site / meeting.path
            path.parent.mkdir(parents=True, exist_ok=True)
            lines = ["---", f"date: {meeting.date}", f"status: {meeting.status}", f"minutes: {meeting.minutes}"]
            present = [p for p in meeting.present if p in self.people]
            apologies = [p for p in meeting.apologies if p in self.people and p not in present]
            if present:
                lines.append(f"present: [{', '.join(present)}]")
            if apologies:
                lines.append(f"apologies: [{', '.join(apologies)}]")
            refs = {ref for ref, _, _, _ in meeting.items}
            documents = [f"  - {{file: {slug}.md{f', item: {ref}' if ref in refs else ''}}}"
                         for slug, (ref, _) in sorted(meeting.reports.items())]
            documents += [f"  - {{title: Plan {name}, file: {name}{f', item: {ref}' if ref in refs else ''}}}"
                          for name, (ref, _) in sorted(meeting.attachments.items())]
            if documents:
                lines += ["documents:", *documents]
            for slug, (ref, text) in meeting.reports.items():
                (path.parent / f"{slug}.md").write_text(f"---\ntitle: Report on {slug}\n---\n{text}\n")
            for name, (_, data) in meeting.attachments.items():
                (path.parent / name).write_bytes(data)
            lines.append("---")
            for ref, title, decision, text in meeting.items:
                lines += [f"## {ref} {title}", "", text, ""]
                if decision and meeting.minutes != "none":
                    lines += [f"RESOLVED: That the {title.lower()} be approved.", ""]
            path.write_text("\n".join(lines) + "\n")

    # --- edits ------------------------------------------------------------------------------------

    def prefix(self, board: str) -> str:
        return self.boards[board][1]

    def new_item(self, board: str) -> tuple[str, str, bool, str]:
        ref = f"{self.prefix(board)}{self.next_ref}"
        self.next_ref += 1
        title = f"{self.rng.choice(self.WORDS).capitalize()} {self.rng.choice(self.WORDS)}"
        text = f"The {self.rng.choice(self.WORDS)} report was considered."
        if self.people and self.rng.random() < 0.5:
            text += f" Raised by [[people/{self.rng.choice(sorted(self.people))}]]."
        others = [(m, i) for m in self.meetings for i in m.items]
        if others and self.rng.random() < 0.5:
            target_meeting, target_item = self.rng.choice(others)
            text += f" See [[{target_meeting.board}/{target_meeting.date}#{target_item[0]}]]."
        return ref, title, self.rng.random() < 0.6, text

    def add_meeting(self) -> None:
        board = self.rng.choice(sorted(self.boards))
        taken = {(m.board, m.day) for m in self.meetings}
        day = self.rng.choice([d for d in range(0, 400, 7) if (board, d) not in taken])
        members = self.boards[board][2]
        meeting = Meeting(board, day, present=[m for m in members if self.rng.random() < 0.7],
                          apologies=[m for m in members if self.rng.random() < 0.3])
        meeting.items = [self.new_item(board) for _ in range(self.rng.randint(1, 3))]
        self.meetings.append(meeting)

    def referenced(self, meeting: Meeting) -> bool:
        return any(f"[[{meeting.board}/{meeting.date}#" in text for m in self.meetings if m is not meeting
                   for _, _, _, text in m.items)

    def drop_references_to(self, meeting: Meeting) -> None:
        marker = f"[[{meeting.board}/{meeting.date}#"
        for other in self.meetings:
            other.items = [(r, t, d, text.split(" See ")[0] + "." if marker in text else text)
                           for r, t, d, text in other.items]

    def reword_meeting(self) -> None:
        """A change of wording only, which the preview shows ahead of the rest."""
        worded = [m for m in self.meetings if m.items]
        if not worded:
            return
        meeting = self.rng.choice(worded)
        index = self.rng.randrange(len(meeting.items))
        ref, title, decision, text = meeting.items[index]
        meeting.items[index] = (ref, title, decision, text + f" The {self.rng.choice(self.WORDS)} were noted.")

    def change_meeting(self) -> None:
        meeting = self.rng.choice(self.meetings)
        choice = self.rng.randrange(5)
        if choice == 0:
            meeting.minutes = self.rng.choice(["draft", "approved"])
        elif choice == 1 and meeting.items:
            index = self.rng.randrange(len(meeting.items))
            ref, title, decision, text = meeting.items[index]
            meeting.items[index] = (ref, title + " revised", decision, text)
        elif choice == 2:
            meeting.items.append(self.new_item(meeting.board))
        elif choice == 3:
            members = self.boards[meeting.board][2]
            meeting.present = [m for m in members if self.rng.random() < 0.7]
        else:
            index = self.rng.randrange(len(meeting.items))
            ref, title, decision, text = meeting.items[index]
            meeting.items[index] = (ref, title, not decision, text)

    def move_meeting(self) -> None:
        meeting = self.rng.choice(self.meetings)
        taken = {(m.board, m.day) for m in self.meetings}
        free = [d for d in range(1, 400, 7) if (meeting.board, d) not in taken]
        self.drop_references_to(meeting)
        meeting.day = self.rng.choice(free)

    def delete_meeting(self) -> None:
        if len(self.meetings) > 1:
            meeting = self.rng.choice(self.meetings)
            self.drop_references_to(meeting)
            self.meetings.remove(meeting)

    def change_person(self) -> None:
        choice = self.rng.randrange(3)
        if choice == 0:
            slug = f"person-{self.rng.randrange(1000)}"
            self.people[slug] = f"New Person {slug[-3:]}"
            board = self.rng.choice(sorted(self.boards))
            self.boards[board][2].append(slug)
        elif choice == 1:
            slug = self.rng.choice(sorted(self.people))
            self.people[slug] = self.people[slug] + " Jr"
        elif len(self.people) > 1:
            slug = self.rng.choice(sorted(self.people))
            del self.people[slug]
            marker = f"[[people/{slug}]]"
            for meeting in self.meetings:
                meeting.items = [(r, t, d, text.replace(f" Raised by {marker}.", "")) for r, t, d, text in meeting.items]

    def change_board(self) -> None:
        if self.rng.random() < 0.5 or len(self.boards) > 2:
            slug = self.rng.choice(sorted(self.boards))
            name, prefix, members = self.boards[slug]
            self.boards[slug] = (name + " (renamed)", prefix, members)
        else:
            slug = f"board-{len(self.boards)}"
            self.boards[slug] = (f"Board {len(self.boards)}", f"B{len(self.boards)}", sorted(self.people)[:2])

    def change_template(self) -> None:
        name = self.rng.choice(["meeting.html", "decision.html", "base.html", "_macros.html", "person.html", "board.html"])
        path = self.site / "layouts" / name
        path.write_text(path.read_text() + f"\n{{# edit {self.rng.randrange(10**6)} #}}<!-- edited -->\n")

    def change_papers(self) -> None:
        meeting = self.rng.choice(self.meetings)
        ref = self.rng.choice([ref for ref, _, _, _ in meeting.items] + ["none"])
        choice = self.rng.randrange(4)
        if choice == 0:
            slug = self.rng.choice(["budget-report", "housing-report", "parks-report"])
            meeting.reports[slug] = (ref, f"The {self.rng.choice(self.WORDS)} options were set out.")
        elif choice == 1 and meeting.reports:
            slug = self.rng.choice(sorted(meeting.reports))
            if self.rng.random() < 0.5:
                del meeting.reports[slug]
            else:
                meeting.reports[slug] = (ref, meeting.reports[slug][1] + " A further option was added.")
        elif choice == 2:
            name = self.rng.choice(["site-plan.pdf", "budget.xlsx"])
            meeting.attachments[name] = (ref, f"version {self.rng.randrange(10**6)}".encode())
        elif meeting.attachments:
            del meeting.attachments[self.rng.choice(sorted(meeting.attachments))]

    def change_site(self) -> None:
        self.title = self.rng.choice(["Example Council decisions", "Decisions of Example", "Example records"])

    def pass_days(self) -> None:
        self.today += dt.timedelta(days=self.rng.choice([1, 1, 7, 30]))

    def step(self) -> str:
        edits = [self.add_meeting, self.change_meeting, self.reword_meeting, self.move_meeting, self.delete_meeting,
                 self.change_person, self.change_board, self.change_template, self.change_papers,
                 self.change_site, self.pass_days]
        edit = self.rng.choice(edits)
        edit()
        self.write()
        return edit.__name__

    @property
    def epoch(self) -> str:
        return str(int(dt.datetime(self.today.year, self.today.month, self.today.day, 12,
                                   tzinfo=dt.timezone.utc).timestamp()))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_incremental_builds_equal_clean_builds_after_random_edits(tmp_path: Path, seed: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "site", {})
    shutil.copytree(ROOT / "layouts", site / "layouts")
    council = RandomCouncil(random.Random(seed), site)
    council.write()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", council.epoch)
    incremental_out, incremental_cache = tmp_path / "incremental", tmp_path / "cache"
    assert build_site(site, incremental_out, search=False, cache_dir=incremental_cache).ok
    # The preview: one Builder for the whole run, its model kept in memory between builds.
    preview_out = tmp_path / "preview"
    preview = Builder(site, preview_out, search=False, cache_dir=tmp_path / "preview-cache")
    shown: list[set[str]] = []
    assert preview.build(first=shown.append).ok
    for number in range(24):
        edit = council.step()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", council.epoch)
        incremental = build_site(site, incremental_out, search=False, cache_dir=incremental_cache)
        previewed = preview.build(first=shown.append)
        clean_out = tmp_path / f"clean-{number}"
        clean = build_site(site, clean_out, search=False, cache_dir=tmp_path / f"clean-cache-{number}")
        assert clean.ok, [d.format() for d in clean.diagnostics.sorted()]
        assert incremental.ok and previewed.ok
        expected = tree(clean_out)
        assert tree(incremental_out) == expected, f"step {number}: {edit}"
        assert tree(preview_out) == expected, f"step {number}: {edit} (the preview)"
        if number % 6 == 5:  # the preview's cache, read by a new process: whole, and as good
            (site / "site.yaml").touch()  # not a no-op, so that the build reads the whole cache
            another = build_site(site, preview_out, search=False, cache_dir=tmp_path / "preview-cache")
            assert another.ok and another.notes == [] and another.rendered == 0, f"step {number}: {edit}"
            assert tree(preview_out) == expected
        shutil.rmtree(clean_out)
        shutil.rmtree(tmp_path / f"clean-cache-{number}")
    assert shown, "some edit's page was shown ahead of the rest of its build"


def test_an_unchanged_site_renders_nothing_and_one_edit_renders_little(tmp_path: Path) -> None:
    site = copy_site(ROOT, tmp_path / "site")
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build_site(site, out, search=False, cache_dir=cache)
    assert first.rendered == first.pages
    again = build_site(site, out, search=False, cache_dir=cache)
    assert again.rendered == 0
    person = site / "content/people/kath-loftus.md"
    person.write_text(person.read_text().replace("Kath Loftus", "Kathleen Loftus"))
    edited = build_site(site, out, search=False, cache_dir=cache)
    assert 0 < edited.rendered < edited.pages / 3
    assert "Kathleen Loftus" in (out / "people/kath-loftus/index.html").read_text()


def test_a_fresh_clone_with_what_the_workflow_caches_restored_renders_only_what_changed(tmp_path: Path) -> None:
    """The publishing workflow's run: a new checkout (every file new to the file system), the
    paths its actions/cache step lists restored with their times, then a build."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/minutes.yml").read_text(encoding="utf-8"))
    [cache_step] = [s for s in workflow["jobs"]["publish"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    last_run = copy_site(ROOT, tmp_path / "last-run")
    assert build_site(last_run, last_run / "output", search=False).ok
    clone = copy_site(ROOT, tmp_path / "clone")
    for path in clone.rglob("*"):
        path.touch()
    for cached in cache_step["with"]["path"].split():
        shutil.copytree(last_run / cached, clone / cached, copy_function=shutil.copy2)
    assert build_site(clone, clone / "output", search=False).rendered == 0
    person = clone / "content/people/kath-loftus.md"
    person.write_text(person.read_text().replace("Kath Loftus", "Kathleen Loftus"))
    edited = build_site(clone, clone / "output", search=False)
    assert 0 < edited.rendered < edited.pages / 3
    assert "Kathleen Loftus" in (clone / "output/people/kath-loftus/index.html").read_text()


def test_parallel_builds_give_the_same_bytes(tmp_path: Path) -> None:
    one = build_site(ROOT, tmp_path / "one", search=False, jobs=1, cache_dir=tmp_path / "cache-one")
    two = build_site(ROOT, tmp_path / "two", search=False, jobs=2, cache_dir=tmp_path / "cache-two")
    assert one.ok and two.ok
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_validating_on_two_processes_finds_the_same_problems(tmp_path: Path) -> None:
    """The records are validated on as many processes as the build renders on: what a clerk is
    told must not depend on it."""
    site = copy_site(ROOT, tmp_path / "site")
    person = site / "content/people/kath-loftus.md"
    person.write_text(person.read_text().replace("name:", "nmae:", 1))
    meeting = sorted((site / "content/meetings/cabinet").glob("*/*.md"))[0]
    meeting.write_text(meeting.read_text() + "\n[[people/nobody-at-all]]\n")
    one = build_site(site, tmp_path / "one", search=False, jobs=1, cache_dir=tmp_path / "cache-one")
    two = build_site(site, tmp_path / "two", search=False, jobs=2, cache_dir=tmp_path / "cache-two")
    assert not one.ok and len(one.diagnostics.sorted()) >= 2
    assert one.diagnostics.sorted() == two.diagnostics.sorted()


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(site, out).ok
    assert build_site(site, out, search=False, cache_dir=cache).ok
    expected = tree(out)
    [database] = cache.glob("*.sqlite")
    database.write_bytes(b"this is not a database" * 100)
    result = build_site(site, out, search=False, cache_dir=cache)
    assert result.ok and result.rendered == result.pages
    assert result.notes == ["the build cache could not be read, so it was rebuilt"]
    assert tree(out) == expected


def test_a_cache_from_another_version_is_rebuilt(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build_site(site, out, search=False, cache_dir=cache).ok
    [database] = cache.glob("*.sqlite")
    with sqlite3.connect(database) as db:  # as another version of Minutes on this machine leaves it
        db.execute("UPDATE meta SET value = 'an-older-version', seal = ? WHERE key = 'version'",
                   (Sealer(site).seal("meta", "version", "an-older-version"),))
    result = build_site(site, out, search=False, cache_dir=cache)
    assert result.ok and result.rendered == result.pages
    assert "another version" in result.notes[0]


def test_compiled_templates_are_reused_and_damaged_or_outdated_ones_are_not(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build_site(site, out, search=False, cache_dir=cache).ok
    expected = tree(out)
    compiled = sorted((cache / "templates").glob("*/*.cache"))
    assert compiled, "the templates were compiled into the build cache"
    outdated = cache / "templates" / "an-older-version"
    outdated.mkdir()
    (outdated / "stale.cache").write_bytes(b"compiled by another version")
    for number, path in enumerate(compiled):  # damaged after Jinja2's header, or inside it
        path.write_bytes(path.read_bytes()[:15 if number % 2 else 8] + b"damaged")
    shutil.rmtree(out)
    result = build_site(site, out, search=False, cache_dir=cache)
    assert result.ok and tree(out) == expected
    assert not outdated.exists()


def test_a_published_file_changed_by_hand_is_rendered_again(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build_site(site, out, search=False, cache_dir=cache).ok
    page = out / "people/jane-smith/index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    result = build_site(site, out, search=False, cache_dir=cache)
    assert result.ok and result.rendered == 1
    assert page.read_bytes() == original

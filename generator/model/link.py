"""The link stage: cross-references resolved, and everything derived from links between
records (backlinks, attendance, memberships, previous and next meetings) worked out once."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, NamedTuple

from generator.diagnostics import Diagnostics, Position, did_you_mean
from generator.model.records import Alias as RecordAlias
from generator.model.records import (
    BoardSummary,
    CrossReference,
    Declaration,
    Item,
    ItemSummary,
    Meeting,
    MeetingSummary,
    Membership,
    PersonSummary,
    ReportSummary,
)
from generator.model.validate import Site
from generator.plan import urls
from generator.plan.inputs import Indexed
from generator.render.present import long_date

class Target(NamedTuple):
    url: str  # may carry a #fragment
    title: str


class Unresolved(NamedTuple):
    message: str
    hint: str = ""


class Backlink(NamedTuple):
    sort_key: tuple[str, str]
    url: str
    title: str


class Attendance(NamedTuple):
    meeting: MeetingSummary
    outcome: str  # present, substitute, apologies, absent, in attendance
    expected: bool  # a member of the board on the day

    @property
    def digest(self) -> str:
        """A person's page lists hundreds: quicker to digest as one value."""
        return f"{self.meeting.digest}:{self.outcome}:{self.expected}"


@dataclass(frozen=True)
class Alias:
    """An old address of a record's page, which sends readers on to it."""

    target: str  # the page's address now
    title: str
    path: str  # where the alias is written, for messages
    line: int
    column: int


@dataclass(frozen=True)
class LinkedSite:
    site: Site
    today: dt.date
    targets: Mapping[str, Target]
    links: Mapping[str, Indexed[str, Target]]  # unit key -> the targets of the cross-references in its texts
    backlinks: Mapping[str, tuple[Backlink, ...]]
    attendance: Mapping[str, tuple[Attendance, ...]]
    memberships: Mapping[str, tuple[tuple[BoardSummary, Membership], ...]]
    declarations: Mapping[str, tuple[tuple[MeetingSummary, Declaration], ...]]
    meetings_by_board: Mapping[str, tuple[MeetingSummary, ...]]
    previous: Mapping[str, MeetingSummary]
    following: Mapping[str, MeetingSummary]
    decisions: tuple[tuple[MeetingSummary, ItemSummary], ...]  # newest first
    decisions_by_board: Mapping[str, tuple[tuple[MeetingSummary, ItemSummary], ...]]  # board slug -> its decisions, newest first
    reports: Mapping[str, tuple[ReportSummary, ...]]  # meeting key -> reports
    matters: Mapping[str, tuple[tuple[MeetingSummary, ItemSummary], ...]]  # matter slug -> items, oldest first
    meeting_by_key: Mapping[str, MeetingSummary]
    overdue: frozenset[str]  # keys of the meetings still `scheduled` though their day has passed
    board_index: Indexed[str, BoardSummary]  # every board, for names: one digest for all
    people_index: Indexed[str, PersonSummary]
    people_named: Mapping[str, Indexed[str, PersonSummary]]  # meeting key -> the people its pages name
    aliases: tuple[tuple[str, Alias], ...]  # (old address, the record's page now), as written

    def meeting_title(self, meeting: MeetingSummary) -> str:
        return meeting_title(meeting, self.site.boards)

    def upcoming(self) -> list[MeetingSummary]:
        """Meetings still to come, and those still `scheduled` after their date: until the clerk
        records what happened, they stay in sight rather than silently dropping out."""
        return [m for m in self.site.meetings
                if m.status == "scheduled" or (m.status == "postponed" and m.date >= self.today)]

    def latest_minutes(self, limit: int) -> list[MeetingSummary]:
        published = [m for m in self.site.meetings if m.minutes != "none"]
        return sorted(published, key=lambda m: (m.date, m.key), reverse=True)[:limit]

    def boards_by_organisation(self) -> list[tuple[str, list[BoardSummary]]]:
        """Organisation names with their boards; the site's own organisation first."""
        groups = []
        config = self.site.config
        order = sorted(config.organisations, key=lambda slug: (slug != config.organisation, config.organisations[slug]))
        for slug in order:
            boards = sorted((b for b in self.site.boards.values() if b.organisation == slug), key=lambda b: b.name)
            if boards:
                groups.append((config.organisations[slug], boards))
        return groups

    def people_by_organisation(self) -> list[tuple[str, list[PersonSummary]]]:
        config = self.site.config
        order = sorted(config.organisations, key=lambda slug: (slug != config.organisation, config.organisations[slug]))
        groups = []
        for slug in order:
            people = sorted((p for p in self.site.people.values() if p.organisation == slug),
                            key=lambda p: (p.name.split()[-1], p.name))
            if people:
                groups.append((config.organisations[slug], people))
        return groups

    def members(self, board: BoardSummary, current: bool) -> list[Membership]:
        return [m for m in board.members if m.active_on(self.today) == current]

    def meetings_by_year(self, board: BoardSummary) -> list[tuple[int, list[MeetingSummary]]]:
        """Past meetings grouped by year, newest year first."""
        years: dict[int, list[MeetingSummary]] = defaultdict(list)
        upcoming = {m.key for m in self.upcoming_for(board)}
        for meeting in self.meetings_by_board.get(board.slug, ()):
            if meeting.key not in upcoming:
                years[meeting.date.year].append(meeting)
        return [(year, years[year]) for year in sorted(years, reverse=True)]

    def upcoming_for(self, board: BoardSummary) -> list[MeetingSummary]:
        return [m for m in self.upcoming() if m.board == board.slug]

    def board_decisions(self, board: BoardSummary, limit: int) -> list[tuple[MeetingSummary, ItemSummary]]:
        return list(self.decisions_by_board.get(board.slug, ())[:limit])

    def decisions_by_year(self) -> list[tuple[int, list[tuple[MeetingSummary, ItemSummary]]]]:
        return self._decisions_by_year

    @functools.cached_property
    def _decisions_by_year(self) -> list[tuple[int, list[tuple[MeetingSummary, ItemSummary]]]]:
        """Made once: every register page reads it."""
        years: dict[int, list[tuple[MeetingSummary, ItemSummary]]] = defaultdict(list)
        for meeting, item in self.decisions:
            years[meeting.date.year].append((meeting, item))
        return [(year, years[year]) for year in sorted(years, reverse=True)]

    def register(self, year: int | None, key_only: bool) -> list[tuple[int, list[tuple[MeetingSummary, ItemSummary]]]]:
        """The decisions register by year, newest first: one year or all, key decisions or all."""
        return [(y, [(m, i) for m, i in decisions if i.key_decision or not key_only])
                for y, decisions in self.decisions_by_year()
                if (year is None or y == year) and any(i.key_decision or not key_only for _, i in decisions)]

    def meetings_by_month(self, year: int) -> list[tuple[int, list[MeetingSummary]]]:
        months: dict[int, list[MeetingSummary]] = defaultdict(list)
        for meeting in self.site.meetings:
            if meeting.date.year == year:
                months[meeting.date.month].append(meeting)
        return sorted(months.items())

    def calendar_years(self) -> list[tuple[int, int]]:
        """(year, number of meetings), newest first."""
        counts: dict[int, int] = defaultdict(int)
        for meeting in self.site.meetings:
            counts[meeting.date.year] += 1
        return sorted(counts.items(), reverse=True)

    def forward_plan(self) -> list[tuple[MeetingSummary, ItemSummary]]:
        """Key decisions due at meetings still to come, soonest first."""
        return [(m, i) for m in self.upcoming() for i in m.items if i.key_decision and m.status == "scheduled"]

    def decisions_per_year(self, board: BoardSummary) -> list[tuple[int, int]]:
        """(year, decisions) oldest first, every year from the first to the last: a chart's axis
        without a year would put 2010 beside 2015."""
        counts: dict[int, int] = defaultdict(int)
        for meeting, _ in self.decisions_by_board.get(board.slug, ()):
            counts[meeting.date.year] += 1
        return [(year, counts[year]) for year in _every_year(counts)]

    def attendance_by_year(self, person: str) -> list[tuple[int, int, int]]:
        """(year, meetings attended, meetings missed) oldest first, every year from the first to
        the last: attended in any capacity, missed only where expected as a member."""
        years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for record in self.attendance.get(person, ()):
            if record.outcome in ("present", "substitute", "in attendance"):
                years[record.meeting.date.year][0] += 1
            elif record.expected:
                years[record.meeting.date.year][1] += 1
        return [(year, years[year][0], years[year][1]) for year in _every_year(years)]

    def attendance_rate(self, person: str) -> tuple[int, int]:
        """(meetings attended, meetings expected at) as a member."""
        expected = [a for a in self.attendance.get(person, ()) if a.expected]
        attended = [a for a in expected if a.outcome in ("present", "substitute")]
        return len(attended), len(expected)


def _every_year(years: Mapping[int, object]) -> range:
    return range(min(years), max(years) + 1) if years else range(0)


def meeting_title(meeting: Meeting | MeetingSummary, boards: Mapping[str, BoardSummary]) -> str:
    """A meeting as its board and date name it: "Executive Board, 16 December 2010"."""
    name = boards[meeting.board].name
    title = f"{name}, {long_date(meeting.date)}"
    return f"{title} ({meeting.title})" if meeting.title else title


def reference_text(item: ItemSummary) -> str:
    """What a [[reference]] to an item shows. An exempt item's title is published only on its
    meeting's page, outside the search index, so a reference to it shows its reference alone."""
    if item.is_exempt:
        return item.ref or "an exempt item"
    return item.label


def item_url(meeting: Meeting | MeetingSummary, item: Item | ItemSummary) -> str:
    if item.is_decision:
        return urls.decision(meeting.board, meeting.slug, item.id)
    return urls.meeting(meeting.board, meeting.slug) + "#" + item.id


def link_site(site: Site, today: dt.date, diagnostics: Diagnostics) -> LinkedSite | None:
    """Resolve every [[reference]]; None when any cannot be resolved."""
    meeting_by_key = {m.key: m for m in site.meetings}
    index = _TargetIndex(site, meeting_by_key)
    targets: dict[str, Target] = {}
    backlinks: dict[str, set[Backlink]] = defaultdict(set)
    sources = _Sources(site, meeting_by_key)
    for xref in site.xrefs:
        resolved = index.resolve(xref.target)
        if isinstance(resolved, Unresolved):
            diagnostics.error(xref.path, Position(xref.line, xref.column), resolved.message, resolved.hint)
            continue
        targets[xref.target] = resolved
        source_url, source_title, sort_date = sources.page(xref)
        page = resolved.url.split("#", 1)[0]
        if page != source_url:
            backlinks[page].add(Backlink((sort_date, source_title), source_url, source_title))
    if diagnostics.has_errors:
        return None
    for meeting in site.meetings:
        if meeting.status == "scheduled" and meeting.date < today:
            diagnostics.warning(meeting.path, Position(meeting.status_line, 1),
                                f"this meeting is still scheduled, but its date ({long_date(meeting.date)}) has passed",
                                "record it as held (with its minutes), cancelled or postponed; until then it is "
                                "listed as upcoming")
    meetings_by_board: dict[str, list[MeetingSummary]] = defaultdict(list)
    for meeting in site.meetings:
        meetings_by_board[meeting.board].append(meeting)
    previous: dict[str, MeetingSummary] = {}
    following: dict[str, MeetingSummary] = {}
    for board_meetings in meetings_by_board.values():
        for before, after in zip(board_meetings, board_meetings[1:]):
            following[before.key] = after
            previous[after.key] = before
    decisions = sorted(
        ((m, i) for m in site.meetings for i in m.items if i.is_decision),
        key=lambda pair: (-pair[0].date.toordinal(), pair[0].board, pair[0].slug, pair[1].number),
    )
    by_board: dict[str, list[tuple[MeetingSummary, ItemSummary]]] = defaultdict(list)
    for meeting, item in decisions:
        by_board[meeting.board].append((meeting, item))
    reports: dict[str, list[ReportSummary]] = defaultdict(list)
    for report in site.reports:
        reports[report.meeting_key].append(report)
    matters: dict[str, list[tuple[MeetingSummary, ItemSummary]]] = defaultdict(list)
    for meeting in site.meetings:
        for item in meeting.items:
            if item.matter:
                matters[item.matter].append((meeting, item))
    return LinkedSite(
        site=site,
        today=today,
        targets=dict(sorted(targets.items())),
        links={key: Indexed((target, targets[target]) for target in sorted({x.target for x in unit.xrefs}))
               for key, unit in site.units.items() if unit.xrefs},
        backlinks={url: tuple(sorted(links)) for url, links in sorted(backlinks.items())},
        attendance=_attendance(site),
        memberships=_memberships(site),
        declarations=_declarations(site),
        meetings_by_board={board: tuple(ms) for board, ms in sorted(meetings_by_board.items())},
        previous=previous,
        following=following,
        decisions=tuple(decisions),
        decisions_by_board={board: tuple(pairs) for board, pairs in sorted(by_board.items())},
        reports={key: tuple(rs) for key, rs in sorted(reports.items())},
        matters={slug: tuple(items) for slug, items in sorted(matters.items())},
        meeting_by_key=meeting_by_key,
        overdue=frozenset(m.key for m in site.meetings if m.status == "scheduled" and m.date < today),
        board_index=Indexed(site.boards.items()),
        people_index=Indexed(site.people.items()),
        people_named={m.key: Indexed((slug, site.people[slug]) for slug in sorted(_people_named(m))) for m in site.meetings},
        aliases=_aliases(site),
    )


class _Sources:
    """The page a piece of text is shown on, its title and when it was written: how a page lists
    the records that link to it ("Referenced by")."""

    def __init__(self, site: Site, meetings: Mapping[str, MeetingSummary]) -> None:
        self.site = site
        self.meetings = meetings
        self.reports = {(r.meeting_key, r.slug): r for r in site.reports}

    def page(self, xref: CrossReference) -> tuple[str, str, str]:
        kind, *keys = xref.source
        if kind == "person":
            return urls.person(keys[0]), self.site.people[keys[0]].display_name, ""
        if kind == "board":
            return urls.board(keys[0]), self.site.boards[keys[0]].name, ""
        meeting = self.meetings[keys[0]]
        title = meeting_title(meeting, self.site.boards)
        if kind == "item":
            item = meeting.item(keys[1])
            assert item is not None
            return (item_url(meeting, item).split("#")[0], f"{item.label} ({title})" if item.is_decision else title,
                    meeting.date.isoformat())
        if kind == "report":
            report = self.reports[(keys[0], keys[1])]
            return urls.report(report.board, report.meeting, report.slug), f"{report.title} ({title})", meeting.date.isoformat()
        return urls.meeting(meeting.board, meeting.slug), title, meeting.date.isoformat()


class _TargetIndex:
    """Every record a [[reference]] can name, looked up by what the clerk wrote."""

    def __init__(self, site: Site, meetings: Mapping[str, MeetingSummary]) -> None:
        self.site = site
        self.meetings = meetings
        self.reports = {f"{r.meeting_key}/{r.slug}": r for r in site.reports}
        self.by_ref: dict[str, list[tuple[MeetingSummary, ItemSummary]]] = defaultdict(list)
        for meeting in site.meetings:
            for item in meeting.items:
                if item.ref:
                    self.by_ref[item.ref].append((meeting, item))

    def resolve(self, target: str) -> Target | Unresolved:
        """The target, or why there is none."""
        site = self.site
        if target.startswith("people/"):
            slug = target[len("people/"):]
            if slug in site.people:
                return Target(urls.person(slug), site.people[slug].display_name)
            return Unresolved(f"there is no person '{slug}'", did_you_mean(slug, site.people))
        if target.startswith("boards/"):
            slug = target[len("boards/"):]
            if slug in site.boards:
                return Target(urls.board(slug), site.boards[slug].name)
            return Unresolved(f"there is no board '{slug}'", did_you_mean(slug, site.boards))
        path, _, fragment = target.partition("#")
        if "/" not in path:
            return self._by_ref(target)
        if path in self.reports:
            report = self.reports[path]
            if fragment:
                return Unresolved(f"a report has no items: '[[{target}]]'", f"link to the report as [[{path}]]")
            return Target(urls.report(report.board, report.meeting, report.slug), report.title)
        meeting = self.meetings.get(path)
        if meeting is None:
            return Unresolved(f"there is no meeting or report '{path}'", did_you_mean(path, list(self.meetings) + list(self.reports)))
        if not fragment:
            return Target(urls.meeting(meeting.board, meeting.slug), meeting_title(meeting, site.boards))
        item = meeting.item(fragment)
        if item is None:
            keys = [k for i in meeting.items for k in (i.ref, i.id) if k]
            return Unresolved(f"there is no item '{fragment}' in the meeting {path}", did_you_mean(fragment, keys))
        return Target(item_url(meeting, item), reference_text(item))

    def _by_ref(self, ref: str) -> Target | Unresolved:
        found = self.by_ref.get(ref, [])
        if len(found) == 1:
            meeting, item = found[0]
            return Target(item_url(meeting, item), reference_text(item))
        if not found:
            return Unresolved(f"there is no item with the reference '{ref}'", did_you_mean(ref, self.by_ref))
        where = ", ".join(f"[[{m.key}#{ref}]]" for m, _ in found)
        return Unresolved(f"the reference '{ref}' matches items in {len(found)} meetings", f"write one of {where}")


def _people_named(meeting: MeetingSummary) -> set[str]:
    """Everyone a meeting's pages name: at it, declaring an interest, or voting."""
    named = {a.person for attendees in (meeting.present, meeting.apologies, meeting.substitutes, meeting.in_attendance)
             for a in attendees if a.person}
    named.update(d.person for d in meeting.declarations)
    named.update(slug for item in meeting.items for slug in item.voters)
    return named


def _aliases(site: Site) -> tuple[tuple[str, Alias], ...]:
    """Every old address of a record's page, with the page it now is."""
    found: list[tuple[str, Alias]] = []

    def add(url: str, title: str, path: str, aliases: tuple[RecordAlias, ...]) -> None:
        found.extend((alias.path, Alias(url, title, path, alias.line, alias.column)) for alias in aliases)

    for person in site.people.values():
        add(urls.person(person.slug), person.display_name, person.path, person.aliases)
    for board in site.boards.values():
        add(urls.board(board.slug), board.name, board.path, board.aliases)
    for meeting in site.meetings:
        add(urls.meeting(meeting.board, meeting.slug), meeting_title(meeting, site.boards), meeting.path, meeting.aliases)
        for item in meeting.items:
            add(item_url(meeting, item), item.label, meeting.path, item.aliases)
    for report in site.reports:
        add(urls.report(report.board, report.meeting, report.slug), report.title, report.path, report.aliases)
    return tuple(sorted(found))


def _attendance(site: Site) -> dict[str, tuple[Attendance, ...]]:
    records: dict[str, list[Attendance]] = defaultdict(list)
    for meeting in site.meetings:
        if meeting.status != "held" or not (meeting.present or meeting.substitutes):
            continue
        board = site.boards[meeting.board]
        members = {m.person for m in board.members if m.active_on(meeting.date)}
        outcomes: dict[str, str] = {}
        for outcome, attendees in (("present", meeting.present), ("substitute", meeting.substitutes),
                                   ("apologies", meeting.apologies), ("in attendance", meeting.in_attendance)):
            for attendee in attendees:
                if attendee.person:
                    outcomes[attendee.person] = outcome
        for person in sorted(members | set(outcomes)):
            records[person].append(Attendance(meeting, outcomes.get(person, "absent"), person in members))
    return {person: tuple(entries) for person, entries in sorted(records.items())}


def _memberships(site: Site) -> dict[str, tuple[tuple[BoardSummary, Membership], ...]]:
    found: dict[str, list[tuple[BoardSummary, Membership]]] = defaultdict(list)
    for board in site.boards.values():
        for membership in board.members:
            found[membership.person].append((board, membership))
    return {person: tuple(sorted(entries, key=lambda e: (e[0].name, e[1].start or dt.date.min)))
            for person, entries in sorted(found.items())}


def _declarations(site: Site) -> dict[str, tuple[tuple[MeetingSummary, Declaration], ...]]:
    found: dict[str, list[tuple[MeetingSummary, Declaration]]] = defaultdict(list)
    for meeting in site.meetings:
        for declaration in meeting.declarations:
            found[declaration.person].append((meeting, declaration))
    return {person: tuple(entries) for person, entries in sorted(found.items())}

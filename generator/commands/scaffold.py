"""`minutes init` and `minutes new`: start a site, or a meeting, a board or a person from what
the site already knows.

Every file written here passes `minutes check` as it is. A record that already exists is never
overwritten. Problems with the arguments themselves raise `BadArgument` (a usage error); problems
found by looking at the site (the file exists, a board or person it names does not) are returned
as diagnostics.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Diagnostics, Position, did_you_mean
from generator.model.fields import SLUG, Invalid, Time
from generator.source.frontmatter import Document, parse_yaml, split_document
from generator.source.load import MEETING_NAME, SiteDocuments, read_site
from generator.source.minutes import parse_minutes
from generator.model.records import BOARD_KINDS, PERSON_ROLES
from generator.render.present import long_date
from generator.plan.urls import slugify
from generator.model.validate.boards import validate_board
from generator.model.validate.common import References, report_unknown
from generator.model.validate.config import validate_config
from generator.model.validate.people import validate_person

OPENING_ITEMS = ("Apologies for absence", "Declarations of interest", "Minutes of the last meeting")
_PREFIX = re.compile(r"^[^\s\\\[\]{}#|]+$")


class BadArgument(ValueError):
    """An argument that could never be right, whatever the site holds."""


@dataclass(frozen=True)
class Written:
    path: Path
    notes: tuple[str, ...] = ()


# --- A new site ----------------------------------------------------------------------------------

SITE_YAML = """\
# The settings of this Minutes site (docs/format.md describes every field).
# Lines starting with # are comments; change the values after the colons.

# The name of the site, shown at the top of every page.
title: {title}

# The council or other body whose records these are: its name, as the public
# knows it. A site publishing several bodies' records lists them under
# 'organisations:' (slug: full name) and names the main one's slug here.
organisation: {organisation}

# The address the site will be published at, ending in /. Change it before
# publishing: feeds, calendars and the sitemap give full addresses.
base_url: {base_url}

# The language of the records (en-GB, or cy-GB for Welsh).
language: en-GB

# The time zone meeting times are written in.
timezone: Europe/London

# A line shown at the foot of every page, such as the democratic services
# team's address. Remove the # to use it.
# contact: Democratic Services, County Hall, Borchester

# A licence line shown at the foot of every page. Remove the # to use it.
# licence: Contains public sector information licensed under the Open Government Licence v3.0.
"""
GITIGNORE = "# Built by minutes build and minutes serve: never committed.\noutput/\n.cache/\n"


def init_site(root: Path, title: str | None = None, organisation: str | None = None,
              base_url: str | None = None) -> Written | Diagnostic:
    """Make a new site folder; an existing site is never touched."""
    for existing in ("site.yaml", "content"):
        if (root / existing).exists():
            return Diagnostic(existing, 1, 1, f"there is already a site in {root}: it has {existing}",
                              "choose a new folder, or work on this site with --site")
    organisation = one_line("--organisation", organisation) if organisation is not None else \
        " ".join(word.capitalize() for word in re.split(r"[-_\s]+", root.resolve().name) if word) or "Our Council"
    title = one_line("--title", title) if title is not None else f"{organisation} meetings"
    base_url = one_line("--base-url", base_url) if base_url is not None else "https://example.org/"
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        raise BadArgument(f"'{base_url}' is not an absolute web address: write one such as https://records.example.gov.uk/")
    base_url += "" if base_url.endswith("/") else "/"
    for folder in ("boards", "meetings", "people"):
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
        (root / "content" / folder / ".gitkeep").touch()
    if not (root / ".gitignore").exists():
        (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    with (root / "site.yaml").open("x", encoding="utf-8") as out:
        out.write(SITE_YAML.format(title=yaml_text(title), organisation=yaml_text(organisation),
                                   base_url=yaml_text(base_url)))
    return Written(root / "site.yaml")


# --- Meetings ----------------------------------------------------------------------------------

def new_meeting(site_root: Path, board: str, day: dt.date, suffix: str | None = None,
                first_number: int | None = None) -> Written | Diagnostic:
    """Write content/meetings/<board>/<date>.md, filled in from the board and its last meeting."""
    loading = Diagnostics()
    raw = read_site(site_root, loading)
    board_rel = f"content/boards/{board}.md"
    board_doc = next((doc for doc in raw.boards if doc.rel == board_rel), None)
    if board_doc is None:
        if (site_root / board_rel).exists():  # there, but unreadable: say why, as `minutes check` would
            return next((d for d in loading.sorted() if d.path == board_rel),
                        Diagnostic(board_rel, 1, 1, f"the board '{board}' cannot be read", "run minutes check"))
        known = [_slug_of(doc) for doc in raw.boards]
        return Diagnostic(board_rel, 1, 1, f"there is no board '{board}'", did_you_mean(board, known) or f"add {board_rel} first")
    name = day.isoformat() + (f"-{suffix}" if suffix else "")
    target = site_root / "content" / "meetings" / board / f"{name}.md"
    bundle = target.with_suffix("") / "index.md"
    if target.exists() or bundle.exists():
        existing = target if target.exists() else bundle
        return Diagnostic(existing.relative_to(site_root).as_posix(), 1, 1, "this meeting already exists",
                          "add a suffix for a second meeting on the same day: --suffix special")
    data = board_doc.data
    earlier = sorted((m for m in raw.meetings if m.board == board and _meeting_key(m.name) < _meeting_key(name)),
                     key=lambda m: _meeting_key(m.name))
    notes: list[str] = []
    lines = ["---", f"date: {day.isoformat()}"]
    if isinstance(data.get("start"), str) and _is_time(data["start"]):
        lines.append(f'start: "{data["start"]}"')
    if isinstance(data.get("venue"), str) and data["venue"].strip():
        lines.append(f"venue: {yaml_text(data['venue'].strip())}")
    lines += ["status: scheduled", "minutes: none"]
    lines += _expected_members(raw, data, day)
    lines.append("---")
    refs = _opening_refs(data.get("minute_prefix"), earlier, first_number, notes)
    last = next((m for m in reversed(earlier) if m.doc.data.get("status") not in ("cancelled", "postponed")), None)
    for ref, title in zip(refs, OPENING_ITEMS):
        lines += [f"## {ref} {title}" if ref else f"## {title}", ""]
        if title == OPENING_ITEMS[-1] and last is not None:
            held = _meeting_date(last.name)
            lines += [f"To approve the minutes of the meeting held on [[{board}/{last.name}|{long_date(held)}]].", ""]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return Written(target, tuple(notes))


def _expected_members(raw: SiteDocuments, board: dict[str, Any], day: dt.date) -> list[str]:
    """A commented-out attendance list of the board's members on the day, ready to uncomment."""
    members = []
    for entry in board.get("members") or []:
        entry = {"person": entry} if isinstance(entry, str) else entry
        if not isinstance(entry, dict) or not isinstance(entry.get("person"), str):
            continue
        start, end = entry.get("from"), entry.get("to")
        if (isinstance(start, dt.date) and start > day) or (isinstance(end, dt.date) and end < day):
            continue
        role = entry.get("role") if isinstance(entry.get("role"), str) and entry.get("role") != "Member" else None
        members.append((entry["person"], role))
    if not members:
        return []
    people = {_slug_of(doc): doc.data for doc in raw.people}
    width = max(len(slug) for slug, _ in members)
    lines = [(f"# Expected: the {len(members)} member{'' if len(members) == 1 else 's'} of the board on {long_date(day)}. "
              "After the meeting,"),
             "# remove the '# ' from the lines below and move anyone who sent apologies",
             "# from present to apologies.",
             "# present:"]
    for slug, role in members:
        person = people.get(slug, {})
        shown = " ".join(str(person[key]) for key in ("honorific", "name") if isinstance(person.get(key), str)) or "no page yet"
        lines.append(f"#   - {slug.ljust(width)}  # {shown}{', ' + role if role else ''}")
    lines.append("# apologies:")
    return lines


def _opening_refs(prefix: Any, earlier: list[Any], first_number: int | None, notes: list[str]) -> list[str | None]:
    """Minute references for the opening items: a board with a minute prefix numbers its minutes
    in one running sequence, so they continue from its last numbered meeting."""
    count = len(OPENING_ITEMS)
    prefix = prefix.strip() if isinstance(prefix, str) else ""
    if not prefix and first_number is None:
        return [None] * count
    separator, after, asked = "", None, first_number is not None
    if prefix and not asked:
        pattern = re.compile(re.escape(prefix) + r"([/.\-]?)(\d+)")
        for source in reversed(earlier):
            found = [(m.group(1), int(m.group(2)), h.heading.ref)
                     for h in parse_minutes(source.doc.body, source.doc.body_line).items
                     if h.heading.ref and (m := pattern.match(h.heading.ref))]
            if found:
                separator, number, ref = max(found, key=lambda f: f[1])
                after = (ref, _meeting_date(source.name))
                first_number = number + 1
                break
    start = first_number if first_number is not None else 1
    refs: list[str | None] = [f"{prefix}{separator}{n}" for n in range(start, start + count)]
    if prefix:
        if asked:
            notes.append(f"The opening items are numbered {refs[0]} to {refs[-1]}.")
        else:
            why = (f"after {after[0]} at the meeting of {long_date(after[1])}" if after
                   else "no earlier meeting of this board has numbered minutes")
            notes.append(f"The opening items are numbered {refs[0]} to {refs[-1]} ({why}); "
                         "use --first-number N to start elsewhere, such as 1 at the start of a municipal year.")
    return refs


def _meeting_key(name: str) -> tuple[str, str]:
    match = MEETING_NAME.match(name)
    return (match.group(1), match.group(2) or "") if match else (name, "")


def _meeting_date(name: str) -> dt.date:
    return dt.date.fromisoformat(name[:10])


def _is_time(value: str) -> bool:
    try:
        Time().clean(value)
    except Invalid:
        return False
    return True


# --- Boards and people -------------------------------------------------------------------------

def new_board(site_root: Path, slug: str, *, name: str, kind: str, prefix: str | None = None,
              organisation: str | None = None, parent: str | None = None, venue: str | None = None,
              start: str | None = None, contact: str | None = None,
              members: Sequence[str] = ()) -> Written | list[Diagnostic]:
    """Write content/boards/<slug>.md. `members` are `person-slug` or `person-slug:Role`."""
    check_slug(slug, "board")
    if kind not in BOARD_KINDS:
        raise BadArgument(f"'{kind}' is not a kind of board: choose one of {', '.join(BOARD_KINDS)}")
    fields: list[tuple[str, str | None]] = [("name", one_line("--name", name)), ("kind", kind)]
    if prefix is not None:
        prefix = one_line("--prefix", prefix)
        if not _PREFIX.match(prefix) or any(c.isdigit() for c in prefix):
            raise BadArgument(f"'{prefix}' is not a minute prefix: use letters (and perhaps a '/'), such as PC or EXB")
        fields.append(("minute_prefix", prefix))
    if organisation is not None:
        fields.append(("organisation", check_slug(organisation, "organisation")))
    if parent is not None:
        fields.append(("parent", check_slug(parent, "board")))
    if venue is not None:
        fields.append(("venue", one_line("--venue", venue)))
    if start is not None:
        try:
            fields.append(("start", Time().clean(start)))
        except Invalid as err:
            raise BadArgument(f"--start: {err.message} ({err.hint})") from None
    if contact is not None:
        fields.append(("contact", one_line("--contact", contact)))
    lines = ["---", "# The board's remit or terms of reference goes below the closing line."]
    lines += [f'{key}: "{value}"' if key == "start" else f"{key}: {yaml_text(value or '')}" for key, value in fields]
    if members:
        lines.append("members:")
        for member in members:
            person, _, role = member.partition(":")
            lines.append(f"  - person: {check_slug(person.strip(), 'person')}")
            if role.strip():
                lines.append(f"    role: {yaml_text(one_line('--member', role))}")
    return _write_record(site_root, f"content/boards/{slug}.md", "board", lines + ["---"])


def new_person(site_root: Path, slug: str, *, name: str, honorific: str | None = None, party: str | None = None,
               ward: str | None = None, role: str | None = None, position: str | None = None,
               organisation: str | None = None) -> Written | list[Diagnostic]:
    """Write content/people/<slug>.md."""
    check_slug(slug, "person")
    if role is not None and role not in PERSON_ROLES:
        raise BadArgument(f"'{role}' is not a role: choose one of {', '.join(PERSON_ROLES)}")
    lines = ["---", f"name: {yaml_text(one_line('--name', name))}"]
    for key, value in (("honorific", honorific), ("party", party), ("ward", ward), ("role", role),
                       ("position", position)):
        if value is not None:
            lines.append(f"{key}: {yaml_text(one_line('--' + key, value))}")
    if organisation is not None:
        lines.append(f"organisation: {check_slug(organisation, 'organisation')}")
    return _write_record(site_root, f"content/people/{slug}.md", "person", lines + ["---"])


def _write_record(site_root: Path, rel: str, what: str, lines: list[str]) -> Written | list[Diagnostic]:
    """Check the new record against the site as `minutes check` would, then write it."""
    target = site_root / rel
    if target.exists():
        return [Diagnostic(rel, 1, 1, f"this {what} already exists", f"choose another slug, or edit {rel}")]
    text = "\n".join(lines) + "\n"
    raw = read_site(site_root, Diagnostics())
    diagnostics = Diagnostics()
    config = validate_config(raw.config, diagnostics) if raw.config is not None else None
    if config is None:
        return [Diagnostic("site.yaml", 1, 1, "the site's settings have problems, so the new record cannot be checked",
                           "run minutes check and correct site.yaml first")]
    doc, problems = split_document(rel, text)
    if doc is None:  # pragma: no cover - the text above is always well-formed
        return problems
    if what == "board":
        refs = References()
        validate_board(doc, config, refs, diagnostics)
        known = {"person": {_slug_of(d) for d in raw.people}, "board": {_slug_of(d) for d in raw.boards} | {_slug_of(doc)}}
        for ref in refs.found:
            if ref.slug not in known[ref.what]:
                report_unknown(ref.path, Position(ref.line, ref.column), ref.what, ref.slug, known[ref.what], diagnostics)
    else:
        validate_person(doc, config, diagnostics)
    if diagnostics.has_errors:
        return diagnostics.sorted()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # never replaces a file made meanwhile
        out.write(text)
    return Written(target)


# --- Small helpers ------------------------------------------------------------------------------

def check_slug(value: str, what: str) -> str:
    if not SLUG.match(value):
        suggestion = slugify(value)
        raise BadArgument(f"'{value}' is not a {what}'s slug: use lower-case letters, digits and hyphens"
                          + (f", such as '{suggestion}'" if suggestion else ""))
    return value


def one_line(option: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise BadArgument(f"{option} is empty")
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise BadArgument(f"{option} must be one line of text")
    return text


def yaml_text(value: str) -> str:
    """`value` as a YAML scalar that reads back as exactly this text, both to Minutes and to
    any other YAML reader: plain when it can be, otherwise double-quoted (a JSON string is a
    valid YAML double-quoted scalar)."""
    line = f"value: {value}"
    parsed = parse_yaml("", line)
    if not parsed.problems and parsed.value == {"value": value} and type(parsed.value["value"]) is str:
        try:
            if yaml.safe_load(line) == {"value": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def yaml_flow_text(value: str) -> str:
    """`value` inside a flow mapping (`{person: x, role: ...}`), where a comma or a colon would
    end it: plain when it is only words, otherwise double-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 '()/.-]*", value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def _slug_of(doc: Document) -> str:
    return doc.rel.rsplit("/", 1)[-1][:-3]

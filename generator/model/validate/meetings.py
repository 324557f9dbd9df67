"""content/meetings/<board>/<date>.md: a meeting's facts, attendance, papers and agenda items."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from generator.diagnostics import Diagnostics, Position, did_you_mean
from generator.model.fields import (
    SLUG,
    Choice,
    Date,
    Duration,
    Field,
    Flag,
    Invalid,
    ListOf,
    MapOf,
    Number,
    Record,
    Schema,
    Slug,
    Text,
    Time,
)
from generator.source.frontmatter import Document as SourceDocument
from generator.source.load import MEETING_NAME, MeetingFiles
from generator.model.markup import Converter
from generator.source.minutes import ParsedBody, ParsedItem, Part, parse_minutes
from generator.model.records import (
    Attendee,
    CallIn,
    Declaration,
    Document,
    Item,
    Markdown,
    Media,
    Meeting,
    Resolution,
    Votes,
)
from generator.plan.urls import slugify
from generator.model.validate.common import ALIASES, SOURCE, References, aliases
from generator.model.validate.markdown import check_markdown

STATUSES = ("scheduled", "held", "cancelled", "postponed")
MINUTES = ("none", "draft", "approved")
ATTENDANCE = ("present", "apologies", "substitutes", "in_attendance")


VOTERS = ListOf(Slug(what="a person's slug", example="mark-dennett"))
COUNTED_VOTERS = Record({"count": Number(required=True), "people": ListOf(VOTERS.item, required=True)},
                        shape="{count: 3, people: [...]}")


class VoteCount(Field):
    """A number of votes, the list of people who cast them (a recorded vote), or both as
    {count, people}, as minutes often give them; the count is checked against the names."""

    def clean(self, value: Any) -> int | tuple[str, ...] | dict[str, Any]:
        if isinstance(value, list):
            return VOTERS.clean(value)
        if isinstance(value, dict):
            return COUNTED_VOTERS.clean(value)
        try:
            return Number().clean(value)
        except Invalid:
            raise Invalid(f"expected a number of votes or a list of people, found '{value}'") from None


ATTENDEE = Record({"person": Slug(what="a person's slug", example="mark-dennett"), "name": Text(), "role": Text()},
                  shorthand="person", shape="a person's slug, or {person: ..., role: ...} or {name: ..., role: ...}")
SCHEMA = Schema({
    "date": Date(required=True),
    "title": Text(),
    "start": Time(),
    "end": Time(),
    "venue": Text(),
    "status": Choice(STATUSES, what="a meeting status", required=True),
    "minutes": Choice(MINUTES, what="a state of the minutes", default="none"),
    "approved": Date(),
    "corrected": Date(),
    "aliases": ALIASES,
    "present": ListOf(ATTENDEE),
    "apologies": ListOf(ATTENDEE),
    "substitutes": ListOf(ATTENDEE),
    "in_attendance": ListOf(ATTENDEE),
    "declarations": ListOf(Record({
        "person": Slug(what="a person's slug", example="mark-dennett", required=True),
        "item": Text(required=True),
        "interest": Text(required=True),
        "note": Text(),
    })),
    "documents": ListOf(Record({"title": Text(), "file": Text(), "url": Text(), "item": Text()},
                               shape="{title: ..., file: ...} or {title: ..., url: ...}")),
    "media": ListOf(Record({"title": Text(required=True), "url": Text(required=True),
                            "kind": Choice(("video", "audio"), what="a kind of recording", default="video")})),
    "items": MapOf(Text(), Record({
        "key_decision": Flag(default=False),
        "wards": ListOf(Text()),
        "decision_maker": Text(),
        "call_in": Record({"deadline": Date(), "status": Text()}),
        "effective_from": Date(),
        "votes": Record({"for": VoteCount(), "against": VoteCount(), "abstain": VoteCount()}),
        "matter": Slug(what="a matter slug", example="school-meals"),
        "media_offset": Duration(),
        "aliases": ALIASES,
    }), shape="a line for each item, such as 'EXB77: {key_decision: true}'"),
    "source": SOURCE,
})


def validate_meeting(doc: SourceDocument, source: MeetingFiles, report_titles: Mapping[str, str],
                     refs: References, converter: Converter, diagnostics: Diagnostics) -> Meeting | None:
    """Check one meeting file on its own; `report_titles` maps the slugs of the reports in its
    folder to their titles. What it names in other records goes to `refs`, to be checked once
    every record is read."""
    before = diagnostics.error_count()
    values = SCHEMA.check(doc, diagnostics)
    refs.board(doc.rel, source.board, f"add content/boards/{source.board}.md")
    body = parse_minutes(doc.body, doc.body_line)
    for problem in body.problems:
        diagnostics.error(doc.rel, Position(problem.line, problem.column), problem.message, problem.hint)
    _check_headings_in_text(doc, body, check_markdown(_pieces(doc, body), diagnostics), converter, diagnostics)
    if values["date"] is not None:
        _check_date(doc, source.name, values, diagnostics)
    if values["start"] and values["end"] and values["end"] < values["start"]:
        diagnostics.error(doc.rel, doc.at(("end",)), f"the meeting ends ({values['end']}) before it starts ({values['start']})")
    if values["status"] is not None:
        _check_status(doc, values, diagnostics)
    _check_minutes_dates(doc, values, diagnostics)
    attendance = {key: _attendees(doc, key, values[key], refs, diagnostics) for key in ATTENDANCE}
    _check_attendance_overlap(doc, values, diagnostics)
    items = _items(doc, source.board, values, body.items, refs, diagnostics)
    by_key = _item_lookup(items)
    documents = _documents(doc, source, values["documents"], by_key, report_titles, diagnostics)
    _check_exempt_documents(doc, items, values["documents"], by_key, diagnostics)
    declarations = _declarations(doc, values["declarations"], by_key, refs, diagnostics)
    _check_votes(doc, values, refs, diagnostics)
    media = _media(doc, values["media"], values["items"], diagnostics)
    if diagnostics.error_count() > before:
        return None
    intro = Markdown(body.intro.text, doc.rel, body.intro.line) if body.intro else None
    return Meeting(
        board=source.board,
        slug=source.name,
        date=values["date"],
        title=values["title"],
        start=values["start"],
        end=values["end"],
        venue=values["venue"],
        status=values["status"],
        minutes=values["minutes"],
        present=attendance["present"],
        apologies=attendance["apologies"],
        substitutes=attendance["substitutes"],
        in_attendance=attendance["in_attendance"],
        declarations=declarations,
        documents=documents,
        items=items,
        intro=intro,
        media=media,
        path=doc.rel,
        folder=source.folder,
        approved=values["approved"],
        corrected=values["corrected"],
        status_line=doc.at(("status",)).line,
        aliases=aliases(doc, ("aliases",), values["aliases"]),
    )


def _pieces(doc: SourceDocument, body: ParsedBody) -> list[Markdown]:
    parts = [body.intro] + [part for item in body.items for part in (item.text, item.resolution, *item.sections.values())]
    return [Markdown(part.text, doc.rel, part.line) for part in parts if part]


def _check_headings_in_text(doc: SourceDocument, body: ParsedBody, pieces: list[Markdown], converter: Converter,
                            diagnostics: Diagnostics) -> None:
    """Only '## ' lines start items. A heading that Python-Markdown makes anywhere else (a line
    underlined with '---', a heading inside a list or a quotation) would be published as text of
    the item above it, with whatever was under it, exempt or not. The text is checked as it will
    be published: converted by the same converter (`pieces` are those safe to convert)."""
    reported = {problem.line for problem in body.problems}
    for piece in pieces:
        line = piece.line + _heading_offset(piece.text)
        if "<h2>" in converter.html(piece.text) and line not in reported:
            diagnostics.error(doc.rel, Position(line, 1),
                              "this is read as a heading inside an item's text, not as a new agenda item",
                              "start each agenda item with '## ' at the beginning of a line of its own; "
                              "for a line across the page, leave a blank line above the '---'")


def _heading_offset(text: str) -> int:
    """The line of a piece of text most likely read as a heading: where it is shown to the clerk."""
    lines = text.split("\n")
    for offset, line in enumerate(lines):
        if re.match(r"^[\s>*+\-\d.)]*#", line):
            return offset
        if offset and lines[offset - 1].strip() and re.fullmatch(r"\s*(=+|-+)\s*", line):
            return offset - 1
    return 0


def _check_date(doc: SourceDocument, name: str, values: dict[str, Any], diagnostics: Diagnostics) -> None:
    match = MEETING_NAME.match(name)
    assert match is not None
    try:
        named = dt.date.fromisoformat(match.group(1))
    except ValueError:
        diagnostics.error(doc.rel, Position(1, 1), f"the file name '{name}' is not a real date",
                          "name meetings YYYY-MM-DD after the day they are held")
        return
    if values["date"] != named:
        diagnostics.error(doc.rel, doc.at(("date",)),
                          f"the date {values['date'].isoformat()} does not match the file name ({named.isoformat()})",
                          "correct the date, or rename the file after the day of the meeting")


def _check_status(doc: SourceDocument, values: dict[str, Any], diagnostics: Diagnostics) -> None:
    if values["minutes"] != "none" and values["status"] != "held":
        diagnostics.error(doc.rel, doc.at(("minutes",)),
                          f"a meeting that is {values['status']} cannot have {values['minutes']} minutes",
                          "set status: held once the meeting has taken place")


def _check_minutes_dates(doc: SourceDocument, values: dict[str, Any], diagnostics: Diagnostics) -> None:
    """`approved` and `corrected` date changes to published minutes, which feed readers are told of."""
    approved, corrected, minutes = values["approved"], values["corrected"], values["minutes"]
    if approved and minutes != "approved":
        diagnostics.error(doc.rel, doc.at(("approved",)),
                          f"these minutes are {minutes}, so they have no date of approval" if minutes == "draft"
                          else "this meeting has no minutes, so they have no date of approval",
                          "set minutes: approved when they are approved, with the date")
    if corrected and minutes == "none":
        diagnostics.error(doc.rel, doc.at(("corrected",)), "this meeting has no minutes to correct",
                          "corrected is the date published minutes were corrected")
    day = values["date"]
    for key, verb, hint in (("approved", "approved", "approved is the date of the meeting that approved them"),
                            ("corrected", "corrected", "corrected is the date the published minutes were corrected")):
        if day and values[key] and values[key] < day:
            diagnostics.error(doc.rel, doc.at((key,)),
                              f"the minutes cannot be {verb} ({values[key].isoformat()}) before the meeting ({day.isoformat()})",
                              hint)


def _attendees(doc: SourceDocument, key: str, entries: tuple[dict[str, Any], ...], refs: References,
               diagnostics: Diagnostics) -> tuple[Attendee, ...]:
    result = []
    for index, entry in enumerate(entries):
        if bool(entry["person"]) == bool(entry["name"]):
            diagnostics.error(doc.rel, doc.at((key, index)), "each attendee needs either a person's slug or a name",
                              "write a slug (mark-dennett), {person: mark-dennett, role: Chairman} or {name: Gill Frame, role: Halton CCG}")
            continue
        if entry["person"]:
            refs.known(doc, (key, index), "person", entry["person"])
        result.append(Attendee(entry["person"], entry["name"], entry["role"]))
    return tuple(result)


def _check_attendance_overlap(doc: SourceDocument, values: dict[str, Any], diagnostics: Diagnostics) -> None:
    seen: dict[str, str] = {}
    for key in ATTENDANCE:
        for index, entry in enumerate(values[key]):
            who = entry["person"] or entry["name"]
            if who is None:  # neither: reported on its own
                continue
            if who in seen:
                where = "twice" if seen[who] == key else f"in both {seen[who]} and {key}"
                diagnostics.error(doc.rel, doc.at((key, index)), f"'{who}' is listed {where}",
                                  "list each person once")
            else:
                seen[who] = key


def _items(doc: SourceDocument, board: str, values: dict[str, Any], parsed: tuple[ParsedItem, ...],
           refs: References, diagnostics: Diagnostics) -> tuple[Item, ...]:
    facts = values["items"]
    items: list[Item] = []
    ids: dict[str, int] = {}
    seen: dict[str, int] = {}
    for number, entry in enumerate(parsed, start=1):
        heading = entry.heading
        where = Position(heading.line, 1)
        if heading.custom_id is not None and not SLUG.match(heading.custom_id):
            diagnostics.error(doc.rel, where, f"the id '{heading.custom_id}' must use only lower-case letters, digits and hyphens",
                              f"write {{#{slugify(heading.custom_id)}}}")
        item_id = heading.custom_id or slugify(heading.ref or heading.title)
        if heading.ref and heading.ref in seen:
            diagnostics.error(doc.rel, Position(heading.line, 4),
                              f"the minute reference '{heading.ref}' is used twice in this meeting (first on line {seen[heading.ref]})",
                              "each item of a meeting needs its own reference")
        elif item_id in ids:
            diagnostics.error(doc.rel, where, f"two items of this meeting would have the id '{item_id}' (the first is on line {ids[item_id]})",
                              "give one of them its own id, such as {#" + item_id + "-2}")
        if heading.ref:
            seen.setdefault(heading.ref, heading.line)
        ids.setdefault(item_id, heading.line)
        if heading.ref:
            refs.prefix(doc.rel, board, heading.ref, heading.line)
        keys = [key for key in dict.fromkeys((heading.ref, item_id)) if key in facts]
        if len(keys) == 2:
            diagnostics.error(doc.rel, doc.key_at(("items", keys[1])),
                              f"the item '{heading.ref}' is given facts twice, under '{keys[0]}' and under '{keys[1]}'",
                              "write each item's facts once, under its reference")
        item_facts = facts[keys[0]] if keys else {}
        items.append(_item(doc, heading, entry, number, item_id, item_facts or {}, values, diagnostics))
    known = {key for item in items for key in (item.ref, item.id) if key}
    for key in facts:
        if key not in known:
            diagnostics.error(doc.rel, doc.key_at(("items", key)), f"there is no item '{key}' in this meeting",
                              did_you_mean(key, known) or "keys under items are the references of the items below")
    return tuple(items)


def _item(doc: SourceDocument, heading: Any, entry: ParsedItem, number: int, item_id: str, facts: dict[str, Any],
          values: dict[str, Any], diagnostics: Diagnostics) -> Item:
    attrs = dict(heading.attrs)
    exempt = "exempt" in heading.classes
    paragraph = None
    if exempt:
        paragraph = _exempt_paragraph(doc, heading, attrs.get("paragraph"), diagnostics)
        if entry.first_content_line is not None:
            diagnostics.error(doc.rel, Position(entry.first_content_line, 1),
                              f"the exempt item '{heading.ref or heading.title}' has text under its heading",
                              "an exempt item publishes only its reference, title and paragraph: remove the text. "
                              "The content repository may be public, so confidential text must never be committed to it")
        if facts.get("votes"):
            diagnostics.error(doc.rel, doc.at(("items", heading.ref or item_id, "votes")),
                              f"the exempt item '{heading.ref or heading.title}' has votes recorded",
                              "an exempt item publishes only its reference, title and paragraph")
    elif "paragraph" in attrs:
        diagnostics.error(doc.rel, Position(heading.line, 1), "'paragraph' is only for exempt items",
                          "write {.exempt paragraph=3} for an item taken in private")
    if entry.resolution and not exempt and values["status"] and (values["minutes"] == "none" or values["status"] != "held"):
        diagnostics.error(doc.rel, Position(entry.resolution.line, 1),
                          f"a resolution is recorded, but this meeting has minutes: {values['minutes']} and status: {values['status']}",
                          "resolutions belong in minutes: set status: held and minutes: draft once the minutes are written")
    if exempt:
        return Item(heading.ref, item_id, heading.title, number, "key-decision" in heading.classes or facts.get("key_decision", False),
                    paragraph or 0, None, None, None, None, None, line=heading.line)
    call_in = facts.get("call_in")
    votes = facts.get("votes")
    return Item(
        ref=heading.ref,
        id=item_id,
        title=heading.title,
        number=number,
        key_decision="key-decision" in heading.classes or facts.get("key_decision", False),
        exempt_paragraph=None,
        text=_markdown(doc, entry.text),
        resolution=(Resolution(entry.resolution_kind or "RESOLVED", Markdown(entry.resolution.text, doc.rel, entry.resolution.line))
                    if entry.resolution else None),
        reasons=_markdown(doc, entry.sections.get("reasons")),
        alternatives=_markdown(doc, entry.sections.get("alternatives")),
        implementation=_markdown(doc, entry.sections.get("implementation")),
        wards=facts.get("wards", ()),
        decision_maker=facts.get("decision_maker"),
        call_in=CallIn(call_in["deadline"], call_in["status"]) if call_in else None,
        effective_from=facts.get("effective_from"),
        votes=Votes(*(_voters(votes[side]) for side in ("for", "against", "abstain"))) if votes else None,
        matter=facts.get("matter"),
        media_offset=facts.get("media_offset"),
        line=heading.line,
        aliases=aliases(doc, ("items", heading.ref or item_id, "aliases"), facts.get("aliases", ())),
    )


def _exempt_paragraph(doc: SourceDocument, heading: Any, value: str | None, diagnostics: Diagnostics) -> int | None:
    if value is not None and re.fullmatch(r"[1-7]", value):
        return int(value)
    diagnostics.error(doc.rel, Position(heading.line, 1),
                      "an exempt item must say under which paragraph (1 to 7) of Schedule 12A it was taken in private"
                      if value is None else f"'{value}' is not a paragraph of Schedule 12A (1 to 7)",
                      "write {.exempt paragraph=3}")
    return None


def _markdown(doc: SourceDocument, part: Part | None) -> Markdown | None:
    return Markdown(part.text, doc.rel, part.line) if part else None


def _item_lookup(items: tuple[Item, ...]) -> dict[str, Item]:
    lookup = {item.id: item for item in items}
    lookup.update({item.ref: item for item in items if item.ref})
    return lookup


def _item_key(doc: SourceDocument, path: tuple[Any, ...], key: str | None, by_key: dict[str, Item],
              diagnostics: Diagnostics) -> str | None | bool:
    """The id of the item a document or declaration names; False when it names none."""
    if key is None:
        return None
    if key in by_key:
        return by_key[key].id
    diagnostics.error(doc.rel, doc.at(path), f"there is no item '{key}' in this meeting",
                      did_you_mean(key, by_key) or "use the reference of one of the meeting's items")
    return False


def _documents(doc: SourceDocument, source: MeetingFiles, entries: tuple[dict[str, Any], ...], by_key: dict[str, Item],
               report_titles: Mapping[str, str], diagnostics: Diagnostics) -> tuple[Document, ...]:
    documents = []
    for index, entry in enumerate(entries):
        path = ("documents", index)
        item = _item_key(doc, path + ("item",), entry["item"], by_key, diagnostics)
        file, url, report = entry["file"], entry["url"], None
        if bool(file) == bool(url):
            diagnostics.error(doc.rel, doc.at(path), "a document needs either 'file' or 'url' (one of them)")
            continue
        if url and not re.match(r"^https?://[^\s/]+", url):
            diagnostics.error(doc.rel, doc.at(path + ("url",)), f"'{url}' is not a web address",
                              "links to documents must start with https:// or http://")
            continue
        if file:
            if "/" in file or "\\" in file or file.startswith("."):
                diagnostics.error(doc.rel, doc.at(path + ("file",)), f"'{file}' is not a file in this meeting's folder",
                                  "documents must be files inside the meeting's own folder, named without any path")
                continue
            if source.folder is None:
                diagnostics.error(doc.rel, doc.at(path + ("file",)), "this meeting has no folder for its documents",
                                  f"move the meeting into content/meetings/{source.board}/{source.name}/index.md and put the file beside it")
                continue
            if file.endswith(".md"):
                report = file[:-3]
                if report not in report_titles:
                    diagnostics.error(doc.rel, doc.at(path + ("file",)), f"there is no report '{file}' in this meeting's folder",
                                      did_you_mean(file, [f"{slug}.md" for slug in report_titles]))
                    continue
            elif file not in source.attachments:
                diagnostics.error(doc.rel, doc.at(path + ("file",)), f"there is no file '{file}' in this meeting's folder",
                                  did_you_mean(file, source.attachments))
                continue
        title = entry["title"] or (report_titles.get(report) if report else None)
        if not title:
            diagnostics.error(doc.rel, doc.at(path), "this document needs a title")
            continue
        if not isinstance(item, bool):  # False: it names an item there is not
            documents.append(Document(title, file, url, item, report))
    return tuple(documents)


def _check_exempt_documents(doc: SourceDocument, items: tuple[Item, ...], entries: tuple[dict[str, Any], ...],
                            by_key: dict[str, Item], diagnostics: Diagnostics) -> None:
    for index, entry in enumerate(entries):
        item = by_key.get(entry["item"] or "")
        if item and item.is_exempt:
            diagnostics.error(doc.rel, doc.at(("documents", index)),
                              f"a document is attached to the exempt item '{item.ref or item.title}'",
                              "exempt papers must not be published, nor committed to the content repository")


def _declarations(doc: SourceDocument, entries: tuple[dict[str, Any], ...], by_key: dict[str, Item],
                  refs: References, diagnostics: Diagnostics) -> tuple[Declaration, ...]:
    declarations = []
    for index, entry in enumerate(entries):
        path = ("declarations", index)
        known = refs.known(doc, path + ("person",), "person", entry["person"])
        item = _item_key(doc, path + ("item",), entry["item"], by_key, diagnostics)
        if known and item:
            declarations.append(Declaration(entry["person"], str(item), entry["interest"], entry["note"]))
    return tuple(declarations)


def _voters(value: int | tuple[str, ...] | dict[str, Any] | None) -> int | tuple[str, ...] | None:
    """A side of a vote as the model keeps it: a count, or the people named (who are the count)."""
    return value["people"] if isinstance(value, dict) else value


def _check_votes(doc: SourceDocument, values: dict[str, Any], refs: References,
                 diagnostics: Diagnostics) -> None:
    """A recorded vote names each member once, each of them at the meeting, and agrees with its count."""
    present = {entry["person"] for key in ("present", "substitutes") for entry in values[key]}
    apologies = {entry["person"] for entry in values["apologies"]}
    for key, item_facts in values["items"].items():
        seen: dict[str, str] = {}
        for side, value in (item_facts.get("votes") or {}).items():
            path: tuple[Any, ...] = ("items", key, "votes", side)
            if isinstance(value, dict):
                if value["count"] != len(value["people"]):
                    named = len(value["people"])
                    diagnostics.error(doc.rel, doc.at(path + ("count",)),
                                      f"the vote '{side}' is given as {value['count']} but names "
                                      f"{named} {'person' if named == 1 else 'people'}",
                                      "make the count the number of people named, or leave the count out")
                value, path = value["people"], path + ("people",)
            if not isinstance(value, tuple):
                continue
            for index, slug in enumerate(value):
                where = path + (index,)
                if slug in seen:
                    twice = f"twice in the vote '{side}'" if seen[slug] == side else f"in both '{seen[slug]}' and '{side}'"
                    refs.voter(doc, where, slug, f"'{slug}' is named {twice}", "each member votes once")
                    continue
                seen[slug] = side
                if slug in apologies:
                    refs.voter(doc, where, slug, f"'{slug}' sent apologies for this meeting, so cannot have voted",
                               "correct the vote, or the apologies")
                elif present and slug not in present:
                    refs.voter(doc, where, slug, f"'{slug}' is not listed as present at this meeting",
                               "add them to present (or substitutes), or correct the vote")
                else:
                    refs.known(doc, where, "person", slug)


def _media(doc: SourceDocument, entries: tuple[dict[str, Any], ...], facts: dict[str, dict[str, Any]],
           diagnostics: Diagnostics) -> tuple[Media, ...]:
    media = []
    for index, entry in enumerate(entries):
        if not re.match(r"^https?://[^\s/]+", entry["url"]):
            diagnostics.error(doc.rel, doc.at(("media", index, "url")), f"'{entry['url']}' is not a web address",
                              "links to recordings must start with https:// or http://")
            continue
        media.append(Media(entry["title"], entry["url"], entry["kind"]))
    if not media:
        for key, item_facts in facts.items():
            if item_facts.get("media_offset") is not None:
                diagnostics.error(doc.rel, doc.at(("items", key, "media_offset")),
                                  "this item gives a time in the recording, but the meeting lists no recording",
                                  "add the recording under media: [{title, url, kind}]")
    return tuple(media)

"""The validate stage: each record's files into the immutable model, with every problem reported.

Each record is validated on its own (units.py), or its earlier validation is reused when its
files are as they were; then what records say of each other is checked across all of them
(references.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostics, Position
from generator.model.markup import Converter
from generator.model.records import (
    BoardSummary,
    CrossReference,
    MeetingSummary,
    PersonSummary,
    ReportSummary,
    SiteConfig,
)
from generator.model.validate.references import check_references
from generator.model.validate.units import (
    Unit,
    Validated,
    unit_digest,
    validate_board_unit,
    validate_config_unit,
    validate_meeting_unit,
    validate_person_unit,
)
from generator.source.load import SiteFiles


@dataclass(frozen=True)
class Site:
    """Everything validated, as summaries, each collection sorted so that output is deterministic;
    records in full are read from a `RecordStore` when a page shows one."""

    config: SiteConfig
    people: Mapping[str, PersonSummary]
    boards: Mapping[str, BoardSummary]
    meetings: tuple[MeetingSummary, ...]  # by date, board and name
    reports: tuple[ReportSummary, ...]  # by board, meeting and name
    xrefs: tuple[CrossReference, ...]
    units: Mapping[str, Unit]  # by key: what each record is made from, and its digest


KnownUnit = Callable[[str, str], "Unit | None"]
# Validates each unit given, in any order: here, or on several processes (incremental/records.py).
ValidateEach = Callable[[Sequence[Callable[[], Validated]]], Iterable[Validated]]


def validate_here(jobs: Sequence[Callable[[], Validated]]) -> Iterator[Validated]:
    return (job() for job in jobs)


def validate_site(root: Path, files: SiteFiles, digests: Mapping[str, str], version: str, known: KnownUnit,
                  converter: Converter, diagnostics: Diagnostics,
                  each: ValidateEach = validate_here) -> tuple[Site | None, dict[str, Validated]]:
    """The model, or None when anything is wrong (every problem is in `diagnostics`), with the
    units validated now (the rest were `known`: unchanged since a build that validated them).

    `digests` are the digests of the site's files; `version` is Minutes' own version. The units
    are independent of each other, so `each` may validate them at the same time.
    """
    if files.config is None:
        diagnostics.error("site.yaml", Position(1, 1), "there is no site.yaml here",
                          "run Minutes in the site's folder (the one holding site.yaml and content/)")
        return None, {}
    config_digest = unit_digest("config", {"site.yaml": digests.get("site.yaml", "")}, "", version)
    config_unit = known("config", config_digest)
    fresh = {}
    if config_unit is None:
        fresh["config"] = validate_config_unit(root, config_digest)
        config_unit = fresh["config"].unit
    if not config_unit.valid:
        diagnostics.extend(config_unit.diagnostics)
        return None, fresh
    found: dict[str, Unit | None] = {"config": config_unit}
    pending = []
    for key, digest, validate in record_units(root, files, digests, version, config_unit, converter):
        found[key] = known(key, digest)
        if found[key] is None:
            pending.append(validate)
    fresh.update((validated.unit.key, validated) for validated in each(pending))
    units: dict[str, Unit] = {key: unit or fresh[key].unit for key, unit in found.items()}
    for unit in units.values():
        diagnostics.extend(unit.diagnostics)
    check_references(units.values(), files, diagnostics)
    if diagnostics.has_errors:
        return None, fresh
    summaries = [summary for u in units.values() for summary in u.summaries]
    site = Site(
        config=config_unit.summaries[0],
        people={s.slug: s for s in summaries if isinstance(s, PersonSummary)},
        boards={s.slug: s for s in summaries if isinstance(s, BoardSummary)},
        meetings=tuple(sorted((s for s in summaries if isinstance(s, MeetingSummary)),
                              key=lambda m: (m.date, m.board, m.slug))),
        reports=tuple(s for s in summaries if isinstance(s, ReportSummary)),
        xrefs=tuple(x for u in units.values() for x in u.xrefs),
        units=units,
    )
    return site, fresh


def record_units(root: Path, files: SiteFiles, digests: Mapping[str, str], version: str, config: Unit,
                 converter: Converter) -> Iterator[tuple[str, str, Callable[[], Validated]]]:
    """Each record's unit key and digest, and how to validate it: a unit whose digest is known
    need not be validated again. `config` is the valid unit of site.yaml."""
    settings: SiteConfig = config.summaries[0]
    context = f"{version}/{config.digest}"
    for slug, rel in files.people.items():
        digest = unit_digest("person", {rel: digests.get(rel, "")}, "", context)
        yield f"person:{slug}", digest, functools.partial(validate_person_unit, root, rel, settings, digest, converter)
    for slug, rel in files.boards.items():
        digest = unit_digest("board", {rel: digests.get(rel, "")}, "", context)
        yield f"board:{slug}", digest, functools.partial(validate_board_unit, root, rel, settings, digest, converter)
    for key, meeting in files.meetings.items():
        digest = unit_digest("meeting", {rel: digests.get(rel, "") for rel in meeting.files},
                             "\0".join(meeting.attachments), context)
        yield f"meeting:{key}", digest, functools.partial(validate_meeting_unit, root, meeting, digest, converter)

"""Validated records kept between builds: each unit's head (what every build reads of it) and
its records in full (read only for the outputs being made), in the build cache as JSON; and
sent, in the same form, from the processes that validate them.

The records in full are read when an output that shows them is made, and the last few read are
kept, so that making a meeting's page and its decisions' pages reads the meeting once.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from generator.incremental.cache import BuildCache
from generator.incremental.workers import fork_map, in_parallel
from generator.model import encoding
from generator.model.markup import Converter
from generator.model.validate import ValidateEach, validate_here
from generator.model.validate.units import Unit, Validated, read_head
from generator.plan.inputs import Full

_KEPT = 256  # records in full kept after they are read


def known_units(cache: BuildCache) -> dict[str, Unit]:
    """The units the last build kept, read with the garbage collector paused: reading tens of
    thousands of small values is otherwise mostly the collector's work."""
    found = {}
    paused = gc.isenabled()
    gc.disable()
    try:
        for key, (digest, text) in cache.units().items():
            try:
                found[key] = read_head(key, digest, text)
            except encoding.Unreadable:
                continue
    finally:
        if paused:
            gc.enable()
    return found


def keep_units(cache: BuildCache, fresh: Mapping[str, Validated], gone: Iterable[str]) -> None:
    """Keep the units validated now, and forget those no longer in the site."""
    cache.save_units(((key, v.unit.digest, v.head, v.encoded) for key, v in sorted(fresh.items())), gone)


def validate_on(processes: int, converter: Converter) -> ValidateEach:
    """Validating units on several processes, for a build with many to validate (the first, or
    one after an upgrade): each process sends back its units as the build cache keeps them, with
    the HTML of their texts, which `converter` then holds as if it had converted them here."""

    def each(jobs: Sequence[Callable[[], Validated]]) -> Iterator[Validated]:
        if not in_parallel(len(jobs), processes):
            yield from validate_here(jobs)
            return
        for key, digest, kept, records, fragments in fork_map(_sent, jobs, processes):
            converter.made.update(fragments)
            yield Validated(read_head(key, digest, kept), records, kept)

    def _sent(job: Callable[[], Validated]) -> list[Any]:
        validated = job()
        unit = validated.unit
        return [unit.key, unit.digest, validated.head, validated.encoded,
                {digest: converter.made[digest] for digest in unit.fragments if digest in converter.made}]

    return each


class RecordStore:
    """Records in full, by what a page's inputs name (`Full`): those validated in this build, and
    the rest from the build cache."""

    def __init__(self, fresh: Mapping[str, Validated], units: Mapping[str, Unit], cache: BuildCache | None,
                 validate: Callable[[str], Validated] | None = None) -> None:
        self.fresh = fresh
        self.units = units
        self.cache = cache
        self.validate = validate  # a record again, should the cache not give it
        self.read: OrderedDict[str, tuple[Any, ...]] = OrderedDict()

    def get(self, ref: Full) -> Any:
        unit_key, slug = _unit_of(ref)
        records = self._records(unit_key)
        if ref.kind == "report":
            return next(r for r in records[1:] if r.slug == slug)
        return records[0]

    def _records(self, key: str) -> tuple[Any, ...]:
        if key in self.read:
            self.read.move_to_end(key)
            return self.read[key]
        records = self.fresh[key].records() if key in self.fresh else self._kept(key)
        if records is None:
            validated = self.validate(key) if self.validate else None
            if validated is None or validated.unit.digest != self.units[key].digest:
                raise LookupError(f"the build cache holds no records for {key}")
            records = validated.records()
        self.read[key] = records
        if len(self.read) > _KEPT:
            self.read.popitem(last=False)
        return records

    def _kept(self, key: str) -> tuple[Any, ...] | None:
        text = self.cache.unit_records(key, self.units[key].digest) if self.cache else None
        try:
            records: tuple[Any, ...] | None = encoding.loads(text) if text is not None else None
            return records
        except encoding.Unreadable:
            return None


def _unit_of(ref: Full) -> tuple[str, str]:
    if ref.kind == "report":
        meeting, _, slug = ref.key.rpartition("/")
        return f"meeting:{meeting}", slug
    return f"{ref.kind}:{ref.key}", ""


def resolve(inputs: Mapping[str, Any], store: RecordStore) -> dict[str, Any]:
    """Inputs with each record named in full read from the store: an input that is one, or a
    tuple of them (a feed's meetings)."""
    resolved = {}
    for name, value in inputs.items():
        if isinstance(value, Full):
            value = store.get(value)
        elif type(value) is tuple and value and isinstance(value[0], Full):
            value = tuple(store.get(ref) for ref in value)
        resolved[name] = value
    return resolved

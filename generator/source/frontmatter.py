"""Front matter: the YAML block at the top of a file, parsed with the position of every value.

PyYAML's own constructors lose positions and silently keep the last of two
duplicate keys, so documents are composed into nodes and built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Position

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 20_000
MAX_DEPTH = 1_000  # far beyond any record; libyaml's composer crashes the process (no exception) near 25,000
MAX_FRONT_MATTER_BYTES = 256 * 1024
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_YAML_TAG = "tag:yaml.org,2002:"
# Control characters YAML refuses (all but tab and line ends): pasted from terminals and old documents.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
# A non-breaking space where YAML needs a plain one: in the indentation, after "key:" or after "- ".
_NBSP_STRUCTURE = re.compile(r"""^([ \u00a0]*)(-[ \u00a0]+)?(?:([^\s:#'"{}\[\],][^:#]*?:)\u00a0)?""")

KeyPath = tuple[Any, ...]


@dataclass(frozen=True)
class Document:
    """A file split into its front matter (with positions) and body."""

    rel: str
    data: dict[str, Any]
    positions: dict[KeyPath, Position] = field(repr=False)
    body: str
    body_line: int
    key_positions: dict[KeyPath, Position] = field(default_factory=dict, repr=False)

    def at(self, path: KeyPath) -> Position:
        """Where the value at `path` was written, or its nearest enclosing value."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Position(1, 1))

    def key_at(self, path: KeyPath) -> Position:
        """Where the key naming the value at `path` was written."""
        return self.key_positions.get(path) or self.at(path)


class WrittenInt(int):
    """A whole number that keeps the text it was written as, for fields that hold text."""

    written: str


class WrittenFloat(float):
    """A number with a decimal point that keeps the text it was written as: item 2.10 is not item 2.1."""

    written: str


class _TooComplex(Exception):
    pass


class _BadValue(Exception):
    def __init__(self, position: Position, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.hint = hint


def _position(node: yaml.Node, line_offset: int) -> Position:
    return Position(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class _Builder:
    def __init__(self, rel: str, line_offset: int) -> None:
        self.rel = rel
        self.line_offset = line_offset
        self.positions: dict[KeyPath, Position] = {}
        self.key_positions: dict[KeyPath, Position] = {}
        self.problems: list[Diagnostic] = []
        self.nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooComplex
        self.positions[path] = _position(node, self.line_offset)
        if node.tag not in self.constructor.yaml_constructors:
            where = _position(node, self.line_offset)
            self.problems.append(Diagnostic(self.rel, where.line, where.column,
                                            f"the YAML tag '{_shown(node.tag)}' is not understood", "remove it"))
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _BadValue(_position(key_node, self.line_offset), "a key must be a plain word")
                key = self.scalar(key_node)
                if not isinstance(key, str):  # keys are names and references: 2.10, 10 and yes as written
                    key = str(key_node.value)
                if key in result:
                    where = _position(key_node, self.line_offset)
                    self.problems.append(Diagnostic(self.rel, where.line, where.column, f"the key '{key}' is given twice",
                                                    "remove one of them; only one value can be kept"))
                    continue
                self.key_positions[path + (key,)] = _position(key_node, self.line_offset)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and _SEXAGESIMAL.match(node.value):
            return node.value  # "18:30" is a time, not YAML 1.1's base-60 number
        try:
            value = self.constructor.construct_object(node, deep=True)
            if type(value) in (int, float):
                value = (WrittenInt if type(value) is int else WrittenFloat)(value)
                value.written = node.value
            return value
        except Exception as err:  # noqa: BLE001 - PyYAML's constructors also raise KeyError, AttributeError, ... on odd values
            where = _position(node, self.line_offset)
            if node.tag == _YAML_TAG + "timestamp" and isinstance(err, ValueError):
                message, hint = f"'{node.value}' is not a real date", "write dates as YYYY-MM-DD"
            else:
                message, hint = f"cannot read the value '{node.value}'", f"remove the tag '{_shown(node.tag)}'"
            self.problems.append(Diagnostic(self.rel, where.line, where.column, message, hint))
            return None


def _shown(tag: str) -> str:
    """A tag as it is written: '!!bool' rather than 'tag:yaml.org,2002:bool'."""
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _too_deep(text: str) -> int | None:
    """The first line that may be nested more than MAX_DEPTH deep, or None.

    A quick over-estimate that never under-counts, made before parsing: each
    level of block nesting needs its own indentation or '- ', and each level of
    flow nesting its own '[' or '{'.
    """
    flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        opens = line.count("[") + line.count("{")
        block = len(line) - len(line.lstrip(" -?"))
        if block + 2 + flow + opens > MAX_DEPTH:
            return number
        flow = max(0, flow + opens - line.count("]") - line.count("}"))
    return None


@dataclass(frozen=True)
class Parsed:
    """A YAML document's plain values, the positions of its values and keys, and any problems."""

    value: Any
    positions: dict[KeyPath, Position]
    key_positions: dict[KeyPath, Position]
    problems: list[Diagnostic]


def parse_yaml(rel: str, text: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document; problems are returned, never raised."""
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for found in _CONTROL.finditer(line):
            problems.append(Diagnostic(
                rel, number + line_offset, found.start() + 1,
                f"the front matter contains an invisible control character (U+{ord(found.group()):04X})",
                "delete it: it was probably pasted in from another program",
            ))
    if problems:
        return Parsed(None, {}, {}, problems)
    text = "\n".join(_NBSP_STRUCTURE.sub(_plain_spaces, line) for line in text.split("\n"))
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=1):
            indent = len(line) - len(line.lstrip(" \t"))
            if "\t" in line[:indent]:
                problems.append(Diagnostic(
                    rel, number + line_offset, line.index("\t") + 1,
                    "a tab is used to indent the front matter",
                    "indent with spaces; YAML does not allow tabs",
                ))
        if problems:
            return Parsed(None, {}, {}, problems)
    deep = _too_deep(text)
    if deep is not None:
        return _failed(Diagnostic(rel, deep + line_offset, 1, "the front matter is nested too deeply",
                                  f"lists and groups of fields need only a few levels, not over {MAX_DEPTH}: "
                                  "check the brackets [ ] and { } on this line"))
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        at = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        message = (err.problem or err.context or "the front matter is not valid YAML").strip()
        return _failed(Diagnostic(rel, at, column, f"the front matter is not valid YAML: {message}",
                                  "check the indentation, and put quotes around text containing ': ' or starting with a special character"))
    except (yaml.YAMLError, RecursionError) as err:
        return _failed(Diagnostic(rel, 1 + line_offset, 1, f"the front matter is not valid YAML: {err}"))
    if node is None:
        return Parsed({}, {(): Position(1 + line_offset, 1)}, {}, [])
    builder = _Builder(rel, line_offset)
    try:
        value = builder.build(node, ())
    except _TooComplex:
        return _failed(Diagnostic(rel, 1 + line_offset, 1, f"the front matter is too complex (more than {MAX_NODES} values)",
                                  "YAML anchors and aliases (& and *) that repeat data are not needed here"))
    except _BadValue as err:
        return _failed(Diagnostic(rel, err.position.line, err.position.column, err.message, err.hint))
    except RecursionError:
        return _failed(Diagnostic(rel, 1 + line_offset, 1, "the front matter is nested too deeply"))
    return Parsed(value, builder.positions, builder.key_positions, builder.problems)


def _plain_spaces(match: re.Match[str]) -> str:
    """Word puts non-breaking spaces after colons; where YAML needs a space they mean one."""
    return match.group(0).replace("\u00a0", " ")


def _failed(problem: Diagnostic) -> Parsed:
    return Parsed(None, {}, {}, [problem])


def split_document(rel: str, text: str, require_front_matter: bool = True) -> tuple[Document | None, list[Diagnostic]]:
    """Split a Markdown file into its front matter and body."""
    lines = text.split("\n")
    if not text.strip():
        return None, [Diagnostic(rel, 1, 1, "the file is empty", "start it with a front matter block between two '---' lines")]
    if lines[0].rstrip() != "---":
        if not require_front_matter:
            return Document(rel, {}, {(): Position(1, 1)}, text, 1), []
        return None, [Diagnostic(rel, 1, 1, "the file does not start with a front matter block",
                                 "the first line must be '---', followed by the fields and another '---'")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None, [Diagnostic(rel, 1, 1, "the front matter block is never closed",
                                 "add a line with '---' after the last field")]
    yaml_text = "\n".join(lines[1:end])
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return None, [Diagnostic(rel, 2, 1, f"the front matter is too large (over {MAX_FRONT_MATTER_BYTES // 1024} KiB)")]
    parsed = parse_yaml(rel, yaml_text, line_offset=1)
    if parsed.problems:
        return None, parsed.problems
    data = {} if parsed.value is None else parsed.value
    if not isinstance(data, dict):
        return None, [Diagnostic(rel, 2, 1, "the front matter must be a list of 'field: value' lines")]
    parsed.positions.setdefault((), Position(1, 1))
    return Document(rel, data, parsed.positions, "\n".join(lines[end + 1 :]), end + 2, parsed.key_positions), []

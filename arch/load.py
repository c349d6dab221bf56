"""Stage 1, load: blueprint text -> a tree of YAML values that remember where they were written.

PyYAML composes the text into nodes (safe: nothing is ever constructed from a tag), with
libyaml's C parser when PyYAML has it (about 20 times faster, the same nodes and marks) and
its own pure-Python parser otherwise; a text the C parser refuses is read again by the
pure-Python one, so that every error says exactly what it always said. This module turns
those nodes into YMap / YSeq / YScalar, each with its position, so that later
stages can point at the exact line and column of a bad value. Duplicate keys, unsupported
tags, runaway aliases ("billion laughs") and over-deep nesting are refused here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ArchError, Pos, Problems, flow_value, quote_value_hint
from .model import ALL_KEYS, MAX_GROUP_DEPTH
from .regular import MAX_BYTES as MAX_BYTES
from .regular import NotRegular as NotRegular
from .regular import TooLarge as TooLarge
from .regular import file_kind as file_kind
from .regular import read_regular as read_regular

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from typing import Any

MAX_DEPTH = 64
# Aliases share nodes in the composed tree; expanding them is bounded by this many values.
MAX_VALUES = 200_000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as its text: `2023-09-08` in a label stays text
}
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
# A group in a group is two levels of YAML (its `groups:` list and the group): 60 groups one
# in another were told only of YAML's levels.
_GROUPS_KEY = re.compile(r"^[ \t-]*groups\s*:", re.M)


def _deep_hint(lines: list[str]) -> str | None:
    if not any(_GROUPS_KEY.match(line) for line in lines):
        return None
    return f"groups nest at most {MAX_GROUP_DEPTH} deep (each one two levels of YAML)"
_PLAIN_INT = re.compile(r"[-+]?[0-9][0-9_]*")  # a plain decimal YAML reads as !!int
_TAG_KINDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
}
# Characters that XML (hence SVG) cannot hold, or that are not characters at all: C0 and C1
# controls but tab, newline and carriage return, DEL, lone surrogates, noncharacters. YAML
# lets them in through escapes ("\x01", "\e", "\ud800", "\uFFFE").
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]")
# Invisible controls of writing direction (embeddings, overrides, isolates): a label
# `\u202eevil` is drawn `live`, so the picture reads otherwise than the blueprint (as
# "Trojan Source" does in code). Right-to-left scripts need none of them.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SEQ_TAG = "tag:yaml.org,2002:seq"
# The parsers to try, fastest first: libyaml's when PyYAML was built with it.
_LOADERS: tuple[type[yaml.SafeLoader], ...] = (
    ((yaml.CSafeLoader,) if getattr(yaml, "__with_libyaml__", False) else ())  # type: ignore[assignment]
    + (yaml.SafeLoader,))
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass
class YNode:
    pos: Pos


@dataclass
class YScalar(YNode):
    value: object  # str, int, float, bool or None, as YAML 1.1 resolves the plain text
    text: str  # the text as written, without quotes
    style: str | None = None  # None (plain), "'" or '"' (quoted), "|" or ">" (block)
    one_line: bool = True  # written on one line: a column inside it can be computed

    def kind(self) -> str:
        return _type_name(self.value)


@dataclass
class YSeq(YNode):
    items: list[YNode] = field(default_factory=list)


@dataclass
class YMap(YNode):
    # key -> (the key's own node, the value); in the order written
    entries: dict[str, tuple[YScalar, YNode]] = field(default_factory=dict)
    # Written in {...}: the file's lines, so that a hint can quote a plain value that a
    # comma cut short as the line has it (None for a block mapping, or one via an alias).
    flow_source: list[str] | None = field(default=None, repr=False, compare=False)

    def get(self, key: str) -> YNode | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_pos(self, key: str) -> Pos:
        return self.entries[key][0].pos


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    return "text"


def describe(node: YNode) -> str:
    """How a value reads in an error message: 'a list', 'a mapping', 'a number', ..."""
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    assert isinstance(node, YScalar)
    return _type_name(node.value)


def _pos(file: str, mark: Any) -> Pos:
    """A Pos from a PyYAML mark (pure-Python or libyaml's), 0-based -> 1-based."""
    if mark is None:
        return Pos(file)
    return Pos(file, mark.line + 1, mark.column + 1)


def _one_line(node: yaml.Node) -> bool:
    return bool(node.start_mark and node.end_mark
                and node.start_mark.line == node.end_mark.line)


def _offset_pos(file: str, data: bytes, offset: int) -> Pos:
    before = data[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return Pos(file, line, col)


class _Builder:
    """Turns composed PyYAML nodes into positioned values, collecting every problem."""

    def __init__(self, file: str, problems: Problems, shape: _Shape | None = None,
                 lines: list[str] | None = None, deferred: Problems | None = None) -> None:
        self.file = file
        # Where a duplicate key of one value goes: reported with validate's problems.
        self.deferred = deferred if deferred is not None else problems
        self.lines = lines or []
        self.problems = problems
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only used to resolve plain scalars
        self.shape = shape or _Shape()
        self.seen: set[int] = set()  # nodes met once: met again, it is through an alias
        self.aliases_met = 0

    def build(self, node: yaml.Node, depth: int, via: tuple[Pos, str] | None = None) -> YNode:
        """`via`: the alias this value is reached through (where it is used, its name)."""
        if via is None and id(node) in self.seen:
            # The composed tree shares an aliased node; the parser's events, in the same
            # order, say where each alias is used.
            line, col, name = self.shape.aliases[self.aliases_met]
            self.aliases_met += 1
            via = (Pos(self.file, line + 1, col + 1), name)
        self.seen.add(id(node))
        pos = self._at(node.start_mark, via)
        self.count += 1
        if self.count > MAX_VALUES:
            raise ArchError.at(
                pos,
                f"the blueprint expands to more than {MAX_VALUES} values",
                "anchors and aliases (&a / *a) may be used, but not to multiply the document",
            )
        if depth > MAX_DEPTH:
            raise ArchError.at(pos, f"values are nested more than {MAX_DEPTH} levels deep",
                               _deep_hint(self.lines))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pos, via is None)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.problems.add(pos, f"unsupported YAML tag {node.tag!r}")
            return YSeq(pos, [self.build(item, depth + 1, via) for item in node.value])
        assert isinstance(node, yaml.MappingNode)
        if node.tag != _MAP_TAG:
            self.problems.add(pos, f"unsupported YAML tag {node.tag!r}")
        result = YMap(pos, flow_source=self.lines if node.flow_style and via is None
                      and self.lines else None)
        for key_node, value_node in node.value:
            key_pos = self._at(key_node.start_mark, via)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.add(key_pos, "merge keys (<<) are not supported in blueprints")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.add(key_pos, "a key must be plain text, not a list or a mapping")
                continue
            mark = key_node.start_mark
            if key_node.tag not in (_STR_TAG, *_IMPLICIT_KEY_TAGS) or (
                    mark.line, mark.column) in self.shape.tagged:
                self.problems.add(key_pos, f"a key cannot carry a tag ({_short_tag(key_node)})",
                                  "write the key as plain text")
                continue
            key = self._scalar(key_node, key_pos, via is None)
            if key.text in result.entries:
                first = result.entries[key.text][0].pos
                # On one line (`{id: etl, type: Glue, label: x, type: Glue ETL}`) the line
                # alone does not say which is the first: its column does.
                where = f"line {first.line}" + (f", column {first.col}"
                                                if first.line == key_pos.line else "")
                # The first is kept: when both are single values (`title:` twice) the rest
                # is checked as well; a section written twice (`nodes:`) would leave what
                # the second holds unchecked, and every reference to it reported missing.
                one_value = isinstance(value_node, yaml.ScalarNode) and isinstance(
                    result.entries[key.text][1], YScalar)
                (self.deferred if one_value else self.problems).add(
                    key_pos,
                    f"duplicate key {key.text!r} (first written at {where})",
                    "YAML would silently keep only the last one; remove one of them",
                )
                continue
            result.entries[key.text] = (key, self.build(value_node, depth + 1, via))
        return result

    def _at(self, mark: Any, via: tuple[Pos, str] | None) -> Pos:
        """Where a value is reported: where it is written, or where the alias that reaches
        it is used, saying where in the anchored value it is written."""
        pos = _pos(self.file, mark)
        if via is None:
            return pos
        return via[0].replace(via=f"in the value of *{via[1]}, written at line {pos.line}")

    def _scalar(self, node: yaml.ScalarNode, pos: Pos, own_place: bool = True) -> YScalar:
        """`own_place`: written where pos says (not reached through an alias), so that a
        column inside it can be computed from its text."""
        one_line = own_place and _one_line(node)
        style = node.style or None  # libyaml marks a plain scalar with '', PyYAML with None
        bad = _FORBIDDEN.search(node.value)
        if bad is not None:
            self.problems.add(pos, f"character U+{ord(bad.group()):04X} (character "
                                   f"{bad.start() + 1} of this text) is not allowed",
                              "control characters, lone surrogates and noncharacters cannot "
                              "be drawn; remove the escape that writes it")
            return YScalar(pos, "", "", style, one_line)
        bidi = _BIDI.search(node.value)
        if bidi is not None:
            self.problems.add(pos, f"character U+{ord(bidi.group()):04X} (character "
                                   f"{bidi.start() + 1} of this text) is not allowed: it "
                                   f"changes the direction the text is drawn in",
                              "the picture would read otherwise than the blueprint; "
                              "right-to-left scripts are drawn right without it: remove it")
            return YScalar(pos, "", "", style, one_line)
        if node.tag not in _SCALAR_TAGS:
            self.problems.add(pos, f"unsupported YAML tag {node.tag!r}",
                              "blueprints hold only text, numbers, booleans, lists and mappings")
            return YScalar(pos, node.value, node.value, style, one_line)
        if node.tag in (_STR_TAG, "tag:yaml.org,2002:timestamp"):
            return YScalar(pos, node.value, node.value, style, one_line)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except Exception:  # noqa: BLE001 - an explicit tag on text it does not fit
            if node.tag == _INT_TAG and _PLAIN_INT.fullmatch(node.value):
                # No tag written: a number longer than Python reads (4,300 digits) said
                # it had one.
                self.problems.add(pos, f"a number of {len(node.value)} characters is too "
                                       f"long to read", "quote it if it is text")
            else:
                kind = _TAG_KINDS.get(node.tag, "a value of that type")
                self.problems.add(pos, f"{_short(node.value)} is not {kind}, as its tag "
                                       f"{_short_tag(node)} says",
                                  "remove the tag, or write a value of that type")
            value = node.value
        return YScalar(pos, value, node.value, style, one_line)


# Plain keys such as `1:` or `yes:` resolve to these; they are kept as the text written.
_IMPLICIT_KEY_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                      "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                      "tag:yaml.org,2002:timestamp")


def _short_tag(node: yaml.Node) -> str:
    tag = str(node.tag)
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") \
        else tag


def _short(text: str, limit: int = 40) -> str:
    """A value as an error message quotes it: whole when short, else its start and size."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


@dataclass
class _Shape:
    """What the parser's events tell that the composed nodes forget."""

    aliases: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, name
    tagged: set[tuple[int, int]] = field(default_factory=set)  # scalars with an explicit tag


def _syntax_error(file: str, exc: yaml.MarkedYAMLError,
                  source: str = "") -> tuple[Pos, str, str | None]:
    """Where, what and how to fix it: at the problem, naming where the unfinished thing
    began. When the file simply ends (an unclosed quote or bracket), point at where that
    thing began."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    lines = source.splitlines()
    if mark is not None and problem.startswith(_OUT_OF_STEP) \
            and not problem.endswith("'<scalar>'"):
        found = _out_of_step(lines, mark.line)
        if found is not None:
            row, col, hint = found
            return (Pos(file, row + 1, col + 1),
                    "YAML syntax: this line is not indented in step with the lines above it",
                    hint)
    if mark is not None and problem == "mapping values are not allowed here":
        deeper = _key_in_value(lines, mark)
        if deeper is not None:
            return (Pos(file, deeper[0] + 1, deeper[1] + 1), deeper[2], deeper[3])
    message = f"YAML syntax: {_plain(problem)}"
    if exc.context and exc.context_mark is not None:
        begun = f"line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}"
        message += f" ({_CONTEXTS.get(exc.context, exc.context)} at {begun})"
        if "end of stream" in problem:
            mark = exc.context_mark
    return _pos(file, mark), message, _syntax_hint(problem, mark, source, exc.context_mark)


# `key:` on a line of a block mapping (after any `- `), its value what follows; and `key:
# value` inside {...}. Each key runs to its colon and keeps the spaces before it (stripped
# where used), and nothing else can take or give back a space: a lazy key or value beside
# `\s*` tried every split of a run of spaces, and a line of 20,000 spaces took 0.3 s (1 MB:
# minutes).
_BLOCK_ENTRY = re.compile(r"^\s*(?:-\s+)*(?P<key>[^\s:#{}\[\],][^:#{}\[\],]*):(?=\s)")
# The entry of a {...} whose plain value holds the character YAML stumbled on: from the `{`
# or `,` before its key up to that character.
_FLOW_ENTRY = re.compile(r"[{,]\s*(?P<key>[^\s:#{}\[\],][^:#{}\[\],]*):"
                         r"(?P<value>\s[^,{}\[\]]*)$")
_COLON_IN_VALUE = "': ' inside a plain value starts a mapping"
# _BLOCK_ENTRY's key, whether anything follows its colon or not (`nodes:` at a line's end).
_KEY_LINE = r"^\s*(?:-\s+)*(?P<key>[^\s:#{}\[\],][^:#{}\[\],]*):(?=\s|$)"


# PyYAML's words for a line indented out of step with its list or mapping.
_OUT_OF_STEP = ("expected <block end>, but found", "did not find expected key",
                "did not find expected '-' indicator")


_CONTEXTS = {"while parsing a block mapping": "in the mapping that begins",
             "while parsing a block collection": "in the list that begins",
             "while parsing a flow mapping": "in the {...} that begins",
             "while parsing a flow sequence": "in the [...] that begins",
             "while scanning a quoted scalar": "in the quoted text that begins",
             "while scanning a simple key": "in the key that begins",
             "expected a single document in the stream": "the first document begins"}
_SECOND_DOCUMENT = "but found another document"


def _key_in_value(lines: list[str], mark: Any) -> tuple[int, int, str, str] | None:
    """A `key:` line indented deeper than the `key: value` line above it, which YAML reads
    as more of that value (then stumbles on the colon): (line, column, message, hint), from
    0. When the keys after it start in its column too, the line above is the odd one."""
    here = lines[mark.line] if mark.line < len(lines) else ""
    m = re.match(_KEY_LINE, here)
    if m is None or m.start("key") + len(m["key"].rstrip()) != mark.column \
            or here[:m.start("key")].strip():
        return None
    col, key = m.start("key"), m["key"].rstrip()
    row = _content_above(lines, mark.line)
    a = re.match(_KEY_LINE, lines[row]) if row >= 0 else None
    if a is None or not lines[row][a.end():].split("#")[0].strip() or a.start("key") >= col:
        return None
    above, at = a["key"].rstrip(), a.start("key")
    after = next((line for line in lines[mark.line + 1:] if _content(line)), "")
    if _indent(after) == col and not after.lstrip(" ").startswith("-") \
            and re.match(_KEY_START, after.lstrip(" ")):
        # ` - id: dns` / `    label: DNS` / `    nodes:`: the keys agree, `id:` is out of step
        indent = _indent(lines[row])
        return (row, indent,
                f"YAML syntax: `{above}:` starts in column {at + 1}, the keys under it "
                f"(`{key}:`, line {mark.line + 1}) in column {col + 1}, so YAML reads "
                f"`{key}` as more of `{above}`'s value",
                f"start this line in column {indent + col - at + 1}, so that `{above}:` lines "
                f"up with `{key}:`")
    return (mark.line, col,
            f"YAML syntax: `{key}:` is indented more than `{above}:` above it, so YAML reads "
            "it as more of that key's value",
            f"start `{key}:` in column {at + 1}, as `{above}:` above it")


def _plain(problem: str) -> str:
    """PyYAML's parser jargon in a person's words (the rest is plain already)."""
    if problem.startswith(_OUT_OF_STEP):
        return "this line is not indented in step with the lines above it"
    if problem == "found unexpected end of stream":
        return "the file ends before this is closed"
    if problem == _SECOND_DOCUMENT:
        return "a second YAML document starts here: a blueprint is one document"
    return problem


class _Block:
    """A block open at a line: its column (from 0), list items or mapping keys, its line.
    (A plain class: a dataclass costs every run its making, for an error's sake.)"""

    __slots__ = ("col", "items", "line")

    def __init__(self, col: int, items: bool, line: int) -> None:
        self.col = col
        self.items = items  # a list's `- ` (else a mapping's keys)
        self.line = line  # from 0: where its first item or key is


# Patterns of the error paths only, compiled (and cached by re) when first used.
_KEY_START = r"(?:[^\s:#{}\[\],'\"][^:#]*|'[^']*'|\"[^\"]*\"):(?:\s|$)"
_BLOCK_SCALAR = r":\s+[|>][-+0-9]*\s*(?:#.*)?$"


def _open_blocks(lines: list[str], row: int) -> list[_Block]:
    """The lists and mappings still open at line `row` (from 0), outermost first, as the
    indentation of the lines above shows them: what a line there may line up with. Lines of
    a block scalar (`|`) and of a {...} or [...] written over several lines are skipped."""
    stack: list[_Block] = []
    text_below = -1  # a block scalar's lines are those indented more than this column
    depth = 0  # brackets left open by the lines above
    for n in range(min(row, len(lines))):
        line = lines[n]
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        col = len(line) - len(body)
        if text_below >= 0 and col > text_below:
            continue
        text_below = -1
        if depth > 0:
            depth = max(0, depth + body.count("[") + body.count("{") - body.count("]")
                        - body.count("}"))
            continue
        while stack and stack[-1].col > col:
            stack.pop()
        while body == "-" or body.startswith("- "):
            if stack and stack[-1].col == col and not stack[-1].items:
                stack.pop()  # a key's list at the key's own column: the key's block goes on
            if not (stack and stack[-1].col == col):
                stack.append(_Block(col, True, n))
            rest = body[1:].lstrip(" ")
            col += len(body) - len(rest)
            body = rest
        if re.match(_KEY_START, body):
            if stack and stack[-1].col == col and stack[-1].items:
                stack.pop()  # a key at a list's column ends that list
            if not (stack and stack[-1].col == col):
                stack.append(_Block(col, False, n))
            if re.search(_BLOCK_SCALAR, body):
                text_below = col
        depth = max(0, body.count("[") + body.count("{") - body.count("]") - body.count("}"))
    return stack


def _out_of_step(lines: list[str], row: int) -> tuple[int, int, str] | None:
    """Where a line out of step with its list or mapping should start: (line, column, hint),
    both from 0, at the line to fix. A list item goes under the items of the nearest list, a
    key under the keys of the nearest mapping (a key under `- id: a` lines up with `id`, not
    with the dash). When that list or mapping has one entry so far, either line may be the
    one out of step: the one to fix is the one that starts unlike the file's other blocks."""
    here = lines[row] if row < len(lines) else ""
    body = here.lstrip(" ")
    col = len(here) - len(body)
    item = body == "-" or body.startswith("- ")
    open_ = [b for b in _open_blocks(lines, row) if b.items == item and b.col != col]
    if not open_ or not (item or re.match(_KEY_START, body)):
        return None
    # The nearest column; of two as near, the one the next line goes on with (`- id: cdn`
    # then `label:` two columns in), else the inner block's.
    after = next((line for line in lines[row + 1:] if _content(line)), "")
    inside = len(body) - len(body[1:].lstrip(" ")) if item else 0  # the dash's key's offset
    block = min(reversed(open_), key=lambda b: (abs(b.col - col),
                                                 _indent(after) != b.col + inside))
    what = "the items of the list" if item else "the keys of the mapping"
    if not any(_content(line) and _indent(line) <= block.col
               for line in lines[block.line + 1:row]):  # the block's first entry so far
        first = lines[block.line]
        indent = len(first) - len(first.lstrip(" "))
        target = _odd_first_line(lines, block.line, col - block.col)
        if target is not None:
            return (block.line, indent,
                    f"this line starts in column {indent + 1} and the next (line {row + 1}) "
                    f"in column {col + 1}; in this file a list or mapping starts {target[1]} "
                    f"columns in from the line that holds it: start this one in column "
                    f"{target[0] + 1}")
    return (row, col,
            f"this line starts in column {col + 1}; {what} that begins at line "
            f"{block.line + 1} start in column {block.col + 1}: start it there")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _content_above(lines: list[str], row: int) -> int:
    """The line (from 0) of the nearest line above `row` that is neither blank nor a
    comment, or -1."""
    return next((n for n in range(row - 1, -1, -1) if _content(lines[n])), -1)


def _opens(line: str) -> bool:
    """`key:` with nothing after it (a comment aside), after any `- `: a block follows."""
    body = line.strip()
    while body.startswith("- "):
        body = body[2:].lstrip(" ")
    return re.fullmatch(r"[^\s:#{}\[\],][^:#]*:\s*(?:#.*)?", body) is not None


def _odd_first_line(lines: list[str], first: int, shift: int) -> tuple[int, int] | None:
    """(the indentation line `first` should have, the file's usual step) when moving it by
    `shift` columns puts it the usual number of columns in from the line that holds it, and
    where it is does not; else None. The usual step: the most common one from a `key:` line
    to the line after it, line `first` aside."""
    indent = _indent(lines[first])
    dash = lines[first].lstrip(" ").startswith("-")
    holder = next((n for n in range(first - 1, -1, -1) if _content(lines[n])
                   and (_indent(lines[n]) < indent
                        or dash and _indent(lines[n]) == indent and _opens(lines[n]))), None)
    if holder is None:
        return None
    steps: dict[int, int] = {}
    opener: int | None = None
    for n, line in enumerate(lines):
        if not _content(line):
            continue
        if opener is not None and n != first:
            step = _indent(line) - opener
            steps[step] = steps.get(step, 0) + 1
        opener = _indent(line) if _opens(line) else None
    if not steps:
        return None
    usual = max(steps, key=lambda k: (steps[k], -k))
    now = indent - _indent(lines[holder])
    if now != usual and now + shift == usual:
        return indent + shift, usual
    return None


def _indent_hint(lines: list[str], row: int) -> str | None:
    """Where the line above starts, so that the fix is to line the two up."""
    here = lines[row] if row < len(lines) else ""
    for above in reversed(lines[:row]):
        if above.strip() and not above.lstrip().startswith("#"):
            col, at = len(here) - len(here.lstrip(" ")), len(above) - len(above.lstrip(" "))
            if col == at:
                return None
            return (f"this line starts in column {col + 1}, the line above in column {at + 1}: "
                    f"the items of one list, and the keys of one mapping, start in the same "
                    f"column")
    return None


def _syntax_hint(problem: str, mark: Any, source: str, begun: Any = None) -> str | None:
    """How to fix the syntax errors that a person makes by hand: a tab that indents, a
    `: ` inside an unquoted value."""
    if mark is None or not source:
        return None
    lines = source.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    if problem == _SECOND_DOCUMENT:
        return "put each blueprint in a file of its own, or remove this `---` line"
    if "'\\t'" in problem or "\t" in problem:
        if not line[:mark.column].strip():
            return "indent with spaces: YAML does not allow a tab in indentation"
        return "replace the tab with a space"
    if problem == "mapping values are not allowed here":
        m = _BLOCK_ENTRY.match(line)
        key = m["key"].rstrip() if m else ""
        if m and m.start("key") + len(key) < mark.column:
            value = line[m.end():].lstrip()
            comment = re.search(r"\s#", value)  # the value ends where a comment starts
            if comment:
                value = value[:comment.start() + 1].rstrip()
            return quote_value_hint(_COLON_IN_VALUE, key, value)
        return f"{_COLON_IN_VALUE}: put the value in quotes"
    got = re.fullmatch(r"expected ',' or '[]}]', but got '(.+)'", problem)
    before = line[:mark.column].rstrip()
    if (got or problem.startswith(_OUT_OF_STEP)) and problem.endswith("'<scalar>'") \
            and before.strip() and before.endswith("}"):
        # `{label: a } b}`: that `}` closed the {...} mid-line (it is not indentation).
        return _flow_quote_hint(_FLOW_SYNTAX.format("}"), line, len(before) - 1, True)
    if got and got[1] in (":", "[", "]", "{"):
        # `{label: Handler: orders}`, `{label: raw [web, iOS]}`
        why = _COLON_IN_VALUE if got[1] == ":" else _FLOW_SYNTAX.format(got[1])
        return _flow_quote_hint(why, line, mark.column, got[1] == "]")
    if got and begun is not None and begun.line < mark.line:
        # `{label: issue #5}`: the rest of its line was a comment, the {...} never closed.
        first = lines[begun.line]
        hash_at = first.find(" #", begun.column)
        if hash_at >= 0:
            return _flow_quote_hint("' #' inside a plain value starts a comment", first,
                                    hash_at + 1)
    if problem.startswith(_OUT_OF_STEP):
        return _indent_hint(lines, mark.line)
    return None


_FLOW_SYNTAX = "'{}' inside a plain value in {{...}} is YAML's own syntax"


def _flow_quote_hint(why: str, line: str, at: int, closes: bool = False) -> str | None:
    """The hint for the plain value in {...} that holds the character at column `at` (from
    0; `closes`: a closing bracket of the value's own): the entry with the whole value
    quoted, as errors.flow_value reads it."""
    m = _FLOW_ENTRY.search(line[:at])
    if m is None:
        return f"{why}: put the value in quotes"
    start = m.start("value")
    whole = flow_value(line[start:], ALL_KEYS, at - start if closes else -1)
    return quote_value_hint(why, m["key"].rstrip(), whole)


def _check_shape(source: str, file: str, loader: type[yaml.SafeLoader]) -> _Shape:
    """Walk the parser's events (no recursion, nothing built) to refuse, at the exact
    place, a document nested too deeply or whose aliases expand it past MAX_VALUES; note
    where aliases are used and which scalars carry an explicit tag."""
    shape = _Shape()
    sizes: dict[str, int] = {}  # anchor -> how many values it stands for
    stack: list[tuple[str | None, int]] = []  # open collections: (anchor, values so far)
    total = 0

    def add(n: int, mark: Any) -> None:
        nonlocal total
        total += n
        if total > MAX_VALUES:
            raise ArchError.at(
                _pos(file, mark), f"the blueprint expands to more than {MAX_VALUES} values",
                "anchors and aliases (&a / *a) may be used, but not to multiply the document")
        if stack:
            anchor, count = stack[-1]
            stack[-1] = (anchor, count + n)

    for event in yaml.parse(source, Loader=loader):
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            shape.aliases.append((mark.line, mark.column, str(event.anchor)))
            add(sizes.get(event.anchor or "", 1), event.start_mark)
        elif isinstance(event, yaml.ScalarEvent):
            if event.tag not in (None, "!"):
                shape.tagged.add((mark.line, mark.column))
            if event.anchor:
                sizes[event.anchor] = 1
            add(1, event.start_mark)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise ArchError.at(_pos(file, event.start_mark),
                                   f"values are nested more than {MAX_DEPTH} levels deep",
                                   _deep_hint(source.splitlines()))
            add(1, event.start_mark)
            stack.append((event.anchor, 0))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, count = stack.pop()
            if anchor:
                sizes[anchor] = count + 1
            if stack:
                parent, parent_count = stack[-1]
                stack[-1] = (parent, parent_count + count)
    return shape


def _compose(source: str, file: str) -> tuple[yaml.Node | None, _Shape]:
    """The composed document, its shape checked first (see _check_shape). A YAML error from
    the C parser is not reported as such: the pure-Python parser reads the text again and
    raises its own error, the one archgen has always reported."""
    for loader in _LOADERS:
        try:
            shape = _check_shape(source, file, loader)
            return yaml.compose(source, Loader=loader), shape
        except yaml.YAMLError:
            if loader is _LOADERS[-1]:
                raise
    raise AssertionError("unreachable")


def load_text(text: bytes | str, file: str = "<blueprint>",
              deferred: Problems | None = None) -> YMap:
    """Parse blueprint text into a positioned mapping; raise ArchError on any problem but a
    duplicate key of one value, which goes to `deferred` when given (validate reports it
    with its own problems)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_BYTES:
        raise ArchError.at(Pos(file), f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # its byte order mark
        raise ArchError.at(
            _offset_pos(file, data, exc.start),
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "the file is UTF-16 (it starts with UTF-16's byte order mark): save it as UTF-8"
            if utf16 else "save the blueprint as UTF-8",
        ) from None
    if not source.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in source.splitlines()
    ):
        raise ArchError.at(Pos(file), "the blueprint is empty",
                           "start with `blueprint: 1` and a `title:`")
    try:
        root, shape = _compose(source, file)
    except yaml.MarkedYAMLError as exc:
        raise ArchError.at(*_syntax_error(file, exc, source)) from None
    except yaml.reader.ReaderError as exc:
        pos = _offset_pos(file, source.encode("utf-8"), len(source[: exc.position].encode()))
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise ArchError.at(pos, f"character {char!r} is not allowed in YAML") from None
    if root is None:
        raise ArchError.at(Pos(file), "the blueprint is empty")
    problems = Problems()
    tree = _Builder(file, problems, shape, source.splitlines(), deferred).build(root, 0)
    problems.raise_if_any()
    if not isinstance(tree, YMap):
        raise ArchError.at(
            tree.pos,
            "the blueprint must be a mapping of keys (blueprint, title, ...), "
            f"not {describe(tree)}",
        )
    return tree


def load_file(path: str | Path, deferred: Problems | None = None) -> YMap:
    """Read and parse a blueprint file (`deferred`: see load_text); a missing or unreadable
    file is an ArchError too."""
    name = str(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except TooLarge:
        raise ArchError.at(Pos(name), f"the file is larger than {MAX_BYTES // 2**20} MB") \
            from None
    except NotRegular as exc:
        hint = None
        if Path(name).is_dir():  # `archgen render ../mine`: what reads a folder
            hint = (f"`archgen build {name}` draws every blueprint under it (and every "
                    f"variant); or name its files: `{name.rstrip('/') or '/'}/*.yaml`")
        raise ArchError.at(None, f"{name}: is {exc}, not a blueprint file", hint) from None
    except FileNotFoundError:
        raise ArchError.at(None, f"{name}: no such file") from None
    except OSError as exc:
        raise ArchError.at(None, f"{name}: cannot be read ({exc.strerror})") from None
    return load_text(data, name, deferred)

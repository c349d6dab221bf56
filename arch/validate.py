"""Stage 2, validate: positioned YAML -> a typed, frozen Blueprint, or every problem at once.

The validator walks the tree from `load`, checks each key and value against BLUEPRINT.md,
resolves node types through the catalog, gives every node and group its path, and resolves
every reference (edges, alternatives, layout rows) to a full path. Each part of the format
has its method in `Validator`, and every problem goes through `Validator.error`. Nothing is
drawn until this has passed.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .catalog import Catalog, LookupFailed, load_catalog, provider_by_brand
from .errors import (
    Pos,
    Problem,
    Problems,
    Suggestions,
    close_spellings,
    did_you_mean,
    flow_value,
    meant_hint,
    quote,
    quote_value_hint,
)
from .limits import same_but_case
from .load import YMap, YNode, YScalar, YSeq, describe, load_file, load_text
from .model import (
    ALT_KEYS,
    COLOR_NAMES,
    DEFAULT_ALTERNATIVES_LABEL,
    DEFAULT_DPI,
    DEFAULT_FORMATS,
    DIRECTIONS,
    EDGE_DIRECTIONS,
    EDGE_KEYS,
    EDGE_STYLES,
    FILE_STEM_PATTERN,
    FORMATS,
    GROUP_KEYS,
    GROUP_KINDS,
    HEX_COLOR_PATTERN,
    ICON_PATH_PATTERN,
    ICON_SUFFIXES,
    ID_PATTERN,
    KIND_PROVIDERS,
    LAYOUT_KEYS,
    MAX_EDGES,
    MAX_GROUP_DEPTH,
    MAX_ID,
    MAX_NAME,
    MAX_TEXT,
    NODE_KEYS,
    OUTPUT_KEYS,
    REF_PATTERN,
    THEMES,
    TOP_KEYS,
    Alternative,
    Blueprint,
    Edge,
    Group,
    Layout,
    Node,
    Output,
    Resolved,
    group_and_member,
    inside,
    join,
    newcomer_places,
    parent_of,
    within,
)

_LOCAL_ID = re.compile(ID_PATTERN)
_REF = re.compile(REF_PATTERN)
_FILE_STEM = re.compile(FILE_STEM_PATTERN)
_HEX_COLOR = re.compile(HEX_COLOR_PATTERN)
_ICON_PATH = re.compile(ICON_PATH_PATTERN)
_CHAIN_OP = re.compile(r"\s+(<->|->|<-|--)\s+")
_JOIN_IDS = "join ids with ` -> `, ` <- `, ` <-> ` or ` -- `, with a space on each side"
# What people type for an arrow: dashes, =, ~, < and >, the dashes and arrows of Unicode.
_ARROW_RUN = re.compile("[-=~<>\u2010-\u2015\u2212\u2190-\u21ff\u27f5-\u27ff]+")
_RIGHT = set(">\u2192\u21d2\u27f6\u27f9\u21a6\u21fe")
_LEFT = set("<\u2190\u21d0\u27f5\u27f8\u21a4\u21fd")
_BOTH = set("\u2194\u21d4\u27f7\u27fa\u21ff")
_ARROWS_ARE = "(arrows: -> forward, <- back, <-> both, -- none; a space on each side)"
_OP_DIRECTION = {"->": "forward", "<-": "back", "<->": "both", "--": "none"}

_DIRECTION_WORDS = {"LR": "left to right", "TB": "top to bottom", "RL": "right to left",
                    "BT": "bottom to top"}
# What people write for a choice, without spaces, '-' and '_', lowercased -> the choice.
# Directions as other diagram tools spell them too: Mermaid's `TD`, D2's and ELK's `right`,
# `down`, `up`, PlantUML's `left to right direction`.
_SAID: dict[str, str] = {
    **{w.replace(" ", ""): d for d, w in _DIRECTION_WORDS.items()},
    **dict.fromkeys(("leftright", "ltr", "horizontal", "horizontally", "rightward",
                     "rightwards", "toright", "right", "landscape"), "LR"),
    **dict.fromkeys(("topbottom", "topdown", "td", "ttb", "vertical", "vertically",
                     "downward", "downwards", "down", "tobottom", "portrait"), "TB"),
    # (`left` alone is no hint: it says where a flow starts as often as where it goes)
    **dict.fromkeys(("rightleft", "rtl", "leftward", "leftwards", "toleft"), "RL"),
    **dict.fromkeys(("bottomtop", "bottomup", "btt", "du", "upward", "upwards", "up",
                     "totop"), "BT"),
    # an edge's direction
    **dict.fromkeys(("->", "forwards", "oneway", "to", "out", "outgoing", "normal"),
                    "forward"),
    **dict.fromkeys(("<-", "backward", "backwards", "reverse", "reversed", "from", "in",
                     "incoming"), "back"),
    **dict.fromkeys(("<->", "bidirectional", "bidi", "twoway", "bothways", "mutual"),
                    "both"),
    **dict.fromkeys(("--", "undirected", "nodirection", "noarrow", "noarrows", "plain"),
                    "none"),
}



def _used_again(places: list[Pos]) -> str:
    """` (used again on lines 31, 32)` for the places after the first (on a line holding two
    uses, line:column: `30:40`), or nothing for one place."""
    others = places[1:]
    if not others:
        return ""
    per_line: dict[int, int] = {}
    for p in places:
        per_line[p.line] = per_line.get(p.line, 0) + 1
    shown = [f"{p.line}" if per_line[p.line] == 1 else f"{p.line}:{p.col}" for p in others]
    listed = ", ".join(dict.fromkeys(shown[:8]))
    if len(shown) > 8:
        listed += f" and {len(shown) - 8} more"
    plural = "s" * (len(shown) > 1)
    return f" (used again on line{plural} {listed})"


def _said(choice: str, quoted: bool = True) -> str:
    """A choice as a hint names it: a direction with what its letters stand for."""
    words = _DIRECTION_WORDS.get(choice)
    shown = repr(choice) if quoted else choice
    return f"{shown} ({words})" if words else shown


def load_blueprint(path: str, catalog: Catalog | None = None,
                   max_edges: int = MAX_EDGES) -> Blueprint:
    """Read, parse and validate one blueprint file."""
    duplicates = Problems()
    tree = load_file(path, duplicates)
    base = str(Path(path).parent)
    return validate(tree, str(path), base, catalog, max_edges, duplicates.items)


def parse_blueprint(text: str, file: str = "<blueprint>", base_dir: str = ".",
                    catalog: Catalog | None = None) -> Blueprint:
    """Validate blueprint text (for tests and library users)."""
    duplicates = Problems()
    return validate(load_text(text, file, duplicates), file, base_dir, catalog,
                    earlier=duplicates.items)


def validate(tree: YMap, file: str = "<blueprint>", base_dir: str = ".",
             catalog: Catalog | None = None, max_edges: int = MAX_EDGES,
             earlier: Sequence[Problem] = ()) -> Blueprint:
    """Check a loaded blueprint completely; return the Blueprint or raise ArchError with
    every problem, `earlier` ones (duplicate keys the loader found) among them."""
    validator = Validator(file, base_dir, catalog or load_catalog(), max_edges)
    validator.problems.items.extend(earlier)
    return validator.blueprint(tree)


def slug(text: str) -> str:
    """An id made from text: `Web backend layer` -> `web-backend-layer`; '' if none can be."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if s and not s[0].isalpha():
        s = "n-" + s
    return s


@dataclass(frozen=True)
class _Duplicate:
    """A node or group left out because a sibling has its id, and the ids its label and
    type would give it: a reference by one of them meant it."""

    what: str  # "node" or "group"
    item: Node | Group
    parent: str
    names: tuple[str, ...]


class _Refs:
    """Every node and group by full path, and by each suffix of its path."""

    SHOWN = 3  # paths a hint names

    def __init__(self, nodes: list[Node], groups: list[Group],
                 typo_ids: set[str] | None = None) -> None:
        # Nodes whose id is made from a misspelt type are never offered in a hint: the
        # reference would have to be misspelt too, and fail once the type is fixed.
        typo_ids = typo_ids or set()
        self.kinds: dict[str, str] = {n.path: "node" for n in nodes}
        self.kinds.update({g.path: "group" for g in groups})
        self.groups = {g.path for g in groups}
        self.own_nodes: dict[str, int] = {}  # a group -> how many nodes it holds itself
        for n in nodes:
            self.own_nodes[parent_of(n.path)] = self.own_nodes.get(parent_of(n.path), 0) + 1
        self.by_suffix: dict[str, list[str]] = {}
        self.by_id: dict[str, list[str]] = {}  # an id, lowercased -> the paths it ends
        for path in self.kinds:
            parts = path.split(".")
            for i in range(len(parts)):
                self.by_suffix.setdefault(".".join(parts[i:]), []).append(path)
            if path not in typo_ids:
                self.by_id.setdefault(parts[-1].lower(), []).append(path)
        # The slug of a label -> what carries it: people refer to what the picture shows.
        self.labels: dict[str, list[str]] = {}
        for label, path in [(n.label, n.path) for n in nodes] + [(g.label, g.path)
                                                                 for g in groups]:
            if path not in typo_ids:
                self.labels.setdefault(slug(label), []).append(path)
        self.types: dict[tuple[str, str, str], list[str]] = {}  # a node type -> its nodes
        for n in nodes:
            if n.type is not None:
                self.types.setdefault((n.type.provider, n.type.module, n.type.name),
                                      []).append(n.path)
        self._suggest: Suggestions | None = None

    def short(self, path: str, start: int) -> str:
        """The shortest suffix of `path` that names it alone and holds its part `start`."""
        parts = path.split(".")
        for i in range(start, 0, -1):
            suffix = ".".join(parts[i:])
            if suffix not in self.kinds and len(self.by_suffix.get(suffix, ())) == 1:
                return suffix
        return path  # a full path names its own thing

    @staticmethod
    def along(written: list[str], path: str) -> int | None:
        """Where the written ids begin in `path` when they are ids of it in order, the last
        its own (`az-a.web` in `vpc.az-a.app.web`: 1), else None."""
        parts = path.lower().split(".")
        if parts[-1] != written[-1].lower():
            return None
        at = len(parts) - 1
        for word in reversed(written[:-1]):  # the latest place of each, from the end
            at -= 1
            while at >= 0 and parts[at] != word.lower():
                at -= 1
            if at < 0:
                return None
        return at

    def unknown(self, ref: str) -> tuple[list[str], bool]:
        """What an unknown reference may mean, as references that name one thing each, and
        whether it is a path that skips a level (its ids are all there, in order)."""
        written = ref.split(".")
        if len(written) > 1:
            skipped = self.meant(written, self.by_id.get(written[-1].lower(), []))
            if skipped:
                return skipped, True
        last = written[-1].lower()
        if last in self.by_id:  # the id is right, the groups before it are not
            return [self.short(p, p.count(".")) for p in self.by_id[last]], False
        if self._suggest is None:
            self._suggest = Suggestions(paths[0].rsplit(".", 1)[-1]
                                        for paths in self.by_id.values())
        meant: list[str] = []
        along: list[str] = []  # those inside the groups written before the id
        for close in self._suggest.names(written[-1]):  # by spelling (or meaning) of the id
            paths = self.by_id[close.lower()]
            fits = self.meant([*written[:-1], close], paths)
            along += fits
            meant += fits or [self.short(p, p.count(".")) for p in paths]
        if not along and self.written_group(written) is not None:
            return [], False  # an id spelt alike elsewhere is not what `notify.sms` meant
        return meant, False

    def written_group(self, written: list[str]) -> str | None:
        """The one group the ids before the last name (`notify` in `notify.sms`), if any."""
        found = [p for p in self.by_suffix.get(".".join(written[:-1]), []) if p in self.groups]
        return found[0] if len(written) > 1 and len(found) == 1 else None

    def members_hint(self, ref: str) -> str | None:
        """For `group.id` where the group holds no such id: what it does hold."""
        written = ref.split(".")
        group = self.written_group(written)
        if group is None:
            return None
        held = [p[len(group) + 1:] for p in self.kinds
                if p.startswith(group + ".") and "." not in p[len(group) + 1:]]
        return (f"group {quote('.'.join(written[:-1]))} holds no {quote(written[-1])}: "
                f"it holds {self.listed(held)}")

    def label_hint(self, ref: str) -> str | None:
        """When a reference is what a node or group is labelled (`claims-db`): its id."""
        key = slug(ref)  # '' for a label in a script slug keeps nothing of
        paths = self.labels.get(key, []) if key and "." not in ref else []
        if not paths:
            return None
        their = "its label" if len(paths) == 1 else "their label"
        return (f"did you mean {self.listed([self.short(p, p.count('.')) for p in paths])}? "
                f"({quote(ref)} is {their}; a reference names a node or group by its id "
                f"or path)")

    def meant(self, written: list[str], paths: list[str]) -> list[str]:
        """The paths the written ids are ids of, in order, each as its shortest reference
        that holds them all."""
        out = []
        for path in paths:
            start = self.along(written, path)
            if start is not None:
                out.append(self.short(path, start))
        return out

    def of_type(self, entries: list[tuple[str, str, list[str]]]) -> list[str]:
        """The nodes of these types (provider, module, names), each as its shortest
        reference."""
        return [self.short(p, p.count("."))
                for (provider, module, name), paths in self.types.items()
                for p in paths
                if any(provider == e[0] and module == e[1] and name in e[2] for e in entries)]

    @classmethod
    def listed(cls, refs: list[str]) -> str:
        """`'a', 'b', 'c'` or `'a', 'b', 'c' (or 4 more)`."""
        shown = ", ".join(repr(r) for r in refs[:cls.SHOWN])
        return shown + (f" (or {len(refs) - cls.SHOWN} more)" if len(refs) > cls.SHOWN else "")


# The lists of items, and the keys of an item: one written without its `- ` is checked as
# the list it stands for (`Validator.seq`).
_ITEM_KEYS = {"nodes": NODE_KEYS, "groups": GROUP_KEYS, "alternatives": ALT_KEYS,
              "edges": EDGE_KEYS}


def _one_item(node: YMap, what: str) -> bool:
    """Whether a mapping written for a list is one item of it (`nodes: {id: db, type:
    RDS}`): its keys are an item's, or slips for them, which are read as those keys
    (`Validator.section`); else `{id: db, tpye: RDS}` was told `- id: id` and its `tpye`
    checked as a node with the id `tpye`."""
    keys = _ITEM_KEYS.get(what, ())
    return bool(keys) and all(k in keys or _slip_for(k, keys) for k in node.entries)


def _list_hint(node: YNode, what: str) -> str | None:
    """How to write as a list what was written as one value or as a mapping by ids."""
    if isinstance(node, YMap) and node.entries:
        key = next(iter(node.entries))
        if _one_item(node, what):
            return "it reads as one item: start it with `- ` to make a list of one"
        if what in ("nodes", "groups", "alternatives") and _LOCAL_ID.fullmatch(key):
            # `groups: {vpc: {label: VPC}}`: ids as keys, as some formats have it
            return (f"each item starts with `- `, its id a key of it: `- id: {key}`, and "
                    f"its other keys under `id:`")
        return None
    if isinstance(node, YScalar) and node.one_line and node.text:
        if what in ("groups", "alternatives"):
            # never text: a list of one (`[alt]`) would be refused next
            return (f"each item is a mapping that starts with `- id: {node.text}`"
                    + (", with `label:` and `nodes:`" if what == "groups" else
                       ", with `label:` and `replace:` + `with:`, or `pick:`"))
        if what == "a layout row":
            return f"a row is a list of ids: `- [{node.text}]`"
        key = what.rsplit(".", 1)[-1]
        inner = f"[{node.text}]" if key != "rows" else f"[[{node.text}]]"  # rows of ids
        return f"one item is a list of one: `{key}: {inner}`"
    return None


def _raster_hint(folder: Path, written: PurePosixPath) -> str | None:
    """For an icon that is no PNG or JPG (a vendor's SVG logo): the PNG or JPG of the same
    name beside it, else how to make one from an SVG."""
    for suffix in ICON_SUFFIXES:
        twin = written.with_suffix(suffix)
        if (folder / twin).is_file():
            return f"did you mean {twin.as_posix()!r}?"
    if written.suffix.lower() == ".svg":
        return (f"Graphviz draws a custom icon from pixels: convert it, for instance "
                f"`rsvg-convert -w 256 {written.as_posix()} -o "
                f"{written.with_suffix('.png').as_posix()}`")
    return None


def _icon_hint(folder: Path, written: PurePosixPath, limit: int = 1000) -> str | None:
    """did-you-mean for a missing icon: the image files of the folder it was looked for in
    whose names are spelt alike, as the blueprint would write them (at most `limit` entries
    of the folder are read)."""
    names: dict[str, str] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in itertools.islice(entries, limit):
                if PurePosixPath(entry.name).suffix.lower() in ICON_SUFFIXES:
                    names[entry.name.lower()] = (written.parent / entry.name).as_posix()
    except OSError:
        return None
    return meant_hint(close_spellings(written.name, names))


# Keys other diagram formats use for one of ours (`version:` for `blueprint:`, awslabs'
# diagram-as-code `links:`, diagrams' clusters), read and reported like a misspelling.
FAN_MIN = 3  # edges of one statement from one tail or into one head: its label drawn once

_SAID_OTHERWISE = {"version": "blueprint", "links": "edges", "connections": "edges",
                   "arrows": "edges", "clusters": "groups", "variants": "alternatives",
                   "title": "label", "name": "label"}


def _slip_for(written: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed key a written one is a slip for: its letters in another order (`tpye`)
    or spelt alike, at most about one letter in five off; None where it may be a word of
    its own (`note` is not `nodes`)."""
    said = _SAID_OTHERWISE.get(written.lower())
    if said in allowed:
        return said
    letters = sorted(written.lower())
    swapped = [a for a in allowed if sorted(a) == letters]
    if swapped:
        return swapped[0]
    close = close_spellings(written, {a: a for a in allowed}, n=1, cutoff=0.8)
    return close[0] if close else None


_COMMA = "a comma inside {...} ends the value"


def _comma_hint(m: YMap, key: str, cut_short: YScalar,
                keys: tuple[str, ...]) -> tuple[str, tuple[int, int] | None]:
    """The hint for a plain value in {...} that a comma cut short: the line with the whole
    value quoted, and where that value ends (its other pieces are the same problem)."""
    pos = cut_short.pos
    if m.flow_source and cut_short.style is None and cut_short.one_line \
            and pos.line <= len(m.flow_source):
        # The YAML was read: a ` #` after the value starts a comment.
        rest = re.split(r"\s#", m.flow_source[pos.line - 1][pos.col - 1:], maxsplit=1)[0]
        whole = flow_value(rest, keys)
        if whole.startswith(cut_short.text):
            return quote_value_hint(_COMMA, key, whole), (pos.line, pos.col + len(whole))
    return f"{_COMMA}: put the whole value in quotes", None


class Validator:
    """Every check of a blueprint: one method per part of the format, each problem reported
    through `error`, so that a user sees all of them in one run."""

    def __init__(self, file: str, base_dir: str, catalog: Catalog,
                 max_edges: int = MAX_EDGES) -> None:
        self.file = file
        # Edges are counted before a list end is expanded to every pair (`from: [..3000]`,
        # `to: [..3000]` would be 9 million).
        self.max_edges = max_edges
        self.edge_count = 0
        self.base_dir = base_dir  # custom icons are relative to it
        self.catalog = catalog
        self.problems = Problems()
        self.provider: str | None = None
        # Where short type names are looked up first: the innermost group's `provider`, ...,
        # the blueprint's (every provider after them).
        self.scopes: list[str] = []
        self.notes: list[Problem] = []  # what the user should know though nothing is wrong
        self.refs = _Refs([], [])  # every node and group, once the tree is read
        self.hinted: dict[str, tuple[str | None, bool]] = {}  # unknown ref -> hint, skips
        self.unknown: dict[str, list[tuple[Pos, str]]] = {}  # unknown ref -> where, as what
        # Ids refused as written: a reference to one is not reported again, at every use.
        self.invalid_ids: set[str] = set()
        self.type_hints: dict[str, str | None] = {}  # unknown type's message -> its hint
        # unknown type's message -> the failure and where the type is written
        self.unknown_types: dict[str, tuple[LookupFailed, list[Pos]]] = {}
        self.typed: dict[str, str | None] = {}  # a reference that may be a type -> its hint
        self.told_paths = False  # the rule of paths is told once, with the first that skips
        # What an error already reported explains, so that a reference is not reported as
        # if it were wrong (`explained`, `left_out_hint`):
        self.misspelt: set[str] = set()  # types unknown (not ambiguous)
        self.typo_ids: set[str] = set()  # nodes whose id is made from a misspelt type
        self.left_out: list[Group] = []  # groups left out for an error, checked through
        self.left_nodes: list[Node] = []  # nodes left out for a bad id
        self.left_refs = _Refs([], [])  # what they hold, once the tree is read
        self.duplicates: list[_Duplicate] = []  # nodes and groups left out for their id
        self.short_of: set[str] = set()  # groups with a node left out for an error
        # Where an id is not written but made (from a node's type or label): what from. A
        # duplicate's hint says which of the two to rename or give an `id`.
        self.made_ids: dict[Pos, str] = {}
        self.fix_lookups = 0
        self.refused = 0  # the providers refused in scope: an ambiguous type is not reported

    def error(self, pos: Pos | None, message: str, hint: str | None = None) -> None:
        self.problems.add(pos, message, hint)

    # -- the blueprint ----------------------------------------------------------------------

    def blueprint(self, tree: YMap) -> Blueprint:
        """Check a loaded blueprint completely; return the Blueprint or raise ArchError."""
        top = Pos(self.file)
        self.keys(tree, TOP_KEYS, "the blueprint")

        def get(key: str) -> YNode | None:
            # a slip for a key (`tilte:`, `version:`) is reported once and read as the key,
            # so what it holds is checked and not also reported missing
            return self.section(tree, key, TOP_KEYS)

        self.version(get("blueprint"), top)
        title = self.text(get("title"), "title", required=True, at=top) or ""
        description = self.text(get("description"), "description")
        provider_node = get("provider")
        self.provider = self.provider_name(provider_node)
        self.refused = int(provider_node is not None and self.provider is None)
        self.scopes = [self.provider] if self.provider else []
        direction = self.choice(get("direction"), "direction", DIRECTIONS, "LR")
        theme = self.choice(get("theme"), "theme", THEMES, "light")

        top_ids: dict[str, Pos] = {}
        nodes = self.nodes(get("nodes"), "", top_ids)
        groups = self.groups(get("groups"), "", top_ids)
        all_nodes = list(nodes) + [n for g in groups for n in g.walk_nodes()]
        all_groups = [x for g in groups for x in (g, *g.walk_groups())]
        self.refs = _Refs(all_nodes, all_groups, self.typo_ids)
        self.left_refs = _Refs([*self.left_nodes, *(n for g in self.left_out
                                                    for n in g.walk_nodes())],
                               [x for g in self.left_out for x in (g, *g.walk_groups())])
        if not all_nodes and not self.problems:
            self.error(top, "the blueprint has no nodes",
                       "add `nodes:` or `groups:` with nodes in them")

        edges = self.edges(get("edges"))
        alternatives = self.alternatives(get("alternatives"))
        layout = self.layout(get("layout"))
        output = self.output(get("output"))
        self.report_unknown()
        self.report_unknown_types()
        self.problems.raise_if_any()
        return Blueprint(self.file, title, description, self.provider, direction, theme, nodes,
                         groups, tuple(edges), tuple(alternatives), layout, output,
                         self.base_dir, tuple(self.notes),
                         self.section_key(tree, "alternatives", TOP_KEYS))

    def version(self, node: YNode | None, top: Pos) -> None:
        if node is None:
            self.error(top, "`blueprint: 1` is missing",
                       "the first line of a blueprint is `blueprint: 1`")
        elif not isinstance(node, YScalar) or isinstance(node.value, str):
            self.error(node.pos, f"`blueprint` must be the number 1, not {describe(node)}"
                                 + (f" {quote(node.text)}" if isinstance(node, YScalar) else ""),
                       "write `blueprint: 1` without quotes")
        elif node.value != 1 or isinstance(node.value, bool):
            self.error(node.pos, f"unsupported blueprint version {quote(node.text)}",
                       "this archgen reads `blueprint: 1`")

    def provider_name(self, node: YNode | None) -> str | None:
        provider = self.text(node, "provider")
        if provider is not None and provider not in self.catalog.providers:
            provider = same_but_case(provider, self.catalog.providers) or provider
        if provider is not None and node is not None and provider not in self.catalog.providers:
            brand = provider_by_brand(provider)
            close = [brand] if brand else Suggestions(self.catalog.providers).names(provider)
            self.error(node.pos, f"unknown provider {provider!r}",
                       meant_hint(close) or "providers: " + ", ".join(self.catalog.providers))
            # Checked on as the vendor meant, or the one provider spelt alike: its types are
            # not all reported ambiguous. Refused (None), an ambiguous type is not reported
            # either (`resolve`).
            return close[0] if len(close) == 1 else None
        return provider

    # -- small checks -----------------------------------------------------------------------

    def section(self, m: YMap, key: str, allowed: tuple[str, ...]) -> YNode | None:
        """m's `key`; else what a slip for it holds (`node:` for `nodes:`, `tpye:` for
        `type:`, `lable:` for `label:`, reported by keys()), checked as if spelt right, so
        that what it says is not reported missing too, nor every reference to it."""
        if key in m.entries:
            return m.get(key)
        for written, (_, value) in m.entries.items():
            if written not in allowed and _slip_for(written, allowed) == key:
                return value
        return None

    @staticmethod
    def section_key(m: YMap, key: str, allowed: tuple[str, ...]) -> Pos | None:
        """Where the key of `section`'s value is written."""
        for written, (knode, _) in m.entries.items():
            if written == key or written not in allowed and _slip_for(written, allowed) == key:
                return knode.pos
        return None

    def keys(self, m: YMap, allowed: tuple[str, ...], where: str) -> None:
        previous: tuple[str, YNode] | None = None
        cut: tuple[int, int] | None = None  # line, end column of a value a comma cut short
        for key, (knode, value) in m.entries.items():
            if key not in allowed:
                if cut and knode.pos.line == cut[0] and knode.pos.col < cut[1]:
                    continue  # another piece of that value: one problem, reported once
                slip = _slip_for(key, allowed)  # read as that key (`section`): said so
                meant = f"did you mean {slip!r}?" if slip else did_you_mean(key, allowed)
                hint = meant or "allowed: " + ", ".join(allowed)
                if key in TOP_KEYS and allowed is not TOP_KEYS and slip is None:
                    # A whole top-level section indented under the last group or node.
                    hint = (f"`{key}` belongs to the blueprint itself: move it out to the "
                            f"start of the line (column 1)")
                elif (previous is not None and isinstance(previous[1], YScalar)
                      and knode.pos.line == previous[1].pos.line):
                    comma, cut = _comma_hint(m, previous[0], previous[1], allowed)
                    if isinstance(value, YScalar) and value.value is None and not value.text:
                        # `{label: GitLab (MRs, CI)}`: the comma ended the value, `CI)`
                        # became a key without a value.
                        hint = comma
                    elif meant is None and cut is not None:
                        # `{label: a, b: c}`: a key of no known name, or the rest of the
                        # value; it cannot tell which, so it says both.
                        hint = (f"{hint}; or, if {quote(key)} is part of the value before "
                                f"it, {comma}")
                    else:
                        cut = None
                self.error(knode.pos, f"unknown key {quote(key)} in {where}", hint)
            previous = (key, value)

    def text(self, node: YNode | None, what: str, required: bool = False,
             at: Pos | None = None) -> str | None:
        if node is None:
            if required:
                self.error(at, f"{what} is required")
            return None
        if isinstance(node, YScalar) and node.value is not None:
            if not isinstance(node.value, str) and node.text == "":
                self.error(node.pos, f"{what} must be text")
                return None
            if len(node.text) > MAX_TEXT:
                self.error(node.pos, f"{what} is {len(node.text)} characters long; the limit "
                                     f"is {MAX_TEXT}", "Graphviz cannot draw longer text")
                return None
            if required and not node.text.strip():  # `title: ""` drew a picture untitled
                self.error(node.pos, f"{what} is empty", "write the text it shows")
                return None
            return node.text
        self.error(node.pos, f"{what} must be text, not {describe(node)}")
        return None

    def long_label(self, node: YNode | None, label: str | None, edge: bool) -> None:
        """A note at a label too long to read under its icon or along its edge: drawn in
        full, it takes more lines than LONG_LABEL_LINES even at the widest measure."""
        if label is None or node is None or len(label) <= 40:
            return  # at most 40 characters always fit (and a clean run imports no labels)
        from .labels import EDGE_LABEL_WIDTH, LONG_LABEL_LINES, NODE_LABEL_WIDTH, long_label_lines

        lines = long_label_lines(label, EDGE_LABEL_WIDTH if edge else NODE_LABEL_WIDTH)
        if lines:
            self.notes.append(Problem(
                node.pos, f"this label of {len(label)} characters is drawn in {lines} lines, "
                          f"more than the {LONG_LABEL_LINES} a label reads well in: the "
                          f"diagram is laid out around it",
                "a label names the part in a few words: put the detail in the blueprint's "
                "`description`"))

    def choice(self, node: YNode | None, what: str, choices: tuple[str, ...],
               default: str) -> str:
        if node is None:
            return default
        if not isinstance(node, YScalar) or not isinstance(node.value, str):
            self.error(node.pos, f"{what} must be one of {', '.join(choices)}, "
                                 f"not {describe(node)}")
            return default
        if node.value not in choices:
            same = same_but_case(node.value, choices)
            if same is not None:
                return same
            said = re.sub(r"[\s_-]+", "", node.value.lower())
            # `left to right direction` (PlantUML) says what `left to right` does.
            meant = (_SAID.get(said) or _SAID.get(said.removesuffix("direction"))
                     or {c.lower(): c for c in choices}.get(said))
            hint: str | None
            if meant in choices and meant is not None:
                hint = f"did you mean {_said(meant)}?"
            else:
                listed = ", ".join(_said(c, quoted=False) for c in choices)
                # The message lists the choices: a hint only says what they stand for.
                hint = did_you_mean(node.value, choices) or (
                    f"one of: {listed}" if listed != ", ".join(choices) else None)
            self.error(node.pos, f"{what} {quote(node.value)} is not one of "
                                 f"{', '.join(choices)}", hint)
            return default
        return node.value

    def seq(self, node: YNode | None, what: str) -> list[YNode]:
        if node is None:
            return []
        if isinstance(node, YScalar) and node.value is None:
            return []  # `nodes:` with nothing after it
        if not isinstance(node, YSeq):
            self.error(node.pos, f"{what} must be a list, not {describe(node)}",
                       _list_hint(node, what))
            return self.meant_items(node, what)
        return node.items

    def meant_items(self, node: YNode, what: str) -> list[YNode]:
        """The items of a list of nodes, groups, edges or alternatives written as one item or
        as a mapping by ids (reported): checked as the hint writes them, so that what they
        say is checked too and references to them are not reported."""
        if what not in _ITEM_KEYS:
            return []
        if isinstance(node, YScalar) and node.one_line and isinstance(node.value, str):
            # `nodes: Lambda`, `edges: a -> b`; a group or an alternative is never text, and
            # read as one it was only reported again, as not a mapping
            return [node] if what in ("nodes", "edges") else []
        if not isinstance(node, YMap):
            return []
        if _one_item(node, what):
            return [node]
        if what == "edges":
            return []
        # `groups: {vpc: {label: VPC}}`: each value with its key as its `id`
        return [YMap(value.pos, {"id": (knode, knode), **value.entries}, value.flow_source)
                for key, (knode, value) in node.entries.items()
                if isinstance(value, YMap) and _LOCAL_ID.fullmatch(key)]

    def local_id(self, node: YNode | None, fallback: str, at: Pos,
                 what: str) -> str | None:
        if node is None:
            if not fallback:
                self.error(at, f"cannot derive an id for this {what}", "give it an `id`")
                return None
            return fallback
        if not isinstance(node, YScalar) or not isinstance(node.value, str):
            # `id: on`, `id: True`: a word YAML reads as a boolean (or null) is an id quoted
            written = node.text if isinstance(node, YScalar) else ""
            if _LOCAL_ID.fullmatch(written):
                self.invalid_ids.add(written)  # its references are not reported too
            self.error(node.pos, f"id must be text, not {describe(node)}",
                       f"YAML reads `{written}` as {describe(node)}: quote it, "
                       f"`id: \"{written}\"`" if _LOCAL_ID.fullmatch(written) else None)
            return None
        if len(node.value) > MAX_ID:
            self.error(node.pos, f"id is longer than {MAX_ID} characters")
            return None
        if not _LOCAL_ID.fullmatch(node.value):
            self.invalid_ids.add(node.value)
            fixed = slug(node.value)
            self.error(node.pos, f"invalid id {node.value!r}",
                       "an id starts with a letter and has only letters, digits, '_' and '-'"
                       + (f": {fixed!r}" if node.value[:1].isalpha() and fixed else ""))
            return None
        return node.value

    # -- the tree ---------------------------------------------------------------------------

    def node(self, item: YNode, parent: str, siblings: dict[str, Pos]) -> Node | None:
        if isinstance(item, YScalar) and isinstance(item.value, str):
            resolved = self.resolve(item.value, item.pos)
            # A node whose type is unknown is still a node (reported once, at its type):
            # edges to it are checked as usual rather than each failing too.
            local = slug(item.value.rsplit(".", 1)[-1])
            self.made_ids[item.pos] = "type"
            shown = resolved.label if resolved is not None else item.value
            return self.place(Node(local, "", shown, resolved, None, item.pos),
                              parent, siblings, item.value if resolved is None else None)
        if not isinstance(item, YMap):
            self.error(item.pos, f"a node must be a type name or a mapping, not {describe(item)}")
            return None
        self.keys(item, NODE_KEYS, "a node")
        provider_node = self.section(item, "provider", NODE_KEYS)
        own = self.provider_name(provider_node)
        type_node, icon_node, label_node, id_node = (
            self.section(item, key, NODE_KEYS) for key in ("type", "icon", "label", "id"))
        type_text = self.text(type_node, "type")
        icon = self.icon(icon_node)
        label = self.text(label_node, "label")
        self.long_label(label_node, label, edge=False)
        resolved = None
        if type_text is not None and type_node is not None:
            resolved = self.resolve(type_text, type_node.pos, own,
                                    provider_node is not None and own is None)
            if resolved is None and label is None:
                label = type_text  # unknown, reported: the node still counts for edges
        elif type_node is None and icon_node is None:
            self.error(item.pos, "a node needs a `type` (or an `icon`)")
        # A node that fails a check of its own still counts for references when it has a
        # name, so that they are not reported too, each as if it were wrong.
        written_id = (id_node.value if isinstance(id_node, YScalar)
                      and isinstance(id_node.value, str) else None)
        if label is None:
            if resolved is not None:
                label = resolved.label
            elif icon is not None:
                self.error(item.pos, "a custom-icon node needs a `label`")
                label = written_id
            elif icon_node is not None:  # a bad icon, reported at the icon
                raw = icon_node.value if isinstance(icon_node, YScalar) else None
                label = PurePosixPath(raw).stem if isinstance(raw, str) and raw else "icon"
            else:  # a type missing or not text, reported
                label = written_id
            if label is None:
                return None  # nothing names it
        derived = (slug(type_text.rsplit(".", 1)[-1]) if type_text and icon_node is None
                   else slug(label))
        node_id = self.local_id(id_node, derived, item.pos, "node")
        if node_id is None:
            if written_id is not None and slug(written_id):  # as its hint would write it
                self.left_nodes.append(Node(slug(written_id), join(parent, slug(written_id)),
                                            label, resolved, icon, item.pos))
            return None
        id_pos = id_node.pos if id_node is not None else item.pos
        if id_node is None:
            self.made_ids[id_pos] = "type" if type_text and icon_node is None else "label"
        typo = type_text if resolved is None and id_node is None and icon_node is None else None
        return self.place(Node(node_id, "", label, resolved, icon, id_pos), parent, siblings,
                          typo)

    def place(self, n: Node, parent: str, siblings: dict[str, Pos],
              typo: str | None = None) -> Node | None:
        """n at its path among its siblings; `typo`: the type its id is made from, when that
        type is unknown."""
        if not self.unique(n.id, n.pos, siblings, parent, "node"):
            names = (slug(n.label), slug(n.type.label) if n.type is not None else "")
            self.duplicates.append(_Duplicate("node", n, parent, names))
            return None
        path = join(parent, n.id)
        if typo is not None and typo in self.misspelt:
            self.typo_ids.add(path)
        return Node(n.id, path, n.label, n.type, n.icon, n.pos)

    def unique(self, local: str, pos: Pos, siblings: dict[str, Pos], parent: str,
               what: str) -> bool:
        if local in siblings:
            first = siblings[local]
            where = f"in group {parent!r}" if parent else "at the top level"
            self.error(pos, f"duplicate id {local!r} {where} (first at line {first.line})",
                       "ids must be unique among siblings: "
                       + self.duplicate_hint(local, first, pos, what))
            return False
        siblings[local] = pos
        return True

    def duplicate_hint(self, local: str, first: Pos, pos: Pos, what: str) -> str:
        """Which of two same ids to change: one written (`id: q`) is renamed, one made from
        a type or label is given an `id` (both written: "give one an explicit `id`" asked
        for what was there)."""
        made, made_first = self.made_ids.get(pos), self.made_ids.get(first)
        at = (f"lines {first.line} and {pos.line}" if first.line != pos.line
              else f"line {pos.line}, columns {first.col} and {pos.col}")
        if made is None and made_first is None:
            return f"rename one of them (`id: {local}` on {at})"
        if made is not None and made_first is not None:
            return (f"give one of them an explicit `id` (on {at}, both made from their "
                    f"{made if made == made_first else 'type or label'})")
        if made is None:
            return (f"rename this one, or give the one on line {first.line} (its id is made "
                    f"from its {made_first}) an `id` of its own")
        return (f"this {what}'s id is made from its {made}: give it an `id` of its own, or "
                f"rename the `id: {local}` on line {first.line}")

    def resolve(self, text: str, pos: Pos, own: str | None = None,
                refused: bool = False) -> Resolved | None:
        """The type `text` names, looked up in `own` provider first, then in the scopes';
        `refused`: the node's own `provider` was refused."""
        if not text.strip():  # not "unknown node type ''"
            self.error(pos, "a node's type is empty",
                       "write the service it is (`type: Lambda`), or give it an `icon`")
            return None
        try:
            resolved = self.catalog.resolve(text, [own, *self.scopes] if own else self.scopes)
            if resolved.note:
                self.notes.append(Problem(pos, resolved.note, resolved.note_hint))
            return resolved
        except LookupFailed as exc:
            if exc.candidates and (refused or self.refused):
                return None  # ambiguous for want of the provider refused, reported there
            if not exc.candidates:  # not one of several that it could be: spelt wrong
                self.misspelt.add(text)
            # Reported once a message, with the other places (report_unknown_types): one
            # misspelt type copied into three zones is one mistake, not three errors.
            self.unknown_types.setdefault(exc.message, (exc, []))[1].append(pos)
            return None

    def report_unknown_types(self) -> None:
        for message, (exc, places) in self.unknown_types.items():
            hint = None
            if not exc.costly:
                hint = exc.hint
            elif len(self.type_hints) < Suggestions.MAX_LOOKUPS:  # thousands stay cheap
                hint = self.type_hints[message] = exc.hint
            self.error(places[0], message + _used_again(places), hint)

    def icon(self, node: YNode | None) -> str | None:
        text = self.text(node, "icon")
        if text is None or node is None:
            return None
        path = PurePosixPath(text.replace("\\", "/"))
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
            self.error(node.pos, "icon must be a local file, not a URL",
                       "download the image next to the blueprint and name it here")
        elif path.is_absolute() or re.match(r"^[A-Za-z]:", text) or ".." in path.parts:
            self.error(node.pos, f"icon {text!r} must be a path inside the blueprint's folder")
        elif not _ICON_PATH.fullmatch(text):
            self.error(node.pos, f"icon path {text!r} may hold only letters, digits, spaces "
                                 f"and . _ - /")
        elif path.suffix.lower() not in ICON_SUFFIXES:
            self.error(node.pos, f"icon {text!r} must be a PNG or JPG file",
                       _raster_hint(Path(self.base_dir), path))
        else:
            full = Path(self.base_dir) / path
            if not full.exists():
                # The folder in full: `(looked in .)` did not say that it is the
                # blueprint's folder, not the working one, that icon paths start from.
                self.error(node.pos, f"icon file {text!r} does not exist (looked in the "
                                     f"blueprint's folder, {Path(self.base_dir).resolve()})",
                           _icon_hint(full.parent, path))
            elif not full.resolve().is_relative_to(Path(self.base_dir).resolve()):
                self.error(node.pos, f"icon {text!r} leads outside the blueprint's folder "
                                     f"(through a symbolic link)")
            else:
                from . import images  # only a blueprint with icons of its own needs it

                try:
                    images.read_icon(full)
                except images.BadImage as exc:
                    self.error(node.pos, f"icon {text!r} {exc}",
                               "an icon is a PNG or JPEG file of at most "
                               f"{images.MAX_ICON_BYTES // 2**20} MB and "
                               f"{images.MAX_ICON_SIDE} pixels a side")
                    return None
                return path.as_posix()
        return None

    def nodes(self, seq: YNode | None, parent: str, siblings: dict[str, Pos]) -> tuple[Node, ...]:
        result = []
        for item in self.seq(seq, "nodes"):
            n = self.node(item, parent, siblings)
            if n is not None:
                result.append(n)
            else:
                self.short_of.add(parent)
        return tuple(result)

    def groups(self, seq: YNode | None, parent: str, siblings: dict[str, Pos]) -> tuple[Group, ...]:
        result = []
        for item in self.seq(seq, "groups"):
            if not isinstance(item, YMap):
                self.error(item.pos, f"a group must be a mapping, not {describe(item)}")
                continue
            self.keys(item, GROUP_KEYS, "a group")
            label_node, kind_node, id_node = (
                self.section(item, key, GROUP_KEYS) for key in ("label", "kind", "id"))
            label = self.text(label_node, "a group's label", required=True, at=item.pos)
            kind = self.choice(kind_node, "group kind", GROUP_KINDS, "layer")
            # Its id is made from its label: without either, the label's error says it all.
            local = (self.local_id(id_node, slug(label or ""), item.pos, "group")
                     if label is not None or id_node is not None else None)
            pos = id_node.pos if id_node is not None else item.pos
            if local is not None and id_node is None:
                self.made_ids[pos] = "label"
                # Two groups may carry the same label: the second one's id gets a number.
                base, n = local, 2
                while local in siblings:
                    local, n = f"{base}-{n}", n + 1
            # A group that fails a check of its own is still checked through; it is kept
            # when it has an id of its own, else left out, under its path as written, so that
            # references into it are not reported too (`explained`).
            kept = local is not None and self.unique(local, pos, siblings, parent, "group")
            # (an id refused is under the id its hint offers)
            written = local or slug(id_node.text if isinstance(id_node, YScalar) else "") or "?"
            path = join(parent, written)
            if path.count(".") >= MAX_GROUP_DEPTH:
                self.error(pos, f"groups are nested more than {MAX_GROUP_DEPTH} deep",
                           "the generated program would have too many nested blocks")
                continue
            inner: dict[str, Pos] = {}
            provider_node = self.section(item, "provider", GROUP_KEYS)
            own = self.provider_name(provider_node)
            refused = int(provider_node is not None and own is None)
            # "" keeps the stack's depth for the pop.
            scopes = [own] if own else list(KIND_PROVIDERS.get(kind or "", [""]))
            self.scopes[:0] = scopes
            self.refused += refused
            contents = [self.section(item, "nodes", GROUP_KEYS),
                         self.section(item, "groups", GROUP_KEYS)]
            group = Group(written, path, label or written, kind,
                          self.nodes(contents[0], path, inner),
                          self.groups(contents[1], path, inner), pos,
                          next((p for p in self.scopes if p), None))
            del self.scopes[:len(scopes)]
            self.refused -= refused
            if all(c is None or (isinstance(c, YSeq) and not c.items)
                   or (isinstance(c, YScalar) and c.value is None) for c in contents):
                self.error(pos, f"group {path!r} has no nodes", "an empty box is not drawn: "
                                "add a node to it or remove it")
            if kept:
                result.append(group)
            else:
                self.left_out.append(group)
                if local is not None:  # its id is a sibling's
                    self.duplicates.append(_Duplicate("group", group, parent,
                                                      (slug(label or ""),)))
        return tuple(result)

    # -- references -------------------------------------------------------------------------

    def ref(self, ref: str, pos: Pos, what: str) -> str | None:
        """The one full path a reference (full path, path suffix or bare id) names."""
        kinds = self.refs.kinds
        if ref in kinds:  # a full path names one thing, whatever else ends so
            return ref
        found = self.refs.by_suffix.get(ref, [])
        if len(found) == 1:
            return found[0]
        if found:
            shown = sorted(found)[:5] + ([f"... ({len(found)} in all)"] if len(found) > 5 else [])
            start = ref.count(".")
            self.error(pos, f"{what} {quote(ref)} is ambiguous: it could be "
                            + ", ".join(shown),
                       "write more of the path: " + self.refs.listed(
                           [self.refs.short(p, p.count(".") - start) for p in sorted(found)]))
            return None
        # Reported once a name, with the other places it is used (report_unknown): a habit
        # such as a path that skips a level is one error, not one per edge.
        self.unknown.setdefault(ref, []).append((pos, what))
        return None

    def report_unknown(self) -> None:
        for ref, uses in self.unknown.items():
            if ref in self.invalid_ids or self.explained(ref):
                continue
            (pos, what), others = uses[0], [p for p, _ in uses[1:]]
            message = f"{what} {quote(ref)} does not name a node or group"
            if others:
                lines = sorted({p.line for p in others if p.line})
                shown = ", ".join(str(n) for n in lines[:8])
                if len(lines) > 8:
                    shown += f" and {len(lines) - 8} more"
                message += f" (used again on line{'s' * (len(lines) > 1)} {shown})"
            self.error(pos, message, self.unknown_hint(ref, what))

    def explained(self, ref: str) -> bool:
        """Whether an error already reported says why a reference names nothing: it names
        what a group left out for an error holds (or the group), or it is the id that a node
        whose id is made from its misspelt type takes once the type is fixed (`quicksight`
        for `- Quicksite`): then it is not reported too."""
        if ref in self.left_refs.by_suffix:
            return True
        written = ref.split(".")
        last = written[-1]
        if not self.typo_ids or slug(last) != last \
                or self.fix_lookups >= Suggestions.MAX_LOOKUPS:  # thousands stay cheap
            return False
        self.fix_lookups += 1
        if not self.catalog.candidates(last):  # not read as a type: not what a fix gives
            return False
        ids: dict[str, list[str]] = {}
        for path in self.typo_ids:
            ids.setdefault(path.rsplit(".", 1)[-1], []).append(path)
        return any(_Refs.along(written, join(parent_of(path), last)) is not None
                   for typo in close_spellings(last, {i: i for i in ids}, n=len(ids))
                   for path in ids[typo])

    def left_out_hint(self, ref: str) -> str | None:
        """For a reference by another name of a node or group left out for its duplicate id
        (its label, its type: `cosmos` for `{id: sql, type: Cosmos DB}`): the id to give it."""
        written = ref.split(".")
        last = written[-1]
        if not self.duplicates or not _LOCAL_ID.fullmatch(last):
            return None
        names: dict[str, list[_Duplicate]] = {}
        for d in self.duplicates:
            for name in d.names:
                if name and name != d.item.id:
                    names.setdefault(name, []).append(d)
        # Its name spelt alike, or its first words (`cosmos` for `cosmos-db`): not any
        # word of it, nor its initials, which could be anything's.
        meant = [n for n in names if n.startswith(last + "-")]
        for name in meant + close_spellings(last, {n: n for n in names}):
            for d in names[name]:
                if _Refs.along(written, join(d.parent, last)) is not None:
                    return (f"did you mean the {d.what} at line {d.item.pos.line}, "
                            f"{d.item.label!r}? It is left out for its duplicate id "
                            f"{d.item.id!r}: give it `id: {last}`")
        return None

    def unknown_hint(self, ref: str, what: str = "edge end") -> str | None:
        """did-you-mean for an unknown reference: the references that name one thing each
        and that it may have meant; the rule of paths once, when it skips a level; else, for
        what an alternative takes over, what there is to take (`what` as the error says)."""
        if ref not in self.hinted:
            if len(self.hinted) >= Suggestions.MAX_LOOKUPS or len(ref) > Suggestions.MAX_WORD:
                return None  # thousands of unknown references stay cheap
            meant, skipped = self.refs.unknown(ref)
            hint = f"did you mean {self.refs.listed(meant)}?" if meant else None
            if not skipped:
                hint = (self.left_out_hint(ref) or self.type_hint(ref)
                        or self.refs.label_hint(ref) or hint or self.refs.members_hint(ref)
                        or self.takeable_hint(ref, what) or self.declare_hint(ref))
            self.hinted[ref] = (hint, skipped)
        hint, skipped = self.hinted[ref]
        if skipped and not self.told_paths:
            self.told_paths = True
            return f"{hint} (a path is a chain of ids from any group down, skipping no level)"
        return hint

    def takeable_hint(self, ref: str, what: str) -> str | None:
        """For `replace: [nope]` or `pick: {nope: ...}` naming nothing near: what there is to
        replace (the top level's items) or to pick from (groups of two nodes or more);
        declaring something new would not be what a variant does."""
        if what == "`replace`":
            top = [p for p in self.refs.kinds if "." not in p]
            return (f"`replace` names nodes or groups the blueprint declares: its top level "
                    f"holds {self.refs.listed(top)}" if top else None)
        if what == "picked group":
            groups = [self.refs.short(g, g.count(".")) for g in sorted(self.refs.groups)
                      if self.refs.own_nodes.get(g, 0) >= 2]
            return (f"`pick` names a group and one of its nodes: groups to pick in: "
                    f"{self.refs.listed(groups)}" if groups
                    else "`pick` names a group and one of its nodes: no group holds two")
        return None

    def declare_hint(self, ref: str) -> str | None:
        """When nothing near is declared: where to declare what the reference names."""
        box, _, last = ref.rpartition(".")
        if not _LOCAL_ID.fullmatch(last):
            return None
        if box:
            holders = self.refs.by_suffix.get(box, [])
            if not holders and _LOCAL_ID.fullmatch(box.rpartition(".")[2]):
                return (f"no group is named {box!r}: declare it under `groups:` "
                        f"(`- {{id: {box.rpartition('.')[2]}, label: ..., nodes: [...]}}`)")
            if len(holders) != 1 or holders[0] not in self.refs.groups:
                return None
            return (f"group {holders[0]!r} holds no {last!r}: declare it in that group's "
                    f"`nodes:` (`- {{id: {last}, type: ...}}`), or name one it holds")
        # `to: SES`, a type no node has (`to: billing` reads as an id, whatever it names)
        typed = ref != slug(ref) and bool(self.catalog.candidates(ref))
        named = slug(ref) or ref
        return (f"declare it under `nodes:` or in a group: `- {{id: {named}, type: "
                f"{ref if typed else '...'}}}`" + (f", and name it {named!r}" if named != ref
                                                   else ""))

    def type_hint(self, ref: str) -> str | None:
        """When a reference is a node type (`Lambda`), the nodes of that type."""
        if ref in self.typed or len(self.typed) >= Suggestions.MAX_LOOKUPS \
                or len(ref) > Suggestions.MAX_WORD:
            return self.typed.get(ref)
        self.typed[ref] = None
        types = [e.type for e in self.catalog.candidates(ref)]
        qualified = self.catalog.by_qualified.get(ref)  # aws.compute.Lambda
        types += [qualified[0]] if qualified else []
        typed = self.refs.of_type([(t.provider, t.module, t.names) for t in types])
        if typed:
            self.typed[ref] = (f"{quote(ref)} is a node type; an edge names a node by its id "
                               f"or path: did you mean {self.refs.listed(typed)}?")
        return self.typed[ref]

    # -- edges ------------------------------------------------------------------------------

    def edge_end(self, a: str, b: str, pos: Pos) -> bool:
        """Whether an edge may join a and b (`model.group_and_member` says which may not)."""
        joined = group_and_member(a, b, self.refs.groups)
        if joined is not None:
            outer, inner = joined
            what = "itself" if inner == outer else f"its own member {inner!r}"
            self.error(pos, f"an edge joins group {outer!r} and {what}",
                       "draw the edge to a node outside the group, or between its members")
            return False
        if a == b:
            self.error(pos, f"an edge joins {a!r} to itself")
            return False
        return True

    def room_for_edges(self, count: int, pos: Pos, what: str) -> bool:
        """Whether `count` more edges stay within --max-edges; counted before they are made."""
        if self.edge_count + count > self.max_edges:
            if self.edge_count <= self.max_edges:  # said once, where the limit is crossed
                self.error(pos, f"{what}: the blueprint would have more than "
                                f"{self.max_edges} edges",
                           "--max-edges N raises the limit (layout time grows quickly)")
            self.edge_count = self.max_edges + 1
            return False
        self.edge_count += count
        return True

    def edges(self, seq: YNode | None) -> list[Edge]:
        result: list[Edge] = []
        for item in self.seq(seq, "edges"):
            if isinstance(item, YScalar) and isinstance(item.value, str):
                result.extend(self.chain(item))
            elif isinstance(item, YMap):
                result.extend(self.edge_map(item))
            else:
                self.error(item.pos, f"an edge must be a chain like `a -> b` or a mapping, "
                                     f"not {describe(item)}")
        return result

    def chain(self, item: YScalar) -> list[Edge]:
        text = item.text
        if not self.arrows_known(item):
            return []
        parts = _CHAIN_OP.split(text)
        # parts alternate: id, op, id, op, id ...
        ids = parts[0::2]
        ops = parts[1::2]
        if len(ids) < 2:
            glued = re.search(r"<->|->|<-|--", text)
            if glued:
                self.error(_token_pos(item, glued.start()),
                           f"edge {quote(text)}: put a space on each side of {glued.group()!r}",
                           "ids may contain '-', so an arrow is only read between spaces")
            else:
                self.error(item.pos, f"edge {quote(text)} has no arrow", _JOIN_IDS)
            return []
        offsets = []
        at = 0
        for i, part in enumerate(parts):
            at = text.index(part, at) if part else at
            if i % 2 == 0:
                offsets.append(at)
            at += len(part)
        links = len(ids) - 1
        if not self.room_for_edges(links, item.pos, f"this chain has {links} edges"
                                   if links > 1 else "this edge"):
            return []
        resolved: list[str | None] = []
        listed = False  # a list in the chain (`bq -> [looker, studio]`), said once
        for ref, off in zip(ids, offsets, strict=True):
            pos = _token_pos(item, off)
            ref = ref.strip()
            if ref in self.invalid_ids:
                resolved.append(None)  # reported where the id is written
                continue
            if _LIST.fullmatch(ref):
                if not listed:
                    self.error(pos, f"{quote(ref)} in edge {quote(text)} is a list: a chain "
                                    f"joins single ids",
                               _chain_list_hint([i.strip() for i in ids], ops))
                listed = True
                resolved.append(None)
                continue
            if not ref or not _REF.fullmatch(ref):
                self.error(pos, f"{quote(ref)} in edge {quote(text)} is not an id",
                           self.type_hint(ref) or self.refs.label_hint(ref) or _JOIN_IDS)
                resolved.append(None)
                continue
            resolved.append(self.ref(ref, pos, "edge end"))
        edges = []
        for (a, b), op in zip(zip(resolved, resolved[1:], strict=False), ops, strict=True):
            if a is None or b is None or not self.edge_end(a, b, item.pos):
                continue
            edges.append(Edge(a, b, None, None, None, _OP_DIRECTION[op], item.pos))
        return edges

    def arrows_known(self, item: YScalar) -> bool:
        """Whether every arrow of a chain is one of the format's; else say, once for the
        chain, which arrow each typo most likely meant (`-->`, `=>`, `→`: `->`)."""
        text = item.text
        runs = [m for m in _ARROW_RUN.finditer(text)
                if (m.start() == 0 or text[m.start() - 1].isspace())
                and (m.end() == len(text) or text[m.end()].isspace())
                or set(m.group()) != {"-"}]  # '-' inside an id (`az-a`) is no arrow
        bad = next((m for m in runs if m.group() not in _OP_DIRECTION), None)
        if bad is None:
            return True
        spans = {m.span() for m in runs}
        fixed = " ".join(_ARROW_RUN.sub(lambda m: f" {_meant_arrow(m.group())} "
                                        if m.span() in spans else m.group(), text).split())
        self.error(_token_pos(item, bad.start()),
                   f"edge {quote(text)}: {bad.group()!r} is not an arrow",
                   f"did you mean {quote(fixed)}? {_ARROWS_ARE}")
        return False

    def ref_list(self, node: YNode | None, what: str,
                  at: Pos) -> list[tuple[str, Pos]]:
        if node is None:
            self.error(at, f"`{what}` is required")
            return []
        items = node.items if isinstance(node, YSeq) else [node]
        if not items:
            self.error(node.pos, f"`{what}` is an empty list")
        out = []
        for x in items:
            if not isinstance(x, YScalar) or not isinstance(x.value, str):
                self.error(x.pos, f"`{what}` must be an id or a list of ids, not {describe(x)}")
                continue
            path = self.ref(x.value, x.pos, f"`{what}`")
            if path is not None:
                out.append((path, x.pos))
        return out

    def color(self, node: YNode | None) -> str | None:
        text = self.text(node, "color")
        if text is None or node is None:
            return None
        if _HEX_COLOR.fullmatch(text) or text.lower() in COLOR_NAMES:
            return text.lower()
        self.error(node.pos, f"color {text!r} is not a colour name or #rrggbb",
                   did_you_mean(text, COLOR_NAMES) or "for example: red, steelblue, #1f77b4")
        return None

    def edge_map(self, item: YMap) -> list[Edge]:
        if len(item.entries) == 1 and _CHAIN_OP.search(next(iter(item.entries))):
            self.chain_with_colon(item)
            return []
        self.keys(item, EDGE_KEYS, "an edge")
        from_node, to_node, label_node, style_node, color_node, direction_node = (
            self.section(item, key, EDGE_KEYS)
            for key in ("from", "to", "label", "style", "color", "direction"))
        srcs = self.ref_list(from_node, "from", item.pos)
        dsts = self.ref_list(to_node, "to", item.pos)
        label = self.text(label_node, "an edge's label")
        self.long_label(label_node, label, edge=True)
        style = self.choice(style_node, "edge style", EDGE_STYLES, "solid") if style_node else None
        color = self.color(color_node)
        direction = self.choice(direction_node, "edge direction", EDGE_DIRECTIONS, "forward")
        count = len(srcs) * len(dsts)
        if not self.room_for_edges(count, item.pos, f"this edge expands to {len(srcs)} x "
                                                    f"{len(dsts)} = {count} edges"
                                   if count > 1 else "this edge"):
            return []
        pairs = [(a, b) for a, _ in srcs for b, pos in dsts if self.edge_end(a, b, pos)]
        # A fan of three or more (many tails into one head, or one tail to many heads) is
        # one statement: its label is drawn once, on the middle edge as written, not on
        # each (a bus's `PutEvents` six times, `order placed` once in each of three zones);
        # of two, each keeps it, or the one without it read as another kind of edge.
        fan = len(pairs) >= FAN_MIN and (len(srcs) == 1 or len(dsts) == 1)
        labelled = len(pairs) // 2 if fan else None
        return [Edge(a, b, label if labelled in (None, k) else None, style, color, direction,
                     item.pos) for k, (a, b) in enumerate(pairs)]

    def chain_with_colon(self, item: YMap) -> None:
        """`- a -> b: reads`: YAML made the chain the key of a mapping."""
        ((chain, (knode, value)),) = item.entries.items()
        said = value.text if isinstance(value, YScalar) else ""
        ends = _CHAIN_OP.split(chain)
        hint = "a chain has no label: write the labelled link as {from: A, to: B, label: ...}"
        if len(ends) == 3 and said:
            hint = (f"a chain has no label: write {{from: {ends[0].strip()}, to: "
                    f"{ends[2].strip()}, label: {said}}}")
        self.error(knode.pos, f"edge {quote(chain)} is followed by ': ', so YAML reads it as "
                              f"a mapping", hint)

    # -- alternatives -----------------------------------------------------------------------

    def alternatives(self, seq: YNode | None) -> list[Alternative]:
        result = []
        seen: dict[str, Pos] = {}  # alternative id -> where it was first given
        for item in self.seq(seq, "alternatives"):
            if not isinstance(item, YMap):
                self.error(item.pos, f"an alternative must be a mapping, not {describe(item)}")
                continue
            alt = self.alternative(item, seen)
            if alt is not None:
                result.append(alt)
        return result

    def alternative(self, item: YMap, seen: dict[str, Pos]) -> Alternative | None:
        self.keys(item, ALT_KEYS, "an alternative")
        id_node = self.section(item, "id", ALT_KEYS)
        if id_node is None:
            self.error(item.pos, "an alternative needs an `id` (it names the variant's files)")
            local = None
        else:
            local = self.local_id(id_node, "", item.pos, "alternative")
        label = self.text(self.section(item, "label", ALT_KEYS), "an alternative's label",
                          required=True, at=item.pos)
        note_node = self.section(item, "note", ALT_KEYS)
        note = self.text(note_node, "note")
        if note is not None and note_node is not None and "\n" in note.strip():
            self.error(note_node.pos, "a note is one line")
        if local is not None and id_node is not None:
            if local in seen:
                self.error(id_node.pos, f"duplicate alternative id {local!r} "
                                        f"(first at line {seen[local].line})")
            seen[local] = item.pos
        replace_node, with_node, pick_node = (self.section(item, key, ALT_KEYS)
                                              for key in ("replace", "with", "pick"))
        if replace_node is None and pick_node is None:
            self.error(item.pos, f"alternative {local!r} has neither `replace` nor `pick`",
                       "an alternative replaces items (`replace` + `with`) "
                       "or picks nodes (`pick`)")
        replace: list[tuple[str, Pos]] = []
        if (isinstance(replace_node, YMap) and len(replace_node.entries) == 1
                and with_node is None):
            # `replace: {web: lambda}`, the old node to the new as a mapping: one error
            old, (_, new) = next(iter(replace_node.entries.items()))
            self.error(replace_node.pos, "`replace` lists the items replaced, not a mapping",
                       f"write `replace: [{old}]` and, under it, `with: "
                       f"{new.text if isinstance(new, YScalar) else '...'}`: the node "
                       f"that takes over")
        elif replace_node is not None:
            replace = self.ref_list(replace_node, "replace", item.pos)
            if with_node is None:
                self.error(replace_node.pos, "`replace` needs `with`: the node that takes over")
        with_: Node | None = None
        if with_node is not None:
            if replace_node is None:
                self.error(with_node.pos, "`with` needs `replace`: the items it takes over")
            # The `with` node is validated like any node; its place is decided by a variant.
            with_ = self.node(with_node, "", {})
        self.check_replace(replace)
        places = newcomer_places([r for r, _ in replace]) if replace else []
        if with_ is not None and with_node is not None:
            for items in places:
                self.check_newcomer(items[0], [r for r, _ in replace], with_, with_node.pos)
        pick = self.picks(pick_node)
        where = pick_node.pos if pick_node else item.pos
        newcomer_parents = {parent_of(items[0]) for items in places}
        for group, kept in pick:
            for path, _ in replace:
                if within(group, path):
                    self.error(where, f"picked group {group!r} is replaced by this "
                                      f"alternative too")
                elif within(kept, path):
                    self.error(where, f"picked node {kept!r} is replaced by this alternative too")
            if with_ is not None and group in newcomer_parents:
                self.error(where, f"picked group {group!r} receives the `with` node: it would "
                                  f"keep two", "a picked group keeps one node")
        if local is None or label is None:
            return None
        return Alternative(local, label, note, tuple(r for r, _ in replace), with_, tuple(pick),
                           item.pos)

    def check_newcomer(self, first: str, replaced: list[str], newcomer: Node, pos: Pos) -> None:
        """The `with` node joins the first replaced item's parent: its id must be free there."""
        parent = parent_of(first)
        taken = join(parent, newcomer.id)
        if taken in self.refs.kinds and taken not in replaced:
            where = f"group {parent!r}" if parent else "the top level"
            self.error(pos, f"the `with` node's id {newcomer.id!r} is already used in {where}",
                       "give the `with` node another `id`")

    def check_replace(self, replace: list[tuple[str, Pos]]) -> None:
        seen: set[str] = set()
        for path, pos in replace:
            if path in seen:
                self.error(pos, f"{path!r} is replaced twice in one alternative")
            seen.add(path)
        for path, pos in replace:
            for other in seen:
                if inside(path, other):
                    self.error(pos, f"{path!r} is inside {other!r}, which is replaced too",
                               f"replacing {other!r} already replaces all it contains")

    def picks(self, node: YNode | None) -> list[tuple[str, str]]:
        if node is None:
            return []
        if not isinstance(node, YMap):
            self.error(node.pos, f"`pick` must be a mapping of group id: node id, "
                                 f"not {describe(node)}")
            return []
        if not node.entries:
            self.error(node.pos, "`pick` is empty", "name a group and the one node it keeps")
        out: list[tuple[str, str]] = []
        for key, (knode, value) in node.entries.items():
            group = self.ref(key, knode.pos, "picked group")
            if group is not None and any(g == group for g, _ in out):
                self.error(knode.pos, f"group {group!r} is picked twice")
                continue
            if not isinstance(value, YScalar) or not isinstance(value.value, str):
                self.error(value.pos, f"a picked node must be an id, not {describe(value)}")
                continue
            if group is None:
                continue
            if self.refs.kinds[group] != "group":
                self.error(knode.pos, f"{group!r} is a node, not a group: `pick` keeps one node "
                                      f"of a group")
                continue
            inner = join(group, value.value)  # the group's own node first, else any
            if inner not in self.refs.kinds and value.value not in self.refs.by_suffix:
                # Not in the group, nor anywhere: what the group holds is what may be picked.
                if not self.explained(value.value) and not self.explained(inner):
                    self.error(value.pos, f"group {group!r} holds no {quote(value.value)} to "
                                          f"pick", self.pick_hint(group, value.value))
                continue
            target = self.ref(inner if inner in self.refs.kinds else value.value, value.pos,
                              "picked node")
            if target is None:
                continue
            if self.refs.kinds[target] != "node" or parent_of(target) != group:
                self.error(value.pos, f"{quote(value.value)} is not a node directly in group "
                                      f"{group!r}",
                           f"it is in {parent_of(target)!r}: pick that group"
                           if self.refs.kinds[target] == "node" and inside(target, group)
                           else self.pick_hint(group, value.value))
                continue
            # The variant would be the blueprint as written, under another name (the picked
            # node is one of them; a node left out for an error of its own is another).
            if self.refs.own_nodes.get(group, 0) < 2 and group not in self.short_of:
                self.error(value.pos, f"this pick changes nothing: group {group!r} holds no "
                                      f"node but {quote(value.value)}",
                           "`pick` keeps one of a group's nodes and removes the others; a "
                           "variant cannot remove a node alone (`replace` it `with` another)")
                continue
            out.append((group, target))
        return out

    def pick_hint(self, group: str, written: str) -> str:
        """The group's own nodes, those spelt like what was written first."""
        own = [p.rsplit(".", 1)[1] for p, kind in self.refs.kinds.items()
               if kind == "node" and parent_of(p) == group]
        close = close_spellings(written, {i.lower(): i for i in own}) if own else []
        held = f"it holds {_Refs.listed([*close, *(i for i in own if i not in close)])}"
        if close:
            return f"did you mean {_Refs.listed(close)}? ({held})"
        return f"pick one of its own nodes: {held}" if own else "it holds no node of its own"

    # -- layout and output ------------------------------------------------------------------

    def layout(self, node: YNode | None) -> Layout:
        if node is None:
            return Layout()
        if not isinstance(node, YMap):
            self.error(node.pos, f"layout must be a mapping, not {describe(node)}")
            return Layout()
        self.keys(node, LAYOUT_KEYS, "layout")
        rows: list[tuple[str, ...]] = []
        placed: dict[str, Pos] = {}
        for row in self.seq(node.get("rows"), "layout.rows"):
            if not isinstance(row, YSeq):
                self.error(row.pos, f"a layout row is a list of ids, not {describe(row)}")
                continue
            if not row.items:
                self.error(row.pos, "a layout row is empty",
                           "list the ids of the row, or remove it")
                continue
            ids = []
            for x in self.seq(row, "a layout row"):
                if not isinstance(x, YScalar) or not isinstance(x.value, str):
                    self.error(x.pos, f"a layout row lists ids, not {describe(x)}")
                    continue
                path = self.ref(x.value, x.pos, "layout row item")
                if path is None:
                    continue
                if parent_of(path):  # not at the top level
                    self.error(x.pos, f"{path!r} is not at the top level: rows place top-level "
                                      f"nodes and groups",
                               f"name the top-level group that holds it, "
                               f"{path.split('.', 1)[0]!r}")
                    continue
                if path in placed:
                    self.error(x.pos, f"{path!r} is placed twice in layout.rows "
                                      f"(first at line {placed[path].line})")
                    continue
                placed[path] = x.pos
                ids.append(path)
            if ids:
                rows.append(tuple(ids))
        panel_node = node.get("alternatives_panel")
        panel = True
        if panel_node is not None:
            if isinstance(panel_node, YScalar) and isinstance(panel_node.value, bool):
                panel = panel_node.value
            else:
                self.error(panel_node.pos, "alternatives_panel must be true or false, "
                                           f"not {describe(panel_node)}")
        label = self.text(node.get("alternatives_label"), "alternatives_label")
        return Layout(tuple(rows), panel, label or DEFAULT_ALTERNATIVES_LABEL)

    def output(self, node: YNode | None) -> Output:
        file = self.file
        stem = PurePosixPath(file.replace("\\", "/")).stem if file else "diagram"
        if len(stem) > MAX_NAME and (not isinstance(node, YMap) or node.get("name") is None):
            self.error(Pos(file), f"the file name gives output files a name of {len(stem)} "
                                  f"characters; the limit is {MAX_NAME}",
                       "set a shorter `output.name`")
        if node is None:
            return Output(stem)
        if not isinstance(node, YMap):
            self.error(node.pos, f"output must be a mapping, not {describe(node)}")
            return Output(stem)
        self.keys(node, OUTPUT_KEYS, "output")
        name_node = node.get("name")
        name = self.text(name_node, "output.name")
        if name is not None and name_node is not None and len(name) > MAX_NAME:
            self.error(name_node.pos, f"output.name is {len(name)} characters long; the limit "
                                      f"is {MAX_NAME}", "file names have a length limit")
            name = None
        elif name is not None and name_node is not None and not _FILE_STEM.fullmatch(name):
            self.error(name_node.pos, f"output.name {name!r} is not a plain file name",
                       "use letters, digits, '.', '_' and '-', no folders: the file goes in -o DIR")
            name = None
        formats: list[str] = []
        fnode = node.get("formats")
        for f in self.seq(fnode, "output.formats"):
            fmt = self.choice(f, "output format", FORMATS, "")
            if fmt and fmt not in formats:
                formats.append(fmt)
        if fnode is not None and isinstance(fnode, YSeq) and not fnode.items:
            self.error(fnode.pos, "output.formats is an empty list")
        dpi = DEFAULT_DPI
        dnode = node.get("dpi")
        if dnode is not None:
            if (isinstance(dnode, YScalar) and isinstance(dnode.value, int)
                    and not isinstance(dnode.value, bool) and 10 <= dnode.value <= 1200):
                dpi = dnode.value
            else:
                shown = quote(dnode.text) if isinstance(dnode, YScalar) else describe(dnode)
                self.error(dnode.pos, f"output.dpi must be a whole number from 10 to 1200, "
                                      f"not {shown}")
        return Output(name or stem, tuple(formats) or DEFAULT_FORMATS, dpi)


_LIST = re.compile(r"\[[^\[\]]*\]")  # `[a, b]` written as an end of a chain


def _chain_end_items(end: str) -> list[str]:
    """`[a, b]` -> [a, b]; an id -> [id]."""
    if _LIST.fullmatch(end):
        return [x.strip() for x in end[1:-1].split(",") if x.strip()]
    return [end]


def _chain_list_hint(ends: list[str], ops: list[str]) -> str:
    """A chain with a list for an end (`bq -> [looker, studio]`) as the format writes it: each
    link with a list as a mapping (`{from: bq, to: [looker, studio]}`, with the chain's
    direction), the other links as a chain; a list of one is its id (`ing -> intake`)."""
    items = [_chain_end_items(e) for e in ends]
    if all(len(i) == 1 for i in items):
        return "did you mean " + quote(" ".join(
            x for pair in zip([i[0] for i in items], [*ops, ""], strict=True) for x in pair
            if x)) + "? (a list of one is its id)"
    written: list[str] = []
    run: list[str] = []  # a chain of links without a list, being written
    for k, op in enumerate(ops):
        a, b = items[k], items[k + 1]
        if len(a) == 1 and len(b) == 1:
            run += [a[0], op, b[0]] if not run else [op, b[0]]
            continue
        if run:
            written.append(" ".join(run))
            run = []
        end = [x[0] if len(x) == 1 else f"[{', '.join(x)}]" for x in (a, b)]
        direction = {"<-": ", direction: back", "<->": ", direction: both",
                     "--": ", direction: none"}.get(op, "")
        written.append(f"{{from: {end[0]}, to: {end[1]}{direction}}}")
    if run:
        written.append(" ".join(run))
    said = "ends in a list make an edge mapping, one edge per pair"
    if len(written) == 1:
        return f"{said}: `{written[0]}`"
    return f"{said}: write the chain as the edges " + ", ".join(f"`- {w}`" for w in written)


def _meant_arrow(typed: str) -> str:
    """The arrow of the format that a typed one most likely meant: by where it points."""
    chars = set(typed)
    right, left = bool(chars & (_RIGHT | _BOTH)), bool(chars & (_LEFT | _BOTH))
    return "<->" if right and left else "->" if right else "<-" if left else "--"


def _token_pos(scalar: YScalar, offset: int) -> Pos:
    """The position of a character of a one-line scalar (plain or quoted)."""
    # Plain text on one line maps character for character; in quotes, escapes would shift it.
    if not scalar.one_line or scalar.style is not None:
        return scalar.pos
    return Pos(scalar.pos.file, scalar.pos.line, scalar.pos.col + offset)

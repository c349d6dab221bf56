"""Stage 2, validate: positioned YAML -> a typed, frozen Blueprint, or every problem at once.

The validator walks the tree from `load`, checks each key and value against BLUEPRINT.md,
resolves node types through the catalog, gives every node and group its path, and resolves
every reference (edges, alternatives, layout rows) to a full path. Nothing is drawn until
this has passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .catalog import Catalog, LookupFailed, Resolved, load_catalog
from .errors import Pos, Problem, Problems, did_you_mean
from .load import YMap, YNode, YScalar, YSeq, describe, load_file, load_text

DIRECTIONS = ("LR", "TB", "RL", "BT")
THEMES = ("light", "dark")
GROUP_KINDS = (
    "layer", "vpc", "region", "aws-cloud", "account", "availability-zone", "public-subnet",
    "private-subnet", "security-group", "auto-scaling-group", "data-center", "generic",
)
EDGE_STYLES = ("solid", "dashed", "dotted", "bold")
EDGE_DIRECTIONS = ("forward", "back", "both", "none")
FORMATS = ("png", "svg", "pdf", "jpg", "dot")
ICON_SUFFIXES = (".png", ".jpg", ".jpeg")
DEFAULT_FORMATS = ("png", "svg")
DEFAULT_DPI = 96
DEFAULT_ALTERNATIVES_LABEL = "Packaged alternatives"
MAX_TEXT = 2000  # characters of one label, title or note (Graphviz fails from 16 KB)
MAX_ID = 100  # characters of one id
# Groups in groups: each is a `with` block of the program, and Python allows 20 at most.
MAX_GROUP_DEPTH = 16
_ICON_PATH = re.compile(r"[A-Za-z0-9._ /-]+")

# CSS/SVG colour names; each is also a Graphviz (X11 scheme) colour name.
COLOR_NAMES = frozenset("""
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet
brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan
darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue
darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey
dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray
grey green greenyellow honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy navyblue oldlace
olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
whitesmoke yellow yellowgreen
""".split())
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_LOCAL_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_CHAIN_OP = re.compile(r"\s+(<->|->|<-|--)\s+")
_OP_DIRECTION = {"->": "forward", "<-": "back", "<->": "both", "--": "none"}
# output.name becomes a file name: a plain stem, never a path.
_FILE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

_TOP_KEYS = ("blueprint", "title", "description", "provider", "direction", "theme", "nodes",
             "groups", "edges", "alternatives", "layout", "output")
_NODE_KEYS = ("type", "id", "label", "icon")
_GROUP_KEYS = ("id", "label", "kind", "nodes", "groups")
_EDGE_KEYS = ("from", "to", "label", "style", "color", "direction")
_ALT_KEYS = ("id", "label", "note", "replace", "with", "pick")
_LAYOUT_KEYS = ("rows", "alternatives_panel", "alternatives_label")
_OUTPUT_KEYS = ("name", "formats", "dpi")


@dataclass(frozen=True)
class Node:
    id: str
    path: str  # dotted path from the top: "vpc.web.ec2"
    label: str
    type: Resolved | None  # None for a custom-icon node
    icon: str | None  # a PNG/JPG path relative to the blueprint's folder
    pos: Pos


class _Tree:
    """What holds nodes and groups (a group, the blueprint): walking what is inside."""

    nodes: tuple[Node, ...]
    groups: tuple[Group, ...]

    def walk_nodes(self) -> Iterator[Node]:
        """Every node inside, depth first in the order written."""
        yield from self.nodes
        for g in self.groups:
            yield from g.walk_nodes()

    def walk_groups(self) -> Iterator[Group]:
        """Every group inside, each before the groups it holds."""
        for g in self.groups:
            yield g
            yield from g.walk_groups()


@dataclass(frozen=True)
class Group(_Tree):
    id: str
    path: str
    label: str
    kind: str
    nodes: tuple[Node, ...]
    groups: tuple[Group, ...]
    pos: Pos



@dataclass(frozen=True)
class Edge:
    src: str  # full path of a node or group
    dst: str
    label: str | None
    style: str | None
    color: str | None
    direction: str
    pos: Pos


@dataclass(frozen=True)
class Alternative:
    id: str
    label: str
    note: str | None
    replace: tuple[str, ...]  # full paths
    with_: Node | None  # its path is its bare id until a variant places it
    pick: tuple[tuple[str, str], ...]  # (group path, node path)
    pos: Pos


@dataclass(frozen=True)
class Layout:
    rows: tuple[tuple[str, ...], ...] = ()
    alternatives_panel: bool = True
    alternatives_label: str = DEFAULT_ALTERNATIVES_LABEL


@dataclass(frozen=True)
class Output:
    name: str
    formats: tuple[str, ...] = DEFAULT_FORMATS
    dpi: int = DEFAULT_DPI

    def file_names(self) -> tuple[str, ...]:
        """The files a render writes: one per format, named after `name`."""
        return tuple(f"{self.name}.{fmt}" for fmt in self.formats)


@dataclass(frozen=True)
class Blueprint(_Tree):
    file: str
    title: str
    description: str | None
    provider: str | None
    direction: str
    theme: str
    nodes: tuple[Node, ...]
    groups: tuple[Group, ...]
    edges: tuple[Edge, ...]
    alternatives: tuple[Alternative, ...]
    layout: Layout
    output: Output
    base_dir: str = "."  # the blueprint's folder: custom icons are relative to it
    # What the user should know though nothing is wrong (a type taken from another provider).
    notes: tuple[Problem, ...] = ()
    # A cache of find(); init=False so that dataclasses.replace() starts a fresh one.
    _index: dict[str, Node | Group] = field(default_factory=dict, init=False, compare=False,
                                            repr=False)

    def find(self, path: str) -> Node | Group:
        if not self._index:
            for n in self.walk_nodes():
                self._index[n.path] = n
            for g in self.walk_groups():
                self._index[g.path] = g
        return self._index[path]

    def custom_icon_nodes(self) -> Iterator[Node]:
        """Every node drawn with a custom icon: the blueprint's own, then the `with` nodes of
        its alternatives (drawn in the panel and in their variants)."""
        yield from (n for n in self.walk_nodes() if n.icon is not None)
        yield from (a.with_ for a in self.alternatives
                    if a.with_ is not None and a.with_.icon is not None)

    def counts(self) -> tuple[int, int, int]:
        return (sum(1 for _ in self.walk_nodes()), sum(1 for _ in self.walk_groups()),
                len(self.edges))


def _is_image(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(8)
    return head == b"\x89PNG\r\n\x1a\n" or head[:3] == b"\xff\xd8\xff"


def slug(text: str) -> str:
    """An id made from text: `Web backend layer` -> `web-backend-layer`; '' if none can be."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if s and not s[0].isalpha():
        s = "n-" + s
    return s


class _Validator:
    def __init__(self, file: str, catalog: Catalog) -> None:
        self.file = file
        self.catalog = catalog
        self.p = Problems()
        self.provider: str | None = None
        self.notes: list[Problem] = []

    # -- small checks -----------------------------------------------------------------------

    def keys(self, m: YMap, allowed: tuple[str, ...], where: str) -> None:
        previous: tuple[str, YNode] | None = None
        for key, (knode, value) in m.entries.items():
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "allowed: " + ", ".join(allowed)
                if (previous is not None and isinstance(previous[1], YScalar)
                        and isinstance(value, YScalar) and value.value is None
                        and not value.text and knode.pos.line == previous[1].pos.line):
                    # `{label: GitLab (MRs, CI)}`: the comma ended the value, `CI)` became
                    # a key without a value.
                    whole = f"{previous[1].text}, {key}"
                    hint = (f"a comma inside {{...}} ends the value: quote it, "
                            f"{previous[0]}: {whole!r}".replace("'", '"'))
                self.p.add(knode.pos, f"unknown key {key!r} in {where}", hint)
            previous = (key, value)

    def text(self, node: YNode | None, what: str, required: bool = False,
             at: Pos | None = None) -> str | None:
        if node is None:
            if required:
                self.p.add(at, f"{what} is required")
            return None
        if isinstance(node, YScalar) and node.value is not None:
            if not isinstance(node.value, str) and node.text == "":
                self.p.add(node.pos, f"{what} must be text")
                return None
            if "\x00" in node.text:
                self.p.add(node.pos, f"{what} must not contain a NUL character")
                return None
            if len(node.text) > MAX_TEXT:
                self.p.add(node.pos, f"{what} is {len(node.text)} characters long; the limit "
                                     f"is {MAX_TEXT}", "Graphviz cannot draw longer text")
                return None
            return node.text
        self.p.add(node.pos, f"{what} must be text, not {describe(node)}")
        return None

    def choice(self, node: YNode | None, what: str, choices: tuple[str, ...],
               default: str) -> str:
        if node is None:
            return default
        if not isinstance(node, YScalar) or not isinstance(node.value, str):
            self.p.add(node.pos, f"{what} must be one of {', '.join(choices)}, "
                                 f"not {describe(node)}")
            return default
        if node.value not in choices:
            hint = did_you_mean(node.value, choices) or "one of: " + ", ".join(choices)
            self.p.add(node.pos, f"{what} {node.value!r} is not one of "
                                 f"{', '.join(choices)}", hint)
            return default
        return node.value

    def seq(self, node: YNode | None, what: str) -> list[YNode]:
        if node is None:
            return []
        if isinstance(node, YScalar) and node.value is None:
            return []  # `nodes:` with nothing after it
        if not isinstance(node, YSeq):
            self.p.add(node.pos, f"{what} must be a list, not {describe(node)}")
            return []
        return node.items

    def local_id(self, node: YNode | None, fallback: str, at: Pos,
                 what: str) -> str | None:
        if node is None:
            if not fallback:
                self.p.add(at, f"cannot derive an id for this {what}", "give it an `id`")
                return None
            return fallback
        if not isinstance(node, YScalar) or not isinstance(node.value, str):
            self.p.add(node.pos, f"id must be text, not {describe(node)}")
            return None
        if len(node.value) > MAX_ID:
            self.p.add(node.pos, f"id is longer than {MAX_ID} characters")
            return None
        if not _LOCAL_ID.fullmatch(node.value):
            self.p.add(node.pos, f"invalid id {node.value!r}",
                       "an id starts with a letter and has only letters, digits, '_' and '-'")
            return None
        return node.value

    # -- the tree ---------------------------------------------------------------------------

    def node(self, item: YNode, parent: str, siblings: dict[str, Pos],
             base_dir: str) -> Node | None:
        if isinstance(item, YScalar) and isinstance(item.value, str):
            resolved = self.resolve(item.value, item.pos)
            # A node whose type is unknown is still a node (reported once, at its type):
            # edges to it are checked as usual rather than each failing too.
            local = slug(item.value.rsplit(".", 1)[-1])
            shown = resolved.label if resolved is not None else item.value
            return self.place(Node(local, "", shown, resolved, None, item.pos),
                              parent, siblings)
        if not isinstance(item, YMap):
            self.p.add(item.pos, f"a node must be a type name or a mapping, not {describe(item)}")
            return None
        self.keys(item, _NODE_KEYS, "a node")
        type_text = self.text(item.get("type"), "type")
        icon = self.icon(item.get("icon"), base_dir)
        label = self.text(item.get("label"), "label")
        resolved = None
        if type_text is not None:
            type_node = item.get("type")
            assert type_node is not None
            resolved = self.resolve(type_text, type_node.pos)
            if resolved is None and label is None:
                label = type_text  # unknown, reported: the node still counts for edges
        elif item.get("icon") is None:
            self.p.add(item.pos, "a node needs a `type` (or an `icon`)")
            return None
        if icon is None and item.get("icon") is not None:
            return None
        if label is None:
            if resolved is not None:
                label = resolved.label
            elif icon is not None:
                self.p.add(item.pos, "a custom-icon node needs a `label`")
                return None
        assert label is not None
        derived = slug(type_text.rsplit(".", 1)[-1]) if type_text and not icon else slug(label)
        node_id = self.local_id(item.get("id"), derived, item.pos, "node")
        if node_id is None:
            return None
        id_node = item.get("id")
        id_pos = id_node.pos if id_node is not None else item.pos
        return self.place(Node(node_id, "", label, resolved, icon, id_pos), parent, siblings)

    def place(self, n: Node, parent: str, siblings: dict[str, Pos]) -> Node | None:
        if not self.unique(n.id, n.pos, siblings, parent):
            return None
        path = f"{parent}.{n.id}" if parent else n.id
        return Node(n.id, path, n.label, n.type, n.icon, n.pos)

    def unique(self, local: str, pos: Pos, siblings: dict[str, Pos], parent: str) -> bool:
        if local in siblings:
            where = f"in group {parent!r}" if parent else "at the top level"
            self.p.add(pos, f"duplicate id {local!r} {where} (first at line "
                            f"{siblings[local].line})",
                       "ids must be unique among siblings: give one of them an explicit `id`")
            return False
        siblings[local] = pos
        return True

    def resolve(self, text: str, pos: Pos) -> Resolved | None:
        try:
            resolved = self.catalog.resolve(text, [self.provider] if self.provider else [])
            if resolved.note:
                self.notes.append(Problem(pos, resolved.note))
            return resolved
        except LookupFailed as exc:
            self.p.add(pos, exc.message, exc.hint)
            return None

    def icon(self, node: YNode | None, base_dir: str) -> str | None:
        text = self.text(node, "icon")
        if text is None or node is None:
            return None
        path = PurePosixPath(text.replace("\\", "/"))
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
            self.p.add(node.pos, "icon must be a local file, not a URL",
                       "download the image next to the blueprint and name it here")
        elif path.is_absolute() or re.match(r"^[A-Za-z]:", text) or ".." in path.parts:
            self.p.add(node.pos, f"icon {text!r} must be a path inside the blueprint's folder")
        elif not _ICON_PATH.fullmatch(text):
            self.p.add(node.pos, f"icon path {text!r} may hold only letters, digits, spaces "
                                 f"and . _ - /")
        elif path.suffix.lower() not in ICON_SUFFIXES:
            self.p.add(node.pos, f"icon {text!r} must be a PNG or JPG file")
        else:
            full = Path(base_dir) / path
            if not full.is_file():
                self.p.add(node.pos, f"icon file {text!r} does not exist "
                                     f"(looked in {base_dir or '.'})")
            elif not full.resolve().is_relative_to(Path(base_dir).resolve()):
                self.p.add(node.pos, f"icon {text!r} leads outside the blueprint's folder "
                                     f"(through a symbolic link)")
            elif not _is_image(full):
                self.p.add(node.pos, f"icon {text!r} is not a PNG or JPG image",
                           "its first bytes are not those of a PNG or JPEG file")
            else:
                return path.as_posix()
        return None

    def nodes(self, seq: YNode | None, parent: str, siblings: dict[str, Pos],
              base_dir: str) -> tuple[Node, ...]:
        result = []
        for item in self.seq(seq, "nodes"):
            n = self.node(item, parent, siblings, base_dir)
            if n is not None:
                result.append(n)
        return tuple(result)

    def groups(self, seq: YNode | None, parent: str, siblings: dict[str, Pos],
               base_dir: str) -> tuple[Group, ...]:
        result = []
        for item in self.seq(seq, "groups"):
            if not isinstance(item, YMap):
                self.p.add(item.pos, f"a group must be a mapping, not {describe(item)}")
                continue
            self.keys(item, _GROUP_KEYS, "a group")
            label = self.text(item.get("label"), "a group's label", required=True, at=item.pos)
            kind = self.choice(item.get("kind"), "group kind", GROUP_KINDS, "layer")
            local = self.local_id(item.get("id"), slug(label or ""), item.pos, "group")
            if label is None or local is None:
                continue
            id_node = item.get("id")
            pos = id_node.pos if id_node is not None else item.pos
            if id_node is None:
                # Two groups may carry the same label: the second one's id gets a number.
                base, n = local, 2
                while local in siblings:
                    local, n = f"{base}-{n}", n + 1
            if not self.unique(local, pos, siblings, parent):
                continue
            path = f"{parent}.{local}" if parent else local
            if path.count(".") >= MAX_GROUP_DEPTH:
                self.p.add(pos, f"groups are nested more than {MAX_GROUP_DEPTH} deep",
                           "the generated program would have too many nested blocks")
                continue
            inner: dict[str, Pos] = {}
            group = Group(local, path, label, kind,
                          self.nodes(item.get("nodes"), path, inner, base_dir),
                          self.groups(item.get("groups"), path, inner, base_dir), pos)
            contents = [item.get("nodes"), item.get("groups")]
            if all(c is None or (isinstance(c, YSeq) and not c.items)
                   or (isinstance(c, YScalar) and c.value is None) for c in contents):
                self.p.add(pos, f"group {path!r} has no nodes", "an empty box is not drawn: "
                                "add a node to it or remove it")
            result.append(group)
        return tuple(result)


class _Refs:
    """Resolves a reference (full path, path suffix or bare id) to exactly one full path."""

    def __init__(self, nodes: list[Node], groups: list[Group]) -> None:
        self.kinds: dict[str, str] = {n.path: "node" for n in nodes}
        self.kinds.update({g.path: "group" for g in groups})
        self.by_suffix: dict[str, list[str]] = {}
        for path in self.kinds:
            parts = path.split(".")
            for i in range(len(parts)):
                self.by_suffix.setdefault(".".join(parts[i:]), []).append(path)

    def resolve(self, ref: str, pos: Pos, p: Problems, what: str) -> str | None:
        if ref in self.kinds:  # a full path names one thing, whatever else ends so
            return ref
        found = self.by_suffix.get(ref, [])
        if len(found) == 1:
            return found[0]
        if found:
            p.add(pos, f"{what} {ref!r} is ambiguous: it could be " + ", ".join(sorted(found)),
                  "write more of the path, e.g. " + repr(sorted(found)[0]))
            return None
        last = ref.rsplit(".", 1)[-1]
        hint = did_you_mean(last, [k.rsplit(".", 1)[-1] for k in self.kinds])
        p.add(pos, f"{what} {ref!r} does not name a node or group", hint)
        return None


def _inside(path: str, group: str) -> bool:
    return path.startswith(group + ".")


def _token_pos(scalar: YScalar, offset: int) -> Pos:
    """The position of a character of a one-line scalar (plain or quoted)."""
    # Plain text on one line maps character for character; in quotes, escapes would shift it.
    if not scalar.one_line or scalar.style is not None:
        return scalar.pos
    return Pos(scalar.pos.file, scalar.pos.line, scalar.pos.col + offset)


def validate(tree: YMap, file: str = "<blueprint>", base_dir: str = ".",
             catalog: Catalog | None = None) -> Blueprint:
    """Check a loaded blueprint completely; return the Blueprint or raise ArchError."""
    v = _Validator(file, catalog or load_catalog())
    p = v.p
    top = Pos(file)
    v.keys(tree, _TOP_KEYS, "the blueprint")

    version = tree.get("blueprint")
    if version is None:
        p.add(top, "`blueprint: 1` is missing", "the first line of a blueprint is `blueprint: 1`")
    elif not isinstance(version, YScalar) or isinstance(version.value, str):
        p.add(version.pos, f"`blueprint` must be the number 1, not {describe(version)}"
                           + (f" {version.text!r}" if isinstance(version, YScalar) else ""),
              "write `blueprint: 1` without quotes")
    elif version.value != 1 or isinstance(version.value, bool):
        p.add(version.pos, f"unsupported blueprint version {version.text!r}",
              "this archgen reads `blueprint: 1`")
    title = v.text(tree.get("title"), "title", required=True, at=top) or ""
    description = v.text(tree.get("description"), "description")
    provider_node = tree.get("provider")
    provider = v.text(provider_node, "provider")
    if provider is not None and provider_node is not None:
        if provider not in v.catalog.providers:
            p.add(provider_node.pos, f"unknown provider {provider!r}",
                  did_you_mean(provider, v.catalog.providers)
                  or "providers: " + ", ".join(v.catalog.providers))
            provider = None
    v.provider = provider
    direction = v.choice(tree.get("direction"), "direction", DIRECTIONS, "LR")
    theme = v.choice(tree.get("theme"), "theme", THEMES, "light")

    top_ids: dict[str, Pos] = {}
    nodes = v.nodes(tree.get("nodes"), "", top_ids, base_dir)
    groups = v.groups(tree.get("groups"), "", top_ids, base_dir)
    all_nodes = list(nodes) + [n for g in groups for n in g.walk_nodes()]
    all_groups = [x for g in groups for x in (g, *g.walk_groups())]
    refs = _Refs(all_nodes, all_groups)
    if not all_nodes and not p:
        p.add(top, "the blueprint has no nodes", "add `nodes:` or `groups:` with nodes in them")

    edges = _edges(v, tree.get("edges"), refs)
    alternatives = _alternatives(v, tree.get("alternatives"), refs, base_dir)
    layout = _layout(v, tree.get("layout"), refs)
    output = _output(v, tree.get("output"), file)
    p.raise_if_any()
    return Blueprint(file, title, description, provider, direction, theme, nodes, groups,
                     tuple(edges), tuple(alternatives), layout, output, base_dir,
                     tuple(v.notes))


def _edge_end(v: _Validator, a: str, b: str, pos: Pos, refs: _Refs) -> bool:
    """An edge may not join a group and something inside it (Graphviz cannot draw that)."""
    for outer, inner in ((a, b), (b, a)):
        if refs.kinds.get(outer) == "group" and (inner == outer or _inside(inner, outer)):
            what = "itself" if inner == outer else f"its own member {inner!r}"
            v.p.add(pos, f"an edge joins group {outer!r} and {what}",
                    "draw the edge to a node outside the group, or between its members")
            return False
    if a == b:
        v.p.add(pos, f"an edge joins {a!r} to itself")
        return False
    return True


def _edges(v: _Validator, seq: YNode | None, refs: _Refs) -> list[Edge]:
    result: list[Edge] = []
    for item in v.seq(seq, "edges"):
        if isinstance(item, YScalar) and isinstance(item.value, str):
            result.extend(_chain(v, item, refs))
        elif isinstance(item, YMap):
            result.extend(_edge_map(v, item, refs))
        else:
            v.p.add(item.pos, f"an edge must be a chain like `a -> b` or a mapping, "
                              f"not {describe(item)}")
    return result


def _chain(v: _Validator, item: YScalar, refs: _Refs) -> list[Edge]:
    text = item.text
    parts = _CHAIN_OP.split(text)
    # parts alternate: id, op, id, op, id ...
    ids = parts[0::2]
    ops = parts[1::2]
    if len(ids) < 2:
        glued = re.search(r"<->|->|<-|--", text)
        if glued:
            v.p.add(_token_pos(item, glued.start()),
                    f"edge {text!r}: put a space on each side of {glued.group()!r}",
                    "ids may contain '-', so an arrow is only read between spaces")
        else:
            v.p.add(item.pos, f"edge {text!r} has no arrow",
                    "join ids with ` -> `, ` <- `, ` <-> ` or ` -- `, with a space on each side")
        return []
    offsets = []
    at = 0
    for i, part in enumerate(parts):
        at = text.index(part, at) if part else at
        if i % 2 == 0:
            offsets.append(at)
        at += len(part)
    resolved: list[str | None] = []
    for ref, off in zip(ids, offsets, strict=True):
        pos = _token_pos(item, off)
        ref = ref.strip()
        if not ref or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", ref):
            v.p.add(pos, f"{ref!r} in edge {text!r} is not an id",
                    "join ids with ` -> `, ` <- `, ` <-> ` or ` -- `, with a space on each side")
            resolved.append(None)
            continue
        resolved.append(refs.resolve(ref, pos, v.p, "edge end"))
    edges = []
    for (a, b), op in zip(zip(resolved, resolved[1:], strict=False), ops, strict=True):
        if a is None or b is None or not _edge_end(v, a, b, item.pos, refs):
            continue
        edges.append(Edge(a, b, None, None, None, _OP_DIRECTION[op], item.pos))
    return edges


def _ref_list(v: _Validator, node: YNode | None, what: str, refs: _Refs,
              at: Pos) -> list[tuple[str, Pos]]:
    if node is None:
        v.p.add(at, f"`{what}` is required")
        return []
    items = node.items if isinstance(node, YSeq) else [node]
    if not items:
        v.p.add(node.pos, f"`{what}` is an empty list")
    out = []
    for x in items:
        if not isinstance(x, YScalar) or not isinstance(x.value, str):
            v.p.add(x.pos, f"`{what}` must be an id or a list of ids, not {describe(x)}")
            continue
        path = refs.resolve(x.value, x.pos, v.p, f"`{what}`")
        if path is not None:
            out.append((path, x.pos))
    return out


def _color(v: _Validator, node: YNode | None) -> str | None:
    text = v.text(node, "color")
    if text is None or node is None:
        return None
    if _HEX_COLOR.fullmatch(text) or text.lower() in COLOR_NAMES:
        return text.lower()
    v.p.add(node.pos, f"color {text!r} is not a colour name or #rrggbb",
            did_you_mean(text, COLOR_NAMES) or "for example: red, steelblue, #1f77b4")
    return None


def _edge_map(v: _Validator, item: YMap, refs: _Refs) -> list[Edge]:
    v.keys(item, _EDGE_KEYS, "an edge")
    srcs = _ref_list(v, item.get("from"), "from", refs, item.pos)
    dsts = _ref_list(v, item.get("to"), "to", refs, item.pos)
    label = v.text(item.get("label"), "an edge's label")
    style_node = item.get("style")
    style = v.choice(style_node, "edge style", EDGE_STYLES, "solid") if style_node else None
    color = _color(v, item.get("color"))
    direction = v.choice(item.get("direction"), "edge direction", EDGE_DIRECTIONS, "forward")
    edges = []
    for a, _ in srcs:
        for b, pos in dsts:
            if _edge_end(v, a, b, pos, refs):
                edges.append(Edge(a, b, label, style, color, direction, item.pos))
    return edges


def _alternatives(v: _Validator, seq: YNode | None, refs: _Refs,
                  base_dir: str) -> list[Alternative]:
    result = []
    seen: dict[str, Pos] = {}
    for item in v.seq(seq, "alternatives"):
        if not isinstance(item, YMap):
            v.p.add(item.pos, f"an alternative must be a mapping, not {describe(item)}")
            continue
        v.keys(item, _ALT_KEYS, "an alternative")
        if item.get("id") is None:
            v.p.add(item.pos, "an alternative needs an `id` (it names the variant's files)")
            local = None
        else:
            local = v.local_id(item.get("id"), "", item.pos, "alternative")
        label = v.text(item.get("label"), "an alternative's label", required=True, at=item.pos)
        note = v.text(item.get("note"), "note")
        if note is not None and "\n" in note.strip():
            v.p.add(item.get("note").pos, "a note is one line")  # type: ignore[union-attr]
        if local is not None:
            if local in seen:
                v.p.add(item.get("id").pos,  # type: ignore[union-attr]
                        f"duplicate alternative id {local!r} (first at line {seen[local].line})")
            seen[local] = item.pos
        replace_node, with_node, pick_node = item.get("replace"), item.get("with"), item.get("pick")
        if replace_node is None and pick_node is None:
            v.p.add(item.pos, f"alternative {local!r} has neither `replace` nor `pick`",
                    "an alternative replaces items (`replace` + `with`) or picks nodes (`pick`)")
        replace: list[tuple[str, Pos]] = []
        if replace_node is not None:
            replace = _ref_list(v, replace_node, "replace", refs, item.pos)
            if with_node is None:
                v.p.add(replace_node.pos, "`replace` needs `with`: the node that takes over")
        with_: Node | None = None
        if with_node is not None:
            if replace_node is None:
                v.p.add(with_node.pos, "`with` needs `replace`: the items it takes over")
            # The `with` node is validated like any node; its place is decided by a variant.
            with_ = v.node(with_node, "", {}, base_dir)
        _check_replace(v, replace)
        if replace and with_ is not None and with_node is not None:
            _check_newcomer(v, replace[0][0], [r for r, _ in replace], with_, with_node.pos,
                            refs)
        pick = _picks(v, pick_node, refs)
        where = pick_node.pos if pick_node else item.pos
        newcomer_parent = replace[0][0].rpartition(".")[0] if replace else None
        for group, kept in pick:
            for path, _ in replace:
                if group == path or _inside(group, path):
                    v.p.add(where, f"picked group {group!r} is replaced by this "
                                   f"alternative too")
                elif kept == path or _inside(kept, path):
                    v.p.add(where, f"picked node {kept!r} is replaced by this alternative too")
            if with_ is not None and group == newcomer_parent:
                v.p.add(where, f"picked group {group!r} receives the `with` node: it would "
                               f"keep two", "a picked group keeps one node")
        if local is None or label is None:
            continue
        result.append(Alternative(local, label, note, tuple(r for r, _ in replace), with_,
                                  tuple(pick), item.pos))
    return result


def _check_newcomer(v: _Validator, first: str, replaced: list[str], newcomer: Node, pos: Pos,
                    refs: _Refs) -> None:
    """The `with` node joins the first replaced item's parent: its id must be free there."""
    parent = first.rsplit(".", 1)[0] if "." in first else ""
    prefix = parent + "." if parent else ""
    siblings = {p[len(prefix):] for p in refs.kinds
                if p.startswith(prefix) and "." not in p[len(prefix):] and p not in replaced}
    if newcomer.id in siblings:
        where = f"group {parent!r}" if parent else "the top level"
        v.p.add(pos, f"the `with` node's id {newcomer.id!r} is already used in {where}",
                "give the `with` node another `id`")


def _check_replace(v: _Validator, replace: list[tuple[str, Pos]]) -> None:
    seen: set[str] = set()
    for path, pos in replace:
        if path in seen:
            v.p.add(pos, f"{path!r} is replaced twice in one alternative")
        seen.add(path)
    for path, pos in replace:
        for other in seen:
            if _inside(path, other):
                v.p.add(pos, f"{path!r} is inside {other!r}, which is replaced too",
                        f"replacing {other!r} already replaces all it contains")


def _picks(v: _Validator, node: YNode | None, refs: _Refs) -> list[tuple[str, str]]:
    if node is None:
        return []
    if not isinstance(node, YMap):
        v.p.add(node.pos, f"`pick` must be a mapping of group id: node id, not {describe(node)}")
        return []
    if not node.entries:
        v.p.add(node.pos, "`pick` is empty", "name a group and the one node it keeps")
    out: list[tuple[str, str]] = []
    for key, (knode, value) in node.entries.items():
        group = refs.resolve(key, knode.pos, v.p, "picked group")
        if group is not None and any(g == group for g, _ in out):
            v.p.add(knode.pos, f"group {group!r} is picked twice")
            continue
        if not isinstance(value, YScalar) or not isinstance(value.value, str):
            v.p.add(value.pos, f"a picked node must be an id, not {describe(value)}")
            continue
        if group is None:
            continue
        if refs.kinds[group] != "group":
            v.p.add(knode.pos, f"{group!r} is a node, not a group: `pick` keeps one node "
                               f"of a group")
            continue
        target = refs.resolve(f"{group}.{value.value}", value.pos, v.p, "picked node") \
            if f"{group}.{value.value}" in refs.kinds else refs.resolve(
                value.value, value.pos, v.p, "picked node")
        if target is None:
            continue
        if refs.kinds[target] != "node" or target.rsplit(".", 1)[0] != group:
            v.p.add(value.pos, f"{value.value!r} is not a node directly in group {group!r}",
                    "`pick` names one of the group's own nodes")
            continue
        out.append((group, target))
    return out


def _layout(v: _Validator, node: YNode | None, refs: _Refs) -> Layout:
    if node is None:
        return Layout()
    if not isinstance(node, YMap):
        v.p.add(node.pos, f"layout must be a mapping, not {describe(node)}")
        return Layout()
    v.keys(node, _LAYOUT_KEYS, "layout")
    rows: list[tuple[str, ...]] = []
    placed: dict[str, Pos] = {}
    for row in v.seq(node.get("rows"), "layout.rows"):
        if not isinstance(row, YSeq):
            v.p.add(row.pos, f"a layout row is a list of ids, not {describe(row)}")
            continue
        if not row.items:
            v.p.add(row.pos, "a layout row is empty", "list the ids of the row, or remove it")
            continue
        ids = []
        for x in v.seq(row, "a layout row"):
            if not isinstance(x, YScalar) or not isinstance(x.value, str):
                v.p.add(x.pos, f"a layout row lists ids, not {describe(x)}")
                continue
            path = refs.resolve(x.value, x.pos, v.p, "layout row item")
            if path is None:
                continue
            if "." in path:
                v.p.add(x.pos, f"{path!r} is not at the top level: rows place top-level "
                               f"nodes and groups")
                continue
            if path in placed:
                v.p.add(x.pos, f"{path!r} is placed twice in layout.rows "
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
            v.p.add(panel_node.pos, "alternatives_panel must be true or false, "
                                    f"not {describe(panel_node)}")
    label = v.text(node.get("alternatives_label"), "alternatives_label")
    return Layout(tuple(rows), panel, label or DEFAULT_ALTERNATIVES_LABEL)


def _output(v: _Validator, node: YNode | None, file: str) -> Output:
    stem = PurePosixPath(file.replace("\\", "/")).stem if file else "diagram"
    if node is None:
        return Output(stem)
    if not isinstance(node, YMap):
        v.p.add(node.pos, f"output must be a mapping, not {describe(node)}")
        return Output(stem)
    v.keys(node, _OUTPUT_KEYS, "output")
    name_node = node.get("name")
    name = v.text(name_node, "output.name")
    if name is not None and name_node is not None and not _FILE_STEM.fullmatch(name):
        v.p.add(name_node.pos, f"output.name {name!r} is not a plain file name",
                "use letters, digits, '.', '_' and '-', no folders: the file goes in -o DIR")
        name = None
    formats: list[str] = []
    fnode = node.get("formats")
    for f in v.seq(fnode, "output.formats"):
        fmt = v.choice(f, "output format", FORMATS, "")
        if fmt and fmt not in formats:
            formats.append(fmt)
    if fnode is not None and isinstance(fnode, YSeq) and not fnode.items:
        v.p.add(fnode.pos, "output.formats is an empty list")
    dpi = DEFAULT_DPI
    dnode = node.get("dpi")
    if dnode is not None:
        if (isinstance(dnode, YScalar) and isinstance(dnode.value, int)
                and not isinstance(dnode.value, bool) and 10 <= dnode.value <= 1200):
            dpi = dnode.value
        else:
            v.p.add(dnode.pos, f"output.dpi must be a whole number from 10 to 1200, "
                               f"not {getattr(dnode, 'text', describe(dnode))!r}")
    return Output(name or stem, tuple(formats) or DEFAULT_FORMATS, dpi)


def load_blueprint(path: str, catalog: Catalog | None = None) -> Blueprint:
    """Read, parse and validate one blueprint file."""
    tree = load_file(path)
    base = str(Path(path).parent)
    return validate(tree, str(path), base, catalog)


def parse_blueprint(text: str, file: str = "<blueprint>", base_dir: str = ".",
                    catalog: Catalog | None = None) -> Blueprint:
    """Validate blueprint text (for tests and library users)."""
    return validate(load_text(text, file), file, base_dir, catalog)

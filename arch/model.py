"""The blueprint as the rest of archgen sees it: frozen dataclasses, constants, tree walks.

A Blueprint is made only by `validate`, so every reference in it is a full path that names
one node or group. The rules that more than one stage needs live here too: how paths are
joined and contained, and which edges Graphviz cannot draw. Nothing here imports the
catalog (and so diagrams).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

from .errors import Pos, Problem
from .limits import FORMATS as FORMATS
from .limits import MAX_EDGES as MAX_EDGES
from .limits import MAX_NODES as MAX_NODES
from .limits import THEMES as THEMES

DIRECTIONS = ("LR", "TB", "RL", "BT")
GROUP_KINDS = (
    "layer", "vpc", "region", "aws-cloud", "account", "availability-zone", "public-subnet",
    "private-subnet", "security-group", "auto-scaling-group", "data-center", "generic",
)
# Where the types inside a group of a kind are looked up first when the group sets no
# `provider`: a data center holds servers, routers and databases of its own, not a cloud's.
KIND_PROVIDERS: dict[str, tuple[str, ...]] = {"data-center": ("onprem", "generic")}
EDGE_STYLES = ("solid", "dashed", "dotted", "bold")
EDGE_DIRECTIONS = ("forward", "back", "both", "none")
ICON_SUFFIXES = (".png", ".jpg", ".jpeg")
DEFAULT_FORMATS = ("png", "svg")
DEFAULT_DPI = 96
DEFAULT_ALTERNATIVES_LABEL = "Packaged alternatives"
MAX_TEXT = 2000  # characters of one label, title or note (Graphviz fails from 16 KB)
MAX_ID = 100  # characters of one id
# output.name: NAME--VARIANT.FORMAT stays well under the 255 bytes a file name may have.
MAX_NAME = 100
# Groups in groups: each is a `with` block of the program, and Python allows 20 at most.
MAX_GROUP_DEPTH = 16

# The keys of each mapping of a blueprint, in the order the docs list them.
TOP_KEYS = ("blueprint", "title", "description", "provider", "direction", "theme", "nodes",
            "groups", "edges", "alternatives", "layout", "output")
NODE_KEYS = ("type", "id", "label", "icon", "provider")
GROUP_KEYS = ("id", "label", "kind", "provider", "nodes", "groups")
EDGE_KEYS = ("from", "to", "label", "style", "color", "direction")
ALT_KEYS = ("id", "label", "note", "replace", "with", "pick")
LAYOUT_KEYS = ("rows", "alternatives_panel", "alternatives_label")
OUTPUT_KEYS = ("name", "formats", "dpi")
ALL_KEYS = frozenset(TOP_KEYS + NODE_KEYS + GROUP_KEYS + EDGE_KEYS + ALT_KEYS + LAYOUT_KEYS
                     + OUTPUT_KEYS)

# Patterns shared by the validator and the JSON Schema (which anchors them with ^...$).
ID_PATTERN = r"[A-Za-z][A-Za-z0-9_-]*"  # an id of a node, group or alternative
REF_PATTERN = r"[A-Za-z][A-Za-z0-9_.-]*"  # a reference: a path, a suffix of one, or an id
FILE_STEM_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"  # output.name: a plain stem, never a path
HEX_COLOR_PATTERN = r"#[0-9a-fA-F]{6}"
ICON_PATH_PATTERN = r"[A-Za-z0-9._ /-]+"  # characters an icon's path may hold

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


@dataclass(frozen=True)
class Resolved:
    """A node type as the generated code imports it, and the label a node gets by default."""

    provider: str
    module: str
    name: str  # the name to import
    label: str
    # Said to the user when the class came from a provider the blueprint did not ask for.
    note: str | None = field(default=None, compare=False)
    note_hint: str | None = field(default=None, compare=False)  # what to write instead

    @property
    def qualname(self) -> str:
        return f"{self.provider}.{self.module}.{self.name}"



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
    # The provider its node types are looked up in first (its own `provider`, an enclosing
    # group's, or the blueprint's): a boundary is drawn in that provider's convention.
    provider: str | None = None
    # A variant's box where the `with` node took the place of a box among boxes (a data
    # subnet between the app subnet and none): its children's paths in the order of the
    # blueprint as written, the node in the box's place (variants); () where that is its
    # nodes, then its groups. The arrangement keeps that order (layout.grid).
    written: tuple[str, ...] = ()



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
    # A variant of a blueprint without `rows` keeps the rows archgen made for the blueprint
    # as written (arrange.keep_written): `made`, and `placed` when they were placed by
    # their edges (layout.placed_poster), so that they are chained and turned as there.
    made: bool = False
    placed: bool = False
    # ... and its main flow, where that blueprint's was read down (compile's DOWN): the
    # variant's is then read down too (`narrow`: with compile's NARROW, as that one)
    flow: tuple[str, ...] = ()
    narrow: bool = False


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
    # Where `alternatives:` is written: an unknown `--variant` is reported there.
    alternatives_at: Pos | None = field(default=None, compare=False, repr=False)
    # A variant: the blueprint as written and the alternative's id (variants.apply_variant);
    # not part of its content, which is the variant's own.
    variant_of: tuple[Blueprint, str] | None = field(default=None, compare=False, repr=False)
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



# -- paths: "vpc.web.ec2" is node ec2 in group web in group vpc ----------------------------


def join(parent: str, local: str) -> str:
    """The path of `local` inside `parent` ('' is the top level)."""
    return f"{parent}.{local}" if parent else local


def parent_of(path: str) -> str:
    """The path of what holds `path` ('' at the top level)."""
    return path.rpartition(".")[0]


def inside(path: str, group: str) -> bool:
    """Whether `path` is somewhere inside `group` (not `group` itself)."""
    return path.startswith(group + ".")


def within(path: str, item: str) -> bool:
    """Whether `path` is `item` or inside it."""
    return path == item or inside(path, item)


def enclosing(path: str) -> Iterator[str]:
    """`path`, then each path that holds it, outwards: a.b.c, a.b, a."""
    while path:
        yield path
        path = parent_of(path)


def group_and_member(a: str, b: str, groups: Collection[str]) -> tuple[str, str] | None:
    """An edge may not join a group and itself or something inside it (Graphviz cannot draw
    it): the (group, member) such an edge between a and b would join, else None."""
    for outer, inner in ((a, b), (b, a)):
        if outer in groups and within(inner, outer):
            return outer, inner
    return None


def newcomer_places(replaced: Sequence[str]) -> list[list[str]]:
    """The replaced items of an alternative, by the copy of its `with` node that takes them
    over; each copy takes the place of the first item of its list (same parent group).

    One copy takes over everything, except when the same items are replaced in several
    sibling boxes: the app tier of AZ a and of AZ b (`[az-a.app, az-b.app]`). Then each box
    gets a copy of its own, so that the variant keeps the shape of the architecture. The
    boxes are the children of the items' deepest common ancestor that hold them; they
    count as alike when each holds the same items (the same paths below the box)."""
    if len(replaced) < 2:
        return [list(replaced)]
    split = [path.split(".") for path in replaced]
    common = 0
    while all(len(p) > common + 1 for p in split) and len({p[common] for p in split}) == 1:
        common += 1
    boxes: dict[str, list[str]] = {}  # box -> its replaced items, in the order written
    below: dict[str, set[str]] = {}
    for path, parts in zip(replaced, split, strict=True):
        if len(parts) < common + 2:  # an item is a box itself: no copies
            return [list(replaced)]
        box = ".".join(parts[:common + 1])
        boxes.setdefault(box, []).append(path)
        below.setdefault(box, set()).add(".".join(parts[common + 1:]))
    if len(boxes) < 2 or len({frozenset(b) for b in below.values()}) != 1:
        return [list(replaced)]
    return list(boxes.values())

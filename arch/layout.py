"""Part of compile: where things go, decided before Graphviz sees the graph.

Left to itself, dot puts every part that no edge ties to another at the first rank, so a
blueprint grows into a tower: unconnected groups stack along one axis and a layer of
unconnected services becomes a column of one node per row. The plan made here fixes that
with invisible edges, so that the program stays plain diagrams code:

- the top level is drawn in rows: the main flow (the chain of parts joined by the most
  edges) first, the other parts in rows under it, as many to a row as makes the picture
  closest to a landscape poster, each under what its edges join it to;
  `layout.rows` of the blueprint gives the rows instead; without it, when one box holds
  most of the picture, that box's children are the rows (Plan.poster, _dominant); a
  poster of many parts is placed by its edges instead (place: short edges, none that
  skips a row where that can be helped, so a hub sits among what it joins), or by its
  edges read with the flow (WITH_FLOW: the entry first, few edges back; arrange.py draws
  each kind);
- a row is a chain of invisible edges from the last node of one part to the first node of
  the next, inside an invisible box of its own (so rows never interleave); an invisible
  point at the left leads each row, all on one rank, in the order written;
- an edge of the blueprint between two rows does not pull the rows together: it either
  keeps its direction with no weight or has no say at all (`constraint=false`), whichever
  dot draws better (arrange.py tries both, and how many rows a poster gets);
- of two parts of one row joined by edges both ways, and in a row placed by its edges,
  an edge against the row is laid out from head to tail (Plan.turned), so dot does not
  stack them to break the cycle; inside a box, such an edge does not rank (Plan.back);
- inside a box, what no edge joins is set in balanced rows (2 + 2, not a column of 4),
  and so are many boxes joined by few edges (split_sparse);
- an edge to a box attaches to its first node in rank order, an edge from it to its last,
  so that boxes in a flow follow one another instead of overlapping like a staircase (an
  edge to another row that goes back leaves from the first: Plan.leave_start);
- sibling availability zones or regions are copies, and so are sibling VPCs or accounts
  that one hub joins (spokes): edges between them do not rank, and
  they are written so that dot draws them in the order written (Plan.apart, Plan.order,
  Plan.leads); copies whose children match are arranged alike, by position (share), their
  boxes along the flow in the order written (as_written); spokes at the top level may be
  fanned beside their hub instead of set in the main flow's row (FANNED, fanned).

Sizes are estimated in grid cells (a node is 1 x 1), which is enough to choose between
arrangements.
"""

from __future__ import annotations

import collections
import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from . import place as placement
from .model import Blueprint, Group, Node, enclosing, inside, parent_of, within

# The size of one grid cell in inches, along the rank axis and across it, per direction:
# a 1.4 x 1.9 in node plus ranksep 0.9 / nodesep 0.5 (styles.graph_attrs).
_CELL = {"LR": (2.3, 2.4), "RL": (2.3, 2.4), "TB": (2.8, 1.9), "BT": (2.8, 1.9)}
# Boundaries that are copies of one another when siblings: drawn alike, side by side.
REPLICAS = frozenset({"availability-zone", "region"})
# Sibling boxes of one of these kinds that one hub joins (a Transit Gateway attached to
# three VPCs, a firewall peered with spoke VNets, a network account's gateway to the
# workload accounts) are spokes (spokes()): arranged as copies of the kind SPOKE, one
# under the other in LR like zones (two to a row from three on), in the order written,
# alike where their children match. Left to dot, a user's hybrid Transit Gateway drew its
# VPCs prod, shared, dev (written prod, dev, shared) one under the other, prod's subnets
# side by side and dev's as a stair, 0.69 as wide as high.
SPOKE_KINDS = frozenset({"vpc", "account"})
# A hub and two boxes make a flow of three that rows set side by side already: as spokes,
# a landing zone's shared-services and workload accounts, unalike, stood side by side
# under the network account, 4 -> 11 defects.
SPOKES_MIN = 3
SPOKE = "spoke"
COPIES = REPLICAS | {SPOKE}
# Copies set one under the other in LR (regions stand side by side), or two to a row.
STACKED = COPIES - {"region"}
# Drawn TB or BT, sibling boxes of these kinds are also led side by side in the order
# written (Plan.leads) and drawn in it (arrange.py), though they are no copies.
TB_SIBLINGS = frozenset({"account"})
# width / height of the whole picture: a landscape poster; drawn TB, about square
POSTER_ASPECT = {"LR": 1.6, "RL": 1.6, "TB": 1.0, "BT": 1.0}
BOX_ASPECT = 1.2  # width / height of a group
# ... drawn TB or BT, where the flow already stands tall: a box lies across it (five
# unjoined services in one rank, not 3 + 2 ranks), or a picture whose top level is one
# box stands as a tower (the shipped azure-web drawn TB: 0.56 -> 0.69 as wide as high)
UPRIGHT_BOX_ASPECT = 2.4
# At most this many children of a box stand across the flow, one under the other in LR
# (_Planner.across): more would stand as a tower.
STACK_MAX = 3
# An entry of the alternatives legend (labels.html_legend_entry, about 320 x 45 pt) in cells,
# along the rank axis and across it; the legend is a list, one entry under the other (a
# second column from the seventh entry on).
_LEGEND_ENTRY = {"LR": (2.0, 0.45), "RL": (2.0, 0.45), "TB": (0.55, 2.6), "BT": (0.55, 2.6)}
LEGEND_COLUMN = 6
# Box borders an edge crosses from which a rank is left free between its ends (Plan.deep).
DEEP = 3
# A poster's main flow drawn TB is cut into at most this many columns.
FLOW_SPLITS = 4
# In LR, every way of cutting the main flow into rows is estimated up to this many ways a
# count of rows (a flow of ten parts cut into four: 84), rows of as many parts beyond.
CUTS_MAX = 100

# A poster archgen makes up with PLACE_MIN to PLACE_MAX parts is placed by its edges
# (place): with fewer, the main flow first and the rest under it is as good and reads as
# written. Rows by the main flow stand a large poster as a tower: a generated 500-node
# blueprint of 47 parts 0.41 as wide as high (placed: 1.55), an 800-node one of 74 parts
# 0.45 (placed: 1.88, and a fifth fewer defects). Placing (bounded by PLACE_WORK_MANY)
# 200 parts adds about 0.1 s to a compile (bench.py's 4,000 nodes in 200 boxes: 0.24 s
# either way); above that, the order that follows the edges (place) grows with the
# square of the parts. A
# unit of at least SPARSE_BOXES boxes joined by no more edges than boxes is set in rows
# (split_sparse).
PLACE_MIN = 10
PLACE_MAX = 200
SPARSE_BOXES = 6
# Cells across that each edge between two rows takes in the gap between them (dot gives
# each its own lane): without it, the estimate takes a poster of eight services around a
# bus for 2.4 as wide as high where dot draws 1.1.
LANE = 0.5
# How a poster archgen makes up is placed (placing): by the main flow rule, by its edges
# (placed_poster), or by its edges reading with the flow.
BY_RULE, BY_EDGES, WITH_FLOW = 0, 1, 2
# ... or, in LR and RL, with its spokes (spokes()) fanned beside their hub: the top level set
# like a box's children, the spokes one unit one under the other after the hub (fanned;
# arrange.py draws it as a kind of its own and keeps it where it ranks better).
FANNED = 3
PLACE_ROWS = 6  # a placed poster is drawn in at most this many rows
# Dots in the path of the box that holds most of the picture from which the top level is
# set like a box's children even where that box's rows fall back to the top (arrange).
DOMINANT_DEPTH = 2
# ... or levels of boxes in the top-level box around it, itself counted (a region of a VPC
# of zones of subnets: four), however shallow the box itself is (arrange)
DOMINANT_LEVELS = 4


@dataclass
class Part:
    """A child of a box as the arrangement sees it: its size and where edges attach."""

    path: str
    along: float  # cells along the rank axis
    across: float  # cells across it
    first: str  # the node with the lowest estimated rank
    last: str  # the node with the highest
    # the node dot ranks first, where a chain into the part goes in a box set in rows by
    # split_sparse ('': first); `first` is where the flow comes in, which may be the
    # middle of a chain of the part's nodes
    lead: str = ""

    @property
    def head(self) -> str:
        return self.lead or self.first


@dataclass
class Plan:
    """What the compiler adds to the graph: invisible edges, and edges that do not rank."""

    chains: list[tuple[str, str]] = field(default_factory=list)  # node path -> node path
    # drawn TB, node a left of node b on one rank (an invisible edge of minlen 0, which dot
    # mostly keeps in order on a rank): the rows of a box, in the order written (balanced)
    beside: list[tuple[str, str]] = field(default_factory=list)
    loose: set[int] = field(default_factory=set)  # indexes into Blueprint.edges
    down: set[int] = field(default_factory=set)  # the loose edges into the next row down
    # edges between top-level rows to a part that sits before the box they leave (by the
    # size estimate: its middle left of the box's start in LR): they leave from where the
    # box's flow begins, its nearer end, not from where it ends (Plan.ends)
    leave_start: set[int] = field(default_factory=set)
    # edges that cross DEEP borders of boxes or more (a load balancer in a region to the
    # servers in the subnets of its VPC's zones): a rank is left free between their ends
    # (minlen 2), or the nested boxes' margins reach over the source's rank and dot sets
    # the source under the boxes instead of before them, like a step of stairs; and edges
    # into the box that holds most of the picture past its first row's first child
    # (_Planner.entering), and in LR from a node in a zone to a node beside the zones
    deep: set[int] = field(default_factory=set)
    # edges between sibling boxes that are copies of one another (availability zones,
    # regions): drawn, but they do not rank, so the copies line up alike
    apart: set[int] = field(default_factory=set)
    # of those, the edges whose ends sit at the same place in their copies (a database and
    # its replica): on one rank, side by side in TB, where their label is set beside the
    # edge (xlabel) and needs the room between the two kept free (compile: minlen)
    level: set[int] = field(default_factory=set)
    # edges back between two children of a box that edges join both ways (a cluster that
    # writes to its data subnet and reads a queue there back): drawn, but they do not
    # rank, or dot breaks the cycle its own way and stacks the children like stairs
    back: set[int] = field(default_factory=set)
    # box -> the order to write its groups in, where it is not the blueprint's: copies
    # that edges tie together (zones fed by one load balancer) come out of dot bottom up
    # in LR, in the reverse of the order they are written in, so they are written reversed
    # (in TB they come out left to right as written)
    order: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[list[str]]] = field(default_factory=dict)  # box -> rows of paths
    # box -> the first node of each of its copies, in the order written: an invisible point
    # in the box leads them (ordering=out); dot may still reorder the copies by their
    # edges' crossings, and arrange.py then finds another order to write them in
    leads: dict[str, list[str]] = field(default_factory=dict)
    # the first node of each top-level row: an invisible point on the left leads each one,
    # the points chained top to bottom (dot keeps such same-rank points in order)
    spine: list[str] = field(default_factory=list)
    # group -> (the node an edge into it attaches to, the node an edge out of it leaves):
    # its first and its last node in rank order, so that boxes joined by an edge follow
    # one another instead of overlapping ranks and stepping down like a staircase
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)
    # a poster without layout.rows: the fewest and the most `shape` there is a packing for
    shapes: tuple[int, int] = (0, 0)
    # the box whose children are the poster's rows (rows[poster], led by the spine): the
    # top level (""), or without layout.rows the box that holds most of the picture
    # (dominant), whose parents then set their children like any box's
    poster: str = ""
    # edges between the boxes of a large, sparsely joined unit that is set in rows like
    # unjoined parts (split_sparse): drawn, but they do not rank, or dot stacks the boxes
    # in a staircase as tall as the unit
    free: set[int] = field(default_factory=set)
    # drawn TB or BT, edges from a whole box to a node in a sibling box that no other
    # sibling feeds (_from_boxes): drawn, with their label set beside the route once drawn
    # (xlabel), but they do not rank, so the box they feed stands beside the one they leave
    aside: set[int] = field(default_factory=set)
    # edges against the order of a row placed by its edges (placed_poster), or between two
    # parts of a row that edges join both ways (services that publish to a bus that calls
    # them back), to a part before the one they leave: laid out from head to tail, the
    # arrow still at the head (dir=back), so dot draws them short between the two parts;
    # with no say in the layout
    # (constraint=false) they looped around the row, most of all into a bus that half of
    # a row publishes to (generated 300-node blueprints: 661 -> 563 defects)
    turned: set[int] = field(default_factory=set)
    # the top-level rows archgen made were placed by their edges (placed_poster)
    placed: bool = False
    # the top level is set like the children of any box, not in rows (_Planner.arrange)
    boxed: bool = False
    # edges from outside a copy into one of its boxes that follows others as written
    # (as_written) -> the ranks those boxes take before it: left free before the edge's
    # head, so what it comes from stands before the copy, not over it; drawn TB, also
    # edges from a copy's box to what stands beside the copies in their box -> the ranks
    # of the boxes after it (mark_past), so what they reach stands under the copies
    past: dict[int, int] = field(default_factory=dict)
    # boxes whose availability zones stand two to a row (zones_grid), in the order written
    grid: set[str] = field(default_factory=set)
    # a part of the poster's rows -> where its middle stands along its row, in cells (the
    # size estimate): which side of a hub the edges into it from another row come from
    middle: dict[str, float] = field(default_factory=dict)
    # in LR, labelled edges from copies chained side by side (zones, regions) to outside
    # their box: their labels are set beside the drawn route (xlabel, compile), not as
    # ranks of the layout among a copy's own (_Planner.passing)
    passing: set[int] = field(default_factory=set)
    # the top level's main flow (its parts in order), where its rows are made by the main
    # flow rule (poster, not placed by edges nor written): compile's DOWN reads it down
    flow: list[str] = field(default_factory=list)
    # `columns` (LR): a box of three availability zones or more, alike and not inside
    # copies -> each zone's subnets (tiers), each a list of its nodes: drawn as an AWS
    # reference poster draws them, the zones side by side as columns, each zone's subnets
    # one under the other as written, every tier in one line across the zones (compile)
    columns: dict[str, list[list[list[str]]]] = field(default_factory=dict)


def _owner(path: str, children: dict[str, int]) -> int | None:
    """The child that is `path` or holds it."""
    return next((children[p] for p in enclosing(path) if p in children), None)


# box -> the order to write its groups in (Plan.order), chosen by drawing (arrange.py)
Copies = tuple[tuple[str, tuple[str, ...]], ...]


class _Planner:
    def __init__(self, bp: Blueprint, extra: list[Group], row_order: bool,
                 arrange: bool, shape: int = 0, placing: int = BY_EDGES,
                 copies: Copies = (), stacked: bool = False, led: bool = False,
                 heads: bool = False, leave_last: bool = False,
                 columns: bool = False) -> None:
        self.bp = bp
        self.columns = columns  # three zones or more as columns (Plan.columns)
        self.led = led  # in LR, the rows of a box of nodes led top to bottom as written
        self.heads = heads  # copies led into the node each ranks first (Plan.leads)
        self.leave_last = leave_last  # a box's flow leaves from its last longest row
        self.stacked = stacked  # three zones or more one under the other (zones_grid)
        self.copies = dict(copies)
        self.shape = shape  # rows more (+) or fewer (-) than the estimate's best poster
        self.placing = placing  # how a poster of many parts is placed (BY_RULE...)
        self.extra = extra  # boxes the compiler adds at the top (the alternatives panel)
        self.row_order = row_order and arrange  # the points that keep the rows in order
        self.arranging = arrange  # any invisible edge at all, and edges that do not rank
        self.cell = _CELL[bp.direction]
        self.plan = Plan()
        self.touching = _edges_by_box(bp)
        # a node or box -> the heads of its edges, once a plan (per box it grew with boxes)
        self.succ: dict[str, list[str]] = {}
        for e in bp.edges:
            self.succ.setdefault(e.src, []).append(e.dst)
        # a copy (see share) -> links by position, children reached from outside, and
        # the first of its copies, whose rows (of units, by position) they all take
        # (positions: a child's place among its box's children as written, place_of)
        self.shared: dict[str, tuple[set[tuple[int, int]], set[int], str, int]] = {}
        self.copy_rows: dict[str, list[list[int]]] = {}  # first copy -> rows of positions
        self.dominant = ""  # the box that holds most of the picture (_dominant), if any
        self.flow: list[str] = []  # the main flow poster() found last (Plan.flow)
        # a copy whose boxes follow one another as written (as_written) -> the first node
        # of its first box, where the copy beside it is chained to (zones_beside)
        self.starts: dict[str, str] = {}
        # a box -> the first node of its row that holds its last node (beside_start)
        self.level: dict[str, str] = {}
        self.passing_from: set[str] = set()  # copies chained side by side (passing)
        self.sparse: set[str] = set()  # the boxes split_sparse set in rows
        self.outward_edges: set[int] = set()  # see outward
        self.spoke = spokes(bp)
        self.place_of_path: dict[str, list[int]] = {}  # see place_of

    def aspect(self, along: float, across: float) -> float:
        """Width / height of a box of this many cells."""
        a, c = along * self.cell[0], across * self.cell[1]
        return a / c if self.bp.direction in ("LR", "RL") else c / a

    def links(self, names: list[str], box: str | None = None
              ) -> tuple[list[tuple[int, int, int]], set[int]]:
        """Edges between two children of a box (from, to, edge index), and the children
        that edges from outside reach, with where those edges come from. Only the edges
        with an end inside the box are looked at (all of them at the top level)."""
        links: list[tuple[int, int, int]] = []
        entries: set[int] = set()
        index = {name: i for i, name in enumerate(names)}
        edges = self.bp.edges
        for k in range(len(edges)) if box is None else self.touching.get(box, []):
            e = edges[k]
            a, b = _owner(e.src, index), _owner(e.dst, index)
            if a is not None and b is not None and a != b:
                links.append((a, b, k))
            elif a is None and b is not None:
                entries.add(b)
        return links, entries

    def part(self, item: Node | Group) -> Part:
        if isinstance(item, Node):
            return Part(item.path, 1.0, 1.0, item.path, item.path)
        return self.grid(item)

    def grid(self, group: Group) -> Part:
        """A box: what in it is not joined by edges goes in rows, not in one long column.
        Children joined by edges stay together as one unit, arranged by dot."""
        children: list[Node | Group] = [*group.nodes, *group.groups]
        legend = group.kind == "alternatives"
        entry = _LEGEND_ENTRY[self.bp.direction]
        if self.arranging:  # before the children are arranged: they use it
            self.share(group.groups)
        parts = [Part(c.path, *entry, c.path, c.path) if legend else self.part(c)
                 for c in children]
        links, entries = self.links([p.path for p in parts], group.path)
        kinds = self.kinds(group, children)
        edges = self.bp.edges
        copies = [(a, b, k) for a, b, k in links if kinds[a] == kinds[b] in COPIES]
        if self.arranging and self.bp.direction in ("LR", "RL"):
            # an edge from a node in a zone to a node beside the zones (a database to its
            # region's backup, a worker to the VPC's S3 endpoint) leaves a rank free: else
            # dot ranks that node with the zone's last column, which the zones fill, and
            # sets it over them, a row more on the poster (three zones: 0.85 -> 1.08 w/h)
            outward = self.outward(children, kinds, links)
            self.plan.turned.update(outward)
            self.outward_edges |= outward
            links = [(b, a, k) if k in outward else (a, b, k) for a, b, k in links]
            self.plan.deep.update(k for a, b, k in links if k not in outward
                                  and kinds[a] == "availability-zone" and not kinds[b])
        if self.arranging:
            self.plan.apart.update(k for _, _, k in copies)
            self.plan.level.update(k for a, b, k in copies
                                   if place_in(children[a], edges[k].src, self.bp)
                                   == place_in(children[b], edges[k].dst, self.bp))
            links = [link for link in links if link not in copies]
            if group.path in self.shared:
                links = self.as_written(links, kinds, self.place_of(group))
            # a copy is arranged like its siblings: what links any of them joins it too,
            # by position (an invisible edge where its own blueprint has none; not to a
            # place a variant left empty in this copy)
            at, reached_at, _, _ = self.shared.get(group.path, (set(), set(), "", 0))
            local = {p: i for i, p in enumerate(self.place_of(group))}
            shared = {(local[a], local[b]) for a, b in at if a in local and b in local}
            reached = {local[p] for p in reached_at if p in local}
            own = {(a, b) for a, b, _ in links}
            # where the copy's own edge joins other nodes (into the second node of a
            # subnet), the invisible one still sets the ranks as in the other copies
            exact = {(a, b) for a, b, k in links
                     if (edges[k].src, edges[k].dst) == ((parts[b].first, parts[a].last)
                                                         if k in self.plan.turned else
                                                         (parts[a].last, parts[b].first))}
            for a, b in sorted(shared - exact):
                if (b, a) not in own:
                    self.chain(parts[a].last, parts[b].first)
                    if (a, b) not in own:
                        links.append((a, b, -1))
            if group.path in self.shared and self.bp.direction in ("TB", "BT"):
                stacked = self.stack_boxes(parts, links, kinds, self.place_of(group))
                links += stacked
                if stacked:
                    self.mark_past(group, parts, links, kinds, leaving=False)
            entries |= reached
            if group.path in self.shared and any(k in self.plan.turned for _, _, k in links):
                # its boxes as written: the flow starts at the first box written, not where
                # edges from outside come in (zones side by side stepped down like stairs)
                starts = sorted((i for i in range(len(parts)) if kinds[i]
                                 and not any(b == i for _, b, _ in links)),
                                key=self.place_of(group).__getitem__)
                if starts:
                    self.starts[group.path] = parts[starts[0]].first
                self.mark_past(group, parts, links, kinds, leaving=False)
            if group.path in self.shared and self.bp.direction in ("TB", "BT"):
                self.mark_past(group, parts, links, kinds, leaving=True)
        # copies of one kind are one unit, never chained side by side: one under the
        # other in LR, side by side in TB, in the order written (replicas_in_order)
        together = [(a, b, -1) for kind in COPIES if self.arranging
                    for same in [[i for i, k in enumerate(kinds) if k == kind]]
                    for a, b in zip(same, same[1:], strict=False)]
        if self.arranging:
            self.plan.back.update(_against(links))
            boxes = {i for i, k in enumerate(kinds) if k}
            self.plan.back.update(_against_the_entry(
                [(a, b, k) for a, b, k in links if a in boxes and b in boxes], entries))
        units = _components(len(parts), links + together)
        if self.arranging:
            units, links = self.split_sparse(group.path, units, links, kinds, together)
        if self.arranging and self.around_poster(group.path):
            # a box around the one that holds the poster's rows: its parts side by side as
            # written, each a unit of its own, the edges between them without a say (an
            # operations box whose backup writes to a database in zone a: joined, dot set
            # it under the region and the edge ran up through the zones; beside it, the
            # edge comes in from the right and the poster is a landscape, 1.04 -> 1.46)
            cut = [link for link in links if link[2] >= 0]
            self.plan.free.update(k for _, _, k in cut)
            links = [link for link in links if link[2] < 0]
            units = _components(len(parts), links + together)
        if self.arranging and self.bp.direction in ("LR", "RL"):
            # regions side by side in LR, as written: each holds zones one under the other,
            # and regions stacked too made a tower (two regions of two zones: 0.74 w/h)
            beside = STACKED if group.path in self.zones_beside else set()
            regions = [i for i, k in enumerate(kinds) if k == "region" or k in beside]
            for a, b in zip(regions, regions[1:], strict=False):
                self.chain(parts[a].last, self.beside_start(parts[b]))
                self.passing_from.update((parts[a].path, parts[b].path))
            if group.path in self.zones_grid:  # two zones to a row, chained like those
                self.plan.grid.add(group.path)
                zones = [i for i, k in enumerate(kinds) if k in STACKED]
                for a, b in zip(zones[::2], zones[1::2], strict=False):
                    self.chain(parts[a].last, self.beside_start(parts[b]))
        for kind in COPIES:
            same = [parts[i] for i, k in enumerate(kinds) if k == kind]
            if kind in STACKED and group.path in self.zones_grid:
                same = same[::2]  # the first of each row leads it, in order
            if self.arranging and len(same) > 1 and not (
                    kind in STACKED and group.path in self.zones_beside):
                # `heads`: into the node each copy ranks first (Part.head: a zone's NAT
                # gateway in its public subnet chained over the app subnet, TB), not
                # where the flow enters it (the app subnet's task), so the point stands
                # a rank over the copies, not among them (arrange._rows_led)
                self.plan.leads.setdefault(group.path, []).extend(
                    p.head if self.heads else p.first for p in same)
        if self.arranging and self.bp.direction in ("TB", "BT"):
            # accounts side by side as written (TB_SIBLINGS): left to dot, an organization's
            # six accounts came out right to left, 26 defects; led in order, 10
            same = [parts[i] for i, k in enumerate(kinds) if k in TB_SIBLINGS]
            if len(same) > 1:
                self.plan.leads.setdefault(group.path, []).extend(p.first for p in same)
        if self.arranging and self.bp.direction in ("LR", "RL"):  # TB keeps them as written
            self.replicas_in_order(group, kinds, units)
        if self.arranging and group.path in self.copies:  # drawn, and found to keep it
            self.plan.order[group.path] = list(self.copies[group.path])

        if group.path == self.plan.poster:
            if (box := self.poster_box(group, parts, kinds, links)) is not None:
                return box
            self.plan.poster = parent_of(group.path)  # one row: its parent's children
        if (self.arranging and self.bp.direction in ("LR", "RL") and group.path not in self.shared
                and not self.around_poster(group.path)):
            self.follow(parts, links, kinds)
        first_copy = self.shared[group.path][2] if group.path in self.shared else None
        # an edge leaves a row of copies from the last of them, whose side it is on (TB:
        # the right; from the first, it crosses the others and dot moves the first aside)
        tails = {same[0]: same[-1] for kind in COPIES
                 for same in [[i for i, k in enumerate(kinds) if k == kind]] if len(same) > 1}
        goal = (self.copy_aspect(group) if self.bp.direction in ("LR", "RL")
                else UPRIGHT_BOX_ASPECT)
        # in LR, a box of nodes in a zone (a subnet of an API and a worker): one column, so
        # edges from its nodes to the next box, or to another zone's, span one rank; in a
        # row, an edge from the first node had to pass the second's rank outside every
        # zone, and dot looped it over the zones (a user's sessions edges from zones a and
        # b to zone c's cache, over zone a and down through b)
        column = (self.bp.direction in ("LR", "RL") and not group.groups and len(units) > 1
                  and group.path in self.forward_across_copies)
        if group.written:  # a variant's `with` node in the place of the box it took over
            slot = {path: i for i, path in enumerate(group.written)}
            units = sorted((sorted(u, key=lambda i: slot[parts[i].path]) for u in units),
                           key=lambda u: slot[parts[u[0]].path])
        return self.balanced(group.path, parts, links, entries, units, legend, first_copy,
                             tails, goal, one_row=self.around_poster(group.path), column=column)

    def beside_start(self, part: Part) -> str:
        """Where a box set beside the one before it along the flow (regions, zones side by
        side) is chained into from that one's last node: where its boxes follow as written,
        the first node of its first box (starts); else the head of its row that holds its
        last node (level), which is the row that holds the last node of the box before
        when the two are copies alike. Into its first node instead (the head of its first
        row: zone b's NAT gateway alone in the public subnet over the app and data
        subnets), the chain ran up from zone a's last node, on its bottom row, and dot lifted
        zone a's data subnet beside its public subnet, zone a no longer like zone b (a
        user's shop, 9 -> 7 defects)."""
        return self.starts.get(part.path, self.level.get(part.path, part.first))

    def outward(self, children: list[Node | Group], kinds: list[str],
                links: list[tuple[int, int, int]]) -> set[int]:
        """In LR, the edges from the first box of each of several zones (as written: the
        public subnet's NAT gateway) to one node beside the zones that nothing in them
        reaches otherwise (the VPC's internet gateway): laid out turned (Plan.turned), so
        the node stands before the zones, on the side their flow starts from. Ranked after
        the zones, it stood at the far end of the VPC, over the zone drawn last, and the
        edges from the other zones crossed that zone (a user's landing zone: 47 -> 38
        defects). Where the box's rows are made (poster_box) the node is one block with
        the zones, as it is one unit with them in any other box."""
        zones = [i for i, k in enumerate(kinds) if k == "availability-zone"]
        if len(zones) < 2:
            return set()
        found: dict[int, set[int]] = {}  # node beside the zones -> edges from first boxes
        other: set[int] = set()  # nodes beside that other edges join to the zones
        for a, b, k in links:
            if a in zones and not kinds[b]:
                zone = children[a]
                assert isinstance(zone, Group)
                # a zone of boxes (in a variant, a node at a box's place stands for it)
                inner = self.kinds(zone, [*zone.nodes, *zone.groups])
                at = place_in(zone, self.bp.edges[k].src, self.bp)
                if all(inner) and len(inner) > 1 and at[0] == 0:
                    found.setdefault(b, set()).add(k)
                    continue
            if (a in zones and not kinds[b]) or (b in zones and not kinds[a]):
                other.add(b if a in zones else a)
        return {k for b, ks in found.items() if b not in other
                and len({a for a, _, k2 in links if k2 in ks}) == len(zones) for k in ks}

    @functools.cached_property
    def forward_across_copies(self) -> set[str]:
        """The boxes of nodes in a zone from which an edge runs forward to another zone, to
        a later place in it (zone b's API in its app subnet to zone a's database in its
        data subnet; not a database to its replica in the same place), and the boxes at
        the same place in the zone's sibling copies: each is set in one column (grid)."""
        zones = {g.path: g for g in self.bp.walk_groups() if g.kind == "availability-zone"}

        def place(end: str) -> tuple[str, int, str] | None:
            """The zone an end is in, the place of its child holding the end, and the end's
            box relative to the zone."""
            for p in enclosing(end):
                if (zone := zones.get(parent_of(p))) is not None:
                    children: list[Node | Group] = [*zone.nodes, *zone.groups]
                    names = [c.path for c in children]
                    return zone.path, names.index(p), parent_of(end)[len(zone.path):]
            return None

        found: set[str] = set()
        for e in self.bp.edges:
            tail, head = place(e.src), place(e.dst)
            if (tail and head and tail[0] != head[0] and head[1] > tail[1]
                    and parent_of(tail[0]) == parent_of(head[0])):
                found.update(f"{z}{tail[2]}" for z in zones if parent_of(z) == parent_of(tail[0]))
        return found

    @functools.cached_property
    def node_paths(self) -> frozenset[str]:
        """The paths of the blueprint's nodes (an edge's end may be a box)."""
        return frozenset(n.path for n in self.bp.walk_nodes())

    def around_poster(self, path: str) -> bool:
        """Whether the box holds the box that holds the poster's rows (Plan.poster)."""
        return bool(self.plan.poster) and path in enclosing(parent_of(self.plan.poster))

    def balanced(self, path: str, parts: list[Part], links: list[tuple[int, int, int]],
                 entries: set[int], units: list[list[int]], legend: bool = False,
                 shared: str | None = None, tails: dict[int, int] | None = None,
                 goal: float = BOX_ASPECT, one_row: bool = False, column: bool = False
                 ) -> Part:
        """The units of a box (children joined by edges) in balanced rows, as near the
        shape of a box as there is (a legend: in columns of LEGEND_COLUMN); the rows of
        `shared`, a copy's first sibling, when it has them; `one_row`: all in one row;
        `column`: one under the other (LR)."""
        sizes = [_unit_size(u, parts) for u in units]
        ends = [(first, (tails or {}).get(last, last))
                for first, last in (_ends(u, links, parts, entries) for u in units)]
        best: tuple[float, list[list[int]]] | None = None
        # a legend in LR: one entry under the other, a second column from the seventh on;
        # in TB rows are laid along the flow, so rows of one entry stand side by side
        columns = -(-len(units) // LEGEND_COLUMN) if self.bp.direction in ("LR", "RL") else 1
        tries = ([columns] if legend else [len(units)] if one_row
                 else range(1, len(units) + 1))
        if not legend and not one_row and (column or shared is None and (self.across(
                path, parts, units) or path in self.alike_across)):
            tries = [1]
        for per_row in tries:
            rows = [list(range(i, min(i + per_row, len(units))))
                    for i in range(0, len(units), per_row)]
            along = max(sum(sizes[u][0] for u in row) for row in rows)
            across = sum(max(sizes[u][1] for u in row) for row in rows)
            score = abs(math.log(self.aspect(along, across) / goal))
            # balanced rows read better: 2 + 2 rather than 3 + 1
            score += 0.1 * (len(rows[0]) - len(rows[-1]))
            if best is None or score < best[0] - 1e-9:
                best = (score, rows)
        assert best is not None
        rows = best[1]
        if shared is not None:  # the same rows in every copy, the first's, by position
            rows = self.rows_like(path, shared, units, rows)
        leads = [parts[_lead(u, links, parts)].head for u in units]
        # in a box set in rows by split_sparse, a chain goes to the node dot ranks first:
        # to where the flow comes in (a subnet entered from outside at the fourth node of
        # its chain), the subnet's first three nodes fell beside the one before it, and
        # the rows stepped down like stairs (a generated VPC stood as a column)
        heads = (leads if path in self.sparse
                 else [parts[first].first for first, _ in ends])
        for row in rows:
            for left, right in zip(row, row[1:], strict=False):
                self.chain(parts[ends[left][1]].last, heads[right])
        self.plan.rows[path] = [[parts[i].path for u in row for i in units[u]]
                                for row in rows]
        # drawn TB, the rows led left to right as written (Plan.beside): those of a box
        # inside copies, and of a box of nodes (left to dot, 35 of 55 boxes of rows in the
        # TB pictures measured were out of order, 24 so: an operations box whose logs an
        # edge ends at came out trail, secrets, logs). Not boxes of boxes: there it
        # changed no order and cost defects; not the legend, whose entries are written
        # reversed (compile._panel_group). In LR only where arrange.py keeps it (`led`):
        # such an edge (from the second to the first, whose head dot set above its tail)
        # put the readme example's API over its jobs as written but the EKS case's
        # Prometheus over Argo CD, one defect more.
        if (self.arranging and self.bp.direction in ("TB", "BT") and len(rows) > 1
                and not legend and (any(p in self.shared for p in enclosing(path))
                                    or all(p.first == p.path for p in parts))):
            heads = [parts[ends[row[0]][0]].first for row in rows]
            self.plan.beside.extend(zip(heads, heads[1:], strict=False))
        elif (self.led and self.arranging and self.bp.direction == "LR" and len(rows) > 1
              and not legend and (any(p in self.shared for p in enclosing(path))
                                  or all(p.first == p.path for p in parts))):
            # `led` (arrange.py draws it and keeps it only where it draws better): in LR
            # the same edges, from the second row's head to the first's (dot sets a flat
            # edge's tail under its head there)
            heads = [parts[ends[row[0]][0]].first for row in rows]
            self.plan.beside.extend(zip(heads[1:], heads, strict=False))
        along = max(sum(sizes[u][0] for u in row) for row in rows)
        across = sum(max(sizes[u][1] for u in row) for row in rows)
        # the flow leaves the box at the end of its longest row (edges out of the box start
        # there, and the next part is chained to it): the first such row, or with
        # `leave_last` the last, so that the flow enters the box at its first row and
        # leaves from its last, as read. Leaving from the first, the seed's application
        # layer (EC2 and Lambda, then ECS and the cache) came out upside down, its edges
        # out from Lambda to the databases and queues in the rows below pulling that row
        # under the other.
        widest = max(reversed(rows) if self.leave_last else rows,
                     key=lambda r: sum(sizes[u][0] for u in r))
        first = parts[ends[rows[0][0]][0]].first
        last = parts[ends[widest[-1]][1]].last
        if path:
            self.plan.ends[path] = (first, last)
            self.level[path] = parts[ends[widest[0]][0]].first
        return Part(path, along, across, first, last, leads[rows[0][0]])

    def rows_like(self, path: str, first: str, units: list[list[int]],
                  rows: list[list[int]]) -> list[list[int]]:
        """The rows of the units of copy `path`: those of the first copy `first` (`rows`
        when that is this one), by position (place_of). A unit goes to the row of the
        first of its places the first copy has; one of places it has not (a variant's
        node where the first copy kept its box is at the place of that box, so it has
        it) ends the last row."""
        place = self.place_of_path[path]
        kept = self.copy_rows.setdefault(
            first, [[place[i] for u in row for i in units[u]] for row in rows])
        row_of = {p: r for r, row in enumerate(kept) for p in row}
        placed: list[list[int]] = [[] for _ in kept]
        for u, unit in enumerate(units):
            placed[next((row_of[place[i]] for i in unit if place[i] in row_of),
                        len(kept) - 1)].append(u)
        return [row for row in placed if row]

    def place_of(self, group: Group) -> list[int]:
        """places(), once per box."""
        if group.path not in self.place_of_path:
            self.place_of_path[group.path] = places(self.bp, group)
        return self.place_of_path[group.path]

    def kinds(self, group: Group, children: list[Node | Group]) -> list[str]:
        """What each child of a box is to the arrangement (_kind); in a variant, inside a
        copy (a zone), a `with` node at the place of a box (place_of) stands for that box:
        the zone's boxes follow one another as written with it among them (as_written,
        stack_boxes). Left a node, drawn TB, a zone's EC2 instance in the place of its app
        subnet stood beside its public subnet, where the other zones had their app subnets
        under theirs."""
        kinds = [_kind(c, self.spoke) for c in children]
        before = self.written_box(group)
        if before is None or _kind(group, self.spoke) not in COPIES:
            return kinds
        was: list[Node | Group] = [*before.nodes, *before.groups]
        for i, at in enumerate(self.place_of(group)):
            box = was[at] if at < len(was) else None
            if not kinds[i] and isinstance(box, Group) and _kind(box, self.spoke) not in COPIES:
                kinds[i] = box.kind
        return kinds

    def written_box(self, group: Group) -> Group | None:
        return written_box(self.bp, group)

    def copy_key(self, group: Group) -> tuple[str, ...]:
        """What sibling copies match by: their children (_shape); in a variant, those of
        the box in the blueprint as written, so that zones copies there stay copies where
        the variant replaced or picked something in some of them (a DynamoDB table for
        the data subnets of zones a and b: zone c, which kept its own, was arranged apart,
        and each zone came out another way)."""
        before = self.written_box(group)
        return _shape(group if before is None else before)

    @functools.cached_property
    def alike_across(self) -> set[str]:
        """The subnets of two or three services that no edge joins (units of one node each)
        that stand across the flow because a sibling subnet does (`across`): alike, not a
        row along the flow beside a column (a user's HR VNet: its app subnet's VMs and jobs
        one under the other, its data subnet's database and documents in a row). Only
        subnets: boxes of other kinds so (a data lake's layers, an EKS platform's
        namespaces) drew 4 defects more over the pictures measured. Not inside copies
        (zones), which are alike by their own rule (share)."""
        found: set[str] = set()
        for holder in self.holders:
            if holder and holder[0].path in self.in_copies:
                continue  # copies keep their own rule: alike across copies (share)
            leaves = [g for g in holder if g.kind.endswith("subnet") and not g.groups
                      and 1 < len(g.nodes) <= STACK_MAX]
            shaped = {g.path: self.leaf_units(g) for g in leaves}
            if any(self.across(g.path, *shaped[g.path]) for g in leaves):
                found.update(g.path for g in leaves
                             if all(len(u) == 1 for u in shaped[g.path][1]))
        return found

    @functools.cached_property
    def in_copies(self) -> set[str]:
        """The boxes that are copies (share) or inside one."""
        copies: set[str] = set()
        for groups in self.holders:
            for kind in REPLICAS:
                by_shape = collections.Counter(self.copy_key(g) for g in groups
                                               if g.kind == kind)
                copies.update(g.path for g in groups
                              if g.kind == kind and by_shape[self.copy_key(g)] > 1)
        return {g.path for g in self.bp.walk_groups()
                if any(p in copies for p in enclosing(g.path))}

    @functools.cached_property
    def holders(self) -> list[tuple[Group, ...]]:
        """The boxes of the top level and of each box: siblings."""
        return [self.bp.groups, *(g.groups for g in self.bp.walk_groups())]

    def leaf_units(self, group: Group) -> tuple[list[Part], list[list[int]]]:
        """A box of nodes only: its parts and its units (nodes joined by edges)."""
        parts = [self.part(n) for n in group.nodes]
        links, _ = self.links([p.path for p in parts], group.path)
        return parts, _components(len(parts), links)

    def across(self, path: str, parts: list[Part], units: list[list[int]]) -> bool:
        """Whether the units of a box stand across the flow, side by side on one rank (one
        under the other in LR), not in rows along it: two or three units (STACK_MAX) that no
        edge joins, each a node (a service, not a box), each entered from outside the box
        by an edge that ranks, and each also left by an edge to outside (lanes of a flow
        through the box: a landing bucket and an event topic, each read by its own job),
        or all entered from one node and no other (a warehouse read by dashboards and an
        API), or all leading to the same parts and no other. Set along the flow, the flow
        into the second unit must pass the first: a staircase, and dot sets the label of
        the edge into it beside the first, on the box's title (gcp-data-pipeline)."""
        if not 1 < len(units) <= STACK_MAX or any(p in self.shared for p in enclosing(path)):
            return False  # inside copies (zones), whose edges differ: each kept alike
        if not all(len(u) == 1 and parts[u[0]].first == parts[u[0]].path for u in units):
            return False  # services, not boxes: two subnets stacked so (generated
            # 300-node blueprint, second seed) took 563 -> 658 defects
        index = {p.path: i for i, p in enumerate(parts)}
        unit_of = {i: u for u, unit in enumerate(units) for i in unit}
        sources: dict[int, set[str]] = {}
        left: set[int] = set()
        heads: dict[int, set[str]] = {}
        for k in self.touching.get(path, []):
            e = self.bp.edges[k]
            a, b = _owner(e.src, index), _owner(e.dst, index)
            if a is None and b is not None and not self.between_rows(e.src, e.dst):
                sources.setdefault(unit_of[b], set()).add(e.src)
            elif a is not None and b is None:
                left.add(unit_of[a])
                heads.setdefault(unit_of[a], set()).add(e.dst)
        if self.feeds_another(path, index, unit_of):
            return False
        # all leading to the same parts and to no other (a deploy tool and a monitor that
        # both act on the same namespaces): in a row along the flow, the first stood a rank
        # before the second, and the box reached over the rank of what comes before it
        # (an EKS platform's CloudFront set under its VPC, 1.17 as wide as high)
        if len(heads) == len(units) and len({frozenset(h) for h in heads.values()}) == 1:
            return True
        if len(sources) < len(units):
            return False
        if len(left) == len(units):
            return True
        feeders = set.union(*sources.values())
        # the one node feeding them stands beside the box, or as a child of a box beside
        # it: one nested deeper ranks inside that box's span, so the box is set under it,
        # where standing across only made it taller (a user's AI services, fed by a
        # function inside the VNet's back end: 1.02 -> 0.84 as wide as high)
        return len(feeders) == 1 and parent_of(path) in (
            parent_of(f := next(iter(feeders))), parent_of(parent_of(f)))

    def feeds_another(self, box: str, index: dict[str, int], unit_of: dict[int, int]) -> bool:
        """Whether the edges lead from one unit of a box to another, through parts outside
        it: stages of one flow (a raw zone that jobs elsewhere curate into a curated zone),
        not lanes beside each other; set across the flow, the later stage stood first."""
        leaving: dict[int, list[str]] = {}  # a unit -> the heads of the edges out of it
        for k in self.touching.get(box, []):
            e = self.bp.edges[k]
            if (i := _owner(e.src, index)) is not None:
                leaving.setdefault(unit_of[i], []).append(e.dst)
        succ = self.succ
        for start, todo in leaving.items():
            seen: set[str] = set()
            while todo:
                path = todo.pop()
                if path in seen:
                    continue
                seen.add(path)
                i = _owner(path, index)
                if i is not None:
                    if unit_of[i] != start:
                        return True
                    continue  # back in its own unit: a path out of it is walked already
                todo.extend(succ.get(path, []))
        return False

    def between_rows(self, a: str, b: str) -> bool:
        """Whether an edge joins two top-level parts in different written rows: it does
        not rank (Plan.loose), so it cannot set what it joins side by side."""
        rows = self.bp.layout.rows
        if not rows or self.bp.layout.made:  # a variant's: as in its blueprint, unknown yet
            return False
        row_of = {p: r for r, row in enumerate(rows) for p in row}
        last = len(rows) - 1
        return row_of.get(a.split(".")[0], last) != row_of.get(b.split(".")[0], last)

    def copy_aspect(self, group: Group) -> float:
        """The width / height a copy's inside aims at in LR: n zones one under the other make
        one block of the shape of a box, so each is n times as wide as a box. A user's three
        zones of a public, a private and a data subnet were 2 + 1 (public over private) and
        the VPC stood upright. (In TB, where they stand side by side, narrower copies did
        worse: multi-AZ web 8 -> 11 defects.)"""
        if _kind(group, self.spoke) not in STACKED or group.path not in self.shared:
            return BOX_ASPECT
        count = self.shared[group.path][3]
        if parent_of(group.path) in self.zones_beside:  # side by side: each 1/n as wide
            return BOX_ASPECT / count
        if parent_of(group.path) in self.zones_grid:  # two to a row: rows / 2 as wide
            return BOX_ASPECT * -(-count // 2) / 2
        return BOX_ASPECT * count

    @functools.cached_property
    def zones_grid(self) -> set[str]:
        """In LR and RL, the boxes whose three availability zones or more (not inside
        copies) stand two to a row, a and b side by side, c under a (Plan.grid), unless
        the arrangement asks for them stacked: one under the other, a user's three zones
        stood 1.08 as wide as high (13 defects); in a grid 1.91 (9). Side by side, all
        three made posters 2.6 to 4.8 as wide as high. Where the grid is drawn too wide
        (three zones of three subnets each, a row of subnets each: 3.21), arrange.py
        draws them stacked too and keeps the better."""
        if self.stacked:
            return set()
        return {path for path, zones in self.zone_holders.items()
                if zones >= 3 and path not in self.zone_columns}

    @functools.cached_property
    def zone_columns(self) -> dict[str, list[list[list[str]]]]:
        """Plan.columns: in LR, the boxes of three availability zones or more (not inside
        copies) whose zones are alike (the same children in the same order: two subnets or
        more, each of nodes alone; a node of the zone's own, a variant's in the place of a
        subnet it took over, is a tier of its own)."""
        if not self.columns or self.bp.direction != "LR":
            return {}
        found = {}
        for path, count in self.zone_holders.items():
            group = self.bp.find(path)
            assert isinstance(group, Group)
            zones = [g for g in group.groups if g.kind == "availability-zone"]
            # alike: in a variant, as written (copy_key), and with a tier at every place
            # (a variant's node in one zone's app subnet's place: that zone too)
            if (count < 3 or len(zones) < 3 or len({self.copy_key(z) for z in zones}) > 1
                    or len({tuple(sorted(self.place_of(z))) for z in zones}) > 1
                    or any(len(z.groups) < 2 or any(not s.nodes or s.groups for s in z.groups)
                           for z in zones)):
                continue
            found[path] = [self.tiers(z) for z in zones]
        return found

    def tiers(self, zone: Group) -> list[list[str]]:
        """A zone's tiers, top to bottom as written (places: a variant's node in the place
        of the box it took over): each subnet's nodes, each node of its own."""
        children: list[Node | Group] = [*zone.nodes, *zone.groups]
        place = self.place_of(zone)
        return [[n.path for n in c.nodes] if isinstance(c, Group) else [c.path]
                for _, c in sorted(zip(place, children, strict=True), key=lambda pc: pc[0])]

    @functools.cached_property
    def zones_beside(self) -> set[str]:
        """In LR and RL, the boxes whose two availability zones stand side by side, chained
        along the flow like regions, not one under the other: a user's payments VPC of two
        zones in one account and region stood 0.88 as wide as high with 41 defects, side by
        side 1.23 with 22 (a landing zone's two zones: 3 -> 1 defects). Not three zones or
        more (side by side, three zones made posters 2.6 to 4.8 as wide as high) and not
        zones inside copies (two regions side by side: their zones stacked keep the poster
        in range, beside each other 5 -> 11 defects)."""
        return {path for path, zones in self.zone_holders.items() if zones == 2}

    @functools.cached_property
    def zone_holders(self) -> dict[str, int]:
        """In LR and RL, the boxes that hold two availability zones or more, not inside
        copies (zones_grid, zones_beside): box path -> its zones."""
        if self.bp.direction not in ("LR", "RL"):
            return {}
        groups = list(self.bp.walk_groups())
        kinds = {g.path: _kind(g, self.spoke) for g in groups}
        kin = collections.Counter((parent_of(g.path), kinds[g.path]) for g in groups)
        copies = {g.path for g in groups
                  if kinds[g.path] in COPIES and kin[parent_of(g.path), kinds[g.path]] > 1}
        # (one kind at a time: zones and spokes side by side in one box stay stacked)
        holders = {g.path: max(sum(kinds[c.path] == kind for c in g.groups) for kind in STACKED)
                   for g in groups}
        return {path: zones for path, zones in holders.items()
                if zones >= 2 and not any(p in copies for p in enclosing(path))}

    def poster_box(self, group: Group, parts: list[Part], kinds: list[str],
                   links: list[tuple[int, int, int]]) -> Part | None:
        """The box that holds most of the picture, in rows like a poster's top level
        (rows_of). Its copies of one kind are one block, one under the other in LR and
        side by side in TB, as in any box. None when its children make one row whatever
        the packing (a load balancer and the zones it feeds): rows of its parent's
        children shape the picture then."""
        written = [p.path for p in parts[:len(group.nodes)]]
        written += self.plan.order.get(group.path, [g.path for g in group.groups])
        block_of = list(range(len(parts)))
        for kind in COPIES:
            same = [i for i, k in enumerate(kinds) if k == kind]
            for i in same[1:]:
                block_of[i] = same[0]
        # a node the zones' first boxes lead out to (outward) stands before them, with them
        for a, b, k in links:
            if k in self.outward_edges:
                block_of[a] = block_of[b]
        heads = sorted(set(block_of))
        members = {b: sorted((i for i in range(len(parts)) if block_of[i] == b),
                             key=lambda i: written.index(parts[i].path)) for b in heads}
        blocks: dict[str, Part] = {}
        for b in heads:
            inside = [parts[i] for i in members[b]]
            blocks[parts[b].path] = Part(parts[b].path, max(p.along for p in inside),
                                         sum(p.across for p in inside), inside[0].first,
                                         inside[-1].last)
        index = {b: n for n, b in enumerate(heads)}
        block_links = [(index[block_of[a]], index[block_of[b]], k) for a, b, k in links
                       if block_of[a] != block_of[b]]
        shape, self.shape = self.shape, 0  # the estimate's own best packing decides
        one_row = len(self.poster(blocks, block_links)) < 2
        self.shape = shape
        if one_row:
            return None
        rows = self.rows_of(blocks, block_links, None)
        expand = {parts[b].path: [parts[i].path for i in members[b]] for b in heads}
        self.plan.rows[group.path] = [[p for name in row for p in expand[name]]
                                      for row in rows]
        along = max(sum(blocks[n].along for n in row) for row in rows)
        across = sum(max(blocks[n].across for n in row) for row in rows)
        first, last = blocks[rows[0][0]].first, blocks[rows[0][-1]].last
        self.plan.ends[group.path] = (first, last)
        return Part(group.path, along, across, first, last)

    def split_sparse(self, path: str, units: list[list[int]],
                     links: list[tuple[int, int, int]], kinds: list[str],
                     together: list[tuple[int, int, int]]
                     ) -> tuple[list[list[int]], list[tuple[int, int, int]]]:
        """A unit of many boxes joined by few edges (a VPC's subnets, a random edge here and
        there) is not left to dot, which stacks such boxes in a staircase as tall as the unit:
        each box becomes a unit of its own, set in rows with the others, and the edges
        between them do not rank (Plan.free). Copies (REPLICAS) keep their own rules."""
        split: set[int] = set()
        # the whole box too: its boxes in small units (two subnets joined here, three
        # there) stacked as a staircase just the same (a generated VPC of 17 subnets stood
        # as a column 12 subnets tall)
        boxes = [i for i, k in enumerate(kinds) if k]
        between = [k for a, b, k in links if kinds[a] and kinds[b]]
        # (not accounts drawn TB, which are led side by side as written: TB_SIBLINGS)
        led = self.bp.direction in ("TB", "BT") and sum(k in TB_SIBLINGS for k in kinds) > 1
        if (len(boxes) >= SPARSE_BOXES and len(between) <= len(boxes) and not led
                and not any(k in COPIES for k in kinds)):
            split.update(boxes)
        for unit in units:
            boxes = [i for i in unit if kinds[i]]
            inner = [k for a, b, k in links if a in unit and b in unit]
            if (len(boxes) >= SPARSE_BOXES and len(inner) <= len(boxes)
                    and not any(kinds[i] in COPIES for i in unit)):
                split.update(unit)
        if not split:
            return units, links
        self.sparse.add(path)
        cut = [(a, b, k) for a, b, k in links if a in split and b in split]
        self.plan.free.update(k for _, _, k in cut if k >= 0)
        kept = [link for link in links if link not in cut]
        return _components(len(kinds), kept + together), kept

    def as_written(self, links: list[tuple[int, int, int]], kinds: list[str],
                   at: list[int]) -> list[tuple[int, int, int]]:
        """Inside a copy (a zone), its boxes (subnets) follow one another in the order
        written: an edge from a box to one written before it (a worker's egress to the
        NAT gateway in the public subnet written first) is laid out turned (Plan.turned),
        from head to tail, so dot ranks the boxes as written; left to itself it ranked the
        public subnet after the app subnet that sends to it. (`at`: each child's place,
        place_of.)"""
        kept = []
        for a, b, k in links:
            if kinds[a] and kinds[b] and at[a] > at[b]:
                self.plan.turned.add(k)
                a, b = b, a
            kept.append((a, b, k))
        return kept

    def mark_past(self, group: Group, parts: list[Part], links: list[tuple[int, int, int]],
                  kinds: list[str], leaving: bool) -> None:
        """Plan.past for the edges between a box of `parts` and a node or box outside every
        copy, with the box's estimated ranks (the longest path of links, in cells): into a
        box after the first, the ranks before it; `leaving` (drawn TB, where copies stand
        side by side), out of a box, the ranks after it, so that what they reach stands
        below the copies, not between or beside them."""
        ranks = _box_ranks(parts, links, kinds, after=leaving)
        index = {p.path: i for i, p in enumerate(parts)}
        for k in self.touching.get(group.path, []):
            e = self.bp.edges[k]
            inner, outer = (e.src, e.dst) if leaving else (e.dst, e.src)
            box = _owner(inner, index)
            if (_owner(outer, index) is None and box in ranks and ranks[box] > 0
                    and not any(p in self.shared for p in enclosing(outer))  # not a copy's
                    and (not leaving or (k not in self.plan.turned
                                         and inside(outer, parent_of(group.path))))):
                self.plan.past[k] = math.ceil(ranks[box])

    def stack_boxes(self, parts: list[Part], links: list[tuple[int, int, int]],
                    kinds: list[str], at: list[int]) -> list[tuple[int, int, int]]:
        """Drawn TB, a copy's boxes that no edge joins to the box written before them (a
        public subnet whose NAT gateway no edge reaches, above an app and a data subnet)
        are chained after it (an invisible edge from its last node to their first), so
        every copy stands as a column of its boxes in the order written; left to dot such
        a box was set beside the others, and the boxes after it out of line."""
        boxes = sorted((i for i, k in enumerate(kinds) if k), key=at.__getitem__)
        unit = {i: n for n, u in enumerate(_components(len(parts), links)) for i in u}
        added = []
        for a, b in zip(boxes, boxes[1:], strict=False):
            if unit[a] != unit[b]:
                self.chain(parts[a].last, parts[b].first)
                added.append((a, b, -1))
                unit = {i: n for n, u in enumerate(_components(len(parts), links + added))
                        for i in u}
        return added

    def share(self, groups: tuple[Group, ...]) -> None:
        """For each set of sibling copies among `groups` (boxes of one REPLICAS kind whose
        children match by kind and order), the links between their children and the
        children edges from outside reach, by position, over all the copies (not those
        between copies inside them: they do not rank)."""
        for kind in COPIES:
            same = [g for g in groups if _kind(g, self.spoke) == kind]
            by_shape: dict[tuple[str, ...], list[Group]] = {}
            for g in same:
                by_shape.setdefault(self.copy_key(g), []).append(g)
            for copies in by_shape.values():
                if len(copies) < 2:
                    continue
                links: set[tuple[int, int]] = set()  # by place (place_of)
                reached: set[int] = set()
                for g in copies:
                    children: list[Node | Group] = [*g.nodes, *g.groups]
                    found, entries = self.links([c.path for c in children], g.path)
                    kinds = self.kinds(g, children)
                    at = self.place_of(g)
                    links.update((at[b], at[a]) if kinds[a] and kinds[b] and at[a] > at[b]
                                 else (at[a], at[b]) for a, b, _ in found
                                 if not kinds[a] == kinds[b] in COPIES)
                    reached |= {at[i] for i in entries}
                for g in copies:
                    self.shared[g.path] = (links, reached, copies[0].path, len(copies))

    def replicas_in_order(self, group: Group, kinds: list[str], units: list[list[int]]
                          ) -> None:
        """Copies of one kind in one unit are written in reverse (see Plan.order), but
        regions, which are chained side by side in LR (grid)."""
        names = [g.path for g in group.groups]
        offset = len(group.nodes)
        order = list(names)
        for unit in units:
            for kind in STACKED:
                same = [i - offset for i in unit if kinds[i] == kind]
                if len(same) > 1:
                    for slot, i in zip(same, reversed(same), strict=True):
                        order[slot] = names[i]
        if order != names:
            self.plan.order[group.path] = order

    def poster(self, parts: dict[str, Part], links: list[tuple[int, int, int]]
               ) -> list[list[str]]:
        """Rows for the top level when the blueprint gives none: the main flow first, the
        other parts (kept together where edges join them) in rows under it, as many to a
        row as makes the picture closest to a landscape poster. In TB and BT, where a row
        stands as a column, a long flow may also be cut into several (FLOW_SPLITS at
        most), left to right, so that it never makes a tower."""
        names = list(parts)
        self.flow = []
        if self.placing != BY_RULE and _placed(len(names)):
            return self.placed_poster(parts, links)
        flow = _longest_chain(len(names), links,
                              [parts[n].along * parts[n].across for n in names])
        if len(flow) < 2:
            flow = []
        self.flow = [names[i] for i in flow]
        rest_links = [(a, b, k) for a, b, k in links if a not in flow and b not in flow]
        units = [u for u in _components(len(names), rest_links) if u[0] not in flow]
        sizes = [(sum(parts[names[i]].along for i in u), max(parts[names[i]].across for i in u))
                 for u in units]
        # (wrapped, rows) -> the best packing into as many: (score, the flow's rows, the
        # others'); wrapped: in LR, the main flow cut into rows (only where drawn too wide)
        packings: dict[tuple[bool, int], tuple[float, list[list[int]], list[list[int]]]] = {}
        total = sum(a for a, _ in sizes)
        upright = self.bp.direction in ("TB", "BT")
        goal = POSTER_ASPECT[self.bp.direction]

        def keep(score: float, flows: list[list[int]], rows: list[list[int]]) -> None:
            key = (not upright and len(flows) > 1, len(flows) + len(rows))
            if key not in packings or score < packings[key][0] - 1e-9:
                packings[key] = (score, flows, rows)

        splits = range(1, min(len(flow), FLOW_SPLITS) + 1) if flow else [1]
        for flows in [cut for split in splits for cut in _cuts(flow, split, upright)]:
            if not upright and len(flows) > 1 and not self.wraps(flows, parts, names):
                continue
            flow_along = max((sum(parts[names[i]].along for i in f) for f in flows),
                             default=0.0)
            flow_across = sum(max(parts[names[i]].across for i in f) for f in flows)
            capacity = max([a for a, _ in sizes] + [1.0])
            while units:
                rows: list[list[int]] = [[]]
                used = 0.0
                for u, (along, _) in enumerate(sizes):
                    if rows[-1] and used + along > capacity + 1e-9:
                        rows.append([])
                        used = 0.0
                    rows[-1].append(u)
                    used += along
                along = max([flow_along] + [sum(sizes[u][0] for u in r) for r in rows])
                across = flow_across + sum(max(sizes[u][1] for u in r) for r in rows)
                keep(abs(math.log(self.aspect(along, across) / goal)), flows, rows)
                if capacity >= total:
                    break
                capacity += 1.0
            if not units:  # a flow and nothing else
                keep(abs(math.log(self.aspect(flow_along, flow_across) / goal)), flows, [])
        flows, chosen = [flow], list[list[int]]()
        if packings:
            # the estimate's best, or (shape) as many rows more or fewer as asked, where
            # there is such a packing: dot's drawing is the judge (arrange.py). The best is
            # one that keeps the flow in one row (LR); so are fewer rows, which wrapping
            # could only make narrower; more rows, asked for where the drawing is too
            # wide, may wrap the flow
            best_count = min((n for wrapped, n in packings if not wrapped),
                             key=lambda n: (packings[False, n][0], n))
            by_count: dict[int, tuple[float, list[list[int]], list[list[int]]]] = {}
            for (wrapped, n), packing in sorted(packings.items()):
                if (not wrapped or n > best_count) and (
                        n not in by_count or packing[0] < by_count[n][0] - 1e-9):
                    by_count[n] = packing
            counts = sorted(by_count)
            best = counts.index(best_count)
            self.plan.shapes = (-best, len(counts) - 1 - best)
            _, flows, chosen = by_count[counts[max(0, min(len(counts) - 1, best + self.shape))]]
        chosen = _by_neighbours(flow, chosen, units, [parts[n].along for n in names], links)
        result = [[names[i] for i in f] for f in flows]
        for row in chosen:
            result.append([names[i] for u in row for i in units[u]])
        return [r for r in result if r]

    def wraps(self, flows: list[list[int]], parts: dict[str, Part], names: list[str]) -> bool:
        """Whether, in LR, the main flow may be cut into these rows: each row holds a box
        or two parts at least (a step of a flow of nodes alone on a row reads as a stray),
        and no cut parts two copies of one kind (an active and a standby region stand
        side by side, rule 6: cut between them, the standby stood under the active one)."""
        kind = {g.path: _kind(g, self.spoke) for g in self.bp.groups}
        return (all(len(f) > 1 or parts[names[f[0]]].first != names[f[0]] for f in flows)
                and not any(kind.get(names[a[-1]], "") in COPIES
                            and kind.get(names[a[-1]]) == kind.get(names[b[0]])
                            for a, b in zip(flows, flows[1:], strict=False)))

    def placed_poster(self, parts: dict[str, Part], links: list[tuple[int, int, int]]
                      ) -> list[list[str]]:
        """Rows for a poster of many parts (PLACE_MIN to PLACE_MAX): each part placed so that
        the edges between parts come out short (place), in as many rows as makes the
        picture closest to a landscape poster, counting the room that the edges between
        two rows take in the gap between them. The boxes the compiler adds (the
        alternatives panel) end the last row."""
        names = list(parts)
        added = {g.path for g in self.extra}
        movable = [i for i, n in enumerate(names) if n not in added]
        index = {i: m for m, i in enumerate(movable)}
        weights: dict[tuple[int, int], int] = {}
        for a, b, _ in links:
            if a != b and a in index and b in index:
                weights[(index[a], index[b])] = weights.get((index[a], index[b]), 0) + 1
        along = tuple(parts[names[i]].along for i in movable)
        across = tuple(parts[names[i]].across for i in movable)
        edges = tuple(sorted(weights.items()))
        # the main flow's steps from node to node read left to right (AGAINST_FLOW)
        flow = _longest_chain(len(names), links,
                              [parts[n].along * parts[n].across for n in names])
        node = [parts[n].first == n for n in names]
        steps = tuple((index[a], index[b]) for a, b in zip(flow, flow[1:], strict=False)
                      if a in index and b in index and node[a] and node[b])
        packings: dict[int, tuple[float, list[list[int]]]] = {}
        for count in range(1, min(len(movable), PLACE_ROWS) + 1):
            rows = placement.place(along, across, edges, count, steps,
                                   self.placing == WITH_FLOW, self.bp.direction in ("TB", "BT"))
            if rows is None:
                continue
            row_of = {m: r for r, row in enumerate(rows) for m in row}
            lanes = [0] * (len(rows) - 1)  # edges through each gap between two rows
            for (a, b), w in edges:
                for gap in range(min(row_of[a], row_of[b]), max(row_of[a], row_of[b])):
                    lanes[gap] += w
            wide = max(sum(along[m] for m in row) for row in rows)
            high = sum(max(across[m] for m in row) for row in rows) + LANE * sum(lanes)
            score = abs(math.log(self.aspect(wide, high) / POSTER_ASPECT[self.bp.direction]))
            packings[count] = (score, [list(r) for r in rows])
        chosen: list[list[int]] = []
        if packings:  # as poster(): the estimate's best, or as many rows more or fewer
            counts = sorted(packings)
            best = counts.index(min(counts, key=lambda n: (packings[n][0], n)))
            self.plan.shapes = (-best, len(counts) - 1 - best)
            chosen = packings[counts[max(0, min(len(counts) - 1, best + self.shape))]][1]
            if (self.placing == BY_EDGES and len(chosen) == 2
                    and len(movable) >= placement.UNCROSS_MIN):
                chosen = [list(r) for r in placement.uncross(
                    along, edges, (tuple(chosen[0]), tuple(chosen[1])))]
        # where the picture is entered, a node that starts the main flow and that no edge
        # enters (the users), stands in the top row: where the placement (whose cost is
        # the same upside down but for edges against the flow) set it in the bottom row,
        # the rows go the other way round (a user's marketplace: its shoppers and edge box
        # were under the services they call). Not a box that starts the flow (a service
        # of a generated 300-node blueprint: flipped, its VPC and bus went to the bottom,
        # 424 -> 694 defects), nor a placement read with the flow, which costs an edge up
        # into an earlier row more already
        if (self.placing == BY_EDGES and len(chosen) > 1 and flow and node[flow[0]]
                and index.get(flow[0]) in chosen[-1]
                and not any(b == flow[0] for _, b, _ in links)):
            chosen = chosen[::-1]
        result = [[names[movable[m]] for m in row] for row in chosen]
        extra = [n for n in names if n in added]
        if not result:
            return [extra] if extra else []
        result[-1] += extra
        return result

    def arrange(self, items: list[Node | Group], fixed: list[list[str]] | None) -> None:
        """The top level in rows: each row left to right, rows top to bottom; or, when a
        box inside holds the poster, like the children of any box."""
        parts = {p.path: p for p in (self.part(i) for i in items)}
        names = list(parts)
        links, _ = self.links(names)
        # Where a box three deep or more holds most of the picture (a VPC in a region of
        # an account of an organization) but the children of each box around it make one
        # row (a workload and a security account), the top level is not set in rows
        # either: a second row of the few parts outside (the DNS and the static assets of
        # the users and the CDN before the organization) stood under the whole tall box,
        # and their edges pulled the entry path into the corner below it, read bottom to
        # top. Set like any box's children, dot places them by their edges, before the
        # box. (A shallow box is not tall: the README example's VPC keeps its rows.) So
        # is a shallow box in the only top-level box of four levels of boxes (a region of
        # a VPC of zones of subnets; tall_dominant): in rows, the users, CloudFront and WAF
        # stood under the region, the WAF's edge climbing through a zone into the ALB.
        if (self.placing == FANNED and self.arranging and not fixed and not self.plan.poster
                and len(fan := [names.index(p) for p in top_spokes(self.bp)]) > 1):
            self.fanned(parts, links, fan)
            return
        if self.plan.poster or (not fixed and self.tall_dominant()
                                and len(self.poster(parts, links)) > 1):
            self.plan.boxed = True
            if self.arranging:
                back = self.back_to_the_box(names, links)
                self.plan.turned |= back
                links = [(b, a, k) if k in back else (a, b, k) for a, b, k in links]
            units = _components(len(names), links)
            self.balanced("", list(parts.values()), links, set(), units)
            self.before_the_box(parts, links)
            return
        # drawn TB, read with the flow from above: a few parts around a box that holds
        # most of the picture set like its children, the entry over the box (above_the_box;
        # arrange.py draws it as a kind of its own, taken only in range)
        holder = self.holder(parts)
        if (holder is not None and not fixed and self.arranging
                and self.placing == WITH_FLOW and not _placed(len(names))
                and len(self.poster(parts, links)) > 1):
            self.plan.boxed = True
            units = _components(len(names), links)
            self.balanced("", list(parts.values()), links, set(), units)
            self.above_the_box(parts, links, holder)
            return
        self.plan.rows[""] = self.rows_of(parts, links, fixed)

    def fanned(self, parts: dict[str, Part], links: list[tuple[int, int, int]],
               fan: list[int]) -> None:
        """The top level with its spokes fanned beside their hub (placing FANNED): set like a
        box's children (dot places the parts by their edges), the spokes one unit of copies
        one under the other, led in the order written (as zones in a box: their edges to each
        other do not rank), so each hub-to-spoke edge is short. Edges from the hub's part to
        a part that is no spoke (a firewall's diagnostics to a shared-services box) do not
        rank: ranked, that part stood in the spokes' column, under them (a user's Azure hub
        of three spoke VNets: 0.96 as wide as high; without a say, it stands before the hub,
        1.26). By the main flow rule the hub and its spokes were one row, a chain: the
        peering to the far spokes ran over the near ones (7 defects; fanned, 5)."""
        names = list(parts)
        self.plan.boxed = True
        copies = [(a, b, k) for a, b, k in links if a in fan and b in fan]
        self.plan.apart.update(k for _, _, k in copies)
        links = [link for link in links if link not in copies]
        # the hub's part: joined to every spoke
        hubs = {h for h in range(len(names)) if h not in fan and all(
            any({a, b} == {h, f} for a, b, _ in links) for f in fan)}
        aside = [(a, b, k) for a, b, k in links if a in hubs and b not in {*fan, *hubs}]
        self.plan.free.update(k for _, _, k in aside)
        links = [link for link in links if link not in aside]
        back = self.back_to_the_box(names, links)
        self.plan.turned |= back
        links = [(b, a, k) if k in back else (a, b, k) for a, b, k in links]
        together = [(a, b, -1) for a, b in zip(fan, fan[1:], strict=False)]
        self.plan.leads[""] = [parts[names[i]].first for i in fan]
        # written in reverse, which dot draws top to bottom in LR (replicas_in_order), or in
        # the order arrange.py found drawn as written
        written = [g.path for g in self.bp.groups]
        spoke = [names[i] for i in fan]
        turn = dict(zip(spoke, reversed(spoke), strict=True))
        self.plan.order[""] = list(self.copies.get("", [turn.get(p, p) for p in written]))
        self.balanced("", list(parts.values()), links, set(),
                      _components(len(names), links + together))

    def tall_dominant(self) -> bool:
        """Whether the box that holds most of the picture stands tall: three deep or more
        (DOMINANT_DEPTH), or inside the only top-level box, of DOMINANT_LEVELS levels of
        boxes or more (a region of a VPC of zones of subnets)."""
        if not self.dominant:
            return False
        if self.dominant.count(".") >= DOMINANT_DEPTH:
            return True
        return len(self.bp.groups) == 1 and _levels(self.bp.groups[0]) >= DOMINANT_LEVELS

    def holder(self, parts: dict[str, Part]) -> str | None:
        """Drawn TB or BT, the top-level box that holds more than half of the nodes, the
        one a poster of few parts is set around when read with the flow (arrange)."""
        if self.bp.direction not in ("TB", "BT"):
            return None
        total = self.bp.counts()[0]
        big = [g.path for g in self.bp.groups if g.path in parts and _holds_most(g, total)]
        return big[0] if big else None

    def above_the_box(self, parts: dict[str, Part], links: list[tuple[int, int, int]],
                      holder: str) -> None:
        """Drawn TB or BT, each top-level part that no edge enters and whose edge enters
        the holder (the users, a head office) chained over every node of the holder that
        no edge inside it enters: the whole box stands under it. As columns (rows_of),
        the entry stood beside the box, level with what it feeds, its edges arching over
        the box's title (a user's landing zone drawn TB: 47 -> 44 defects, its shoppers
        and head office now above the organization)."""
        names = list(parts)
        h = names.index(holder)
        inside = [n.path for n in self.bp.walk_nodes() if within(n.path, holder)]
        entered = {e.dst for e in self.bp.edges
                   if within(e.src, holder) and within(e.dst, holder) and e.src != e.dst}
        tops = [n for n in inside if n not in entered]
        for i, name in enumerate(names):
            if i == h or any(b == i for _, b, _ in links):
                continue
            if any(a == i and b == h for a, b, _ in links):
                for top in tops:
                    self.chain(parts[name].last, top)

    def back_to_the_box(self, names: list[str], links: list[tuple[int, int, int]]
                        ) -> set[int]:
        """Where the top level is set like a box's children (Plan.boxed), the edges of two
        top-level parts joined both ways, more edges one way than the other, the fewer way
        (a head office whose router connects to the hub by VPN and ExpressRoute and whose
        directory resolves its DNS, and which the HR spoke's VMs and database reach back
        for LDAP and a nightly copy). Laid out turned (Plan.turned), they rank with the
        flow into the box: left to dot, which breaks such a cycle its own way, the office
        stood over the subscription and its edges climbed down into the hub (a user's hub
        and spoke: 12 -> 3 defects, w/h 1.36 -> 1.74). Not without a say, as inside a box
        (_against): the edges back looped under the whole poster (13 -> 5, another edge
        3.6 times its straight line); not where as many run each way (docs Known limits)."""
        count: dict[tuple[int, int], int] = {}
        for a, b, _ in links:
            count[a, b] = count.get((a, b), 0) + 1
        return {k for a, b, k in links if count[a, b] < count.get((b, a), 0)}

    def before_the_box(self, parts: dict[str, Part], links: list[tuple[int, int, int]]
                       ) -> None:
        """Where the top level is set like a box's children (Plan.boxed) around a box of
        rows nested in it, each top-level part whose edges all lead into the part that
        holds that box (a head office whose customer gateway connects by VPN to an
        organization's network account; the users of its storefront) is chained before
        it, into the node it ranks first. Else dot ranks the holder's own sources (a
        security account joined to nothing before it) with the part's first node, and the
        part, with no room inside the holder's span, went under the whole holder, its edges
        climbing into it (a user's landing zone: the head office under the organization,
        its VPN's label 48 pt from the line; before it, 38 -> 30 defects, no label far)."""
        names = list(parts)
        inner = self.plan.poster or self.dominant
        box = inner.split(".")[0]
        if box not in parts or box == inner:
            return  # a top-level box that holds the rows: what enters it leaves a rank free
            # before its first row already (entering); chained too, the organization case's
            # data center took a crossing more
        holder = names.index(box)
        for i, name in enumerate(names):
            touching = [(a, b) for a, b, _ in links if i in (a, b)]
            if i != holder and touching and all((a, b) == (i, holder) for a, b in touching):
                self.chain(parts[name].last, parts[box].first)

    def rows_of(self, parts: dict[str, Part], links: list[tuple[int, int, int]],
                fixed: list[list[str]] | None) -> list[list[str]]:
        """The poster's parts in rows (written, else poster()): chained left to right in
        each row, led by the spine top to bottom; edges between rows do not pull them
        together, an edge back against a row between parts joined both ways does not
        rank."""
        names = list(parts)
        fixed = [r for r in fixed or [] if r]
        if fixed:
            rows = [list(r) for r in fixed]
            named = {p for row in rows for p in row}
            # parts no row names (the alternatives panel among them) end the last row
            rows[-1] += [n for n in names if n not in named]
        else:
            rows = self.poster(parts, links)
            self.plan.flow = self.pipeline(rows)
        row_of = {p: r for r, row in enumerate(rows) for p in row}
        for row in rows:
            at = 0.0
            for p in row:
                self.plan.middle[p] = at + parts[p].along / 2
                at += parts[p].along
        backward = {(names[b], names[a]) for a, b, _ in links}  # an edge right to left
        # rows placed by their edges (placed_poster) chain every part to the next, and every
        # edge against a row's order is turned (Plan.turned): dot keeps each row straight,
        # where a chain left out for such an edge let the row step down like a staircase.
        # So do written rows, which are kept as written: with the chain left out, dot set
        # the parts in their edges' order (the seed's rows written in other orders: 5 of 8
        # sampled drew parts out of their place in the row, one of them [api, cdn, users,
        # dns, vpc] as cdn, api, users, dns, vpc)
        placed = bool(fixed) or (self.placing != BY_RULE and _placed(len(names)))
        if fixed and self.bp.layout.made:  # a variant's: chained as its blueprint's were
            placed = self.bp.layout.placed
            self.plan.flow = list(self.bp.layout.flow)  # and read down as it was
        self.plan.placed = placed and not fixed
        # a part joined both ways to the part before it is chained too (its edges back do
        # not rank) where more edges run along the row than back, or as many and the edges
        # back reach other nodes than those the edges along leave (a pass-through):
        # unchained, dot set a user's queue (three zones' APIs send to it, their workers
        # read it) over the VPC, and a data center joined both ways to its cloud a step
        # lower than it. Services that each publish to a bus and consume from it are no
        # pass-through: chained, a user's IoT poster went from 3 to 6 defects
        count: dict[tuple[str, str], int] = {}
        # (x, y) -> the ends in x of the edges from x to y, and of those from y to x
        leave: dict[tuple[str, str], set[str]] = {}
        reach: dict[tuple[str, str], set[str]] = {}
        for a, b, k in links:
            count[names[a], names[b]] = count.get((names[a], names[b]), 0) + 1
            leave.setdefault((names[a], names[b]), set()).add(self.bp.edges[k].src)
            reach.setdefault((names[b], names[a]), set()).add(self.bp.edges[k].dst)
        for row in rows:
            for left, right in zip(row, row[1:], strict=False):
                # chained too where more edges run back than along: unchained, dot stood
                # the part over or under the one before, a step of stairs (generated
                # blueprints: a service writing back twice to the VPC that calls it once,
                # 20 nodes seed 1 0.82 as wide as high, 30 nodes seed 8 1.15; chained
                # 1.24 and 1.83)
                if (placed or (left, right) not in backward
                        or count.get((left, right), 0) != count[right, left]
                        or (count.get((left, right), 0) == count[right, left]
                            and not leave[left, right] & reach[left, right])):
                    self.chain(parts[left].last, parts[right].first if placed
                               else self.chain_start(parts[right]))
        if self.arranging:
            spot = {p: (r, i) for r, row in enumerate(rows) for i, p in enumerate(row)}
            pairs = {(names[a], names[b]) for a, b, _ in links}
            for a, b, k in links:
                x, y = spot[names[a]], spot[names[b]]
                if x[0] == y[0] and x[1] > y[1]:
                    if placed or (names[b], names[a]) in pairs:
                        self.plan.turned.add(k)
        if len(rows) > 1 and self.row_order:
            self.plan.spine = [parts[row[0]].first for row in rows]
        if len(rows) > 1 and self.arranging:
            for a, b, k in links:
                if row_of[names[a]] != row_of[names[b]]:
                    self.plan.loose.add(k)  # drawn, but it does not pull the rows together
                    if row_of[names[b]] == row_of[names[a]] + 1:
                        self.plan.down.add(k)
            self.plan.leave_start |= _leaving_backwards(rows, parts, links)
        return rows

    def pipeline(self, rows: list[list[str]]) -> list[str]:
        """Drawn TB or BT, the main flow poster() found, where it is a pipeline of boxes cut
        into columns that can be read down instead (compile's DOWN): two boxes or more,
        none a copy (zones, regions: copies stand side by side), no box of the top level
        holding more than half of the nodes (the picture is that box), and the flow in more
        than one of `rows`. Else []."""
        groups = {g.path: g for g in self.bp.groups}
        boxes = [groups[p] for p in self.flow if p in groups]
        total = self.bp.counts()[0]
        if (self.bp.direction not in ("TB", "BT") or len(boxes) < 2
                or any(g.kind in COPIES or g.path in self.spoke for g in boxes)
                or any(_holds_most(g, total) for g in self.bp.groups)
                or sum(any(p in self.flow for p in row) for row in rows) < 2):
            return []
        return list(self.flow)

    def follow(self, parts: list[Part], links: list[tuple[int, int, int]], kinds: list[str]
               ) -> None:
        """In LR, of two boxes in a box joined by an edge from a node of one to the other, the
        second follows the first: the first's last node is chained to the start of the
        chain of nodes that leads to the edge's head (chain_start). Left to dot, a box
        entered from the middle of the one before, or whose own chain starts before its
        entry, overlapped it along the flow and stood over or under it, a diagonal
        staircase (a user's Azure claims VNet: web tier, data, back end, and its AI
        services and operations beside it, 1.02 -> 1.68 as wide as high, 8 -> 2 defects).
        Not copies (rule 6 arranges them; from the primary of two regions to a shared
        box: two regions 5 -> 6 defects), edges that do not rank, nor edges from a whole
        box, which leave from its last node already (the landing zone's VPC metrics to
        the operations box: chained after the region, the poster was 2.85 wide)."""
        copies = {i for i, k in enumerate(kinds) if k in COPIES and kinds.count(k) > 1}
        pairs: dict[tuple[int, int], list[tuple[str, str]]] = {}  # (a, b) -> their edges
        for a, b, k in links:
            e = self.bp.edges[k] if k >= 0 else None
            if (e is not None and kinds[a] and kinds[b] and a not in copies
                    and b not in copies and e.src in self.node_paths
                    and not {k} & (self.plan.back | self.plan.free | self.plan.turned)):
                pairs.setdefault((a, b), []).append((e.src, e.dst))
        for (a, b), edges in pairs.items():
            head = edges[0][1]
            link = (parts[a].last, self.chain_start(parts[b], head if head in self.node_paths
                                                    else ""))
            # where an edge already runs so, the chain only weighs it more, and pulled the
            # two onto one line (a user's GCP storefront: its data box went over the
            # cluster, 3 -> 6 defects, 0.95 as wide as high)
            if link not in edges:
                self.chain(*link)

    def chain_start(self, part: Part, entry: str = "") -> str:
        """Where a row by the main flow rule is chained into a part: the start of the
        chain of its nodes that leads to where the flow enters it (the longest path of
        edges inside the part ending there). Into where the flow enters, mid-box, the
        nodes before it shared ranks with the part before: the two boxes overlapped along
        the flow and dot stacked them like stairs (generated 50-node blueprints, seeds 2
        and 3: 0.79 and 1.03 as wide as high). Not the node dot ranks first in the part
        (Part.head): where that is a sibling box's that only feeds the entry's box (a
        key vault's secrets to the web tier), the box before stood under the region.
        Written rows and placed ones keep the chain into the entry: the seed's Beanstalk
        variant went 12 -> 17 defects, the event bus case 15 -> 18."""
        entry = entry or part.first
        if entry == part.path:
            return entry
        before: dict[str, list[str]] = {}
        for k in self.touching.get(part.path, []):
            e = self.bp.edges[k]
            if within(e.src, part.path) and within(e.dst, part.path) and e.src != e.dst:
                before.setdefault(e.dst, []).append(e.src)
        # the longest path back from the entry, edges that would close a cycle left out;
        # iterative, a step at a time: a chain of thousands of nodes must not recurse
        done: dict[str, tuple[int, str]] = {}  # node -> (steps back, where they start)
        best = {entry: (0, entry)}
        stack = [(entry, iter(before.get(entry, [])))]
        while stack:
            node, sources = stack[-1]
            src = next(sources, None)
            if src is None:
                stack.pop()
                done[node] = best[node]
                if stack and done[node][0] + 1 > best[stack[-1][0]][0]:
                    best[stack[-1][0]] = (done[node][0] + 1, done[node][1])
            elif src in done:
                if done[src][0] + 1 > best[node][0]:
                    best[node] = (done[src][0] + 1, done[src][1])
            elif src not in best:  # not on the path being walked
                best[src] = (0, src)
                stack.append((src, iter(before.get(src, []))))
        return done[entry][1]

    def passing(self) -> set[int]:
        """Plan.passing: the labelled edges from copies chained side by side (zones,
        regions: passing_from) to outside the box that holds them. Such an edge from the
        first runs past the next copy's ranks, and dot gave its label a rank there, which
        widened that copy: a user's shop, zone a's order events to a queue after zone b and
        its nightly copy to a backup account, had zone b 140 pt wider than zone a; each
        zone's own edge to the queue set so too, the two are as wide as each other."""
        return {k for k, e in enumerate(self.bp.edges)
                if e.label and any(within(e.src, c) and not within(e.dst, parent_of(c))
                                   for c in self.passing_from)}

    def chain(self, a: str, b: str) -> None:
        """An invisible edge from node a to node b: b follows a in its row."""
        if self.arranging:
            self.plan.chains.append((a, b))

    def run(self) -> Plan:
        items: list[Node | Group] = [*self.bp.nodes, *self.bp.groups, *self.extra]
        # LR and RL only: in TB, dot failed on such rows (`trouble in init_rank`) where
        # edges between copies inside them do not rank
        if self.arranging and not self.bp.layout.rows and self.bp.direction in ("LR", "RL"):
            top = [*(n.path for n in self.bp.nodes), *(g.path for g in self.bp.groups)]
            self.plan.poster = self.dominant = _dominant(self.bp, self.links(top)[0], self.spoke)
        if self.arranging:
            self.share(self.bp.groups)
        self.arrange(items, [list(r) for r in self.bp.layout.rows] or None)
        if self.arranging:
            self.plan.deep |= _deep(self.bp) | self.entering() | self.into_leads()
            self.plan.aside = _from_boxes(self.bp)
            self.plan.passing = self.passing()
            self.plan.free -= self.chained_along(self.plan.free)
            if self.columns:
                self.plan.columns = self.zone_columns
        return self.plan

    def chained_along(self, edges: set[int]) -> set[int]:
        """Of `edges`, those whose head the invisible chains (Plan.chains) already rank after
        their tail: ranking them asks nothing new of the layout, and their weight keeps
        them straight. Without a say (constraint=false) dot leaves such an edge's bends
        free on every rank it passes, and where it runs along a row of other parts it
        snakes between them (a user's landing zone: the Transit Gateway's edge into the
        VPC past Route 53, CloudFront and the WAF of the account the VPC is in, detour 4.7)."""
        after: dict[str, set[str]] = {}
        for a, b in self.plan.chains:
            after.setdefault(a, set()).add(b)
        found = set()
        for k in edges:
            e = self.bp.edges[k]
            tail = self.plan.ends[e.src][1] if e.src in self.plan.ends else e.src
            head = self.plan.ends[e.dst][0] if e.dst in self.plan.ends else e.dst
            seen, todo = {tail}, [tail]
            while todo and head not in seen:
                for n in after.get(todo.pop(), ()):
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
            if head in seen and head != tail:
                found.add(k)
        return found

    def into_leads(self) -> set[int]:
        """In LR and RL, the edges from outside a box whose copies an invisible point leads
        (Plan.leads) to a node inside it: a rank is left free (Plan.deep). The point takes
        the rank before the copies' first nodes, which is the rank of the box's own entry
        where those are unjoined (a NAT gateway in each zone's public subnet, beside the
        load balancer): the box then reaches a rank before its entry, and what feeds the
        entry (a WAF beside the VPC) had to stand above or under the whole box."""
        if self.bp.direction not in ("LR", "RL"):
            return set()
        return {k for box in self.plan.leads for k in self.touching.get(box, [])
                if not within(self.bp.edges[k].src, box)
                and within(self.bp.edges[k].dst, box)}

    def entering(self) -> set[int]:
        """Edges from outside the box that holds most of the picture (Plan.poster) into its
        first row, to a child after the row's first: a rank is left free (Plan.deep), so
        that the part they come from stands before the box, on its left in LR. Else dot
        ranks it with the row's first child, inside the box's span, and must set it above
        or under the box (gcp-data-pipeline's partners, over the project box)."""
        rows = self.plan.rows.get(self.plan.poster, []) if self.plan.poster else []
        if not rows or not rows[0]:
            return set()
        later = set(rows[0][1:])
        found = set()
        for k, e in enumerate(self.bp.edges):
            if (self.plan.poster not in enclosing(e.src)
                    and any(p in later for p in enclosing(e.dst))):
                found.add(k)
        return found

def _from_boxes(bp: Blueprint) -> set[int]:
    """Drawn TB or BT, the edges from a whole box to a node in a sibling box that no other
    sibling feeds (the logs of a VPC into the operations box beside it in their account);
    not at the top level, whose parts stand in columns already, and not from box to box
    (a public subnet to the private one: tiers of a flow, one under the other)
    (Plan.aside). Such an edge leaves from the box's last node, so ranked it sets its
    head under the whole box: a new user's claims account drawn TB was 0.52 as wide as
    high, 0.85 with the operations beside the VPC (0 = 0 defects). A box that several
    siblings feed (a monitoring namespace scraping two others) stays under them: beside
    one of them, the edge from the other crossed it (k8s-onprem: 0 -> 3 defects)."""
    if bp.direction not in ("TB", "BT"):
        return set()
    groups = {g.path for g in bp.walk_groups()}
    found: dict[str, set[int]] = {}  # box -> the edges into it from a whole sibling box
    feeders: dict[str, set[str]] = {}  # box -> the siblings that edges into it come from
    for k, e in enumerate(bp.edges):
        outer = set(enclosing(e.src))
        common = next((p for p in enclosing(parent_of(e.dst)) if p in outer), "")
        if not common:
            continue
        tail = next(p for p in enclosing(e.src) if parent_of(p) == common)
        head = next(p for p in enclosing(e.dst) if parent_of(p) == common)
        feeders.setdefault(head, set()).add(tail)
        if e.src == tail in groups and head in groups and e.dst not in groups:
            found.setdefault(head, set()).add(k)
    return {k for head, ks in found.items() if len(feeders[head]) == 1 for k in ks}


def _deep(bp: Blueprint) -> set[int]:
    """The edges that cross DEEP borders of boxes or more (Plan.deep), in LR and RL. An
    edge to a group stops at its border: the group's own border counts, none inside it."""
    groups = {g.path for g in bp.walk_groups()}

    def boxes(end: str) -> set[str]:
        return {p for p in enclosing(end) if p in groups}

    if bp.direction in ("TB", "BT"):  # there it swayed zones into the order b, c, a
        return set()
    return {k for k, e in enumerate(bp.edges) if len(boxes(e.src) ^ boxes(e.dst)) >= DEEP}


def _by_neighbours(flow: list[int], rows: list[list[int]], units: list[list[int]],
                   along: list[float], links: list[tuple[int, int, int]]) -> list[list[int]]:
    """The units of each row under the main flow in the order of where the parts they are
    joined to sit in the rows above (the median of their estimated places, in cells along
    the row, over their edges): analysts who read the dashboards at the end of the flow go
    to the right, under them, not to the left, where their edge would loop under the whole
    poster. The median, not the mean: services that each take one request from the
    clients at the start of the flow but talk to a bus at its end twice stay by the bus.
    Units no edge joins to a row above end their row, in the order written."""
    import statistics  # here: with fractions and decimal it costs every render 1.5 ms

    centre: dict[int, float] = {}

    def place(parts: list[int]) -> None:
        at = 0.0
        for i in parts:
            centre[i] = at + along[i] / 2
            at += along[i]

    place(flow)
    ordered: list[list[int]] = []
    for row in rows:
        keys: dict[int, float] = {}
        for u in row:
            inside = set(units[u])
            seen = [centre[b if a in inside else a] for a, b, _ in links
                    if (a in inside) != (b in inside) and (b if a in inside else a) in centre]
            if seen:
                keys[u] = statistics.median(seen)
        row = sorted((u for u in row if u in keys), key=lambda u: keys[u]) + \
            [u for u in row if u not in keys]
        place([i for u in row for i in units[u]])
        ordered.append(row)
    return ordered


def _against(links: list[tuple[int, int, int]]) -> set[int]:
    """Of two children of a box joined by edges both ways, more edges one way than the
    other (a service that queues work for a worker in another box, which then writes back
    to that box): the edges of the way fewer go. Drawn, but they do not rank, or dot
    breaks the cycle its own way and stacks the two boxes like stairs (an EKS cluster
    above its data subnet instead of beside it). As many each way: all rank."""
    count: dict[tuple[int, int], int] = {}
    for a, b, k in links:
        if k >= 0:
            count[a, b] = count.get((a, b), 0) + 1
    return {k for a, b, k in links if k >= 0 and count[a, b] < count.get((b, a), 0)}


def _against_the_entry(links: list[tuple[int, int, int]], entries: set[int]) -> set[int]:
    """Of two children of a box joined by as many edges each way (_against leaves them),
    the edges back toward the child that the flow into the box reaches first (fewer steps
    from a child an edge from outside enters). Drawn, but they do not rank: else dot
    breaks the cycle its own way, and a user's claims VNet (web tier -> documents in the
    data subnet -> intake in the back end -> back to the data) drew the back end first,
    on the rank of the Front Door outside, which then had to go under the whole
    subscription instead of before it. Between boxes only (`links`): a queue that zones'
    APIs send to and their workers read, drawn TB, did worse (61 -> 69 defects)."""
    count: dict[tuple[int, int], int] = {}
    nxt: dict[int, set[int]] = {}
    for a, b, k in links:
        if k >= 0:
            count[a, b] = count.get((a, b), 0) + 1
            nxt.setdefault(a, set()).add(b)
    step = dict.fromkeys(sorted(entries), 0)
    todo = sorted(entries)
    while todo:
        later = []
        for a in todo:
            for b in sorted(nxt.get(a, ())):
                if b not in step:
                    step[b] = step[a] + 1
                    later.append(b)
        todo = later
    return {k for a, b, k in links
            if k >= 0 and count[a, b] == count.get((b, a), 0) and a in step and b in step
            and step[b] < step[a]}


def _levels(group: Group) -> int:
    """Levels of boxes in a box, itself counted (a VPC of zones of subnets: three)."""
    return 1 + max((_levels(g) for g in group.groups), default=0)


def _holds_most(group: Group, total: int) -> bool:
    """Whether a box holds more than half of a blueprint's `total` nodes."""
    return 2 * sum(1 for _ in group.walk_nodes()) > total


def _cuts(flow: list[int], split: int, upright: bool) -> list[list[list[int]]]:
    """The ways poster() cuts the main flow into `split` rows, in order: drawn TB or BT (or
    where there are more than CUTS_MAX ways), rows of as many parts as each other; in LR
    every way, so that a flow too wide in one row can wrap only its last part or two (a
    flow of four boxes stood 2.91 as wide as high in one row, 1.14 wrapped two and two,
    2.06 three and one)."""
    if not flow:
        return [[]]
    ways = math.comb(len(flow) - 1, split - 1)
    if upright or split == 1 or ways > CUTS_MAX:
        step = -(-len(flow) // split)
        return [[flow[i:i + step] for i in range(0, len(flow), step)]]
    return [[flow[a:b] for a, b in zip((0, *cut), (*cut, len(flow)), strict=True)]
            for cut in itertools.combinations(range(1, len(flow)), split - 1)]


def _of_nodes(group: Group) -> bool:
    """Whether most of a box's nodes are its own, not in boxes inside it (a service of
    six nodes and an inner box of four): a box of nodes, not a blueprint that sits in a
    box (an organization of accounts, a region of a VPC of subnets)."""
    return 2 * len(group.nodes) > sum(1 for _ in group.walk_nodes())


def _dominant(bp: Blueprint, links: list[tuple[int, int, int]], spoke: frozenset[str]
              ) -> str:
    """The box that holds most of the picture: the deepest that holds more than half of
    the blueprint's nodes and is not one of several copies ('' when none does). Rows of
    top-level parts cannot shape a blueprint that sits in one box (an organization of
    accounts); rows of that box's children can. Only where edges join every top-level
    part (`links` between them) to the rest: the top level then has no rows to keep in
    order, dot places the parts around the box by their edges. Not a box of nodes
    (_of_nodes: a service's or a subnet's own services), which is one part of the
    poster's rows like any other: as the poster, its nodes made the rows and dot stacked
    the boxes beside it under it (generated 20-node blueprints, a subnet holding 11 of
    20 nodes: 0.76-1.08 as wide as high; one part of the rows, 1.34-1.94)."""
    if len(_components(len(bp.nodes) + len(bp.groups), links)) > 1:
        return ""
    total = bp.counts()[0]
    box, groups = "", bp.groups
    while True:
        big = [g for g in groups if _holds_most(g, total)
               and not (_kind(g, spoke) in COPIES
                        and sum(_kind(s, spoke) == _kind(g, spoke) for s in groups) > 1)
               and not _of_nodes(g)]
        if not big:
            return box
        box, groups = big[0].path, big[0].groups


def _most_rows(n: int, links: list[tuple[int, int, int]]) -> int:
    """The most rows poster() can pack n parts into: the main flow, and each of the other
    parts (kept together where edges join them) in a row of its own."""
    flow = _longest_chain(n, links)
    flow = flow if len(flow) > 1 else []
    rest = [(a, b, k) for a, b, k in links if a not in flow and b not in flow]
    return (1 if flow else 0) + sum(u[0] not in flow for u in _components(n, rest))


def _unit_size(unit: list[int], parts: list[Part]) -> tuple[float, float]:
    """Cells along and across of children kept together: about as dot packs them."""
    if len(unit) == 1:
        return parts[unit[0]].along, parts[unit[0]].across
    area = sum(parts[i].along * parts[i].across for i in unit)
    along = max(sum(parts[i].along for i in unit) * 0.75, math.sqrt(area))
    return along, max(max(parts[i].across for i in unit), area / along)


def _leaving_backwards(rows: list[list[str]], parts: dict[str, Part],
                       links: list[tuple[int, int, int]]) -> set[int]:
    """The edges between two top-level rows whose head's middle sits before the start of
    the part they leave, by the size estimate (Plan.leave_start). Leaving from the end of
    the box, such an edge (ETL from the databases at the right end of the seed's VPC to
    the warehouse in the middle of the row below) first runs the box's whole length the
    wrong way and loops around the row below: the app-runner variant 16 -> 13 defects."""
    names = list(parts)
    row_of = {p: r for r, row in enumerate(rows) for p in row}
    start: dict[str, float] = {}
    for row in rows:
        at = 0.0
        for p in row:
            start[p] = at
            at += parts[p].along
    found = set()
    for a, b, k in links:
        tail, head = names[a], names[b]
        if row_of[tail] != row_of[head] and start[head] + parts[head].along / 2 < start[tail]:
            found.add(k)
    return found


def _placed(parts: int) -> bool:
    """Whether a poster archgen makes up of this many parts is placed by its edges."""
    return PLACE_MIN <= parts <= PLACE_MAX


def place_in(item: Node | Group, path: str, bp: Blueprint | None = None) -> tuple[int, ...]:
    """Where `path` sits inside `item`: the index of the child holding it, at each depth;
    with `bp`, its place there (places(): in a variant, as in the blueprint as written)."""
    at: list[int] = []
    while isinstance(item, Group) and item.path != path:
        children: list[Node | Group] = [*item.nodes, *item.groups]
        i = next(i for i, c in enumerate(children) if path == c.path
                 or path.startswith(c.path + "."))
        at.append(i if bp is None else places(bp, item)[i])
        item = children[i]
    return tuple(at)


def written_box(bp: Blueprint, group: Group) -> Group | None:
    """In a variant, the box of the blueprint as written at `group`'s path."""
    if bp.variant_of is None:
        return None
    try:
        before = bp.variant_of[0].find(group.path)
    except KeyError:
        return None
    return before if isinstance(before, Group) else None


def places(bp: Blueprint, group: Group) -> list[int]:
    """The place of each child of a box ([*nodes, *groups]) among its children as written:
    its index there; in a variant, its index in the box of the blueprint as written, the
    `with` node at the place of the item it took over (the first left empty after the
    child before it, in the order written, Group.written). Copies match by place
    (_Planner.share): a variant's DynamoDB table for a zone's data subnet, written after
    its public and app subnets, is at the data subnet's place, as in the zones that kept
    theirs (a box holds its nodes first: by index, the table came before the subnets)."""
    now = [n.path for n in group.nodes] + [g.path for g in group.groups]
    before = written_box(bp, group)
    was = now if before is None else ([n.path for n in before.nodes]
                                       + [g.path for g in before.groups])
    index = {p: i for i, p in enumerate(was)}
    present = set(now)
    found: dict[str, int] = {}
    last = -1
    for p in group.written or now:
        if p in index:
            found[p] = last = index[p]
        else:  # the `with` node: the first place emptied after the last one
            free = [i for i in range(last + 1, len(was)) if was[i] not in present]
            found[p] = last = free[0] if free else len(was) + len(found)
    return [found[p] for p in now]


def spokes(bp: Blueprint) -> frozenset[str]:
    """The paths of the boxes that are spokes (SPOKE_KINDS): of the sibling boxes of one such
    kind, those that edges join to one hub outside them (to the box or to anything in it,
    either way), where the hub joins SPOKES_MIN or more; of several hubs, the one that joins the
    most, then one inside the box that holds the siblings (a Transit Gateway beside the
    VPCs, the firewall in a hub VNet, rather than a data center's directory that two VNets
    reach), then the first written. The others (the hub's own VNet or account, a security
    account) stay boxes of their own."""
    sets: dict[str, tuple[str, str]] = {}  # a box of a set of siblings -> (parent, kind)
    for parent, groups in [("", bp.groups), *((g.path, g.groups) for g in bp.walk_groups())]:
        for kind in sorted(SPOKE_KINDS):
            same = [g.path for g in groups if g.kind == kind]
            if len(same) >= 2:
                sets.update((path, (parent, kind)) for path in same)
    # One pass over the edges for every set (a pass a set took 23 s for 2,400 sets of two
    # VPCs and 19,000 edges): an end lies in at most one box of a set, siblings being apart.
    joined: dict[tuple[str, str], dict[str, set[str]]] = {}  # set -> hub -> its boxes
    for e in bp.edges:
        for hub, end in ((e.src, e.dst), (e.dst, e.src)):
            for box in enclosing(end):
                if box in sets and not within(hub, box):
                    joined.setdefault(sets[box], {}).setdefault(hub, set()).add(box)
    found: set[str] = set()
    for (parent, _), hubs in joined.items():
        hub = max(hubs, key=lambda h: (len(hubs[h]), inside(h, parent) or not parent))
        if len(hubs[hub]) >= SPOKES_MIN:
            found |= hubs[hub]
    return frozenset(found)


def top_spokes(bp: Blueprint) -> list[str]:
    """In LR and RL, of a blueprint that writes no rows, the top-level boxes that are spokes
    (spokes()), in the order written: what placing FANNED fans beside their hub."""
    if bp.layout.rows or bp.direction not in ("LR", "RL"):
        return []
    found = spokes(bp)
    return [g.path for g in bp.groups if g.path in found]


def _kind(item: Node | Group, spoke: frozenset[str]) -> str:
    """What a child of a box is to the arrangement: '' for a node, SPOKE for a spoke
    (spokes()), else its kind."""
    if isinstance(item, Node):
        return ""
    return SPOKE if item.path in spoke else item.kind


def _shape(group: Group) -> tuple[str, ...]:
    """What a box's children are, in order: copies match when their shapes do."""
    return (*(n.type.name if n.type else n.label for n in group.nodes),
            *(g.kind for g in group.groups))


def _ends(unit: list[int], links: list[tuple[int, int, int]], parts: list[Part],
          entries: set[int]) -> tuple[int, int]:
    """The child of a unit where the flow comes in (one that an edge from outside the box
    reaches, else a source of its edges) and the one dot will rank last (the far end of
    the longest path from there)."""
    succ = _successors(unit, links)
    depth = _depths(unit, links, parts)
    heads = [i for i in unit if i in entries]
    heads = heads or [i for i in unit if not any(i in succ[j] for j in unit)] or unit
    first = max(heads, key=lambda i: (depth[i], -i))
    last = first
    while succ[last]:
        last = max(succ[last], key=lambda j: (depth[j], -j))
    return first, last


def _lead(unit: list[int], links: list[tuple[int, int, int]], parts: list[Part]) -> int:
    """The child of a unit dot ranks first: the source of its longest path (_ends takes
    where the flow comes in instead)."""
    succ = _successors(unit, links)
    depth = _depths(unit, links, parts)
    sources = [i for i in unit if not any(i in succ[j] for j in unit)] or unit
    return max(sources, key=lambda i: (depth[i], -i))


def _box_ranks(parts: list[Part], links: list[tuple[int, int, int]], kinds: list[str],
               after: bool) -> dict[int, float]:
    """The boxes among `parts` (a kind), each with its estimated ranks in cells along the
    longest path of links between boxes: those before it, or with `after` those after it
    (mark_past)."""
    succ = _successors([i for i, k in enumerate(kinds) if k],
                       [(a, b, k) for a, b, k in links if kinds[a] and kinds[b]])
    ranks: dict[int, float] = dict.fromkeys(succ, 0.0)
    order = _topological(list(succ), succ)
    for i in reversed(order) if after else order:
        for j in succ[i]:
            if after:
                ranks[i] = max(ranks[i], ranks[j] + parts[j].along)
            else:
                ranks[j] = max(ranks[j], ranks[i] + parts[i].along)
    return ranks


def _successors(unit: list[int], links: list[tuple[int, int, int]]) -> dict[int, set[int]]:
    """The links inside a unit, taken in order, leaving out any that would close a cycle."""
    inside = set(unit)
    dag = _Acyclic(unit)
    for a, b, _ in links:
        if a in inside and b in inside:
            dag.add(a, b)
    return dag.succ


class _Acyclic:
    """A graph that links are added to in order, each left out if it would close a cycle.
    It keeps a topological order as it grows (Pearce and Kelly's dynamic order), so a link
    that agrees with the order costs nothing and one that does not searches only the
    items ordered between its ends: checking every link by walking all that its head
    reaches made a poster's planning grow with its edges times its parts (2,500 boxes and
    19,000 edges: 13.5 s in that walk)."""

    def __init__(self, items: list[int]) -> None:
        self.succ: dict[int, set[int]] = {i: set() for i in items}
        self.pred: dict[int, set[int]] = {i: set() for i in items}
        self.order = {i: k for k, i in enumerate(items)}

    def add(self, a: int, b: int) -> bool:
        """Add the link a -> b unless it closes a cycle; whether it is in the graph."""
        order = self.order
        if b in self.succ[a] or order[a] < order[b]:
            self.succ[a].add(b)
            self.pred[b].add(a)
            return True
        if a == b:
            return False
        ahead = self._walk(b, self.succ, lambda i: order[i] <= order[a], a)
        if a in ahead:
            return False  # b reaches a already
        behind = self._walk(a, self.pred, lambda i: order[i] >= order[b], None)
        # what reaches a goes before what b reaches, in the places they held
        moved = sorted(behind, key=order.__getitem__) + sorted(ahead, key=order.__getitem__)
        for i, place in zip(moved, sorted(order[i] for i in moved), strict=True):
            order[i] = place
        self.succ[a].add(b)
        self.pred[b].add(a)
        return True

    @staticmethod
    def _walk(start: int, links: dict[int, set[int]], keep: Callable[[int], bool],
              goal: int | None) -> set[int]:
        """What start reaches through items kept, or as soon as it reaches goal."""
        seen = {start}
        todo = [start]
        while todo:
            for j in links[todo.pop()]:
                if j not in seen and keep(j):
                    if j == goal:
                        return {j}
                    seen.add(j)
                    todo.append(j)
        return seen


def _depths(unit: list[int], links: list[tuple[int, int, int]], parts: list[Part]
            ) -> dict[int, float]:
    """For each child of a unit, the cells from its start to the end of the longest path of
    edges from it."""
    succ = _successors(unit, links)
    depth: dict[int, float] = {}
    for i in reversed(_topological(unit, succ)):
        depth[i] = parts[i].along + max((depth[j] for j in succ[i]), default=0.0)
    return depth


def _edges_by_box(bp: Blueprint) -> dict[str, list[int]]:
    """For each box, the edges (indexes, in order) with an end inside it: each box looks at
    those, not at every edge of the blueprint, so that planning grows with the edges and
    the nesting depth, not with edges times boxes."""
    touching: dict[str, list[int]] = {}
    for k, e in enumerate(bp.edges):
        boxes: set[str] = set()
        for end in (e.src, e.dst):
            parts = end.split(".")
            boxes.update(".".join(parts[:i]) for i in range(1, len(parts)))
        for box in sorted(boxes):
            touching.setdefault(box, []).append(k)
    return touching


def _components(n: int, links: list[tuple[int, int, int]]) -> list[list[int]]:
    """Children joined by edges, as groups in the order written."""
    root = list(range(n))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for a, b, _ in links:
        root[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _longest_chain(n: int, links: list[tuple[int, int, int]],
                   sizes: list[float] | None = None) -> list[int]:
    """The main flow of the top level: the chain of parts joined by the most edges (then the
    longest such chain). Weighing each step by the edges between its two parts keeps
    parts that many edges join next to one another: services that all write to one data
    box are followed by it, not by an event bus one edge passes through (whose edges to
    the data box would otherwise loop around the bus). Links are taken in order and one
    that would close a cycle is left out, so the graph stays acyclic. Of chains as good,
    the one through the largest parts (`sizes`, in cells): a user's storefront flows from
    its load balancer into the VPC that holds the shop, not into a CDN beside it (the VPC
    went to the second row and the poster stood upright, 0.84 as wide as high)."""
    size = sizes or [1.0] * n
    dag = _Acyclic(list(range(n)))
    weight: dict[tuple[int, int], int] = {}
    for a, b, _ in links:
        if dag.add(a, b):
            weight[a, b] = weight.get((a, b), 0) + 1
    succ = dag.succ
    # Iterative, successors first: a chain of thousands of parts must not recurse per step.
    # (edges, parts, cells) of the best chain from a part
    best: dict[int, tuple[int, int, float]] = {}
    after: dict[int, int | None] = {}
    for i in reversed(_topological(list(range(n)), succ)):
        best[i], after[i] = (0, 1, size[i]), None
        for j in sorted(succ[i]):  # the first of equally good tails wins
            tail = (weight[i, j] + best[j][0], best[j][1] + 1, best[j][2] + size[i])
            if tail > best[i]:
                best[i], after[i] = tail, j
    if not n:
        return []
    start = max(range(n), key=lambda i: (best[i], -i))
    chain = [start]
    while (step := after[chain[-1]]) is not None:
        chain.append(step)
    return chain


def _topological(items: list[int], succ: dict[int, set[int]]) -> list[int]:
    """The items of an acyclic graph, each before its successors."""
    indegree = dict.fromkeys(items, 0)
    for i in items:
        for j in succ[i]:
            indegree[j] += 1
    todo = [i for i in items if not indegree[i]]
    order: list[int] = []
    while todo:
        i = todo.pop()
        order.append(i)
        for j in succ[i]:
            indegree[j] -= 1
            if not indegree[j]:
                todo.append(j)
    return order


def plan_layout(bp: Blueprint, extra: list[Group] | None = None, row_order: bool = True,
                arrange: bool = True, shape: int = 0, placing: int = BY_EDGES,
                copies: Copies = (), stacked: bool = False, led: bool = False,
                heads: bool = False, leave_last: bool = False, columns: bool = False) -> Plan:
    """Rows for every box of the blueprint (and for `extra` boxes at the top level).

    `row_order=False` leaves out the invisible points that keep the top-level rows in
    order; `arrange=False` every invisible edge, and edges between rows rank as usual
    (dot's own layout). Render falls back to them when Graphviz fails (renders.fallbacks).
    `shape` asks a poster without `layout.rows` for that many rows more (or fewer, when
    negative) than the size estimate finds best, where there is such a packing.
    `placing` sets a poster of many parts by the main flow rule (BY_RULE), by its edges
    (BY_EDGES, placed_poster) or by its edges reading with the flow (WITH_FLOW): none is
    always drawn best, arrange.py draws each; FANNED sets spokes at the top level beside
    their hub (fanned), where there are any. `copies` gives the order to write
    the groups of some boxes in, where dot drew their copies out of the order written
    (arrange.py tries other orders: which one dot draws as written depends on the edges).
    `stacked` sets three zones or more one under the other, not two to a row (zones_grid:
    arrange.py draws both where the grid is too wide). `led`: in LR, the rows of a box of
    nodes are led top to bottom as written, as they always are in TB (arrange.py draws
    it, and keeps it where it draws better); `heads`: copies are led into the node each
    ranks first, not where the flow enters it (likewise drawn and kept where better);
    `leave_last`: the flow leaves a box from the last of its longest rows, not the first
    (likewise). `columns`: three zones or more alike as columns, each a column of its
    subnets (Plan.columns; likewise drawn and kept where better)."""
    return _Planner(bp, extra or [], row_order, arrange, shape, placing, copies,
                    stacked, led, heads, leave_last, columns).run()

"""Stage 3, variant: a Blueprint and one of its alternatives -> the Blueprint of that variant.

A variant is a transformation of the model, done before compilation, so the program of a
variant is as plain as any other. The rules are BLUEPRINT.md's:

- every replaced item, with all it contains, is gone; the `with` node takes the first
  replaced item's place (same parent group); when the same items are replaced in several
  sibling boxes (the app tier of AZ a and of AZ b), each box gets a copy of the `with` node
  in its first replaced item's place (model.newcomer_places);
- an edge with an end inside a replaced item now ends at the `with` node (the copy of the
  box that item was in); an edge with both ends inside one is dropped; edges that become
  identical are merged; no self-loops;
- a picked group keeps one node (its subgroups stay); an edge that ended at one of its other
  nodes ends at the picked node;
- the title says which variant it is: `Title — Label`; files are `NAME--ID.FORMAT`.
"""

from __future__ import annotations

import dataclasses

from .errors import ArchError, Pos, Problem, did_you_mean
from .model import (
    Alternative,
    Blueprint,
    Edge,
    Group,
    Layout,
    Node,
    group_and_member,
    join,
    newcomer_places,
    within,
)

SEPARATOR = "--"  # between the blueprint's output name and the variant id


def variant_ids(bp: Blueprint) -> list[str]:
    return [a.id for a in bp.alternatives]


def find_alternative(bp: Blueprint, alt_id: str) -> Alternative:
    for alt in bp.alternatives:
        if alt.id == alt_id:
            return alt
    known = ", ".join(variant_ids(bp))
    if not known:  # no line of the file is wrong: the first is as good as any
        raise ArchError.at(Pos(bp.file), f"unknown variant {alt_id!r}: the blueprint has no "
                           f"`alternatives`", "without `--variant` it draws as written")
    meant = did_you_mean(alt_id, variant_ids(bp))
    hint = f"{meant} (its variants: {known})" if meant else f"its variants: {known}"
    # At `alternatives:`, where the ids `--variant` chooses from are written.
    raise ArchError.at(bp.alternatives_at or Pos(bp.file),
                       f"unknown variant {alt_id!r}: no alternative has that id", hint)


def _moved(path: str, moves: dict[str, str]) -> str:
    for old, new in moves.items():
        if within(path, old):
            return new
    return path


class _Rebuild:
    """Rebuilds the tree without the removed items, with the `with` node (or a copy of it
    per box) in their place."""

    def __init__(self, removed: set[str], place_at: set[str], newcomer: Node | None,
                 picks: dict[str, str]) -> None:
        self.removed = removed
        self.place_at = place_at  # the first replaced item of each copy
        self.newcomer = newcomer
        self.picks = picks  # group path -> kept node path
        self.emptied: set[str] = set()  # groups that lost every node
        self.placed: dict[str, Node] = {}  # first replaced item -> the copy in its place

    def _place(self, parent: str, item: str) -> Node:
        assert self.newcomer is not None
        placed = dataclasses.replace(self.newcomer, path=join(parent, self.newcomer.id))
        self.placed[item] = placed
        return placed

    def items(self, parent: str, nodes: tuple[Node, ...], groups: tuple[Group, ...]
              ) -> tuple[tuple[Node, ...], tuple[Group, ...], tuple[str, ...]]:
        """What a box keeps, and the order of its children as written where a `with` node
        took the place of one of its boxes (Group.written; () where it did not)."""
        kept_nodes: list[Node] = []
        written: list[str] = []  # the children as written, the `with` node in its place
        for n in nodes:
            if n.path in self.place_at:
                kept_nodes.append(self._place(parent, n.path))
            elif n.path in self.removed:
                continue
            elif parent in self.picks and n.path != self.picks[parent]:
                continue
            else:
                kept_nodes.append(n)
        written += (n.path for n in kept_nodes)
        kept_groups: list[Group] = []
        slotted = False
        for g in groups:
            if g.path in self.place_at:
                kept_nodes.append(self._place(parent, g.path))
                written.append(kept_nodes[-1].path)
                slotted = True
                continue
            if g.path in self.removed:
                continue
            inner_nodes, inner_groups, inner = self.items(g.path, g.nodes, g.groups)
            if not inner_nodes and not inner_groups:
                self.emptied.add(g.path)  # its contents were replaced: so is the box
                continue
            kept_groups.append(dataclasses.replace(g, nodes=inner_nodes, groups=inner_groups,
                                                   written=inner))
            written.append(g.path)
        return tuple(kept_nodes), tuple(kept_groups), tuple(written) if slotted else ()


def apply_variant(bp: Blueprint, alt_id: str,
                  drawn: tuple[tuple[str, ...], ...] | None = None,
                  placed: bool = False, flow: tuple[str, ...] = (),
                  narrow: bool = False) -> Blueprint:
    """The blueprint as the alternative `alt_id` draws it. Its top-level rows are the
    blueprint's `layout.rows`, or `drawn`: the rows archgen made for the blueprint as
    written (`placed`: by their edges; `flow`: its main flow, read down, `narrow` so), so that the
    variant keeps its arrangement (arrange.keep_written); each part keeps its place, a
    replaced one's goes to its replacement."""
    alt = find_alternative(bp, alt_id)
    removed = set(alt.replace)
    places = newcomer_places(alt.replace) if alt.replace else []
    rebuild = _Rebuild(removed, {items[0] for items in places}, alt.with_, dict(alt.pick))
    nodes, groups, _ = rebuild.items("", bp.nodes, bp.groups)  # the top level: its rows

    # Where each end goes: into the `with` node that took its item's place (a group that
    # lost every node goes with the items it held), or onto the picked node of its group.
    moves: dict[str, str] = {}
    if rebuild.placed:
        copies = [(items, rebuild.placed[items[0]].path) for items in places]
        for items, copy in copies:
            for item in items:
                moves[item] = copy
        for group in sorted(rebuild.emptied):
            moves[group] = next((copy for items, copy in copies
                                 if any(within(item, group) for item in items)), copies[0][1])
    for group, keep in alt.pick:
        picked = bp.find(group)
        assert isinstance(picked, Group)
        for n in picked.nodes:
            if n.path != keep:
                moves[n.path] = keep

    edges: list[Edge] = []
    seen: set[tuple[str, str, str, str | None, str | None, str | None]] = set()
    for e in bp.edges:
        src, dst = _moved(e.src, moves), _moved(e.dst, moves)
        if src == dst:
            continue  # both ends inside what was replaced, or a self-loop
        key = (src, dst, e.direction, e.label, e.style, e.color)
        if key in seen:
            continue
        seen.add(key)
        edges.append(dataclasses.replace(e, src=src, dst=dst))

    top = {n.path for n in nodes} | {g.path for g in groups}
    rows = tuple(tuple(dict.fromkeys(_moved(i, moves) for i in row if _moved(i, moves) in top))
                 for row in (bp.layout.rows if drawn is None else drawn))
    flow = tuple(dict.fromkeys(_moved(i, moves) for i in flow if _moved(i, moves) in top))
    output = dataclasses.replace(bp.output, name=f"{bp.output.name}{SEPARATOR}{alt.id}")
    variant = dataclasses.replace(
        bp, title=f"{bp.title} — {alt.label}", nodes=nodes, groups=groups, edges=tuple(edges),
        alternatives=(), layout=Layout(tuple(r for r in rows if r), False,
                                       bp.layout.alternatives_label, drawn is not None,
                                       placed and drawn is not None,
                                       flow if drawn is not None else (),
                                       narrow and drawn is not None),
        output=output, variant_of=(bp, alt.id))
    _check_edges(variant, alt)
    return variant


def check_variants(bp: Blueprint) -> list[Blueprint]:
    """Apply every alternative once, so that a broken one is reported before anything is
    drawn, whichever variant is asked for; the variants, in the order written."""
    problems: list[Problem] = []
    variants = []
    for alt in bp.alternatives:
        try:
            variants.append(apply_variant(bp, alt.id))
        except ArchError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ArchError(problems)
    return variants


def _check_edges(variant: Blueprint, alt: Alternative) -> None:
    """A redirected edge may now join a group and its own member: say which alternative."""
    groups = {g.path for g in variant.walk_groups()}
    for e in variant.edges:
        joined = group_and_member(e.src, e.dst, groups)
        if joined is not None:
            outer, inner = joined
            raise ArchError.at(alt.pos, f"in variant {alt.id!r}, an edge would join group "
                                        f"{outer!r} and its own member {inner!r}",
                               "replace the group's members, or the group itself")

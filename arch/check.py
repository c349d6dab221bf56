"""Every check before drawing, for one file or many: what `archgen validate` runs, and what
`render` and `build` run before they draw (renders.py, build.py). Kept apart from them so that
`validate` imports nothing that only drawing and building need."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ArchError, Pos
from .limits import MAX_EDGES, MAX_NODES
from .record import Record, _set

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from .model import Blueprint


class Options(Record):
    """What the command line may change: formats, resolution, theme, and which variants to
    draw."""

    __slots__ = ("formats", "dpi", "variant", "all_variants", "max_nodes", "max_edges",
                 "row_order", "arrange", "theme")
    formats: tuple[str, ...]
    dpi: int | None
    variant: str | None  # one alternative's id
    all_variants: bool  # the blueprint as written and every variant
    max_nodes: int  # a larger blueprint is refused before any layout
    max_edges: int
    row_order: bool  # keep the top-level rows in order (see compile_blueprint)
    arrange: bool  # the layout's invisible edges at all
    theme: str | None  # drawn in this theme, whatever the blueprint's `theme`

    def __init__(self, formats: tuple[str, ...] = (), dpi: int | None = None,
                 variant: str | None = None, all_variants: bool = False,
                 max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES,
                 row_order: bool = True, arrange: bool = True,
                 theme: str | None = None) -> None:
        _set(self, "formats", formats)
        _set(self, "dpi", dpi)
        _set(self, "variant", variant)
        _set(self, "all_variants", all_variants)
        _set(self, "max_nodes", max_nodes)
        _set(self, "max_edges", max_edges)
        _set(self, "row_order", row_order)
        _set(self, "arrange", arrange)
        _set(self, "theme", theme)


def check(path: str, options: Options = Options()) -> Blueprint:
    """Every check a render makes before drawing (`validate` makes the same): load and
    validate the blueprint and every alternative, the size limits, icons named like an
    output file; the blueprint with the options applied."""
    import dataclasses  # the model's classes (Options is not one: record.py)

    from .validate import load_blueprint
    from .variants import check_variants

    bp = load_blueprint(path, max_edges=options.max_edges)  # edges: counted as it checks
    nodes = bp.counts()[0]
    if nodes > options.max_nodes:
        raise ArchError.at(Pos(bp.file), f"the blueprint has {nodes} nodes, more than the "
                                         f"limit of {options.max_nodes}",
                           "--max-nodes N raises the limit (layout time grows quickly)")
    output = bp.output
    if options.formats:
        output = dataclasses.replace(output, formats=options.formats)
    if options.dpi is not None:
        output = dataclasses.replace(output, dpi=options.dpi)
    bp = dataclasses.replace(bp, output=output, theme=options.theme or bp.theme)
    variants = check_variants(bp)
    outputs = {name for b in (bp, *variants) for name in b.output.file_names()}
    for n in bp.custom_icon_nodes():
        if n.icon in outputs:  # the program writes its picture where it reads the icon
            raise ArchError.at(n.pos, f"icon {n.icon!r} has the name of an output file",
                               "rename the icon, or set `output.name`")
    return bp


def chosen(bp: Blueprint, options: Options) -> list[Blueprint]:
    """The blueprints to draw: as written, one variant, or both the blueprint and all."""
    from .variants import apply_variant, variant_ids

    if options.all_variants:
        return [bp] + [apply_variant(bp, alt_id) for alt_id in variant_ids(bp)]
    if options.variant is not None:
        return [apply_variant(bp, options.variant)]
    return [bp]


def check_files(paths: Sequence[str], options: Options = Options()
                ) -> list[tuple[str, list[Blueprint] | ArchError]]:
    """`check` for many files, with the blueprints each one draws, in the order of `paths`;
    a file that would write the same files as an earlier one is an error."""
    result: list[tuple[str, list[Blueprint] | ArchError]] = []
    stems: dict[str, str] = {}
    for path in paths:
        try:
            drawn = chosen(check(path, options), options)
        except ArchError as exc:
            result.append((path, exc))
            continue
        clash = claim(path, [bp.output.name for bp in drawn], stems)
        result.append((path, drawn if clash is None else clash))
    return result


def claim(path: str, names: Sequence[str], stems: dict[str, str]) -> ArchError | None:
    """The files named `names` (output.name) for `path`, unless an earlier file of the same
    command writes one of them (the second would silently win): that is the error.
    `stems`: the names claimed so far, and by which file."""
    clash = next((name for name in names if name in stems), None)
    if clash is not None:
        return ArchError.at(None, f"{path}: writes {clash}.* like {stems[clash]}",
                            "give one of them another `output.name`")
    stems.update((name, path) for name in names)
    return None

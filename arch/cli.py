"""The `archgen` command: parse options, call the library, print. No logic of its own."""

from __future__ import annotations

import atexit
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__, lifecycle
from .check import Options, check_files
from .errors import ArchError, Problem, format_problem, quote
from .lifecycle import DEFAULT_TIMEOUT
from .model import MAX_EDGES, MAX_NODES
from .progress import Progress

if TYPE_CHECKING:
    from .build import Shard
    from .render import Rendered

# Each command imports what it needs when it runs: the catalog (and so diagrams) only where
# a blueprint is read, build.py only for render, build and compile (`validate` stays light).


def _report(exc: ArchError) -> None:
    for problem in exc.problems:
        click.echo(format_problem(problem), err=True)


def _notes(path: str, rendered: Rendered, verbose: bool) -> None:
    for note in rendered.notes:
        click.echo(f"{path}: note: {note}", err=True)
    if rendered.warnings and verbose:
        for line in rendered.warnings:
            click.echo(f"{path}: graphviz: {line}", err=True)
    elif rendered.warnings:
        n = len(rendered.warnings)
        click.echo(f"{path}: note: Graphviz printed {n} warning line{'s' * (n != 1)}; "
                   f"--verbose shows them", err=True)


_EXIT_FROZEN = False


@contextlib.contextmanager
def collect_less() -> Iterator[None]:
    """The garbage collector for a short command. What archgen builds lives until it is done,
    so the collector's passes over it, and over every module imported, are wasted, and they
    grow faster than the blueprint (2,000 nodes took up to twice as long with them). While a
    command runs: what exists is frozen out of the passes, and they come 30 times rarer. And
    the last pass over everything, as the process ends, is skipped: the end of the process
    frees that memory anyway (archgen closes its files itself), and it took about 20 ms of
    every run."""
    global _EXIT_FROZEN
    if not _EXIT_FROZEN:
        atexit.register(gc.freeze)
        _EXIT_FROZEN = True
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(20_000, threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


class _Group(click.Group):
    """Turns an ArchError from any command into positioned lines on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with lifecycle.stop_signals(), collect_less():
                return super().invoke(ctx)
        except ArchError as exc:
            _report(exc)
            ctx.exit(1)
        except lifecycle.TimedOut as exc:
            click.echo(format_problem(exc.problem()), err=True)
            ctx.exit(1)


def _formats(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
             ) -> tuple[str, ...]:
    """`-f png -f svg` and `-f png,svg` alike; each checked against the known formats."""
    if not value:
        return ()
    from .model import FORMATS

    result: list[str] = []
    for item in value:
        for fmt in item.split(","):
            fmt = fmt.strip().lower()
            if not fmt:
                continue
            if fmt not in FORMATS:
                raise click.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}")
            if fmt not in result:
                result.append(fmt)
    return tuple(result)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archgen")
def main() -> None:
    """Turn YAML blueprints of cloud architectures into diagrams.

    \b
    Example:
      archgen render blueprints/*.yaml -o output/
    """


@main.command()
@click.argument("blueprints", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="Folder to write the files into.")
@click.option("-f", "--format", "formats", multiple=True, callback=_formats,
              help="png, svg, pdf, jpg or dot; repeat or separate with commas. "
                   "Default: the blueprint's output.formats, else png and svg.")
@click.option("--dpi", type=click.IntRange(10, 1200), default=None,
              help="Resolution of PNG and JPG files (default: output.dpi, else 96).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Renders to run at once (default: one per CPU).")
@click.option("--variant", default=None, metavar="ID",
              help="Draw this alternative's variant instead of the blueprint as written.")
@click.option("--all-variants", is_flag=True,
              help="Draw the blueprint as written and every variant (NAME--ID.FORMAT).")
@click.option("-v", "--verbose", is_flag=True, help="Show Graphviz's warnings in full.")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds the whole command may take, checking and rendering.")
@click.option("--max-nodes", type=click.IntRange(1), default=MAX_NODES, show_default=True,
              help="Refuse a blueprint with more nodes than this.")
@click.option("--max-edges", type=click.IntRange(1), default=MAX_EDGES, show_default=True,
              help="Refuse a blueprint with more edges than this.")
def render(blueprints: tuple[str, ...], out_dir: str, formats: tuple[str, ...],
           dpi: int | None, jobs: int | None, variant: str | None, all_variants: bool,
           verbose: bool, timeout: float, max_nodes: int, max_edges: int) -> None:
    """Render each BLUEPRINT into the output folder, one file per format.

    Files are named after the blueprint's output.name, else its file stem; a variant's
    files are NAME--ID.FORMAT.

    \b
    Example:
      archgen render blueprints/aws-web-app.yaml -o docs/img -f png,svg --dpi 144
      archgen render blueprints/*.yaml --all-variants
    """
    if variant is not None and all_variants:
        raise click.UsageError("--variant and --all-variants cannot be used together")
    from .build import render_files

    options = Options(formats, dpi, variant, all_variants, max_nodes, max_edges)
    with lifecycle.deadline(timeout):
        outcomes = render_files(list(dict.fromkeys(blueprints)), out_dir, options, jobs,
                                timeout)
    failed = False
    for outcome in outcomes:
        for type_note in outcome.notes:
            click.echo(format_problem(type_note, "note"), err=True)
        for rendered in outcome.rendered:
            names = ", ".join(str(p) for p in rendered.files)
            click.echo(f"rendered {outcome.path} -> {names}")
            _notes(outcome.path, rendered, verbose)
        if outcome.error is not None:
            failed = True
            _report(outcome.error)
    if failed:
        sys.exit(1)


class _Lines(Progress):
    """Not a terminal (a CI log): one line per file drawn or removed; errors as they come."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose

    def built(self, blueprint: str, variant: str | None, rendered: Rendered) -> None:
        names = ", ".join(str(p) for p in rendered.files)
        click.echo(f"built {blueprint}{f' ({variant})' if variant else ''} -> {names}")
        _notes(blueprint, rendered, self.verbose)

    def removed(self, path: Path) -> None:
        click.echo(f"removed {path}")

    def failed(self, error: ArchError) -> None:
        _report(error)

    def noted(self, notes: Sequence[Problem]) -> None:
        for note in notes:
            click.echo(format_problem(note, "note"), err=True)


class _Quiet(Progress):
    def failed(self, error: ArchError) -> None:
        _report(error)


class _Bar(_Lines):
    """On a terminal: a progress bar while diagrams are drawn; the rest once it is done."""

    def __init__(self, verbose: bool) -> None:
        super().__init__(verbose)
        self.bar: Any = None
        self.later: list[tuple[str, Any]] = []

    def start(self, total: int) -> None:
        if total:
            self.bar = click.progressbar(length=total, label="drawing", file=sys.stderr,
                                         show_pos=True)
            self.bar.__enter__()

    def built(self, blueprint: str, variant: str | None, rendered: Rendered) -> None:
        self.later.append(("built", (blueprint, variant, rendered)))
        if self.bar is not None:
            self.bar.update(1, f"{blueprint}{f' ({variant})' if variant else ''}")

    def failed(self, error: ArchError) -> None:
        self.later.append(("failed", error))
        if self.bar is not None:
            self.bar.update(1)

    def noted(self, notes: Sequence[Problem]) -> None:
        self.later.append(("noted", notes))

    def removed(self, path: Path) -> None:
        self.later.append(("removed", path))

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        for kind, item in self.later:
            if kind == "built":
                super().built(*item)
            elif kind == "noted":
                super().noted(item)
            elif kind == "removed":
                super().removed(item)
            else:
                super().failed(item)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    if value is None:
        return None
    from .build import Shard

    k, _, n = value.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise click.BadParameter(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/3")
    return Shard(int(k), int(n))


@main.command(name="build")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False), help="The folder to build into.")
@click.option("-f", "--format", "formats", multiple=True, callback=_formats,
              help="Instead of each blueprint's output.formats: png, svg, pdf, jpg or dot; "
                   "repeat or separate with commas.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Renders to run at once (default: one per CPU).")
@click.option("--force", is_flag=True, help="Draw everything again, changed or not.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show Graphviz's warnings in full.")
@click.option("--shard", callback=_shard, metavar="K/N",
              help="Build share K of N (a CI matrix); join the shares with --merge.")
@click.option("--merge", "merging", is_flag=True,
              help="PATHS are the folders of shards: join them into the output folder.")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=DEFAULT_TIMEOUT,
              show_default=True,
              help="Seconds checking one blueprint, and drawing one diagram, may each take.")
def build_(paths: tuple[str, ...], out_dir: str, formats: tuple[str, ...], jobs: int | None,
           force: bool, quiet: bool, verbose: bool, shard: Shard | None, merging: bool,
           timeout: float) -> None:
    """Build every blueprint under PATHS (default: blueprints/) into the output folder.

    Every variant, every format; only what changed since the last build is drawn again, and
    files that no blueprint makes any more are removed (only those an earlier build made).
    The folder gets manifest.json (each file, its size, sha256 and pixel size, the versions)
    and index.html (a gallery of every diagram).

    \b
    Example:
      archgen build                         # blueprints/ -> output/
      archgen build docs/arch -o site/diagrams -f svg
      archgen build --shard 2/3 -o shard-2  # on each CI machine, then:
      archgen build --merge shard-1 shard-2 shard-3 -o output
    """
    from .build import BuildOptions, build, merge

    progress = _Quiet() if quiet else _Bar(verbose) if sys.stderr.isatty() else _Lines(verbose)
    if merging:
        if formats or force or shard is not None:
            raise click.UsageError("--merge joins built folders: -f, --force and --shard "
                                   "belong to the builds of the shards")
        report = merge(paths, out_dir, progress)
        verb = "copied"
    else:
        options = BuildOptions(formats, jobs, force, shard, timeout)
        try:
            report = build(paths or ("blueprints",), out_dir, options, progress)
        finally:
            if isinstance(progress, _Bar):
                progress.finish()
        verb = "built"
    if not quiet:
        click.echo(report.summary(verb))
    if report.failed:
        sys.exit(1)


@main.command(name="compile")
@click.argument("blueprint", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False), default=None,
              help="Write the program to this file instead of printing it.")
@click.option("--variant", default=None, metavar="ID", help="The program of this variant.")
@click.option("--no-row-order", is_flag=True,
              help="Leave out the points that keep the top-level rows in order (what render "
                   "falls back to when Graphviz cannot route them).")
@click.option("--no-layout", is_flag=True,
              help="Leave out every invisible edge of the layout (render's last fallback).")
@click.option("--timeout", type=click.FloatRange(1, 86400), default=DEFAULT_TIMEOUT,
              show_default=True,
              help="Seconds checking the blueprint and choosing its arrangement may take.")
def compile_(blueprint: str, out_file: str | None, variant: str | None,
             no_row_order: bool, no_layout: bool, timeout: float) -> None:
    """Print the mingrammer/diagrams program for BLUEPRINT.

    Running it with plain `python` renders the same diagram: it is exactly the code that
    `archgen render` runs.

    \b
    Example:
      archgen compile blueprints/aws-web-app.yaml -o aws_web_app.py
    """
    from .build import prepare

    options = Options(variant=variant, row_order=not no_row_order, arrange=not no_layout)
    with lifecycle.deadline(timeout):  # the arrangement's search draws with dot
        [(bp, source)] = prepare(blueprint, options)
    for note in bp.notes:
        click.echo(format_problem(note, "note"), err=True)
    if out_file is None:
        click.echo(source, nl=False)
        return
    target = Path(out_file)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(source, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ArchError.at(None, f"cannot write {out_file}: {exc.strerror}") from None
    click.echo(f"wrote {out_file}")


@main.command()
@click.argument("blueprints", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--variant", default=None, metavar="ID", help="Check and count this variant.")
@click.option("-f", "--format", "formats", multiple=True, callback=_formats,
              help="The formats render would write (an icon may not take their names).")
@click.option("--max-nodes", type=click.IntRange(1), default=MAX_NODES, show_default=True,
              help="Refuse a blueprint with more nodes than this.")
@click.option("--max-edges", type=click.IntRange(1), default=MAX_EDGES, show_default=True,
              help="Refuse a blueprint with more edges than this.")
def validate(blueprints: tuple[str, ...], variant: str | None, formats: tuple[str, ...],
             max_nodes: int, max_edges: int) -> None:
    """Check each BLUEPRINT (and all its alternatives) without drawing anything.

    It makes every check `render` makes before drawing, with the same options.

    \b
    Example:
      archgen validate blueprints/*.yaml
    """
    options = Options(formats=formats, variant=variant, max_nodes=max_nodes,
                      max_edges=max_edges)
    failed = False
    for _, checked in check_files(list(dict.fromkeys(blueprints)), options):
        if isinstance(checked, ArchError):
            _report(checked)
            failed = True
            continue
        for note in checked[0].notes if checked else ():
            click.echo(format_problem(note, "note"), err=True)
        for bp in checked:
            nodes, groups, edges = bp.counts()
            click.echo(f"OK {bp.output.name} ({nodes} nodes, {groups} groups, {edges} edges)")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("query", required=False, default="")
@click.option("--provider", "-p", default=None,
              help="As in a blueprint with this provider (aws, gcp, k8s, ...): first what "
                   "`type: QUERY` is there, then this provider's matches.")
@click.option("--limit", "-n", type=click.IntRange(1), default=50, show_default=True,
              help="Show at most this many.")
def nodes(query: str, provider: str | None, limit: int) -> None:
    """Search the node catalog by name, display name or common alias.

    Prints the qualified type, its label and the other names it answers to.

    \b
    Example:
      archgen nodes "load balancer" --provider aws
    """
    from .catalog import LookupFailed, load_catalog

    catalog = load_catalog()
    if provider is not None and provider not in catalog.providers:
        raise click.BadParameter(f"unknown provider {provider!r}; providers: "
                                 f"{', '.join(catalog.providers)}", param_hint="--provider")
    found = catalog.search(query, provider)
    if query.strip():
        try:  # the list starts with what `type: QUERY` is; say when that is not plain
            resolved = catalog.resolve(query, [provider] if provider else [])
            if resolved.note:
                click.echo(f"note: as a type, {resolved.note}", err=True)
        except LookupFailed as exc:
            if found:  # `type:` would refuse every line below
                hint = f" ({exc.hint})" if exc.candidates and exc.hint else ""
                click.echo(f"note: as a type, {exc.message}{hint}", err=True)
    if not found:
        click.echo(f"no node type matches {quote(query)}", err=True)
        sys.exit(1)
    for t in found[:limit]:
        # The name people write (ELB, DocumentDB), the label a node gets, then the others.
        short, label = t.short, catalog.label(t)
        others = [n for n in dict.fromkeys([*t.aliases, *t.names]) if n not in (short, label)]
        line = f"{t.qualified(short):<52} {label}"
        if others:
            line += f"  (also: {', '.join(others)})"
        click.echo(line.rstrip())
    if len(found) > limit:
        click.echo(f"... and {len(found) - limit} more (use --limit)", err=True)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the blueprint format.

    \b
    Example:
      archgen schema > schema/blueprint.schema.json
    """
    from .schema import schema_text

    click.echo(schema_text(), nl=False)

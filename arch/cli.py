"""The `archgen` command: parse options, call the library, print. No logic of its own.

The options are parsed with the standard library's argparse: importing Click took about
6 ms of every command, a tenth of `archgen validate` (Click draws only the progress bar of
`archgen build` on a terminal).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from . import __version__, lifecycle
from .check import Options, check_files
from .errors import ArchError, Problem, format_problem, quote
from .lifecycle import DEFAULT_TIMEOUT
from .limits import MAX_EDGES, MAX_NODES, THEMES, same_but_case
from .progress import Progress

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from typing import Any, NoReturn, TypeVar

    from .build import Shard
    from .render import Rendered

# Each command imports what it needs when it runs: the catalog (and so diagrams) only where
# a blueprint is read, renders.py only for render and compile, build.py for build.


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _report(exc: ArchError) -> None:
    for problem in exc.problems:
        _say(format_problem(problem))


def _notes(path: str, rendered: Rendered, verbose: bool) -> None:
    for note in rendered.notes:
        _say(f"{path}: note: {note}")
    if rendered.warnings and verbose:
        for line in rendered.warnings:
            _say(f"{path}: graphviz: {line}")
    elif rendered.warnings:
        n = len(rendered.warnings)
        _say(f"{path}: note: Graphviz printed {n} warning line{'s' * (n != 1)}; "
             f"--verbose shows them")


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



# -- parsing ----------------------------------------------------------------------------------


class UsageError(Exception):
    """Options that cannot go together, or a value found bad only once the command runs:
    said as a parse error is (exit 2)."""


class _Unparsed(Exception):
    """A trial parse failed (nothing was said)."""


class _Parser(argparse.ArgumentParser):
    """A usage error is said as archgen has always said it: the usage line, where the help
    is, the error; exit 2."""

    trial = False  # a failed parse raises _Unparsed instead of saying so

    def __init__(self, **kwargs: Any) -> None:
        # an option is written whole, as with Click: `--all` is no `--all-variants`, which
        # an option added later could not make ambiguous in a user's script
        super().__init__(allow_abbrev=False, **kwargs)

    def error(self, message: str) -> NoReturn:
        if self.trial:
            raise _Unparsed(message)
        self.print_usage(sys.stderr)
        self.exit(2, f"Try '{self.prog} --help' for help.\n\nError: {message}\n")


class _Help(argparse.RawDescriptionHelpFormatter):
    """argparse's help (examples kept as written), as wide as the terminal: looked up here
    because argparse imports shutil for it, and makes a formatter for every option it is
    given, which took about 2 ms of every command."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                columns = os.get_terminal_size().columns  # of standard output
            except OSError:
                columns = 80
        super().__init__(prog, width=max(columns - 2, 20))


if TYPE_CHECKING:
    _Number = TypeVar("_Number", int, float)


def _in_range(kind: type[_Number], low: _Number, high: _Number | None = None
              ) -> Callable[[str], _Number]:
    """A whole or decimal number from low to high (both included)."""
    def parse(text: str) -> _Number:
        try:
            value = kind(text)
        except ValueError:
            what = "integer" if kind is int else "float"
            raise argparse.ArgumentTypeError(f"{text!r} is not a valid {what}.") from None
        if not (low <= value and (high is None or value <= high)):  # nan is in no range
            bounds = f"{low}<=x<={high}" if high is not None else f"x>={low}"
            raise argparse.ArgumentTypeError(f"{value} is not in the range {bounds}.")
        return value
    return parse


def _blueprint(text: str) -> str:
    """A blueprint to read: no name is refused before anything runs. A folder is said where
    a blueprint is read (load_file), as bad input with a hint: `build` takes folders."""
    if not text:
        raise argparse.ArgumentTypeError("File '' has no name.")
    return text


def _file(text: str) -> str:
    """A file to write: a folder, or no name, is refused before anything runs."""
    _blueprint(text)
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"File {text!r} is a directory.")
    return text


def _folder(text: str) -> str:
    if os.path.exists(text) and not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"Directory {text!r} is a file.")
    return text


def _theme(text: str) -> str:
    return same_but_case(text, THEMES) or text  # argparse refuses what is no theme


def _format_list(text: str) -> list[str]:
    """One `-f`: `png` or `png,svg`; each checked against the known formats."""
    from .limits import FORMATS

    result = [same_but_case(fmt.strip(), FORMATS) or fmt.strip()
              for fmt in text.split(",") if fmt.strip()]
    for fmt in result:
        if fmt not in FORMATS:
            raise argparse.ArgumentTypeError(f"{fmt!r} is not one of {', '.join(FORMATS)}")
    return result


def _formats(values: list[list[str]] | None) -> tuple[str, ...]:
    """`-f png -f svg` and `-f png,svg` alike, in the order given, each once."""
    return tuple(dict.fromkeys(fmt for value in values or () for fmt in value))


def _shard(value: str) -> Shard:
    from .build import Shard

    k, _, n = value.partition("/")
    if not (k.isdecimal() and n.isdecimal() and 1 <= int(k) <= int(n)):  # '²' is a digit
        raise argparse.ArgumentTypeError(f"{value!r} is not K/N with 1 <= K <= N, e.g. 2/3")
    return Shard(int(k), int(n))


_TIMEOUT = _in_range(float, 1.0, 86400.0)
_JOBS = _in_range(int, 1, 64)
_AT_LEAST_ONE = _in_range(int, 1)


def _add_formats(p: _Parser, help: str) -> None:
    p.add_argument("-f", "--format", dest="formats", action="append", type=_format_list,
                   metavar="FORMATS", help=help)


def _add_limits(p: _Parser) -> None:
    p.add_argument("--max-nodes", type=_AT_LEAST_ONE, default=MAX_NODES, metavar="N",
                   help="Refuse a blueprint with more nodes than this (default: %(default)s).")
    p.add_argument("--max-edges", type=_AT_LEAST_ONE, default=MAX_EDGES, metavar="N",
                   help="Refuse a blueprint with more edges than this (default: %(default)s).")


def _add_theme(p: _Parser) -> None:
    p.add_argument("--theme", choices=THEMES, default=None, type=_theme,
                   help="Draw in this theme instead of the blueprint's `theme` (the files keep "
                        "their names: give the other theme its own -o folder).")


def _add_jobs(p: _Parser) -> None:
    p.add_argument("-j", "--jobs", type=_JOBS, default=None, metavar="N",
                   help="Renders to run at once, 1 to 64 (default: one per CPU).")


# -- the commands -----------------------------------------------------------------------------


def render(blueprints: list[str], out_dir: str, formats: tuple[str, ...], dpi: int | None,
           jobs: int | None, variant: str | None, all_variants: bool, verbose: bool,
           timeout: float, max_nodes: int, max_edges: int, theme: str | None) -> int:
    """Render each BLUEPRINT into the output folder, one file per format.

    Files are named after the blueprint's output.name, else its file stem; a variant's
    files are NAME--ID.FORMAT.

    Example:
      archgen render blueprints/aws-web-app.yaml -o docs/img -f png,svg --dpi 144
      archgen render blueprints/*.yaml --all-variants
      archgen render blueprints/aws-web-app.yaml --theme dark -o output/dark
    """
    if variant is not None and all_variants:
        raise UsageError("--variant and --all-variants cannot be used together")
    from .renders import render_files

    options = Options(formats, dpi, variant, all_variants, max_nodes, max_edges,
                      theme=theme)
    with lifecycle.deadline(timeout):
        outcomes = render_files(list(dict.fromkeys(blueprints)), out_dir, options, jobs,
                                timeout, remembering=True)
    failed = False
    for outcome in outcomes:
        for type_note in outcome.notes:
            _say(format_problem(type_note, "note"))
        for rendered in outcome.rendered:
            names = ", ".join(str(p) for p in rendered.files)
            print(f"rendered {outcome.path} -> {names}")
            _notes(outcome.path, rendered, verbose)
        if outcome.error is not None:
            failed = True
            _report(outcome.error)
    return 1 if failed else 0


def _render_options(p: _Parser) -> None:
    p.add_argument("blueprints", nargs="+", type=_blueprint, metavar="BLUEPRINT")
    p.add_argument("-o", "--output", dest="out_dir", default="output", type=_folder,
                   metavar="FOLDER",
                   help="Folder to write the files into (default: %(default)s).")
    _add_formats(p, "png, svg, pdf, jpg or dot; repeat or separate with commas. Default: "
                    "the blueprint's output.formats, else png and svg.")
    p.add_argument("--dpi", type=_in_range(int, 10, 1200), default=None, metavar="DPI",
                   help="Resolution of PNG and JPG files, 10 to 1200 (default: output.dpi, "
                        "else 96).")
    _add_jobs(p)
    p.add_argument("--variant", default=None, metavar="ID",
                   help="Draw this alternative's variant instead of the blueprint as written.")
    p.add_argument("--all-variants", action="store_true",
                   help="Draw the blueprint as written and every variant (NAME--ID.FORMAT).")
    _add_theme(p)
    p.add_argument("-v", "--verbose", action="store_true",
                   help="Show Graphviz's warnings in full.")
    p.add_argument("--timeout", type=_TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="Seconds the whole command may take, checking and rendering "
                        "(default: %(default)s).")
    _add_limits(p)


class _Lines(Progress):
    """Not a terminal (a CI log): one line per file drawn or removed; errors as they come."""

    def __init__(self, verbose: bool) -> None:
        self.verbose = verbose

    def built(self, blueprint: str, variant: str | None, rendered: Rendered) -> None:
        names = ", ".join(str(p) for p in rendered.files)
        print(f"built {blueprint}{f' ({variant})' if variant else ''} -> {names}")
        _notes(blueprint, rendered, self.verbose)

    def removed(self, path: Path) -> None:
        print(f"removed {path}")

    def failed(self, error: ArchError) -> None:
        _report(error)

    def noted(self, notes: Sequence[Problem]) -> None:
        for note in notes:
            _say(format_problem(note, "note"))


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
            import click  # only here: importing it took 6 ms of every command

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


def build_(paths: list[str], out_dir: str, formats: tuple[str, ...], jobs: int | None,
           force: bool, quiet: bool, verbose: bool, shard: Shard | None, merging: bool,
           timeout: float) -> int:
    """Build every blueprint under PATHS (default: blueprints/) into the output folder.

    Every variant, every format; only what changed since the last build is drawn again, and
    files that no blueprint makes any more are removed (only those an earlier build made).
    The folder gets manifest.json (each file, its size, sha256 and pixel size, the versions)
    and index.html (a gallery of every diagram).

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
            raise UsageError("--merge joins built folders: -f, --force and --shard "
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
        print(report.summary(verb))
    return 1 if report.failed else 0


def _build_options(p: _Parser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATHS")
    p.add_argument("-o", "--output", dest="out_dir", default="output", type=_folder,
                   metavar="FOLDER", help="The folder to build into (default: %(default)s).")
    _add_formats(p, "Instead of each blueprint's output.formats: png, svg, pdf, jpg or dot; "
                    "repeat or separate with commas.")
    _add_jobs(p)
    p.add_argument("--force", action="store_true", help="Draw everything again, changed or not.")
    p.add_argument("-q", "--quiet", action="store_true", help="Print nothing but errors.")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="Show Graphviz's warnings in full.")
    p.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                   help="Build share K of N (a CI matrix); join the shares with --merge.")
    p.add_argument("--merge", dest="merging", action="store_true",
                   help="PATHS are the folders of shards: join them into the output folder.")
    p.add_argument("--timeout", type=_TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="Seconds checking one blueprint, and drawing one diagram, may each "
                        "take (default: %(default)s).")


def compile_(blueprint: str, out_file: str | None, variant: str | None, no_row_order: bool,
             no_layout: bool, timeout: float, theme: str | None) -> int:
    """Print the mingrammer/diagrams program for BLUEPRINT.

    Running it with plain `python` renders the same diagram: it is exactly the code that
    `archgen render` runs.

    Example:
      archgen compile blueprints/aws-web-app.yaml -o aws_web_app.py
    """
    from .renders import prepare

    options = Options(variant=variant, row_order=not no_row_order, arrange=not no_layout,
                      theme=theme)
    with lifecycle.deadline(timeout):  # the arrangement's search draws with dot
        [(bp, source)] = prepare(blueprint, options)
    for note in bp.notes:
        _say(format_problem(note, "note"))
    if out_file is None:
        print(source, end="")  # nothing where standard output is closed, as Click
        return 0
    target = Path(out_file)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        if target.exists() and not target.is_file():
            # A device or a pipe (-o /dev/stdout, /dev/null) is written to: replaced by a
            # file, /dev/null was a regular file afterwards, where archgen could write /dev.
            with target.open("w", encoding="utf-8") as stream:
                stream.write(source)
        else:
            tmp.write_text(source, encoding="utf-8")
            tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ArchError.at(None, f"cannot write {out_file}: {exc.strerror}") from None
    print(f"wrote {out_file}")
    return 0


def _compile_options(p: _Parser) -> None:
    p.add_argument("blueprint", type=_blueprint, metavar="BLUEPRINT")
    p.add_argument("-o", "--output", dest="out_file", type=_file, default=None, metavar="FILE",
                   help="Write the program to this file instead of printing it.")
    p.add_argument("--variant", default=None, metavar="ID", help="The program of this variant.")
    _add_theme(p)
    p.add_argument("--no-row-order", action="store_true",
                   help="Leave out the points that keep the top-level rows in order (what "
                        "render falls back to when Graphviz cannot route them).")
    p.add_argument("--no-layout", action="store_true",
                   help="Leave out every invisible edge of the layout (render's last "
                        "fallback).")
    p.add_argument("--timeout", type=_TIMEOUT, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="Seconds checking the blueprint and choosing its arrangement may take "
                        "(default: %(default)s).")


def validate(blueprints: list[str], variant: str | None, formats: tuple[str, ...],
             max_nodes: int, max_edges: int) -> int:
    """Check each BLUEPRINT (and all its alternatives) without drawing anything.

    It makes every check `render` makes before drawing, with the same options.

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
            _say(format_problem(note, "note"))
        for bp in checked:
            nodes, groups, edges = bp.counts()
            print(f"OK {bp.output.name} ({nodes} nodes, {groups} groups, {edges} edges)")
    return 1 if failed else 0


def _validate_options(p: _Parser) -> None:
    p.add_argument("blueprints", nargs="+", type=_blueprint, metavar="BLUEPRINT")
    p.add_argument("--variant", default=None, metavar="ID",
                   help="Check and count this variant.")
    _add_formats(p, "The formats render would write (an icon may not take their names).")
    _add_limits(p)


def nodes(query: str, provider: str | None, limit: int) -> int:
    """Search the node catalog by name, display name or common alias.

    Prints the qualified type, its label and the other names it answers to.

    Example:
      archgen nodes "load balancer" --provider aws
    """
    from .catalog import LookupFailed, load_catalog

    catalog = load_catalog()
    if provider is not None:
        provider = same_but_case(provider, catalog.providers) or provider
    if provider is not None and provider not in catalog.providers:
        raise UsageError(f"argument --provider/-p: unknown provider {provider!r}; providers: "
                         f"{', '.join(catalog.providers)}")
    found = catalog.search(query, provider)
    resolved = None
    missed: LookupFailed | None = None
    if query.strip():
        try:  # the list starts with what `type: QUERY` is; say when that is not plain
            resolved = catalog.resolve(query, [provider] if provider else [])
            if resolved.note:
                _say(f"note: as a type, {resolved.note}")
                if resolved.note_hint:
                    _say(f"  hint: {resolved.note_hint}")
        except LookupFailed as exc:
            missed = exc
            if found:  # `type:` would refuse every line below
                hint = f" ({exc.hint})" if exc.candidates and exc.hint else ""
                _say(f"note: as a type, {exc.message}{hint}")
    if not found:
        _say(missed.message if missed is not None and missed.product
             else f"no node type matches {quote(query)}")
        # what validate suggests for `type: QUERY`, unless it is to run `archgen nodes`
        if missed is not None and missed.hint and not missed.nothing_near:
            _say(f"  hint: {missed.hint}")
        return 1
    for t in found[:limit]:
        # The name people write (ELB, DocumentDB), the label a node gets, then the others.
        short, label = t.short, catalog.label(t)
        if resolved is not None and catalog.by_qualified[resolved.qualname][0] is t:
            label = resolved.label  # what `type: QUERY` is labelled: `Aurora PostgreSQL`
        others = [n for n in dict.fromkeys([*t.aliases, *t.names]) if n not in (short, label)]
        line = f"{t.qualified(short):<52} {label}"
        if others:
            line += f"  (also: {', '.join(others)})"
        print(line.rstrip())
    if len(found) > limit:
        _say(f"... and {len(found) - limit} more (use --limit)")
    return 0


def _nodes_options(p: _Parser) -> None:
    p.add_argument("query", nargs="?", default="", metavar="QUERY")
    p.add_argument("--provider", "-p", default=None, metavar="PROVIDER",
                   help="As in a blueprint with this provider (aws, gcp, k8s, ...): first what "
                        "`type: QUERY` is there, then this provider's matches.")
    p.add_argument("--limit", "-n", type=_AT_LEAST_ONE, default=50, metavar="N",
                   help="Show at most this many (default: %(default)s).")


def schema() -> int:
    """Print the JSON Schema of the blueprint format.

    Example:
      archgen schema > schema/blueprint.schema.json
    """
    from .schema import schema_text

    print(schema_text(), end="")
    return 0


def _no_options(p: _Parser) -> None:
    pass


# name -> (what runs, its options); `archgen --help` lists them in this order
_COMMANDS: dict[str, tuple[Callable[..., int], Callable[[_Parser], None]]] = {
    "build": (build_, _build_options),
    "compile": (compile_, _compile_options),
    "nodes": (nodes, _nodes_options),
    "render": (render, _render_options),
    "schema": (schema, _no_options),
    "validate": (validate, _validate_options),
}

_ABOUT = """Turn YAML blueprints of cloud architectures into diagrams.

Example:
  archgen render blueprints/*.yaml -o output/
"""


def _parser(name: str | None) -> _Parser:
    """The parser of one command (only the command run is set up), or of `archgen`."""
    if name is None:
        commands = "\n".join(f"  {n:<9} {(fn.__doc__ or '').splitlines()[0]}"
                             for n, (fn, _) in _COMMANDS.items())
        top = _Parser(prog="archgen", usage="archgen [-h] [--version] COMMAND [ARGS]...",
                      description=_ABOUT, epilog=f"commands:\n{commands}",
                      formatter_class=_Help)
        top.add_argument("--version", action="version",
                         version=f"%(prog)s, version {__version__}")
        return top
    run, add_options = _COMMANDS[name]
    about = (run.__doc__ or "").replace("\n    ", "\n")  # the docstring, unindented
    parser = _Parser(prog=f"archgen {name}", description=about, formatter_class=_Help)
    add_options(parser)
    return parser


def _parse(parser: _Parser, args: list[str]) -> argparse.Namespace:
    """Blueprints may come after options too (`render a.yaml -f svg b.yaml`), and after `--`
    everything is a blueprint or query. argparse (3.11) gets `--` right either without
    intermixing (`-f svg -- -a.yaml`) or intermixed when a file comes before it
    (`a.yaml -f svg -- -b.yaml`), never both: the first is tried, then the second."""
    if "--" not in args:
        return parser.parse_intermixed_args(args)
    parser.trial = True
    try:
        return parser.parse_args(args)
    except _Unparsed:
        pass
    finally:
        parser.trial = False
    return parser.parse_intermixed_args(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `archgen ARGS`: the exit status. --help, --version and a usage error exit
    (SystemExit) as they are parsed."""
    args = list(sys.argv[1:] if argv is None else argv)
    at = next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args))
    top = _parser(None)
    top.parse_args(args[:at])  # only --help and --version come before the command
    if at == len(args):
        top.print_help(sys.stderr)
        return 2
    if args[at] not in _COMMANDS:
        top.error(f"No such command {args[at]!r}.")
    parser = _parser(args[at])
    options = vars(_parse(parser, args[at + 1:]))
    if "formats" in options:
        options["formats"] = _formats(options["formats"])
    run = _COMMANDS[args[at]][0]
    try:
        with lifecycle.stop_signals(), collect_less():
            return run(**options)
    except UsageError as exc:
        parser.error(str(exc))
    except ArchError as exc:
        _report(exc)
    except lifecycle.TimedOut as exc:
        _say(format_problem(exc.problem()))
    return 1

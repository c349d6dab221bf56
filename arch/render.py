"""Stage 5, render: run a compiled program and put its files into the output folder.

The program that runs is exactly the text `archgen compile` prints. It runs in archgen's
own process, checked first against what the compiler writes (program.py), and its Diagram
hands over the graph it built; Graphviz then lays that graph out once and writes every
format from the one layout (as `dot -Tpng -Tsvg ...` would, where diagrams runs dot once per
format; raster.py, which writes dot's own PNG pixels faster than libpng does), in a
separate process with a timeout, inside a fresh work folder next to the output folder. So
a crash or a half-written file never reaches the output: only when every requested file
exists is each one finished (`files`) and moved into place with an atomic rename.
Graphviz's warnings, which diagrams would silence, are kept.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from . import lifecycle
from .errors import ArchError, Pos
from .icons import RESOURCES
from .lifecycle import DEFAULT_TIMEOUT
from .record import Record, _set

TYPE_CHECKING = False  # not typing's: see arch/__init__.py

if TYPE_CHECKING:  # annotations only: `archgen build` with nothing to draw stays light
    from collections.abc import Callable

    from .model import Blueprint

# What only drawing needs (shutil, subprocess, files and images) is imported where it is
# used: the commands that draw import this module, the others stay light.

DOT_MISSING_HINT = (
    "install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`sudo dnf install graphviz` (Fedora), `brew install graphviz` (macOS)"
)



class Graph(Record):
    """What a program's Diagram built (program.graph_of): the DOT text, and the files
    diagrams would write."""

    __slots__ = ("filename", "formats", "source")
    filename: str  # diagrams writes the DOT text under this name, its files as NAME.FORMAT
    formats: tuple[str, ...]
    source: str

    def __init__(self, filename: str, formats: tuple[str, ...], source: str) -> None:
        _set(self, "filename", filename)
        _set(self, "formats", formats)
        _set(self, "source", source)


class Sheet(Record):
    """What drawing a checked blueprint needs of it besides its graph: where it was written
    (errors point there; its icons are relative to base_dir), its custom icons (the path
    written and where), and the files it makes. A render of an unchanged blueprint gets it
    from what is remembered (remember.py), without the blueprint."""

    __slots__ = ("file", "base_dir", "icons", "name", "formats", "dpi")
    file: str
    base_dir: str
    icons: tuple[tuple[str, Pos], ...]
    name: str  # output.name
    formats: tuple[str, ...]
    dpi: int

    def __init__(self, file: str, base_dir: str, icons: tuple[tuple[str, Pos], ...],
                 name: str, formats: tuple[str, ...], dpi: int) -> None:
        _set(self, "file", file)
        _set(self, "base_dir", base_dir)
        _set(self, "icons", icons)
        _set(self, "name", name)
        _set(self, "formats", formats)
        _set(self, "dpi", dpi)

    @classmethod
    def of(cls, bp: Blueprint) -> Sheet:
        return cls(bp.file, bp.base_dir,
                   tuple((n.icon, n.pos) for n in bp.custom_icon_nodes() if n.icon is not None),
                   bp.output.name, bp.output.formats, bp.output.dpi)

    def file_names(self) -> tuple[str, ...]:
        return tuple(f"{self.name}.{fmt}" for fmt in self.formats)


class Rendered(Record):
    __slots__ = ("sheet", "files", "warnings", "notes", "graph")
    sheet: Sheet
    files: tuple[Path, ...]
    warnings: tuple[str, ...]  # what Graphviz printed on stderr, line by line
    notes: tuple[str, ...]  # what archgen had to do differently, always shown
    graph: Graph | None  # what was drawn (remember.py keeps it)

    def __init__(self, sheet: Sheet, files: tuple[Path, ...], warnings: tuple[str, ...] = (),
                 notes: tuple[str, ...] = (), graph: Graph | None = None) -> None:
        _set(self, "sheet", sheet)
        _set(self, "files", files)
        _set(self, "warnings", warnings)
        _set(self, "notes", notes)
        _set(self, "graph", graph)


class GraphvizFailed(ArchError):
    """`dot` itself failed on the graph: it said an error, crashed, or wrote no complete
    file. The layout's invisible edges may be to blame, so a caller may draw the blueprint
    again with less of them (renders.fallbacks); any other failure is an ArchError."""


# Graphviz's warning for an edge to or from a box (ltail, lhead) routed in more than one
# piece: it draws every piece, none cut at the box's border (read down, a user's dotted
# store -> data-catalog, its two ends on one rank, came out as two lines from inside the box)
SPLIT_EDGE = "spline size > 1 not supported"


class Refused(Exception):
    """`dot` refused a layout's graph with an error of its own about it (Graphviz 2.43:
    `trouble in init_rank` on some placements): the same every time for the same program
    and Graphviz, unlike running out of time, of memory or failing to start."""


def check_dot() -> None:
    """Fail early, and say how to fix it, when Graphviz's `dot` is not installed."""
    import shutil

    if shutil.which("dot") is None:
        raise ArchError.at(None, "Graphviz's `dot` program was not found on PATH",
                           DOT_MISSING_HINT)


def render(bp: Blueprint, source: str, out_dir: str | Path,
           timeout: float = DEFAULT_TIMEOUT) -> Rendered:
    """Run `source` (compiled from `bp`) and move its files into out_dir atomically."""
    return draw(Sheet.of(bp), lambda: _draw(bp, source), out_dir, timeout)


def _why_not_a_folder(out: Path) -> str | None:
    """`'a' is a file`, when a part of the output folder's path is one (`-o a/b`)."""
    for part in (out, *out.parents):
        if part.exists():
            return None if part.is_dir() else f"{str(part)!r} is a file"
    return None


def draw(sheet: Sheet, graph_of: Callable[[], Graph], out_dir: str | Path,
         timeout: float = DEFAULT_TIMEOUT) -> Rendered:
    """Draw the graph `graph_of` gives (a program run, or remembered) and move its files
    into out_dir atomically."""
    check_dot()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        work = lifecycle.make_work(out)
    except OSError as exc:
        # The command line's folder, not the blueprint's fault: no line of it is named.
        raise ArchError.at(None, f"cannot write to output folder {str(out)!r}: "
                                 f"{_why_not_a_folder(out) or exc.strerror}") from None
    try:
        graph = graph_of()
        # dot runs in run/, where the icons are; the graph and the files it writes are in
        # dot/, so that no icon path (a folder named like the output, say) meets them.
        run, dot_dir = work / "run", work / "dot"
        run.mkdir()
        dot_dir.mkdir()
        _copy_icons(sheet, run)
        made = [dot_dir / name for name in sheet.file_names()]
        try:
            warnings = _run_dot(sheet, graph, run, dot_dir, timeout)
            _check_written(sheet, made, out)
        except GraphvizFailed:
            if _disk_full(dot_dir):  # dot says nothing useful then, or nothing at all
                raise ArchError.at(Pos(sheet.file), f"the disk holding {str(out)!r} is full: "
                                                    f"Graphviz could not write the files; "
                                                    f"nothing was changed") from None
            raise
        for path, fmt in zip(made, sheet.formats, strict=True):
            _finish(path, fmt, sheet, run)
        targets = [out / name for name in sheet.file_names()]
        for target in targets:
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise ArchError.at(Pos(sheet.file), f"{str(target)!r} is in the way: it is "
                                                    f"not a file (a folder or a link), and is "
                                                    f"left as it is")
        lifecycle.replace_files(made, targets, work)
        return Rendered(sheet, tuple(targets), warnings, graph=graph)
    except lifecycle.Stopped:
        raise ArchError.at(Pos(sheet.file), "stopped: archgen is being stopped") from None
    except OSError as exc:
        raise ArchError.at(Pos(sheet.file), f"cannot write the rendered files into "
                                            f"{str(out)!r}: {exc.strerror}") from None
    finally:
        lifecycle.drop_work(work)


def layout_svg(bp: Blueprint, source: str, timeout: float = DEFAULT_TIMEOUT,
               whole: bool = False) -> bytes | None:
    """One layout of a program as plain SVG (icons not embedded), drawn in a scratch folder:
    what arrange.py measures to choose between programs. None when the program or dot
    fails or takes longer than `timeout`; stopped with archgen like a render. Refused when
    dot ends with an error of its own about the graph (exit status 1, not out of memory),
    and, `whole`, when it drew an edge in pieces (SPLIT_EDGE)."""
    import shutil
    import subprocess

    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        graph = _draw(bp, source)
    except ArchError:
        return None
    with lifecycle.scratch("archgen-layout-") as tmp:
        # dot runs where the icons are, the graph beside that folder (as a render's)
        run, graph_file = Path(tmp) / "run", Path(tmp) / "g.gv"
        try:
            run.mkdir()
            _copy_icons(Sheet.of(bp), run)
            graph_file.write_text(graph.source, encoding="utf-8")
            proc = lifecycle.start(raster_command(dot, graph_file, ["svg"]),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, encoding="utf-8", errors="replace",
                                   cwd=run)
        except (OSError, lifecycle.Stopped):
            return None
        try:
            _, err = proc.communicate(timeout=lifecycle.remaining(timeout))
        except subprocess.TimeoutExpired:
            lifecycle.kill(proc)
            proc.communicate()
            return None
        finally:
            lifecycle.finished(proc)
        if proc.returncode == 1 and "Error:" in err and "out of memory" not in err:
            raise Refused(err.strip().splitlines()[0])
        if whole and SPLIT_EDGE in err:
            raise Refused(next(line for line in err.splitlines() if SPLIT_EDGE in line))
        try:
            out = Path(f"{graph_file}.svg").read_bytes() if proc.returncode == 0 else b""
        except OSError:
            return None
    return out or None


def _check_written(sheet: Sheet, made: list[Path], out: Path) -> None:
    """Every file dot was asked for is there and whole (a failing dot can leave half a file
    behind and say nothing)."""
    from . import files

    missing = [p.name for p in made if not p.is_file() or p.stat().st_size == 0]
    if missing:
        icons = sorted({icon for icon, _ in sheet.icons})
        said = (f" (it was to draw the custom icons {', '.join(icons)}: one of them may be "
                f"what it could not draw)" if icons else "")
        raise GraphvizFailed.at(Pos(sheet.file), "Graphviz wrote no " + ", ".join(missing)
                                + said)
    for path, fmt in zip(made, sheet.formats, strict=True):
        if not files.complete(fmt, path.read_bytes()):
            raise GraphvizFailed.at(Pos(sheet.file), f"Graphviz wrote an incomplete {path.name}; "
                                                  f"nothing was changed in {str(out)!r}")


# Below this much free space, a dot that failed is taken to have run out of it.
_FULL_BYTES = 1 << 20


def _disk_full(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < _FULL_BYTES


def _copy_icons(sheet: Sheet, run: Path) -> None:
    """Custom icons are named relative to the blueprint's folder; dot runs in `run`."""
    from . import images

    for icon, pos in sheet.icons:
        try:  # read again: the file may have changed since it was checked
            data, _ = images.read_icon(Path(sheet.base_dir) / icon)
        except images.BadImage as exc:
            raise ArchError.at(pos, f"icon {icon!r} {exc}") from None
        target = run / icon
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)  # the image only, nothing that trailed it


def _uncheckered(source: str, run: Path) -> str:
    """The graph with diagrams' checkered icons (icons.CHECKERED) drawn cleaned: written
    into `run` under their path in the resources folder and named by it, so dot (run in
    `run`) and finish_svg find the clean one, and a .dot file names them as always."""
    from . import icons

    root = str(RESOURCES).rstrip("/") + "/"
    for name in icons.CHECKERED:
        target = run / name
        if root + name in source and not target.exists():  # not over a custom icon
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(icons.unchecker((RESOURCES / name).read_bytes()))
            source = source.replace(root + name, name)
    return source


# What Graphviz (or raster.py) says when the machine, not the graph, stopped it.
_SHORT_OF = re.compile(r"(?i)out of memory|cannot allocate|MemoryError|no space left on "
                       r"device|disk quota exceeded|\[Errno (28|122)\]")


def _failure(file: str, stderr: str, code: int) -> ArchError:
    """One line on why the drawing process (dot, or raster.py running Graphviz's library)
    failed, in plain words: the signal that stopped it, else the first thing it said.
    Killed from outside (the machine or the user stopping it) is no failure of the layout;
    anything else is GraphvizFailed."""
    if code < 0:
        name = signal.Signals(-code).name
        if name in ("SIGKILL", "SIGTERM", "SIGINT", "SIGHUP"):
            return ArchError.at(Pos(file), f"Graphviz was killed ({name}); "
                                              f"nothing was written")
        return GraphvizFailed.at(Pos(file), f"Graphviz crashed ({name}); "
                                               f"nothing was written")
    said = [plain(line) for line in stderr.splitlines() if plain(line)]
    short = next((line for line in said if _SHORT_OF.search(line)), None)
    if short is not None:  # no failure of the layout: drawing less of it would not help
        return ArchError.at(Pos(file), f"the render ran out of memory or disk space "
                                          f"(Graphviz: {short}); nothing was written",
                            "free memory or disk space, or draw the PNG at a lower --dpi")
    last = f"Graphviz: {said[0]}" if said else f"Graphviz: exit status {code}"
    return GraphvizFailed.at(Pos(file), f"the render failed: {last}")


def plain(text: str) -> str:
    """A line of what a program printed as plain words: no control characters, no
    undecodable bytes (shown as U+FFFD when read), no surrounding space."""
    return "".join(ch for ch in text if ch.isprintable() and ch != "\ufffd").strip()


def _finish(path: Path, fmt: str, sheet: Sheet, work: Path) -> None:
    from . import files

    data = path.read_bytes()
    if fmt == "svg":
        data = files.finish_svg(data, lambda href: icon_file(work, href).read_bytes())
        problem = files.xml_problem(data)
        if problem is not None:  # the last guard: an SVG that does not open is not written
            raise ArchError.at(Pos(sheet.file), f"the SVG is not well-formed XML ({problem}); "
                                             f"nothing was written")
    elif fmt == "png":
        data = files.finish_png(data, sheet.dpi)
    elif fmt == "jpg":
        data = files.finish_jpg(data, sheet.dpi)
    elif fmt == "pdf":
        data = files.finish_pdf(data)
    elif fmt == "dot":
        data = files.finish_dot(data, RESOURCES)
    path.write_bytes(data)


def icon_file(work: Path, href: str) -> Path:
    """An icon the SVG names: absolute (a node's), relative to the work folder (a custom
    icon) or to diagrams' resources folder (a group icon, found through imagepath)."""
    local = work / href
    return local if local.is_file() else RESOURCES / href


def _draw(bp: Blueprint, source: str) -> Graph:
    """Run the program in this process (checked against the allow-list first) and return
    the graph its Diagram built."""
    from .program import NotCompilerOutput, graph_of

    try:
        return graph_of(source)
    except NotCompilerOutput as exc:
        raise ArchError.at(Pos(bp.file), f"the program holds {exc}; nothing was run") from None
    except Exception as exc:  # the program's own failure, as `python` would report it
        raise ArchError.at(Pos(bp.file), f"the render failed: {type(exc).__name__}: {exc}"
                           ) from None


# The child that draws (raster.py: the standard library only), run by path, without
# Python's `site` (a tenth of a second on a busy machine, for .pth files it does not need):
# sys.path gets neither its folder (archgen's modules would shadow others by name) nor the
# current one (the icons' folder).
_RASTER = Path(__file__).with_name("raster.py")
_RUN_PATH = ("import sys; del sys.path[0], sys.argv[0]; "
             "exec(compile(open(sys.argv[0], 'rb').read(), sys.argv[0], 'exec'), "
             "{'__name__': '__main__', '__file__': sys.argv[0]})")


def raster_command(dot: str, graph_file: Path, formats: Sequence[str]) -> list[str]:
    """The command that lays `graph_file` out once and writes GRAPH.FORMAT for each format,
    as `dot -Kdot -Tpng -Tsvg -O GRAPH` does, through raster.py, whatever the formats: it
    puts the boxes in the order written where `dot` orders them by where their names lie in
    memory (raster.py), so a poster drawn as SVG alone, with a PNG, or as a candidate of
    arrange.py is laid out alike (a generated 300-node poster: 1.92 as wide as high as SVG
    alone, 2.25 with a PNG)."""
    return [sys.executable, "-S", "-c", _RUN_PATH, str(_RASTER), dot, str(graph_file),
            *formats]


def _run_dot(sheet: Sheet, graph: Graph, run: Path, dot_dir: Path, timeout: float
             ) -> tuple[str, ...]:
    """Lay the graph out once and write every format from that layout (raster_command),
    in the folder its icon paths are relative to, as diagrams runs dot, so the files are
    the program's. Returns Graphviz's warnings."""
    import shutil
    import subprocess

    real_dot = shutil.which("dot")
    assert real_dot is not None  # check_dot() ran first
    graph_file = dot_dir / graph.filename
    graph_file.write_text(_uncheckered(graph.source, run), encoding="utf-8")
    args = raster_command(real_dot, graph_file, graph.formats)
    try:
        proc = lifecycle.start(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, errors="replace", cwd=run)
    except OSError:
        raise ArchError.at(None, "Graphviz's `dot` program could not be run",
                           DOT_MISSING_HINT) from None
    allowed = lifecycle.remaining(timeout)
    try:
        _, stderr = proc.communicate(timeout=allowed)
    except subprocess.TimeoutExpired:
        lifecycle.kill(proc)
        proc.communicate()
        # Which ran out: this layout's own time, or the whole command's (`archgen render`
        # of many files: the renders late in the queue get what is left of it).
        said = (f"the layout took longer than {timeout:g} s and was stopped" if allowed >= timeout
                else f"the layout was stopped after {allowed:.1f} s, when the command's "
                     f"--timeout of {timeout:g} s ran out")
        raise ArchError.at(Pos(sheet.file), f"{said}; nothing was written",
                           "a very large blueprint, or many, may need --timeout SECONDS"
                           ) from None
    finally:
        lifecycle.finished(proc)
    if proc.returncode != 0:
        raise _failure(sheet.file, stderr, proc.returncode)
    # each renderer may repeat a warning of the layout: each is reported once
    return tuple(dict.fromkeys(line for line in stderr.splitlines() if line.strip()))

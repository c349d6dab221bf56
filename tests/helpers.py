"""Small helpers for tests: write a blueprint into tmp_path, run the command in-process,
read SVG structure, find a test's own processes."""

from __future__ import annotations

import ast
import contextlib
import io
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from arch.cli import main

SVG = "{http://www.w3.org/2000/svg}"


def write(tmp_path: Path, text: str, name: str = "bp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@dataclass
class Result:
    """What one `archgen` command did in this process."""

    exit_code: int
    stdout: str
    stderr: str
    # What escaped the command: a crash (a bug), or the SystemExit of a usage error
    exception: BaseException | None = None
    exc_info: tuple[type[BaseException], BaseException, TracebackType] | None = None


def invoke(args: Sequence[str]) -> Result:
    """Run `archgen ARGS` in this process, its output captured (stderr is no terminal)."""
    out, err = io.StringIO(), io.StringIO()
    exception: BaseException | None = None
    exc_info = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # --help, --version, a usage error
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            if code:
                exception, exc_info = exc, sys.exc_info()
        except Exception as exc:  # noqa: BLE001 - a bug in archgen: the test shows it
            code, exception, exc_info = 1, exc, sys.exc_info()
    return Result(code, out.getvalue(), err.getvalue(), exception,
                  exc_info)  # type: ignore[arg-type]


def processes_with(bin_dir: Path, command: bytes = b"") -> list[int]:
    """Processes that run with a test's own fake tools' folder on their PATH (so the test's,
    nobody else's) and a command line starting with `command`. Read from /proc: a fresh
    Debian has no pgrep (procps is not an essential package)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (str(bin_dir).encode() in (entry / "environ").read_bytes()
                    and (entry / "cmdline").read_bytes().startswith(command)):
                found.append(int(entry.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found


def wait_for(condition: Callable[[], bool], tries: int = 1200) -> None:
    """Poll every 0.05 s, `tries` times at most (no deadline assertion: the check after it
    says what went wrong)."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.05)


@dataclass
class SvgGraph:
    """What a Graphviz SVG draws: clusters, nodes (with their text lines), edges."""

    clusters: dict[str, list[str]] = field(default_factory=dict)  # name -> label lines
    nodes: dict[str, list[str]] = field(default_factory=dict)  # node id -> label lines
    edges: list[tuple[str, list[str]]] = field(default_factory=list)  # "a->b", label lines
    graph_text: list[str] = field(default_factory=list)  # title and caption lines


def _texts(g: ET.Element) -> list[str]:
    return [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]


def read_svg(path: Path) -> SvgGraph:
    root = ET.parse(path).getroot()
    out = SvgGraph()
    graph = root.find(f"{SVG}g")
    assert graph is not None and graph.get("class") == "graph"
    for child in graph:
        if child.tag == f"{SVG}text":
            out.graph_text.append((child.text or "").replace("\xa0", " "))
    for g in graph.iter(f"{SVG}g"):
        kind = g.get("class")
        title_el = g.find(f"{SVG}title")
        title = title_el.text if title_el is not None and title_el.text else ""
        if kind == "cluster":
            out.clusters[title] = _texts(g)
        elif kind == "node":
            out.nodes[title] = _texts(g)
        elif kind == "edge":
            out.edges.append((title, _texts(g)))
    return out


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the SVG's own coordinates


@dataclass
class SvgShapes:
    """Where a Graphviz SVG draws things: icons, text and label backgrounds of nodes, the
    points of each edge (its path and arrowheads), the fill of each cluster."""

    icons: dict[str, Box] = field(default_factory=dict)  # node id -> its icon's box
    texts: dict[str, list[Box]] = field(default_factory=dict)  # node id -> a box per line
    label_fills: dict[str, str] = field(default_factory=dict)  # node id -> label background
    edges: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    cluster_fills: dict[str, tuple[str, Box]] = field(default_factory=dict)  # name -> fill
    background: str = ""
    order: list[str] = field(default_factory=list)  # "node" / "edge", as drawn


def _numbers(text: str) -> list[float]:
    import re

    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def _pairs(text: str) -> list[tuple[float, float]]:
    values = _numbers(text)
    return list(zip(values[::2], values[1::2], strict=False))


def _box(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def read_shapes(path: Path) -> SvgShapes:
    root = ET.parse(path).getroot()
    out = SvgShapes()
    for g in root.iter(f"{SVG}g"):
        title_el = g.find(f"{SVG}title")
        title = title_el.text or "" if title_el is not None else ""
        kind = g.get("class")
        if kind in ("node", "edge"):
            out.order.append(kind)
        if kind == "graph":
            polygon = g.find(f"{SVG}polygon")
            out.background = polygon.get("fill", "") if polygon is not None else ""
        elif kind == "node":
            for el in g:
                tag = el.tag.removeprefix(SVG)
                if tag in ("image", "use"):
                    x, y = float(el.get("x", 0)), float(el.get("y", 0))
                    w, h = (_numbers(el.get(a, "0"))[0] for a in ("width", "height"))
                    out.icons[title] = (x, y, x + w, y + h)
                elif tag == "text":
                    x, y, size = float(el.get("x", 0)), float(el.get("y", 0)), 12.0
                    out.texts.setdefault(title, []).append((x, y - size * 0.8, x, y))
                elif tag == "polygon":
                    out.label_fills[title] = el.get("fill", "")
        elif kind == "edge":
            points: list[tuple[float, float]] = []
            for el in g:
                tag = el.tag.removeprefix(SVG)
                if tag == "path":
                    points += _pairs(el.get("d", "").replace("M", " ").replace("C", " "))
                elif tag == "polygon":
                    points += _pairs(el.get("points", ""))
            out.edges.append((title, points))
        elif kind == "cluster":
            polygon = g.find(f"{SVG}polygon")
            shape = polygon if polygon is not None else g.find(f"{SVG}path")
            if shape is not None:
                points = _pairs(shape.get("points") or shape.get("d", "").replace(
                    "M", " ").replace("C", " "))
                out.cluster_fills[title] = (shape.get("fill", ""), _box(points))
    return out


def box_distance(p: tuple[float, float], box: Box) -> float:
    dx = max(box[0] - p[0], 0.0, p[0] - box[2])
    dy = max(box[1] - p[1], 0.0, p[1] - box[3])
    return float((dx * dx + dy * dy) ** 0.5)


def png(width: int = 4, height: int = 4) -> bytes:
    """A small, valid PNG icon."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 20)).save(out, "PNG")
    return out.getvalue()


def string(node: ast.expr) -> str:
    """The text of a string constant of a generated program."""
    assert isinstance(node, ast.Constant) and isinstance(node.value, str)
    return node.value


def constructions(source: str) -> dict[str, ast.Call]:
    """What a generated program assigns to each variable: its node constructions."""
    return {n.targets[0].id: n.value for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
            and isinstance(n.value, ast.Call)}


def clusters(source: str) -> list[str]:
    """The names of the clusters a generated program opens, in order."""
    return [string(item.context_expr.args[0]) for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.With) for item in n.items
            if isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Name)
            and item.context_expr.func.id == "Cluster"
            and isinstance(item.context_expr.args[0], ast.Constant)]


def cluster_members(source: str) -> dict[str, list[str]]:
    """The nodeids each cluster of a generated program constructs directly inside it."""
    found: dict[str, list[str]] = {}
    for w in ast.walk(ast.parse(source)):
        if not isinstance(w, ast.With):
            continue
        call = w.items[0].context_expr
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "Cluster" and isinstance(call.args[0], ast.Constant)):
            continue
        found[string(call.args[0])] = [
            string(k.value) for stmt in w.body if isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Call) for k in stmt.value.keywords
            if k.arg == "nodeid" and isinstance(k.value, ast.Constant)]
    return found

"""archgen benchmarks (`make bench`): ratios against baselines measured in the same run.

Every ratio compares two commands run as whole processes, alternating (a, b, a, b, ...) so
that the load of a shared machine falls on both sides alike, and takes the median of RUNS
runs of each. The baselines are the programs `archgen compile` prints, run with plain
`python` in a folder of their own. The results are printed, each ratio with its goal, and
written to docs/benchmarks.md.

    python bench/bench.py [--runs N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arch.build import Options, prepare  # noqa: E402
from arch.model import Blueprint  # noqa: E402
from arch.program import graph_of  # noqa: E402
from arch.raster import ZLIB_LEVEL  # noqa: E402
from arch.render import raster_command  # noqa: E402

BLUEPRINTS = sorted(str(p) for p in (ROOT / "blueprints").glob("*.yaml"))
SEED = str(ROOT / "blueprints" / "aws-web-app.yaml")
DOC = ROOT / "docs" / "benchmarks.md"
ARCHGEN = [sys.executable, "-m", "arch"]
PYTHON = [sys.executable]  # "plain python": the interpreter that has diagrams installed
NODE_COUNTS = (200, 1000, 2000)
DPIS = (48, 96, 144, 192)
_TYPES = ("EC2", "Lambda", "S3", "RDS", "SQS", "SNS", "DynamoDB", "ECS", "ElastiCache",
          "Aurora")


# Measured once with this script on this machine before the work on issue 11 (at commit
# 5a49448; `make diagrams` then was `render --all-variants`): kept to compare against.
BEFORE = [
    "| render png+svg (seed) | 0.707 | 0.492 | 1.44x |",
    "| render svg (seed) | 0.386 | 0.156 | 2.48x |",
    "| validate (seed) | 0.351 | 0.063 | 5.61x |",
    "| make diagrams (13 pictures) | 2.631 | 3.862 | 0.68x |",
    "",
    "2,000 nodes: load + validate + compile 0.812 s in-process (1,000 / 200 nodes: 5.9x the "
    "time, 2,000 / 200: 14.8x). A profile (cProfile) of `render -f svg` of the seed: 0.60 s, "
    "of which the catalog 0.16 s (importing all of diagrams), YAML 0.14 s (the pure-Python "
    "parser, twice), waiting for the second Python and its two dot runs 0.17 s, imports "
    "0.07 s.",
]


@dataclass
class Ratio:
    name: str
    ours: float  # median seconds
    base: float
    goal: float  # ours / base at most this
    base_name: str

    @property
    def value(self) -> float:
        return self.ours / self.base

    @property
    def met(self) -> bool:
        return self.value <= self.goal


# -- running and timing ---------------------------------------------------------------------


def run(args: list[str], cwd: str | Path = ROOT, path: Path | None = None) -> float:
    """Seconds of one command; `path`: a folder put first on PATH."""
    env = _env()
    if path is not None:
        env["PATH"] = f"{path}{os.pathsep}{env.get('PATH', '')}"
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, env=env)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, args))} failed:\n"
                         f"{done.stderr.decode(errors='replace')}")
    return took


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


def graphviz_png(tmp: Path) -> Path:
    """A folder whose `dot` runs the real one: archgen finds no Graphviz libraries beside
    it, so it runs that dot, and Graphviz writes the PNG itself (with libpng), as before
    raster.py: the 'before' side of the PNG ratios, in the same run."""
    folder = tmp / "graphviz-png"
    folder.mkdir(exist_ok=True)
    real = shutil.which("dot")
    (folder / "dot").write_text(f'#!/bin/sh\nexec "{real}" "$@"\n')
    (folder / "dot").chmod(0o755)
    return folder


def raster(graph: str | Path, formats: Sequence[str]) -> list[str]:
    """raster.py drawing a graph's files from one layout, as render runs it."""
    dot = shutil.which("dot")
    assert dot is not None
    return raster_command(dot, Path(graph), formats)


def alternate(sides: dict[str, Callable[[], float]], runs: int,
              pick: Callable[[list[float]], float] = statistics.median) -> dict[str, float]:
    """Median (or `pick`) seconds of each side, the sides taking turns (one warm-up round
    first)."""
    for side in sides.values():
        side()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):
        for name, side in sides.items():
            times[name].append(side())
    return {name: pick(t) for name, t in times.items()}


def program_folder(tmp: Path, name: str, bp: Blueprint, source: str) -> Path:
    """A folder holding a compiled program and the custom icons it names, as a user who
    saved `archgen compile`'s output next to the blueprint's icons would have it."""
    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "program.py").write_text(source, encoding="utf-8")
    icons = {n.icon for n in bp.walk_nodes() if n.icon}
    icons |= {a.with_.icon for a in bp.alternatives if a.with_ is not None and a.with_.icon}
    for icon in icons:
        (folder / icon).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(bp.base_dir) / icon, folder / icon)
    return folder


# -- the ratios -----------------------------------------------------------------------------


def render_ratios(tmp: Path, runs: int, svg_only: bool = False
                  ) -> tuple[list[Ratio], dict[str, float]]:
    """archgen render of the seed against its compiled program: png+svg, then svg only; and
    for each, `dot` alone and raster.py alone drawing those files from one layout, measured
    in the same turns. With a PNG, archgen drawing it with Graphviz's libpng too (before)."""
    result = []
    floors: dict[str, float] = {}
    kinds = ((("png", "svg"), 0.85, "render png+svg"), (("svg",), 1.10, "render svg"))
    for formats, goal, what in kinds[1:] if svg_only else kinds:
        [(bp, source)] = prepare(SEED, Options(formats=formats))
        folder = program_folder(tmp, "program-" + "-".join(formats), bp, source)
        (folder / "graph.gv").write_text(graph_of(source).source, encoding="utf-8")
        out = tmp / ("out-" + "-".join(formats))
        ours = [*ARCHGEN, "render", SEED, "-o", str(out), "-f", ",".join(formats)]
        dot = ["dot", "-Kdot", *(f"-T{f}" for f in formats), "-O", "graph.gv"]
        sides: dict[str, Callable[[], float]] = {
            "archgen": partial(run, ours),
            "program": partial(run, [*PYTHON, "program.py"], folder),
            "dot": partial(run, dot, folder)}
        if "png" in formats:  # raster.py draws only what holds a PNG (else dot does)
            sides["raster"] = partial(run, raster(folder / "graph.gv", formats), folder)
            sides["before"] = partial(run, ours, path=graphviz_png(tmp))
        else:
            sides["edited"] = edited(tmp, formats)
        t = alternate(sides, runs)
        base = f"the program, {'+'.join(formats)}, with plain python"
        # the warm-up round remembered the render (arch/remember.py): every run after it
        # draws the remembered graph, as a render of an unchanged blueprint does
        result.append(Ratio(f"{what} (seed)", t["archgen"], t["program"], goal, base))
        if "before" in t:
            result.append(Ratio(f"{what} (seed), the PNG by Graphviz's libpng (before)",
                                t["before"], t["program"], goal, base))
        if "edited" in t:
            result.append(Ratio(f"{what} (seed) after an edit", t["edited"], t["program"],
                                goal, base))
        floors[what] = t["dot"]
        if "raster" in t:
            floors[what + ", raster.py"] = t["raster"]
    if svg_only:
        return result, floors
    # the SVG archgen writes (every icon embedded) against the program's (icons linked)
    floors["svg bytes"] = (tmp / "out-svg" / "aws-web-app.svg").stat().st_size
    floors["program svg bytes"] = (tmp / "program-svg" / "aws-web-app.svg").stat().st_size
    return result, floors


def edited(tmp: Path, formats: Sequence[str]) -> Callable[[], float]:
    """archgen render of the seed as after an edit: each run sees a copy whose bytes
    differ (a comment with a counter at the end), so nothing of its render is remembered:
    it is checked, compiled and its program run. A comment leaves its content as it was, so
    the arrangement chosen for it is remembered still (arrange.choice_key), and so is the
    catalog's index; an edit of what is drawn chooses the arrangement again too (its cost is
    measured on its own: arrangement_cost)."""
    folder = tmp / "edited"
    folder.mkdir(exist_ok=True)
    copy = folder / Path(SEED).name
    text = Path(SEED).read_text(encoding="utf-8")
    args = [*ARCHGEN, "render", str(copy), "-o", str(tmp / "out-edited"), "-f",
            ",".join(formats)]
    edits = iter(range(1, 1 << 30))

    def side() -> float:
        copy.write_text(f"{text}# edit {next(edits)}\n", encoding="utf-8")
        return run(args)

    return side


def validate_ratio(runs: int) -> Ratio:
    t = alternate({"archgen": lambda: run([*ARCHGEN, "validate", SEED]),
                   "import": lambda: run([*PYTHON, "-c", "import diagrams"])}, runs)
    return Ratio("validate (seed)", t["archgen"], t["import"], 1.5,
                 'python -c "import diagrams"')


def folder_ratio(tmp: Path, runs: int) -> tuple[list[Ratio], float, float]:
    """`make diagrams` (every blueprint and variant) against the sum of their programs, and
    with Graphviz's libpng drawing the PNGs (before); and the sums of what dot alone and
    raster.py alone take to draw every picture's files from one layout each."""
    folders = []
    dots: list[tuple[list[str], Path]] = []
    rasters: list[tuple[list[str], Path]] = []
    for path in BLUEPRINTS:
        for bp, source in prepare(path, Options(all_variants=True)):
            folder = program_folder(tmp / "all", bp.output.name, bp, source)
            folders.append(folder)
            graph = graph_of(source)
            (folder / "graph.gv").write_text(graph.source, encoding="utf-8")
            dots.append((["dot", "-Kdot", *(f"-T{f}" for f in graph.formats), "-O",
                          "graph.gv"], folder))
            rasters.append((raster(folder / "graph.gv", graph.formats), folder))

    def programs() -> float:
        return sum(run([*PYTHON, "program.py"], f) for f in folders)

    def graphviz() -> float:
        return sum(run(args, f) for args, f in dots)

    def ours_alone() -> float:
        return sum(run(args, f) for args, f in rasters)

    # what `make diagrams` runs, drawing everything again (--force): a build that finds
    # nothing changed draws nothing, which would not compare like with like
    ours = [*ARCHGEN, "build", str(ROOT / "blueprints"), "-o", str(tmp / "out-all"),
            "--force", "-q"]
    wrapper = graphviz_png(tmp)  # once: the arrangements archgen remembers are by dot's file
    t = alternate({"archgen": lambda: run(ours), "programs": programs, "dot": graphviz,
                   "raster": ours_alone, "before": lambda: run(ours, path=wrapper)}, runs)
    what = f"make diagrams, everything drawn ({len(folders)} pictures)"
    base = "the sum of their programs with plain python"
    return [Ratio(what, t["archgen"], t["programs"], 0.5, base),
            Ratio(f"{what}, the PNGs by Graphviz's libpng (before)", t["before"],
                  t["programs"], 0.5, base)], t["dot"], t["raster"]


# -- where the time of one render goes ------------------------------------------------------

_PARTS = """
import gc, importlib, json, sys, time
t0 = time.perf_counter()
gc.disable()  # as the command imports itself (arch.__main__.run)
import dataclasses  # (archgen's modules import it) to time each class it makes
made = [0.0]
_process_class = dataclasses._process_class
def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return _process_class(*args, **kwargs)
    finally:
        made[0] += time.perf_counter() - start
dataclasses._process_class = timed
import arch.cli
gc.enable()
from arch.check import Options, check  # check.py: what validate runs, without build.py
from arch.catalog import load_catalog
with arch.cli.collect_less():  # as the command runs
    import arch.validate, arch.variants  # all that `validate` imports
    t1 = time.perf_counter()
    dataclasses_made = made[0]
    import arch.arrange, arch.build, arch.compile, arch.files, arch.program  # and drawing's
    from arch.build import program_of
    from arch.program import graph_of
    t2 = time.perf_counter()
    load_catalog()
    t3 = time.perf_counter()
    bp = check(sys.argv[1], Options(formats=("svg",)))  # all that `validate` does then
    t4 = time.perf_counter()
    import diagrams  # and the provider modules the program imports: the program's too
    for t in {n.type for n in bp.walk_nodes() if n.type is not None}:
        importlib.import_module(f"diagrams.{t.provider}.{t.module}")
    t5 = time.perf_counter()
    t6 = time.perf_counter()
    source = program_of(bp, Options(formats=("svg",)))
    t7 = time.perf_counter()
    graph_of(source)
    t8 = time.perf_counter()
    sys.modules["arch.render"].render(bp, source, sys.argv[2])  # the program again, dot...
    t9 = time.perf_counter()
print(json.dumps({"imports of validate": t1 - t0,
                  "(of those: archgen's dataclasses made, their methods compiled)":
                  dataclasses_made, "imports of drawing": t2 - t1,
                  "catalog": t3 - t2, "load + validate": t4 - t3,
                  "(importing diagrams and the program's provider modules)": t5 - t4,
                  "arrangement (remembered) and compile": t7 - t6,
                  "the program in-process (the allow-list check, building the graph)":
                  t8 - t7,
                  "dot, finishing, moving into place": (t9 - t8) - (t8 - t7)}))
"""


def seed_parts(tmp: Path, runs: int) -> dict[str, float]:
    """The parts of `render -f svg` of the seed (`validate`'s among them), the start
    of Python and the import of diagrams that the program pays too, and PyYAML's and
    dataclasses' imports on their own (the heaviest of what `validate` imports): each the
    fastest of fresh processes (a part takes milliseconds, which others' load on a shared
    machine would swamp)."""
    parts: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run([*PYTHON, "-c", _PARTS, SEED, str(tmp / "parts")], cwd=ROOT,
                             capture_output=True, text=True, check=True, env=_env()).stdout
        for k, v in json.loads(out).items():
            parts.setdefault(k, []).append(v)
    t = alternate({"start": lambda: run([*PYTHON, "-c", "pass"]),
                   "diagrams": lambda: run([*PYTHON, "-c", "import diagrams"]),
                   "dataclasses": lambda: run([*PYTHON, "-c", "import dataclasses"]),
                   "yaml": lambda: run([*PYTHON, "-c", "import yaml"])}, runs, min)
    result = {"python start": t["start"],
              "(python -c 'import diagrams', less the start)": t["diagrams"] - t["start"],
              "(python -c 'import dataclasses', less the start)":
                  t["dataclasses"] - t["start"],
              "(python -c 'import yaml', less the start)": t["yaml"] - t["start"]}
    result.update({k: min(v) for k, v in parts.items()})
    return result


_IMPORTS = """
import sys
before = set(sys.modules)
from arch.cli import main
main(sys.argv[1:])
print(" ".join(name for name in sys.modules if name not in before))
"""

_REMEMBERED = """
import gc, json, sys, time
seed, out, names = sys.argv[1], sys.argv[2], sys.argv[3].split()
t0 = time.perf_counter()
gc.disable()  # as the command imports itself (arch.__main__.run)
for name in names:
    __import__(name)
gc.enable()
t1 = time.perf_counter()
from arch import remember
from arch.check import Options
from arch.cli import collect_less
from arch.lifecycle import DEFAULT_TIMEOUT
from arch.render import draw
with collect_less():  # as the command runs
    t2 = time.perf_counter()
    hit = remember.recall(seed, (Options(formats=("svg",)), DEFAULT_TIMEOUT))  # as cli.render
    t3 = time.perf_counter()
    remember.code_digest.cache_clear()  # recall hashed it (once a process): again, to time it
    t3b = time.perf_counter()
    remember.code_digest()
    t4 = time.perf_counter()
    [(sheet, graph)] = hit.drawn
    draw(sheet, lambda: graph, out)
    t5 = time.perf_counter()
print(json.dumps({"imports of a remembered render": t1 - t0,
                  "recalling it (the key: the blueprint, archgen's code and the tools' files "
                  "read and hashed; the entry read)": t3 - t2,
                  "(of that: archgen's code hashed, code_digest)": t4 - t3b,
                  "dot, finishing, moving into place": t5 - t4}))
"""


def remembered_parts(tmp: Path, runs: int) -> dict[str, float]:
    """The parts of `render -f svg` of the unchanged seed (its render remembered): the
    modules it imports (found by running it), imported in a fresh Python; recalling it;
    drawing the remembered graph. The fastest of fresh processes."""
    out = tmp / "remembered"
    args = ["render", SEED, "-o", str(out), "-f", "svg"]
    run([*ARCHGEN, *args])  # remembered (and the catalog, the arrangement), as in the ratio
    names = subprocess.run([*PYTHON, "-c", _IMPORTS, *args], cwd=ROOT, capture_output=True,
                           text=True, check=True, env=_env()).stdout.split("\n")[-2]
    parts: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run([*PYTHON, "-c", _REMEMBERED, SEED, str(out), names], cwd=ROOT,
                              capture_output=True, text=True, check=True, env=_env()).stdout
        for k, v in json.loads(done).items():
            parts.setdefault(k, []).append(v)
    return {k: min(v) for k, v in parts.items()}


_ARRANGE = """
import json, sys, time
from arch.arrange import choose
from arch.build import Options, check
from arch.catalog import load_catalog
load_catalog()  # the cache folder is new: the catalog's index is made first, untimed
bp = check(sys.argv[1], Options())
t = time.perf_counter(); choose(bp); first = time.perf_counter() - t
t = time.perf_counter(); choose(bp); again = time.perf_counter() - t
print(json.dumps([first, again]))
"""


def arrangement_cost(tmp: Path, runs: int) -> tuple[float, float]:
    """Choosing the seed's arrangement (arch/arrange.py): the first time, as after an edit
    (an empty cache folder), and when remembered. Medians of fresh processes."""
    first, again = [], []
    for i in range(runs):
        env = {**_env(), "XDG_CACHE_HOME": str(tmp / f"cache-{i}")}
        out = subprocess.run([*PYTHON, "-c", _ARRANGE, SEED], cwd=ROOT, capture_output=True,
                             text=True, check=True, env=env).stdout
        a, b = json.loads(out)
        first.append(a)
        again.append(b)
    return statistics.median(first), statistics.median(again)


# -- archgen's own stages on generated blueprints --------------------------------------------


def generated(n: int) -> str:
    """n nodes in groups of 20, n/4 edges between groups: a large, plausible blueprint."""
    lines = ["blueprint: 1", f"title: Generated {n}", "provider: aws", "groups:"]
    for g in range(max(1, n // 20)):
        lines += [f"  - id: g{g}", f"    label: Group {g}", "    nodes:"]
        for k in range(20):
            kind = _TYPES[(g + k) % len(_TYPES)]
            lines.append(f"      - {{id: n{g}-{k}, type: {kind}, label: Node {g} {k}}}")
    lines.append("edges:")
    for e in range(n // 4):
        a, b = e % n, (e * 7 + 3) % n
        b = (b + 1) % n if a == b else b
        lines.append(f"  - n{a // 20}-{a % 20} -> n{b // 20}-{b % 20}")
    return "\n".join(lines) + "\n"


_STAGES = """
import json, sys, time, tracemalloc
from arch.cli import collect_less
from arch.compile import compile_blueprint
from arch.load import load_file
from arch.validate import validate
from arch.catalog import load_catalog
from arch.place import place, uncross
path, runs = sys.argv[1], int(sys.argv[2])
load_catalog()  # once per process, as in a CLI run; its cost is in the parts of a render
stages = {
    "load": lambda _: load_file(path),
    "validate": lambda tree: validate(tree, path),
    "compile": lambda bp: compile_blueprint(bp),
}
times = {k: [] for k in stages}
with collect_less():  # as the command runs them
    for _ in range(runs):
        value = None
        place.cache_clear()  # remembered within a process only: each run places anew
        uncross.cache_clear()
        for name, stage in stages.items():
            t = time.perf_counter(); value = stage(value)
            times[name].append(time.perf_counter() - t)
peak = {}
value = None
place.cache_clear()
uncross.cache_clear()
for name, stage in stages.items():
    tracemalloc.start(); value = stage(value); peak[name] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
print(json.dumps({"times": times, "peak": peak}))
"""


@dataclass
class Stages:
    time: dict[str, float]  # stage -> median seconds
    peak: dict[str, int]  # stage -> peak bytes allocated
    process: float  # the whole `archgen compile` process, median seconds


def stage_table(tmp: Path, runs: int) -> dict[int, Stages]:
    result: dict[int, Stages] = {}
    for n in NODE_COUNTS:
        path = tmp / f"generated-{n}.yaml"
        path.write_text(generated(n), encoding="utf-8")
        out = subprocess.run([*PYTHON, "-c", _STAGES, str(path), str(runs)], cwd=ROOT,
                             capture_output=True, text=True, check=True, env=_env()).stdout
        data = json.loads(out)
        whole = alternate({"compile": partial(run, [*ARCHGEN, "compile", str(path)])},
                          runs)["compile"]
        # the fastest of the runs: the least disturbed by others' load on a shared machine,
        # which at 200 nodes (milliseconds) would otherwise swamp the growth
        result[n] = Stages({k: min(v) for k, v in data["times"].items()},
                           data["peak"], whole)
    return result


# -- PNG: bounded by rasterising the picture ------------------------------------------------


@dataclass
class PngRow:
    dpi: int
    width: int  # pixels
    height: int
    dot: float  # `dot -Tpng` alone, median seconds
    ours: float  # raster.py alone writing the PNG
    svg: float  # `dot -Tsvg` alone: the layout and the SVG, which the dpi does not change
    dot_bytes: int
    ours_bytes: int
    dot_mb: float  # peak memory (resident) of the process
    ours_mb: float

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1e6


def png_table(tmp: Path, runs: int) -> tuple[list[PngRow], float]:
    """The seed's PNG at each dpi, drawn from one layout by `dot` alone and by raster.py
    alone (what render runs), and the SVG by dot; and the time of one dot writing png and
    svg at the seed's own dpi."""
    [(bp, source)] = prepare(SEED)
    folder = program_folder(tmp, "png", bp, source)
    graph = str(folder / "graph.gv")  # what render gives dot: the program's graph
    Path(graph).write_text(graph_of(source).source, encoding="utf-8")
    both = alternate({"both": lambda: run(["dot", "-Tpng", "-o", str(folder / "b.png"),
                                           "-Tsvg", "-o", str(folder / "b.svg"), graph])},
                     runs)["both"]
    rows = []
    for dpi in DPIS:
        [(_, source)] = prepare(SEED, Options(formats=("png",), dpi=dpi))
        graph = str(folder / f"{dpi}.gv")
        Path(graph).write_text(graph_of(source).source, encoding="utf-8")
        png = folder / f"{dpi}.png"
        t = alternate({"dot": partial(run, ["dot", "-Tpng", "-o", str(png), graph]),
                       "ours": partial(run, raster(graph, ["png"])),
                       "svg": partial(run, ["dot", "-Tsvg", "-o", str(folder / "x.svg"),
                                            graph])}, runs)
        w, h = struct.unpack(">II", png.read_bytes()[16:24])
        ours = Path(graph + ".png").read_bytes()
        assert struct.unpack(">II", ours[16:24]) == (w, h)
        rows.append(PngRow(dpi, w, h, t["dot"], t["ours"], t["svg"], png.stat().st_size,
                           len(ours), peak_mb(["dot", "-Tpng", "-o", str(png), graph]),
                           peak_mb(raster(graph, ["png"]))))
    return rows, both


def peak_mb(args: list[str]) -> float:
    """Peak resident memory of one run of a command, in MB (its own, through a fresh
    Python that runs nothing else)."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss)")
    out = subprocess.run([*PYTHON, "-c", probe, *args], check=True, capture_output=True,
                         text=True, env=_env()).stdout
    return int(out.split()[-1]) / 1024


# -- hostile input ----------------------------------------------------------------------------


def peak(code: str) -> tuple[float, int]:
    """Seconds and peak resident memory (KB) of a fresh Python running `code`."""
    probe = (f"import resource, time; t = time.perf_counter()\n{code}\n"
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([*PYTHON, "-c", probe], check=True, capture_output=True,
                         text=True, cwd=ROOT, env=_env()).stdout.split()
    return float(out[-2]), int(out[-1])


def billion_laughs(tmp: Path) -> dict[str, float]:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    bomb = tmp / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    load = ("from arch.errors import ArchError\nfrom arch.load import load_file\n"
            "try:\n    load_file({!r})\nexcept ArchError:\n    pass")
    bomb_s, bomb_kb = peak(load.format(str(bomb)))
    seed_s, seed_kb = peak(load.format(SEED))
    return {"refusal s": bomb_s, "peak MB": bomb_kb / 1024, "time / seed load": bomb_s / seed_s,
            "peak memory / seed load": bomb_kb / seed_kb}


# -- the report -------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "graphviz": dot.replace("dot - graphviz version ", ""),
        "diagrams": version("diagrams"),
        "PyYAML": f"{version('PyYAML')} (libyaml: {_libyaml()})",
    }


def _libyaml() -> str:
    import yaml
    return "yes" if getattr(yaml, "__with_libyaml__", False) else "no"


@dataclass
class Results:
    ratios: list[Ratio]
    floors: dict[str, float]  # "render png+svg" / "render svg" -> dot alone, same turns;
    # "svg bytes" / "program svg bytes": the seed's SVG as archgen and the program write it
    parts: dict[str, float]
    remembered: dict[str, float]  # the parts of a render of the unchanged seed
    arrangement: tuple[float, float]  # choosing it the first time, and when remembered
    stages: dict[int, Stages]
    pngs: list[PngRow]
    one_dot: float  # png and svg of the seed from one layout, dot alone
    all_dots: float  # every picture of make diagrams, one dot each, one after the other
    all_rasters: float  # the same, raster.py instead of dot
    laughs: dict[str, float]
    runs: int
    load: tuple[str, str]

    def stage_totals(self) -> dict[int, float]:
        return {n: sum(row.time.values()) for n, row in self.stages.items()}


def _fit(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least squares y = a + b x: (a, b)."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    b = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    return my - b * mx, b


def bounds(res: Results) -> list[str]:
    """What limits the render ratios, from this run's numbers."""
    both = next(r for r in res.ratios if r.name == "render png+svg (seed)")
    svg = next(r for r in res.ratios if r.name == "render svg (seed)")
    edit = next(r for r in res.ratios if r.name == "render svg (seed) after an edit")
    r_imports, r_recall, r_code, r_draw = res.remembered.values()
    folder = next(r for r in res.ratios if r.name.startswith("make diagrams"))  # the first
    cores = os.cpu_count() or 1
    start = res.parts["python start"]
    r_sum = start + r_imports + r_recall + r_draw
    check = next(r for r in res.ratios if r.name.startswith("validate"))
    p = res.parts
    # archgen's alone: what the program run by python does not do at all (the program in
    # process imports diagrams and builds the graph as it does; dot comes with any render)
    validating = p["imports of validate"] + p["catalog"] + p["load + validate"]
    ours = validating + p["imports of drawing"] + p["arrangement (remembered) and compile"]
    floor = res.floors["render png+svg"]
    drawn = res.floors["render png+svg, raster.py"]
    svg_dot = res.floors["render svg"]
    diagrams = p["(python -c 'import diagrams', less the start)"]
    dataclasses = p["(python -c 'import dataclasses', less the start)"]
    made = p["(of those: archgen's dataclasses made, their methods compiled)"]
    yaml = p["(python -c 'import yaml', less the start)"]
    bigger = res.floors["svg bytes"] / res.floors["program svg bytes"]
    return [
        f"- **png+svg**: `dot` alone, drawing both files from one layout (measured in the same "
        f"turns), takes {floor:.3f} s, {floor / both.base:.0%} of the program's "
        f"{both.base:.3f} s: with Python's start ({start:.3f} s) nothing that lets Graphviz "
        f"write its PNG gets below {(floor + start) / both.base:.2f}x. Most of that is "
        "libpng trying every row filter and compressing (the table below). raster.py, which "
        "render runs instead (Graphviz's own cairo drawing, one layout, the PNG written "
        f"without row filters), takes {drawn:.3f} s, {drawn / both.base:.0%} of the "
        "program's, a Python start included. archgen's own parts come on top of it: "
        f"those of a remembered render (the ratio's, above: {r_imports + r_recall:.3f} s of "
        f"imports and recalling), or {ours:.3f} s after an edit.",
        f"- **svg only**: the program takes {svg.base:.3f} s in all, `dot` alone {svg_dot:.3f} "
        f"s of it. 1.10x leaves {svg.base * 0.1:.3f} s for everything archgen does that the "
        "program does not. A render of an unchanged blueprint (`render svg (seed)`, "
        f"{svg.value:.2f}x) does none of the checking and compiling: Python's start "
        f"({start:.3f} s), its imports ({r_imports:.3f} s: no PyYAML, no checks, no "
        f"compiler, no diagrams), recalling the remembered work ({r_recall:.3f} s, "
        f"hashing archgen's code {r_code:.3f} s of it) and `dot`, finishing and moving "
        f"into place ({r_draw:.3f} s) add up to {r_sum:.3f} s, {r_sum / svg.base:.2f}x the "
        "program's median (the program pays the import of diagrams and building the graph "
        f"instead: {diagrams:.3f} s and more). After an edit (`render svg (seed) after an "
        f"edit`, {edit.value:.2f}x) the render is worked out again, the arrangement and "
        "the catalog remembered: its parts above that the program has no part of (its "
        "imports, the catalog, load + validate, the remembered arrangement and compile) "
        f"take {ours:.3f} s, {ours / (svg.base * 0.1):.0f} times the allowance. Importing "
        "PyYAML alone takes "
        f"{yaml:.3f} s and dataclasses alone {dataclasses:.3f} s (each in a Python of its own, "
        "with what they import: dataclasses brings inspect), and making archgen's dataclasses "
        f"as validate's modules are imported {made:.3f} s (each compiles its methods). On top "
        "come the "
        "allow-list check of the program (the program in process, above, builds the same "
        "graph as the program) and finishing the SVG: with "
        f"every icon embedded it is {bigger:.0f} times the program's, which links them.",
        f"- **validate**: `import diagrams` takes {diagrams:.3f} s after Python's start "
        f"({start:.3f} s): 1.5x leaves archgen {1.5 * (start + diagrams) - start:.3f} s after "
        f"the start, where its imports take {p['imports of validate']:.3f} s (PyYAML "
        f"{yaml:.3f} s and dataclasses {dataclasses:.3f} s of that, alone, and making "
        f"archgen's dataclasses {made:.3f} s), the catalog "
        f"{p['catalog']:.3f} s and loading and checking the blueprint and every variant "
        f"{p['load + validate']:.3f} s: {validating:.3f} s in all, "
        f"{(start + validating) / (start + diagrams):.2f}x, measured "
        f"{check.value:.2f}x (the ratio of medians carries the shared machine's load, "
        "which the fastest parts leave out: it moves between runs).",
        f"- **make diagrams**: raster.py alone, one per picture (every format from one "
        f"layout), takes {res.all_rasters:.3f} s one after the other (`dot` alone: "
        f"{res.all_dots:.3f} s); spread over {cores} cores at best "
        f"{res.all_rasters / cores:.3f} s, {res.all_rasters / cores / folder.base:.2f}x the "
        f"programs' {folder.base:.3f} s. On a machine others are using, the cores are not "
        "all archgen's, and the ratio moves toward the single-core one, "
        f"{res.all_rasters / folder.base:.2f}x.",
    ]


def report(res: Results, info: dict[str, str]) -> str:
    lines = ["# Benchmarks", "",
             "Written by `make bench` (bench/bench.py); numbers from one run on one machine. "
             "Each ratio compares whole processes, the commands taking turns (a warm-up "
             f"round, then {res.runs} runs of each) and their medians divided. The machine "
             "may be shared and busy (this one has 2 cores shared by several people): "
             "alternating spreads its load over both sides, which keeps the ratios "
             "meaningful while the absolute times are not.", "",
             "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [f"- load average at start / end: {res.load[0]} / {res.load[1]}", "",
              "## Ratios", "",
              "| what | archgen s | baseline | baseline s | ratio | goal | |",
              "|---|---|---|---|---|---|---|"]
    for r in res.ratios:
        lines.append(f"| {r.name} | {r.ours:.3f} | {r.base_name} | {r.base:.3f} | "
                     f"{r.value:.2f}x | <= {r.goal:.2f}x | {'met' if r.met else 'missed'} |")
    lines += ["", "Before (see BEFORE in bench/bench.py):", "",
              "| what | archgen s | baseline s | ratio |", "|---|---|---|---|", *BEFORE]
    lines += ["", "## Where the time of `archgen render -f svg` of the seed goes", "",
              "The fastest of fresh processes, in the order the command runs them; `archgen "
              "validate` is Python's start, the imports of validate, the catalog and load + "
              "validate. The program pays Python's start, the import of diagrams and its "
              "provider modules, building the graph and dot too; the lines in brackets are "
              "measured on their own (each import in a Python of its own, less the start), "
              "or are a share of the line above them.", "", "| part | s |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in res.parts.items()]
    first, again = res.arrangement
    lines += ["", f"Choosing the seed's arrangement (arch/arrange.py): {first:.3f} s the "
              "first time, as after an edit of what is drawn (dot lays out each "
              f"candidate), {again:.3f} s when remembered, as in every ratio here (the "
              "warm-up round remembers it; the edit of `render svg (seed) after an edit` "
              "is a comment, which leaves the content, and so the arrangement's key, as "
              "it was)."]
    lines += ["", "## Where the time of `archgen render -f svg` of the unchanged seed goes", "",
              "Its render remembered (arch/remember.py), as in the ratio `render svg (seed)`: "
              "no check, no compile, no program; the fastest of fresh processes. The imports "
              "are the modules the command imports, found by running it, imported in a "
              "Python of its own.", "", "| part | s |", "|---|---|",
              f"| python start | {res.parts['python start']:.3f} |"]
    lines += [f"| {k} | {v:.3f} |" for k, v in res.remembered.items()]
    lines += ["", "## What bounds the ratios", ""] + bounds(res)
    lines += ["", "## archgen's own stages on generated blueprints", "",
              "Groups of 20 nodes, a quarter as many edges as nodes; one process, the catalog "
              "loaded first (its cost is in the parts above), the garbage collector set as the "
              "command sets it (`cli.collect_less`). The fastest of the runs in seconds (at "
              "200 nodes a stage takes milliseconds, which others' load would swamp), the "
              "whole `archgen compile` process (median), the peak of Python "
              "memory allocated during each stage (tracemalloc).", "",
              "| nodes | load s | validate s | compile s | together s | load MB | "
              "validate MB | compile MB | `archgen compile` s |",
              "|---|---|---|---|---|---|---|---|---|"]
    totals = res.stage_totals()
    for n, row in res.stages.items():
        t, p = row.time, row.peak
        lines.append(f"| {n} | {t['load']:.3f} | {t['validate']:.3f} | {t['compile']:.3f} | "
                     f"{totals[n]:.3f} | {p['load'] / 2**20:.1f} | {p['validate'] / 2**20:.1f} "
                     f"| {p['compile'] / 2**20:.1f} | {row.process:.3f} |")
    first = NODE_COUNTS[0]
    lines += ["", "Growth of the three stages together: " + ", ".join(
        f"{n // first}x the nodes: {totals[n] / totals[first]:.1f}x the time"
        for n in NODE_COUNTS[1:]) + " (linear would be " +
        ", ".join(f"{n // first}x" for n in NODE_COUNTS[1:]) + ").", "",
        "## PNG: bounded by rasterising the picture", "",
        "The seed's graph at several resolutions (median seconds), its PNG drawn by `dot -Tpng` "
        "alone and by raster.py alone (what render runs: the same cairo drawing, the same "
        "pixels, written without libpng). The layout and the SVG do not depend on the "
        "resolution; the PNG's time grows with its pixel area, spent drawing every pixel "
        "(cairo, scaling each icon) and writing them: libpng tries every row filter on every "
        "row and compresses at zlib's level 6 (about 70% of a profile of `dot -Tpng`); "
        f"raster.py writes the rows unfiltered at zlib's level {ZLIB_LEVEL}.", "",
        "| dpi | pixels | megapixels | dot png s | raster.py png s | svg s | dot s per "
        "megapixel | raster.py s per megapixel | dot png KB | raster.py png KB | dot peak MB "
        "| raster.py peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for png in res.pngs:
        mp = png.megapixels
        lines.append(f"| {png.dpi} | {png.width} x {png.height} | {mp:.1f} | {png.dot:.3f} | "
                     f"{png.ours:.3f} | {png.svg:.3f} | {png.dot / mp:.3f} | "
                     f"{png.ours / mp:.3f} | {png.dot_bytes // 1024} | "
                     f"{png.ours_bytes // 1024} | {png.dot_mb:.0f} | {png.ours_mb:.0f} |")
    laughs = res.laughs
    fits = {name: _fit([(png.megapixels, getattr(png, name)) for png in res.pngs])
            for name in ("dot", "ours")}
    lines += ["", "Straight lines through these points: `dot -Tpng` {:.3f} s plus {:.3f} s per "
              "megapixel, raster.py {:.3f} s plus {:.3f} s per megapixel (the fixed part: the "
              "layout, reading the icons, starting dot or Python).".format(
                  *fits["dot"], *fits["ours"]), "",
              f"Memory: at {res.pngs[-1].dpi} dpi the picture alone takes "
              f"{res.pngs[-1].megapixels * 4:.0f} MB (4 bytes a pixel, while cairo draws it); "
              f"`dot -Tpng` peaks at {res.pngs[-1].dot_mb:.0f} MB, raster.py at "
              f"{res.pngs[-1].ours_mb:.0f} MB (Python, the rows it converts "
              "and compresses 64 at a time in each half, the compressed file).", "",
              f"One `dot` writing png and svg at 96 dpi from one layout: {res.one_dot:.3f} s.",
              "", "## Hostile input", "",
              f"A \"billion laughs\" blueprint is refused in {laughs['refusal s']:.3f} s "
              f"({laughs['time / seed load']:.2f}x the time of loading the seed) at a peak of "
              f"{laughs['peak MB']:.1f} MB ({laughs['peak memory / seed load']:.2f}x the seed "
              "load's).", ""]
    return "\n".join(lines)


def only(which: list[str], runs: int) -> None:
    """Some of the measurements, as the whole run makes them (a quicker look at a change)."""
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as name:
        if "svg" in which:
            ratios, floors = render_ratios(Path(name), runs, svg_only=True)
            for ratio in ratios:
                print(f"{ratio.name}: {ratio.value:.2f}x (goal <= {ratio.goal:.2f}x; "
                      f"{ratio.ours:.3f} s against {ratio.base:.3f} s; dot alone "
                      f"{floors['render svg']:.3f} s)")
        if "validate" in which:
            ratio = validate_ratio(runs)
            print(f"{ratio.name}: {ratio.value:.2f}x (goal <= {ratio.goal:.2f}x; {ratio.ours:.3f} "
                  f"s against {ratio.base:.3f} s)")
        if "parts" in which:
            for k, v in seed_parts(Path(name), runs).items():
                print(f"render -f svg of the seed, {k}: {v:.3f} s")
            for k, v in remembered_parts(Path(name), runs).items():
                print(f"render -f svg of the unchanged seed, {k}: {v:.3f} s")
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each side (median)")
    parser.add_argument("--no-write", action="store_true", help="do not write " + str(DOC))
    parser.add_argument("--only", action="append", choices=("validate", "svg", "parts"),
                        help="measure only this (repeat for more): printed, the document is "
                             "not written")
    args = parser.parse_args()
    runs = max(5, args.runs)
    if args.only:
        only(args.only, runs)
        return
    load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ratios, floors = render_ratios(tmp, runs)
        ratios.append(validate_ratio(runs))
        folder, all_dots, all_rasters = folder_ratio(tmp, runs)
        ratios += folder
        parts = seed_parts(tmp, runs)
        remembered = remembered_parts(tmp, runs)
        arrangement = arrangement_cost(tmp, runs)
        stages = stage_table(tmp, runs)
        pngs, one_dot = png_table(tmp, runs)
        laughs = billion_laughs(tmp)
    load_end = " ".join(f"{x:.1f}" for x in os.getloadavg())
    res = Results(ratios, floors, parts, remembered, arrangement, stages, pngs, one_dot, all_dots,
                  all_rasters, laughs, runs, (load_start, load_end))
    for r in ratios:
        print(f"{r.name}: {r.value:.2f}x (goal <= {r.goal:.2f}x, {'met' if r.met else 'MISSED'}"
              f"; {r.ours:.3f} s against {r.base:.3f} s)")
    totals = res.stage_totals()
    largest = NODE_COUNTS[-1]
    print(f"{largest} nodes: load + validate + compile {totals[largest]:.3f} s in-process, "
          f"`archgen compile` {stages[largest].process:.3f} s (goal < 1 s)")
    for n in NODE_COUNTS[1:]:
        print(f"{n} / {NODE_COUNTS[0]} nodes: {totals[n] / totals[NODE_COUNTS[0]]:.1f}x the "
              f"time (linear: {n // NODE_COUNTS[0]}x)")
    for k, v in parts.items():
        print(f"render -f svg of the seed, {k}: {v:.3f} s")
    for k, v in remembered.items():
        print(f"render -f svg of the unchanged seed, {k}: {v:.3f} s")
    print(f"choosing the seed's arrangement: {arrangement[0]:.3f} s the first time, "
          f"{arrangement[1]:.3f} s when remembered")
    for row in pngs:
        print(f"png at {row.dpi} dpi ({row.width}x{row.height}): dot {row.dot:.3f} s, "
              f"raster.py {row.ours:.3f} s; svg {row.svg:.3f} s")
    print(f"one dot, png + svg at 96 dpi: {one_dot:.3f} s")
    for line in bounds(res):
        print(line)
    print(f"billion laughs: refused in {laughs['refusal s']:.3f} s, "
          f"{laughs['peak MB']:.1f} MB peak")
    if not args.no_write:
        DOC.write_text(report(res, machine()), encoding="utf-8")
        print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

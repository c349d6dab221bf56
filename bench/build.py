"""`archgen build` benchmark (`make bench`): ratios and times measured in one run.

The project: the shipped blueprints plus generated ones (at least 12, and 20 blueprints in
all), in a temporary folder. Every command runs as a whole process; the two sides of a
ratio take turns (a, b, a, b, ...) so that the load of a shared machine falls on both
alike, and each side's median is used.

- cold: `archgen build -j 2` into an empty folder against one `archgen render
  --all-variants` per blueprint, one after the other (the same diagrams); goal >= 1.6x.
- unchanged: a second build with nothing changed; goal under 0.3 s in all, without
  importing diagrams or starting Graphviz (checked with -X importtime and a `dot` that
  logs its starts).
- one changed: a build after one of the 20 blueprints changed against `archgen render` of
  that blueprint alone; goal: no more than 0.2 s over it.

    python bench/build.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# bench/ is this script's folder, first on sys.path: its bench.py and generate.py
from generate import generate  # noqa: E402

from bench import alternate, machine  # noqa: E402

ARCHGEN = [sys.executable, "-m", "arch"]
TOTAL = 20  # blueprints in the project
GENERATED_AT_LEAST = 12


CPU: list[float] = []  # CPU seconds (user + system) of each run, in order


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    after = os.times()
    CPU.append(after.children_user - before.children_user
               + after.children_system - before.children_system)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args)} failed:\n{done.stderr}")
    return took


def project(tmp: Path) -> list[Path]:
    """blueprints/: the shipped ones and generated ones of 15 to 48 nodes."""
    folder = tmp / "blueprints"
    shutil.copytree(ROOT / "blueprints", folder, ignore=shutil.ignore_patterns("*.svg", "*.png"))
    shipped = sorted(folder.glob("*.yaml"))
    count = max(GENERATED_AT_LEAST, TOTAL - len(shipped))
    for i in range(count):
        (folder / f"generated-{i + 1:02}.yaml").write_text(generate(15 + 3 * i, seed=i + 1))
    return sorted(folder.glob("*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (median)")
    args = parser.parse_args()
    load_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="archgen-bench-build-") as name:
        tmp = Path(name)
        blueprints = project(tmp)
        rel = [str(p.relative_to(tmp)) for p in blueprints]
        diagrams = 0

        # cold: one build of everything against one render per blueprint
        def cold_build() -> float:
            shutil.rmtree(tmp / "out", ignore_errors=True)
            return run([*ARCHGEN, "build", "blueprints", "-o", "out", "-j", "2"], tmp)

        def renders() -> float:
            shutil.rmtree(tmp / "renders", ignore_errors=True)
            return sum(run([*ARCHGEN, "render", p, "--all-variants", "-o", "renders"], tmp)
                       for p in rel)

        cold = alternate({"build": cold_build, "renders": renders}, args.runs)
        cold_build()  # leave a complete build behind
        diagrams = len(list((tmp / "out").glob("*.svg")))

        # unchanged: a build with nothing to do, and a check of what it did not do
        CPU.clear()
        unchanged = alternate({"build": lambda: run([*ARCHGEN, "build", "blueprints", "-o",
                                                     "out"], tmp)}, max(7, args.runs))
        CPU[:1] = []  # the warm-up run
        unchanged_cpu = statistics.median(CPU)
        bin_dir = tmp / "bin"
        bin_dir.mkdir()
        log = tmp / "dot.log"
        real = shutil.which("dot")
        (bin_dir / "dot").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
        (bin_dir / "dot").chmod(0o755)
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        run([*ARCHGEN, "build", "blueprints", "-o", "out"], tmp, env)  # learns this dot
        log.unlink(missing_ok=True)
        probe = subprocess.run([sys.executable, "-X", "importtime", "-m", "arch", "build",
                                "blueprints", "-o", "out"], cwd=tmp, env=env,
                               capture_output=True, text=True)
        imported_diagrams = bool(re.search(r"\| +diagrams(\.\w+)*$", probe.stderr, re.M))
        started_dot = log.exists()

        # one changed blueprint of all: build against a render of that blueprint alone. Each
        # side draws a program it has not drawn before (render remembers the arrangement it
        # chose per program, so drawing the same program again would be quicker).
        changed = tmp / "blueprints" / "generated-05.yaml"
        text = changed.read_text()
        turn = [0]

        def edit(side: str) -> None:
            turn[0] += 1
            changed.write_text(text.replace("title: ", f"title: Edit {side}{turn[0]} ", 1))

        def changed_build() -> float:
            edit("b")
            return run([*ARCHGEN, "build", "blueprints", "-o", "out"], tmp)

        def one_render() -> float:
            edit("r")
            return run([*ARCHGEN, "render", str(changed.relative_to(tmp)), "--all-variants",
                        "-o", "one"], tmp)

        one = alternate({"build": changed_build, "render": one_render}, max(5, args.runs))

    speedup = cold["renders"] / cold["build"]
    over = one["build"] - one["render"]
    generated = sum(1 for p in blueprints if p.name.startswith("generated-"))
    print(f"archgen build: {len(blueprints)} blueprints ({generated} generated), {diagrams} "
          f"diagrams (each as written and every variant), png+svg each")
    for key, value in machine().items():
        print(f"  {key}: {value}")
    load_end = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  load average (1, 5, 15 min) at the start: {load_start}, at the end: {load_end}")
    rows = [
        ("cold build -j 2 vs one render per blueprint, in turn",
         f"{cold['renders']:.2f} s / {cold['build']:.2f} s = {speedup:.2f}x", ">= 1.6x",
         speedup >= 1.6),
        ("no-change build (CPU time of it)",
         f"{unchanged['build']:.3f} s ({unchanged_cpu:.3f} s)", "< 0.3 s",
         unchanged["build"] < 0.3),
        ("  imports diagrams / starts Graphviz", f"{imported_diagrams} / {started_dot}",
         "False / False", not imported_diagrams and not started_dot),
        ("one changed of 20: build - render of it",
         f"{one['build']:.2f} s - {one['render']:.2f} s = {over:+.2f} s", "< +0.2 s",
         over < 0.2),
    ]
    for what, value, goal, met in rows:
        print(f"  {what:<52} {value:<36} goal {goal:<14} {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()

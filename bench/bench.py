"""archgen benchmarks: `make bench`. Ratios against a baseline measured in the same run.

- folder speed: rendering every shipped blueprint (and variant) with one job and with
  one job per CPU; the ratio is the speed-up of the parallel build.
- stages: load + validate + compile against the whole render of the seed blueprint, to
  show where the time goes (Graphviz's layout, not archgen).
- hostile input: refusing a "billion laughs" blueprint against loading the seed blueprint
  (time, and the peak memory of a process doing each).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = sorted(str(p) for p in (ROOT / "blueprints").glob("*.yaml"))
SEED = str(ROOT / "blueprints" / "aws-web-app.yaml")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def best(args: list[str], runs: int = 3) -> float:
    return min(timed(args) for _ in range(runs))


def peak(code: str) -> tuple[float, int]:
    """Seconds and peak resident memory (KB) of a fresh Python running `code`."""
    probe = (f"import resource, time; t = time.perf_counter()\n{code}\n"
             "print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.split()
    return float(out[-2]), int(out[-1])


def main() -> None:
    archgen = [sys.executable, "-m", "arch"]
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        render_all = [*archgen, "render", *BLUEPRINTS, "--all-variants", "-o", tmp, "-f", "svg"]
        serial = best([*render_all, "-j", "1"])
        parallel = best([*render_all, "-j", str(os.cpu_count() or 1)])
        results["folder: serial s"] = round(serial, 2)
        results["folder: parallel s"] = round(parallel, 2)
        results["folder: speed-up (serial / parallel)"] = round(serial / parallel, 2)

        whole = best([*archgen, "render", SEED, "-o", tmp, "-f", "svg"])
        front = best([*archgen, "compile", SEED])
        results["seed: compile / render"] = round(front / whole, 2)

        lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, 10):
            lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
        bomb = Path(tmp) / "bomb.yaml"
        bomb.write_text("\n".join(lines) + "\n")
        load = ("from arch.errors import ArchError\nfrom arch.load import load_file\n"
                "try:\n    load_file({!r})\nexcept ArchError:\n    pass")
        bomb_s, bomb_kb = peak(load.format(str(bomb)))
        seed_s, seed_kb = peak(load.format(SEED))
        results["billion laughs: refusal s"] = round(bomb_s, 3)
        results["billion laughs: peak MB"] = round(bomb_kb / 1024, 1)
        results["billion laughs / seed load: time"] = round(bomb_s / seed_s, 2)
        results["billion laughs / seed load: peak memory"] = round(bomb_kb / seed_kb, 2)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

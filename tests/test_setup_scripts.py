"""The set-up scripts on a machine that lacks what they install (a fresh Debian 12 has no
make and no python3-venv): fake tools on a PATH of their own, apt-get only recording."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

FAKE_OK = "#!/bin/sh\nexit 0\n"


def _run(tmp_path: Path, tools: dict[str, str], uid: int = 0
         ) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    fakes = {"id": f"#!/bin/sh\necho {uid}\n",
             "apt-get": f'#!/bin/sh\necho "$*" >> {log}\n', **tools}
    for name, script in fakes.items():
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    done = subprocess.run(["/bin/sh", str(ROOT / "scripts" / "ensure-python.sh")],
                          env={"PATH": str(bin_dir)}, capture_output=True, text=True,
                          timeout=60)
    return done, log.read_text().splitlines() if log.exists() else []


@pytest.mark.parametrize("tools,installed", [
    ({}, "make python3 python3-venv"),
    ({"make": FAKE_OK, "python3": "#!/bin/sh\nexit 1\n"}, "python3-venv"),  # no ensurepip
    ({"python3": FAKE_OK}, "make"),
], ids=["nothing", "python3 without venv", "no make"])
def test_ensure_python_installs_what_is_missing_as_root(
        tmp_path: Path, tools: dict[str, str], installed: str) -> None:
    done, apt = _run(tmp_path, tools)
    assert done.returncode == 0, done.stderr
    assert apt == ["update -qq", f"install -y -qq --no-install-recommends {installed}"]


def test_ensure_python_does_nothing_when_all_is_there(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, {"make": FAKE_OK, "python3": FAKE_OK})
    assert (done.returncode, done.stderr, apt) == (0, "", [])


def test_ensure_python_says_how_when_it_may_not_install(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, {"python3": FAKE_OK}, uid=1000)
    assert done.returncode == 1 and apt == []
    assert done.stderr == ("error: archgen's set-up needs make: sudo apt-get install make "
                           "(Debian/Ubuntu)\n")


def test_ci_runs_it_before_make() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    steps = [line.split("#")[0].strip() for line in lines if not line.startswith("#")]
    assert steps.index("sh scripts/ensure-python.sh") < min(
        i for i, step in enumerate(steps) if step.startswith("make "))

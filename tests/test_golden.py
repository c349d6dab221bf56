"""Golden files of generated code: every shipped blueprint and the cases in tests/golden/.

A change to the compiler shows up here as a readable diff of the generated program.
Refresh with `make golden` (pytest --update-golden) and review the diff before committing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from arch.compile import compile_blueprint
from arch.validate import load_blueprint

from .conftest import BLUEPRINTS, ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(GOLDEN.glob("*.yaml")) + BLUEPRINTS


def _relative(path: Path) -> str:
    # The blueprint's path is part of nothing generated, but keep the call as a user makes it.
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("blueprint", CASES, ids=lambda p: p.stem)
def test_generated_code_matches_golden(blueprint: Path, update_golden: bool,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    source = compile_blueprint(load_blueprint(_relative(blueprint)))
    golden = GOLDEN / f"{blueprint.stem}.py.txt"
    if update_golden:
        golden.write_text(source, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run `make golden`"
    assert source == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files() -> None:
    expected = {f"{p.stem}.py.txt" for p in CASES}
    present = {p.name for p in GOLDEN.glob("*.py.txt")}
    assert present <= expected, f"stale golden files: {sorted(present - expected)}"


def test_only_blueprints_programs_and_icons_in_the_golden_folder() -> None:
    """A stray render (an .svg, a .png outside icons/) or a file of an unknown kind fails."""
    allowed = {".yaml": GOLDEN, ".txt": GOLDEN, ".png": GOLDEN / "icons",
               ".jpg": GOLDEN / "icons"}
    strays = [str(p.relative_to(GOLDEN)) for p in sorted(GOLDEN.rglob("*"))
              if p.is_file() and allowed.get(p.suffix) != p.parent]
    assert strays == []


@pytest.mark.parametrize("blueprint", CASES, ids=lambda p: p.stem)
def test_generated_code_is_formatter_clean(blueprint: Path) -> None:
    """Within 100 characters a line, and as `ruff format` (quotes kept) writes it."""
    source = (GOLDEN / f"{blueprint.stem}.py.txt").read_text(encoding="utf-8")
    assert max(len(line) for line in source.splitlines()) <= 100
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--line-length", "100", "--config",
         "format.quote-style='preserve'", "--stdin-filename", "program.py", "-"],
        input=source, capture_output=True, text=True, check=True).stdout
    assert formatted == source

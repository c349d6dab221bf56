"""What other repositories take from this one: the CI workflow and the pre-commit hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT
from .helpers import write

WORKFLOW = ROOT / ".github" / "workflows" / "diagrams.yml"


def _tool(name: str) -> str:
    """A command of the dev extras: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is missing: `make setup` installs the dev extras"
    return found


def _actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("actionlint"), "-no-color", str(path)], capture_output=True,
                          text=True, timeout=120)


def test_diagrams_workflow_passes_actionlint() -> None:
    done = _actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The check above can fail: an unknown key and a bad expression are found."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "run-on:", 1)
                      .replace("${{ github.ref_name }}", "${{ github.nothing( }}", 1))
    done = _actionlint(broken)
    assert done.returncode == 1
    assert "run-on" in done.stdout and "nothing(" in done.stdout


def test_the_sharded_example_in_the_workflow_passes_actionlint(tmp_path: Path) -> None:
    """The commented matrix example, uncommented, is a valid workflow too."""
    lines = WORKFLOW.read_text().splitlines()
    start = lines.index("  # build:")
    jobs = [re.sub(r"^  # ?", "  ", line) for line in lines[start:] if line.startswith("  #")]
    example = tmp_path / "sharded.yml"
    example.write_text("on: push\njobs:\n" + "\n".join(jobs) + "\n")
    done = _actionlint(example)
    assert done.returncode == 0, done.stdout + done.stderr
    text = example.read_text()
    assert "--shard ${{ matrix.shard }}/3" in text and "--merge shard-1 shard-2 shard-3" in text


def test_diagrams_workflow_tests_builds_and_uploads_output() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    assert set(flow[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on:` as True
    steps = flow["jobs"]["diagrams"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert any("apt-get install" in r and "graphviz" in r for r in runs)
    # the README's test command, then the build, then the artifact
    assert runs.index("make test") < runs.index("make diagrams") < uses.index(
        "actions/upload-artifact")
    upload = steps[uses.index("actions/upload-artifact")]["with"]
    assert upload["path"] == "output/"
    assert "make test" in (ROOT / "README.md").read_text()


@pytest.mark.graphviz
def test_pre_commit_hooks_run_from_this_repository(tmp_path: Path) -> None:
    """pre-commit installs archgen from this repository into its own environment and runs
    both hooks in another repository: the good blueprint is built, the bad one reported
    at its line and column, and a YAML file outside blueprints/ is left alone."""
    repo = tmp_path / "repo"
    for folder in ("blueprints", "config"):
        (repo / folder).mkdir(parents=True)
    write(repo / "blueprints", "blueprint: 1\ntitle: Good\nprovider: aws\nnodes: [EC2, RDS]\n"
                               "edges: [ec2 -> rds]\noutput: {formats: [svg]}\n", "good.yaml")
    write(repo / "blueprints", "blueprint: 1\ntitle: Bad\nnodes: [Lamda]\n", "bad.yaml")
    write(repo / "config", "not: a blueprint\n", "settings.yaml")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        subprocess.run(command, cwd=repo, check=True, env=env)
    done = subprocess.run([_tool("pre-commit"), "try-repo", str(ROOT), "--all-files",
                           "--color", "never"], cwd=repo, capture_output=True, text=True,
                          env=env, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert re.search(r"archgen validate\.+Failed", out) and re.search(r"archgen build\.+Failed",
                                                                      out), out
    assert "blueprints/bad.yaml:3:9: error: unknown node type 'Lamda'" in out
    assert "OK good" in out and "settings.yaml" not in out
    assert (repo / "output" / "good.svg").is_file()
    assert sorted(p.name for p in (repo / "output").iterdir() if not p.name.startswith(".")) \
        == ["good.svg", "index.html", "manifest.json"]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["archgen-validate", "archgen-build"]

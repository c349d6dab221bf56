"""Shared fixtures: paths of the checkout, and the --update-golden flag."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# In CI the property tests check a fixed sample (reproducible: a red build can be re-run and
# read); on a developer's machine they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis keeps its examples and caches in .hypothesis/ of the working folder, the
# checkout: tests write nothing there, so they live in the user's cache folder instead.
set_hypothesis_home_dir(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                        / "archgen-tests" / "hypothesis")
BLUEPRINTS = sorted((ROOT / "blueprints").glob("*.yaml"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current compiler")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _renders_remembered_per_test(tmp_path_factory: pytest.TempPathFactory,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`archgen render` run in this process remembers its work in a folder of the test's
    own (remember.py): in the user's cache, one test's render would answer another's, past
    what that test changed in archgen (a render function made to fail, say)."""
    from arch import remember

    folder = tmp_path_factory.mktemp("renders")
    monkeypatch.setattr(remember, "folder", lambda: folder)


def three_zones(indent: int) -> str:
    """Zones a, b and c as blueprint YAML items `indent` spaces in, each a public subnet (a
    NAT gateway) over an app subnet (svc, Fargate) and a data subnet (db, Aurora)."""
    zone = """\
- id: az-{z}
  label: {z}
  kind: availability-zone
  groups:
    - {{id: public, label: Public, kind: public-subnet, nodes: [NAT Gateway]}}
    - {{id: app, label: App, kind: private-subnet, nodes: [{{id: svc, type: Fargate}}]}}
    - {{id: data, label: Data, kind: private-subnet, nodes: [{{id: db, type: Aurora}}]}}
"""
    return "".join(" " * indent + line + "\n" for z in "abc"
                   for line in zone.format(z=z).splitlines())

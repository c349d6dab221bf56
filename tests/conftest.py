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

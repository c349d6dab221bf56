"""A render's processes and files when archgen is stopped: killed, interrupted, timed out."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from arch import lifecycle

from .conftest import ROOT
from .helpers import invoke, processes_with, wait_for, write

SEED = ROOT / "blueprints" / "readme-example.yaml"


@pytest.fixture
def hanging_dot(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexec sleep 60\n")
    (bin_dir / "dot").chmod(0o755)
    return bin_dir, {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.graphviz
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM],
                         ids=["SIGKILL", "SIGINT", "SIGTERM"])
def test_a_stopped_render_leaves_no_process_no_work_folder_and_the_old_files(
        sig: signal.Signals, tmp_path: Path, hanging_dot: tuple[Path, dict[str, str]]
        ) -> None:
    bin_dir, env = hanging_dot
    out = tmp_path / "out"
    out.mkdir()
    old = {"readme-example.png": b"old png", "readme-example.svg": b"old svg"}
    for name, data in old.items():
        (out / name).write_bytes(data)
    proc = subprocess.Popen([sys.executable, "-m", "arch", "render", str(SEED), "-o", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # under way: the fake dot (the render's grandchild) is running
    wait_for(lambda: bool(processes_with(bin_dir, b"sleep")))
    assert processes_with(bin_dir, b"sleep")  # archgen has started the fake dot
    proc.send_signal(sig)
    code = proc.wait(timeout=30)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 128 + sig)
    wait_for(lambda: not processes_with(bin_dir))
    assert processes_with(bin_dir) == []  # no program, no dot left running
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == old
    if sig == signal.SIGINT:
        assert b"interrupted" in proc.communicate()[1]
    if sig != signal.SIGKILL:  # a handler ran: nothing is left behind
        assert sorted(p.name for p in out.iterdir()) == sorted(old)
        return
    # a SIGKILL runs no handler: the next run clears the work folder nobody owns
    path = write(tmp_path, "blueprint: 1\ntitle: N\nnodes: [aws.compute.EC2]\n")
    result = invoke(["render", str(path), "-o", str(out), "-f", "dot"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted([*old, "bp.dot"])


def test_only_work_folders_no_living_process_owns_are_cleared(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".archgen-{dead}-abc"
    young = tmp_path / f".archgen-{os.getpid()}-new"  # made a moment ago, not locked yet
    locked = tmp_path / ".archgen-1-busy"
    unnamed = tmp_path / ".archgen-k2j4x"  # an older archgen's: no process named, no lock
    unnamed_old = tmp_path / ".archgen-9xq7w"
    other = tmp_path / ".archgen-notes"  # a file, not a work folder
    for folder in (stale, young, locked, unnamed, unnamed_old):
        folder.mkdir()
        (folder / "x").write_text("x")
    two_hours_ago = time.time() - 7200
    os.utime(unnamed_old, (two_hours_ago, two_hours_ago))
    other.write_text("mine")
    fd = os.open(locked, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        assert sorted(lifecycle.clear_stale_work(tmp_path)) == sorted([stale, unnamed_old])
    finally:
        os.close(fd)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [young.name, locked.name, unnamed.name, other.name])


def test_a_scratch_folder_is_locked_while_used_and_removed_after(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    with lifecycle.scratch("archgen-layout-") as folder:
        assert folder.parent == tmp_path and folder.name.startswith(
            f"archgen-layout-{os.getpid()}-")
        assert lifecycle.clear_stale_work(tmp_path, "archgen-layout-") == []  # in use
    assert list(tmp_path.iterdir()) == []


def test_work_folders_are_new_each_time_and_only_their_owner_s(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    made = [lifecycle.make_work(tmp_path / "out") for _ in range(3)]
    try:
        assert len(set(made)) == 3
        for work in made:
            assert work.is_absolute() and work.parent == (tmp_path / "out").absolute()
            assert work.name.startswith(f"{lifecycle.WORK_PREFIX}{os.getpid()}-")
            assert work.stat().st_mode & 0o777 == 0o700
    finally:
        for work in made:
            lifecycle.drop_work(work)
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.graphviz
def test_every_file_is_replaced_by_one_rename_over_the_old(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: R\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("svg", "dot"):
        (out / f"bp.{fmt}").write_text("old")
    seen: list[bool] = []
    real = os.replace

    def watched(src: str | Path, dst: str | Path) -> None:
        if Path(dst).parent == out:
            seen.append(Path(dst).is_file())  # the old file is still there, up to the rename
        real(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    result = invoke(["render", str(path), "-o", str(out), "-f", "svg,dot"])
    assert result.exit_code == 0, result.stderr
    assert seen == [True, True]
    assert all((out / f"bp.{fmt}").read_text() != "old" for fmt in ("svg", "dot"))


def test_timeout_bounds_checking_the_blueprints_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import arch.validate

    checked: list[str] = []

    def slow(path: str, **options: object) -> object:
        checked.append(path)
        time.sleep(30)  # a check that would never end in time
        raise AssertionError("not stopped")

    monkeypatch.setattr(arch.validate, "load_blueprint", slow)
    first = write(tmp_path, "blueprint: 1\ntitle: T\nnodes: [aws.compute.EC2]\n", "a.yaml")
    second = write(tmp_path, "blueprint: 1\ntitle: U\nnodes: [aws.compute.EC2]\n", "b.yaml")
    result = invoke(["render", str(first), str(second), "-o",
                     str(tmp_path / "o"), "--timeout", "1"])
    assert result.exit_code == 1
    assert result.stderr.startswith("archgen: error: stopped after --timeout 1 s, before "
                                    "anything was drawn")
    assert checked == [str(first)]  # the whole command stopped, not just one file's check
    assert not (tmp_path / "o").exists()
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_sigterm_stops_renders_and_leaves_no_work_folder(
        tmp_path: Path, hanging_dot: tuple[Path, dict[str, str]]) -> None:
    bin_dir, env = hanging_dot
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "arch", "render", str(SEED), "-o", str(out)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # our fake dot runs (choosing the arrangement, or rendering)
    wait_for(lambda: bool(processes_with(bin_dir, b"sleep")))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not out.exists() or list(out.iterdir()) == []
    wait_for(lambda: not processes_with(bin_dir))
    assert processes_with(bin_dir) == []


_SLOW_RENDER = """
import importlib, sys, time
render = importlib.import_module("arch.render")
real = render._draw
def slow(bp, source):
    time.sleep(60)  # a render busy in Python, where no signal reaches it
    return real(bp, source)
render._draw = slow
from arch.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_timeout_stops_a_render_busy_in_python(tmp_path: Path) -> None:
    path = write(tmp_path, "blueprint: 1\ntitle: T\nnodes: [aws.compute.EC2]\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bp.svg").write_text("old")
    proc = subprocess.run([sys.executable, "-c", _SLOW_RENDER, "render", str(path), "-o",
                           str(out), "-f", "svg", "--timeout", "1"],
                          capture_output=True, text=True, timeout=50)
    assert proc.returncode == 1
    assert proc.stderr == ("archgen: error: stopped after --timeout 1 s; the renders under "
                           "way were stopped and wrote nothing\n")
    assert [p.name for p in out.iterdir()] == ["bp.svg"]  # no work folder left either
    assert (out / "bp.svg").read_text() == "old"

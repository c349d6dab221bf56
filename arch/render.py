"""Stage 5, render: run a compiled program and put its files into the output folder.

The program that runs is exactly the text `archgen compile` prints. It runs in a separate
Python process (isolated mode, a timeout) inside a fresh work folder next to the output
folder, so a crash or a half-written file never reaches the output: only when every
requested file exists is each one finished (`files`) and moved into place with an atomic
rename. Graphviz's warnings, which diagrams would silence, are kept: `dot` is reached through
a small wrapper in the work folder that copies its stderr to a log.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import diagrams

from . import files
from .errors import ArchError, Pos
from .model import Blueprint

DEFAULT_TIMEOUT = 120.0

DOT_MISSING_HINT = (
    "install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
    "`sudo dnf install graphviz` (Fedora), `brew install graphviz` (macOS)"
)


RESOURCES = Path(diagrams.__file__).resolve().parent.parent / "resources"

# Renders under way: their work folders and programs, so that a SIGTERM (a CI job being
# cancelled) can stop them and leave nothing behind in the output folders.
_LIVE_LOCK = threading.Lock()
_LIVE_WORK: set[Path] = set()
_LIVE_PROCS: set[subprocess.Popen[str]] = set()
_SWAPS: dict[Path, list[tuple[Path, Path | None]]] = {}  # work folder -> swap in progress


def abort_all() -> None:
    """Stop every render under way and remove its work folder (the SIGTERM handler)."""
    with _LIVE_LOCK:
        for proc in list(_LIVE_PROCS):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for work in list(_LIVE_WORK):
            for dst, aside in _SWAPS.get(work, []):  # an old file moved aside goes back
                if aside is not None and aside.exists():
                    os.replace(aside, dst)
            shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True)
class Rendered:
    blueprint: Blueprint
    files: tuple[Path, ...]
    warnings: tuple[str, ...] = ()  # what Graphviz printed on stderr, line by line
    notes: tuple[str, ...] = ()  # what archgen had to do differently, always shown


def check_dot() -> None:
    """Fail early, and say how to fix it, when Graphviz's `dot` is not installed."""
    if shutil.which("dot") is None:
        raise ArchError.at(None, "Graphviz's `dot` program was not found on PATH",
                           DOT_MISSING_HINT)


def render(bp: Blueprint, source: str, out_dir: str | Path,
           timeout: float = DEFAULT_TIMEOUT) -> Rendered:
    """Run `source` (compiled from `bp`) and move its files into out_dir atomically."""
    check_dot()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        # Absolute, once: the program runs inside `work` and finds the dot wrapper through
        # PATH, where a relative folder would name nothing.
        work = Path(tempfile.mkdtemp(prefix=".archgen-", dir=out.absolute()))
        with _LIVE_LOCK:
            _LIVE_WORK.add(work)
    except OSError as exc:
        raise ArchError.at(Pos(bp.file), f"cannot write to output folder {str(out)!r}: "
                                         f"{exc.strerror}") from None
    try:
        _copy_icons(bp, work)
        warnings = _run(bp, source, work, timeout)
        made = [work / name for name in bp.output.file_names()]
        missing = [p.name for p in made if not p.is_file() or p.stat().st_size == 0]
        if missing:
            raise ArchError.at(Pos(bp.file), "the render produced no " + ", ".join(missing))
        for path, fmt in zip(made, bp.output.formats, strict=True):
            if not files.complete(fmt, path.read_bytes()):
                raise ArchError.at(Pos(bp.file), f"Graphviz wrote an incomplete {path.name}; "
                                                 f"nothing was changed in {str(out)!r}")
            _finish(path, fmt, bp, work)
        targets = [out / name for name in bp.output.file_names()]
        for target in targets:
            if target.is_symlink() or (target.exists() and not target.is_file()):
                raise ArchError.at(Pos(bp.file), f"{str(target)!r} is in the way: it is not a "
                                                 f"file (a folder or a link), and is left as it is")
        _swap_in(made, targets, work)
        return Rendered(bp, tuple(targets), warnings)
    except OSError as exc:
        raise ArchError.at(Pos(bp.file), f"cannot write the rendered files into "
                                         f"{str(out)!r}: {exc.strerror}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with _LIVE_LOCK:
            _LIVE_WORK.discard(work)


def _swap_in(made: list[Path], targets: list[Path], work: Path) -> None:
    """Move the new files into place, all or none: each old file is first moved aside, and
    if any move fails (a full disk, a folder taken away) every old file is put back."""
    done: list[tuple[Path, Path | None]] = []  # target, where its old file waits
    with _LIVE_LOCK:
        _SWAPS[work] = done
    try:
        for i, (src, dst) in enumerate(zip(made, targets, strict=True)):
            aside = work / f".old-{i}" if dst.exists() else None
            if aside is not None:
                os.replace(dst, aside)
            done.append((dst, aside))
            os.replace(src, dst)
    except OSError:
        for dst, aside in reversed(done):
            if aside is not None and aside.exists():
                os.replace(aside, dst)
            elif aside is None:
                dst.unlink(missing_ok=True)
        raise
    finally:
        with _LIVE_LOCK:
            _SWAPS.pop(work, None)


def _copy_icons(bp: Blueprint, work: Path) -> None:
    """Custom icons are named relative to the blueprint's folder; the program runs in `work`."""
    for n in bp.custom_icon_nodes():
        assert n.icon is not None
        target = work / n.icon
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(bp.base_dir) / n.icon, target)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


def _failure(bp: Blueprint, stderr: str, code: int, log: Path) -> ArchError:
    """One line on why the program failed: what Graphviz said, else the last line."""
    if "ExecutableNotFound" in stderr or "failed to execute" in stderr:
        return ArchError.at(None, "Graphviz's `dot` program could not be run",
                            DOT_MISSING_HINT)
    died = re.search(r"died with <Signals\.(\w+)", stderr)
    if died:
        what = "was killed" if died.group(1) in ("SIGKILL", "SIGTERM") else "crashed"
        return ArchError.at(Pos(bp.file), f"Graphviz's dot {what} ({died.group(1)}); "
                                          f"nothing was written")
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    last = lines[-1] if lines else f"exit status {code}"
    said = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
    if said:  # what Graphviz itself said is the useful part
        last = f"Graphviz: {said[0].strip()}"
    return ArchError.at(Pos(bp.file), f"the render failed: {last}")


def _finish(path: Path, fmt: str, bp: Blueprint, work: Path) -> None:
    data = path.read_bytes()
    if fmt == "svg":
        data = files.finish_svg(data, lambda href: icon_file(work, href).read_bytes())
    elif fmt == "png":
        data = files.finish_png(data, bp.output.dpi)
    elif fmt == "dot":
        data = files.finish_dot(data, RESOURCES)
    path.write_bytes(data)


def icon_file(work: Path, href: str) -> Path:
    """An icon the SVG names: absolute (a node's), relative to the work folder (a custom
    icon) or to diagrams' resources folder (a group icon, found through imagepath)."""
    local = work / href
    return local if local.is_file() else RESOURCES / href


_DOT_WRAPPER = """#!/bin/sh
exec "$ARCHGEN_DOT" "$@" 2>>"$ARCHGEN_DOT_LOG"
"""


def _run(bp: Blueprint, source: str, work: Path, timeout: float) -> tuple[str, ...]:
    """Run the program; return Graphviz's warnings."""
    real_dot = shutil.which("dot")
    assert real_dot is not None  # check_dot() ran first
    bin_dir = work / ".bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "dot"
    wrapper.write_text(_DOT_WRAPPER)
    wrapper.chmod(0o755)
    log = work / ".dot-stderr"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", ARCHGEN_DOT=real_dot,
               ARCHGEN_DOT_LOG=str(log))
    # A session of its own, so that on a timeout the program and the dot it started are
    # stopped together.
    proc = subprocess.Popen(
        [sys.executable, "-I", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=work, env=env, start_new_session=True,
    )
    with _LIVE_LOCK:
        _LIVE_PROCS.add(proc)
    try:
        _, stderr = proc.communicate(source, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise ArchError.at(Pos(bp.file), f"the layout took longer than {timeout:g} s and was "
                                         f"stopped; nothing was written",
                           "a very large blueprint may need --timeout SECONDS") from None
    finally:
        with _LIVE_LOCK:
            _LIVE_PROCS.discard(proc)
    if proc.returncode != 0:
        raise _failure(bp, stderr, proc.returncode, log)
    if not log.exists():
        return ()
    # dot runs once per format and repeats its warnings: each is reported once.
    lines = log.read_text(errors="replace").splitlines()
    return tuple(dict.fromkeys(line for line in lines if line.strip()))

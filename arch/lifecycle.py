"""The life of a render's processes and files: one home for what must hold when archgen stops.

- Children die with archgen: the render's Python and its `dot` are started under
  `setpriv --pdeathsig KILL` (Linux), so even a SIGKILL of archgen, which runs no handler,
  takes them down; each runs in a session of its own so that a timeout stops the program
  and the `dot` it started together.
- Work folders are `.archgen-PID-XXXX` inside the output folder, locked (flock) while their
  render lives: the next run removes every one whose lock is free and whose process is gone.
- SIGTERM, SIGINT and SIGHUP stop every render at once, put back any old file a swap had
  replaced, remove the work folders and exit 128+signal (130 for Ctrl-C).
- `--timeout` bounds the whole command: a deadline taken when the command starts, which
  validation (a SIGALRM) and every render (their remaining time) answer to.
- Each output file is replaced by one rename over the old one, so a reader sees the old
  file or the new one, never neither; a hard link of the old file is kept in the work
  folder until every file is in, to put all of them back if one move fails.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

from .errors import Problem

# subprocess, shutil and tempfile are imported by the functions that start or remove
# something: every command enters stop_signals(), and `validate` should not pay for them.
TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    import subprocess

# Seconds a command may take by default (--timeout): checking and rendering together.
DEFAULT_TIMEOUT = 120.0

WORK_PREFIX = ".archgen-"
# A work folder that is not locked yet (it was just made) belongs to a process that lives:
# it is left alone unless its process is gone or it is older than this.
_YOUNG_SECONDS = 60.0
# A folder of an archgen that named no process and took no lock: surely stale after this.
_UNNAMED_SECONDS = 3600.0

_LOCK = threading.RLock()  # re-entrant: a signal handler may run while the main thread holds it
_PROCS: set[subprocess.Popen[str]] = set()
_WORK: dict[Path, int] = {}  # work folder -> descriptor holding its lock
_SWAPS: dict[Path, list[tuple[Path, Path | None]]] = {}  # work -> (target, old file's link)
_ABORTING = False


class Stopped(Exception):
    """A render was stopped because archgen is being stopped (a signal)."""


# -- children that die with archgen ----------------------------------------------------------

def _setpriv() -> str | None:
    if not sys.platform.startswith("linux"):
        return None
    import shutil

    return shutil.which("setpriv")


def die_with_parent(argv: Sequence[str]) -> list[str]:
    """The command line that runs argv and kills it (SIGKILL) when its parent dies."""
    tool = _setpriv()
    return [tool, "--pdeathsig", "KILL", *argv] if tool else list(argv)


def start(argv: Sequence[str], **kwargs: object) -> subprocess.Popen[str]:
    """Start a child that dies with archgen, in a session of its own, and track it."""
    import subprocess

    with _LOCK:
        if _ABORTING:
            raise Stopped()
        proc: subprocess.Popen[str] = subprocess.Popen(  # type: ignore[call-overload]
            die_with_parent(argv), start_new_session=True, text=True, **kwargs)
        _PROCS.add(proc)
    return proc


def kill(proc: subprocess.Popen[str]) -> None:
    """Stop a child and everything it started (its session's process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def finished(proc: subprocess.Popen[str]) -> None:
    with _LOCK:
        _PROCS.discard(proc)


# -- work folders ----------------------------------------------------------------------------

def make_work(out: Path, prefix: str = WORK_PREFIX) -> Path:
    """A fresh work folder in `out`, locked for as long as this process renders into it."""
    clear_stale_work(out, prefix)
    # Absolute: dot runs inside it, where a relative folder would name nothing.
    work = _fresh_folder(out.absolute(), f"{prefix}{os.getpid()}-")
    fd = os.open(work, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    fcntl.flock(fd, fcntl.LOCK_EX)
    with _LOCK:
        _WORK[work] = fd
    return work


def _fresh_folder(parent: Path, prefix: str) -> Path:
    """A new folder only its owner may enter, named PREFIX and random letters, as
    tempfile.mkdtemp makes it: importing tempfile (and random) took 2 ms of a remembered
    render (remember.py)."""
    for _ in range(100):
        folder = parent / f"{prefix}{os.urandom(6).hex()}"
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # taken: another name
        return folder
    raise FileExistsError(errno.EEXIST, "no free folder name", str(parent))


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A locked folder in the system's temporary folder, removed like a work folder: on a
    stop signal, and by a later run when its process is gone."""
    import tempfile

    folder = make_work(Path(tempfile.gettempdir()), prefix)
    try:
        yield folder
    finally:
        drop_work(folder)


def missing_folders(out: Path) -> list[Path]:
    """`out` and the folders above it that do not exist yet, deepest first: what a command
    writing into `out` makes, and must remove again (remove_empty) when it wrote nothing."""
    return [p for p in (out, *out.parents) if not p.exists()]


def remove_empty(made: Sequence[Path]) -> None:
    """Remove the folders missing_folders named that nothing went into: bad input or a
    failed render leaves no folder behind."""
    try:
        for folder in made:
            folder.rmdir()  # refused when not empty: something was written
    except OSError:
        pass


def drop_work(work: Path) -> None:
    import shutil

    with _LOCK:
        fd = _WORK.pop(work, None)
        shutil.rmtree(work, ignore_errors=True)
        if fd is not None:
            os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clear_stale_work(out: Path, prefix: str = WORK_PREFIX) -> list[Path]:
    """Remove the work folders in `out` that no living process owns; return them."""
    import shutil

    removed: list[Path] = []
    try:
        entries = list(os.scandir(out))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        path = Path(entry.path)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a living render holds it
            pid_text = entry.name[len(prefix):].split("-", 1)[0]
            age = time.time() - os.fstat(fd).st_mtime
            if pid_text.isdigit():
                if _alive(int(pid_text)) and age < _YOUNG_SECONDS:
                    continue  # made a moment ago, its lock not taken yet
            elif age < _UNNAMED_SECONDS:
                continue  # an older archgen's, which took no lock: perhaps still in use
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


# -- files replaced atomically ---------------------------------------------------------------

def replace_files(made: Sequence[Path], targets: Sequence[Path], work: Path) -> None:
    """Move each new file over its target with one rename (a reader sees old or new, never
    neither). If a move fails, every target already replaced gets its old file back (from a
    hard link kept in `work`), or is removed if it had none; then the error is raised."""
    done: list[tuple[Path, Path | None]] = []
    with _LOCK:
        _SWAPS[work] = done
    try:
        for i, (src, dst) in enumerate(zip(made, targets, strict=True)):
            with _LOCK:  # one step at a time, so that an abort sees a consistent state
                if _ABORTING:
                    raise Stopped()
                link = work / f".old-{i}"
                try:
                    os.link(dst, link)
                    done.append((dst, link))
                except FileNotFoundError:  # no old file: on the way back, none is left
                    done.append((dst, None))
                except OSError:
                    pass  # no hard links here: the new file stays whatever happens
                os.replace(src, dst)
    except OSError:
        with _LOCK:
            _put_back(done)
        raise
    finally:
        with _LOCK:
            _SWAPS.pop(work, None)


def _put_back(done: list[tuple[Path, Path | None]]) -> None:
    for dst, keep in reversed(done):
        try:
            if keep is not None:
                os.replace(keep, dst)
            elif not dst.is_symlink() and dst.is_file():
                dst.unlink()
        except OSError:
            pass
    done.clear()


# -- stopping everything ---------------------------------------------------------------------

def abort_all() -> None:
    """Stop every render under way: kill its processes, put back the old files of a swap
    under way, remove its work folder. Safe to call from a signal handler."""
    global _ABORTING
    with _LOCK:
        _ABORTING = True
        for proc in list(_PROCS):
            kill(proc)
        for done in _SWAPS.values():
            _put_back(done)
        for work in list(_WORK):
            drop_work(work)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    abort_all()
    if signum == signal.SIGINT:
        os.write(2, b"archgen: interrupted; renders under way were stopped\n")
    os._exit(128 + signum)


class TimedOut(BaseException):
    """The command ran out of its --timeout while checking (a render stops itself). Not an
    ArchError, nor an Exception: no handler of one file's errors may swallow it."""

    def problem(self) -> Problem:
        return Problem(None, f"stopped after --timeout {_deadline_seconds:g} s, before "
                             f"anything was drawn",
                       "a very large blueprint may need --timeout SECONDS")


_deadline_seconds = 0.0
_deadline_at: float | None = None
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _on_deadline(signum: int, frame: FrameType | None) -> None:
    if not _renders_under_way:
        raise TimedOut()
    # A render past the deadline and its grace is busy in Python (running its program,
    # planning its layout), which no signal interrupts: stop everything now.
    abort_all()
    os.write(2, f"archgen: error: stopped after --timeout {_deadline_seconds:g} s; the renders "
                f"under way were stopped and wrote nothing\n".encode())
    os._exit(1)


_renders_under_way = False
# A render stopped at the deadline (its dot killed) says so itself within this much.
_GRACE = 2.0


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """SIGTERM, SIGINT, SIGHUP stop the command at once (see abort_all). Only in the main
    thread; elsewhere (a test runner's thread) nothing changes."""
    global _ABORTING
    if not _main_thread():
        yield
        return
    previous = {s: signal.signal(s, _exit_on_signal) for s in _STOP_SIGNALS}
    _ABORTING = False
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def deadline(timeout: float) -> Iterator[None]:
    """The whole command answers to `timeout`: checking blueprints is interrupted (TimedOut)
    and each render gets what is left (remaining())."""
    global _deadline_at, _deadline_seconds
    if not _main_thread():
        yield
        return
    old_alarm = signal.signal(signal.SIGALRM, _on_deadline)
    _deadline_seconds = timeout
    _deadline_at = time.monotonic() + timeout
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _deadline_at = None
        signal.signal(signal.SIGALRM, old_alarm)


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """Checking is over: from here each render gets what is left of the deadline (see
    remaining()) and says so when its dot is stopped; the alarm waits _GRACE longer, and
    then stops whatever still runs."""
    global _renders_under_way
    if not _main_thread() or _deadline_at is None:
        yield
        return
    _renders_under_way = True
    signal.setitimer(signal.ITIMER_REAL, max(0.01, _deadline_at - time.monotonic()) + _GRACE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _renders_under_way = False


def remaining(timeout: float) -> float:
    """Seconds a render may still take: up to the command's deadline, else `timeout`."""
    if _deadline_at is None:
        return timeout
    return max(0.0, _deadline_at - time.monotonic())

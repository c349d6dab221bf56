"""`python -m arch` is `archgen`; the `archgen` script calls run()."""

from __future__ import annotations

import gc
import io
import os
import sys
import threading


def run() -> None:
    """The `archgen` command. Its modules are imported with the garbage collector off:
    imports leave no garbage worth a pass, and the passes over what they build took about
    5 ms of every command (cli.collect_less sets the collector for the command itself)."""
    # Each line as it is printed, as Click's echo flushed it: a CI log shows build's lines as
    # the diagrams are drawn, each before the errors printed after it (a pipe is otherwise
    # written in blocks, at the end). A file name that is not UTF-8 (`OK x\udcff`) is
    # written as standard error writes it where the locale encodes strictly (en_US.UTF-8;
    # it was a traceback), as it was (its bytes) in the C locale.
    if isinstance(sys.stdout, io.TextIOWrapper):
        errors = "backslashreplace" if sys.stdout.errors == "strict" else sys.stdout.errors
        sys.stdout.reconfigure(line_buffering=True, errors=errors)
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.enable()
    try:
        status = main()
        if sys.stdout is not None:  # None when it was closed (`archgen validate a.yaml >&-`)
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`archgen nodes | head`): nothing more to say, and Python's
        # flush at exit must not complain about it either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    if threading.active_count() > 1:
        # Threads of an arrangement's search that --timeout stopped (arrange._stop_search),
        # still measuring a drawing: stopped with their processes, not waited for.
        from . import lifecycle

        lifecycle.abort_all()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    run()

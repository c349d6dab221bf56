"""`python -m arch` is `archgen`; the `archgen` script calls run()."""

from __future__ import annotations

import gc
import os
import sys


def run() -> None:
    """The `archgen` command. Its modules are imported with the garbage collector off:
    imports leave no garbage worth a pass, and the passes over what they build took about
    5 ms of every command (cli.collect_less sets the collector for the command itself)."""
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.enable()
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`archgen nodes | head`): nothing more to say, and Python's
        # flush at exit must not complain about it either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 1
    sys.exit(status)


if __name__ == "__main__":
    run()

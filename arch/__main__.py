"""`python -m arch` is `archgen`; the `archgen` script calls run()."""

from __future__ import annotations

import gc


def run() -> None:
    """The `archgen` command. Its modules are imported with the garbage collector off:
    imports leave no garbage worth a pass, and the passes over what they build took about
    5 ms of every command (cli.collect_less sets the collector for the command itself)."""
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.enable()
    main(prog_name="archgen")


if __name__ == "__main__":
    run()

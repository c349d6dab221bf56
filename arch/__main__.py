"""`python -m arch` is `archgen`."""

from .cli import main

main(prog_name="archgen")

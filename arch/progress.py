"""What a build reports while it runs (build.py), and the CLI shows: its own module, so that
the CLI's ways of showing it need not import build.py for every command."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from .errors import ArchError, Problem
    from .render import Rendered


class Progress:
    """What a build reports while it runs; the CLI shows it (a bar, lines, or nothing)."""

    def start(self, total: int) -> None:
        """`total` diagrams are about to be drawn."""

    def built(self, blueprint: str, variant: str | None, rendered: Rendered) -> None:
        """One diagram drawn (its files are in place)."""

    def removed(self, path: Path) -> None:
        """A file of an earlier build removed."""

    def failed(self, error: ArchError) -> None:
        """A blueprint that could not be read or a diagram that could not be drawn."""

    def noted(self, notes: Sequence[Problem]) -> None:
        """What a blueprint drawn again should know (a type from another provider)."""

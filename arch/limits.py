"""What a command may choose, and how far: the formats, the themes, the size limits. Kept
apart from model.py (its dataclasses) so that parsing the command line, and a remembered
render (remember.py), do not import it."""

from __future__ import annotations

THEMES = ("light", "dark")
FORMATS = ("png", "svg", "pdf", "jpg", "dot")
MAX_NODES = 5000  # refused before any layout (--max-nodes)
MAX_EDGES = 20000  # counted before a list end is expanded (--max-edges)


def same_but_case(written: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The choice of a fixed list that `written` is but for the case of its letters (`AWS`,
    `lr`, `Dark`, `PNG`), or None. Every fixed-list word of a blueprint and of the command
    line is matched so: no two of any list differ only in case, so nothing is ambiguous.
    ASCII only: a Kelvin sign is not a `k`."""
    if not written.isascii():
        return None
    return {c.lower(): c for c in choices}.get(written.lower())

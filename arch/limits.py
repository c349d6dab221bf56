"""What a command may choose, and how far: the formats, the themes, the size limits. Kept
apart from model.py (its dataclasses) so that parsing the command line, and a remembered
render (remember.py), do not import it."""

from __future__ import annotations

THEMES = ("light", "dark")
FORMATS = ("png", "svg", "pdf", "jpg", "dot")
MAX_NODES = 5000  # refused before any layout (--max-nodes)
MAX_EDGES = 20000  # counted before a list end is expanded (--max-edges)

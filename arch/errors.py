"""Errors that point at the blueprint: one kind of exception, carrying positions.

Every problem a user can cause is an ArchError holding one or more Problems. The CLI turns
them into `FILE:LINE:COL: error: MESSAGE` lines in one place (`format_problem`); anything
else that escapes is a bug in archgen and keeps its traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Pos:
    """A position in a file: 1-based line and column, as editors count them."""

    file: str
    line: int = 1
    col: int = 1
    # Where the value was written when it is reached through an alias (`*name`): the
    # position is the alias's, this says which anchored value and which line of it.
    via: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where, what, and optionally how to fix it."""

    pos: Pos | None
    message: str
    hint: str | None = None


def format_problem(problem: Problem, severity: str = "error") -> str:
    where = f"{problem.pos}: " if problem.pos is not None else "archgen: "
    text = f"{where}{severity}: {problem.message}"
    if problem.pos is not None and problem.pos.via:
        text += f" ({problem.pos.via})"
    if problem.hint:
        text += f"\n  hint: {problem.hint}"
    return text


class ArchError(Exception):
    """A bad blueprint, a bad option, or a failed render: all its problems at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(format_problem(p) for p in self.problems))

    @classmethod
    def at(cls, pos: Pos | None, message: str, hint: str | None = None) -> ArchError:
        return cls([Problem(pos, message, hint)])


class Problems:
    """Collects problems while a stage goes on, so a user sees all of them in one run."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, pos: Pos | None, message: str, hint: str | None = None) -> None:
        self.items.append(Problem(pos, message, hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            # Sorted by position so the output reads top to bottom like the file.
            ordered = sorted(
                self.items,
                key=lambda p: (p.pos.line, p.pos.col) if p.pos else (0, 0),
            )
            raise ArchError(ordered)


def split_camel(name: str) -> str:
    """`ElasticLoadBalancing` -> `Elastic Load Balancing`, `EC2Ami` -> `EC2 Ami`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)


_MINOR = {"and", "for", "on", "of", "the", "to", "with", "in", "at", "by", "a"}


def initials(text: str) -> str:
    """`Managed Streaming for Kafka` -> `msk`; `availability-zone` -> `az`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", split_camel(text)) if w]
    return "".join(w[0] for w in words if w.lower() not in _MINOR).lower()


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str | None:
    """A hint naming up to n choices close in meaning (`az` abbreviates
    `availability-zone`) or in spelling, or None when nothing is close."""
    pool = sorted(set(choices))
    meant = [c for c in pool if len(word) >= 2 and initials(c) == word.lower()
             and c.lower() != word.lower()]
    if meant:
        return "did you mean " + ", ".join(repr(c) for c in meant[:n]) + "?"
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + ", ".join(repr(lowered[c]) for c in close) + "?"

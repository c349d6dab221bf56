"""Errors that point at the blueprint: one kind of exception, carrying positions.

Every problem a user can cause is an ArchError holding one or more Problems. The CLI turns
them into `FILE:LINE:COL: error: MESSAGE` lines in one place (`format_problem`); anything
else that escapes is a bug in archgen and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .record import Record, _set


class Pos(Record):
    """A position in a file: 1-based line and column, as editors count them. Equal, ordered
    and hashed by file, line and column (not `via`)."""

    __slots__ = ("file", "line", "col", "via")
    _COMPARED = ("file", "line", "col")
    file: str
    line: int
    col: int
    # Where the value was written when it is reached through an alias (`*name`): the
    # position is the alias's, this says which anchored value and which line of it.
    via: str

    def __init__(self, file: str, line: int = 1, col: int = 1, via: str = "") -> None:
        _set(self, "file", file)
        _set(self, "line", line)
        _set(self, "col", col)
        _set(self, "via", via)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def __lt__(self, other: Pos) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: Pos) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: Pos) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: Pos) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() >= other._key()


class Problem(Record):
    """One thing wrong: where, what, and optionally how to fix it."""

    __slots__ = ("pos", "message", "hint")
    pos: Pos | None
    message: str
    hint: str | None

    def __init__(self, pos: Pos | None, message: str, hint: str | None = None) -> None:
        _set(self, "pos", pos)
        _set(self, "message", message)
        _set(self, "hint", hint)


_MAX_MESSAGE = 1000


def format_problem(problem: Problem, severity: str = "error") -> str:
    where = f"{problem.pos}: " if problem.pos is not None else "archgen: "
    text = f"{where}{severity}: {_bounded(problem.message)}"
    if problem.pos is not None and problem.pos.via:
        text += f" ({problem.pos.via})"
    if problem.hint:  # a hint quoting a value as it should be written (quote_value_hint)
        text += f"\n  hint: {_bounded(problem.hint)}"
    return text


def _bounded(text: str) -> str:
    """Whatever a message or a hint quotes, it stays readable."""
    if len(text) > _MAX_MESSAGE:
        return f"{text[:_MAX_MESSAGE]}... ({len(text)} characters)"
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


def flow_value(rest: str, keys: Iterable[str], own: int = -1) -> str:
    """The whole value a person meant by a plain value inside `{...}` that YAML cut short at
    a comma, a `: ` or a bracket. `rest` is its line from where the value starts; the value
    runs to the `, KEY:` that starts the next entry (KEY one of `keys`) or to the bracket
    that closes the {...}, brackets it opens itself aside; `own`: the offset of a closing
    bracket that belongs to the value (the one YAML stumbled on)."""
    names = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    entry = re.compile(rf",\s*(?:{names})\s*:(?:\s|$)")
    depth = 0
    for i, char in enumerate(rest):
        if char in "{[":
            depth += 1
        elif char in "}]" and i != own:
            if depth == 0:
                return rest[:i].strip()
            depth -= 1
        elif char == "," and depth == 0 and names and entry.match(rest, i):
            return rest[:i].strip()
    return rest.strip()


def quote_value_hint(why: str, key: str, value: str) -> str:
    """The hint for a plain value that YAML cut short or read as a mapping (a comma inside
    `{...}`, a `: ` inside it): why, and the line with the value quoted."""
    value = value.strip()
    quoted = '"' + value.replace("\\", "\\\\") + '"' if '"' not in value \
        else "'" + value.replace("'", "''") + "'"
    return f"{why}: quote it, {key}: {quoted}"


def a_or_an(word: str) -> str:
    """`a` or `an`, as the word after it sounds: an availability zone, a VPC, an S3 bucket,
    a user."""
    text = word.lstrip("`'\"")
    first = text[:1]
    if not first:
        return "a"
    acronym = re.match(r"[A-Z0-9]{2,}(?![a-z])", text)
    if acronym and acronym.group() not in _SAID_AS_WORDS or len(word.strip("`'\"")) == 1:
        return "an" if first.upper() in "AEFHILMNORSX8" else "a"  # read letter by letter
    if re.match(r"(?i)(uni|use|usu|uti|eu|one\b|once)", text):
        return "a"
    if re.match(r"(?i)(hour|honest|honou?r)", text):
        return "an"
    return "an" if first.lower() in "aeiou" else "a"


# Acronyms said as one word, not letter by letter: "a NAT gateway", "an API" stays letters.
_SAID_AS_WORDS = {"NAT", "NAS", "LAN", "WAN", "SAN", "RAM", "WAF", "NIC", "SAML", "REST",
                  "JSON", "YAML", "MAC", "FIFO", "SOAP", "SIEM", "SOAR"}


def quote(text: str, limit: int = 60) -> str:
    """A value as a message quotes it: whole when short, else its start and its size (a
    2 MB id is not echoed back)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


class Suggestions:
    """did-you-mean against one set of choices, prepared once: each distinct word is looked
    up once, a word far longer than any name is not looked up, and after MAX_LOOKUPS
    distinct words no more are, so that thousands of unknown names stay cheap."""

    MAX_LOOKUPS = 30
    MAX_WORD = 100

    def __init__(self, choices: Iterable[str]) -> None:
        pool = sorted(set(choices))
        self.by_initials: dict[str, list[str]] = {}
        self.by_part: dict[str, list[str]] = {}  # a word of a compound choice
        for c in pool:
            self.by_initials.setdefault(initials(c), []).append(c)
            if "-" in c:
                for part in c.lower().split("-"):
                    self.by_part.setdefault(part, []).append(c)
        self.lowered = {c.lower(): c for c in pool}
        self.keys = list(self.lowered)
        self.cache: dict[str, list[str]] = {}

    def hint(self, word: str, n: int = 3) -> str | None:
        """A hint naming up to n choices close in meaning (`az` abbreviates
        `availability-zone`) or in spelling, or None when nothing is close."""
        return meant_hint(self.names(word, n))

    def names(self, word: str, n: int = 3) -> list[str]:
        """Up to n choices close in meaning or in spelling, closest first."""
        if word in self.cache:
            return self.cache[word]
        if len(self.cache) >= self.MAX_LOOKUPS or len(word) > self.MAX_WORD:
            return []
        self.cache[word] = close = self._lookup(word, n)
        return close

    def _lookup(self, word: str, n: int) -> list[str]:
        meant = [c for c in self.by_initials.get(word.lower(), []) if len(word) >= 2
                 and c.lower() != word.lower()]
        # `subnet` -> public-subnet, private-subnet; `aws` -> aws-cloud.
        meant = meant or self.by_part.get(word.lower(), [])
        if meant:
            return meant[:n]
        return close_spellings(word, self.lowered, n)


def close_spellings(word: str, spellings: dict[str, str], n: int = 3,
                    cutoff: float = 0.6) -> list[str]:
    """Up to n of `spellings` (lower-cased spelling -> what to show) written closest to
    `word`, case aside: the one spelling matcher of every did-you-mean."""
    import difflib  # only a blueprint with a mistake needs it: a clean run does not load it

    close = difflib.get_close_matches(word.lower(), list(spellings), n=n, cutoff=cutoff)
    return [spellings[c] for c in close]


def meant_hint(names: list[str]) -> str | None:
    """`did you mean 'a', 'b'?`, or None for no names."""
    return "did you mean " + ", ".join(repr(c) for c in names) + "?" if names else None


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str | None:
    """A hint naming up to n choices close in meaning or in spelling (see Suggestions), or
    None when nothing is close."""
    return Suggestions(choices).hint(word, n)

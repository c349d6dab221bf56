"""Frozen values for what a remembered render builds (remember.py): what
@dataclass(frozen=True) gives them (equality, hash and order by their fields, repr,
replace, no assignment), without importing dataclasses.

A remembered render builds only a few of archgen's values (positions, problems, options,
a sheet and its graph, what was rendered), and importing dataclasses (with inspect, ast,
dis and tokenize) and making those classes took about 9 ms of it (-X importtime). The other
classes, which only checking and compiling build, stay dataclasses.

A subclass lists its fields in `__slots__` (in the order of its __init__) and sets them in
its own __init__ with `_set`; `_COMPARED` names the fields equality, hash and order use when
not all do.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: see arch/__init__.py
if TYPE_CHECKING:
    from typing import ClassVar, TypeVar

    from typing_extensions import dataclass_transform

    _R = TypeVar("_R", bound="Record")
else:
    def dataclass_transform(**_: object) -> object:  # for mypy only (see Record)
        return lambda cls: cls

_set = object.__setattr__  # how a record's own __init__ sets its fields


# mypy checks a record as the frozen dataclass it stands for (its fields not assigned)
@dataclass_transform(frozen_default=True)
class Record:
    __slots__: ClassVar[tuple[str, ...]] = ()
    _COMPARED: ClassVar[tuple[str, ...] | None] = None  # None: every field

    def _fields(self) -> tuple[str, ...]:
        return type(self).__slots__

    def _key(self) -> tuple[object, ...]:
        names = self._COMPARED if self._COMPARED is not None else self._fields()
        return tuple(getattr(self, name) for name in names)

    def replace(self: _R, **changes: object) -> _R:
        """A copy with these fields changed (dataclasses.replace)."""
        unknown = set(changes) - set(self._fields())
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = {name: changes.get(name, getattr(self, name)) for name in self._fields()}
        return type(self)(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

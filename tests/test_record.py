"""record.py: the frozen values a remembered render builds behave as the dataclasses they were."""

from __future__ import annotations

import pytest

from arch.check import Options
from arch.errors import Pos, Problem
from arch.render import Graph


def test_a_position_is_equal_ordered_and_hashed_without_where_an_alias_led() -> None:
    a, via = Pos("f.yaml", 2, 3), Pos("f.yaml", 2, 3, "in the value of *x")
    assert a == via and hash(a) == hash(via) and a != Pos("f.yaml", 2, 4)
    assert sorted([Pos("f", 3), Pos("e", 9), Pos("f", 2, 5)]) == [Pos("e", 9), Pos("f", 2, 5),
                                                                  Pos("f", 3)]
    assert Pos("f", 1) < Pos("f", 2) <= Pos("f", 2) and Pos("g") > Pos("f") >= Pos("f")
    assert a != ("f.yaml", 2, 3, "") and str(a) == "f.yaml:2:3"
    assert repr(via) == "Pos(file='f.yaml', line=2, col=3, via='in the value of *x')"
    with pytest.raises(TypeError):
        assert Pos("f") < ("f", 1, 1)  # type: ignore[operator]


def test_a_record_cannot_be_changed_only_replaced() -> None:
    problem = Problem(Pos("f"), "bad")
    with pytest.raises(AttributeError):
        problem.hint = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del problem.message
    with pytest.raises(AttributeError):
        problem.other = 1
    hinted = problem.replace(hint="do this")
    assert hinted == Problem(Pos("f"), "bad", "do this") and problem.hint is None
    assert hinted != problem and len({problem, hinted, Problem(Pos("f"), "bad")}) == 2
    with pytest.raises(TypeError, match="no field 'hnt'"):
        problem.replace(hnt="x")


def test_records_of_other_classes_or_fields_are_not_equal() -> None:
    assert Options() == Options() and Options(dpi=96) != Options()
    assert Options(formats=("svg",)).replace(dpi=72) == Options(("svg",), 72)
    assert repr(Options()).startswith("Options(formats=(), dpi=None, variant=None, ")
    assert Graph("g", ("svg",), "x") != Problem(None, "g")

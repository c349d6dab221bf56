"""The JSON Schema agrees with the validator on shipped and broken blueprints."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from arch.schema import blueprint_schema

from .conftest import BLUEPRINTS, ROOT

GOLDEN_CASES = sorted((ROOT / "tests" / "golden").glob("*.yaml"))


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(blueprint_schema())


@pytest.mark.parametrize("path", BLUEPRINTS + GOLDEN_CASES, ids=lambda p: p.stem)
def test_valid_blueprints_pass_the_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, blueprint_schema())


@pytest.mark.parametrize("text", [
    "title: no version\n",
    "blueprint: 2\ntitle: x\n",
    "blueprint: 1\ntitle: x\ncolour: red\n",
    "blueprint: 1\ntitle: x\ndirection: sideways\n",
    "blueprint: 1\ntitle: x\ngroups: [{id: g, nodes: [EC2]}]\n",
    "blueprint: 1\ntitle: x\ngroups: [{label: G, kind: castle}]\n",
    "blueprint: 1\ntitle: x\nnodes: [{type: EC2, colour: red}]\n",
    "blueprint: 1\ntitle: x\nedges: [{from: a, to: b, style: wavy}]\n",
    "blueprint: 1\ntitle: x\nedges: [a->b]\n",
    "blueprint: 1\ntitle: x\nalternatives: [{id: a, label: A, replace: [x]}]\n",
    "blueprint: 1\ntitle: x\noutput: {formats: [gif]}\n",
    "blueprint: 1\ntitle: x\noutput: {name: ../x}\n",
    "blueprint: 1\ntitle: x\nnodes: [{id: 1abc, type: EC2}]\n",
])
def test_structural_errors_fail_the_schema(text: str) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(text), blueprint_schema())


def test_a_fixed_list_word_in_any_case_passes_the_schema() -> None:
    """As the validator takes it (limits.same_but_case): `lr`, `Dark`, `VPC`, `PNG`."""
    data = yaml.safe_load("blueprint: 1\ntitle: x\ndirection: lr\ntheme: Dark\n"
                          "groups: [{label: G, kind: VPC}]\n"
                          "edges: [{from: a, to: b, style: Dashed, direction: BOTH}]\n"
                          "output: {formats: [PNG]}\n")
    jsonschema.validate(data, blueprint_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "direction": "lrx"}, blueprint_schema())

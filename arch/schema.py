"""The JSON Schema of blueprint format 1, for editors (yaml-language-server) and other tools.

It describes the shape of a blueprint: keys, types, enumerations. What a schema cannot say
(that a type name exists, that a reference names exactly one thing) is checked by
`validate.py`, which is the authority; tests keep the two in agreement.
"""

from __future__ import annotations

import json
from typing import Any

from .model import (
    DIRECTIONS,
    EDGE_DIRECTIONS,
    EDGE_STYLES,
    FILE_STEM_PATTERN,
    FORMATS,
    GROUP_KINDS,
    HEX_COLOR_PATTERN,
    ID_PATTERN,
    REF_PATTERN,
    THEMES,
)

SCHEMA_ID = "https://archgen.invalid/schema/blueprint.schema.json"

_ID = {"type": "string", "pattern": f"^{ID_PATTERN}$"}
_REF = {"type": "string", "pattern": f"^{REF_PATTERN}$",
        "description": "a path (vpc.web.ec2), a suffix of one (web.ec2) or a bare id (ec2)"}
_TEXT = {"type": ["string", "number", "boolean"]}


def _choice(choices: tuple[str, ...]) -> dict[str, Any]:
    """One of a fixed list, in any case of its letters (`LR` or `lr`: limits.same_but_case):
    the list for an editor to offer, a pattern for the other spellings (JSON Schema's
    regular expressions have no flag to ignore case). The lists hold letters and dashes."""
    either = "|".join("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c
                              for c in choice) for choice in choices)
    return {"anyOf": [{"enum": list(choices)}, {"type": "string", "pattern": f"^({either})$"}]}


def _refs() -> dict[str, Any]:
    return {"oneOf": [_REF, {"type": "array", "items": _REF, "minItems": 1}]}


def blueprint_schema() -> dict[str, Any]:
    node_map = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "type": {"type": "string",
                     "description": "aws.network.ELB, ELB or Elastic Load Balancer"},
            "id": _ID,
            "label": _TEXT,
            "provider": {"type": "string",
                         "description": "where its type is looked up first (aws, gcp, k8s, ...)"},
            "icon": {"type": "string", "pattern": r"(?i)\.(png|jpe?g)$",
                     "description": "a local PNG/JPG file, relative to the blueprint's folder"},
        },
        "anyOf": [{"required": ["type"]}, {"required": ["icon", "label"]}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "archgen blueprint, format 1",
        "type": "object",
        "additionalProperties": False,
        "required": ["blueprint", "title"],
        "properties": {
            "blueprint": {"const": 1, "description": "format version"},
            "title": _TEXT,
            "description": _TEXT,
            "provider": {"type": "string"},
            "direction": _choice(DIRECTIONS),
            "theme": _choice(THEMES),
            "nodes": {"$ref": "#/$defs/nodes"},
            "groups": {"$ref": "#/$defs/groups"},
            "edges": {
                "type": ["array", "null"],
                "items": {
                    "oneOf": [
                        {"type": "string", "pattern": r"\s(->|<-|<->|--)\s",
                         "description": "a chain: a -> b -> c"},
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["from", "to"],
                            "properties": {
                                "from": _refs(),
                                "to": _refs(),
                                "label": _TEXT,
                                "style": _choice(EDGE_STYLES),
                                "color": {"type": "string",
                                          "pattern": f"^({HEX_COLOR_PATTERN}|[A-Za-z]+)$"},
                                "direction": _choice(EDGE_DIRECTIONS),
                            },
                        },
                    ]
                },
            },
            "alternatives": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "label"],
                    "properties": {
                        "id": _ID,
                        "label": _TEXT,
                        "note": _TEXT,
                        "replace": _refs(),
                        "with": {"$ref": "#/$defs/node"},
                        "pick": {"type": "object", "additionalProperties": _REF},
                    },
                    "anyOf": [{"required": ["replace", "with"]}, {"required": ["pick"]}],
                },
            },
            "layout": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "rows": {"type": "array", "items": {"type": "array", "items": _REF}},
                    "alternatives_panel": {"type": "boolean"},
                    "alternatives_label": _TEXT,
                },
            },
            "output": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "pattern": f"^{FILE_STEM_PATTERN}$"},
                    "formats": {"type": "array", "minItems": 1,
                                "items": _choice(FORMATS)},
                    "dpi": {"type": "integer", "minimum": 10, "maximum": 1200},
                },
            },
        },
        "$defs": {
            "node": {"oneOf": [{"type": "string"}, node_map]},
            "nodes": {"type": ["array", "null"], "items": {"$ref": "#/$defs/node"}},
            "groups": {
                "type": ["array", "null"],
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["label"],
                    "properties": {
                        "id": _ID,
                        "label": _TEXT,
                        "kind": _choice(GROUP_KINDS),
                        "provider": {"type": "string", "description":
                                     "where the types inside are looked up first"},
                        "nodes": {"$ref": "#/$defs/nodes"},
                        "groups": {"$ref": "#/$defs/groups"},
                    },
                },
            },
        },
    }


def schema_text() -> str:
    """The schema as the repository keeps it in schema/blueprint.schema.json."""
    return json.dumps(blueprint_schema(), indent=2, ensure_ascii=False) + "\n"

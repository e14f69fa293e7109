"""The configuration's JSON Schema, for editors that autocomplete and check the YAML."""

from __future__ import annotations

from typing import Any

from app.config.models import Config

_ENV_REF = {
    "type": "object",
    "description": "a value read from the environment when the file is loaded",
    "properties": {"$env": {"type": "string", "minLength": 1}, "default": {}},
    "required": ["$env"],
    "additionalProperties": False,
}
_LEAF_TYPES = frozenset({"string", "integer", "number"})


def _allow_env(node: Any) -> Any:
    """Let every scalar value also be written as {$env: NAME}."""
    if isinstance(node, list):
        return [_allow_env(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _allow_env(value) for key, value in node.items()}
    if isinstance(out.get("type"), str) and out["type"] in _LEAF_TYPES:  # not a property named "type"
        return {"anyOf": [out, {"$ref": "#/$defs/EnvRef"}]}
    return out


def config_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the YAML configuration."""
    schema = Config.model_json_schema(mode="validation")
    defs = {name: _allow_env(value) for name, value in schema.pop("$defs", {}).items()}
    defs["EnvRef"] = _ENV_REF
    body = _allow_env(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **body,
        "title": "boardsheet configuration",
        "$defs": defs,
    }

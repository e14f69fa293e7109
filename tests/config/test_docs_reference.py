"""docs/configuration.md documents every config key and every environment variable (it fails otherwise)."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from app.config.fields import FIELDS
from app.config.models import Config, parse_config
from app.config.problems import model_at
from app.config.settings import env_names
from tests.support.paths import ROOT

DOC = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
EXAMPLE = (ROOT / "config" / "example.yaml").read_text(encoding="utf-8")


def config_keys(model: type[BaseModel] = Config, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of the config models, found by walking them."""
    keys = []
    for name in model.model_fields:
        keys.append((*path, name))
        inner = model_at(model, (name,))
        if inner is not None:
            keys.extend(config_keys(inner, (*path, name)))
    return keys


def documented(name: str) -> bool:
    return re.search(rf"\|\s*`{re.escape(name)}`\s*\|", DOC) is not None


def test_the_walk_finds_nested_keys() -> None:
    keys = config_keys()
    assert ("pairs", "trello", "archived") in keys
    assert ("pairs", "columns", "field") in keys
    assert len(keys) > 15


@pytest.mark.parametrize("key", config_keys(), ids=".".join)
def test_every_config_key_is_documented(key: tuple[str, ...]) -> None:
    assert documented(key[-1]), f"docs/configuration.md has no table row for `{key[-1]}` ({'.'.join(key)})"


@pytest.mark.parametrize("key", config_keys(), ids=".".join)
def test_every_config_key_is_in_the_example(key: tuple[str, ...]) -> None:
    assert re.search(rf"\b{re.escape(key[-1])}\b\s*:", EXAMPLE), f"config/example.yaml lacks `{key[-1]}`"


@pytest.mark.parametrize("name", env_names())
def test_every_environment_variable_is_documented(name: str) -> None:
    assert documented(name), f"docs/configuration.md has no table row for `{name}`"


@pytest.mark.parametrize("field", [*FIELDS, "custom:<Field name>"])
def test_every_field_is_documented(field: str) -> None:
    assert documented(field)
    assert field == "custom:<Field name>" or re.search(rf"field: {field}\b", EXAMPLE)


def test_the_emulators_smallest_yaml_is_a_valid_config() -> None:
    text = (ROOT / "docs" / "emulators.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    pair = parse_config(block, "docs/emulators.md", {}).pair("social")
    assert [c.field for c in pair.columns] == ["due", "name", "list"]

"""Checks across a file's pairs (names, tabs written, a spreadsheet's sharing), run on the valid pairs.

They run even while another pair has errors of its own (config/partial.py says why pydantic would not):
a pair with errors is left out of the comparison, its own errors are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from app.config.sharing import sharing_conflicts

if TYPE_CHECKING:
    from app.config.models import Pair

__all__ = ["pairs_problems", "valid_pairs"]


def valid_pairs(model: type[Pair], data: Any, exc: ValidationError) -> list[tuple[int, Pair]]:
    """The pairs (with their index) that have no error of their own: those the checks across pairs see."""
    raw = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        return []
    failing = {
        error["loc"][1] for error in exc.errors() if error["loc"][:1] == ("pairs",) and len(error["loc"]) > 1
    }
    valid = []
    for index, item in enumerate(raw):
        if index in failing:
            continue
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError:
            continue  # its errors are already in the report
    return valid


def pairs_problems(pairs: list[tuple[int, Pair]]) -> list[PydanticCustomError]:
    """Pairs sharing a name, writing the same tab, or setting one spreadsheet's sharing differently."""
    errors: list[PydanticCustomError] = []
    seen: dict[str, int] = {}
    targets: dict[tuple[str, str], Pair] = {}
    for index, pair in pairs:
        if pair.name in seen:
            errors.append(PydanticCustomError(
                "duplicate_pair", "two pairs are named '{name}'",
                {"name": pair.name, "at": ("pairs", index, "name")},
            ))  # fmt: skip
        for tab, at in _written_tabs(pair):
            target = (pair.sheet.spreadsheet, tab)
            if target in targets:
                errors.append(PydanticCustomError(
                    "duplicate_target",
                    "pairs '{other}' and '{name}' write the same tab; they would overwrite each other",
                    {"other": targets[target].name, "name": pair.name, "at": ("pairs", index, *at)},
                ))  # fmt: skip
            targets.setdefault(target, pair)
        seen.setdefault(pair.name, index)
    indexes = [index for index, _ in pairs]
    errors += [
        PydanticCustomError(
            "sharing_conflict",
            "pairs '{other}' and '{name}' share spreadsheet {spreadsheet} but set its sharing differently"
            " — set share, share_as, notify, audit_every and sharing on one of them, or the same on both",
            {
                "other": other,
                "name": pairs[position][1].name,
                "spreadsheet": spreadsheet,
                "at": ("pairs", indexes[position], "sheet"),
            },
        )
        for position, other, spreadsheet in sharing_conflicts([pair for _, pair in pairs])
    ]
    return errors


def _written_tabs(pair: Pair) -> list[tuple[str, tuple[str | int, ...]]]:
    """The tabs a pair writes whole or in part, with where the YAML names each."""
    tabs: list[tuple[str, tuple[str | int, ...]]] = [(pair.sheet.tab, ("sheet", "tab"))]
    tabs += [(view.tab, ("views", i, "tab")) for i, view in enumerate(pair.views)]
    tabs += [(pair.intake.tab, ("intake", "tab"))] if pair.intake is not None else []
    return tabs

"""A pair's cross-field checks with the paths each reads (config/partial.py runs them beside its errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from app.config.approval import check_approval
from app.config.fields import did_you_mean
from app.config.intake import check_intake_tab
from app.config.looks import check_list_looks, check_views
from app.config.partial import Check
from app.config.several import raise_all

if TYPE_CHECKING:
    from app.config.models import Pair

__all__ = ["PAIR_CHECKS"]


def _taken(pair: Pair) -> dict[str, str]:
    """The tabs an intake may not take: the synced tab and the Changes tab."""
    taken = {pair.sheet.tab: "the synced tab"}
    if pair.changes_tab is not None and pair.changes_tab != pair.sheet.tab:
        taken[pair.changes_tab] = "the Changes tab"
    return taken


def _intake_tab(pair: Pair) -> None:
    check_intake_tab(pair.intake, _taken(pair))


def _views(pair: Pair) -> None:
    intake = {pair.intake.tab: "the intake tab"} if pair.intake is not None else {}
    check_views(pair.views, {**_taken(pair), **intake})


def _list_looks(pair: Pair) -> None:
    check_list_looks(pair.sheet.link, pair.sheet.colour_by, [c.field for c in pair.columns])


def _approval(pair: Pair) -> None:
    check_approval(pair.approval, pair.columns, pair.trello.lists)


def _key_header(pair: Pair) -> None:
    if pair.sheet.key_header in {c.header for c in pair.columns}:
        raise PydanticCustomError(
            "key_header_taken",
            "the key column's header '{header}' is also a mapped column's header"
            " — boardsheet adds the key column itself; remove that column or choose another key_header",
            {"header": pair.sheet.key_header, "at": ("sheet", "key_header")},
        )


def _sort_by(pair: Pair) -> None:
    # The sort runs on the sheet's columns, so sort_by may only name a column (by header or field).
    headers = [c.header for c in pair.columns]
    sortable = [*headers, pair.sheet.key_header, *(c.field for c in pair.columns), "id"]
    errors = []
    for index, entry in enumerate(pair.sort_by or []):
        bare = entry.removeprefix("-")
        if bare not in sortable:
            hint = did_you_mean(bare, sortable) or "add a column for that field, or sort by a column"
            errors.append(
                PydanticCustomError(
                    "unknown_sort",
                    "sort_by names '{entry}', which is not a column's header or field — {hint}",
                    {"entry": entry, "hint": hint, "at": ("sort_by", index)},
                )
            )
    raise_all(errors)


def _changes_tab(pair: Pair) -> None:
    if pair.changes_tab is not None and pair.changes_tab == pair.sheet.tab:
        raise PydanticCustomError(
            "changes_tab_same",
            "changes_tab must differ from the synced tab",
            {"at": ("changes_tab",)},
        )


# Each cross-field check of a pair, with the paths it reads (an invalid value there skips it).
PAIR_CHECKS: tuple[Check, ...] = (
    ((("sheet", "key_header"), ("columns",)), _key_header),
    ((("sort_by",), ("columns",), ("sheet", "key_header")), _sort_by),
    ((("changes_tab",), ("sheet", "tab")), _changes_tab),
    ((("intake",), ("sheet", "tab"), ("changes_tab",)), _intake_tab),
    ((("views",), ("sheet", "tab"), ("changes_tab",), ("intake", "tab")), _views),
    ((("sheet", "link"), ("sheet", "colour_by"), ("columns",)), _list_looks),
    ((("approval",), ("columns",), ("trello", "lists")), _approval),
)

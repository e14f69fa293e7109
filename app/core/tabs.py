"""A pair's tab known by its sheet id, so a renamed tab is followed instead of lost.

Sheets gives every tab a `sheetId` that no rename changes (SheetProperties.sheetId: "The ID of the sheet.
Must be non-negative. This field cannot be changed once set." —
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#SheetProperties), while
ranges name tabs by title. The store keeps both; the run reads by the last known title and, when that
title is gone or names another tab, finds the sheet id among the spreadsheet's tabs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PairTab:
    """The tab a pair last synced in `spreadsheet`: the YAML named it `configured`, it is now `title`."""

    spreadsheet: str
    configured: str  # sheet.tab in the YAML when it was learned: a new YAML tab starts afresh
    sheet_id: int
    title: str

    @property
    def renamed(self) -> bool:
        """Whether the tab no longer carries the name the YAML gives it."""
        return self.title != self.configured

    def describe(self) -> str:
        """In plain words, for logs, the run message and the status page (only when renamed)."""
        return (
            f"tab '{self.configured}' is now named '{self.title}'; the pair follows it by its sheet id "
            f"{self.sheet_id} (set sheet.tab to '{self.title}' in the YAML, or rename the tab back)"
        )


def applies(known: PairTab | None, spreadsheet: str, configured: str) -> PairTab | None:
    """The known tab when it was learned for this spreadsheet and configured tab name, else None."""
    if known is None or (known.spreadsheet, known.configured) != (spreadsheet, configured):
        return None
    return known


def title_of(sheet_id: int, tabs: Iterable[Mapping[str, Any]]) -> str | None:
    """The current title of the tab with `sheet_id` among tab properties, None when it is gone."""
    for properties in tabs:
        if properties.get("sheetId") == sheet_id:
            return str(properties.get("title", ""))
    return None


def tab_status(known: PairTab | None, spreadsheet: str, configured: str) -> dict[str, Any]:
    """The status page's facts: sheet id and current title once read; when renamed, what the pair does."""
    known = applies(known, spreadsheet, configured)
    if known is None:
        return {}
    return {
        "sheet_id": known.sheet_id,
        "tab_title": known.title,
        "tab_followed": known.describe() if known.renamed else None,
    }

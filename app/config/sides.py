"""A pair's two sides: `TrelloSource` (a board and its filters), `SheetTarget` (a tab, its key, its looks)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.config.fields import BoardRef, Name, SpreadsheetRef
from app.config.looks import ColourBy
from app.config.sharing import SharingKeys

_STRICT = ConfigDict(extra="forbid", frozen=True)


class TrelloSource(BaseModel):
    """The Trello side of a pair: a board and which of its cards belong in the sheet."""

    model_config = _STRICT
    board: BoardRef = Field(description="board id, short link or board URL")
    lists: list[Name] | None = Field(None, description="only cards in these lists (by name); all if unset")
    labels: list[Name] | None = Field(None, description="only cards carrying at least one of these labels")
    archived: Literal["drop", "keep"] = Field("drop", description="archived cards: drop their rows or keep")


class SheetTarget(SharingKeys):
    """The sheet side of a pair: a spreadsheet, a tab, the header of the key column, and its sharing."""

    model_config = _STRICT
    spreadsheet: SpreadsheetRef = Field(description="spreadsheet id or URL")
    tab: Name = Field(description="the title of the tab")
    key_header: Name = Field("Card ID", description="header of the column holding each row's card id")
    key_column: Literal["shown", "hidden"] = Field("shown", description="hidden: hide the key column")
    link: Literal["title"] | None = Field(None, description="title: the title cell links to the card")
    colour_by: ColourBy | None = Field(
        None, description="colour rows' cells by labels, list or custom:<field>"
    )
    freshness: bool = Field(
        False, description="a freshness line of boardsheet's in a row above the header (default: none)"
    )
    account: Name | None = Field(
        None, description="the service account (a BOARDSHEET_GOOGLE_ACCOUNTS name) reaching this sheet"
    )
    protect: Literal["lock", "warn", "off"] = Field(
        "lock", description="protected ranges: lock (only editors), warn (Google's warning) or off"
    )

    @field_validator("protect", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false: that is what people mean by it.
        return "off" if value is False else value

"""The `intake:` block of a pair: the committee's Ideas tab, whose rows become Trello cards (issue 11 §2)."""

from __future__ import annotations

import builtins

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from app.config.fields import ONE_WAY_FIELDS, TWO_WAY_FIELDS, FieldName, Name
from app.config.several import raise_all

__all__ = ["Intake", "IntakeColumn", "check_intake_tab"]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class IntakeColumn(BaseModel):
    """One mapped column of the intake tab: its header and the card field a new card takes from it."""

    model_config = _STRICT
    header: Name
    field: FieldName

    @model_validator(mode="after")
    def _writable(self) -> IntakeColumn:
        # A card is created from these cells, so each must be a field Trello lets us set.
        if self.field in ONE_WAY_FIELDS or self.field == "list":
            raise PydanticCustomError(
                "intake_field",
                "an intake column cannot set '{field}'; intake fields: {allowed}",
                {"field": self.field, "at": ("field",),
                 "allowed": ", ".join(f for f in TWO_WAY_FIELDS if f != "list") + ", custom:<field>"},
            )  # fmt: skip
        return self


class Intake(BaseModel):
    """Ideas typed in `tab` become cards in `list`; the row then shows the card's id, link and list."""

    model_config = _STRICT
    tab: Name = Field(description="the committee's tab in the pair's spreadsheet")
    list: Name = Field(description="the board's list new cards go to")
    editable_by: builtins.list[Name] = Field(
        default_factory=builtins.list, description="roles who may edit the tab (checked against `roles:`)"
    )
    key_header: Name = Field("Card ID", description="header of the column showing each idea's card id")
    link_header: Name = Field("Link", description="header of the column linking to each idea's card")
    status_header: Name = Field("List", description="header of the column showing the card's current list")
    columns: builtins.list[IntakeColumn] = Field(
        min_length=1, description="header -> field, as for `columns`"
    )

    @field_validator("columns")
    @classmethod
    def _name_mapped(cls, columns: builtins.list[IntakeColumn]) -> builtins.list[IntakeColumn]:
        errors = []
        seen: dict[str, int] = {}
        for index, column in enumerate(columns):
            if column.header in seen or column.field in {c.field for c in columns[:index]}:
                errors.append(PydanticCustomError(
                    "intake_duplicate",
                    "intake columns {first} and {index} share a header or a field",
                    {"first": seen.get(column.header, index), "index": index, "at": (index,)},
                ))  # fmt: skip
            seen.setdefault(column.header, index)
        if not any(column.field == "name" for column in columns):
            errors.append(PydanticCustomError(
                "intake_without_name",
                "the intake needs a column for the card's name, e.g. header: Idea, field: name",
                {},
            ))  # fmt: skip
        raise_all(errors)
        return columns

    @model_validator(mode="after")
    def _own_headers(self) -> Intake:
        mapped = {c.header for c in self.columns}
        own: builtins.list[str] = [self.key_header, self.link_header, self.status_header]
        raise_all(
            PydanticCustomError(
                "intake_header_taken",
                "the intake's header '{header}' is used twice; boardsheet writes that column itself",
                {"header": header, "at": (at,)},
            )
            for at, header in zip(("key_header", "link_header", "status_header"), own, strict=True)
            if header in mapped or own.count(header) > 1
        )
        return self


def check_intake_tab(intake: Intake | None, taken: dict[str, str]) -> None:
    """The intake owns its tab: not the synced tab, not the Changes tab (`taken` names what uses each)."""
    if intake is not None and intake.tab in taken:
        raise PydanticCustomError(
            "intake_tab_taken",
            "intake tab '{tab}' is already {user}; the Ideas tab needs its own tab",
            {"tab": intake.tab, "user": taken[intake.tab], "at": ("intake", "tab")},
        )

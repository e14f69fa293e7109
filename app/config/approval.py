"""The editor-in-chief's approval: which column holds it and in which lists a card must have it.

```yaml
    approval: {column: Approved, required_in: [Scheduled, Published]}
```
boardsheet flags a card in a `required_in` list whose approval box is unticked; it never moves cards.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.config.columns import Column
from app.config.fields import Name, did_you_mean
from app.config.several import raise_all

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Approval(BaseModel):
    """A card in one of `required_in`'s lists needs the `column` box ticked (else it is flagged)."""

    model_config = _STRICT
    column: Name = Field(description="the header of the checkbox column holding the approval")
    required_in: list[Name] = Field(min_length=1, description="lists (by name) where a card needs approval")


def check_approval(approval: Approval | None, columns: Sequence[Column], lists: Sequence[str] | None) -> None:
    """`column` is a column's header; `required_in` names lists the pair syncs (when trello.lists is set)."""
    if approval is None:
        return
    errors = []
    headers = [column.header for column in columns]
    if approval.column not in headers:
        hint = did_you_mean(approval.column, headers) or "name the header of a checkbox column"
        errors.append(
            PydanticCustomError(
                "approval_column",
                "approval.column is '{column}', which is not a column's header — {hint}",
                {"column": approval.column, "hint": hint, "at": ("approval", "column")},
            )
        )
    for index, name in enumerate(approval.required_in):
        if lists is not None and name not in lists:
            hint = did_you_mean(name, list(lists)) or "add the list to trello.lists or remove it here"
            errors.append(
                PydanticCustomError(
                    "approval_list",
                    "approval.required_in names '{name}', which is not one of trello.lists — {hint}",
                    {"name": name, "hint": hint, "at": ("approval", "required_in", index)},
                )
            )
    raise_all(errors)

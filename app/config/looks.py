"""How stakeholders see a pair: the month-grid views and the list tab's options (link, key column, colours).

Pydantic models and annotated types only; docs/configuration.md documents every key.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from app.config.fields import CUSTOM_PREFIX, Name, check_field, did_you_mean

_STRICT = ConfigDict(extra="forbid", frozen=True)
# Text between braces in a title template; "{{" and "}}" stand for literal braces.
TEMPLATE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
COLOUR_SOURCES = ("labels", "list")
DATE_SOURCES = ("due", "start")


def check_template(value: Any) -> str:
    """A title template: text with card fields in braces, e.g. "{name} ({list})"."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError('a title template is text with card fields in braces, e.g. "{name}"')
    for match in TEMPLATE_FIELD.finditer(value):
        name = match.group(1)
        if name is None:
            continue
        try:
            check_field(name.strip())
        except ValueError as exc:
            raise ValueError(f"title template field {{{name}}}: {exc}") from None
    return value


def check_colour_by(value: Any) -> str:
    """What colours cards: labels (Trello's label colours), list, or a custom field."""
    if isinstance(value, str) and (value in COLOUR_SOURCES or _custom(value)):
        return value
    hint = did_you_mean(str(value), [*COLOUR_SOURCES, "custom:"]) or "use labels, list or custom:<Field name>"
    raise ValueError(f"cannot colour by '{value}' — {hint}")


def check_date(value: Any) -> str:
    """Which date places a card in the grid: due, start, or a date custom field."""
    if isinstance(value, str) and (value in DATE_SOURCES or _custom(value)):
        return value
    hint = did_you_mean(str(value), [*DATE_SOURCES, "custom:"]) or "use due, start or custom:<Field name>"
    raise ValueError(f"'{value}' is not a date field — {hint}")


def _custom(value: str) -> bool:
    return value.startswith(CUSTOM_PREFIX) and bool(value[len(CUSTOM_PREFIX) :].strip())


Template = Annotated[
    str, BeforeValidator(check_template), WithJsonSchema({"type": "string", "examples": ["{name}"]})
]
ColourBy = Annotated[
    str,
    BeforeValidator(check_colour_by),
    WithJsonSchema({"type": "string", "pattern": "^(labels|list)$|^custom:.+$"}),
]
DateSource = Annotated[
    str,
    BeforeValidator(check_date),
    WithJsonSchema({"type": "string", "pattern": "^(due|start)$|^custom:.+$"}),
]


class MonthView(BaseModel):
    """A month-grid tab: weeks as rows, days as columns, each day listing its cards as links."""

    model_config = _STRICT
    type: Literal["month"] = Field(description="the kind of view; `month` is the month grid")
    tab: Name = Field(description="the title of the tab the grid owns entirely")
    months: int = Field(3, ge=1, le=12, description="the current month and the next ones")
    date: DateSource = Field("due", description="due, start or custom:<date field>")
    colour_by: ColourBy | None = Field("labels", description="labels, list or custom:<field>; null: none")
    title: Template = Field("{name}", description="what a card shows in its day: card fields in braces")
    week_start: Literal["monday", "sunday"] = Field("monday", description="the first column of a week")

    @property
    def template_fields(self) -> list[str]:
        """The card fields the template shows."""
        return [m.group(1).strip() for m in TEMPLATE_FIELD.finditer(self.title) if m.group(1) is not None]


def check_views(views: list[MonthView], taken: dict[str, str]) -> None:
    """Each view owns its own tab: not the synced tab, not the Changes tab, not another view's tab.

    `taken` maps the tab titles already used by the pair to what uses them ("the synced tab", ...).
    """
    seen = dict(taken)
    for index, view in enumerate(views):
        if view.tab in seen:
            raise PydanticCustomError(
                "view_tab_taken",
                "view tab '{tab}' is already {user}; a view owns its whole tab",
                {"tab": view.tab, "user": seen[view.tab], "at": ("views", index, "tab")},
            )
        seen[view.tab] = f"the tab of views[{index}]"


def check_list_looks(link: str | None, colour_by: str | None, fields: list[str]) -> None:
    """`link: title` needs a name column; `colour_by` needs a column showing what it colours by."""
    if link == "title" and "name" not in fields:
        raise PydanticCustomError(
            "link_without_title",
            "link: title needs a column showing the card's name (field: name)",
            {"at": ("sheet", "link")},
        )
    if colour_by is not None and colour_by not in fields:
        raise PydanticCustomError(
            "colour_without_column",
            "sheet.colour_by is '{source}', but no column shows that field; add a column with"
            " field: {source} (the colours follow that column's cells)",
            {"source": colour_by, "at": ("sheet", "colour_by")},
        )

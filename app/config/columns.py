"""One owned column of a pair: its header, the card field it shows, and who may edit it in the sheet."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.config.fields import CUSTOM_PREFIX, ONE_WAY_FIELDS, TWO_WAY_FIELDS, FieldName, Name
from app.config.roles import RoleNames
from app.config.several import raise_all

_STRICT = ConfigDict(extra="forbid", frozen=True)


class Column(BaseModel):
    """One owned column: its header in the sheet and the card field it shows."""

    model_config = _STRICT
    header: Name
    field: FieldName
    two_way: bool = Field(False, description="true: the sheet's edits of this column reach Trello too")
    editable_by: RoleNames | None = Field(
        None,
        description="roles who may edit this two-way column in the sheet; anyone with edit access if unset",
    )

    @model_validator(mode="after")
    def _two_way_field(self) -> Column:
        errors = []
        if self.two_way and self.field in ONE_WAY_FIELDS:
            errors.append(PydanticCustomError(
                "one_way_field",
                "the field '{field}' cannot be two-way (Trello computes it); two-way fields: {allowed}",
                {"field": self.field, "allowed": ", ".join(TWO_WAY_FIELDS) + ", custom:<field>",
                 "at": ("two_way",)},
            ))  # fmt: skip
        if self.editable_by is not None and not self.two_way:
            errors.append(PydanticCustomError(
                "editable_one_way",
                "only boardsheet edits a one-way column — add `two_way: true` to let {roles} edit it,"
                " or remove editable_by",
                {"roles": ", ".join(self.editable_by), "at": ("editable_by",)},
            ))  # fmt: skip
        raise_all(errors)
        return self

    @property
    def custom_name(self) -> str | None:
        """The custom field's name for `custom:<name>` columns, else None."""
        return self.field[len(CUSTOM_PREFIX) :] if self.field.startswith(CUSTOM_PREFIX) else None

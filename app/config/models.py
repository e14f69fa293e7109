"""The YAML pair specs: pydantic models (extra="forbid") and `load_config()`, which reports every problem.

A `Config` holds `pairs`; each `Pair` links one Trello board (optionally filtered) to one tab of one
spreadsheet through its `columns` (its two sides: config/sides.py; its cross-field checks:
config/pair_checks.py). See docs/configuration.md for the reference of every key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.config.across import pairs_problems, valid_pairs
from app.config.approval import Approval
from app.config.columns import Column
from app.config.fields import FIELDS, Duration, MaxDeletes, Name, Slug, nearest
from app.config.intake import Intake
from app.config.looks import MonthView
from app.config.pair_checks import PAIR_CHECKS
from app.config.partial import merged, validated_then_checked
from app.config.problems import problems_from_validation
from app.config.roles import Roles, domain_editors, role_problems
from app.config.several import raise_all
from app.config.sides import SheetTarget, TrelloSource
from app.config.source import Problem, SourceMap, in_file_order, read_yaml
from app.errors import ConfigError, UnknownPairError

__all__ = ["FIELDS", "Column", "Config", "ConfigError", "Pair", "Problem"]

_STRICT = ConfigDict(extra="forbid", frozen=True)
# One entry or a list of them; in the type, so a field validated on its own (config/partial.py) agrees.
SortBy = Annotated[list[Name], BeforeValidator(lambda value: [value] if isinstance(value, str) else value)]


class Pair(BaseModel):
    """One Trello board (optionally filtered) ⇄ one tab of one spreadsheet."""

    model_config = _STRICT
    name: Slug
    trello: TrelloSource
    sheet: SheetTarget
    timezone: str = Field("UTC", description="IANA time zone of the sheet's dates, e.g. Europe/Paris")
    sort_by: SortBy | None = Field(None, description="fields or headers; '-' prefix sorts descending")
    max_deletes: MaxDeletes = Field("25%", description="rows a run may delete before the plan is held")
    reconcile_every: Duration = Field(timedelta(minutes=5), description="how often to reconcile anyway")
    changes_tab: Name | None = Field(None, description="tab receiving the change log; none if unset")
    conflicts: Literal["trello", "sheet"] = Field(
        "trello", description="who wins when both sides changed a two-way cell since the last run"
    )
    columns: list[Column] = Field(min_length=1)
    views: list[MonthView] = Field(default_factory=list, description="tabs rendered from the board to read")
    intake: Intake | None = Field(None, description="a tab whose rows become cards (the Ideas tab)")
    freshness_every: Duration = Field(
        timedelta(minutes=15), description="refresh the views' freshness line at least this often"
    )
    approval: Approval | None = Field(
        None, description="flag cards in required_in lists whose approval column is unticked"
    )
    _source: SourceMap | None = PrivateAttr(None)
    _index: int = PrivateAttr(0)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'; use an IANA name such as Europe/Paris") from None
        return value

    @field_validator("columns")
    @classmethod
    def _unique_headers(cls, columns: list[Column]) -> list[Column]:
        seen: dict[str, int] = {}
        for index, column in enumerate(columns):
            if column.header in seen:
                raise PydanticCustomError(
                    "duplicate_header",
                    "two columns share the header '{header}' (columns {first} and {index})",
                    {"header": column.header, "first": seen[column.header], "index": index,
                     "at": (index, "header")},
                )  # fmt: skip
            seen[column.header] = index
        return columns

    @model_validator(mode="wrap")
    @classmethod
    def _cross_checks(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Pair:
        # Wrapped, not after: checks reading only valid fields report beside the invalid fields' errors.
        return validated_then_checked(cls, data, handler, PAIR_CHECKS)

    @property
    def source(self) -> SourceMap | None:
        """Where this pair was read from (None when built in code)."""
        return self._source

    @property
    def index(self) -> int:
        """This pair's position in the file's `pairs` list."""
        return self._index


class Config(BaseModel):
    """The whole YAML file: a list of pairs with unique names."""

    model_config = _STRICT
    roles: Roles = Field(
        default_factory=dict, description="named sets of people: e-mail, group:ADDRESS or domain:NAME"
    )
    pairs: list[Pair] = Field(min_length=1, description="the board ⇄ tab pairs to keep equal")
    _source: SourceMap | None = PrivateAttr(None)
    _warnings: list[Problem] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _across_pairs(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Config:
        # Wrapped: the pairs that are valid are compared even while another pair has errors of its own.
        try:
            config: Config = handler(data)
        except ValidationError as exc:
            raise merged(cls, data, exc, pairs_problems(valid_pairs(Pair, data, exc))) from None
        raise_all(pairs_problems(list(enumerate(config.pairs))))
        return config

    @property
    def source(self) -> SourceMap | None:
        """Where this configuration was read from (None when built in code)."""
        return self._source

    @property
    def warnings(self) -> list[Problem]:
        """What is allowed but probably a mistake (a role used nowhere), found when the file was read."""
        return list(self._warnings)

    def pair(self, name: str) -> Pair:
        """The pair called `name`; UnknownPairError (listing the pairs, and the nearest) when none is."""
        for pair in self.pairs:
            if pair.name == name:
                return pair
        names = [p.name for p in self.pairs]
        raise UnknownPairError(name, names, nearest(name, names))


def parse_config(text: str, file: str = "<config>", env: Mapping[str, str] | None = None) -> Config:
    """Validate YAML text; raise ConfigError listing every problem (file, line, column, path, hint)."""
    data, source, problems = read_yaml(text, file, {} if env is None else env)
    if data is None and not problems:
        problems.append(Problem(file, None, None, "", "the file is empty", "start with `pairs:`"))
    if problems and not isinstance(data, dict):
        raise ConfigError(problems)
    # Role references are checked on the data as read, so they join every other problem in one report.
    errors, warnings = role_problems(data)
    problems.extend(source.problem(path, message, hint) for path, message, hint in errors)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        # A value the reader already reported (an unset $env variable) needs no second problem.
        seen = {p.path for p in problems}
        problems.extend(p for p in problems_from_validation(exc, source, Config) if p.path not in seen)
        raise ConfigError(in_file_order(problems)) from exc
    if problems:
        raise ConfigError(in_file_order(problems))
    warnings += domain_editors(data, config.roles)
    config._source = source
    config._warnings = [source.problem(path, message, hint, key=True) for path, message, hint in warnings]
    for index, pair in enumerate(config.pairs):
        pair._source, pair._index = source, index
    return config


def load_config(path: str | Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate a YAML file; `env` resolves `$env` references (none when omitted)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError([Problem(file, None, None, "", f"cannot read the file: {reason}")]) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(file, None, None, "", "the file is not UTF-8 text")]) from exc
    return parse_config(text, file, env)

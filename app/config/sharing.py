"""Sharing: which Drive permissions a spreadsheet should carry, from the roles (issue 11 §4).

```yaml
    sheet:
      spreadsheet: 1AbC...
      share: true            # or [stakeholders, committee]; false (default): neither grant nor audit
      share_as: reader       # reader | commenter: what roles that edit nothing get
      notify: false          # Drive's notification e-mail to people granted access
      audit_every: 1h        # list and compare the permissions this often (Drive calls only)
      sharing: report        # report | enforce: enforce removes what the YAML does not grant, once approved
```
Pairs may share a spreadsheet: its sharing keys may be set on one pair, or on several with the same
values (a config error otherwise); editors are the union over every pair of the spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.config.fields import Duration
from app.config.roles import Principal, RoleName, members

if TYPE_CHECKING:
    from app.config.models import Config, Pair

__all__ = [
    "SHARING_KEYS",
    "SharingKeys",
    "SpreadsheetSharing",
    "editor_roles",
    "sharing_conflicts",
    "spreadsheet_sharing",
    "wanted_permissions",
]

DriveRole = Literal["reader", "commenter", "writer"]
SHARING_KEYS = ("share", "share_as", "notify", "audit_every", "sharing")


class SharingKeys(BaseModel):
    """The sharing keys of a pair's `sheet` (a mixin of SheetTarget)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    share: bool | list[RoleName] = Field(
        False,
        description="true: share the spreadsheet with every role; a list: with those roles (and every role "
        "that edits something); false: neither grant nor audit",
    )
    share_as: Literal["reader", "commenter"] = Field(
        "reader", description="the Drive role given to shared roles that edit nothing"
    )
    notify: bool = Field(False, description="true: Drive e-mails the people it grants access to")
    audit_every: Duration = Field(
        timedelta(hours=1),
        description="how often the spreadsheet's Drive permissions are listed and compared",
    )
    sharing: Literal["report", "enforce"] = Field(
        "report",
        description="report: report unexpected access; enforce: also remove it once a held plan is approved",
    )


@dataclass(frozen=True)
class SpreadsheetSharing:
    """One spreadsheet's sharing, as every pair on it agrees: settings, who edits, who reads, which pair."""

    spreadsheet: str
    pair: str  # the first pair of the spreadsheet in the file: labels, held plans, the change log
    pairs: tuple[str, ...]
    settings: SharingKeys
    wanted: dict[Principal, DriveRole]

    @property
    def enabled(self) -> bool:
        """Whether the spreadsheet is shared and audited at all."""
        return self.settings.share is not False


def editor_roles(pairs: list[Pair]) -> list[str]:
    """The roles that edit something in these pairs' spreadsheet, in file order: a column's
    `editable_by`, and the intake's (they type ideas into its tab). The one place saying what "edits" means.
    """
    seen: dict[str, None] = {}
    for pair in pairs:
        for column in pair.columns:
            for role in column.editable_by or ():
                seen.setdefault(role, None)
        for role in pair.intake.editable_by if pair.intake is not None else ():
            seen.setdefault(role, None)
    return list(seen)


def _keys(pair: Pair) -> SharingKeys:
    sheet = pair.sheet
    return SharingKeys(**{key: getattr(sheet, key) for key in SHARING_KEYS})


def _setting_pairs(pairs: list[Pair]) -> list[Pair]:
    """The pairs that set any sharing key explicitly."""
    return [p for p in pairs if p.sheet.model_fields_set & set(SHARING_KEYS)]


def sharing_conflicts(pairs: list[Pair]) -> Iterator[tuple[int, str, str]]:
    """(index in `pairs`, other pair, spreadsheet) for each pair whose sharing keys contradict an earlier
    pair's on the same spreadsheet."""
    first: dict[str, Pair] = {}
    for index, pair in enumerate(pairs):
        if not pair.sheet.model_fields_set & set(SHARING_KEYS):
            continue
        spreadsheet = pair.sheet.spreadsheet
        earlier = first.setdefault(spreadsheet, pair)
        if earlier is not pair and _keys(earlier) != _keys(pair):
            yield index, earlier.name, spreadsheet


def wanted_permissions(config: Config, pairs: list[Pair], keys: SharingKeys) -> dict[Principal, DriveRole]:
    """Principal → the Drive role the YAML grants it on these pairs' spreadsheet (the strongest wins)."""
    if keys.share is False:
        return {}
    editors = editor_roles(pairs)
    shared = list(config.roles) if keys.share is True else list(keys.share)
    # A role that edits a column or the intake tab needs the file at all: shared whatever the list says.
    shared += [role for role in editors if role not in shared]
    wanted: dict[Principal, DriveRole] = {}
    for principal in members(config.roles, [r for r in shared if r not in editors]):
        wanted[principal] = keys.share_as
    for principal in members(config.roles, editors):
        wanted[principal] = "writer"
    return wanted


def spreadsheet_sharing(config: Config) -> list[SpreadsheetSharing]:
    """Each configured spreadsheet's sharing, in file order of its first pair."""
    by_sheet: dict[str, list[Pair]] = {}
    for pair in config.pairs:
        by_sheet.setdefault(pair.sheet.spreadsheet, []).append(pair)
    out = []
    for spreadsheet, pairs in by_sheet.items():
        setters = _setting_pairs(pairs)
        keys = _keys(setters[0]) if setters else SharingKeys()
        wanted = wanted_permissions(config, pairs, keys)
        names = tuple(p.name for p in pairs)
        out.append(SpreadsheetSharing(spreadsheet, names[0], names, keys, wanted))
    return out

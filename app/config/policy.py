"""Turn a configured Pair into the engine's Policy (the pure core's view of a pair)."""

from __future__ import annotations

from app.config.fields import PERCENT
from app.config.looks import MonthView
from app.config.models import Pair
from app.core.ideas import IntakePolicy
from app.core.model import Column, Percent, Policy
from app.core.views.month import MonthSpec


def policy_of(pair: Pair, *, allow_mass_delete: bool = False) -> Policy:
    """The Policy the planner needs for `pair`."""
    match = PERCENT.match(pair.max_deletes) if isinstance(pair.max_deletes, str) else None
    max_deletes: int | Percent = Percent(float(match.group(1))) if match else int(pair.max_deletes)
    return Policy(
        columns=tuple(Column(c.header, c.field, c.two_way) for c in pair.columns),
        key_header=pair.sheet.key_header,
        timezone=pair.timezone,
        archived=pair.trello.archived,
        lists=tuple(pair.trello.lists) if pair.trello.lists is not None else None,
        labels=tuple(pair.trello.labels) if pair.trello.labels is not None else None,
        sort_by=tuple(pair.sort_by or ()),
        max_deletes=max_deletes,
        allow_mass_delete=allow_mass_delete,
        title_link=pair.sheet.link == "title",
        conflicts=pair.conflicts,
    )


def month_spec(pair: Pair, view: MonthView) -> MonthSpec:
    """What the month grid needs from one of the pair's views (the zone is the pair's)."""
    return MonthSpec(
        tab=view.tab,
        months=view.months,
        date=view.date,
        colour_by=view.colour_by,
        title=view.title,
        week_start=view.week_start,
        timezone=pair.timezone,
    )


def intake_policy_of(pair: Pair) -> IntakePolicy | None:
    """The intake's policy for the pure core, None when the pair has no `intake:`."""
    intake = pair.intake
    if intake is None:
        return None
    return IntakePolicy(
        tab=intake.tab,
        list_name=intake.list,
        columns=tuple(Column(c.header, c.field, two_way=True) for c in intake.columns),
        key_header=intake.key_header,
        link_header=intake.link_header,
        status_header=intake.status_header,
        timezone=pair.timezone,
        conflicts=pair.conflicts,
    )

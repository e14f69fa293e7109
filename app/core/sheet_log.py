"""The sheet's side of the change log: a plan's `SheetEvent`s -> `ChangeRecord`s (pure).

`editor` is who edited the sheet when something knows it (e.g. Drive's revision author); without it the
records say "the sheet".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from app.core.plan import SheetEvent
from app.core.records import ChangeRecord

THE_SHEET = "the sheet"


def _outcome(event: SheetEvent) -> str:
    """What became of the sheet's value, for the After text (the Who column holds only who)."""
    if event.kind == "rejected":
        return f"not applied: {event.reason}"
    if event.kind == "overridden" and event.reason == "conflict: Trello won":
        return "lost a conflict (conflicts: trello), Trello's value kept"
    if event.kind == "overridden":
        return "won a conflict (conflicts: sheet), Trello's value replaced"
    if event.kind == "restored":
        return "row deleted, written back (a row never archives its card)"
    return ""


def _values(event: SheetEvent, card_name: str | None) -> tuple[str | None, str | None]:
    """Before and after as the cell saw them (a rejected or losing value is what the cell went from),
    the after followed by what became of the edit when it was not simply applied."""
    before, after = event.before, event.after
    if event.kind in ("rejected", "overridden"):
        before, after = event.after, event.before
    elif event.kind == "restored":
        after = card_name
    outcome = _outcome(event)
    if not outcome:
        return before, after
    return before, f"{after} — {outcome}" if after else outcome


def sheet_records(
    events: Sequence[SheetEvent],
    *,
    pair: str,
    board_id: str,
    cards: Mapping[str, str],
    at: datetime,
    editor: str | None = None,
) -> list[ChangeRecord]:
    """One change-log record per event; `cards` maps card ids to names."""
    records = []
    for number, event in enumerate(events):
        before, after = _values(event, cards.get(event.key))
        records.append(
            ChangeRecord(
                at=at,
                pair=pair,
                board_id=board_id,
                action_id=f"sheet:{at:%Y%m%dT%H%M%S}:{number}:{event.key}"[:64],
                action_type=f"sheet:{event.kind}",
                member=editor or THE_SHEET,  # who alone: what became of the value is in `after`
                card_id=event.key,
                card_name=cards.get(event.key, ""),
                field=event.field,
                before=before,
                after=after,
            )
        )
    return records

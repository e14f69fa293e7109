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


def _who(event: SheetEvent, editor: str) -> str:
    """The Who column: the sheet (or its editor), and what became of the value."""
    if event.kind == "rejected":
        return f"{editor} — not applied: {event.reason}"
    if event.kind == "overridden" and event.reason == "conflict: Trello won":
        return f"{editor} — lost a conflict (conflicts: trello), Trello's value kept"
    if event.kind == "overridden":
        return f"Trello — lost a conflict (conflicts: sheet), {editor}'s value kept"
    if event.kind == "restored":
        return f"{editor} — row deleted, written back (a row never archives its card)"
    return editor


def _values(event: SheetEvent) -> tuple[str | None, str | None]:
    """Before and after as the cell saw them: a rejected or losing value is what the cell went from."""
    if event.kind in ("rejected", "overridden"):
        return event.after, event.before
    return event.before, event.after


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
        before, after = _values(event)
        records.append(
            ChangeRecord(
                at=at,
                pair=pair,
                board_id=board_id,
                action_id=f"sheet:{at:%Y%m%dT%H%M%S}:{number}:{event.key}"[:64],
                action_type=f"sheet:{event.kind}",
                member=_who(event, editor or THE_SHEET),
                card_id=event.key,
                card_name=cards.get(event.key, ""),
                field=event.field,
                before=before,
                after=after if event.kind != "restored" else cards.get(event.key),
            )
        )
    return records

"""The intake's creations in the state store: intents noted before each POST, card ids, row bases.

A mixin of `Store` (kept apart so each module stays small). Each call is its own transaction, committed
before the caller goes on: the intent is durable before the card's POST leaves, its card id before the
sheet's write.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.core.ideas import Intent
from app.core.model import CellValue
from app.store.parts import StoreParts
from app.store.tables import intake_cards

__all__ = ["IntakeStateMixin"]


class IntakeStateMixin(StoreParts):
    """Intents, card ids and bases of the intake tab's rows (see Store)."""

    def intake_intents(self, pair: str) -> list[Intent]:
        """Every noted creation of the pair's intake (done or not)."""
        with self._translated(f"read the intake of pair {pair!r}"), self._engine.begin() as connection:
            rows = connection.execute(sa.select(intake_cards).where(intake_cards.c.pair == pair)).all()
        return [
            Intent(r.row_key, r.name, r.list_id, r.noted_at, r.card_id, json.loads(r.base), bool(r.done))
            for r in rows
        ]

    def note_intent(self, pair: str, intent: Intent) -> None:
        """Note (or note again, with a new time) a creation about to be sent, before its POST."""
        values = {
            "name": intent.name, "list_id": intent.list_id, "noted_at": intent.noted_at,
            "card_id": intent.card_id, "base": json.dumps(intent.base), "done": intent.done,
        }  # fmt: skip
        with self._translated(f"note an intake card of pair {pair!r}"), self._engine.begin() as connection:
            self._upsert(connection, intake_cards, {"pair": pair, "row_key": intent.row_key}, values)

    def intent_card(self, pair: str, row_key: str, card_id: str) -> None:
        """The card a noted creation made (or adopted)."""
        self._update(pair, intake_cards.c.row_key == row_key, {"card_id": card_id})

    def intents_done(self, pair: str, row_keys: Iterable[str]) -> None:
        """These rows show their cards now: their intents never create or adopt again."""
        keys = list(row_keys)
        if keys:
            self._update(pair, intake_cards.c.row_key.in_(keys), {"done": True})

    def intake_bases(self, pair: str, bases: Mapping[str, Mapping[str, CellValue]], now: datetime) -> None:
        """Save the rows' synced cells by card id (a row keyed by hand gets a done record of its own)."""
        for card_id, base in bases.items():
            with self._translated(f"save the intake of pair {pair!r}"), self._engine.begin() as connection:
                updated = connection.execute(
                    sa.update(intake_cards)
                    .where(intake_cards.c.pair == pair, intake_cards.c.card_id == card_id)
                    .values(base=json.dumps(dict(base)))
                ).rowcount
                if not updated:
                    key = {"pair": pair, "row_key": f"id:{card_id}"}
                    values = {"name": "", "list_id": "", "noted_at": now, "card_id": card_id,
                              "base": json.dumps(dict(base)), "done": True}  # fmt: skip
                    self._upsert(connection, intake_cards, key, values)

    def _update(self, pair: str, where: Any, values: dict[str, Any]) -> None:
        with self._translated(f"save the intake of pair {pair!r}"), self._engine.begin() as connection:
            connection.execute(
                sa.update(intake_cards).where(intake_cards.c.pair == pair, where).values(**values)
            )

"""A synthetic board of any size, for the benchmarks and the end-to-end tests (a seed_from_dict spec).

Unlike seeds/*.yaml, which `seeding` creates through the real APIs as a user would, this spec goes
straight into the Trello emulator's state: thousands of cards in milliseconds, identical on every run.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

BOARD = "Calendar board"
LISTS = ("Ideas", "Drafting", "Review", "Scheduled", "Published")
LABELS = ({"name": "Instagram", "color": "purple"}, {"name": "LinkedIn", "color": "blue"})


FIRST_DAY = date(2026, 12, 1)


def board_spec(cards: int, days: int = 28, archived: int = 0) -> dict[str, Any]:
    """A seed of `cards` cards over five lists, due over `days` days from FIRST_DAY, every third labelled;
    the first `archived` of them are archived (closed), as on a board with years of history."""
    lists: list[dict[str, Any]] = [{"name": name, "cards": []} for name in LISTS]
    for i in range(cards):
        day = FIRST_DAY + timedelta(days=i % days)
        card: dict[str, Any] = {
            "name": f"Post {i:05d}",
            "due": f"{day.isoformat()}T09:{i % 60:02d}:00.000Z",
        }
        card["labels"] = ["Instagram"] if i % 3 == 0 else []
        if i < archived:
            card["closed"] = True
        lists[i % len(LISTS)]["cards"].append(card)
    return {"boards": [{"name": BOARD, "lists": lists, "labels": [dict(label) for label in LABELS]}]}

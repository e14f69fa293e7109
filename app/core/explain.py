"""What people need to judge a plan: cards by title, why cards are left out, which rows a delete removes.

Pure: built from the same board, tab and base the planner used. The CLI's `plan`, held plans on the
status page and the change log of an approved mass delete read these instead of card ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.mapping import left_out
from app.core.model import Base, Board, Policy, SheetTab

__all__ = ["PlanFacts", "plan_facts"]


@dataclass(frozen=True)
class PlanFacts:
    """Titles and lists by key, cards left out by reason, and whether the tab had no header yet."""

    titles: Mapping[str, str] = field(default_factory=dict)
    lists: Mapping[str, str] = field(default_factory=dict)
    left_out: Mapping[str, int] = field(default_factory=dict)  # reason -> cards
    new_header: bool = False  # the tab was empty: the plan creates the header rather than repairs it

    def title(self, key: str) -> str:
        """The card's title, or its key when no side knows one."""
        return self.titles.get(key) or key

    def row(self, key: str, reason: str, free: Mapping[str, str]) -> dict[str, Any]:
        """A row a plan removes, as people judge it: card title, list, why, and its free-column cells."""
        return {
            "key": key,
            "title": self.titles.get(key, ""),
            "list": self.lists.get(key, ""),
            "reason": reason,
            "free": dict(free),
        }


def _from_base(base: Base | None, policy: Policy, wanted: str) -> dict[str, str]:
    """key -> the text of the column mapped to card field `wanted`, from the last synced base."""
    header = next((c.header for c in policy.columns if c.field == wanted), None)
    if base is None or header is None:
        return {}
    return {key: str(cells.get(header) or "") for key, cells in base.items() if cells.get(header)}


def plan_facts(board: Board, tab: SheetTab, base: Base | None, policy: Policy) -> PlanFacts:
    """The facts of one plan's inputs: the board wins over the base (a deleted card is only in the base)."""
    titles = _from_base(base, policy, "name") | {card.id: card.name for card in board.cards}
    lists = _from_base(base, policy, "list") | {card.id: card.list_name for card in board.cards}
    reasons = Counter(reason for card in board.cards if (reason := left_out(card, policy)) is not None)
    new_header = not any(isinstance(h, str) and h.strip() for h in tab.headers)
    return PlanFacts(titles, lists, dict(reasons), new_header)

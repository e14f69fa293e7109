"""What a soak checks once the people stopped and the faults are off: the sheet equals the board's mapping,
no duplicate rows or cards, every note on its card's row, every accepted sheet edit in Trello, and a change
log entry for every Trello action of the team. Each check names what it found wrong (empty: no loss)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.config.models import Config
from app.config.policy import policy_of
from app.core.decode import board_from_json, tab_from_snapshot
from app.core.mapping import board_rows
from app.core.merge import same
from app.core.model import Formula, SheetTab
from app.core.records import ChangeRecord
from bench.soak.people import FREE_HEADERS, KEY_HEADER, Edits
from bench.soak.world import TAB, World
from connectors.sheets.auth import emulator_credentials
from connectors.sheets.client import SheetsConnector
from connectors.trello.client import TrelloConnector

KEY = "emulator-key"
SHOWN = 3  # problems named per check; the rest are counted
# Trello's `data.old` key for each two-way field an accepted sheet edit writes.
TRELLO_FIELD = {"list": "idList", "due": "due", "name": "name"}
ANY_ORDER = ("labels", "members")


@dataclass(frozen=True)
class Sides:
    """Both sides read once, after the faults were switched off."""

    board: dict[str, Any]
    tab: SheetTab


def read_sides(world: World) -> Sides:
    """The board (as the ops member reads it) and the tab (as the service account reads it)."""
    with TrelloConnector(KEY, "token-ops", api_url=world.trello_url, retry_seconds=5) as trello:
        board = trello.board_snapshot(world.seeded.board_id)
    sheets = SheetsConnector(emulator_credentials("soak"), api_url=world.sheets_url, retry_seconds=5)
    return Sides(board, tab_from_snapshot(sheets.read_tab(world.seeded.spreadsheet_id, TAB)))


def _rows_by_key(tab: SheetTab) -> dict[str, list[tuple[Any, ...]]]:
    if KEY_HEADER not in tab.headers:
        return {}
    at = tab.headers.index(KEY_HEADER)
    found: dict[str, list[tuple[Any, ...]]] = {}
    for row in tab.rows:
        key = row[at] if len(row) > at else None
        if isinstance(key, str) and key:
            found.setdefault(key, []).append(row)
    return found


def _equal(field: str, actual: Any, wanted: Any) -> bool:
    if field in ANY_ORDER and isinstance(actual, str) and isinstance(wanted, str):
        return sorted(actual.split(", ")) == sorted(wanted.split(", "))
    return same(actual, wanted)


def mapping_problems(config: Config, sides: Sides) -> list[str]:
    """Where the tab differs from the board's mapping: missing, extra or duplicated rows, wrong cells."""
    policy = policy_of(config.pairs[0])
    wanted = board_rows(board_from_json(sides.board), policy).rows
    rows = _rows_by_key(sides.tab)
    problems = [f"card {k}: no row" for k in wanted if k not in rows]
    problems += [f"row of {k}: no such open card" for k in rows if k not in wanted]
    problems += [f"card {k}: {len(r)} rows" for k, r in rows.items() if len(r) > 1]
    headers = sides.tab.headers
    for key, cells in wanted.items():
        for row in rows.get(key, [])[:1]:
            for column in policy.owned_columns():
                at = headers.index(column.header) if column.header in headers else -1
                actual = row[at] if 0 <= at < len(row) else None
                if not _equal(column.field, actual, cells[column.header].value):
                    problems.append(
                        f"card {key} {column.header}: {actual!r}, board {cells[column.header].value!r}"
                    )
    return problems


def duplicate_problems(sides: Sides, actions: Sequence[dict[str, Any]], seeded: int) -> list[str]:
    """Cards beyond the `seeded` ones (and those the service created from ideas) plus those the team
    created and minus those it deleted."""
    kinds = Counter(str(a.get("type")) for a in actions)
    expected = seeded + kinds["createCard"] - kinds["deleteCard"]
    cards = len(sides.board.get("cards", []))
    return [] if cards == expected else [f"{cards} cards on the board, {expected} expected"]


def note_problems(sides: Sides, edits: Edits) -> list[str]:
    """Every free note and formula on the row of the card it was typed beside (cards still in the sheet)."""
    rows = _rows_by_key(sides.tab)
    headers = sides.tab.headers
    if not all(h in headers for h in FREE_HEADERS):
        return [] if not edits.notes else ["the free columns are gone"]
    at_note, at_check = (headers.index(h) for h in FREE_HEADERS)
    problems = []
    for key, (note, formula) in edits.notes.items():
        found = rows.get(key)
        if not found:
            continue  # the card was archived or deleted: its row left with its notes
        row = found[0]
        got = (row[at_note] if len(row) > at_note else None, row[at_check] if len(row) > at_check else None)
        if got != (note, Formula(formula)):
            problems.append(f"card {key}: {got!r}, typed {(note, formula)!r}")
    return problems


def accepted_problems(
    changes: Sequence[ChangeRecord],
    ops_actions: Sequence[dict[str, Any]],
    team_actions: Sequence[dict[str, Any]] = (),
) -> list[str]:
    """Each accepted sheet edit (change log `sheet:edit`) matched by one of the service's Trello writes of
    that card's field, unless a teammate moved the card to the very list first (the service's PUT then
    changes nothing and Trello records no action)."""
    writes: Counter[tuple[str, str]] = Counter()
    for action in ops_actions:
        data = action.get("data") or {}
        for key in data.get("old") or {}:
            writes[(str((data.get("card") or {}).get("id")), str(key))] += 1
    moved = {
        (str(data["card"].get("id")), str(data["listAfter"].get("name")))
        for data in (a.get("data") or {} for a in team_actions)
        if isinstance(data.get("card"), dict) and isinstance(data.get("listAfter"), dict)
    }
    needed: Counter[tuple[str, str]] = Counter()
    for c in changes:
        if c.action_type == "sheet:edit" and not (c.field == "list" and (c.card_id, str(c.after)) in moved):
            needed[(c.card_id, TRELLO_FIELD.get(c.field, c.field))] += 1
    return [
        f"card {card} {field}: {n} accepted, {writes[(card, field)]} written"
        for (card, field), n in needed.items()
        if writes[(card, field)] < n
    ]


def log_problems(changes: Sequence[ChangeRecord], team_actions: Sequence[dict[str, Any]]) -> list[str]:
    """Every Trello action of the team on a card has a change log entry (by action id)."""
    logged = {c.action_id for c in changes}
    return [
        f"{a.get('type')} {a.get('id')} by {(a.get('memberCreator') or {}).get('username')}"
        f" ({', '.join((a.get('data') or {}).get('old') or {}) or 'no field'}) not logged"
        for a in team_actions
        if isinstance((a.get("data") or {}).get("card"), dict) and a.get("id") not in logged
    ]


def shown(problems: Sequence[str]) -> str:
    """The first few problems and how many more."""
    more = f" (+{len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
    return "; ".join(problems[:SHOWN]) + more

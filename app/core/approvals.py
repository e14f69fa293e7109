"""The editor-in-chief's approval (pure): cards in a list that needs approval without it, their change-log
records, and the conditional format that marks them in the sheet.

The sheet's mark is one custom-formula rule on the approval column: red when the row's list (a `list`
column of the pair) is one of `required_in` and the box is not ticked. Custom formulas are relative to the
range's top-left cell (https://developers.google.com/sheets/api/guides/conditional-format). Ours carries
`N("boardsheet approval")` (N of text is 0, so the rule's truth is unchanged) to be known among people's
own rules; it goes first (index 0) so it wins over colours on the same cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.model import Board, Card, CellValue
from app.core.records import ChangeRecord
from app.core.trust_events import column_letter

Request = dict[str, Any]
MARK = 'N("boardsheet approval")'
FLAGGED, CLEARED = "approvalMissing", "approvalCleared"
RED = {"red": 0.96, "green": 0.78, "blue": 0.76}  # a light red readable under black text


@dataclass(frozen=True, slots=True)
class Unapproved:
    """A card flagged: in a list that needs approval, its approval box unticked."""

    card_id: str
    name: str
    list_name: str


def unapproved(
    board: Board, rows: Mapping[str, Mapping[str, CellValue]], header: str, required_in: Sequence[str]
) -> list[Unapproved]:
    """The cards the pair keeps (`rows`: the base a run leaves, header -> value by key) that sit in a
    `required_in` list and are not approved (the box ticked in the sheet counts once the run writes it)."""
    cards: dict[str, Card] = {card.id: card for card in board.cards}
    flagged = []
    for key, cells in rows.items():
        card = cards.get(key)
        if card is None or card.archived or card.list_name not in required_in:
            continue
        if cells.get(header) is not True:
            flagged.append(Unapproved(card.id, card.name, card.list_name))
    return flagged


def _why(item: Unapproved) -> str:
    return f"unapproved in {item.list_name}"


def approval_records(
    now: Sequence[Unapproved],
    before: Mapping[str, ChangeRecord],
    *,
    pair: str,
    board_id: str,
    at: datetime,
    titles: Mapping[str, str] | None = None,
) -> list[ChangeRecord]:
    """A change-log record per card newly flagged or flagged under another title or list than its last
    flagging record says (the status reads the log: it shows the card as it is now), and one per card no
    longer flagged (`before`: the latest flagging records by card id; `titles`: the board's card names
    now, which the clearing record uses, else it repeats the flagging record's)."""
    titles = titles or {}
    current = {item.card_id: item for item in now}
    stamp = at.strftime("%Y%m%dT%H%M%S")
    records = [
        ChangeRecord(at, pair, board_id, f"bs-approval-{item.card_id}-{stamp}", FLAGGED, "boardsheet",
                     item.card_id, item.name, "approval", _before(before.get(card_id), item), _why(item))
        for card_id, item in current.items() if _changed(before.get(card_id), item)
    ]  # fmt: skip
    records += [
        ChangeRecord(at, pair, board_id, f"bs-approved-{card_id}-{stamp}", CLEARED, "boardsheet",
                     card_id, titles.get(card_id) or before[card_id].card_name, "approval", "unapproved",
                     "approved or out of the lists needing it")
        for card_id in sorted(set(before) - set(current))
    ]  # fmt: skip
    return records


def _changed(flag: ChangeRecord | None, item: Unapproved) -> bool:
    """Whether the card is newly flagged, or renamed or moved since its last flagging record."""
    return flag is None or (flag.card_name, flag.after) != (item.name, _why(item))


def _before(flag: ChangeRecord | None, item: Unapproved) -> str | None:
    """A flag's "before": what the card's last flag said, under its old title if renamed (none when new)."""
    if flag is None:
        return None
    return flag.after if flag.card_name == item.name else f"“{flag.card_name}” {flag.after}"


def flagged_now(records: Iterable[ChangeRecord]) -> dict[str, ChangeRecord]:
    """The cards flagged according to the change log (records newest first): their latest flagging record."""
    latest: dict[str, ChangeRecord] = {}
    for record in records:
        if record.action_type in (FLAGGED, CLEARED):
            latest.setdefault(record.card_id, record)
    return {card_id: r for card_id, r in latest.items() if r.action_type == FLAGGED}


def flagged_since(records: Iterable[ChangeRecord]) -> dict[str, datetime]:
    """When each card flagged now was first flagged since it was last cleared (records newest first):
    a rename or a move re-records the flag, not the time the card has waited."""
    since: dict[str, datetime] = {}
    cleared: set[str] = set()
    for record in records:
        if record.card_id in cleared:
            continue
        if record.action_type == CLEARED:
            cleared.add(record.card_id)
        elif record.action_type == FLAGGED:
            since[record.card_id] = record.at
    return since


def approval_formula(approved: int, list_column: int, required_in: Sequence[str]) -> str:
    """The rule's formula for row 2 (relative): the list is one of `required_in` and the box is unticked."""
    lst, box = column_letter(list_column), column_letter(approved)
    names = ",".join(f'${lst}2="{name.replace(chr(34), chr(34) * 2)}"' for name in required_in)
    return f"={MARK}+AND(OR({names}),${box}2<>TRUE)"


def approval_rule(sheet_id: int, approved: int, formula: str) -> dict[str, Any]:
    """The conditional format rule over the approval column's data cells."""
    span = {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "startColumnIndex": approved,
        "endColumnIndex": approved + 1,
    }
    boolean = {
        "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
        "format": {"backgroundColorStyle": {"rgbColor": RED}},
    }
    return {"ranges": [span], "booleanRule": boolean}


def _formula(rule: Mapping[str, Any]) -> str:
    values = ((rule.get("booleanRule") or {}).get("condition") or {}).get("values") or [{}]
    return str(values[0].get("userEnteredValue", ""))


def _span(rule: Mapping[str, Any]) -> tuple[int, int, int]:
    span = (rule.get("ranges") or [{}])[0]
    return (
        int(span.get("startRowIndex", 0)),
        int(span.get("startColumnIndex", 0)),
        int(span.get("endColumnIndex", 0)),
    )


def after(
    sheet_id: int, existing: Sequence[Mapping[str, Any]], requests: Sequence[Request]
) -> list[Mapping[str, Any]]:
    """The tab's rules once the batch's `requests` so far (deletes and adds of rules) are applied."""
    rules = list(existing)
    for request in requests:
        if "deleteConditionalFormatRule" in request:
            delete = request["deleteConditionalFormatRule"]
            if int(delete.get("sheetId", 0)) == sheet_id:
                del rules[int(delete["index"])]
        elif "addConditionalFormatRule" in request:
            add = request["addConditionalFormatRule"]
            if int((add["rule"].get("ranges") or [{}])[0].get("sheetId", 0)) == sheet_id:
                rules.insert(int(add.get("index", len(rules))), add["rule"])
    return rules


def approval_rule_requests(
    sheet_id: int, wanted: Mapping[str, Any] | None, existing: Sequence[Mapping[str, Any]]
) -> list[Request]:
    """Nothing when ours is first and as wanted; else delete ours (last first) and add the wanted one."""
    ours = [index for index, rule in enumerate(existing) if MARK in _formula(rule)]
    if wanted is not None and ours == [0]:
        rule = existing[0]
        if _formula(rule) == _formula(wanted) and _span(rule) == _span(wanted):
            return []
    if wanted is None and not ours:
        return []
    requests: list[Request] = [
        {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}} for index in reversed(ours)
    ]
    if wanted is not None:
        requests.append({"addConditionalFormatRule": {"rule": dict(wanted), "index": 0}})
    return requests

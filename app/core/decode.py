"""API JSON -> the model: Trello's nested board read, and Sheets CellData as spreadsheets.get returns it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from app.core.anchors import anchors_of
from app.core.model import Board, Card, CustomSpec, CustomValue, Formula, SheetTab, SheetValue, Vocabulary


def _date(raw: Any) -> datetime | None:
    """Parse Trello's ISO 8601 timestamps ("2020-04-17T04:00:00.000Z"); None when absent or unreadable."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def _custom_value(kind: str, item: Mapping[str, Any], options: Mapping[str, str]) -> CustomValue:
    """One customFieldItem's value; Trello sends numbers and checkboxes as strings."""
    if item.get("idValue"):
        return options.get(str(item["idValue"]))
    value = item.get("value") or {}
    if kind == "number":
        try:
            number = float(value.get("number", ""))
        except ValueError:
            return None
        return number if math.isfinite(number) else None  # Sheets and JSON reject inf and NaN
    if kind == "checkbox":
        return str(value.get("checked", "")).lower() == "true"
    if kind == "date":
        return _date(value.get("date"))
    text = value.get("text")
    return None if text is None else str(text)


def _checklists(data: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """Checklist items done and total per card id."""
    counts: dict[str, tuple[int, int]] = {}
    for checklist in data.get("checklists") or []:
        items = checklist.get("checkItems") or []
        done = sum(1 for item in items if item.get("state") == "complete")
        old_done, old_total = counts.get(checklist.get("idCard", ""), (0, 0))
        counts[checklist.get("idCard", "")] = (old_done + done, old_total + len(items))
    return counts


def _card_labels(raw: Mapping[str, Any], board_labels: Mapping[str, str]) -> list[str]:
    """A card's label names: from the labels its JSON carries, else the board's list by idLabels.

    Trello's nested board read lists 50 labels unless `labels_limit` is raised, while each card carries
    its own labels (id, name, color): a label missing from a truncated board list keeps its name.
    """
    carried = {str(label.get("id")): label for label in raw.get("labels") or [] if isinstance(label, dict)}
    ids = raw.get("idLabels") or list(carried)
    names = []
    for label_id in ids:
        label = carried.get(label_id)
        name = (label.get("name") or label.get("color") or "") if label else board_labels.get(label_id, "")
        names.append(str(name))
    return names


def board_from_json(data: Mapping[str, Any]) -> Board:
    """Parse the nested board JSON of GET /1/boards/{id}?cards=all&lists=all&...&checklists=all."""
    lists = {item["id"]: item for item in data.get("lists") or []}
    labels = {item["id"]: item.get("name") or item.get("color") or "" for item in data.get("labels") or []}
    members = {m["id"]: m.get("fullName") or m.get("username") or "" for m in data.get("members") or []}
    fields = {f["id"]: f for f in data.get("customFields") or []}
    options = {
        o["id"]: str((o.get("value") or {}).get("text", ""))
        for f in fields.values()
        for o in f.get("options") or []
    }
    checklists = _checklists(data)
    cards = []
    for raw in data.get("cards") or []:
        custom: dict[str, CustomValue] = {
            f["name"]: False for f in fields.values() if f.get("type") == "checkbox"
        }
        for item in raw.get("customFieldItems") or []:
            spec = fields.get(item.get("idCustomField", ""))
            if spec is not None:
                custom[spec["name"]] = _custom_value(spec.get("type", "text"), item, options)
        badges = raw.get("badges") or {}
        done, total = checklists.get(
            raw["id"], (int(badges.get("checkItemsChecked", 0)), int(badges.get("checkItems", 0)))
        )
        a_list = lists.get(raw.get("idList", ""), {})
        label_names = _card_labels(raw, labels)
        cards.append(
            Card(
                id=raw["id"],
                name=raw.get("name") or "",
                desc=raw.get("desc") or "",
                due=_date(raw.get("due")),
                start=_date(raw.get("start")),
                due_complete=bool(raw.get("dueComplete")),
                list_name=a_list.get("name", ""),
                list_closed=bool(a_list.get("closed")),
                labels=tuple(label_names),
                members=tuple(members.get(i, "") for i in raw.get("idMembers") or []),
                custom=custom,
                checklist_done=done,
                checklist_total=total,
                url=raw.get("url") or "",
                short_url=raw.get("shortUrl") or "",
                last_activity=_date(raw.get("dateLastActivity")),
                pos=float(raw.get("pos") or 0),
                closed=bool(raw.get("closed")),
            )
        )
    types = {f["name"]: str(f.get("type", "text")) for f in fields.values()}
    return Board(
        id=str(data.get("id", "")),
        name=str(data.get("name", "")),
        cards=tuple(cards),
        custom_field_types=types,
        url=str(data.get("url") or ""),
        label_colours=_label_colours(data.get("labels") or []),
        list_names=tuple(
            str(item.get("name", ""))
            for item in sorted(lists.values(), key=lambda item: float(item.get("pos") or 0))
            if not item.get("closed")
        ),
        vocabulary=_vocabulary(data, cards),
        custom_options={
            str(f["name"]): tuple(str((o.get("value") or {}).get("text", "")) for o in f.get("options") or [])
            for f in fields.values()
            if f.get("type") == "list"
        },
    )


def _vocabulary(data: Mapping[str, Any], cards: Sequence[Card]) -> Vocabulary:
    """The names a two-way cell may hold, with the ids Trello takes; the first of equal names wins."""
    lists: dict[str, str] = {}
    for item in data.get("lists") or []:
        if not item.get("closed"):
            lists.setdefault(str(item.get("name", "")), str(item["id"]))
    labels: dict[str, str] = {}
    for label in data.get("labels") or []:
        labels.setdefault(str(label.get("name") or label.get("color") or ""), str(label["id"]))
    members: dict[str, str] = {}
    usernames: dict[str, str] = {}
    for member in data.get("members") or []:
        shown = str(member.get("fullName") or member.get("username") or "")
        members.setdefault(shown, str(member["id"]))
        if member.get("username"):
            usernames.setdefault(str(member["username"]), shown)
    custom = {
        str(f["name"]): CustomSpec(
            str(f["id"]),
            str(f.get("type", "text")),
            {str((o.get("value") or {}).get("text", "")): str(o["id"]) for o in f.get("options") or []},
        )
        for f in data.get("customFields") or []
    }
    return Vocabulary(lists, labels, members, usernames, custom, {card.id: card.name for card in cards})


def _label_colours(labels: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Label name (or colour, for unnamed labels, as cards show them) -> Trello colour; first wins."""
    colours: dict[str, str] = {}
    for label in labels:
        name = label.get("name") or label.get("color") or ""
        colours.setdefault(str(name), str(label.get("color") or ""))
    return colours


COLUMN_TAG_KEY = "boardsheet.column"


def decode_cell(data: Mapping[str, Any]) -> SheetValue:
    """The value a user entered in a cell; formulas come back as Formula, never as text."""
    entered = data.get("userEnteredValue")
    if not entered:
        return None
    if "formulaValue" in entered:
        return Formula(str(entered["formulaValue"]))
    if "stringValue" in entered:
        text = str(entered["stringValue"])
        return text or None
    if "boolValue" in entered:
        return bool(entered["boolValue"])
    if "numberValue" in entered:
        return float(entered["numberValue"])
    # errorValue and unknown kinds: show what the user sees
    return str(data.get("formattedValue", "")) or None


def header_text(data: Mapping[str, Any]) -> str:
    """A header cell as text (a number or formula header counts by what it shows)."""
    value = decode_cell(data)
    if isinstance(value, str):
        return value.strip()
    return str(data.get("formattedValue", "")).strip()


def column_tag(metadata: Sequence[Mapping[str, Any]]) -> str | None:
    """The boardsheet.column developer metadata value of one column, if any."""
    for item in metadata:
        if item.get("metadataKey") == COLUMN_TAG_KEY:
            return str(item.get("metadataValue", ""))
    return None


def tab_from_cells(
    sheet_id: int,
    rows: Sequence[Sequence[Mapping[str, Any]]],
    column_metadata: Sequence[Sequence[Mapping[str, Any]]] = (),
    *,
    row_count: int = 1000,
    column_count: int = 26,
    frozen_rows: int = 0,
) -> SheetTab:
    """Decode a tab's grid data (row 0 is the header row) into a SheetTab."""
    headers = tuple(header_text(cell) for cell in rows[0]) if rows else ()
    tags = tuple(column_tag(meta) for meta in column_metadata)
    return SheetTab(
        sheet_id=sheet_id,
        headers=headers,
        column_tags=tags,
        rows=tuple(tuple(decode_cell(cell) for cell in row) for row in rows[1:]),
        row_count=row_count,
        column_count=column_count,
        frozen_rows=frozen_rows,
    )


def tab_from_snapshot(snapshot: Any) -> SheetTab:
    """A SheetTab from the Sheets connector's TabSnapshot (duck-typed: the core imports no connector)."""
    tab = tab_from_cells(
        snapshot.sheet_id,
        snapshot.rows,
        snapshot.column_metadata,
        row_count=snapshot.row_count,
        column_count=snapshot.column_count,
        frozen_rows=snapshot.frozen_rows,
    )
    anchors = anchors_of(getattr(snapshot, "row_metadata", None) or [])
    return replace(tab, anchored=frozenset(anchor.key for anchor in anchors))

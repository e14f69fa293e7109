"""The intake tab's requests for the run's one batchUpdate (pure): notes, then cells, then row anchors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.anchors import ROW_ANCHOR_KEY
from app.core.ideas import CellWrite, IntakePlan, IntakePolicy, NoteWrite, shown_cells
from app.core.model import Card
from app.core.render import cell_data, fields_mask

Request = dict[str, Any]


def _start(sheet_id: int, row: int, column: int) -> dict[str, int]:
    return {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column}


def note_request(sheet_id: int, note: NoteWrite) -> Request:
    """updateCells of one cell's note only: the value stays as typed."""
    values = [{"note": note.note}] if note.note else [{}]
    return {
        "updateCells": {
            "start": _start(sheet_id, note.row, note.column),
            "rows": [{"values": values}],
            "fields": "note",
        }
    }


def cell_request(sheet_id: int, write: CellWrite) -> Request:
    """updateCells of one cell: its value and the formats the sync owns."""
    return {
        "updateCells": {
            "start": _start(sheet_id, write.row, write.column),
            "rows": [{"values": [cell_data(write.cell)]}],
            "fields": fields_mask([write.cell]),
        }
    }


def anchor_request(sheet_id: int, row: int, card_id: str) -> Request:
    """The row's `boardsheet.row` developer metadata naming its card: it stays on the row when people sort,
    insert or delete rows around it (see app/core/anchors.py), so a cleared Card ID cell comes back."""
    return {
        "createDeveloperMetadata": {
            "developerMetadata": {
                "metadataKey": ROW_ANCHOR_KEY,
                "metadataValue": card_id,
                "location": {
                    "dimensionRange": {
                        "sheetId": sheet_id, "dimension": "ROWS", "startIndex": row, "endIndex": row + 1,
                    }
                },
                "visibility": "DOCUMENT",
            }
        }
    }  # fmt: skip


def row_writes(
    plan: IntakePlan, policy: IntakePolicy, row: int, card: Card, custom_types: dict[str, str]
) -> list[CellWrite]:
    """The id, link and list cells of a row whose card now exists (its mapped cells stay as typed)."""
    cells = shown_cells(card, policy, custom_types)
    own = (policy.key_header, policy.link_header, policy.status_header)
    return [CellWrite(row, plan.columns[header], cells[header]) for header in own]


def intake_requests(
    plan: IntakePlan,
    linked: Sequence[CellWrite],
    anchors: Mapping[int, str],
) -> list[Request]:
    """Every intake request: notes first (a merge's own note then wins), cells, then new anchors."""
    requests = [note_request(plan.sheet_id, note) for note in plan.notes]
    requests += [cell_request(plan.sheet_id, write) for write in (*plan.cells, *linked)]
    requests += [anchor_request(plan.sheet_id, row, card_id) for row, card_id in sorted(anchors.items())]
    return requests

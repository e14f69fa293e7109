"""spreadsheets.batchUpdate: validate, apply every request to a copy, and swap it in only if all succeed."""

from __future__ import annotations

from connectors.emulators.sheets import metadata as sheets_metadata
from connectors.emulators.sheets.batch import cells as sheets_batch_cells
from connectors.emulators.sheets.batch import dims as sheets_batch_dims
from connectors.emulators.sheets.batch import extra as sheets_batch_extra
from connectors.emulators.sheets.batch import ranges as sheets_batch_ranges
from connectors.emulators.sheets.batch import sheets as sheets_batch_sheets
from connectors.emulators.sheets.batch.base import Context, Handler, RequestError
from connectors.emulators.sheets.cow import seal, working_copy
from connectors.emulators.sheets.errors import ApiError, bad_request
from connectors.emulators.sheets.get import spreadsheet_json
from connectors.emulators.sheets.state import Json, SheetsState

INVALID = "Request contains an invalid argument."
HANDLERS: dict[str, Handler] = {
    **sheets_batch_sheets.HANDLERS,
    **sheets_batch_cells.HANDLERS,
    **sheets_batch_dims.HANDLERS,
    **sheets_batch_extra.HANDLERS,
    **sheets_batch_ranges.HANDLERS,
    **sheets_metadata.HANDLERS,
}


def _kind(index: int, request: Json) -> str:
    kinds = [k for k, v in request.items() if v is not None]
    if len(kinds) != 1:
        raise bad_request(f"Invalid requests[{index}]: exactly one kind of request must be set.")
    return kinds[0]


def apply(state: SheetsState, spreadsheet_id: str, body: Json, user_email: str = "") -> Json:
    """Apply a BatchUpdateSpreadsheetRequest atomically; answers the BatchUpdateSpreadsheetResponse."""
    original = state.get(spreadsheet_id)
    working = working_copy(original)  # rows shared until a request reaches them (cow.py)
    ctx = Context(working, state, user_email)
    replies: list[Json] = []
    for index, request in enumerate(body.get("requests") or []):
        kind = _kind(index, request)
        handler = HANDLERS.get(kind)
        if handler is None:
            raise bad_request(
                f"Invalid requests[{index}].{kind}: This request is not supported by the emulator."
            )
        try:
            replies.append(handler(ctx, request[kind]))
        except RequestError as exc:
            raise bad_request(f"Invalid requests[{index}].{kind}: {exc}") from exc
        except ApiError as exc:
            raise bad_request(f"Invalid requests[{index}].{kind}: {exc.message}") from exc
        except (KeyError, TypeError, ValueError, IndexError, ArithmeticError) as exc:
            # A schema-valid request missing something the handler needs: Google answers 400 too, and
            # never with a Python error's text.
            raise bad_request(f"Invalid requests[{index}].{kind}: {INVALID}") from exc
    state.spreadsheets[spreadsheet_id] = seal(working)
    out: Json = {"spreadsheetId": spreadsheet_id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        ranges = [str(r) for r in body.get("responseRanges") or []]
        out["updatedSpreadsheet"] = spreadsheet_json(
            working, ranges, bool(body.get("responseIncludeGridData")), None
        )
    return out

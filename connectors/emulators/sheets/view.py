"""GET /view/{spreadsheetId}: each tab as a stakeholder would see it, as escaped HTML; GET /: an index.

The view refreshes itself, so a stakeholder's tab follows the sync like the real one does. Links to
Trello can be pointed at the Trello emulator (`link_base`), so card links in a demo sheet open the
emulator's board page; the sheet itself keeps Trello's own URLs, as the API returns them.
"""

from __future__ import annotations

from html import escape
from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.state import Json, Sheet, Spreadsheet

_STYLE = (
    "body{font-family:arial,sans-serif;font-size:13px;margin:16px}table{border-collapse:collapse}"
    "td,th{border:1px solid #ddd;padding:2px 6px;white-space:nowrap}th{background:#f3f3f3;color:#666}"
    "tr.frozen td{border-bottom:2px solid #999;position:sticky;top:0}"
)


def _colour(colour: Any) -> str | None:
    """A Sheets Color ({red, green, blue} in 0..1, zero fields omitted) as CSS."""
    if not isinstance(colour, dict) or not colour:
        return None
    parts = [round(float(colour.get(k, 0)) * 255) for k in ("red", "green", "blue")]
    return f"rgb({parts[0]},{parts[1]},{parts[2]})"


def _cell_style(cell: Json, frozen: bool) -> str:
    fmt = cell.get("userEnteredFormat") or {}
    text = fmt.get("textFormat") or {}
    rules = []
    background = _colour(
        (fmt.get("backgroundColorStyle") or {}).get("rgbColor") or fmt.get("backgroundColor")
    )
    if background:
        rules.append(f"background:{background}")
    foreground = _colour(
        (text.get("foregroundColorStyle") or {}).get("rgbColor") or text.get("foregroundColor")
    )
    if foreground:
        rules.append(f"color:{foreground}")
    if text.get("bold") or frozen:
        rules.append("font-weight:bold")
    if text.get("italic"):
        rules.append("font-style:italic")
    if fmt.get("horizontalAlignment") in ("CENTER", "RIGHT"):
        rules.append(f"text-align:{fmt['horizontalAlignment'].lower()}")
    return ";".join(rules)


def _link(cell: Json) -> Any:
    """The cell's link: the computed `hyperlink`, else the link of its text format."""
    text_format = (cell.get("userEnteredFormat") or {}).get("textFormat") or {}
    return cell.get("hyperlink") or (text_format.get("link") or {}).get("uri")


def _is_checkbox(cell: Json) -> bool:
    """True when a BOOLEAN data-validation rule makes the cell a checkbox, as Sheets draws it."""
    return ((cell.get("dataValidation") or {}).get("condition") or {}).get("type") == "BOOLEAN"


REFRESH_SECONDS = 5
TRELLO_WEB = "https://trello.com/"


def _cell_html(cell: Json, frozen: bool, link_base: str | None = None) -> str:
    shown = escape(str(cell.get("formattedValue", "")))
    if _is_checkbox(cell):
        ticked = (cell.get("effectiveValue") or {}).get("boolValue") is True
        shown = "☑" if ticked else "☐"
    link = _link(cell)
    if isinstance(link, str) and link_base and link.startswith(TRELLO_WEB):
        link = link_base.rstrip("/") + "/" + link[len(TRELLO_WEB) :]
    if isinstance(link, str) and link.lower().startswith(("http://", "https://", "mailto:")):
        shown = f'<a href="{escape(link)}" rel="noopener noreferrer">{shown}</a>'
    style = _cell_style(cell, frozen)
    return f'<td style="{escape(style)}">{shown}</td>' if style else f"<td>{shown}</td>"


def _sheet_html(sheet: Sheet, link_base: str | None = None) -> str:
    rows, cols = sheet.extent(a1.Bounds(0, 0, sheet.row_count, sheet.col_count))
    visible_cols = [c for c in range(cols) if not sheet.col_meta[c].get("hiddenByUser")]
    frozen = int(sheet.properties["gridProperties"].get("frozenRowCount", 0))
    head = "".join(f"<th>{a1.column_letters(c)}</th>" for c in visible_cols)
    lines = [f"<h2>{escape(sheet.title)}</h2>", f"<table><tr><th></th>{head}</tr>"]
    for r in range(rows):
        if sheet.row_meta[r].get("hiddenByUser"):
            continue
        is_frozen = r < frozen
        cells = "".join(_cell_html(sheet.cell(r, c), is_frozen, link_base) for c in visible_cols)
        css = ' class="frozen"' if is_frozen else ""
        lines.append(f"<tr{css}><th>{r + 1}</th>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def render_view(book: Spreadsheet, link_base: str | None = None) -> str:
    """The whole spreadsheet, hidden tabs left out; reloads itself every REFRESH_SECONDS."""
    title = escape(str(book.properties.get("title", "")))
    tabs = "\n".join(_sheet_html(s, link_base) for s in book.sheets if not s.properties.get("hidden"))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta http-equiv='refresh' content='{REFRESH_SECONDS}'>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>\n{tabs}\n</body></html>"
    )


def render_index(books: list[Spreadsheet]) -> str:
    """The emulator's root: what it is and a link to each spreadsheet's view."""
    items = "".join(
        f"<li><a href='/view/{escape(book.spreadsheet_id)}'>{escape(str(book.properties.get('title', '')))}"
        "</a></li>"
        for book in books
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Google Sheets emulator</title>"
        f"<style>{_STYLE}</style></head><body><h1>Google Sheets emulator</h1>"
        "<p>The Sheets API v4 under <code>/v4/spreadsheets</code>; request log at "
        "<a href='/_emulator/requests'>/_emulator/requests</a>.</p>"
        f"<ul>{items or '<li>no spreadsheet yet</li>'}</ul></body></html>"
    )

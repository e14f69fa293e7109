"""GET /view/{spreadsheetId}: each tab as a stakeholder would see it, as escaped HTML; GET /: an index.

Like Sheets: rich text runs (links, colours, weight) inside a cell, wrapped text with line breaks, row
heights and column widths, notes on hover, and the conditional formats whose condition needs no formula.
The view refreshes itself, so a stakeholder's tab follows the sync like the real one does. Links to
Trello can be pointed at the Trello emulator (`link_base`), so card links in a demo sheet open the
emulator's board page; the sheet itself keeps Trello's own URLs, as the API returns them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from connectors.emulators.sheets import a1
from connectors.emulators.sheets.state import COL_PIXELS, Json, Sheet, Spreadsheet

_STYLE = (
    "body{font-family:arial,sans-serif;font-size:13px;margin:16px}table{border-collapse:collapse}"
    "td,th{border:1px solid #ddd;padding:2px 6px;white-space:nowrap}th{background:#f3f3f3;color:#666}"
    "tr.frozen td{border-bottom:2px solid #999;position:sticky;top:0}"
    "td.wrap{white-space:pre-wrap;vertical-align:top;overflow:hidden}td.clip{overflow:hidden}"
    "td div.fit{overflow:hidden}td[title]{box-shadow:inset -6px 6px 0 -3px #f4b400}"
    "table.sized{table-layout:fixed;width:max-content}table.sized td{overflow:visible;max-width:0}"
    "table.sized td.wrap{overflow:hidden}"
)
# Conditions evaluated from a cell's own text (those needing a formula are not).
_CONDITIONS: dict[str, Callable[[str, str], bool]] = {
    "TEXT_EQ": lambda text, value: text == value,
    "TEXT_CONTAINS": lambda text, value: value in text,
    "TEXT_NOT_CONTAINS": lambda text, value: value not in text,
    "TEXT_STARTS_WITH": lambda text, value: text.startswith(value),
    "TEXT_ENDS_WITH": lambda text, value: text.endswith(value),
}


def _colour(colour: Any) -> str | None:
    """A Sheets Color ({red, green, blue} in 0..1, zero fields omitted) as CSS."""
    if not isinstance(colour, dict) or not colour:
        return None
    parts = [round(float(colour.get(k, 0)) * 255) for k in ("red", "green", "blue")]
    return f"rgb({parts[0]},{parts[1]},{parts[2]})"


def _cell_style(cell: Json, frozen: bool, conditional: Json | None = None) -> str:
    fmt = cell.get("userEnteredFormat") or {}
    text = fmt.get("textFormat") or {}
    rules = []
    background = _colour(
        (fmt.get("backgroundColorStyle") or {}).get("rgbColor") or fmt.get("backgroundColor")
    )
    if conditional:  # a matching conditional format paints over the cell's own background
        background = _colour((conditional.get("backgroundColorStyle") or {}).get("rgbColor")) or background
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
    if text.get("fontSize"):
        rules.append(f"font-size:{float(text['fontSize']) * 4 / 3:.0f}px")
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


def _safe_link(link: Any) -> str | None:
    """A link the page may show (never javascript: or the like)."""
    if isinstance(link, str) and link.lower().startswith(("http://", "https://", "mailto:")):
        return link
    return None


def _run_html(piece: str, fmt: Json) -> str:
    """One run of a cell's text: its link, colour and weight."""
    shown = escape(piece)
    rules = []
    colour = _colour((fmt.get("foregroundColorStyle") or {}).get("rgbColor") or fmt.get("foregroundColor"))
    if colour:
        rules.append(f"color:{colour}")
    if fmt.get("bold"):
        rules.append("font-weight:bold")
    if fmt.get("italic"):
        rules.append("font-style:italic")
    if rules:
        shown = f'<span style="{escape(";".join(rules))}">{shown}</span>'
    link = _safe_link((fmt.get("link") or {}).get("uri"))
    return f'<a href="{escape(link)}" rel="noopener noreferrer">{shown}</a>' if link else shown


def _rich_html(text: str, runs: list[Json]) -> str:
    """A string cell's text cut at its runs (indexes in UTF-16 code units, as Sheets counts them)."""
    units = text.encode("utf-16-le")
    starts = [int(run.get("startIndex", 0)) for run in runs]
    pieces = [_run_html(units[: starts[0] * 2].decode("utf-16-le", "replace"), {})] if starts[0] else []
    for index, run in enumerate(runs):
        end = starts[index + 1] if index + 1 < len(runs) else len(units) // 2
        piece = units[starts[index] * 2 : end * 2].decode("utf-16-le", "replace")
        pieces.append(_run_html(piece, run.get("format") or {}))
    return "".join(pieces)


def _conditional(sheet: Sheet, row: int, col: int, cell: Json) -> Json | None:
    """The format of the first conditional format rule that applies to the cell, if any."""
    text = str(cell.get("formattedValue", ""))
    for rule in sheet.conditional_formats:
        boolean = rule.get("booleanRule") or {}
        condition = boolean.get("condition") or {}
        test = _CONDITIONS.get(condition.get("type", ""))
        values = condition.get("values") or [{}]
        if (
            test is None
            or not text
            or not any(_covers(span, sheet, row, col) for span in rule.get("ranges", []))
        ):
            continue
        if test(text, str(values[0].get("userEnteredValue", ""))):
            return dict(boolean.get("format") or {})
    return None


def _covers(span: Json, sheet: Sheet, row: int, col: int) -> bool:
    """Whether a GridRange (open ends reach the edge) holds the cell."""
    return int(span.get("startRowIndex", 0)) <= row < int(span.get("endRowIndex", sheet.row_count)) and int(
        span.get("startColumnIndex", 0)
    ) <= col < int(span.get("endColumnIndex", sheet.col_count))


def _cell_html(cell: Json, frozen: bool, conditional: Json | None = None, height: int | None = None) -> str:
    shown = escape(str(cell.get("formattedValue", "")))
    runs = cell.get("textFormatRuns") or []
    if runs and "stringValue" in (cell.get("userEnteredValue") or {}):
        shown = _rich_html(str(cell["userEnteredValue"]["stringValue"]), runs)
    if _is_checkbox(cell):
        ticked = (cell.get("effectiveValue") or {}).get("boolValue") is True
        shown = "☑" if ticked else "☐"
    link = _safe_link(_link(cell))
    if link and not runs:
        shown = f'<a href="{escape(link)}" rel="noopener noreferrer">{shown}</a>'
    fmt = cell.get("userEnteredFormat") or {}
    attributes = ""
    if fmt.get("wrapStrategy") == "WRAP":
        attributes += ' class="wrap"'
    if cell.get("note"):
        attributes += f' title="{escape(str(cell["note"]))}"'
    style = _cell_style(cell, frozen, conditional)
    if style:
        attributes += f' style="{escape(style)}"'
    if height:  # a set height holds, as in Sheets: taller text is cut (the note still has everything)
        shown = f'<div class="fit" style="max-height:{max(height - 4, 1)}px">{shown}</div>'
    return f"<td{attributes}>{shown}</td>"


def _sheet_html(sheet: Sheet) -> str:
    rows, cols = sheet.extent(a1.Bounds(0, 0, sheet.row_count, sheet.col_count))
    visible_cols = [c for c in range(cols) if not sheet.col_meta[c].get("hiddenByUser")]
    frozen = int(sheet.properties["gridProperties"].get("frozenRowCount", 0))
    sized = any(sheet.col_meta[c].get("pixelSize") for c in visible_cols)
    head = "".join(f"<th{_width(sheet, c, sized)}>{a1.column_letters(c)}</th>" for c in visible_cols)
    # With set widths, columns hold them and unwrapped text spills into the empty cells to its right.
    table = '<table class="sized">' if sized else "<table>"
    lines = [f"<h2>{escape(sheet.title)}</h2>", f'{table}<tr><th style="width:40px"></th>{head}</tr>']
    for r in range(rows):
        if sheet.row_meta[r].get("hiddenByUser"):
            continue
        is_frozen = r < frozen
        raw_height = sheet.row_meta[r].get("pixelSize")
        height = int(raw_height) if raw_height else None
        cells = "".join(
            _cell_html(sheet.cell(r, c), is_frozen, _conditional(sheet, r, c, sheet.cell(r, c)), height)
            for c in visible_cols
        )
        css = ' class="frozen"' if is_frozen else ""
        css += f' style="height:{height}px"' if height else ""
        lines.append(f"<tr{css}><th>{r + 1}</th>{cells}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _width(sheet: Sheet, col: int, sized: bool) -> str:
    """A column's width as its header cell's style, in a tab where some width was set (default 100 px)."""
    if not sized:
        return ""
    return f' style="width:{int(sheet.col_meta[col].get("pixelSize") or COL_PIXELS)}px"'


REFRESH_SECONDS = 5
TRELLO_WEB = "https://trello.com/"


def render_view(book: Spreadsheet, link_base: str | None = None) -> str:
    """The whole spreadsheet, hidden tabs left out; reloads itself every REFRESH_SECONDS."""
    title = escape(str(book.properties.get("title", "")))
    tabs = "\n".join(_sheet_html(s) for s in book.sheets if not s.properties.get("hidden"))
    if link_base:
        tabs = tabs.replace(f'href="{TRELLO_WEB}', f'href="{escape(link_base.rstrip("/"))}/')
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

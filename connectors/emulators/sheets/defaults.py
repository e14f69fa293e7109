"""Default spreadsheet properties, as a new Google spreadsheet reports them (from recorded traffic)."""

from __future__ import annotations

from typing import Any

DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _rgb(red: float, green: float, blue: float) -> dict[str, Any]:
    return {"rgbColor": {k: v for k, v in (("red", red), ("green", green), ("blue", blue)) if v}}


THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": kind, "color": colour}
        for kind, colour in (
            ("TEXT", _rgb(0, 0, 0)),
            ("BACKGROUND", _rgb(1, 1, 1)),
            ("ACCENT1", _rgb(0.25882354, 0.52156866, 0.95686275)),
            ("ACCENT2", _rgb(0.91764706, 0.2627451, 0.20784314)),
            ("ACCENT3", _rgb(0.9843137, 0.7372549, 0.015686275)),
            ("ACCENT4", _rgb(0.20392157, 0.65882355, 0.3254902)),
            ("ACCENT5", _rgb(1, 0.42745098, 0.003921569)),
            ("ACCENT6", _rgb(0.27450982, 0.7411765, 0.7764706)),
            ("LINK", _rgb(0.06666667, 0.33333334, 0.8)),
        )
    ],
}


def order_properties(props: dict[str, Any]) -> None:
    """Put sheet property keys in Google's order (sheetId, title, index, sheetType, gridProperties, ...)."""
    order = ["sheetId", "title", "index", "sheetType", "gridProperties"]
    ordered = {k: props[k] for k in order if k in props}
    ordered.update({k: v for k, v in props.items() if k not in ordered})
    props.clear()
    props.update(ordered)

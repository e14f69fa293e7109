"""How wide and tall text renders, for autoResizeDimensions.

Sheets' default font is Arial 10, metric-compatible with Helvetica, whose advance widths (in 1/1000 em)
are the standard AFM ones below. The scale is fitted to the recorded answer: 1,024 "A"s in Arial 10 make
column A 8,691 px wide (WorksheetTest.test_auto_resize_columns), i.e. 3 px of padding on each side
(the default format's padding) and 0.0127157 px per unit at 10 pt. Bold adds 7 % (an approximation:
Helvetica-Bold's widths average about that much wider); other fonts are measured as Arial.
"""

from __future__ import annotations

from typing import Any

PX_PER_UNIT_AT_10PT = (8691 - 6) / (1024 * 667)
PADDING = 6
ROW_HEIGHT = 21  # px, one line of 10 pt text (Sheets' default row height)
LINE_PX_PER_PT = 1.7
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        [
            278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
            556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
            1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
            667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
            333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
            556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
        ],
        strict=True,
    )
)  # fmt: skip
_OTHER = 556  # any character outside printable ASCII: an average Helvetica width


def _size(fmt: dict[str, Any]) -> tuple[float, bool]:
    text_format = fmt.get("textFormat") or {}
    return float(text_format.get("fontSize") or 10), bool(text_format.get("bold"))


def text_width(text: str, fmt: dict[str, Any]) -> int:
    """Pixels a cell needs to show `text` on one line (the widest line when it has several)."""
    size, bold = _size(fmt)
    widest = max(sum(_WIDTHS.get(ch, _OTHER) for ch in line) for line in text.split("\n"))
    scale = PX_PER_UNIT_AT_10PT * size / 10 * (1.07 if bold else 1.0)
    return round(widest * scale) + PADDING


def text_height(text: str, fmt: dict[str, Any]) -> int:
    """Pixels a row needs to show `text`: one line per line break, lines as tall as the font."""
    size, _ = _size(fmt)
    lines = text.count("\n") + 1
    line = ROW_HEIGHT if size <= 10 else round(size * LINE_PX_PER_PT + 4)
    return line * lines

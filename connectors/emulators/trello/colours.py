"""Trello's label colour names as the colours its boards draw (names are not CSS colours: `sky`, `lime`,
`black_dark`, ...). The API documents ten names; boards also answer `<name>_light` and `<name>_dark`
(https://github.com/dakboard/DAKboard/issues/1723). The swatches below are the ones Trello's UI uses, as
collected in https://github.com/oryanm/TrelloWidget/issues/46 (names also in
https://github.com/rwjdk/TrelloDotNet/wiki/LabelColor).
"""

from __future__ import annotations

__all__ = ["LABEL_COLOURS", "label_style"]

_SWATCHES = {  # name: (light, normal, dark)
    "green": ("#BAF3DB", "#4BCE97", "#1F845A"),
    "yellow": ("#F8E6A0", "#F5CD47", "#946F00"),
    "orange": ("#FEDEC8", "#FEA362", "#C25100"),
    "red": ("#FFD5D2", "#F87168", "#C9372C"),
    "purple": ("#DFD8FD", "#9F8FEF", "#6E5DC6"),
    "blue": ("#CCE0FF", "#579DFF", "#0C66E4"),
    "sky": ("#C6EDFB", "#6CC3E0", "#227D9B"),
    "lime": ("#D3F1A7", "#94C748", "#5B7F24"),
    "pink": ("#FDD0EC", "#E774BB", "#AE4787"),
    "black": ("#DCDFE4", "#8590A2", "#626F86"),
}
LABEL_COLOURS: dict[str, str] = {}
for _name, (_light, _normal, _dark) in _SWATCHES.items():
    LABEL_COLOURS |= {f"{_name}_light": _light, _name: _normal, f"{_name}_dark": _dark}
NO_COLOUR = "#DFE1E6"  # a label without a colour


def label_style(colour: str | None) -> str:
    """CSS for a label chip of this Trello colour: its swatch, with text that stays readable on it."""
    background = LABEL_COLOURS.get(colour or "", NO_COLOUR)
    text = "#fff" if (colour or "").endswith("_dark") else "#172B4D"
    return f"background:{background};color:{text}"

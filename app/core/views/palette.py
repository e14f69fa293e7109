"""Colours: Trello's label colours as readable sheet colours, a palette for lists and custom values.

Trello labels take one of ten colours (green, yellow, orange, red, purple, blue, sky, lime, pink, black),
each also in a `_light` and a `_dark` shade, or none (https://github.com/rwjdk/TrelloDotNet/wiki/LabelColor,
https://mrrefactoring.github.io/trello.js/recipes/labels). Trello paints white text on saturated chips;
a sheet shows coloured text on white, so each colour is mapped to a darker shade of its hue that keeps
at least WCAG AA contrast (4.5:1) on white and on the grid's light backgrounds (tests/core check it).
"""

from __future__ import annotations

from collections.abc import Sequence

Colour = str  # "#rrggbb"

# Text colours, readable on white (hue of Trello's chip, darkened).
TEXT: dict[str, Colour] = {
    "green": "#1b6f2f",
    "yellow": "#7a5c00",
    "orange": "#a34a00",
    "red": "#c0262d",
    "purple": "#7b3fb5",
    "blue": "#0b5cad",
    "sky": "#0b6a80",
    "lime": "#3f6b12",
    "pink": "#b3246f",
    "black": "#3c3c3c",
}
# Light backgrounds of the same hues, for the list tab's cells (text stays the sheet's default black).
TINT: dict[Colour, Colour] = {
    "#1b6f2f": "#dcf3e2",
    "#7a5c00": "#fdf3c4",
    "#a34a00": "#fde3cc",
    "#c0262d": "#fbdcdc",
    "#7b3fb5": "#ecdff8",
    "#0b5cad": "#d9e8fa",
    "#0b6a80": "#d5f0f6",
    "#3f6b12": "#e5f4d3",
    "#b3246f": "#f9dcea",
    "#3c3c3c": "#e4e4e4",
}
# Values without a Trello colour (lists, custom-field values) take these in turn.
CYCLE: tuple[str, ...] = (
    "blue",
    "green",
    "purple",
    "orange",
    "sky",
    "pink",
    "lime",
    "red",
    "yellow",
    "black",
)
LINK: Colour = "#1155cc"  # Sheets' own link blue, for titles with no colour of their own

# The grid's backgrounds and muted text.
WEEKEND: Colour = "#f1f4f8"
TODAY: Colour = "#fff4cc"
OTHER_MONTH: Colour = "#f6f6f6"
HEADER: Colour = "#eef0f2"
MUTED: Colour = "#5f5f5f"


def label_colour(trello_colour: str) -> Colour | None:
    """A Trello label colour ("green", "green_dark", ...) as a readable text colour; None for none."""
    return TEXT.get(trello_colour.split("_", 1)[0]) if trello_colour else None


def cycled(values: Sequence[str]) -> dict[str, Colour]:
    """Each value's colour, taking the palette in turn (so a board's lists keep their colours)."""
    return {value: TEXT[CYCLE[i % len(CYCLE)]] for i, value in enumerate(values)}


def tint(colour: Colour) -> Colour:
    """The light background of a text colour's hue."""
    return TINT.get(colour, "#eeeeee")


def rgb(colour: Colour) -> dict[str, float]:
    """A "#rrggbb" colour as a Sheets Color (red, green, blue in 0..1)."""
    value = colour.lstrip("#")
    return {name: int(value[i : i + 2], 16) / 255 for name, i in (("red", 0), ("green", 2), ("blue", 4))}


def hex_of(colour: object) -> Colour | None:
    """A Sheets Color as "#rrggbb" (Google omits zero components and answers float32 values)."""
    if not isinstance(colour, dict) or not colour:
        return None
    parts = [round(float(colour.get(name, 0)) * 255) for name in ("red", "green", "blue")]
    return "#" + "".join(f"{max(0, min(255, p)):02x}" for p in parts)

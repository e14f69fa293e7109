"""Trello's label colours made readable: WCAG AA contrast on every background of the grid."""

from __future__ import annotations

import pytest

from app.core.views import palette


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)."""
    channels = []
    for value in palette.rgb(colour).values():
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


TEXTS = [*palette.TEXT.values(), palette.LINK, palette.MUTED]
BACKGROUNDS = ["#ffffff", palette.WEEKEND, palette.TODAY, palette.OTHER_MONTH, palette.HEADER]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_text_colours_are_readable_on_every_background(text: str, background: str) -> None:
    assert contrast(text, background) >= 4.5


@pytest.mark.parametrize("tint", list(palette.TINT.values()))
def test_the_list_tab_tints_keep_black_text_readable(tint: str) -> None:
    assert contrast("#000000", tint) >= 7


@pytest.mark.parametrize("shade", ["green", "green_light", "green_dark"])
def test_light_and_dark_shades_take_their_hue(shade: str) -> None:
    assert palette.label_colour(shade) == palette.TEXT["green"]


def test_no_colour_is_no_colour_and_colours_round_trip() -> None:
    assert palette.label_colour("") is None
    assert palette.hex_of(palette.rgb("#0b5cad")) == "#0b5cad"
    assert palette.hex_of({}) is None

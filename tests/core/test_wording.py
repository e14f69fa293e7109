"""Wording for people: counts that agree with their noun."""

from __future__ import annotations

import pytest

from app.core.wording import counted


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 cards"), (1, "1 card"), (2, "2 cards"), (1000, "1000 cards")]
)
def test_counts_agree_with_their_noun(count: int, text: str) -> None:
    assert counted(count, "card") == text
    assert counted(count, "entry", "entries") == text.replace("cards", "entries").replace("card", "entry")

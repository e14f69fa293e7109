"""Typed cells: what USER_ENTERED makes of text, and how values are formatted and rendered."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.emulators.sheets.cells import compute, format_number, render, user_entered


@pytest.mark.parametrize(
    ("entered", "value", "number_format"),
    [
        ("hello", {"stringValue": "hello"}, None),
        ("42", {"numberValue": 42}, None),
        ("-3.5", {"numberValue": -3.5}, None),
        ("1e3", {"numberValue": 1000}, None),
        ("1,234", {"numberValue": 1234}, {"type": "NUMBER", "pattern": "#,##0"}),
        ("1,2", {"stringValue": "1,2"}, None),
        ("12.5%", {"numberValue": 0.125}, {"type": "PERCENT", "pattern": "0%"}),
        ("true", {"boolValue": True}, None),
        ("FALSE", {"boolValue": False}, None),
        ("=A1+1", {"formulaValue": "=A1+1"}, None),
        ("'=not a formula", {"stringValue": "=not a formula"}, None),
        ("2020-01-01", {"numberValue": 43831}, {"type": "DATE", "pattern": "yyyy-mm-dd"}),
        ("1/2/2020", {"numberValue": 43832}, {"type": "DATE", "pattern": "M/d/yyyy"}),
        (
            "2020-01-01 06:00",
            {"numberValue": 43831.25},
            {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"},
        ),
        ("2020-02-30", {"stringValue": "2020-02-30"}, None),
    ],
)
def test_user_entered_parsing(
    entered: str, value: dict[str, Any], number_format: dict[str, str] | None
) -> None:
    cell = user_entered(entered, parse=True)
    assert cell["userEnteredValue"] == value
    assert cell.get("userEnteredFormat", {}).get("numberFormat") == number_format


def test_raw_keeps_text_and_typed_json_values() -> None:
    assert user_entered("=1+1", parse=False) == {"userEnteredValue": {"stringValue": "=1+1"}}
    assert user_entered(3.0, parse=False) == {"userEnteredValue": {"numberValue": 3}}
    assert user_entered(True, parse=False) == {"userEnteredValue": {"boolValue": True}}
    assert user_entered("", parse=False) == {} and user_entered(None, parse=True) == {}


@pytest.mark.parametrize(
    ("formula", "effective", "formatted"),
    [
        ("= 1 / 1024", {"numberValue": 0.0009765625}, "0.0009765625"),
        ("=(2+3)*4", {"numberValue": 20}, "20"),
        ("=2^10", {"numberValue": 1024}, "1024"),
        ('="text"', {"stringValue": "text"}, "text"),
        (
            "=SUM(A1:A3)",
            {"errorValue": {"type": "NAME", "message": "Formula functions are not emulated."}},
            "#NAME?",
        ),
        (
            "=1/0",
            {"errorValue": {"type": "NAME", "message": "Formula functions are not emulated."}},
            "#NAME?",
        ),
    ],
)
def test_formula_evaluation_is_arithmetic_only(
    formula: str, effective: dict[str, Any], formatted: str
) -> None:
    cell = compute(user_entered(formula, parse=True))
    assert (cell["effectiveValue"], cell["formattedValue"]) == (effective, formatted)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1.5, None, "1.5"),
        (2.0, None, "2"),
        (1 / 3, None, "0.3333333333"),
        (2000000.01, {"type": "NUMBER", "pattern": "#,##0.00"}, "2,000,000.01"),
        (0.07, {"type": "PERCENT", "pattern": "0%"}, "7%"),
        (45352, {"type": "DATE", "pattern": "dd/mm/yyyy"}, "01/03/2024"),
        (45352.5, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}, "2024-03-01 12:00"),
        (45352, {"type": "DATE", "pattern": "ddd d mmmm yy"}, "Fri 1 March 24"),
        (45352.75, {"type": "TIME", "pattern": "h:mm:ss"}, "18:00:00"),
    ],
)
def test_number_formats(value: float, number_format: dict[str, str] | None, shown: str) -> None:
    assert format_number(value, number_format) == shown


def test_render_options() -> None:
    date = compute(user_entered("2024-03-01", parse=True))
    formula = compute(user_entered("=6*7", parse=True))
    assert render(date, "FORMATTED_VALUE", "SERIAL_NUMBER") == "2024-03-01"
    assert render(date, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 45352
    assert render(date, "UNFORMATTED_VALUE", "FORMATTED_STRING") == "2024-03-01"
    assert render(formula, "FORMULA", "SERIAL_NUMBER") == "=6*7"
    assert render(formula, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == 42
    assert render({}, "UNFORMATTED_VALUE", "SERIAL_NUMBER") == ""

"""Typed cells: parsing entered values, computing effective and formatted values, rendering for values.get."""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from typing import Any

Json = dict[str, Any]

EPOCH = dt.datetime(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^[+-]?\d+(\.\d+)?%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def serial(moment: dt.datetime) -> float:
    """A datetime as a Sheets serial number (days since 1899-12-30)."""
    delta = moment - EPOCH
    return delta.days + delta.seconds / 86400


def from_serial(value: float) -> dt.datetime:
    """A Sheets serial number as a datetime."""
    return EPOCH + dt.timedelta(days=value)


def _number(value: float) -> int | float:
    """Integral floats as ints, the way the JSON API writes them."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _date_value(text: str) -> tuple[float, str, str] | None:
    """(serial, number-format type, pattern) for a date or date-time the way Sheets recognises them."""
    iso = _ISO_DATE.match(text)
    try:
        if iso:
            year, month, day, hour, minute, second = (int(g) if g else 0 for g in iso.groups())
            moment = dt.datetime(year, month, day, hour, minute, second)
            if iso.group(4):
                return serial(moment), "DATE_TIME", "yyyy-mm-dd hh:mm:ss"
            return serial(moment), "DATE", "yyyy-mm-dd"
        us = _US_DATE.match(text)
        if us:
            month, day, year = (int(g) for g in us.groups())
            return serial(dt.datetime(year, month, day)), "DATE", "M/d/yyyy"
    except ValueError:
        return None
    return None


def user_entered(value: Any, parse: bool) -> Json:
    """CellData fields for one entered value (RAW keeps strings, USER_ENTERED parses them)."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": _number(value)}}
    text = str(value)
    if not parse:
        return {"userEnteredValue": {"stringValue": text}}
    return _parse_text(text)


def _parse_text(text: str) -> Json:
    """USER_ENTERED parsing: formulas, booleans, numbers, percentages, dates."""
    stripped = text.strip()
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if stripped.startswith("="):
        return {"userEnteredValue": {"formulaValue": stripped}}
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"userEnteredValue": {"boolValue": stripped.upper() == "TRUE"}}
    return _parse_number(stripped) or {"userEnteredValue": {"stringValue": text}}


def _parse_number(stripped: str) -> Json | None:
    """Numbers (with thousands separators), percentages and dates, each with the format Sheets infers."""
    number: float
    if _NUMBER.match(stripped) and any(ch.isdigit() for ch in stripped):
        number, kind, pattern = float(stripped.replace(",", "")), "NUMBER", ""
        if "," in stripped:
            decimals = len(stripped.partition(".")[2])
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    elif _PERCENT.match(stripped):
        number, kind, pattern = float(stripped[:-1]) / 100, "PERCENT", "0%"
    else:
        date = _date_value(stripped)
        if date is None:
            return None
        number, kind, pattern = date
    if not math.isfinite(number):
        return None  # "1e400" is beyond a double: Sheets keeps the text
    cell: Json = {"userEnteredValue": {"numberValue": _number(number)}}
    if pattern:
        cell["userEnteredFormat"] = {"numberFormat": {"type": kind, "pattern": pattern}}
    return cell


def _evaluate(node: ast.AST) -> float:
    """Arithmetic only: the emulator does not implement spreadsheet functions or references."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return float(_OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right)))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return float(_OPERATORS[type(node.op)](_evaluate(node.operand)))
    raise ValueError("unsupported formula")


def _formula_effective(formula: str) -> Json:
    """The value of a formula: arithmetic is computed, string literals returned, anything else is #NAME?."""
    body = formula[1:].strip()
    if len(body) >= 2 and body[0] == body[-1] == '"':
        return {"stringValue": body[1:-1]}
    try:
        number = _evaluate(ast.parse(body.replace("^", "**"), mode="eval"))
        if not math.isfinite(number):
            return {"errorValue": {"type": "NUM", "message": "The result is too large."}}  # Sheets: #NUM!
        return {"numberValue": _number(number)}
    except (ValueError, SyntaxError, ZeroDivisionError, OverflowError, TypeError):
        return {"errorValue": {"type": "NAME", "message": "Formula functions are not emulated."}}


def format_number(value: float, number_format: Json | None) -> str:
    """A number as Sheets would display it under a numberFormat (or the automatic format)."""
    kind = (number_format or {}).get("type")
    pattern = str((number_format or {}).get("pattern", ""))
    if kind in ("DATE", "DATE_TIME", "TIME"):
        return format_date(from_serial(value), pattern or "M/d/yyyy")
    if kind == "PERCENT":
        return f"{_plain(value * 100)}%"
    if pattern.startswith("#,##0"):
        decimals = len(pattern.partition(".")[2])
        return f"{value:,.{decimals}f}"
    return _plain(value)


def _plain(value: float) -> str:
    """The automatic number format: integers without a point, others with up to 10 significant digits."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}" if abs(value) >= 1e-4 else repr(float(value))


_DATE_TOKENS: dict[str, Callable[[dt.datetime], str]] = {
    "yyyy": lambda m: str(m.year),
    "yy": lambda m: f"{m.year % 100:02d}",
    "mmmm": lambda m: m.strftime("%B"),
    "mmm": lambda m: m.strftime("%b"),
    "mm": lambda m: f"{m.month:02d}",
    "m": lambda m: str(m.month),
    "dddd": lambda m: m.strftime("%A"),
    "ddd": lambda m: m.strftime("%a"),
    "dd": lambda m: f"{m.day:02d}",
    "d": lambda m: str(m.day),
    "hh": lambda m: f"{m.hour:02d}",
    "h": lambda m: str(m.hour),
    "ss": lambda m: f"{m.second:02d}",
    "s": lambda m: str(m.second),
}
_MINUTES = {"mm": lambda m: f"{m.minute:02d}", "m": lambda m: str(m.minute)}
_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|[^ymdhs]+|[ymdhs]", re.IGNORECASE)


def format_date(moment: dt.datetime, pattern: str) -> str:
    """Apply a Sheets date pattern (yyyy, mmm, mm, dd, ddd, hh, ss, ...); mm after an hour is minutes."""
    out = []
    after_hour = False
    for token in _DATE_TOKEN.findall(pattern):
        low = token.lower()
        table = _MINUTES if after_hour and low in _MINUTES else _DATE_TOKENS
        out.append(table[low](moment) if low in table else token)
        if low in ("hh", "h"):
            after_hour = True
        elif low in table:
            after_hour = False
    return "".join(out)


def mirror_colours(fmt: Json) -> None:
    """Google keeps each colour twice (`x` and `xStyle.rgbColor`); setting one sets the other."""
    for holder, plain in ((fmt, "backgroundColor"), (fmt.get("textFormat"), "foregroundColor")):
        if not isinstance(holder, dict):
            continue
        style = holder.get(plain + "Style")
        if plain in holder and not style:
            holder[plain + "Style"] = {"rgbColor": dict(holder[plain])}
        elif isinstance(style, dict) and "rgbColor" in style and plain not in holder:
            holder[plain] = dict(style["rgbColor"])


def compute(cell: Json) -> Json:
    """Fill effectiveValue and formattedValue from userEnteredValue and the number format."""
    if isinstance(cell.get("userEnteredFormat"), dict):
        mirror_colours(cell["userEnteredFormat"])
    cell.pop("effectiveValue", None)
    cell.pop("formattedValue", None)
    entered = cell.get("userEnteredValue")
    if not entered:
        return cell
    effective = _formula_effective(entered["formulaValue"]) if "formulaValue" in entered else dict(entered)
    cell["effectiveValue"] = effective
    number_format = (cell.get("userEnteredFormat") or {}).get("numberFormat")
    if "numberValue" in effective:
        cell["formattedValue"] = format_number(effective["numberValue"], number_format)
    elif "boolValue" in effective:
        cell["formattedValue"] = "TRUE" if effective["boolValue"] else "FALSE"
    elif "stringValue" in effective:
        cell["formattedValue"] = effective["stringValue"]
    else:
        kind = (effective.get("errorValue") or {}).get("type")
        cell["formattedValue"] = "#NUM!" if kind == "NUM" else "#NAME?"
    return cell


def render(cell: Json, value_render: str, datetime_render: str) -> Any:
    """One cell as values.get returns it under valueRenderOption and dateTimeRenderOption."""
    if not cell.get("userEnteredValue"):
        return ""
    if value_render == "FORMATTED_VALUE":
        return cell.get("formattedValue", "")
    entered = cell["userEnteredValue"]
    if value_render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    effective = cell.get("effectiveValue", {})
    kind = ((cell.get("userEnteredFormat") or {}).get("numberFormat") or {}).get("type")
    if kind in ("DATE", "DATE_TIME", "TIME") and datetime_render == "FORMATTED_STRING":
        return cell.get("formattedValue", "")
    if "errorValue" in effective:
        return cell.get("formattedValue", "")
    return next(iter(effective.values()), "")

"""Checks that need what the APIs return, on plain data: pure, reported like any config problem.

The caller fetches (one board snapshot, one list of tab titles) and passes the JSON here, so these
checks run before anything is written and are tested without a network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.config.fields import CUSTOM_PREFIX, did_you_mean, nearest
from app.config.models import Pair
from app.config.source import Path_, Problem, SourceMap

# Custom field types boardsheet can show in a cell (Trello's `type` values).
SUPPORTED_CUSTOM_TYPES = frozenset({"text", "number", "date", "checkbox", "list"})


def _problem(pair: Pair, path: Path_, message: str, hint: str = "") -> Problem:
    """A Problem at `path` inside this pair, located in its file when the pair was loaded from one."""
    full: Path_ = ("pairs", pair.index, *path)
    source = pair.source
    if source is None:
        source = SourceMap("<config>")
    return source.problem(full, message, hint)


def _names(items: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(item.get("name", "")) for item in items]


def _missing(pair: Pair, path: Path_, wanted: list[str] | None, have: list[str], what: str) -> list[Problem]:
    """One problem per name in `wanted` that `have` lacks."""
    problems = []
    for index, name in enumerate(wanted or []):
        if name not in have:
            hint = did_you_mean(name, have) or (f"the board has: {', '.join(have)}" if have else "")
            problems.append(_problem(pair, (*path, index), f"the board has no {what} named '{name}'", hint))
    return problems


def check_against_board(pair: Pair, board: Mapping[str, Any]) -> list[Problem]:
    """Problems with the pair's filters and custom fields, given Trello's board JSON."""
    lists = _names(board.get("lists") or [])
    labels = [name for name in _names(board.get("labels") or []) if name]
    fields = {str(f.get("name")): str(f.get("type")) for f in board.get("customFields") or []}
    problems = _missing(pair, ("trello", "lists"), pair.trello.lists, lists, "list")
    problems += _missing(pair, ("trello", "labels"), pair.trello.labels, labels, "label")
    problems += _intake_problems(pair, lists, fields)
    for index, column in enumerate(pair.columns):
        name = column.custom_name
        if name is None:
            continue
        path: Path_ = ("columns", index, "field")
        if name not in fields:
            hint = did_you_mean(name, fields) or (
                f"the board's custom fields: {', '.join(fields)}"
                if fields
                else "the board has no custom fields"
            )
            problems.append(_problem(pair, path, f"the board has no custom field named '{name}'", hint))
        elif fields[name] not in SUPPORTED_CUSTOM_TYPES:
            problems.append(
                _problem(pair, path, f"custom field '{name}' has unsupported type {fields[name]}")
            )
    return problems + _view_problems(pair, fields) + _approval_problems(pair, lists, fields)


def _approval_problems(pair: Pair, lists: list[str], fields: Mapping[str, str]) -> list[Problem]:
    """approval.required_in naming lists the board lacks; an approval column that is no checkbox."""
    approval = pair.approval
    if approval is None:
        return []
    problems = _missing(pair, ("approval", "required_in"), approval.required_in, lists, "list")
    column = next(c for c in pair.columns if c.header == approval.column)
    kind = fields.get(column.custom_name or "") if column.custom_name else column.field
    if kind not in ("checkbox", "dueComplete", None):
        shows = f"a {kind} custom field" if column.custom_name else f"the field {kind}"
        message = f"approval.column '{approval.column}' shows {shows}, not a checkbox"
        hint = 'use a checkbox custom field, e.g. field: "custom:Approved"'
        problems.append(_problem(pair, ("approval", "column"), message, hint))
    return problems


def _intake_problems(pair: Pair, lists: list[str], fields: Mapping[str, str]) -> list[Problem]:
    """The intake's list and custom fields the board lacks (new cards could not be created)."""
    intake = pair.intake
    if intake is None:
        return []
    problems = []
    if intake.list not in lists:
        hint = did_you_mean(intake.list, lists) or (f"the board has: {', '.join(lists)}" if lists else "")
        problems.append(
            _problem(pair, ("intake", "list"), f"the board has no list named '{intake.list}'", hint)
        )
    for index, column in enumerate(intake.columns):
        name = column.field[len(CUSTOM_PREFIX) :] if column.field.startswith(CUSTOM_PREFIX) else None
        if name is not None and name not in fields:
            hint = did_you_mean(name, fields) or "check the custom field's name on the board"
            message = f"the board has no custom field named '{name}'"
            problems.append(_problem(pair, ("intake", "columns", index, "field"), message, hint))
    return problems


def _view_problems(pair: Pair, fields: Mapping[str, str]) -> list[Problem]:
    """The views' date, colour and title fields that name custom fields the board lacks."""
    problems = []
    for index, view in enumerate(pair.views):
        used: list[tuple[Path_, str, str | None]] = [
            (("views", index, "date"), view.date, "date"),
            (("views", index, "colour_by"), view.colour_by or "", None),
            *((("views", index, "title"), name, None) for name in view.template_fields),
        ]
        for path, field, kind in used:
            if not field.startswith(CUSTOM_PREFIX):
                continue
            name = field[len(CUSTOM_PREFIX) :]
            if name not in fields:
                hint = did_you_mean(name, fields) or "check the custom field's name on the board"
                problems.append(_problem(pair, path, f"the board has no custom field named '{name}'", hint))
            elif kind is not None and fields[name] != kind:
                message = f"custom field '{name}' is a {fields[name]} field, not a {kind} field"
                problems.append(_problem(pair, path, message))
    return problems


def check_against_tabs(pair: Pair, tab_titles: Iterable[str]) -> list[Problem]:
    """Problems with the pair's tab, given the spreadsheet's tab titles.

    A missing `changes_tab` is no problem: the first run adds it in its one batchUpdate.
    """
    titles = list(tab_titles)
    tab = pair.sheet.tab
    if tab in titles:
        return []
    hint = did_you_mean(tab, titles) or "create it, or run `boardsheet sync` with --create-tab"
    return [_problem(pair, ("sheet", "tab"), f"the spreadsheet has no tab named '{tab}'", hint)]


def check_intake_tab(pair: Pair, tab_titles: Iterable[str]) -> list[Problem]:
    """The intake tab the spreadsheet lacks: runs do not add it (they say so and skip the intake)."""
    if pair.intake is None:
        return []
    titles, tab = list(tab_titles), pair.intake.tab
    if tab in titles:
        return []
    hint = did_you_mean(tab, titles) or "add it: the next run writes its header row"
    return [_problem(pair, ("intake", "tab"), f"the spreadsheet has no tab named '{tab}'", hint)]


def check_new_tab(pair: Pair, tab_titles: Iterable[str]) -> list[Problem]:
    """Why `--create-tab` must not add the pair's tab: the spreadsheet has a near miss of its name.

    A tab called "calendar " or "Calendar (old)" is most likely the one meant (renamed, or mistyped in
    the YAML); a second, empty tab beside it would hide that and sync to the wrong one.
    """
    titles = [title for title in tab_titles if title != pair.sheet.tab]
    near = nearest(pair.sheet.tab, titles) or next(
        (t for t in titles if " ".join(t.split()).casefold() == " ".join(pair.sheet.tab.split()).casefold()),
        None,
    )
    if near is None:
        return []
    message = (
        f"refusing to create tab '{pair.sheet.tab}': the spreadsheet has a tab named '{near}', "
        "a near miss of that name"
    )
    hint = f"rename the tab '{near}' to '{pair.sheet.tab}', or set sheet.tab to '{near}'"
    return [_problem(pair, ("sheet", "tab"), message, hint)]


def unreachable(pair: Pair, side: str, reason: str) -> Problem:
    """A problem saying the board (side "trello") or spreadsheet (side "sheet") cannot be reached."""
    path: Path_ = ("trello", "board") if side == "trello" else ("sheet", "spreadsheet")
    what = "board" if side == "trello" else "spreadsheet"
    hint = (
        "check TRELLO_API_KEY and TRELLO_TOKEN, and that the token's member can see the board"
        if side == "trello"
        else "share the spreadsheet with the service account of GOOGLE_APPLICATION_CREDENTIALS"
    )
    return _problem(pair, path, f"cannot reach the {what}: {reason}", hint)

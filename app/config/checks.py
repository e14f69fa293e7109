"""Checks that need what the APIs return, on plain data: pure, reported like any config problem.

The caller fetches (one board snapshot, one list of tab titles) and passes the JSON here, so these
checks run before anything is written and are tested without a network.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from app.config.fields import CUSTOM_PREFIX, did_you_mean
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
    near = near_misses(pair, titles)
    hint = (
        f"did you mean {_either(near)}?" if near else "create it, or run `boardsheet sync` with --create-tab"
    )
    return [_problem(pair, ("sheet", "tab"), f"the spreadsheet has no tab named '{tab}'", hint)]


def near_misses(pair: Pair, tab_titles: Iterable[str]) -> list[str]:
    """Every tab whose name is close to the pair's tab (renamed, or mistyped in the YAML), closest first.

    All of them, not just the closest: "Calendar view" is as near to "Calendar" as "Calendar (old)" is,
    and only a person can tell which one is the pair's. The pair's own other tabs (views, Changes,
    intake) are never its list tab, so they are left out.
    """
    own = {pair.changes_tab, *(view.tab for view in pair.views)}
    own |= {pair.intake.tab} if pair.intake is not None else set()
    titles = [title for title in tab_titles if title != pair.sheet.tab and title not in own]
    wanted = " ".join(pair.sheet.tab.split()).casefold()
    same = [title for title in titles if " ".join(title.split()).casefold() == wanted]
    close = difflib.get_close_matches(pair.sheet.tab, titles, n=len(titles) or 1, cutoff=0.6)
    return same + [title for title in close if title not in same]


def _either(titles: list[str]) -> str:
    """'a', 'a' or 'b', 'a', 'b' or 'c'."""
    quoted = [f"'{title}'" for title in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


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
    near = near_misses(pair, tab_titles)
    if not near:
        return []
    return [_problem(pair, ("sheet", "tab"), *near_miss_refusal(pair.sheet.tab, near))]


def near_miss_refusal(tab: str, near: list[str]) -> tuple[str, str]:
    """The refusal to add tab `tab` beside its near misses, and the way out (message, hint)."""
    head = f"refusing to create tab '{tab}': the spreadsheet has "
    if len(near) == 1:
        message = head + f"a tab named '{near[0]}', a near miss of that name"
        return message, f"rename the tab '{near[0]}' to '{tab}', or set sheet.tab to '{near[0]}'"
    named = _either(near).replace(" or ", " and ")
    message = head + f"tabs named {named}, near misses of that name"
    return message, f"rename the one that is this pair's tab to '{tab}', or set sheet.tab to its name"


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

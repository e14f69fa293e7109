"""Several Google service accounts: parsing their setting, and which pair's sheet each account reaches.

Google gives each user (a service account is one) 60 Sheets read requests and 60 write requests a minute,
and one run costs at most one of each; more pairs than one account keeps up with need more accounts
(https://developers.google.com/workspace/sheets/api/limits). Pure: the caller reads the key files.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.config.fields import did_you_mean
from app.config.source import Problem, SourceMap

if TYPE_CHECKING:  # settings import this module: keep it from loading the YAML models
    from app.config.models import Pair

__all__ = ["assign_accounts", "check_accounts", "parse_accounts"]

_ACCOUNT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def parse_accounts(text: str) -> dict[str, Path]:
    """`"ops=/keys/ops.json, bulk=/keys/bulk.json"` as {name: key file}, in the order given.

    Entries are separated by commas or newlines. Raises ValueError naming every bad entry (names and
    paths only: a key file's path is configuration, not a secret).
    """
    accounts: dict[str, Path] = {}
    bad: list[str] = []
    for entry in (part.strip() for part in re.split(r"[,\n]", text)):
        if not entry:
            continue
        name, equals, path = (piece.strip() for piece in entry.partition("="))
        if not equals or not path or not _ACCOUNT_NAME.fullmatch(name):
            bad.append(f"'{entry}' is not NAME=KEY_FILE")
        elif name in accounts:
            bad.append(f"account '{name}' is named twice")
        else:
            accounts[name] = Path(path)
    if bad:
        raise ValueError("; ".join(bad))
    return accounts


def check_accounts(pairs: Sequence[Pair], accounts: Collection[str]) -> list[Problem]:
    """One problem per pair whose `sheet.account` names no configured account, located in its file."""
    problems = []
    for pair in pairs:
        name = pair.sheet.account
        if name is None or name in accounts:
            continue
        known = sorted(accounts)
        hint = did_you_mean(name, known) or (
            f"BOARDSHEET_GOOGLE_ACCOUNTS names: {', '.join(known)}"
            if known
            else "set BOARDSHEET_GOOGLE_ACCOUNTS to NAME=KEY_FILE entries, or remove sheet.account"
        )
        source = pair.source if pair.source is not None else SourceMap("<config>")
        path = ("pairs", pair.index, "sheet", "account")
        problems.append(source.problem(path, f"no Google service account named '{name}'", hint))
    return problems


def assign_accounts(pairs: Sequence[Pair], accounts: Sequence[str]) -> Mapping[str, str]:
    """{pair name: account name}: a pair's `sheet.account` when set, else spread evenly and deterministically.

    Each unassigned pair (in name order) goes to the account with the fewest pairs so far, the first
    given on a tie; explicit assignments count, so the load evens out around them. Empty without accounts.
    Assumes check_accounts found nothing.
    """
    if not accounts:
        return {}
    load = dict.fromkeys(accounts, 0)
    chosen: dict[str, str] = {}
    for pair in pairs:
        if pair.sheet.account is not None:
            chosen[pair.name] = pair.sheet.account
            load[pair.sheet.account] += 1
    for pair in sorted((p for p in pairs if p.sheet.account is None), key=lambda p: p.name):
        account = min(accounts, key=lambda name: load[name])
        chosen[pair.name] = account
        load[account] += 1
    return chosen

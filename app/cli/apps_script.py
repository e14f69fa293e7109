"""`boardsheet apps-script PAIR`: the on-edit Apps Script that makes the pair's sheet edits instant."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import typer

from app.cli.common import EXIT_BAD_USAGE, ConfigOpt, fail, load, out
from app.errors import UnknownPairError
from app.runtime.apps_script import apps_script as render
from app.runtime.sheet_hints import hint_base_secret, pair_key
from app.web.edit_hooks import HINTS_PATH

__all__ = ["apps_script"]


def apps_script(
    pair: Annotated[str, typer.Argument(help="the pair whose sheet edits should reach boardsheet at once")],
    config: ConfigOpt = None,
) -> None:
    """Print the Apps Script (with setup steps) that posts a signed hint on every edit of the pair's tab."""
    settings, loaded = load(config)
    try:
        found = loaded.pair(pair)
    except UnknownPairError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    secret = hint_base_secret(settings)
    missing = settings.missing("BOARDSHEET_PUBLIC_URL") + (
        [] if secret else ["BOARDSHEET_SHEETS_HINT_SECRET (or TRELLO_APP_SECRET)"]
    )
    if missing or settings.public_url is None or secret is None:
        raise fail(f"set {' and '.join(missing)} for instant mode", EXIT_BAD_USAGE)
    url = f"{settings.public_url}{HINTS_PATH}?{urlencode({'pair': found.name})}"
    script = render(found.name, found.sheet.tab, url, pair_key(secret, found.name))
    out.print(script, markup=False, highlight=False, soft_wrap=True, end="")

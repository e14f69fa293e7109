"""`boardsheet calendar-url PAIR`: the calendar feed's URL, to paste into Google Calendar or Outlook."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import EXIT_BAD_USAGE, ConfigOpt, fail, load, out
from app.errors import UnknownPairError
from app.runtime.calendar import feed_url

__all__ = ["calendar_url"]


def calendar_url(
    pair: Annotated[str, typer.Argument(help="the pair whose cards the feed shows")],
    config: ConfigOpt = None,
) -> None:
    """Print the pair's calendar feed URL (it holds the pair's token: share it like a password)."""
    settings, loaded = load(config)
    try:
        name = loaded.pair(pair).name
    except UnknownPairError as exc:
        raise fail(str(exc), EXIT_BAD_USAGE) from exc
    missing = settings.missing("BOARDSHEET_PUBLIC_URL", "BOARDSHEET_CALENDAR_SECRET")
    if missing or settings.public_url is None or settings.calendar_secret is None:
        why = {
            "BOARDSHEET_PUBLIC_URL": "BOARDSHEET_PUBLIC_URL (the https://... address calendar apps reach the "
            "service at, the one Trello calls back)",
            "BOARDSHEET_CALENDAR_SECRET": "BOARDSHEET_CALENDAR_SECRET (the secret each feed's token comes "
            "from; the service must have the same one, or it serves no feed)",
        }
        needed = " and ".join(why.get(name, name) for name in missing)
        raise fail(f"to print the feed URL, set {needed}", EXIT_BAD_USAGE)
    secret = settings.calendar_secret.get_secret_value()
    out.print(feed_url(settings.public_url, secret, name), markup=False)

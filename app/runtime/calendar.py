"""The calendar feeds the service serves: the pair's token checked, the stored document as iCalendar.

Nothing here calls Trello: each run keeps what the feed needs from its board read in the state store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.config.models import Config
from app.core.calendar_feed import feed_ics, feed_token, token_matches
from app.store.store import Store

CALENDAR_PATH = "/calendar/{pair}.ics"


def feed_url(public_url: str, secret: str, pair: str) -> str:
    """The URL to paste into Google Calendar or Outlook ("From URL" / "Subscribe")."""
    return public_url.rstrip("/") + CALENDAR_PATH.format(pair=pair) + "?token=" + feed_token(secret, pair)


class CalendarFeeds:
    """Serves `GET /calendar/{pair}.ics?token=...`: None (a 404) unless the feature, pair and token hold."""

    def __init__(
        self, config: Config, store: Store, secret: str | None, clock: Callable[[], float] = time.time
    ) -> None:
        self._pairs = {pair.name for pair in config.pairs}
        self._store = store
        self._secret = secret
        self._clock = clock

    @property
    def enabled(self) -> bool:
        """Whether BOARDSHEET_CALENDAR_SECRET is set (without it every feed is a 404)."""
        return bool(self._secret)

    def feed(self, pair: str, token: str | None) -> bytes | None:
        """The pair's feed as iCalendar bytes; None when disabled, unknown pair or wrong token (alike)."""
        if not self._secret or token is None:
            return None
        # The token is checked whether or not the pair exists, so the answer's time tells nothing.
        valid = token_matches(self._secret, pair, token)
        if not valid or pair not in self._pairs:
            return None
        now = datetime.fromtimestamp(self._clock(), UTC)
        return feed_ics(pair, self._store.load_feed(pair), now)

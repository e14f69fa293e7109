"""The API calls one run made, by kind: this run's own, even while other pairs run in other threads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

__all__ = ["RunCounts"]


@dataclass
class RunCounts:
    """API calls one run made: this run's own, even while other pairs run in other threads."""

    requests: Counter[str]

    @property
    def trello(self) -> int:
        """Trello requests so far, retries included."""
        return self.requests["trello"]

    @property
    def reads(self) -> int:
        """Sheets reads (GETs) so far, retries included."""
        return self.requests["sheets read"]

    @property
    def writes(self) -> int:
        """Sheets writes so far (the run's batchUpdate, an added tab, a failure line), retries included."""
        return self.requests["sheets write"]

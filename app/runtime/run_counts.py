"""The API calls one run makes: this run's own, even while other pairs run in other threads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from connectors.metering import counting

__all__ = ["RunCounts", "counting_run"]


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


@contextmanager
def counting_run() -> Iterator[RunCounts]:
    """Count the API calls this run makes inside the block (per run, not per connector)."""
    with counting() as requests:
        yield RunCounts(requests)

"""One Drive v3 call: method, query parameters, JSON body and the caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.emulators.sheets.auth import Identity


@dataclass
class DriveCall:
    """A Drive request as handlers see it (query parameters by their first value)."""

    method: str
    params: dict[str, str]
    body: Any
    user: Identity

    def param(self, name: str) -> str | None:
        """A query parameter, or None."""
        return self.params.get(name)

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (`true`, `True`, `1`; gspread sends Python's `True`)."""
        value = self.params.get(name)
        return default if value is None else value.lower() in ("true", "1")

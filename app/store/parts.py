"""What every part of the Store shares: its engine, its clock, error translation, the upsert and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.store.db import translated, upsert_into

__all__ = ["StoreParts"]


class StoreParts:
    """The base of the Store's parts (pair state, change log, held plans, Drive, sharing, intake, own
    writes) and the Store."""

    _engine: sa.Engine
    _clock: Callable[[], datetime]
    _secret: str | None  # the URL's password, redacted from every error

    @contextmanager
    def _translated(self, action: str) -> Iterator[None]:
        """Database errors become StoreError, with the URL's password redacted."""
        with translated(action, self._secret):
            yield

    @staticmethod
    def _upsert(
        connection: sa.Connection, table: sa.Table, key: dict[str, Any], values: dict[str, Any]
    ) -> None:
        """Insert or update one row by primary key, atomically even between replicas."""
        upsert = upsert_into(connection, table).values(**key, **values)
        connection.execute(upsert.on_conflict_do_update(index_elements=list(key), set_=values))

    @staticmethod
    def _dumps(value: Any) -> str:
        """Compact JSON that keeps unicode readable (floats round-trip exactly through repr)."""
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

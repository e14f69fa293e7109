"""Pause flags and board/spreadsheet names: the queries behind Store's pair-level methods."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime

import sqlalchemy as sa

from app.core.records import PairFlags, PairSources
from app.store.tables import held_plans, pair_flags, pair_sources

__all__ = ["flags_of", "sources_of", "sources_values"]


def flags_of(connection: sa.Connection, pair: str) -> PairFlags:
    """The pair's shared flags (never set: running, nothing approved)."""
    row = connection.execute(sa.select(pair_flags).where(pair_flags.c.pair == pair)).mappings().first()
    approved_at = connection.execute(
        sa.select(sa.func.max(held_plans.c.approved_at)).where(held_plans.c.pair == pair)
    ).scalar_one_or_none()
    if row is None:
        return PairFlags(approved_at=approved_at)
    paused = bool(row["paused"])
    return PairFlags(
        paused=paused,
        paused_by=row["paused_by"] if paused else None,
        reason=row["reason"] if paused else None,
        since=row["updated_at"] if paused else None,
        approved_at=approved_at,
    )


def sources_values(sources: PairSources, now: datetime) -> dict[str, object]:
    """The pair_sources row values of `sources`."""
    texts = json.dumps(dict(sources.option_texts), sort_keys=True, ensure_ascii=False)
    return {**asdict(sources), "option_texts": texts, "updated_at": now}


def sources_of(connection: sa.Connection, pair: str) -> PairSources | None:
    """The names and links the last run saw, or None before the first run."""
    query = sa.select(
        pair_sources.c.board_name,
        pair_sources.c.board_url,
        pair_sources.c.spreadsheet_title,
        pair_sources.c.spreadsheet_url,
        pair_sources.c.option_texts,
    ).where(pair_sources.c.pair == pair)
    row = connection.execute(query).mappings().first()
    if row is None:
        return None
    return PairSources(**{**row, "option_texts": _texts(row["option_texts"])})


def _texts(document: str) -> dict[str, str]:
    """The stored option id -> text document; anything but a JSON object of strings reads as empty."""
    try:
        loaded = json.loads(document)
    except ValueError:
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {key: value for key, value in loaded.items() if isinstance(value, str)}

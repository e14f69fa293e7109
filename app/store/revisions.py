"""Which schema revision a database is at, and the newest one, without importing Alembic (~0.4 s)."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa

# The `revision = "0005"` and `down_revision: str | None = "0004"` lines every migration file starts with.
_ASSIGNED = re.compile(r"^(revision|down_revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)


def head_revisions(versions: Path) -> set[str]:
    """The revisions no migration in `versions` builds on: Alembic's heads, read from the files."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"].strip("'\""))
            parents.add(found.get("down_revision", "None").strip("'\""))
    return revisions - parents


def stored_revisions(connection: sa.Connection) -> set[str]:
    """The revisions in the database's alembic_version table; empty for a database never migrated."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return set()
    return {row[0] for row in connection.execute(sa.text("SELECT version_num FROM alembic_version"))}

"""Alembic migrations of the state store (run by `app.store.db.upgrade_to_head`)."""

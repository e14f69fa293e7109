"""Alembic migrations of the state store (run by `app.store_db.upgrade_to_head`)."""

"""The state store over SQLAlchemy (SQLite or PostgreSQL): bases, runs, change log, held plans, leases."""

"""Alembic migrations for the diary store (run programmatically by `crampwise.diary.migrate`)."""

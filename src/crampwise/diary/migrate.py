"""Apply the diary's Alembic migrations automatically and safely.

`ensure_schema()` runs on every store opening. It reads the stored revision with one cheap query
and returns at once when it is current; Alembic is imported only when an upgrade is due. The upgrade
runs inside one transaction that first takes a lock (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: a
transaction-scoped advisory lock), re-reads the revision, then migrates. Two processes opening a new
database at once therefore migrate it once, and a process killed half-way leaves the old schema
(both backends have transactional DDL).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from crampwise.diary.errors import SchemaTooNew
from crampwise.diary.schema import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x6372616D70  # "cramp"


def current_revision(conn: Connection) -> str | None:
    """The revision stored in the database, or None for a database that was never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if value is None else str(value)


def _check_known(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaTooNew(
            f"the diary database has schema revision {revision}, newer than this Crampwise knows "
            f"({HEAD_REVISION}); upgrade Crampwise"
        )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def ensure_schema(engine: Engine) -> bool:
    """Bring the database to the packaged head revision. Returns True if it migrated anything."""
    with engine.connect() as conn:
        revision = current_revision(conn)
        conn.rollback()
    _check_known(revision)
    if revision == HEAD_REVISION:
        return False
    return upgrade(engine)


def upgrade(engine: Engine, target: str = "head") -> bool:
    from alembic import command

    config = alembic_config()
    with engine.connect() as conn:
        conn.execution_options(crampwise_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
            revision = current_revision(conn)
            _check_known(revision)
            if revision == HEAD_REVISION and target == "head":
                return False  # another process migrated while we waited for the lock
            config.attributes["connection"] = conn
            command.upgrade(config, target)
    return True

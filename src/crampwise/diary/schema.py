"""Tables (SQLAlchemy Core) and the column types that make SQLite and PostgreSQL agree.

Imported only by the store and the migrations: importing it costs SQLAlchemy.

- Times: `UTCDateTime` writes UTC and gives back aware UTC datetimes on both backends (SQLite's
  DATETIME keeps no offset, so a naive value read back is UTC by construction).
- Numbers: measurements are double precision (`Float`) on both backends and `FloatValue` turns any
  `Decimal` a driver hands back into `float`. Aggregates go through `as_float()` because `avg()`
  returns `numeric` (Decimal) on PostgreSQL and `REAL` on SQLite.
- Lists: `JSONList` stores JSON text, identical on both.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    cast,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

# The newest migration in crampwise/diary/migrations/versions. A test checks it against Alembic.
HEAD_REVISION = "0001"
KNOWN_REVISIONS: tuple[str, ...] = ("0001",)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime in, an aware UTC datetime out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store a time without a time zone: {value.isoformat()}")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class FloatValue(TypeDecorator[float]):
    """Double precision that always reads back as `float`."""

    impl = Float
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> float | None:
        if value is None:
            return None
        return float(value)


class JSONList(TypeDecorator[list[str]]):
    """A list of strings as JSON text (portable; no JSON column type needed)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str]:
        if not value:
            return []
        loaded = json.loads(value)
        return [str(item) for item in loaded]


def as_float(expr: ColumnElement[Any]) -> ColumnElement[float]:
    """Cast an aggregate so both backends return float (PostgreSQL's avg() is numeric)."""
    return cast(expr, FloatValue())


def to_float(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return float(value)


users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(128), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(200), nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_tokens_user_id", "user_id"),
)

episodes = Table(
    "episodes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("muscle", String(32), nullable=False),
    Column("side", String(8), nullable=True),
    Column("duration_seconds", FloatValue(), nullable=True),
    Column("severity", SmallInteger, nullable=True),
    Column("sleep_disturbance", SmallInteger, nullable=True),
    Column("context", String(32), nullable=True),
    Column("helped", JSONList(), nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=True),
    Column("deleted_at", UTCDateTime(), nullable=True),
    CheckConstraint("severity IS NULL OR (severity >= 0 AND severity <= 10)", name="severity_range"),
    CheckConstraint(
        "sleep_disturbance IS NULL OR (sleep_disturbance >= 0 AND sleep_disturbance <= 10)",
        name="sleep_range",
    ),
    CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration_positive"),
    Index("ix_episodes_user_started", "user_id", "started_at"),
)

days = Table(
    "days",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("day", Date, nullable=False),
    Column("activity_minutes", FloatValue(), nullable=True),
    Column("exercise", Boolean, nullable=True),
    Column("fluids_litres", FloatValue(), nullable=True),
    Column("alcohol_units", FloatValue(), nullable=True),
    Column("caffeine_drinks", FloatValue(), nullable=True),
    Column("hot_weather", Boolean, nullable=True),
    Column("long_standing", Boolean, nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("user_id", "day", name="uq_days_user_day"),
)

medicine_changes = Table(
    "medicine_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("change", String(16), nullable=False),
    Column("at", Date, nullable=False),
    Column("dose", String(200), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_medicine_changes_user_at", "user_id", "at"),
)

labs = Table(
    "labs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("analyte", String(64), nullable=False),
    Column("value", FloatValue(), nullable=False),
    Column("unit", String(32), nullable=False, server_default=""),
    Column("taken_on", Date, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Index("ix_labs_user_taken", "user_id", "taken_on"),
)

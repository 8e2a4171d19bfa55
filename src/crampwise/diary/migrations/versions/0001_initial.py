"""Initial diary schema: users, tokens, episodes, days, medicine changes, labs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crampwise.diary.schema import FloatValue, JSONList, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(128), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_tokens")),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "episodes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("muscle", sa.String(32), nullable=False),
        sa.Column("side", sa.String(8), nullable=True),
        sa.Column("duration_seconds", FloatValue(), nullable=True),
        sa.Column("severity", sa.SmallInteger(), nullable=True),
        sa.Column("sleep_disturbance", sa.SmallInteger(), nullable=True),
        sa.Column("context", sa.String(32), nullable=True),
        sa.Column("helped", JSONList(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "severity IS NULL OR (severity >= 0 AND severity <= 10)", name=op.f("ck_episodes_severity_range")
        ),
        sa.CheckConstraint(
            "sleep_disturbance IS NULL OR (sleep_disturbance >= 0 AND sleep_disturbance <= 10)",
            name=op.f("ck_episodes_sleep_range"),
        ),
        sa.CheckConstraint(
            "duration_seconds IS NULL OR duration_seconds >= 0", name=op.f("ck_episodes_duration_positive")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episodes")),
    )
    op.create_index("ix_episodes_user_started", "episodes", ["user_id", "started_at"])
    op.create_table(
        "days",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("activity_minutes", FloatValue(), nullable=True),
        sa.Column("exercise", sa.Boolean(), nullable=True),
        sa.Column("fluids_litres", FloatValue(), nullable=True),
        sa.Column("alcohol_units", FloatValue(), nullable=True),
        sa.Column("caffeine_drinks", FloatValue(), nullable=True),
        sa.Column("hot_weather", sa.Boolean(), nullable=True),
        sa.Column("long_standing", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_days")),
        sa.UniqueConstraint("user_id", "day", name="uq_days_user_day"),
    )
    op.create_table(
        "medicine_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("at", sa.Date(), nullable=False),
        sa.Column("dose", sa.String(200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medicine_changes")),
    )
    op.create_index("ix_medicine_changes_user_at", "medicine_changes", ["user_id", "at"])
    op.create_table(
        "labs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("analyte", sa.String(64), nullable=False),
        sa.Column("value", FloatValue(), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False, server_default=""),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labs")),
    )
    op.create_index("ix_labs_user_taken", "labs", ["user_id", "taken_on"])


def downgrade() -> None:
    op.drop_index("ix_labs_user_taken", table_name="labs")
    op.drop_table("labs")
    op.drop_index("ix_medicine_changes_user_at", table_name="medicine_changes")
    op.drop_table("medicine_changes")
    op.drop_table("days")
    op.drop_index("ix_episodes_user_started", table_name="episodes")
    op.drop_table("episodes")
    op.drop_index("ix_tokens_user_id", table_name="tokens")
    op.drop_table("tokens")
    op.drop_table("users")

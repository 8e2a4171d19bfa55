"""Alembic migrations: applied on first use, idempotent, safe, and in step with the tables."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from crampwise.diary.errors import SchemaTooNew
from crampwise.diary.migrate import alembic_config, current_revision, ensure_schema, upgrade
from crampwise.diary.models import Episode
from crampwise.diary.schema import HEAD_REVISION, KNOWN_REVISIONS, metadata
from crampwise.diary.store import make_engine, open_store

WORKER = str(Path(__file__).resolve().parent / "diary_worker.py")
TABLES = {"alembic_version", "users", "tokens", "episodes", "days", "medicine_changes", "labs"}


def test_packaged_head_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD_REVISION
    assert {rev.revision for rev in scripts.walk_revisions()} == set(KNOWN_REVISIONS)


def test_first_use_creates_the_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert current_revision(conn) is None
        assert not set(inspect(conn).get_table_names()) & TABLES
    engine.dispose()
    with open_store(db_url) as store, store.engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert set(inspect(conn).get_table_names()) >= TABLES


def test_migrating_again_is_a_no_op(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_episode(Episode(started_at=datetime(2026, 1, 1, tzinfo=UTC)))
        assert ensure_schema(store.engine) is False
        assert upgrade(store.engine) is False
    with open_store(db_url) as store:
        assert store.count_episodes() == 1


def test_alembic_is_imported_only_when_an_upgrade_is_due(db_url: str, subprocess_env: dict[str, str]) -> None:
    def run() -> str:
        done = subprocess.run(
            [sys.executable, WORKER, "open", db_url],
            capture_output=True,
            text=True,
            env=subprocess_env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run() == "alembic"  # first use migrates
    assert run() == "no-alembic"  # afterwards one cheap query suffices


def test_tables_and_migrations_agree(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with open_store(db_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        assert compare_metadata(context, metadata) == []


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    from alembic import command

    with open_store(db_url) as store:
        with store.engine.connect() as conn:
            conn.execution_options(crampwise_write=True)
            with conn.begin():
                config = alembic_config()
                config.attributes["connection"] = conn
                command.downgrade(config, "base")
            assert not set(inspect(conn).get_table_names()) & (TABLES - {"alembic_version"})
            conn.rollback()
        assert ensure_schema(store.engine) is True
        assert store.count_episodes() == 0


def test_a_newer_schema_is_refused_clearly(db_url: str) -> None:
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaTooNew, match="upgrade Crampwise"):
        open_store(db_url)

"""Fixtures for the diary tests: real SQLite files and a real PostgreSQL server.

PostgreSQL: the server at 127.0.0.1:5432 (trust auth, user postgres, database `test`), or the
admin URL in $CRAMPWISE_TEST_PG. Each test session creates its own database
`crampwise_test_<random>` and drops it afterwards; each test gets a fresh schema in it (selected
through the connection's search_path), so "first use" really is first use. Tests marked
`postgres` are skipped, with the reason, only when the server cannot be reached.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from crampwise.diary.store import DiaryStore, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for diary_strategies

PG_ADMIN_URL = os.environ.get("CRAMPWISE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
HERE = Path(__file__).resolve().parent
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_connect(dbname: str | None = None):  # type: ignore[no-untyped-def]
    import psycopg

    url = make_url(PG_ADMIN_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname=dbname or url.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of our own for this test session (per xdist worker)."""
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'crampwise[postgres]')")
    try:
        admin = _pg_connect()
    except psycopg.OperationalError as exc:
        pytest.skip(
            f"PostgreSQL server {make_url(PG_ADMIN_URL).host}:5432 unreachable: {str(exc).strip()[:120]}"
        )
    name = f"crampwise_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
    try:
        yield base.render_as_string(hide_password=False)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_url(pg_database: str) -> Iterator[str]:
    """A fresh, empty schema in the session database, as a URL that selects it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    conn = _pg_connect(make_url(pg_database).database)
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{pg_database}?options=-csearch_path%3D{schema}"
    finally:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.close()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[DiaryStore]:
    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def subprocess_env() -> dict[str, str]:
    """Environment for child Pythons: the package importable, no stray diary settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRAMPWISE_")}
    src = str(HERE.parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


PYTHON = sys.executable

"""Alembic environment for the diary store.

Run by `crampwise.diary.migrate.upgrade()`, which passes an open connection (already inside a
locked transaction) in `config.attributes["connection"]`. The `alembic` command line also works:
`alembic -x url=sqlite:///diary.sqlite3 -c <this dir>/alembic.ini upgrade head` is not needed in
normal use; migrations are applied automatically on first use.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from crampwise.diary.schema import metadata

config = context.config


def _configure_and_run(connection):  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite has little ALTER TABLE; batch mode copies and moves
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database URL: alembic -x url=... upgrade head")
    engine = create_engine(url)
    with engine.begin() as conn:
        _configure_and_run(conn)
    engine.dispose()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

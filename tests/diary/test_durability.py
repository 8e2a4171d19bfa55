"""Nothing acknowledged is lost: concurrent writers, and a writer killed mid-import (SIGKILL)."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from crampwise.diary.models import Episode
from crampwise.diary.store import open_store

WORKER = str(Path(__file__).resolve().parent / "diary_worker.py")
pytestmark = pytest.mark.slow


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, WORKER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def test_two_writers_at_once_both_succeed(db_url: str, subprocess_env: dict[str, str]) -> None:
    # Both start on a database that does not exist yet, so they also race to create the schema.
    writers = [_spawn(["write", db_url, "local", "150"], subprocess_env) for _ in range(2)]
    outputs = [w.communicate(timeout=180) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with open_store(db_url) as store:
        assert store.count_episodes() == 300


def test_two_importers_at_once_both_succeed(db_url: str, subprocess_env: dict[str, str]) -> None:
    with open_store(db_url):
        pass  # schema exists; now the imports themselves contend
    importers = [_spawn(["import", db_url, "3000", "1000"], subprocess_env) for _ in range(2)]
    for importer in importers:
        out, err = importer.communicate(timeout=180)
        assert importer.returncode == 0, err
        assert "imported" in out
    with open_store(db_url) as store:
        # the second import finds the first's identical entries and skips them
        assert store.count_episodes() == 3000


def test_kill_during_import_keeps_acknowledged_entries_and_none_of_the_file(
    db_url: str, subprocess_env: dict[str, str]
) -> None:
    with open_store(db_url) as store:
        base = datetime(2024, 6, 1, tzinfo=UTC)
        acknowledged = store.import_episodes(
            [Episode(started_at=base + timedelta(hours=i), severity=2, notes="small") for i in range(10)]
        )
        assert acknowledged.episodes == 10
        single = store.add_episode(Episode(started_at=base, muscle="foot", notes="single"))

    importer = _spawn(["import", db_url, "20000", "500"], subprocess_env)
    assert importer.stdout is not None
    line = importer.stdout.readline()  # the first chunk is written, not committed
    assert line.startswith("progress"), importer.stderr.read() if importer.stderr else line
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    importer.communicate()

    with open_store(db_url) as store:
        kept = store.list_episodes()
        assert len(kept) == 11
        assert {e.notes for e in kept} == {"small", "single"}
        assert store.get_episode(single.id) == single  # type: ignore[arg-type]
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        # the store still works, and the same file can simply be imported again
        again = store.import_episodes(
            [
                Episode(started_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=i), notes="big")
                for i in range(50)
            ]
        )
        assert again.episodes == 50
        assert store.count_episodes() == 61

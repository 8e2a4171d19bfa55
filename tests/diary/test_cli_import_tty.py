"""Long imports from the real command line: a progress bar on a terminal (only there), and a
SIGKILL in the middle of the import loses nothing that was acknowledged and keeps none of the file."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from crampwise.cli import cli
from crampwise.diary.store import open_store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")]
CLI = [sys.executable, "-c", "from crampwise.cli import main; main()"]


def write_csv(path: Path, rows: int, hour: int = 0) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("started_at,muscle,side,severity,duration_seconds,notes\n")
        for i in range(rows):
            out.write(f"2025-01-01T{hour:02d}:00:00+00:00,calf,left,{i % 11},{i % 300},row {i}\n")


def run_in_pty(
    args: list[str], env: dict[str, str], stop: re.Pattern[str] | None = None, timeout: float = 120
) -> tuple[subprocess.Popen[bytes], str]:
    """Run with stdout and stderr on a pseudo-terminal; return once `stop` matches (or at exit)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    seen = ""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:
                    break  # the child closed the terminal
                if not chunk:
                    break
                seen += chunk.decode("utf-8", "replace")
                if stop is not None and stop.search(seen):
                    return process, seen
            elif process.poll() is not None:
                break
        return process, seen
    finally:
        if stop is None or process.poll() is not None:
            process.wait(timeout=timeout)
        os.close(leader)


def test_no_progress_bar_when_not_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_csv(path, 3000)
    result = CliRunner().invoke(
        cli, ["diary", "import", str(path), "--db", f"sqlite:///{tmp_path / 'd.sqlite3'}"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Imported 3000 episodes from " + str(path) + ".\n"


def test_progress_bar_on_a_terminal(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    path = tmp_path / "big.csv"
    write_csv(path, 3000)
    process, seen = run_in_pty(
        [*CLI, "diary", "import", str(path), "--db", f"sqlite:///{tmp_path / 'd.sqlite3'}"], subprocess_env
    )
    assert process.returncode == 0, seen
    assert "Importing" in seen
    assert "100%" in seen
    assert "Imported 3000 episodes" in seen


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_sigkill_during_a_cli_import(
    backend: str, tmp_path: Path, subprocess_env: dict[str, str], request: pytest.FixtureRequest
) -> None:
    db = f"sqlite:///{tmp_path / 'd.sqlite3'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    write_csv(small, 25, hour=1)
    write_csv(big, 150_000, hour=2)
    first = subprocess.run(
        [*CLI, "diary", "import", str(small), "--db", db],
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    assert "Imported 25 episodes" in first.stdout

    # Kill once the bar shows the import under way (some rows written, nothing committed).
    process, seen = run_in_pty(
        [*CLI, "diary", "import", str(big), "--db", db],
        subprocess_env,
        stop=re.compile(r"\b([1-9]|[1-8]\d)%"),
    )
    assert process.poll() is None, f"the import finished before it could be killed: {seen[-300:]}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with open_store(db) as store:
        kept = store.list_episodes()
        assert len(kept) == 25
        assert all(e.started_at.hour == 1 for e in kept)
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"

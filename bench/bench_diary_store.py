"""Diary store timings on SQLite (and PostgreSQL when reachable). A script, not a test.

    .venv/bin/python bench/bench_diary_store.py                 # 1k, 10k, 100k episodes
    .venv/bin/python bench/bench_diary_store.py --quick           # 1k and 10k only
    .venv/bin/python bench/bench_diary_store.py --sizes 1000 --no-pg
    .venv/bin/python bench/bench_diary_store.py --pg postgresql://postgres@127.0.0.1:5432/test

For each size: a bulk import in one transaction, 100 single adds (one transaction and commit
each), listing everything, listing the most recent 30 days, the newest 20, and the SQL summary.
PostgreSQL runs in a throw-away database `crampwise_bench_<random>`, dropped afterwards.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crampwise.diary.models import CONTEXTS, MUSCLES, SIDES, Episode
from crampwise.diary.store import open_store

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def synthetic(count: int, seed: int = 7) -> list[Episode]:
    rng = random.Random(seed)
    span = timedelta(days=max(30, count // 3)).total_seconds()  # about three a day
    return [
        Episode(
            started_at=NOW - timedelta(seconds=rng.uniform(0, span)),
            muscle=rng.choice(MUSCLES),
            side=rng.choice(SIDES),
            duration_seconds=round(rng.uniform(5, 600), 1),
            severity=rng.randint(0, 10),
            sleep_disturbance=rng.randint(0, 10),
            context=rng.choice(CONTEXTS),  # type: ignore[arg-type]
            helped=rng.sample(["stretching", "walking", "massage", "heat", "water"], rng.randint(0, 2)),
            notes="" if rng.random() < 0.7 else "synthetic note",
        )
        for _ in range(count)
    ]


def timed(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run(url: str, size: int) -> dict[str, float]:
    store = open_store(url)
    try:
        episodes = synthetic(size)
        results = {"import": timed(lambda: store.import_episodes(episodes, skip_duplicates=False))}
        singles = synthetic(100, seed=11)
        results["add (each)"] = timed(lambda: [store.add_episode(e) for e in singles]) / len(singles)
        results["list all"] = timed(lambda: store.list_episodes())
        results["list 30 days"] = timed(lambda: store.list_episodes(since=NOW - timedelta(days=30)))
        results["newest 20"] = timed(lambda: store.list_episodes(limit=20, newest_first=True))
        results["summary"] = timed(lambda: store.episode_summary())
        assert store.count_episodes() == size + len(singles)
        return results
    finally:
        store.close()


@contextmanager
def sqlite_url(directory: Path, size: int) -> Iterator[str]:
    yield f"sqlite:///{directory / f'bench-{size}.sqlite3'}"


@contextmanager
def pg_url(admin_url: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    conn = psycopg.connect(
        host=admin.host or "127.0.0.1",
        port=admin.port or 5432,
        user=admin.username or "postgres",
        password=admin.password,
        dbname=admin.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    )
    name = f"crampwise_bench_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.1f} s "


def report(backend: str, size: int, results: dict[str, float]) -> None:
    per_row = results["import"] / size * 1e6
    cells = "  ".join(f"{name} {fmt(value)}" for name, value in results.items())
    print(f"{backend:10} {size:>7,}  {cells}  ({per_row:.1f} µs/row imported)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test", help="admin URL")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--quick", action="store_true", help="1k and 10k episodes only")
    args = parser.parse_args()
    if args.quick:
        args.sizes = [size for size in args.sizes if size <= 10_000] or [1_000]
    with tempfile.TemporaryDirectory(prefix="crampwise-bench-") as tmp:
        for size in args.sizes:
            with sqlite_url(Path(tmp), size) as url:
                report("sqlite", size, run(url, size))
    if args.no_pg:
        return
    for size in args.sizes:
        try:
            with pg_url(args.pg) as url:
                report("postgresql", size, run(url, size))
        except Exception as exc:  # server down, no driver...
            print(f"postgresql skipped: {type(exc).__name__}: {str(exc).strip().splitlines()[0]}")
            return


if __name__ == "__main__":
    main()

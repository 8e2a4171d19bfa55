"""A child process for the concurrency and crash tests (run as a script, not collected).

python diary_worker.py write URL USER N         add N episodes, one transaction each
python diary_worker.py import URL N [CHUNK]     import N episodes in one transaction,
                                               printing "progress <n>" after each chunk
python diary_worker.py open URL                 open the store; print the imported modules
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

from crampwise.diary.models import Episode
from crampwise.diary.store import open_store


def main(argv: list[str]) -> int:
    mode, url = argv[0], argv[1]
    if mode == "open":
        store = open_store(url)
        store.count_episodes()
        print("alembic" if "alembic" in sys.modules else "no-alembic", flush=True)
        return 0
    store = open_store(url)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    if mode == "write":
        user, count = argv[2], int(argv[3])
        for i in range(count):
            store.add_episode(
                Episode(started_at=base + timedelta(minutes=i), severity=i % 11, notes=user), user_id=user
            )
        print("done", flush=True)
        return 0
    if mode == "import":
        count = int(argv[2])
        chunk = int(argv[3]) if len(argv) > 3 else 1000
        batch = [
            Episode(started_at=base + timedelta(seconds=i), severity=i % 11, notes="big")
            for i in range(count)
        ]

        def progress(n: int) -> None:
            print(f"progress {n}", flush=True)
            time.sleep(0.05)  # a slow disk: gives the test time to kill us mid-transaction

        result = store.import_episodes(batch, progress=progress, chunk_size=chunk)
        print(f"imported {result.episodes}", flush=True)
        return 0
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

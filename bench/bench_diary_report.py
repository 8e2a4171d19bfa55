"""Time the diary statistics and the clinician report at growing diary sizes.

    .venv/bin/python bench/bench_diary_report.py            # 1k, 10k, 100k episodes + two years nightly
    .venv/bin/python bench/bench_diary_report.py --no-pdf   # statistics and HTML only

Data are generated in memory (no database): episodes spread over two years with day context and
three medicine changes, so the size of the report stays the same and only the number of episodes
grows. The target: two years of nightly entries (730 episodes) report in under 2 seconds, and
time grows close to linearly with the number of episodes.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from crampwise.diary.models import DayContext, Episode, MedicineChange
from crampwise.diary.stats import evidence_for_assessment, summarise
from crampwise.report.clinician import render_report

TZ = ZoneInfo("Europe/London")
START = date(2024, 1, 1)
SPAN_DAYS = 730


def make_diary(
    n_episodes: int, span_days: int = SPAN_DAYS, nightly: bool = False, seed: int = 1
) -> tuple[list[Episode], list[DayContext], list[MedicineChange], datetime]:
    rnd = random.Random(seed)
    base = datetime(START.year, START.month, START.day, tzinfo=TZ)
    episodes: list[Episode] = []
    for i in range(n_episodes):
        if nightly:
            day, hour = i, rnd.choice([0, 1, 2, 3, 4, 5, 23])
        else:
            day, hour = rnd.randrange(span_days), rnd.choice([1, 2, 3, 3, 4, 5, 9, 14, 18, 22, 23])
        local = base + timedelta(days=day, hours=hour, minutes=rnd.randrange(60))
        episodes.append(
            Episode(
                started_at=local.astimezone(UTC),
                severity=rnd.randint(1, 10),
                duration_seconds=rnd.choice([20.0, 45.0, 90.0, 180.0, 300.0]),
                sleep_disturbance=rnd.randint(0, 10),
                context="asleep" if hour < 6 else "resting",
                muscle=rnd.choice(["calf", "calf", "foot", "thigh"]),
                notes="woke up" if rnd.random() < 0.05 else "",
            )
        )
    episodes.sort(key=lambda e: e.started_at)
    days = [
        DayContext(
            day=START + timedelta(days=i),
            exercise=rnd.random() < 0.3,
            alcohol_units=rnd.choice([0.0, 0.0, 2.0]),
            hot_weather=rnd.random() < 0.1,
            long_standing=rnd.random() < 0.2,
        )
        for i in range(span_days)
    ]
    changes = [
        MedicineChange(
            name="bendroflumethiazide", change="started", at=START + timedelta(days=span_days // 4)
        ),
        MedicineChange(name="atorvastatin", change="increased", at=START + timedelta(days=span_days // 2)),
        MedicineChange(name="omeprazole", change="stopped", at=START + timedelta(days=3 * span_days // 4)),
    ]
    now = base + timedelta(days=span_days) - timedelta(seconds=1)
    return episodes, days, changes, now.astimezone(UTC)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def count_pages(pdf: bytes) -> str:
    """Pages via poppler's pdfinfo when installed (WeasyPrint compresses its page objects)."""
    if shutil.which("pdfinfo") is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout
    return next((line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def progress_bar(step: str, done: float) -> None:
    width = 24
    filled = round(width * done)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:4.0%} {step:<24}")
    if done >= 1.0:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF timings")
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()

    # The first PDF pays WeasyPrint's import; measure it once, on its own.
    if not args.no_pdf:
        t0 = time.perf_counter()
        import weasyprint  # noqa: F401

        print(f"WeasyPrint import (once per process): {time.perf_counter() - t0:.2f} s")

    header = f"{'diary':<28}{'episodes':>9}{'stats':>9}{'HTML':>9}{'PDF':>9}{'pages':>7}{'stats µs/ep':>13}"
    print(header)
    print("-" * len(header))
    cases: list[tuple[str, int, bool]] = [
        (f"{int(n):,} over two years", int(n), False) for n in args.sizes.split(",")
    ]
    cases.append(("two years nightly", SPAN_DAYS, True))
    for label, n, nightly in cases:
        episodes, days, changes, now = make_diary(n, nightly=nightly)
        repeat = 3 if n <= 10_000 else 1
        t_stats, stats = best_of(repeat, lambda: summarise(episodes, days, changes, now=now, tz=TZ))  # noqa: B023
        evidence_for_assessment(stats)

        def report(fmt: str, progress: Any = None) -> bytes:
            return render_report(
                episodes,  # noqa: B023
                days,  # noqa: B023
                changes,  # noqa: B023
                [],
                assessment=None,
                questions=["Is this the water tablet?"],
                fmt=fmt,  # type: ignore[arg-type]
                now=now,  # noqa: B023
                tz=TZ,
                progress=progress,
            )

        t_html, _ = best_of(repeat, lambda: report("html"))
        t_pdf, pages = float("nan"), "-"
        if not args.no_pdf:
            if n >= 100_000:
                t0 = time.perf_counter()
                pdf = report("pdf", progress_bar)
                t_pdf = time.perf_counter() - t0
            else:
                t_pdf, pdf = best_of(repeat, lambda: report("pdf"))
            pages = count_pages(pdf)
        per_episode = t_stats / max(1, stats.episodes) * 1e6
        print(
            f"{label:<28}{stats.episodes:>9,}{t_stats:>8.3f}s{t_html:>8.3f}s{t_pdf:>8.3f}s{pages:>7}{per_episode:>12.1f}"
        )
    print(
        "\nstats = summarise() + evidence; HTML includes stats and charts; PDF includes HTML "
        "(WeasyPrint already imported). Best of 3 below 100k episodes, 1 run at 100k."
    )


if __name__ == "__main__":
    main()

"""A two-month diary with a diuretic start, day context, labs and an attached assessment."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crampwise.diary.models import DayContext, Episode, LabResult, MedicineChange

TZ = ZoneInfo("Europe/London")
START = date(2026, 3, 2)
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
XSS = "<script>alert('x')</script>"


@dataclass
class Diary:
    episodes: list[Episode]
    days: list[DayContext]
    medicine_changes: list[MedicineChange]
    labs: list[LabResult]
    assessment: dict[str, Any] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    now: datetime = NOW
    tz: ZoneInfo = TZ


def make_diary(n_days: int = 61, seed: int = 7) -> Diary:
    rnd = random.Random(seed)
    episodes: list[Episode] = []
    days: list[DayContext] = []
    for i in range(n_days):
        d = START + timedelta(days=i)
        rate = 0.3 if d < date(2026, 4, 1) else 0.9
        for _ in range(sum(1 for _ in range(4) if rnd.random() < rate / 4)):
            local = datetime(
                d.year, d.month, d.day, rnd.choice([1, 2, 3, 3, 4, 23, 14]), rnd.randrange(60), tzinfo=TZ
            )
            episodes.append(
                Episode(
                    started_at=local.astimezone(UTC),
                    muscle=rnd.choice(["calf", "calf", "foot"]),
                    side=rnd.choice(["left", "right"]),
                    duration_seconds=rnd.choice([30, 60, 120, 240]),
                    severity=rnd.randint(3, 8),
                    sleep_disturbance=rnd.randint(2, 8),
                    context="asleep",
                )
            )
        days.append(DayContext(day=d, exercise=rnd.random() < 0.35, alcohol_units=rnd.choice([0, 0, 2])))
    episodes[-2].notes = f"Woke at 3am {XSS} calf knot"
    episodes[-1].duration_seconds = 900
    changes = [
        MedicineChange(name="furosemide", change="started", at=date(2026, 4, 1), dose="40 mg daily"),
        MedicineChange(name="atorvastatin", change="increased", at=date(2026, 3, 20), dose="40 mg"),
    ]
    labs = [
        LabResult("potassium", 3.4, "mmol/L", date(2026, 4, 20)),
        LabResult("magnesium", 0.68, "mmol/L", date(2026, 4, 20)),
    ]
    assessment = {
        "triage": {"level": "consultation", "label": "Book a routine appointment"},
        "red_flags": [
            {
                "id": "new_drug_onset",
                "name": "Cramps began or worsened after starting a medicine",
                "level": "consultation",
                "advice": "Discuss with the prescriber",
                "sources": ["GARRISON2012"],
            }
        ],
        "medications": [
            {
                "generic": "furosemide",
                "mentioned": "furosemide",
                "drug_class": "loop_diuretic",
                "class_name": "Loop diuretic",
                "evidence": "weak",
                "detail": "Garrison 2012: ASR 1.20 (1.00-1.44)",
                "sources": ["GARRISON2012"],
            }
        ],
        "tests": [
            {"id": "magnesium", "name": "Magnesium", "reason": "on a diuretic", "sources": ["CKS2012"]}
        ],
        "plan": [
            {"id": "calf_stretch_routine", "name": "Bedtime calf stretches", "sources": ["HALLEGRAEFF2012"]}
        ],
    }
    questions = ["Could the water tablet be causing this?", f"Is magnesium safe? {XSS}"]
    return Diary(episodes, days, changes, labs, assessment, questions)


@pytest.fixture
def diary() -> Diary:
    return make_diary()


def make_nightly(n_days: int, seed: int = 3) -> Diary:
    """One cramp a night for ``n_days`` (two years = 730), with day context and two medicine changes."""
    rnd = random.Random(seed)
    episodes = []
    days = []
    for i in range(n_days):
        d = START + timedelta(days=i)
        local = datetime(
            d.year, d.month, d.day, rnd.choice([0, 1, 2, 3, 4, 5, 23]), rnd.randrange(60), tzinfo=TZ
        )
        episodes.append(
            Episode(
                started_at=local.astimezone(UTC),
                severity=rnd.randint(2, 9),
                duration_seconds=rnd.randint(20, 400),
            )
        )
        days.append(DayContext(day=d, exercise=rnd.random() < 0.3, alcohol_units=rnd.choice([0, 1, 3])))
    changes = [
        MedicineChange(name="bendroflumethiazide", change="started", at=START + timedelta(days=n_days // 3)),
        MedicineChange(name="omeprazole", change="stopped", at=START + timedelta(days=2 * n_days // 3)),
    ]
    now = episodes[-1].started_at + timedelta(hours=6)
    return Diary(episodes, days, changes, [], {}, [], now=now)


@pytest.fixture
def nightly() -> Any:
    return make_nightly

"""Hypothesis strategies for diary records (shared by the diary tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from crampwise.diary.models import (
    CONTEXTS,
    MEDICINE_CHANGES,
    MUSCLES,
    SIDES,
    DayContext,
    DiaryData,
    Episode,
    LabResult,
    MedicineChange,
)

ZONES = [
    UTC,
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/New_York"),
    timezone(timedelta(hours=5, minutes=30)),
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
SHORT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=15
)
times = st.datetimes(
    min_value=datetime(1950, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.sampled_from(ZONES)
)
utc_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)
days_ = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))
small_floats = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.none() | strategy


episodes = st.builds(
    Episode,
    started_at=times,
    muscle=st.sampled_from(MUSCLES),
    side=optional(st.sampled_from(SIDES)),
    duration_seconds=optional(st.floats(min_value=0, max_value=86400, allow_nan=False, allow_infinity=False)),
    severity=optional(st.integers(0, 10)),
    sleep_disturbance=optional(st.integers(0, 10)),
    context=optional(st.sampled_from(CONTEXTS)),
    helped=st.lists(SHORT, max_size=3),
    notes=TEXT,
    created_at=optional(utc_times),
)

day_contexts = st.builds(
    DayContext,
    day=days_,
    activity_minutes=optional(st.floats(0, 1440, allow_nan=False)),
    exercise=optional(st.booleans()),
    fluids_litres=optional(st.floats(0, 30, allow_nan=False)),
    alcohol_units=optional(small_floats.filter(lambda x: x <= 200)),
    caffeine_drinks=optional(st.floats(0, 100, allow_nan=False)),
    hot_weather=optional(st.booleans()),
    long_standing=optional(st.booleans()),
    notes=TEXT,
)

medicine_changes = st.builds(
    MedicineChange,
    name=SHORT.filter(lambda s: s.strip() != ""),
    change=st.sampled_from(MEDICINE_CHANGES),
    at=days_,
    dose=optional(SHORT.filter(lambda s: s.strip() != "")),
)

lab_results = st.builds(
    LabResult,
    analyte=SHORT.filter(lambda s: 0 < len(s.strip()) <= 64),
    value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    unit=SHORT,
    taken_on=days_,
)


@st.composite
def diaries(draw: st.DrawFn) -> DiaryData:
    days = draw(st.lists(day_contexts, max_size=4, unique_by=lambda d: d.day))
    return DiaryData(
        episodes=draw(st.lists(episodes, max_size=6)),
        days=days,
        medicine_changes=draw(st.lists(medicine_changes, max_size=3)),
        labs=draw(st.lists(lab_results, max_size=3)),
    )

"""Quick entry: `crampwise diary add calf left 3/10 2am 2min`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crampwise.diary.quick import (
    QuickParseError,
    local_zone,
    parse_day,
    parse_duration,
    parse_quick,
    parse_when,
)

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 22, 9, 15, tzinfo=TZ)  # a Sunday morning


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


CASES: list[tuple[str, dict[str, object]]] = [
    (
        "calf left 3/10 2am 2min",
        {"muscle": "calf", "side": "left", "severity": 3, "started_at": at(22, 2), "duration_seconds": 120.0},
    ),
    (
        "thigh both 7/10 yesterday 23:30 90s after exercise",
        {
            "muscle": "thigh",
            "side": "both",
            "severity": 7,
            "started_at": at(21, 23, 30),
            "duration_seconds": 90.0,
            "context": "after_exercise",
        },
    ),
    (
        "foot right 5/10 now 30s standing",
        {
            "muscle": "foot",
            "side": "right",
            "started_at": NOW,
            "context": "standing",
            "duration_seconds": 30.0,
        },
    ),
    ("calves", {"muscle": "calf", "side": None, "severity": None, "started_at": NOW}),
    ("11pm calf", {"started_at": at(21, 23)}),  # 11pm today is still ahead: last night
    ("9am calf", {"started_at": at(22, 9)}),
    ("2:30am l", {"started_at": at(22, 2, 30), "side": "left"}),
    ("2 am 2 min", {"started_at": at(22, 2), "duration_seconds": 120.0}),
    ("1.5m", {"duration_seconds": 90.0}),
    ("1h", {"duration_seconds": 3600.0}),
    ("sev 6 sleep 8/10", {"severity": 6, "sleep_disturbance": 8}),
    ("during exercise quads", {"context": "during_exercise", "muscle": "thigh"}),
    ("asleep", {"context": "asleep"}),
    ("travelling", {"context": "travelling"}),
    ("traveling", {"context": "travelling"}),
    ("2026-11-20 04:10", {"started_at": at(20, 4, 10)}),
    ("2026-11-20T04:10", {"started_at": at(20, 4, 10)}),
    ("2026-11-20T04:10+00:00", {"started_at": datetime.fromisoformat("2026-11-20T04:10+00:00")}),
    ("yesterday", {"started_at": at(21, 12)}),
    ("last night", {"started_at": at(22, 3), "context": "asleep"}),
    ("helped stretching,walking calf", {"helped": ["stretching", "walking"], "muscle": "calf"}),
    ("cramp in my left calf", {"muscle": "calf", "side": "left"}),
    ("hamstring R 10/10", {"muscle": "hamstring", "side": "right", "severity": 10}),
    ("toe 0/10", {"muscle": "toes", "severity": 0}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_quick_entries(text: str, expected: dict[str, object]) -> None:
    episode = parse_quick(text.split(), NOW, TZ)
    for name, value in expected.items():
        assert getattr(episode, name) == value, name


def test_notes_take_the_rest_verbatim() -> None:
    episode = parse_quick(
        ["thigh", "both", "7/10", "yesterday", "23:30", "90s", "after", "exercise", "note", "woke me"],
        NOW,
        TZ,
    )
    assert episode.notes == "woke me"
    assert episode.started_at == at(21, 23, 30)
    assert parse_quick(["calf", "note", "3/10", "is", "not", "parsed"], NOW, TZ).notes == "3/10 is not parsed"


ERRORS = [
    ("calf blorp", "don't understand 'blorp'"),
    ("12/10", "from 0 to 10"),
    ("sev", "needs a number"),
    ("sleep", "needs a score"),
    ("calf thigh", "two muscles"),
    ("13:75", "not a time of day"),
    ("2026-13-45", "not a date"),
    ("2026-11-30 2am", "in the future"),
    ("now yesterday", "not both"),
    ("helped", "needs what helped"),
]


@pytest.mark.parametrize(("text", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_quick_errors_are_clear(text: str, message: str) -> None:
    with pytest.raises(QuickParseError, match=message) as info:
        parse_quick(text.split(), NOW, TZ)
    assert "\n" not in str(info.value)
    assert "example: crampwise diary add" in str(info.value)


def test_helpers() -> None:
    assert parse_duration("90") == 90.0
    assert parse_duration("2min") == 120.0
    with pytest.raises(QuickParseError):
        parse_duration("soon")
    assert parse_when("2026-11-20 04:10", NOW, TZ) == at(20, 4, 10)
    assert parse_when("yesterday 23:30", NOW, TZ) == at(21, 23, 30)
    assert parse_day("7d", NOW, TZ).isoformat() == "2026-11-15"
    assert parse_day("2w", NOW, TZ).isoformat() == "2026-11-08"
    assert local_zone("Europe/Berlin") == TZ
    assert str(local_zone("utc")) == "UTC"
    with pytest.raises(Exception, match="unknown time zone"):
        local_zone("Mars/Olympus")
    assert local_zone() is not None


def test_dst_gap_and_fold_are_handled() -> None:
    # 2026-03-29 02:30 does not exist in Berlin; zoneinfo maps it consistently and we keep it aware.
    now = datetime(2026, 3, 29, 12, 0, tzinfo=TZ)
    episode = parse_quick(["2:30am"], now, TZ)
    assert episode.started_at.tzinfo is TZ

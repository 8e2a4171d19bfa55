"""Checks and normalisation shared by the store, the importers and the API.

Pure functions: no database, no framework. Each returns a cleaned copy or raises InvalidEntry.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from crampwise.diary.errors import InvalidEntry
from crampwise.diary.models import (
    CONTEXTS,
    MEDICINE_CHANGES,
    MUSCLES,
    SIDES,
    DayContext,
    Episode,
    LabResult,
    MedicineChange,
)

MAX_TEXT = 4000
MAX_DURATION_SECONDS = 24 * 3600.0


def aware_utc(value: datetime, what: str = "time") -> datetime:
    if not isinstance(value, datetime):
        raise InvalidEntry(f"{what} must be a date and time, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidEntry(f"{what} {value.isoformat()} has no time zone")
    return value.astimezone(UTC).replace(fold=0)


def _score(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEntry(f"{what} must be a whole number from 0 to 10, got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidEntry(f"{what} must be a whole number from 0 to 10, got {value!r}")
        value = int(value)
    if not 0 <= value <= 10:
        raise InvalidEntry(f"{what} must be from 0 to 10, got {value}")
    return int(value)


def _number(value: Any, what: str, *, low: float = 0.0, high: float | None = None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEntry(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidEntry(f"{what} must be a finite number, got {value!r}")
    if number < low:
        raise InvalidEntry(f"{what} cannot be below {low:g}, got {number:g}")
    if high is not None and number > high:
        raise InvalidEntry(f"{what} cannot be above {high:g}, got {number:g}")
    return number


def _text(value: Any, what: str, *, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidEntry(f"{what} must be text, got {value!r}")
    if "\x00" in value:
        raise InvalidEntry(f"{what} contains a NUL character")
    if len(value) > limit:
        raise InvalidEntry(f"{what} is longer than {limit} characters")
    return value


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> str | None:
    if value is None or value == "":
        return None
    if value in allowed:
        return str(value)
    cleaned = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned == "traveling":
        cleaned = "travelling"
    if cleaned not in allowed:
        raise InvalidEntry(f"{what} must be one of {', '.join(allowed)}; got {value!r}")
    return cleaned


def _bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidEntry(f"{what} must be true or false, got {value!r}")


def _day(value: Any, what: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidEntry(f"{what} must be a date (YYYY-MM-DD), got {value!r}")
    return value


def _user(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 64:
        raise InvalidEntry(f"user id must be 1 to 64 characters, got {value!r}")
    return value


def episode(ep: Episode, **overrides: Any) -> Episode:
    """A checked copy of `ep`, with its start time in UTC and enums in canonical spelling.

    `overrides` (user_id, id, created_at) are applied in the same copy; they are not checked
    except user_id.
    """
    if not isinstance(ep, Episode):
        raise InvalidEntry(f"expected an Episode, got {type(ep).__name__}")
    muscle = _choice(ep.muscle, MUSCLES, "muscle")
    if muscle is None:
        raise InvalidEntry("muscle is required")
    helped = ep.helped
    if not isinstance(helped, list | tuple) or not all(isinstance(h, str) for h in helped):
        raise InvalidEntry(f"what helped must be a list of text, got {helped!r}")
    for item in helped:
        _text(item, "what helped", limit=200)
    if len(helped) > 50:
        raise InvalidEntry("what helped lists more than 50 things")
    return replace(
        ep,
        started_at=aware_utc(ep.started_at, "start time"),
        muscle=muscle,
        side=_choice(ep.side, SIDES, "side"),  # type: ignore[arg-type]
        duration_seconds=_number(ep.duration_seconds, "duration (seconds)", high=MAX_DURATION_SECONDS),
        severity=_score(ep.severity, "severity"),
        sleep_disturbance=_score(ep.sleep_disturbance, "sleep disturbance"),
        context=_choice(ep.context, CONTEXTS, "context"),  # type: ignore[arg-type]
        helped=list(helped),
        notes=_text(ep.notes, "notes"),
        user_id=_user(overrides.pop("user_id", ep.user_id)),
        created_at=None if ep.created_at is None else aware_utc(ep.created_at, "created time"),
        **overrides,
    )


def day(d: DayContext) -> DayContext:
    if not isinstance(d, DayContext):
        raise InvalidEntry(f"expected a DayContext, got {type(d).__name__}")
    return replace(
        d,
        day=_day(d.day, "day"),
        activity_minutes=_number(d.activity_minutes, "activity (minutes)", high=24 * 60),
        exercise=_bool(d.exercise, "exercise"),
        fluids_litres=_number(d.fluids_litres, "fluids (litres)", high=30),
        alcohol_units=_number(d.alcohol_units, "alcohol (units)", high=200),
        caffeine_drinks=_number(d.caffeine_drinks, "caffeine (drinks)", high=100),
        hot_weather=_bool(d.hot_weather, "hot weather"),
        long_standing=_bool(d.long_standing, "long standing"),
        notes=_text(d.notes, "notes"),
        user_id=_user(d.user_id),
    )


def medicine_change(m: MedicineChange) -> MedicineChange:
    if not isinstance(m, MedicineChange):
        raise InvalidEntry(f"expected a MedicineChange, got {type(m).__name__}")
    name = _text(m.name, "medicine name", limit=200).strip()
    if not name:
        raise InvalidEntry("medicine name is required")
    change = _choice(m.change, MEDICINE_CHANGES, "medicine change")
    if change is None:
        raise InvalidEntry(f"medicine change must be one of {', '.join(MEDICINE_CHANGES)}")
    dose = None if m.dose is None else (_text(m.dose, "dose", limit=200).strip() or None)
    return replace(
        m,
        name=name,
        change=change,  # type: ignore[arg-type]
        at=_day(m.at, "date"),
        dose=dose,
        user_id=_user(m.user_id),
    )


def lab(result: LabResult) -> LabResult:
    if not isinstance(result, LabResult):
        raise InvalidEntry(f"expected a LabResult, got {type(result).__name__}")
    analyte = _text(result.analyte, "analyte", limit=64).strip()
    if not analyte:
        raise InvalidEntry("analyte is required")
    value = _number(result.value, "lab value", low=-1e12)
    if value is None:
        raise InvalidEntry("lab value is required")
    return replace(
        result,
        analyte=analyte,
        value=value,
        unit=_text(result.unit, "unit", limit=32).strip(),
        taken_on=_day(result.taken_on, "date taken"),
        user_id=_user(result.user_id),
    )

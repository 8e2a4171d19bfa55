"""Diary records shared by the store, the statistics and the reports.

Times are timezone-aware; the store keeps them in UTC and converts at the edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Context = Literal[
    "asleep", "resting", "during_exercise", "after_exercise", "standing", "sitting", "travelling"
]
Side = Literal["left", "right", "both"]


@dataclass
class Episode:
    started_at: datetime  # timezone-aware
    muscle: str = "calf"  # calf, foot, thigh, hamstring, shin, toes, hand, other
    side: Side | None = None
    duration_seconds: float | None = None
    severity: int | None = None  # 0-10
    sleep_disturbance: int | None = None  # 0-10
    context: Context | None = None
    helped: list[str] = field(default_factory=list)
    notes: str = ""
    id: int | None = None
    user_id: str = "local"
    created_at: datetime | None = None


@dataclass
class DayContext:
    day: date
    activity_minutes: float | None = None
    exercise: bool | None = None
    fluids_litres: float | None = None
    alcohol_units: float | None = None
    caffeine_drinks: float | None = None
    hot_weather: bool | None = None
    long_standing: bool | None = None
    notes: str = ""
    id: int | None = None
    user_id: str = "local"


@dataclass
class MedicineChange:
    name: str  # as the person typed it; resolved to a generic and class by the KB
    change: Literal["started", "stopped", "increased", "decreased"]
    at: date
    dose: str | None = None
    id: int | None = None
    user_id: str = "local"


@dataclass
class LabResult:
    analyte: str
    value: float
    unit: str
    taken_on: date
    id: int | None = None
    user_id: str = "local"


MUSCLES: tuple[str, ...] = ("calf", "foot", "thigh", "hamstring", "shin", "toes", "hand", "other")
SIDES: tuple[str, ...] = ("left", "right", "both")
CONTEXTS: tuple[str, ...] = (
    "asleep",
    "resting",
    "during_exercise",
    "after_exercise",
    "standing",
    "sitting",
    "travelling",
)
MEDICINE_CHANGES: tuple[str, ...] = ("started", "stopped", "increased", "decreased")


@dataclass
class DiaryData:
    """Everything one person has recorded: what export writes and import reads."""

    episodes: list[Episode] = field(default_factory=list)
    days: list[DayContext] = field(default_factory=list)
    medicine_changes: list[MedicineChange] = field(default_factory=list)
    labs: list[LabResult] = field(default_factory=list)

    def count(self) -> int:
        return len(self.episodes) + len(self.days) + len(self.medicine_changes) + len(self.labs)

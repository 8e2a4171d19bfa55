"""The data that flows through the pipeline: text -> Profile -> Assessment.

Plain frozen dataclasses, no framework: the engine, the KB validator and the HTTP layer share them.
"""

from crampwise.model.assessment import (
    Assessment,
    FactorResult,
    HeldBack,
    MedicationResult,
    PlanItem,
    Question,
    RedFlagResult,
    TestSuggestion,
    Triage,
)
from crampwise.model.profile import (
    TRIAGE_LEVELS,
    Finding,
    LabValue,
    MedicineUse,
    Profile,
    Status,
    urgency,
)

__all__ = [
    "TRIAGE_LEVELS",
    "Assessment",
    "FactorResult",
    "Finding",
    "HeldBack",
    "LabValue",
    "MedicationResult",
    "MedicineUse",
    "PlanItem",
    "Profile",
    "Question",
    "RedFlagResult",
    "Status",
    "TestSuggestion",
    "Triage",
    "urgency",
]

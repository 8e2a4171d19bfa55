"""The result of assessing a Profile. Field names follow shared/evaluation/CONTRACT.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from crampwise.model.profile import Profile


@dataclass(frozen=True)
class Triage:
    level: str
    label: str
    action: str
    because: tuple[str, ...] = ()  # plain-language reasons, each traceable to findings
    findings: tuple[str, ...] = ()  # finding ids that set the level
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedFlagResult:
    id: str
    name: str
    level: str
    because: tuple[str, ...]
    findings: tuple[str, ...]
    advice: str
    sources: tuple[str, ...]
    raised_by: tuple[str, ...] = ()  # context that made it more urgent (pregnancy, prior clot...)


@dataclass(frozen=True)
class FactorResult:
    id: str
    name: str
    kind: str  # "factor" or "mimic"
    score: float
    likelihood: str  # "likely", "possible", "less likely"
    because: tuple[str, ...]
    against: tuple[str, ...]
    explanation: str
    evidence: str  # grade A-D
    sources: tuple[str, ...]


@dataclass(frozen=True)
class MedicationResult:
    id: str
    generic: str
    mentioned: str
    drug_class: str
    class_name: str
    evidence: str  # strong / moderate / weak / none
    detail: str  # e.g. Garrison 2012 adjusted sequence ratio
    message: str
    safety: tuple[str, ...]
    timing: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TestSuggestion:
    id: str
    name: str
    reason: str
    because: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PlanItem:
    id: str
    name: str
    text: str
    evidence: str
    because: tuple[str, ...]
    sources: tuple[str, ...]
    caution: str | None = None


@dataclass(frozen=True)
class HeldBack:
    id: str
    name: str
    reason: str
    because: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    why: str
    kind: str  # "red_flag", "factor", "general"
    choices: tuple[str, ...] = ()
    finding: str | None = None


@dataclass
class Assessment:
    triage: Triage
    red_flags: list[RedFlagResult]
    factors: list[FactorResult]
    medications: list[MedicationResult]
    tests: list[TestSuggestion]
    plan: list[PlanItem]
    held_back: list[HeldBack]
    questions: list[Question]
    profile: Profile
    understood: list[str] = field(default_factory=list)  # "You said: ..." lines
    labs: list[dict[str, Any]] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)
    general: bool = False  # no personal details: the general answer
    disclaimer: str = ""
    sources: dict[str, str] = field(default_factory=dict)  # key -> formatted reference
    kb_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["profile"] = profile_to_dict(self.profile)
        return out


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The understood profile, grouped so a person can check and correct it."""
    return {
        "age": profile.age,
        "sex": profile.sex,
        "pregnant": profile.pregnant,
        "pregnancy_weeks": profile.pregnancy_weeks,
        "subject": profile.subject,
        "findings": [
            {"id": f.id, "status": f.status, "evidence": f.evidence, "start": f.start, "end": f.end}
            for f in sorted(profile.findings.values(), key=lambda f: (f.start is None, f.start or 0, f.id))
        ],
        "medicines": [asdict(m) for m in profile.medicines],
        "labs": [asdict(lab) for lab in profile.labs],
        "measures": dict(profile.measures),
        "evidence": dict(profile.evidence),
        "notes": list(profile.notes),
    }

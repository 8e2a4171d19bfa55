"""The result of assessing a Profile. Field names follow shared/evaluation/CONTRACT.md."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, is_dataclass
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
    likelihood: str  # "likely", "possible", "less likely"; "common" in the general answer
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
        out = {name: plain(getattr(self, name)) for name in field_names(Assessment) if name != "profile"}
        out["profile"] = profile_to_dict(self.profile)
        return {name: out[name] for name in field_names(Assessment)}  # asdict's key order


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in declaration order (cached: `fields()` is slow)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def plain(value: Any) -> Any:
    """The same value as `dataclasses.asdict` gives (tuples stay tuples), without deep-copying immutable
    leaves: asdict's deepcopy of every string made `to_dict` cost more than the assessment itself."""
    cls = value.__class__
    if cls is str or cls is float or cls is int or cls is bool or value is None:
        return value
    if cls is list:
        return [plain(v) for v in value]
    if cls is tuple:
        return tuple(plain(v) for v in value)
    if cls is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in field_names(cls)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple, as asdict treats it
        return cls(*[plain(v) for v in value])
    if isinstance(value, list | tuple):
        return cls(plain(v) for v in value)
    if isinstance(value, dict):
        return cls((plain(k), plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


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
        "medicines": [plain(m) for m in profile.medicines],
        "labs": [plain(lab) for lab in profile.labs],
        "measures": dict(profile.measures),
        "evidence": dict(profile.evidence),
        "notes": list(profile.notes),
    }

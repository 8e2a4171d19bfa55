"""What Crampwise knows about one person.

Everything clinical is a *finding* with a status, keyed by an id defined in the knowledge base
(`kb/data/findings.yaml`): conditions, symptoms, the cramp pattern, lifestyle and context alike.
One representation keeps the rule language small and makes every conclusion traceable to the words
it came from. Numbers that rules compare (duration, frequency, temperature...) live in `measures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["present", "absent", "uncertain"]
Sex = Literal["female", "male"]
Subject = Literal["self", "child", "parent", "partner", "other"]

# Most urgent first, as in the evaluation vocabulary.
TRIAGE_LEVELS: tuple[str, ...] = (
    "emergency_ambulance",
    "emergency",
    "consultation_24",
    "consultation",
    "self_care",
)


def urgency(level: str) -> int:
    """0 is the most urgent level; a larger number is less urgent."""
    return TRIAGE_LEVELS.index(level)


@dataclass(frozen=True)
class Finding:
    """One fact about the person, with the words that said it."""

    id: str
    status: Status = "present"
    evidence: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class MedicineUse:
    """A medicine the person takes (or took), recognised from what they typed or entered."""

    id: str  # generic name id from kb/data/medicines.yaml, e.g. "furosemide"
    drug_class: str  # vocabulary drug class id, e.g. "loop_diuretic"
    mentioned: str = ""  # the words as typed, e.g. "Lasix" or "furosemid"
    status: Literal["current", "stopped"] = "current"
    change: Literal["started", "increased", "decreased", "stopped", "restarted"] | None = None
    days_since_change: float | None = None  # how long ago it was started or the dose changed
    dose: str | None = None
    match: Literal["exact", "fuzzy", "structured"] = "exact"


@dataclass(frozen=True)
class LabValue:
    """A laboratory result as given, plus its interpretation when the labs stage has run."""

    analyte: str  # e.g. "potassium", "egfr", "hba1c"
    value: float
    unit: str = ""
    evidence: str = ""
    value_si: float | None = None
    si_unit: str | None = None
    status: str | None = None  # low, normal, high, critical_low, critical_high, implausible
    range_low: float | None = None
    range_high: float | None = None
    range_source: str | None = None  # citation key or "your laboratory"
    derived_from: tuple[str, ...] = ()  # inputs of a derived value (eGFR, corrected calcium)
    message: str | None = None
    # The text dates it before a newer result, or inside an old letter ("K 2.9 on admission" in a 2021
    # discharge summary): shown to the person, never used by the rules (which read the current state).
    earlier: bool = False


@dataclass
class Profile:
    """Everything understood about one person; every part optional."""

    age: float | None = None
    sex: Sex | None = None
    pregnant: bool | None = None
    pregnancy_weeks: float | None = None
    subject: Subject = "self"
    findings: dict[str, Finding] = field(default_factory=dict)
    medicines: list[MedicineUse] = field(default_factory=list)
    labs: list[LabValue] = field(default_factory=list)
    measures: dict[str, float] = field(default_factory=dict)
    text: str = ""
    notes: list[str] = field(default_factory=list)  # what could not be understood, said plainly
    evidence: dict[str, str] = field(default_factory=dict)  # words behind age, sex, pregnancy...

    def status(self, finding_id: str) -> Status | None:
        found = self.findings.get(finding_id)
        return found.status if found else None

    def has(self, finding_id: str) -> bool:
        return self.status(finding_id) == "present"

    def add(self, finding: Finding) -> None:
        """Record a finding. A definite statement wins over an uncertain one; between two definite ones the
        later in the text wins ("his wee went dark last year ... no dark urine now"); a statement with no
        position (derived or structured) never overrides one the person made."""
        old = self.findings.get(finding.id)
        if old is None:
            self.findings[finding.id] = finding
            return
        # A phrase inside a longer one for the same finding ("get my breath" in "couldn't get my breath")
        # says less than it: the longer reading stands.
        if (finding.start is not None and old.start is not None and finding.end is not None and old.end is not None
                and old.start <= finding.start and finding.end <= old.end and (old.start, old.end) != (finding.start, finding.end)):
            return
        if (finding.start is not None and old.start is not None and finding.end is not None and old.end is not None
                and finding.start <= old.start and old.end <= finding.end and (old.start, old.end) != (finding.start, finding.end)):
            self.findings[finding.id] = finding
            return
        if old.status == "uncertain" or finding.status == "uncertain":
            if _rank(finding.status) > _rank(old.status):
                self.findings[finding.id] = finding
            return
        if (finding.start is not None and old.start is not None and finding.start > old.start) or (old.start is None and finding.start is None and _rank(finding.status) > _rank(old.status)):
            self.findings[finding.id] = finding

    def lab(self, analyte: str) -> LabValue | None:
        for value in self.labs:
            if value.analyte == analyte and value.status != "implausible" and not value.earlier:
                return value
        return None


def _rank(status: Status) -> int:
    return {"uncertain": 0, "absent": 1, "present": 2}[status]

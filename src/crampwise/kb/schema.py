"""Schemas for the authored YAML (pydantic; used at build and test time only, never at run time)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"]
Grade = Literal["A", "B", "C", "D", "X"]
RuleSpec = str | list[str] | dict[str, Any]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class FindingSpec(Strict):
    cat: Literal["pattern", "symptom", "sign", "condition", "history", "lifestyle", "context", "lab", "medicine",
                 "question"]
    label: str = Field(min_length=3)


class TriggerSpec(Strict):
    when: RuleSpec
    level: Level | None = None
    reason: str = ""
    sources: list[str] = []  # when the rule has sources of its own (else its factor's or flag's)


class RedFlagSpec(Strict):
    name: str
    level: Level
    advice: str
    why: str
    evidence: Grade = "D"
    sources: list[str] = Field(min_length=1)
    triggers: list[TriggerSpec] = Field(min_length=1)
    escalate: list[TriggerSpec] = []
    verified: bool = True


class WeightedSpec(Strict):
    when: RuleSpec
    weight: float | int = 1
    say: str = ""


class FactorSpec(Strict):
    name: str
    kind: Literal["factor", "mimic"] = "factor"
    explanation: str = Field(min_length=20)
    evidence: Grade
    sources: list[str] = Field(min_length=1)
    prior: float | int = 0
    gate: RuleSpec | None = None
    support: list[WeightedSpec] = []
    against: list[WeightedSpec] = []
    floor: list[TriggerSpec] = []


class ContraSpec(Strict):
    when: RuleSpec
    reason: str
    sources: list[str] = Field(min_length=1)


class AdviceSpec(Strict):
    name: str
    text: str
    evidence: Grade
    sources: list[str] = Field(min_length=1)
    never: bool = False
    offer: list[WeightedSpec] = []
    contraindications: list[ContraSpec] = []
    cautions: list[ContraSpec] = []


class TestSpec(Strict):
    name: str
    why: str
    sources: list[str] = Field(min_length=1)
    when: list[WeightedSpec] = Field(min_length=1)
    known_if: list[str] = []


class QuestionSpec(Strict):
    text: str
    why: str
    kind: Literal["red_flag", "factor", "general"] = "general"
    finding: str | None = None
    choices: list[str] = []
    ask_when: RuleSpec | None = None
    skip_if_known: list[str] = []
    priority: float | int = 1
    answers: dict[str, Any] = {}

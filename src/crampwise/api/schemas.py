"""HTTP shapes. Request models are strict (`"age": false` is an error, not 0) and forbid unknown
fields; response models describe exactly what the routes return so the OpenAPI document is a
contract (checked by schemathesis in tests/api/test_schemathesis.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

from crampwise.model import (
    FactorResult,
    HeldBack,
    MedicationResult,
    PlanItem,
    Question,
    RedFlagResult,
    TestSuggestion,
    Triage,
)

MAX_TEXT = 5000

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
# Something to read: at least one character that is not a space.
SomeText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT, pattern=r"\S")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


def _datetime_from_string(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date and time as an ISO 8601 string, e.g. 2026-01-31T03:00:00+01:00")
    return value


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _integral(value: Any) -> Any:
    # JSON Schema's "integer" includes 10.0; booleans and strings are not numbers here.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("expected a whole number")
        return int(value)
    return value


def _reject_null(value: Any) -> Any:
    if value is None:
        raise ValueError("leave the field out instead of sending null")
    return value


# JSON carries date-times as strings; strict mode would refuse them, so this field alone is lax
# about strings and refuses everything else. A time without an offset is taken as UTC.
def _plausible_year(value: datetime) -> datetime:
    if not 1900 <= value.year <= 2099:
        raise ValueError("the date must be between the years 1900 and 2099")
    return value


DateTimeIn = Annotated[
    datetime,
    BeforeValidator(_datetime_from_string),
    Strict(False),
    AfterValidator(_plausible_year),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": "^(19|20)[0-9]{2}-"}),
]


class StrictModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# --- assess -------------------------------------------------------------------------------------

FindingStatus = Literal["present", "absent", "uncertain"]


class LabIn(StrictModel):
    analyte: Id
    value: float = Field(allow_inf_nan=False, ge=-1e6, le=1e6)
    unit: Annotated[str, StringConstraints(max_length=32)] = ""


class MedicineIn(StrictModel):
    name: ShortText
    change: Literal["started", "increased", "decreased", "stopped", "restarted"] | None = None
    days_since_change: float | None = Field(default=None, ge=0, le=36500, allow_inf_nan=False)
    dose: Annotated[str, StringConstraints(max_length=100)] | None = None


class ProfileIn(StrictModel):
    """A structured profile. Finding ids and medicine names are listed in the OpenAPI document."""

    age: float | None = Field(default=None, gt=0, le=120, allow_inf_nan=False)
    sex: Literal["female", "male"] | None = None
    pregnant: bool | None = None
    pregnancy_weeks: float | None = Field(default=None, gt=0, le=45, allow_inf_nan=False)
    subject: Literal["self", "child", "parent", "partner", "other"] | None = None
    medicines: list[ShortText | MedicineIn] = Field(default_factory=list, max_length=50)
    findings: dict[Id, FindingStatus] = Field(default_factory=dict, max_length=300)
    conditions: list[Id] = Field(default_factory=list, max_length=100)
    symptoms: list[Id] = Field(default_factory=list, max_length=100)
    measures: dict[Id, Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]] = Field(
        default_factory=dict, max_length=50
    )
    labs: list[LabIn] = Field(default_factory=list, max_length=50)
    text: SomeText | None = None


class AssessRequest(StrictModel):
    """Either `text` (what the person wrote) or `profile` (structured), not both."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        json_schema_extra={"oneOf": [{"required": ["text"]}, {"required": ["profile"]}]},
    )

    text: SomeText | SkipJsonSchema[None] = Field(
        default=None, examples=["I'm 67, on Lasix, calves cramp at 3am, no swelling"]
    )
    profile: ProfileIn | SkipJsonSchema[None] = None

    _not_null = field_validator("text", "profile", mode="before")(_reject_null)


class InterviewRequest(StrictModel):
    """The description and the answers so far (question id -> answer); at least one of them."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": ["text"]},
                {"required": ["answers"], "properties": {"answers": {"minProperties": 1}}},
            ]
        },
    )

    text: SomeText | SkipJsonSchema[None] = None
    answers: dict[Id, Annotated[str, StringConstraints(max_length=500)]] = Field(
        default_factory=dict, max_length=100
    )

    _not_null = field_validator("text", mode="before")(_reject_null)


class LabsRequest(StrictModel):
    """Lab results as typed (`text`, any units) and/or as values; age and sex refine eGFR."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["values"]}]},
    )

    text: SomeText | SkipJsonSchema[None] = None
    values: list[LabIn] = Field(default_factory=list, min_length=1, max_length=50)

    _not_null = field_validator("text", mode="before")(_reject_null)
    age: float | None = Field(default=None, ge=0, le=120, allow_inf_nan=False)
    sex: Literal["female", "male"] | None = None


# --- assess responses (the core's dataclasses, as in CONTRACT.md) --------------------------------


class FindingOut(BaseModel):
    id: str
    status: str
    evidence: str
    start: int | None
    end: int | None


class MedicineOut(BaseModel):
    id: str
    drug_class: str
    mentioned: str
    status: str
    change: str | None
    days_since_change: float | None
    dose: str | None
    match: str


class LabValueOut(BaseModel):
    analyte: str
    value: float
    unit: str
    evidence: str
    value_si: float | None
    si_unit: str | None
    status: str | None
    range_low: float | None
    range_high: float | None
    range_source: str | None
    derived_from: list[str]
    message: str | None
    earlier: bool = Field(False, description="an older result the text dates before a newer one; not used by the rules")


class ProfileOut(BaseModel):
    age: float | None
    sex: str | None
    pregnant: bool | None
    pregnancy_weeks: float | None
    subject: str
    findings: list[FindingOut]
    medicines: list[MedicineOut]
    labs: list[LabValueOut]
    measures: dict[str, float]
    evidence: dict[str, str]
    notes: list[str]


class AssessmentOut(BaseModel):
    triage: Triage
    red_flags: list[RedFlagResult]
    factors: list[FactorResult]
    medications: list[MedicationResult]
    tests: list[TestSuggestion]
    plan: list[PlanItem]
    held_back: list[HeldBack]
    questions: list[Question]
    profile: ProfileOut
    understood: list[str]
    labs: list[dict[str, Any]]
    derived: list[dict[str, Any]]
    general: bool
    disclaimer: str
    sources: dict[str, str]
    kb_version: str


class InterviewOut(BaseModel):
    question: Question | None = Field(
        description="The next question (with `why` it is asked), or null when done"
    )
    assessment: AssessmentOut
    done: bool
    understood: list[str]
    reason: str = Field(description="Why this question is asked, or why the interview stopped")
    notes: list[str] = Field(description="Answers that could not be used, said plainly")


class LabsOut(BaseModel):
    labs: list[LabValueOut]
    derived: list[LabValueOut]
    notes: list[str]


# --- explain ------------------------------------------------------------------------------------


class TopicSummary(BaseModel):
    slug: str
    title: str
    summary: str


class PointOut(BaseModel):
    text: str
    sources: list[str]


class SectionOut(BaseModel):
    heading: str
    points: list[PointOut]


class TopicOut(BaseModel):
    slug: str
    title: str
    summary: str
    sections: list[SectionOut]
    references: dict[str, str]


# --- accounts -----------------------------------------------------------------------------------


class AccountOut(BaseModel):
    user_id: str
    token: str = Field(description="Shown once; only its hash is stored.")


class TokenOut(BaseModel):
    token: str = Field(description="Shown once; only its hash is stored.")


class MeOut(BaseModel):
    user_id: str
    multi_user: bool


class HealthOut(BaseModel):
    status: Literal["ok"]


# --- diary --------------------------------------------------------------------------------------

Muscle = Literal["calf", "foot", "thigh", "hamstring", "shin", "toes", "hand", "other"]
Side = Literal["left", "right", "both"]
Context = Literal[
    "asleep", "resting", "during_exercise", "after_exercise", "standing", "sitting", "travelling"
]
Score = Annotated[int, Field(ge=0, le=10), Strict(False), BeforeValidator(_integral)]
Seconds = Annotated[float, Field(ge=0, le=86400, allow_inf_nan=False)]
NO_NUL = r"^[^\x00]*$"  # the diary stores text, and a NUL character is not text
Notes = Annotated[str, StringConstraints(max_length=2000, pattern=NO_NUL)]
Helped = list[Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NO_NUL)]]


class EpisodeIn(StrictModel):
    started_at: DateTimeIn
    muscle: Muscle = "calf"
    side: Side | None = None
    duration_seconds: Seconds | None = None
    severity: Score | None = None
    sleep_disturbance: Score | None = None
    context: Context | None = None
    helped: Helped = Field(default_factory=list, max_length=20)
    notes: Notes = ""


class EpisodePatch(StrictModel):
    started_at: DateTimeIn | None = None
    muscle: Muscle | None = None
    side: Side | None = None
    duration_seconds: Seconds | None = None
    severity: Score | None = None
    sleep_disturbance: Score | None = None
    context: Context | None = None
    helped: Helped | None = Field(default=None, max_length=20)
    notes: Notes | None = None


class EpisodeOut(BaseModel):
    id: int
    started_at: datetime
    muscle: str
    side: str | None
    duration_seconds: float | None
    severity: int | None
    sleep_disturbance: int | None
    context: str | None
    helped: list[str]
    notes: str
    created_at: datetime | None


class EpisodeList(BaseModel):
    episodes: list[EpisodeOut]
    count: int


def as_utc(value: datetime) -> datetime:
    return _utc(value)

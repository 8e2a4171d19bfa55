"""FHIR R4 export: valid Bundles (checked with fhir.resources), shaped after the Symptoms IG."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from diary_strategies import diaries
from hypothesis import given, settings

from crampwise.diary import validate
from crampwise.diary.models import DiaryData, Episode, LabResult, MedicineChange
from crampwise.report.fhir import SYMPTOM_PROFILE, read_bundle, read_bundle_text, to_bundle

pytest.importorskip("fhir.resources", reason="FHIR validation needs crampwise[fhir]")
# fhir.resources 8 ships R5 at the top level and R4B (the R4 technical correction) as a subpackage;
# Bundle, Observation and MedicationStatement are the same in R4 and R4B.
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation

SAMPLE = DiaryData(
    episodes=[
        Episode(
            started_at=datetime(2026, 11, 21, 1, 0, tzinfo=UTC),
            muscle="calf",
            side="left",
            duration_seconds=120,
            severity=7,
            sleep_disturbance=6,
            context="asleep",
            helped=["stretching", "walking"],
            notes="woke me",
            id=1,
            created_at=datetime(2026, 11, 21, 7, 0, tzinfo=UTC),
        ),
        Episode(started_at=datetime(2026, 11, 22, 18, 30, tzinfo=UTC), muscle="hamstring", id=2),
    ],
    medicine_changes=[
        MedicineChange("furosemide", "started", date(2026, 10, 1), "40 mg daily"),
        MedicineChange("furosemide", "increased", date(2026, 10, 20), "80 mg daily"),
        MedicineChange("atorvastatin", "stopped", date(2026, 11, 1)),
    ],
    labs=[LabResult("potassium", 3.3, "mmol/L", date(2026, 11, 2))],
)


def test_bundle_validates_with_fhir_resources() -> None:
    doc = to_bundle(SAMPLE)
    bundle = Bundle.model_validate(doc)
    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds == [
        "Patient",
        "Observation",
        "Observation",
        "MedicationStatement",
        "MedicationStatement",
        "MedicationStatement",
        "Observation",
    ]
    # every resource also validates on its own (the Bundle validator is lenient about nesting)
    for entry in doc["entry"][1:]:
        cls = (
            MedicationStatement if entry["resource"]["resourceType"] == "MedicationStatement" else Observation
        )
        cls.model_validate(entry["resource"])
    json.dumps(doc)  # plain JSON


def test_episode_observation_follows_the_symptom_profile() -> None:
    obs = to_bundle(SAMPLE)["entry"][1]["resource"]
    assert obs["meta"]["profile"] == [SYMPTOM_PROFILE]
    assert obs["status"] == "final"
    assert obs["category"][0]["coding"][0]["code"] == "symptom"
    assert obs["code"]["coding"][0] == {"system": "http://loinc.org", "code": "75325-1", "display": "Symptom"}
    assert obs["valueCodeableConcept"]["coding"][0]["code"] == "55300003"  # SNOMED CT: cramp
    assert obs["subject"] == obs["performer"][0]
    assert obs["effectivePeriod"] == {"start": "2026-11-21T01:00:00Z", "end": "2026-11-21T01:02:00Z"}
    assert obs["bodySite"]["text"] == "calf, left"
    codes = [c["code"]["coding"][0]["code"] for c in obs["component"]]
    assert codes == [
        "64750-3",
        "72514-3",
        "100753-3",
        "100753-3",
        "OTHEREVENT",
        "duration",
        "sleep-disturbance",
    ]
    severity = obs["component"][0]["valueCodeableConcept"]
    assert severity["coding"][0]["display"] == "Severe"
    assert severity["text"] == "7/10"
    assert obs["note"] == [{"text": "woke me"}]


def test_bundle_reads_back_into_the_diary() -> None:
    result = read_bundle(to_bundle(SAMPLE))
    assert result.problems == []
    assert [replace(e, id=None) for e in result.data.episodes] == [
        replace(validate.episode(e), id=None) for e in SAMPLE.episodes
    ]
    assert [(m.name, m.change, m.at, m.dose) for m in result.data.medicine_changes] == [
        (m.name, m.change, m.at, m.dose) for m in SAMPLE.medicine_changes
    ]
    assert [(r.analyte, r.value, r.unit, r.taken_on) for r in result.data.labs] == [
        ("potassium", 3.3, "mmol/L", date(2026, 11, 2))
    ]


@settings(max_examples=30, deadline=None)
@given(diaries())
def test_generated_diaries_export_valid_bundles(data: DiaryData) -> None:
    doc = to_bundle(data)
    Bundle.model_validate(doc)
    for entry in doc["entry"][1:]:
        cls = (
            MedicationStatement if entry["resource"]["resourceType"] == "MedicationStatement" else Observation
        )
        cls.model_validate(entry["resource"])
    back = read_bundle(doc)
    assert back.problems == []
    assert len(back.data.episodes) == len(data.episodes)
    for original, read in zip(data.episodes, back.data.episodes, strict=True):
        assert read.started_at == original.started_at.astimezone(UTC)  # (PEP 495: compare in UTC)
        assert (read.muscle, read.side, read.severity, read.context) == (
            original.muscle,
            original.side,
            original.severity,
            original.context,
        )


def test_bad_bundles_are_reported_by_entry() -> None:
    doc = to_bundle(SAMPLE)
    del doc["entry"][1]["resource"]["effectivePeriod"]
    result = read_bundle(doc)
    assert [p.record for p in result.problems] == [2]
    assert "entry 2 (Observation)" in str(result.problems[0])
    assert "not a FHIR Bundle" in str(read_bundle({"resourceType": "Patient"}).problems[0])
    assert read_bundle_text("{nope").problems[0].line == 1


def test_durations_come_from_the_period_when_not_given_otherwise() -> None:
    doc = to_bundle(
        DiaryData(episodes=[Episode(started_at=datetime(2026, 1, 1, tzinfo=UTC), duration_seconds=30)])
    )
    obs = doc["entry"][1]["resource"]
    obs["component"] = [c for c in obs["component"] if c["code"]["coding"][0]["code"] != "duration"]
    (ep,) = read_bundle(doc).data.episodes
    assert ep.duration_seconds == 30.0
    assert ep.started_at + timedelta(seconds=30) == datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC)

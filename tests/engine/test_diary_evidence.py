"""The diary feeds the assessment: logged medicines, latest labs and settled patterns become evidence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from crampwise.diary.models import DiaryData, Episode, LabResult, MedicineChange
from crampwise.diary.stats import evidence_for_assessment, summarise
from crampwise.pipeline import assess_diary, profile_from_diary

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _diary() -> DiaryData:
    """2 cramps a week for 6 weeks, then 6 a week for 6 weeks after a diuretic started."""
    start = NOW - timedelta(weeks=12)
    episodes = []
    for week in range(12):
        per_week = 2 if week < 6 else 6
        for n in range(per_week):
            episodes.append(Episode(started_at=start + timedelta(weeks=week, days=n, hours=3), severity=5))
    changes = [MedicineChange(name="Lasix", change="started", at=(start + timedelta(weeks=6)).date())]
    labs = [LabResult(analyte="potassium", value=3.1, unit="mmol/L", taken_on=date(2026, 2, 20))]
    return DiaryData(episodes=episodes, medicine_changes=changes, labs=labs)


def test_diary_medicine_rise_becomes_a_medicine_factor() -> None:
    """Cramps that rose after a diuretic started make the medicine a factor, with the numbers."""
    data = _diary()
    evidence = evidence_for_assessment(summarise(data.episodes, (), data.medicine_changes, now=NOW))
    assessment = assess_diary(data, evidence, today=NOW.date())

    assert "medication" in [f.id for f in assessment.factors][:3]
    assert [m.drug_class for m in assessment.medications] == ["loop_diuretic"]
    assert "new_drug_onset" in {r.id for r in assessment.red_flags}


def test_diary_labs_use_the_latest_result() -> None:
    """The latest potassium from the diary is interpreted and drives the electrolyte factor."""
    data = _diary()
    profile = profile_from_diary(data, [], today=NOW.date())

    assert profile.lab("potassium") is not None
    assert profile.lab("potassium").status == "low"  # type: ignore[union-attr]


def test_unknown_diary_medicine_is_reported_not_guessed() -> None:
    """A diary medicine the KB does not know is named in the notes, never turned into another drug."""
    data = DiaryData(medicine_changes=[MedicineChange(name="zzqx", change="started", at=date(2026, 1, 1))])
    profile = profile_from_diary(data, [], today=NOW.date())

    assert profile.medicines == []
    assert any("zzqx" in note for note in profile.notes)

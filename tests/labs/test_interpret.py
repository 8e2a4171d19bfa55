"""Interpretation: SI values, status, ranges and their sources, typos and unit mistakes."""

from __future__ import annotations

import pytest

from crampwise.labs import LAB_RANGE_SOURCE, LabMention, LabReport, interpret, parse_labs
from crampwise.model import LabValue


def _read(text: str, **person: object) -> LabReport:
    return interpret(parse_labs(text), **person)  # type: ignore[arg-type]


def _value(text: str, **person: object) -> LabValue:
    report = _read(text, **person)
    assert len(report.values) == 1, report.values
    return report.values[0]


@pytest.mark.parametrize(
    ("text", "status", "value_si", "si_unit"),
    [
        ("potassium 3.1", "low", 3.1, "mmol/L"),
        ("potassium 4.2 mmol/L", "normal", 4.2, "mmol/L"),
        ("potassium 5.6", "high", 5.6, "mmol/L"),
        ("potassium 6.5", "critical_high", 6.5, "mmol/L"),
        ("potassium 2.3", "critical_low", 2.3, "mmol/L"),
        ("potassium 1.1 mmol/L", "critical_low", 1.1, "mmol/L"),
        ("sodium 124", "critical_low", 124, "mmol/L"),
        ("sodium 131", "low", 131, "mmol/L"),
        ("magnesium 0.41 mmol/L", "critical_low", 0.41, "mmol/L"),
        ("magnesium 0.62", "low", 0.62, "mmol/L"),
        ("calcium 1.89 mmol/L", "critical_low", 1.89, "mmol/L"),
        ("calcium 8.9", "normal", 2.2206, "mmol/L"),
        ("calcium 2.1", "low", 2.1, "mmol/L"),
        ("calcium 5.1 mg/dL", "critical_low", 1.2725, "mmol/L"),
        ("creatinine 120", "high", 120, "µmol/L"),
        ("creatinine 1.4", "high", 123.76, "µmol/L"),
        ("glucose 6", "normal", 6, "mmol/L"),
        ("glucose 110", "high", 6.105, "mmol/L"),
        ("glucose 3.1", "low", 3.1, "mmol/L"),
        ("HbA1c 7.1", "high", 54.05, "mmol/mol"),
        ("HbA1c 53", "high", 53, "mmol/mol"),
        ("HbA1c 38 mmol/mol", "normal", 38, "mmol/mol"),
        ("HbA1c 5.4%", "normal", 35.52, "mmol/mol"),
        ("vitamin D 12 ng/mL", "low", 29.95, "nmol/L"),
        ("vitamin D 75 nmol/L", "normal", 75, "nmol/L"),
        ("TSH 7.8", "high", 7.8, "mU/L"),
        ("free T4 9 pmol/L", "low", 9, "pmol/L"),
        ("PTH 95 pg/mL", "high", 10.07, "pmol/L"),
        ("albumin 3.0 g/dL", "low", 30, "g/L"),
        ("phosphate 2.5 mg/dL", "normal", 0.8073, "mmol/L"),
        ("BUN 32 mg/dL", "high", 11.424, "mmol/L"),
        ("eGFR 75", "normal", 75, "mL/min/1.73m²"),
        ("eGFR 95", "normal", 95, "mL/min/1.73m²"),
        ("eGFR 59", "low", 59, "mL/min/1.73m²"),
        ("CK 131,900 U/L", "critical_high", 131900, "U/L"),
    ],
)
def test_status_and_si_value(text: str, status: str, value_si: float, si_unit: str) -> None:
    """Each value is converted to SI and called low, normal, high or critical."""
    value = _value(text)

    assert (value.status, value.si_unit) == (status, si_unit)
    assert value.value_si == pytest.approx(value_si, rel=1e-3)


def test_sex_specific_ranges() -> None:
    """Creatinine and CK ranges depend on sex; without it, the combined range is used and said so."""
    assert _value("creatinine 100", sex="male").status == "normal"
    assert _value("creatinine 100", sex="female").status == "high"
    assert _value("CK 250", sex="male").status == "normal"
    assert _value("CK 250", sex="female").status == "high"
    unknown = _value("creatinine 100")
    assert (unknown.range_low, unknown.range_high) == (45, 110)
    assert "women and men" in (unknown.message or "")


def test_pregnancy_range() -> None:
    """Albumin has a lower range in pregnancy."""
    assert _value("albumin 30 g/L").status == "low"
    assert _value("albumin 30 g/L", pregnant=True).status == "normal"


def test_ck_multiples_of_upper_limit() -> None:
    """CK 4–10 × the upper limit is high with an EAS message; 10 × or more is critical_high."""
    marked = _value("CK 1000 U/L", sex="female")  # 5 × 200
    severe = _value("CK 2100 U/L", sex="female")  # 10.5 × 200

    assert marked.status == "high"
    assert "EAS2015" in (marked.message or "")
    assert severe.status == "critical_high"
    assert "EAS2015" in (severe.message or "")


def test_ranges_carry_sources() -> None:
    """A verified range names its citation key; a normal value is said to be in the usual range."""
    value = _value("potassium 4.2")

    assert value.range_source == "EJIFCC2016"
    assert (value.range_low, value.range_high) == (3.5, 5.3)
    assert "[EJIFCC2016]" in (value.message or "")


def test_unverified_threshold_not_presented_as_sourced() -> None:
    """Thresholds the brief could not verify are applied but said to be unchecked."""
    value = _value("potassium 2.3")

    assert value.status == "critical_low"
    assert "not yet checked against a source" in (value.message or "")


def test_unverified_range_has_no_source_key_at_run_time() -> None:
    """Ranges not found in the brief (urea, BUN, ferritin) are used but not cited."""
    value = _value("ferritin 22")

    assert value.status == "low"
    assert value.range_source is None
    assert "not yet checked against a source" in (value.message or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "potassium 45 mmol/L",
            "Potassium 45 mmol/L is not possible in a living person — is it a typo (4.5?)",
        ),
        ("sodium 14 mmol/L", "typo (140?)"),
        ("CK 13,190,000 U/L", "not possible"),
        ("HbA1c 93%", "was it 93 mmol/mol, or 9.3%?"),
        ("sodium 1400", "typo (140?)"),
        ("potassium 3.1 mg/dL", "was it 3.1 mmol/L, or"),
    ],
)
def test_implausible_values_are_reported_as_typos(text: str, expected: str) -> None:
    """A value impossible in a living person is never used: status implausible and a clear message."""
    report = _read(text)

    value = report.values[0]
    assert value.status == "implausible"
    assert expected in (value.message or "")
    assert value.message in report.messages


@pytest.mark.parametrize("text", ["potassium 3.1 U/L", "CK 250 mmol/L", "HbA1c 7 ng/mL", "sodium 140 %"])
def test_unit_that_does_not_fit(text: str) -> None:
    """A unit that is not used for the analyte is reported back, not converted."""
    value = _value(text)

    assert value.status == "implausible"
    assert value.value_si is None
    assert "is not a unit used for" in (value.message or "")


def test_implausible_values_feed_nothing() -> None:
    """An implausible creatinine gives no eGFR."""
    report = _read("creatinine 1400 mg/dL", age=60, sex="male")

    assert report.values[0].status == "implausible"
    assert report.derived == []


def test_assumed_unit_is_said() -> None:
    """A unit inferred from the size of the number is mentioned in the messages."""
    report = _read("creatinine 1.4")

    assert report.values[0].unit == "mg/dL"
    assert any("mg/dL was assumed" in m for m in report.messages)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("calcium 2.1", "mmol/L"),
        ("calcium 8.9", "mg/dL"),
        ("creatinine 1.4", "mg/dL"),
        ("creatinine 120", "µmol/L"),
        ("glucose 6", "mmol/L"),
        ("glucose 110", "mg/dL"),
        ("HbA1c 7.1", "%"),
        ("HbA1c 53", "mmol/mol"),
    ],
)
def test_unit_inferred_from_magnitude(text: str, unit: str) -> None:
    """Where the size of the number leaves one possibility, that unit is used."""
    assert _value(text).unit == unit


def test_ambiguous_unit_is_said() -> None:
    """Vitamin D 40 could be nmol/L or ng/mL: no status is invented, and the report asks for the unit."""
    report = _read("vit D 40")

    value = report.values[0]
    assert value.status is None
    assert value.value_si is None
    assert any("no unit was given" in m and "ng/mL" in m for m in report.messages)


def test_ambiguous_but_same_answer() -> None:
    """Vitamin D 15 is low whichever unit it is in; the report says so."""
    value = _value("vit D 15")

    assert value.status == "low"
    assert "either way" in (value.message or "")


def test_laboratory_range_takes_precedence() -> None:
    """A range the person's laboratory printed overrides the default range."""
    value = _value("calcium 5.1 mg/dL (they said normal is 8.4-10.2)")

    assert value.range_source == LAB_RANGE_SOURCE
    assert value.range_low == pytest.approx(8.4 * 0.2495, rel=1e-3)
    assert value.range_high == pytest.approx(10.2 * 0.2495, rel=1e-3)
    assert value.status == "critical_low"  # safety thresholds still apply


def test_laboratory_range_changes_status() -> None:
    """With the laboratory's own range, a value outside the default range can be normal."""
    assert _value("potassium 5.2 mmol/L").status == "normal"
    assert _value("potassium 5.2 mmol/L (normal 3.5-5.0)").status == "high"
    assert _value("potassium 5.4 mmol/L").status == "high"
    assert _value("potassium 5.4 mmol/L (ref 3.6-5.5)").status == "normal"


def test_laboratory_range_that_cannot_be_right_is_ignored() -> None:
    """A printed range impossible for the analyte in that unit is not used."""
    report = _read("potassium 4.1 mmol/L (normal 35-53)")

    assert report.values[0].range_source == "EJIFCC2016"
    assert any("does not look like" in m for m in report.messages)


def test_two_values_that_disagree() -> None:
    """Two values for one result that do not match are pointed out."""
    agree = _read("HbA1c was 78 mmol/mol (9.3%)")
    disagree = _read("HbA1c was 78 mmol/mol (7.3%)")

    assert not any("do not match" in m for m in agree.messages)
    assert any("do not match" in m for m in disagree.messages)


def test_structured_mentions() -> None:
    """LabMention can be built directly (the engine does); an unknown analyte is reported."""
    report = interpret(
        [LabMention(analyte="potassium", value=3.0, unit="mmol/L"), LabMention(analyte="zinc", value=1.0)]
    )

    assert [v.status for v in report.values] == ["low", "implausible"]


def test_report_to_dict() -> None:
    """The report is JSON-ready."""
    document = _read("creatinine 1.4 mg/dL, K 3.1", age=70, sex="female").to_dict()

    assert [v["analyte"] for v in document["values"]] == ["creatinine", "potassium"]
    assert [v["analyte"] for v in document["derived"]] == ["egfr", "ckd_stage"]


def test_structured_units_are_normalised() -> None:
    """A mention built with a loosely spelled unit ("mg/dl") is read like the normalised one."""
    report = interpret([LabMention(analyte="creatinine", value=1.4, unit="mg/dl")], age=70, sex="female")

    assert report.values[0].unit == "mg/dL"
    assert report.values[0].value_si == pytest.approx(123.76)


def test_total_calcium_is_judged_after_albumin_adjustment() -> None:
    """7.6 mg/dL (1.9 mmol/L) alone is critically low; with albumin 28 g/L it adjusts to 2.14 mmol/L."""
    from crampwise.labs import interpret, parse_labs

    report = interpret(parse_labs("calcium 7.6 mg/dL, albumin 2.8 g/dL"))
    calcium = next(v for v in report.values if v.analyte == "calcium")
    adjusted = next(v for v in report.derived if v.analyte == "corrected_calcium")
    assert adjusted.status == "low"
    assert calcium.status == "low"  # not critical_low: no low-calcium emergency from this result alone
    assert "albumin-adjusted" in (calcium.message or "")

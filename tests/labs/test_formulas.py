"""eGFR (CKD-EPI 2021), KDIGO categories and albumin-adjusted calcium."""

from __future__ import annotations

import math

import pytest

from crampwise.labs import ckd_stage, corrected_calcium, egfr_ckd_epi_2021, interpret, parse_labs


def _independent_egfr(scr_mg_dl: float, age: float, female: bool) -> float:
    """CKD-EPI 2021 written another way: a sum of logarithms (Inker et al. 2021 coefficients)."""
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    log_ratio = math.log(scr_mg_dl / kappa)
    exponent = alpha * min(log_ratio, 0.0) - 1.2 * max(log_ratio, 0.0)
    log_egfr = math.log(142) + exponent + age * math.log(0.9938) + (math.log(1.012) if female else 0.0)
    return math.exp(log_egfr)


def test_published_worked_example() -> None:
    """Woman of 55 with creatinine 0.9 mg/dL: eGFR about 76 [CCC-CKDEPI]."""
    assert egfr_ckd_epi_2021(0.9, 55, "female") == pytest.approx(76, abs=1)


def test_worked_example_through_the_pipeline() -> None:
    """The same example typed as text gives the same eGFR, derived from creatinine, age and sex."""
    report = interpret(parse_labs("creatinine 0.9 mg/dL"), age=55, sex="female")

    egfr = next(v for v in report.derived if v.analyte == "egfr")
    assert egfr.value == pytest.approx(76, abs=1)
    assert egfr.derived_from == ("creatinine", "age", "sex")


_AGES = range(18, 91, 4)
_CREATININE = [round(0.3 + 0.1 * i, 1) for i in range(78)]  # 0.3 .. 8.0 mg/dL


@pytest.mark.parametrize("sex", ["female", "male"])
def test_agrees_with_independent_implementation(sex: str) -> None:
    """Over ages 18–90 and creatinine 0.3–8 mg/dL both sexes agree within 1 mL/min/1.73 m²."""
    worst = 0.0
    for age in _AGES:
        for scr in _CREATININE:
            ours = egfr_ckd_epi_2021(scr, age, "female" if sex == "female" else "male")
            theirs = _independent_egfr(scr, age, sex == "female")
            worst = max(worst, abs(ours - theirs))
    assert worst < 1.0


@pytest.mark.parametrize("sex", ["female", "male"])
@pytest.mark.parametrize("age", [18, 40, 67, 90])
@pytest.mark.parametrize("scr_umol", [27, 62, 88, 133, 250, 707])
def test_pipeline_agrees_in_micromoles(sex: str, age: int, scr_umol: int) -> None:
    """Creatinine typed in µmol/L gives the eGFR of the independent implementation (÷ 88.4)."""
    report = interpret(
        parse_labs(f"creatinine {scr_umol} umol/L"), age=age, sex="female" if sex == "female" else "male"
    )

    egfr = next(v for v in report.derived if v.analyte == "egfr")
    assert egfr.value == pytest.approx(_independent_egfr(scr_umol / 88.4, age, sex == "female"), abs=1)


def test_egfr_needs_age_and_sex() -> None:
    """Without age or sex no eGFR is estimated, and the report says what is missing."""
    report = interpret(parse_labs("creatinine 1.4 mg/dL"), sex="male")

    assert [v.analyte for v in report.derived] == []
    assert any("age" in m and "eGFR" in m for m in report.messages)


def test_egfr_not_for_children_or_pregnancy() -> None:
    """The equation is for adults and not valid in pregnancy."""
    child = interpret(parse_labs("creatinine 0.5 mg/dL"), age=12, sex="male")
    pregnant = interpret(parse_labs("creatinine 0.5 mg/dL"), age=30, sex="female", pregnant=True)

    assert child.derived == []
    assert pregnant.derived == []
    assert any("adults" in m for m in child.messages)
    assert any("pregnancy" in m for m in pregnant.messages)


@pytest.mark.parametrize(
    ("egfr", "value", "label"),
    [
        (120, 1.0, "G1"),
        (90, 1.0, "G1"),
        (89.5, 1.0, "G1"),
        (89.4, 2.0, "G2"),
        (89, 2.0, "G2"),
        (60, 2.0, "G2"),
        (59, 3.0, "G3a"),
        (45, 3.0, "G3a"),
        (44, 3.5, "G3b"),
        (30, 3.5, "G3b"),
        (29, 4.0, "G4"),
        (15, 4.0, "G4"),
        (14, 5.0, "G5"),
        (3, 5.0, "G5"),
    ],
)
def test_kdigo_category_boundaries(egfr: float, value: float, label: str) -> None:
    """KDIGO G1 ≥ 90, G2 60–89, G3a 45–59, G3b 30–44, G4 15–29, G5 < 15 (whole-number eGFR)."""
    assert ckd_stage(egfr)[:2] == (value, label)


@pytest.mark.parametrize(
    ("text", "value", "label", "status"),
    [("my eGFR is 28", 4.0, "G4", "low"), ("eGFR 52", 3.0, "G3a", "low"), ("eGFR 95", 1.0, "G1", "normal")],
)
def test_reported_egfr_is_staged(text: str, value: float, label: str, status: str) -> None:
    """A reported eGFR gives a CKD stage (G3a = 3.0, G3b = 3.5) whose message is the label."""
    report = interpret(parse_labs(text))

    stage = next(v for v in report.derived if v.analyte == "ckd_stage")
    assert (stage.value, stage.message, stage.status, stage.derived_from) == (value, label, status, ("egfr",))
    assert report.values[0].status == status


def test_g3b_from_creatinine() -> None:
    """Creatinine 1.4 mg/dL in a woman of 70 is G3b, value 3.5."""
    report = interpret(parse_labs("creatinine 1.4 mg/dL, K 3.1"), age=70, sex="female")

    stage = next(v for v in report.derived if v.analyte == "ckd_stage")
    assert (stage.value, stage.message) == (3.5, "G3b")


def test_corrected_calcium_worked_check() -> None:
    """Calcium 2.05 mmol/L with albumin 30 g/L adjusts to 2.25 mmol/L, which is normal."""
    assert corrected_calcium(2.05, 30) == pytest.approx(2.25)

    report = interpret(parse_labs("calcium 2.05 mmol/L, albumin 30 g/L"))

    adjusted = next(v for v in report.derived if v.analyte == "corrected_calcium")
    assert adjusted.value_si == pytest.approx(2.25)
    assert adjusted.status == "normal"
    assert adjusted.derived_from == ("calcium", "albumin")


def test_corrected_calcium_conventional_units() -> None:
    """In mg/dL and g/dL the result matches Ca + 0.8 × (4 − albumin) within rounding."""
    report = interpret(parse_labs("calcium 8.2 mg/dL, albumin 3.0 g/dL"))

    adjusted = next(v for v in report.derived if v.analyte == "corrected_calcium")
    assert adjusted.unit == "mg/dL"
    assert adjusted.value == pytest.approx(8.2 + 0.8 * (4.0 - 3.0), abs=0.05)


def test_corrected_calcium_critical() -> None:
    """An adjusted calcium below 1.9 mmol/L is critical_low [SFE-HYPOCA]."""
    report = interpret(parse_labs("calcium 1.70 mmol/L and albumin 38 g/L"))

    adjusted = next(v for v in report.derived if v.analyte == "corrected_calcium")
    assert adjusted.status == "critical_low"


def test_already_adjusted_calcium_is_not_adjusted_again() -> None:
    """ "Corrected calcium" with an albumin gives no second adjustment."""
    report = interpret(parse_labs("corrected calcium 2.3, albumin 30"))

    assert [v.analyte for v in report.derived] == []


@pytest.mark.parametrize(("text", "label"), [("eGFR <15", "G5"), ("eGFR <60", "G3a"), ("eGFR >90", "G1")])
def test_reported_egfr_with_comparator(text: str, label: str) -> None:
    """ "eGFR <15" is below 15 (G5); "eGFR >90" is G1."""
    report = interpret(parse_labs(text))

    assert next(v for v in report.derived if v.analyte == "ckd_stage").message == label

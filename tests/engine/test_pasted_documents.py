"""Pasted documents and indirect wording (blind sets N, O and P): what each fix must keep doing.

Each test runs the whole pipeline on a short text in the style that first failed and checks the
finding, level or medicine that matters; the wording is our own, not a case's.
"""

from __future__ import annotations

import pytest

from crampwise.pipeline import assess_text


def status(text: str, finding: str) -> str | None:
    f = assess_text(text).profile.findings.get(finding)
    return f.status if f else None


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("Results:\nSodium 140 mmol/L\n\n55 M. my calves cramp at night", 55, "male"),
        ("Prescription slip\nAspirin 75mg\n\n67, female. Cramps in both calves", 67, "female"),
    ],
)
def test_age_and_sex_signed_after_a_pasted_document(text: str, age: int, sex: str) -> None:
    profile = assess_text(text).profile
    assert (profile.age, profile.sex) == (age, sex)


def test_a_negation_runs_over_the_words_of_other_findings() -> None:
    text = "Calf cramps at night. No pins and needles in my hands or round my mouth, no palpitations."
    assert status(text, "tingling_mouth") == "absent"
    assert assess_text(text).triage.level != "emergency"


def test_how_long_someone_sat_is_not_how_long_the_cramp_lasted() -> None:
    a = assess_text("Sat cross-legged at a retreat on the floor for an hour and a half, then my calf cramped. "
                    "Ten minutes later it was back to normal.")
    assert "cramp_minutes" not in a.profile.measures
    assert "cramp_not_resolving" not in {r.id for r in a.red_flags}


def test_a_cramp_that_lasted_is_still_read() -> None:
    a = assess_text("I sat down and my calf cramped for about 20 minutes, it would not ease")
    assert a.profile.measures.get("cramp_minutes") == 20


def test_heat_stroke_is_not_a_brain_stroke_and_pints_of_water_are_not_alcohol() -> None:
    text = "Mowed in 31 degrees, calves cramped, had two pints of water. Wife says it's heat stroke."
    assert status(text, "stroke") is None
    assert status(text, "alcohol_any") is None
    assert status("two pints of lager last night then cramp", "alcohol_any") == "present"


def test_a_bottle_of_red_most_nights_is_heavy_drinking_not_a_red_leg() -> None:
    text = "52, male. It's a bottle of red most nights. Calf cramps at night."
    assert status(text, "alcohol_heavy") == "present"
    assert status(text, "leg_red") is None


@pytest.mark.parametrize(
    "text",
    [
        "ADALAT LA 30mg tablets - ONE daily (added 6 weeks ago)\nSince then both calves cramp.",
        "Clarithromycin 500 mg - one twice a day (issued 6 days ago) with simvastatin 40mg. Thighs ache and cramp since.",
    ],
)
def test_a_timing_aside_after_the_medicine_is_its_own_timing(text: str) -> None:
    a = assess_text(text)
    assert "new_drug_onset" in {r.id for r in a.red_flags}


def test_an_aside_naming_another_medicine_keeps_its_own_timing() -> None:
    a = assess_text("I take bendroflumethiazide (the amlodipine was stopped 2 weeks ago). Calf cramps.")
    bendro = next(m for m in a.profile.medicines if m.id == "bendroflumethiazide")
    assert bendro.change != "stopped"


def test_the_inr_clinic_means_a_warfarin_type_blood_thinner_and_holds_back_vitamin_k2() -> None:
    a = assess_text("I'm 77 and go to the INR clinic every month for my AF. A calf cramp once a week at night.")
    assert "vitamin_k_antagonist" in {m.drug_class for m in a.medications}
    assert "vitamin_k2" not in {p.id for p in a.plan}


def test_drinking_tonic_water_is_reviewed_as_quinine_asking_about_it_is_not() -> None:
    taken = assess_text("Two weeks ago I started drinking tonic water every night for leg cramps.")
    assert "quinine" in {m.drug_class for m in taken.medications}
    asked = assess_text("My calves cramp at night. Should I drink tonic water?")
    assert "quinine" not in {m.drug_class for m in asked.medications}
    assert "quinine" not in {p.id for p in asked.plan}


def test_the_kidney_machine_is_dialysis_and_a_missed_session_with_weakness_is_an_emergency() -> None:
    a = assess_text("typing for my dad, 71, he goes on the kidney machine mon wed fri but he missed friday. "
                    "tonight his legs have gone heavy and his heart is doing flips, calves cramping")
    assert status("he goes on the kidney machine three times a week, calf cramps", "dialysis") == "present"
    assert a.triage.level == "emergency_ambulance"
    assert "electrolyte_emergency" in {r.id for r in a.red_flags}


def test_a_missed_dialysis_session_alone_is_for_today() -> None:
    a = assess_text("I'm on dialysis and skipped my session yesterday. Calves cramp a bit.")
    assert a.triage.level == "consultation_24"


def test_heart_failure_with_breathlessness_lying_flat_is_for_today() -> None:
    a = assess_text("My mum is 80 with heart failure on bumetanide. Her ankles are puffy and she slept in "
                    "the armchair because she gets breathless lying flat. Bad calf cramps.")
    assert a.triage.level == "consultation_24"


def test_kidney_disease_with_vomiting_and_little_urine_is_for_today() -> None:
    a = assess_text("I'm 66 and my kidneys are at 14. Vomiting and diarrhoea for 3 days, hardly peeing, "
                    "legs cramping a lot.")
    assert a.triage.level == "consultation_24"
    assert any(lab.analyte == "egfr" and lab.value == 14 for lab in a.profile.labs)


def test_a_haemolysed_high_potassium_asks_for_the_repeat_test_not_same_day_care() -> None:
    text = ("Potassium 6.1 mmol/L (3.5-5.1) H. SPECIMEN HEMOLYZED. 44 yo, no meds. Calf cramp in football, "
            "stretched it out. No palpitations, no weakness.")
    assert assess_text(text).triage.level == "consultation"
    plain = assess_text("Potassium 6.1 mmol/L (3.5-5.1) H. 44 yo, no meds. Calf cramp in football.")
    assert plain.triage.level == "consultation_24"


def test_cramps_since_a_dose_went_up_count_as_new_drug_onset() -> None:
    a = assess_text("DONEPEZIL 10MG TABLETS\n\nSince the dose went up a fortnight ago dad wakes with calf cramps.")
    assert "new_drug_onset" in {r.id for r in a.red_flags}


def _labs(text: str) -> dict[tuple[str, float], bool]:
    """(analyte, value) -> earlier, for every result read from the text."""
    return {(lab.analyte, lab.value): lab.earlier for lab in assess_text(text).profile.labs if not lab.derived_from}


def test_results_under_an_old_letters_heading_are_earlier_ones() -> None:
    text = (
        "Old discharge letter, March 2021:\nAdmitted with vomiting. Potassium 2.7 mmol/L, replaced.\n\n"
        "60 M. Bloods last month were fine. Odd calf cramp after gardening, goes with a stretch."
    )
    assessment = assess_text(text)

    assert _labs(text) == {("potassium", 2.7): True}
    assert assessment.profile.lab("potassium") is None
    assert assessment.triage.level == "self_care"
    assert any("an earlier result" in line for line in assessment.understood)


def test_the_result_dated_latest_counts_over_the_admission_one() -> None:
    text = "Potassium 2.9 on admission. On discharge potassium 4.2. Calf cramps at night, I'm 70."
    profile = assess_text(text).profile

    assert _labs(text) == {("potassium", 2.9): True, ("potassium", 4.2): False}
    lab = profile.lab("potassium")
    assert lab is not None
    assert lab.status == "normal"


def test_an_undated_repeat_keeps_the_first_result() -> None:
    """Nothing dates them apart: the first is kept (a sheet's own result comes before any limits)."""
    text = "Potassium 6.8 this morning, potassium 4.5 at my last check. I am 75 and my legs cramp."
    assessment = assess_text(text)

    assert _labs(text) == {("potassium", 6.8): False, ("potassium", 4.5): True}
    assert assessment.triage.level in ("emergency", "emergency_ambulance")


def test_a_lab_sheets_critical_limits_are_not_results() -> None:
    text = "Potassium 4.2 mmol/L (3.5-5.3)\nCRITICAL LIMITS - K <2.5 or >6.5; Ca <1.80 mmol/L\nMy son, 14, gets calf cramps in football."
    assessment = assess_text(text)

    assert _labs(text) == {("potassium", 4.2): False}
    assert not assessment.red_flags


def test_a_list_of_values_after_one_name_is_read_oldest_to_newest() -> None:
    text = "My eGFR was 55 in 2022, 47 in 2023, and 36 at my check in April. I'm 72F and my legs cramp at night."
    labs = [(lab.value, lab.earlier) for lab in assess_text(text).profile.labs if lab.analyte == "egfr"]

    assert labs == [(55.0, True), (47.0, True), (36.0, False)]


def test_a_one_word_item_keeps_a_list_negated() -> None:
    assert status("No swelling or redness, no recent surgery, travel or HRT. Calf cramp at night.", "hrt") == "absent"


def test_clock_times_with_the_cramp_still_there_are_its_duration() -> None:
    assessment = assess_text("A calf cramp woke me at 05:30 and it is still there at 06:15 despite stretching.")

    assert assessment.profile.measures["cramp_minutes"] == 45
    assert "cramp_not_resolving" in {flag.id for flag in assessment.red_flags}


def test_age_and_sex_written_together_after_im() -> None:
    profile = assess_text("I'm 72F with type 2 diabetes and night cramps once in a blue moon.").profile

    assert (profile.age, profile.sex) == (72, "female")
    assert "leg_discoloured" not in profile.findings


def test_the_next_sentences_it_is_the_one_medicine_named() -> None:
    meds = assess_text("I've taken chlorthalidone 12.5mg since 2021. In May it was doubled to 25mg. Cramps most nights since.").profile.medicines

    assert [(m.id, m.change) for m in meds] == [("chlorthalidone", "increased")]

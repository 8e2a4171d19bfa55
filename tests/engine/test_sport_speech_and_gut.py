"""Sport, dictation and gut-and-gland wording (blind sets Q, R and S): what each fix must keep doing.

Each test runs the whole pipeline on a short text of our own in the style that first failed.
"""

from __future__ import annotations

from crampwise.pipeline import assess_text


def flags(text: str) -> set[str]:
    return {flag.id for flag in assess_text(text).red_flags}


def test_a_rectal_temperature_is_the_persons_even_with_shade_nearby() -> None:
    text = "Ruck march in 95 F heat, he went down with cramps and didn't know where he was. Rectal temp of 104F, now in the shade."
    assessment = assess_text(text)

    assert assessment.profile.measures["temperature_c"] == 40.0
    assert "heat_stroke" in {flag.id for flag in assessment.red_flags}
    assert assessment.triage.level == "emergency_ambulance"


def test_a_medicine_name_heard_as_short_words_is_still_that_medicine() -> None:
    profile = assess_text("i started lip it or twenty in march and now my calves cramp at night").profile

    assert [m.drug_class for m in profile.medicines] == ["statin"]


def test_bruising_days_after_stopping_quinine_is_still_quinine_toxicity() -> None:
    text = "I took quinine for night cramps and stopped it two days ago. Now I have bruises everywhere and my gums bleed."

    assert "quinine_toxicity" in flags(text)


def test_vomiting_and_diarrhoea_on_a_water_tablet_with_a_low_pressure_is_an_emergency() -> None:
    text = "I'm 80, sickness and diarrhoea since Friday, still taking my bendroflumethiazide. My home machine says 86/52 and I nearly pass out when I stand."
    assessment = assess_text(text)

    assert "electrolyte_emergency" in {flag.id for flag in assessment.red_flags}
    assert assessment.profile.measures["systolic_bp"] == 86


def test_vomiting_with_little_urine_and_dizziness_is_for_today() -> None:
    text = "Food poisoning, day two. I keep bringing back everything I drink, I've only had a wee once today and I go dizzy when I stand. Calves cramping."

    assert assess_text(text).triage.level == "consultation_24"


def test_a_few_weeks_of_a_ppi_is_not_reviewed_as_the_cause_but_years_of_it_are() -> None:
    short = assess_text("I started omeprazole 2 weeks ago and my calves cramped at football.")
    long = assess_text("I've taken omeprazole for 6 years and now get calf cramps most nights.")

    assert "cramp_medicine" not in short.profile.findings
    assert "cramp_medicine" in long.profile.findings


def test_when_a_cramp_came_on_is_not_how_long_it_lasted() -> None:
    profile = assess_text("On long rides my quads cramp on the climbs after about 3 hours, and ease if I soft-pedal.").profile

    assert "cramp_minutes" not in profile.measures


def test_a_cramp_that_began_forty_minutes_ago_and_has_not_gone_is_not_resolving() -> None:
    text = "About 40 minutes ago my thigh went into a cramp and it still hasn't let go. My cramps normally go in a few minutes."
    assessment = assess_text(text)

    assert assessment.profile.measures["cramp_minutes"] == 40
    assert "cramp_not_resolving" in {flag.id for flag in assessment.red_flags}


def test_how_often_a_sport_is_played_is_not_how_often_the_cramps_come() -> None:
    profile = assess_text("My daughter, 9, woke with a calf cramp once. She does gymnastics 3x a week.").profile

    assert "cramps_per_week" not in profile.measures


def test_deficient_vitamin_d_is_worth_a_visit() -> None:
    assessment = assess_text("Calf cramps in the evenings. Vitamin D 7 ng/mL, calcium normal.")

    assert assessment.triage.level == "consultation"


def test_a_snap_at_the_heel_holds_back_stretching() -> None:
    assessment = assess_text("Pushing off at badminton I heard a snap at my heel and now I can't stand on tiptoe. Is it a cramp?")
    held = {item.id for item in assessment.held_back}

    assert "tendon_rupture_signs" in assessment.profile.findings
    assert {"calf_stretch_routine", "stretch_during_cramp"} & held
    assert not {"calf_stretch_routine", "stretch_during_cramp"} & {item.id for item in assessment.plan}


def test_stage_4_kidney_disease_holds_back_potassium_foods() -> None:
    assessment = assess_text("ckd stage 4, cramps at night, should i eat more bananas?")

    assert "advanced_ckd" in assessment.profile.findings
    assert "potassium_rich_foods" not in {item.id for item in assessment.plan}
    assert "potassium_rich_foods" in {item.id for item in assessment.held_back}


def test_short_messages_keep_their_durations_pregnancy_and_starts() -> None:
    assert assess_text("woke w calf cramp, 25 min now, stretching not helping").triage.level == "consultation_24"
    assert assess_text("30 wks pg, leg cramps every nite, normal??").profile.findings["pregnancy_words"].status == "present"
    meds = assess_text("71, on bendroflumethiazide since march, cramps most nites since").profile.medicines
    assert [m.change for m in meds] == ["started"]


def test_years_of_a_ppi_with_worsening_cramps_is_worth_a_magnesium_test() -> None:
    assert assess_text("nexium for 6 yrs, cramps getting worse, could my magnesium be low?").triage.level == "consultation"


def test_a_twisting_spasm_days_after_starting_an_antipsychotic_is_for_today() -> None:
    assessment = assess_text("Started Risperdal 3 days ago. Now my foot twists inwards and my neck keeps pulling round to one side.")

    assert assessment.triage.level == "consultation_24"
    assert assessment.factors[0].id == "parkinsonism_dystonia"
    assert [m.drug_class for m in assessment.profile.medicines] == ["dopamine_blocker"]


def test_writers_cramp_is_a_dystonia_worth_a_visit() -> None:
    assessment = assess_text("A few minutes into handwriting my right hand seizes up and my wrist twists round. Writer's cramp?")

    assert assessment.triage.level == "consultation"
    assert assessment.factors[0].id == "parkinsonism_dystonia"


def test_a_red_patch_that_has_spread_is_spreading_redness_not_spreading_cramps() -> None:
    findings = assess_text("The red patch on my right shin has spread about 5cm since yesterday, it's hot and swollen.").profile.findings

    assert "spreading_redness" in findings
    assert "cramps_spreading" not in findings


def test_a_grab_in_a_sprint_that_is_easing_is_a_strain_not_a_clot() -> None:
    assessment = assess_text(
        "Sunday league, went for a sprint and felt a sharp grab at the back of my right thigh, it didn't let go. "
        "Next day one tender spot, no swelling, and it's easing."
    )

    assert not {"dvt_signs", "cramp_not_resolving"} & {flag.id for flag in assessment.red_flags}


def test_children_whose_leg_pains_are_not_growing_pains() -> None:
    lump = assess_text("My daughter is 13, growing pains for a year, but now a firm lump on her thigh that is getting bigger.")
    dystonia = assess_text("Our daughter is 10. Her right foot turns inwards and her toes curl under when she walks, slowly getting worse.")
    hypos = assess_text("Our son is 9 with type 1 diabetes. He wakes sweaty and shaky with cramping legs, his sensor dropped to 3.1 at 2am.")

    assert lump.triage.level == "consultation"
    assert dystonia.triage.level == "consultation"
    assert hypos.triage.level == "consultation"

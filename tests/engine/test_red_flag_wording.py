"""Every red flag, said in everyday words: each narrative must raise its flag (text -> Profile -> Assessment)."""

from __future__ import annotations

import pytest

from crampwise.pipeline import assess_text

CASES = [
    ("pe_signs", "my calf has been swollen for 3 days and now I can't catch my breath and my chest hurts when I breathe in"),
    ("pe_signs", "leg swollen after surgery, now coughing up blood"),
    ("acute_limb_ischemia", "suddenly my foot went cold and white and numb, can't move my toes, I have AF"),
    ("acute_limb_ischemia", "dad's leg is freezing cold and mottled since this morning, agony, he can't feel his foot"),
    ("heat_stroke", "working in the sun all day, cramps, now he's confused and his skin is hot and dry"),
    ("heat_stroke", "my son collapsed at football practice in the heat, temp 40.5, cramping"),
    ("sepsis_signs", "my leg is red hot and swollen and I have a fever of 39 and feel faint and shivery"),
    ("tetany", "tingling round my lips and my hands are cramping into claws after thyroid surgery"),
    ("tetany", "pins and needles round my mouth and fingers, my hands go stiff, on omeprazole for years"),
    ("electrolyte_emergency", "on dialysis, missed my session, legs feel heavy and weak and my heart is fluttering"),
    ("electrolyte_emergency", "potassium was 6.9 at the hospital they rang me, my legs are cramping"),
    ("rhabdomyolysis", "after crossfit my thighs are swollen and my pee is brown like coke"),
    ("rhabdomyolysis", "CK came back 25000, muscles aching all over"),
    ("compartment_syndrome", "broke my leg, in a cast, pain is getting worse and worse, toes numb, agony when toes moved"),
    ("cauda_equina", "back pain and now I can't feel my bum or genitals and I can't pee"),
    ("quinine_toxicity", "been taking quinine for cramps and now I have bruises everywhere and bleeding gums"),
    ("dvt_signs", "my left calf is swollen, red and warm and tender for 2 days"),
    ("dvt_signs", "one calf much bigger than the other, aching, after a long flight"),
    ("cramp_not_resolving", "cramp in my calf for 30 minutes, won't go away even with stretching"),
    ("tetanus_risk", "stepped on a rusty nail last week, now spasms in my leg and my jaw is tight"),
    ("infection_signs", "red patch on my shin spreading, hot and sore, no fever"),
    ("heat_exhaustion", "cramps while hiking in the heat, sweating heavily, dizzy and nauseous"),
    ("clti_rest_pain", "foot pain at night eased by hanging my foot out of bed, smoker"),
    ("neuro_progressive", "cramps and twitching and my hand is getting weaker, muscles wasting"),
    ("claudication", "calf cramps after walking 200 yards, goes when I stop and stand still"),
    ("neurogenic_claudication", "legs cramp when standing or walking, better when I sit down or lean forward"),
    ("statin_muscle_symptoms", "on simvastatin and now my thighs ache and feel weak"),
    ("new_drug_onset", "started bendroflumethiazide 2 weeks ago and now I get cramps every night"),
    ("frequent_severe", "excruciating cramps every night, can't sleep"),
    ("numbness_or_swelling", "cramps and both ankles swollen, numb feet"),
    ("systemic_symptoms", "cramps, puffy eyes and I'm passing much less urine, really tired"),
    ("rls_features", "urge to move my legs in the evening, crawly feeling, better when I walk about"),
]


@pytest.mark.parametrize(("flag", "text"), CASES)
def test_red_flag_in_everyday_words(flag: str, text: str) -> None:
    assessment = assess_text(text)
    assert flag in [r.id for r in assessment.red_flags], (assessment.triage.level, text)
    assert assessment.triage.level != "self_care" or flag == "heat_exhaustion"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # timing is the key clue (brief §3.3): a long-standing, unchanged medicine with a rare cramp
        ("I'm 74, been on Advair for 10 years, no change in dose. One cramp last night after gardening, went in a minute.", "self_care"),
        ("55M, on Lipitor for 8 years. Started couch to 5k and my calves cramp near the end of the runs.", "self_care"),
        # ... but new or frequent cramps on it, or a recent start, are worth a review
        ("On Lipitor for years. Past month both calves cramp in bed a few times a week.", "consultation"),
        ("Started Seretide 3 weeks ago and now I get cramps at night", "consultation"),
    ],
)
def test_medicine_review_follows_timing(text: str, level: str) -> None:
    assert assess_text(text).triage.level == level

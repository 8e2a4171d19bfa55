"""Dangers told calmly (blind set Y): the words that carry them must still count, however they are framed.

Our own wording, in the style that first slipped through.
"""

from __future__ import annotations

import pytest

from crampwise.pipeline import assess_text

CALM_DANGERS = [
    pytest.param(
        "Keyhole job on my knee a week ago. Calf a bit of a niggle, my sock leaves a mark on that side only, "
        "and I'm a bit puffed going up the stairs. Probably nothing.",
        "pe_signs", {"emergency_ambulance"}, id="clot-after-a-keyhole-job-told-as-a-niggle",
    ),
    pytest.param(
        "Lovely, my foot has gone a fetching shade of white since this afternoon, cold as a fish, and the toes "
        "won't wiggle. I have AF. Probably a cramp.",
        "acute_limb_ischemia", {"emergency_ambulance"}, id="white-cold-foot-told-as-a-joke",
    ),
    pytest.param(
        "On simvastatin for years, thighs ache and I can barely get up. Oh and my wee has gone a bit brown, like weak tea.",
        "rhabdomyolysis", {"emergency", "emergency_ambulance"}, id="brown-wee-in-passing-on-a-statin",
    ),
    # "couldn't get my breath" holds "get my breath": the whole phrase (breathless) stands, not its negated part
    pytest.param(
        "Back from a 24 hour flight 3 days ago, on the pill. My right calf is puffier than the left. "
        "This morning I suddenly couldn't get my breath and it stabs every time I breathe in.",
        "pe_signs", {"emergency_ambulance"}, id="longer-phrase-outweighs-the-short-one-inside-it",
    ),
    pytest.param(
        "Marshalling a race in 31 degrees. A runner sat down with calf cramps and started talking rubbish, "
        "couldn't tell me what race he was in. Skin bright red and hot, not sweating any more.",
        "heat_stroke", {"emergency_ambulance"}, id="what-a-bystander-sees-of-heat-stroke",
    ),
]


@pytest.mark.parametrize(("text", "flag", "levels"), CALM_DANGERS)
def test_a_danger_told_calmly_still_counts(text: str, flag: str, levels: set[str]) -> None:
    assessment = assess_text(text)

    assert flag in {f.id for f in assessment.red_flags}
    assert assessment.triage.level in levels


def test_being_able_to_wiggle_properly_is_not_weakness() -> None:
    profile = assess_text("Calf cramp last night, I can wiggle my toes properly and walk fine.").profile

    assert "leg_weak_limb" not in profile.findings or profile.findings["leg_weak_limb"].status != "present"


def test_cramps_that_used_to_be_frequent_and_now_are_rare_are_not_frequent() -> None:
    assessment = assess_text(
        "I'm 71. My calf cramps used to wake me three or four nights a week. Since I started stretching "
        "every night I get maybe one a fortnight now."
    )

    assert assessment.profile.measures["cramps_per_week"] == 0.5
    assert assessment.triage.level == "self_care"


def test_a_dose_rise_by_the_heart_nurse_is_not_misuse() -> None:
    assessment = assess_text(
        "I'm 80 with heart failure. The heart nurse doubled my furosemide last week. Since then my legs cramp "
        "every night and I go light-headed when I stand."
    )

    assert "diuretic_misuse" not in assessment.profile.findings
    assert assessment.triage.level == "consultation_24"


def test_redness_gone_past_the_pen_line_is_spreading_not_gone() -> None:
    findings = assess_text("His calf is bright red and hot, and the redness has gone well past the pen line.").profile.findings

    assert findings["leg_red"].status == "present"
    assert "spreading_redness" in findings


def test_no_trouble_when_sitting_denies_the_clause_after_when() -> None:
    findings = assess_text("His calves cramp every few hundred yards. No trouble when he's sitting down.").profile.findings

    assert "at_rest" not in findings or findings["at_rest"].status != "present"
    assert findings["on_walking"].status == "present"

"""Dangers told calmly (blind set Y): the words that carry them must still count, however they are framed.

Our own wording, in the style that first slipped through.
"""

from __future__ import annotations

from crampwise.pipeline import assess_text


def level_and_flags(text: str) -> tuple[str, set[str]]:
    assessment = assess_text(text)
    return assessment.triage.level, {flag.id for flag in assessment.red_flags}


def test_a_clot_after_a_keyhole_job_told_as_a_niggle() -> None:
    level, flags = level_and_flags(
        "Keyhole job on my knee a week ago. Calf a bit of a niggle, my sock leaves a mark on that side only, "
        "and I'm a bit puffed going up the stairs. Probably nothing."
    )

    assert "pe_signs" in flags
    assert level == "emergency_ambulance"


def test_a_white_cold_foot_told_as_a_joke() -> None:
    level, flags = level_and_flags(
        "Lovely, my foot has gone a fetching shade of white since this afternoon, cold as a fish, and the toes "
        "won't wiggle. I have AF. Probably a cramp."
    )

    assert "acute_limb_ischemia" in flags
    assert level == "emergency_ambulance"


def test_brown_wee_mentioned_in_passing_on_a_statin() -> None:
    level, flags = level_and_flags(
        "On simvastatin for years, thighs ache and I can barely get up. Oh and my wee has gone a bit brown, like weak tea."
    )

    assert "rhabdomyolysis" in flags
    assert level in ("emergency", "emergency_ambulance")


def test_being_able_to_wiggle_properly_is_not_weakness() -> None:
    profile = assess_text("Calf cramp last night, I can wiggle my toes properly and walk fine.").profile

    assert "leg_weak_limb" not in profile.findings or profile.findings["leg_weak_limb"].status != "present"


def test_a_longer_phrase_for_the_same_finding_outweighs_the_short_one_inside_it() -> None:
    """"couldn't get my breath" holds "get my breath": the whole phrase (breathless) stands, not its negated part."""
    level, flags = level_and_flags(
        "Back from a 24 hour flight 3 days ago, on the pill. My right calf is puffier than the left. "
        "This morning I suddenly couldn't get my breath and it stabs every time I breathe in."
    )

    assert "pe_signs" in flags
    assert level == "emergency_ambulance"


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


def test_what_a_bystander_sees_of_heat_stroke() -> None:
    level, flags = level_and_flags(
        "Marshalling a race in 31 degrees. A runner sat down with calf cramps and started talking rubbish, "
        "couldn't tell me what race he was in. Skin bright red and hot, not sweating any more."
    )

    assert "heat_stroke" in flags
    assert level == "emergency_ambulance"


def test_redness_gone_past_the_pen_line_is_spreading_not_gone() -> None:
    findings = assess_text("His calf is bright red and hot, and the redness has gone well past the pen line.").profile.findings

    assert findings["leg_red"].status == "present"
    assert "spreading_redness" in findings


def test_no_trouble_when_sitting_denies_the_clause_after_when() -> None:
    findings = assess_text("His calves cramp every few hundred yards. No trouble when he's sitting down.").profile.findings

    assert "at_rest" not in findings or findings["at_rest"].status != "present"
    assert findings["on_walking"].status == "present"

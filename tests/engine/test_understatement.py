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

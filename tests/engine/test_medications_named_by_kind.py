"""A medicine named only by its kind ("a statin") is reviewed like a named one, and says so."""

from __future__ import annotations

from crampwise.pipeline import assess_text


def test_a_statin_with_no_name_is_reviewed_and_says_the_name_was_not_given() -> None:
    a = assess_text("I'm 66, started a statin 3 weeks ago, now my thighs ache and cramp")
    meds = [m for m in a.medications if m.drug_class == "statin"]
    assert len(meds) == 1
    assert meds[0].generic.endswith("name not given")
    assert "stop" not in meds[0].message.lower().replace("do not stop", "")
    assert any("name not given" in line for line in a.understood)


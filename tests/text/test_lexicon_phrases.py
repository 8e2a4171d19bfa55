"""Everyday phrases each reach their finding: guards the lexicon against patterns whose `|`
alternatives were meant as whole phrases (a|b binds single words only)."""

from __future__ import annotations

import pytest

from crampwise.pipeline import understand

PHRASES = [
    ("I had a heavy night out", "alcohol_binge"),
    ("I drink a lot at weekends", "alcohol_any"),
    ("he's a roofer", "physical_work"),
    ("I work on a building site", "physical_work"),
    ("I'm a delivery driver", "physical_work"),
    ("we did basic training", "exercise_regular"),
    ("I cut right down on the booze", "recent_cut_down"),
    ("my legs feel restless legs at night", "urge_to_move"),
    ("a high pitched noise when she breathes", "stridor"),
    ("I wake up with a cramp", "timing_night"),
    ("woken in the small hours", "timing_night"),
    ("a few nights a week", "timing_night"),
    ("once I stop it goes away", "relieved_by_stopping"),
    ("they go when I rest", "relieved_by_stopping"),
    ("I have to sit on a bench", "relieved_by_sitting"),
    ("my calf is bigger than the other one", "leg_swelling_one"),
    ("coughed up some blood", "cough_blood"),
    ("my heart is racing", "palpitations"),
    ("my urine is dark brown", "dark_urine"),
    ("I can't open my mouth properly", "jaw_stiffness"),
    ("numb between my legs", "saddle_numbness"),
    ("unable to pass urine", "bladder_bowel_change"),
    ("gums bleed when I brush", "bruising_bleeding"),
    ("my ears are ringing", "hearing_change"),
    ("my thighs are swollen", "muscle_swelling"),
    ("tight as a drum", "tense_compartment"),
    ("it kills when I move my toes", "pain_passive_stretch"),
    ("thirsty all the time", "thirst_polyuria"),
    ("I've lost weight", "weight_loss"),
    ("put on nearly a stone", "weight_gain"),
    ("my thyroid was removed", "thyroid_surgery"),
    ("I had an operation", "recent_surgery"),
    ("I'm on blood thinners", "prior_vte"),
    ("long haul flight", "long_travel"),
    ("24 weeks with baby number two", "pregnancy_words"),
    ("I sit at a desk all day", "prolonged_sitting"),
    ("8 hour shifts on the tills", "prolonged_standing"),
    ("a 20 km hill walk", "endurance_event"),
    ("in the pool", "during_exercise"),
    ("at the gym", "during_exercise"),
    ("she had her parathyroids out on Monday", "thyroid_surgery"),
    ("her mouth is tingly", "tingling_mouth"),
    ("he came off the pitch with both calves cramping", "after_exercise"),
    ("they cramped when I finished the race", "after_exercise"),
    ("cramping in the pose where you kneel", "during_exercise"),
    ("did the big lawn and all the hedges", "physical_work"),
]

ABSENT = [
    # concentrated urine, not the cola colour of muscle breakdown
    ("my pee was dark-ish yellow last night", "dark_urine"),
    ("my wee was dark but it's pale again today", "dark_urine"),
]


@pytest.mark.parametrize(("text", "finding"), ABSENT)
def test_phrase_states_the_finding_absent(text: str, finding: str) -> None:
    found = understand(text).findings.get(finding)

    assert found is not None, text
    assert found.status == "absent", (text, found)


def test_a_writers_preamble_does_not_hide_whose_history_it_is() -> None:
    """"Husband typing. My wife had ..." is the patient's own history, not someone else's."""
    profile = understand("Husband typing. My wife had a parathyroid operation 5 days ago and her lips are tingly.")

    assert profile.subject == "partner"
    assert profile.sex == "female"
    assert profile.findings["thyroid_surgery"].status == "present"


@pytest.mark.parametrize(("text", "finding"), PHRASES)
def test_phrase_reaches_its_finding(text: str, finding: str) -> None:
    """An everyday way of saying it is understood as that finding."""
    found = understand(text).findings.get(finding)

    status = found.status if found else None

    assert status == "present", (text, finding)


def _lexicon_patterns() -> list[tuple[str, str]]:
    from pathlib import Path

    import yaml

    import crampwise.text

    data = yaml.safe_load((Path(crampwise.text.__file__).parent / "data" / "lexicon.yaml").read_text())
    found: list[tuple[str, str]] = []
    for key, entry in data.items():
        patterns = entry.get("patterns", []) if isinstance(entry, dict) else entry
        found.extend((key, p) for p in patterns if isinstance(p, str))
    return found


def test_no_lexicon_position_repeats_an_alternative() -> None:
    """A repeated word in one position ("up on|on") is a phrase that lost its underscore ("up_on|on"):
    as written it demands words nobody types and the phrase never matches."""
    repeated = [(key, p) for key, p in _lexicon_patterns()
                for position in p.split() if len(position.split("|")) != len(set(position.split("|")))]

    assert repeated == []


def test_no_lexicon_contraction_is_followed_by_a_separate_not() -> None:
    """"didnt|did not know" reads as ("didnt" or "did") then "not": it wanted "didnt|did_not know"."""
    broken = [(key, p) for key, p in _lexicon_patterns()
              for here, after in zip(p.split(), p.split()[1:], strict=False)
              if after == "not" and any(a.endswith("nt") for a in here.split("|"))]

    assert broken == []


def test_may_the_month_is_not_may_the_maybe() -> None:
    findings = understand("Since mid-May I've had calf cramps most nights.").findings

    assert findings["muscle_calf"].status == "present"
    assert understand("It may be a clot in my calf").findings["muscle_calf"].status == "uncertain"


def test_the_writers_own_clauses_are_not_the_patients() -> None:
    """Asking about dad: "I'm 38 and get cramps at the gym" and "I had a stent" are the writer's."""
    profile = understand(
        "Asking about my dad, he's 69, his calf tightens when he walks to the shop. "
        "I'm 38 and get cramps at the gym, I had a stent put in my leg artery."
    )

    assert (profile.subject, profile.age) == ("parent", 69)
    assert "during_exercise" not in profile.findings
    assert "pad" not in profile.findings


def test_what_the_writer_saw_of_the_patient_still_counts() -> None:
    profile = understand("My grandad is 91. I had a look: the left shin is red, hot and puffy.")

    assert profile.findings["leg_red"].status == "present"


def test_a_message_the_writer_says_is_about_them_leaves_out_the_others() -> None:
    profile = understand(
        "My husband has been on dialysis for years, but this time I'm asking about me. "
        "His cramps are awful. I get a calf cramp once a week."
    )

    assert profile.subject == "self"
    assert "dialysis" not in profile.findings


@pytest.mark.parametrize("word", ["ability", "complained", "regain"])
def test_everyday_words_near_a_brand_name_are_not_medicines(word: str) -> None:
    """"complained" is two letters from Compazine, "ability" from Abilify: neither is a medicine."""
    assert understand(f"She has the {word} to stretch, and her legs cramp at night").medicines == []

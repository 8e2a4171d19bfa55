"""The stateless interview: `step(text, answers)` -> next question and current assessment."""

from __future__ import annotations

import pytest

from crampwise.engine import assess
from crampwise.interview import (
    MAX_ANSWERS,
    InterviewStep,
    apply_answer,
    dialogue,
    representative_answers,
    step,
)
from crampwise.kb import load
from crampwise.model import Assessment, Profile
from crampwise.pipeline import InputError, understand

NIGHT = "my calves cramp at night"
GENERAL = "why do I keep getting cramp in my legs?"


def outcome(assessment: Assessment) -> tuple[str, frozenset[str]]:
    return assessment.triage.level, frozenset(f.id for f in assessment.factors[:3])


def profile_after(text: str, answers: dict[str, str]) -> Profile:
    """The profile the interview should have built, via the public apply_answer."""
    profile = understand(text)
    for qid, answer in answers.items():
        profile = apply_answer(profile, qid, answer)
    return profile


# --------------------------------------------------------------------------- answers change the profile
def test_choice_answer_records_the_question_finding_as_absent() -> None:
    """A "no" to a yes/no question records its finding as absent, with evidence "your answer"."""
    s = step(NIGHT, {"q_swelling": "no"})

    finding = s.assessment.profile.findings["leg_swelling_one"]
    assert (finding.status, finding.evidence) == ("absent", "your answer")
    assert s.asked == ("q_swelling",)
    assert any("your answer" in line for line in s.understood)


def test_choice_with_answers_mapping_records_each_finding() -> None:
    """A choice mapped in questions.yaml records every finding it names ("no:" = absent)."""
    profile = step(NIGHT, {"q_persistent": "eases within minutes"}).assessment.profile

    assert profile.status("cramp_persistent") == "absent"
    assert profile.status("brief_cramp") == "present"


def test_yes_and_not_sure() -> None:
    """"yes" records present; "not sure" (or "don't know") records uncertain."""
    assert step(NIGHT, {"q_swelling": "Yes"}).assessment.profile.status("leg_swelling_one") == "present"
    assert step(NIGHT, {"q_swelling": "not sure"}).assessment.profile.status("leg_swelling_one") == "uncertain"
    assert step(NIGHT, {"q_swelling": "don't know"}).assessment.profile.status("leg_swelling_one") == "uncertain"


def test_yes_answer_raises_the_triage() -> None:
    """Answering yes to a red-flag question changes the assessment."""
    before = step(NIGHT).assessment.triage.level
    after = step(NIGHT, {"q_swelling": "yes"}).assessment.triage.level

    assert after != before


@pytest.mark.parametrize(
    ("qid", "answer", "check"),
    [
        ("q_age", "I'm 70", lambda p: p.age == 70),
        ("q_age", "70", lambda p: p.age == 70),
        ("q_medicines", "lasix", lambda p: [m.id for m in p.medicines] == ["furosemide"]),
        ("q_medicines", "none", lambda p: p.status("no_medicines") == "present"),
        ("q_conditions", "kidney disease", lambda p: p.status("kidney_disease") == "present"),
        ("q_conditions", "no", lambda p: p.status("kidney_disease") == "absent"),
        ("q_duration", "about a minute", lambda p: p.status("brief_cramp") == "present"),
        ("q_frequency", "every night", lambda p: p.measures.get("cramps_per_week") == 7),
        # Any answer that is not a choice is read as words and merged.
        ("q_swelling", "I'm 70", lambda p: p.age == 70 and p.status("leg_swelling_one") is None),
        ("q_timing", "night", lambda p: p.status("timing_night") == "present"),
    ],
)
def test_free_text_answers_are_understood_and_merged(qid: str, answer: str, check: object) -> None:
    """Free-text answers go through the text reader and are merged into the profile."""
    profile = step("cramps in my legs", {qid: answer}).assessment.profile

    assert callable(check)
    assert check(profile), (qid, answer)


def test_merge_keeps_what_the_description_said() -> None:
    """Age from the description is not overwritten by a later answer; medicines are not duplicated."""
    profile = step("I'm 67 and on Lasix, calves cramp at night",
                   {"q_age": "I'm 30", "q_medicines": "furosemide and atorvastatin"}).assessment.profile

    assert profile.age == 67
    assert [m.id for m in profile.medicines] == ["furosemide", "atorvastatin"]


def test_apply_answer_leaves_its_input_alone() -> None:
    """apply_answer returns a new profile."""
    profile = understand(NIGHT)
    changed = apply_answer(profile, "q_swelling", "no")

    assert "leg_swelling_one" not in profile.findings
    assert changed.status("leg_swelling_one") == "absent"


def test_skip_counts_as_asked_and_changes_nothing() -> None:
    """"skip" (or an empty answer) moves on without recording anything."""
    plain = step(NIGHT)
    skipped = step(NIGHT, {"q_swelling": "skip"})

    assert skipped.asked == ("q_swelling",)
    assert "leg_swelling_one" not in skipped.assessment.profile.findings
    assert skipped.question is not None
    assert skipped.question.id != "q_swelling"
    assert outcome(skipped.assessment) == outcome(plain.assessment)
    assert step(NIGHT, {"q_swelling": ""}).asked == ("q_swelling",)


def test_words_that_say_nothing_are_noted() -> None:
    """An answer from which nothing can be read is kept as asked and noted plainly."""
    s = step(NIGHT, {"q_duration": "hmm"})

    assert s.asked == ("q_duration",)
    assert any("could not pick out anything" in n for n in s.notes)


# --------------------------------------------------------------------------- order and stopping
def test_red_flag_questions_come_first() -> None:
    """The first question is a red-flag question, asked before any other kind."""
    s = step(NIGHT)

    assert s.question is not None
    assert s.question.kind == "red_flag"
    kinds = [q.kind for q in s.assessment.questions]
    assert kinds == sorted(kinds, key=lambda k: k != "red_flag")
    assert s.question.why
    assert s.reason.startswith("This checks for a warning sign")


def test_each_question_says_what_it_could_change() -> None:
    """The reason for a question names an answer and the change it would make."""
    s = step(NIGHT)

    assert "Your answer could change the result" in s.reason
    assert "would" in s.reason


def test_emergency_description_stops_at_once() -> None:
    """An emergency in the description: no question, done, and the reason says get help now."""
    s = step("my left calf is swollen and hot and I'm suddenly short of breath with chest pain")

    assert s.assessment.triage.level in ("emergency", "emergency_ambulance")
    assert s.done
    assert s.question is None
    assert "no more questions" in s.reason
    assert "get help now" in s.reason


def test_emergency_answer_stops_the_interview() -> None:
    """An answer that makes it an emergency ends the interview."""
    text = "my left calf is swollen and painful"
    first = step(text)
    assert first.question is not None
    assert not first.done
    s = step(text, {"q_breathless": "yes"})

    assert s.assessment.triage.level in ("emergency", "emergency_ambulance")
    assert s.done
    assert s.question is None


def test_stops_after_max_answers() -> None:
    """No interview asks more than MAX_ANSWERS questions."""
    ids = list(load().questions)[:MAX_ANSWERS]
    # Red-flag questions answered "no", the rest skipped: nothing urgent, so only the cap stops it.
    answers = {qid: "no" if load().questions[qid].kind == "red_flag" else "skip" for qid in ids}
    s = step(NIGHT, answers)

    assert s.done
    assert s.question is None
    assert len(s.asked) == MAX_ANSWERS
    assert "enough questions" in s.reason


def test_a_whole_interview_ends_and_never_repeats_a_question() -> None:
    """Answering "no" (or the first choice, or a few words) to each question ends within the cap."""
    answers: dict[str, str] = {}
    s = step(NIGHT)
    seen: list[str] = []
    while not s.done:
        assert s.question is not None
        assert s.question.id not in seen
        seen.append(s.question.id)
        q = s.question
        answers[q.id] = "no" if "no" in q.choices else q.choices[0] if q.choices else "no"
        s = step(NIGHT, answers)
    assert len(seen) <= MAX_ANSWERS
    assert s.question is None
    assert s.reason


# --------------------------------------------------------------------------- value of information
def test_questions_that_cannot_change_the_result_are_skipped() -> None:
    """A listed question is passed over when no answer to it changes triage or the top factors."""
    kb = load()
    scenarios = [
        (NIGHT, {"q_swelling": "no", "q_persistent": "eases within minutes"}),
        (NIGHT, {"q_swelling": "no"}),
        (GENERAL, {"q_persistent": "eases within minutes"}),
        ("I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling", {"q_swelling": "no"}),
    ]
    checked = 0
    for text, answers in scenarios:
        s = step(text, answers)
        if s.question is None:
            continue
        listed = [q.id for q in s.assessment.questions if q.id not in s.asked]
        if s.question.id not in listed:
            continue
        skipped = listed[: listed.index(s.question.id)]
        base = profile_after(text, answers)
        now = outcome(assess(profile_after(text, answers), kb))
        for qid in skipped:
            for answer in representative_answers(kb.questions[qid]):
                assert outcome(assess(apply_answer(base, qid, answer), kb)) == now, (qid, answer)
            checked += 1
    assert checked, "no scenario skipped a question: check the value-of-information test cases"


def test_question_with_no_possible_effect_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """If no answer to the first question can change anything, the next one is asked instead."""
    first = step(NIGHT).question
    assert first is not None

    def fake(question: object) -> tuple[str, ...]:
        qid = getattr(question, "id", "")
        return ("skip",) if qid == first.id else representative_answers(question)  # type: ignore[arg-type]

    monkeypatch.setattr(dialogue, "representative_answers", fake)
    s = step(NIGHT)

    assert s.question is not None
    assert s.question.id != first.id
    assert first.id not in s.asked


def test_stops_when_no_question_could_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """When no remaining question can change the result, the interview is done and says why."""
    monkeypatch.setattr(dialogue, "representative_answers", lambda question: ("skip",))
    s = step(NIGHT)

    assert s.done
    assert s.question is None
    assert "could change" in s.reason


def test_question_with_no_known_answers_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question whose possible answers cannot be enumerated is assumed worth asking."""
    monkeypatch.setattr(dialogue, "representative_answers", lambda question: ())
    s = step(NIGHT)

    assert s.question is not None
    assert s.question.id == step(NIGHT).assessment.questions[0].id


# --------------------------------------------------------------------------- statelessness and robustness
def test_same_inputs_same_output() -> None:
    """Nothing is remembered between calls: the same text and answers give the same step."""
    answers = {"q_swelling": "no", "q_age": "70"}
    first = step(NIGHT, answers)
    step("something else entirely, I'm 30 and on lasix", {"q_swelling": "yes"})
    second = step(NIGHT, dict(answers))

    assert isinstance(first, InterviewStep)
    assert first.question == second.question
    assert first.reason == second.reason
    assert first.asked == second.asked
    assert first.understood == second.understood
    assert first.assessment.to_dict() == second.assessment.to_dict()
    assert answers == {"q_swelling": "no", "q_age": "70"}


def test_step_is_frozen() -> None:
    """An InterviewStep cannot be changed after it is made."""
    s = step(NIGHT)

    with pytest.raises(AttributeError):
        s.done = True  # type: ignore[misc]


def test_unknown_question_ids_are_ignored_with_a_note() -> None:
    """An answer to a question that does not exist is noted, not applied, and does not crash."""
    s = step(NIGHT, {"q_nonsense": "yes", "q_swelling": "no"})

    assert s.asked == ("q_swelling",)
    assert any("q_nonsense" in n for n in s.notes)
    assert any("q_nonsense" in line for line in s.understood)
    assert s.assessment.profile.status("leg_swelling_one") == "absent"


def test_answers_without_a_description() -> None:
    """Answers alone are enough to start from; nothing at all is an input error."""
    s = step("", {"q_age": "70"})
    assert s.assessment.profile.age == 70

    with pytest.raises(InputError):
        step("   ")


def test_non_text_answer_is_ignored() -> None:
    """A non-string answer (from a careless caller) is noted, not a crash."""
    s = step(NIGHT, {"q_age": 70})  # type: ignore[dict-item]

    assert s.asked == ()
    assert s.notes


# --------------------------------------------------------------------------- the general question
def test_general_question_gives_the_general_answer() -> None:
    """A question with no personal details is answered generally first."""
    s = step(GENERAL)

    assert s.assessment.general is True
    assert not s.done
    assert s.question is not None

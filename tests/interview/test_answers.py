"""Reading one answer: choices, synonyms, numbers, skips and free text."""

from __future__ import annotations

import pytest

from crampwise.interview import read_answer, representative_answers
from crampwise.interview.answers import FRAMES, NO_MEANS_ABSENT, REPRESENTATIVE
from crampwise.kb import load


@pytest.mark.parametrize(
    ("qid", "answer", "kind", "choice"),
    [
        ("q_swelling", "no", "choice", "no"),
        ("q_swelling", "  NO. ", "choice", "no"),
        ("q_swelling", "nope", "choice", "no"),
        ("q_swelling", "Yeah", "choice", "yes"),
        ("q_swelling", "no, both legs look the same", "choice", "no"),
        ("q_swelling", "I don't know", "choice", "not sure"),
        ("q_breathless", "don't know", "skip", None),
        ("q_swelling", "skip", "skip", None),
        ("q_swelling", "", "skip", None),
        ("q_persistent", "the pain stays", "choice", "the pain stays"),
        ("q_timing", "night", "choice", "at night or at rest"),
        ("q_timing", "During exercise", "choice", "during exercise"),
        ("q_timing", "exercise", "text", None),  # two choices mention exercise: read as words
        ("q_age", "70", "text", None),
        ("q_age", "I'm 70", "text", None),
    ],
)
def test_read_answer(qid: str, answer: str, kind: str, choice: str | None) -> None:
    """How each answer is read."""
    reading = read_answer(load().questions[qid], answer)

    assert (reading.kind, reading.choice) == (kind, choice)


def test_bare_number_is_framed_for_age() -> None:
    """A bare number answering the age question is read as an age."""
    assert read_answer(load().questions["q_age"], "70").text == "I am 70 years old"


def test_plain_no_to_conditions_rules_out_the_named_conditions() -> None:
    """"no" to the conditions question marks the conditions it names as absent."""
    reading = read_answer(load().questions["q_conditions"], "none")

    assert "kidney_disease" in reading.absent


def test_interview_data_refers_to_real_questions_and_findings() -> None:
    """The module's answer data names questions and findings that exist in the knowledge base."""
    kb = load()
    for table in (FRAMES, NO_MEANS_ABSENT, REPRESENTATIVE):
        assert set(table) <= set(kb.questions), table
    for ids in NO_MEANS_ABSENT.values():
        assert set(ids) <= set(kb.findings)


def test_every_choice_question_can_be_judged() -> None:
    """Each question has answers to try when judging whether it is worth asking; free-text questions
    without any are always asked (listed here so adding one is a conscious choice)."""
    kb = load()
    unjudged = sorted(q.id for q in kb.questions.values() if not representative_answers(q))
    assert unjudged == []


def test_choice_answers_map_to_known_findings() -> None:
    """Every finding a choice records exists in the knowledge base."""
    kb = load()
    for q in kb.questions.values():
        for spec in q.answers.values():
            for token in str(spec).split():
                assert token.removeprefix("no:") in kb.findings, (q.id, token)
        if q.finding:
            assert q.finding in kb.findings, q.id

"""The stateless interview: the description and the answers so far in; the next question and the
current assessment out.

    s = step("my calves cramp at night", {"q_swelling": "no", "q_age": "70"})
    s.question, s.assessment, s.done, s.reason

A question is asked only if some answer to it could change the result: the triage level or the set
of the three most likely factors ("value of information"). Red-flag questions come first (the engine
orders them so), an emergency stops the interview at once, and no interview runs past MAX_ANSWERS.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field

from crampwise.engine import assess
from crampwise.engine.assess import candidate_questions
from crampwise.engine.facts import build_facts
from crampwise.interview.answers import apply_to, representative_answers, understood_copy
from crampwise.kb import KnowledgeBase, load
from crampwise.kb.loader import QuestionDef
from crampwise.model import Assessment, Profile, Question

MAX_ANSWERS = 8  # an interview never asks more than this
TOP_FACTORS = 3  # the part of the factor list an answer must be able to change
EMERGENCY_LEVELS = frozenset({"emergency", "emergency_ambulance"})

Outcome = tuple[str, frozenset[str]]


@dataclass(frozen=True)
class InterviewStep:
    """One turn of the interview."""

    question: Question | None  # the next question to ask; None when done
    assessment: Assessment  # the assessment after the description and every answer so far
    done: bool
    understood: list[str]  # what was understood from the description and the answers
    asked: tuple[str, ...]  # ids of the questions answered (or skipped) so far, in order
    reason: str  # why this question is asked, or why the interview stopped
    notes: tuple[str, ...] = field(default=())  # answers that could not be used, said plainly


def _outcome(assessment: Assessment) -> Outcome:
    return assessment.triage.level, frozenset(f.id for f in assessment.factors[:TOP_FACTORS])


def _label(kb: KnowledgeBase, level: str) -> str:
    return str(kb.meta["triage"][level]["label"])


def _names(kb: KnowledgeBase, ids: list[str]) -> str:
    names = [f"'{kb.factors[i].name if i in kb.factors else i}'" for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe_change(kb: KnowledgeBase, now: Outcome, then: Outcome) -> str:
    parts = []
    if now[0] != then[0]:
        parts.append(f"change the advice from '{_label(kb, now[0])}' to '{_label(kb, then[0])}'")
    added, dropped = sorted(then[1] - now[1]), sorted(now[1] - then[1])
    if added:
        verb = "one of" if len(added) == 1 else "among"
        parts.append(f"make {_names(kb, added)} {verb} the most likely causes")
    elif dropped:
        parts.append(f"take {_names(kb, dropped)} off the list of most likely causes")
    return " and ".join(parts)


def _could_change(kb: KnowledgeBase, base: Profile, question: QuestionDef, now: Outcome) -> str | None:
    """Why an answer to `question` could change the result, or None if no answer could."""
    answers = representative_answers(question)
    if not answers:
        return "Your answer could change the result."
    for answer in answers:
        trial = copy.deepcopy(base)
        if apply_to(trial, question.id, answer, kb) in ("skip", "unused", "unknown"):
            continue
        then = _outcome(assess(trial, kb))
        if then != now:
            change = _describe_change(kb, now, then)
            return f"Your answer could change the result: '{answer}', for example, would {change}."
    return None


def _candidates(kb: KnowledgeBase, base: Profile, assessment: Assessment, asked: set[str]) -> list[Question]:
    """The engine's questions in its order (red flags first), then any the engine left off its short
    list, in the same order; never one already answered."""
    out = [q for q in assessment.questions if q.id not in asked]
    listed = frozenset({q.id for q in assessment.questions} | asked)
    trial = copy.deepcopy(base)
    out.extend(candidate_questions(kb, build_facts(trial, kb), trial, exclude=listed))
    return out


def _start(text: str, answers: Mapping[str, str]) -> Profile:
    if not text.strip() and answers:
        return Profile()
    return understood_copy(text)


def step(text: str, answers: Mapping[str, str] | None = None, kb: KnowledgeBase | None = None) -> InterviewStep:
    """One interview turn. Pure: the same text and answers always give the same step.

    Answers are applied in order. An answer to a question id the knowledge base does not know is
    ignored with a note. Raises crampwise.pipeline.InputError for an unusable description.
    """
    from crampwise.pipeline import InputError

    kb = kb or load()
    answers = dict(answers or {})
    if not isinstance(text, str):
        raise InputError("the description must be text")
    base = _start(text, answers)
    asked: list[str] = []
    notes: list[str] = []
    for question_id, answer in answers.items():
        if not isinstance(answer, str):
            notes.append(f"I ignored the answer to '{question_id}': it was not text.")
            continue
        how = apply_to(base, question_id, answer, kb)
        if how == "unknown":
            notes.append(f"I ignored an answer to '{question_id[:64]}': there is no such question.")
            continue
        asked.append(question_id)
        if how == "unused":
            words = answer.strip()
            short = words if len(words) <= 60 else words[:57] + "..."
            notes.append(f"I could not pick out anything from your answer '{short}'"
                         f" to: {kb.questions[question_id].text}")
    current = copy.deepcopy(base)
    current.notes.extend(n for n in notes if n not in current.notes)
    assessment = assess(current, kb)
    understood = list(assessment.understood)

    def finish(reason: str) -> InterviewStep:
        return InterviewStep(None, assessment, True, understood, tuple(asked), reason, tuple(notes))

    if assessment.triage.level in EMERGENCY_LEVELS:
        return finish(f"This is an emergency, so no more questions: get help now. {assessment.triage.action}")
    if len(asked) >= MAX_ANSWERS:
        return finish(f"That is enough questions ({len(asked)} answered); here is the assessment.")
    candidates = _candidates(kb, base, assessment, set(asked))
    if not candidates:
        return finish("There is nothing more I need to ask.")
    now = _outcome(assessment)
    for question in candidates:
        definition = kb.questions.get(question.id)
        if definition is None:
            continue
        change = _could_change(kb, base, definition, now)
        if change is None:
            continue
        lead = "This checks for a warning sign first. " if question.kind == "red_flag" else ""
        return InterviewStep(question, assessment, False, understood, tuple(asked), lead + change, tuple(notes))
    return finish("No answer to the remaining questions could change the advice or the most likely causes,"
                  " so I will not ask them.")


__all__ = ["EMERGENCY_LEVELS", "MAX_ANSWERS", "TOP_FACTORS", "InterviewStep", "step"]

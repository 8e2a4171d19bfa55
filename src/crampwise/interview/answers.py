"""Turning one answer to one follow-up question into facts about the person.

A choice answer records the finding ids the question maps it to (`answers:` in questions.yaml; a
leading "no:" means absent) or, for a yes/no question, the question's own finding. Anything else is
read as words, exactly like the first description, and merged into the profile. Everything here is
data plus pure functions: no I/O, no state between calls.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from crampwise.kb import KnowledgeBase, load
from crampwise.kb.loader import QuestionDef
from crampwise.model import Finding, Profile, Status

# Answers that mean "I'd rather not / pass": the question counts as asked and nothing is recorded.
SKIP_WORDS = frozenset({"", "skip", "pass", "next", "-", "n/a", "na", "?"})
# Answers that mean "I don't know": the "not sure" choice when there is one, otherwise a skip.
UNSURE_WORDS = frozenset({
    "not sure", "don't know", "dont know", "do not know", "i don't know", "i dont know", "unsure", "no idea",
    "maybe", "perhaps", "possibly", "can't say", "cannot say", "dunno",
})
YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "yup", "ya", "aye", "i do", "it is", "they are", "correct",
                       "true", "sure", "definitely", "i have"})
NO_WORDS = frozenset({"no", "n", "nope", "nah", "i don't", "i do not", "it isn't", "it is not", "they aren't",
                      "not really", "not at all", "false", "never", "none", "nothing", "i haven't"})

# Free-text questions: how a bare yes / no / number is said in full, so the text reader can use it.
# "{}" is replaced by the number. Keys are question ids; "no" and "yes" stand for the word lists above.
FRAMES: dict[str, dict[str, str]] = {
    "q_age": {"number": "I am {} years old"},
    "q_medicines": {"no": "I take no medicines"},
    "q_alcohol": {"no": "I do not drink alcohol", "number": "{} units of alcohol a week"},
    "q_pregnant": {"yes": "I am pregnant", "no": "I am not pregnant"},
    "q_frequency": {"number": "{} times a week"},
}

# A plain "no" to a question that names conditions means none of the ones it names.
NO_MEANS_ABSENT: dict[str, tuple[str, ...]] = {
    "q_conditions": ("kidney_disease", "heart_failure", "liver_cirrhosis", "hypothyroidism", "diabetes",
                     "hypertension"),
}

# Representative answers to free-text questions, used only to ask "could any answer to this change
# the result?" before asking it. A question with no entry here and no choices is always worth asking.
REPRESENTATIVE: dict[str, tuple[str, ...]] = {
    "q_age": ("30", "75"),
    "q_medicines": ("no", "I take furosemide", "I take atorvastatin", "I take omeprazole",
                    "I started amlodipine two weeks ago"),
    "q_conditions": ("no", "kidney disease", "diabetes", "liver cirrhosis", "an underactive thyroid",
                     "heart failure"),
    "q_duration": ("a few seconds, stretching eases it", "the pain lasts for hours"),
    "q_frequency": ("once a month", "every night and they wake me"),
    "q_alcohol": ("no", "30 units a week"),
    "q_pregnant": ("yes", "no"),
}

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d)?$")
_LEADING = re.compile(r"^(yes|no|y|n|yeah|yep|nope|nah)\b[\s,.;:!-]*(.*)$")
EVIDENCE = "your answer"
MAX_ANSWER = 2000  # characters of one answer that are read


@dataclass(frozen=True)
class Reading:
    """How an answer was read: a skip, a choice of the question, and/or words to understand."""

    kind: str  # "skip", "choice", "text"
    choice: str | None = None
    text: str = ""  # words to read with the text reader (the answer, or its full-sentence frame)
    absent: tuple[str, ...] = ()  # finding ids a plain "no" rules out


def normalise(answer: str) -> str:
    text = " ".join(answer.replace("’", "'").strip().lower().split())
    return text.rstrip(".!")


def read_answer(question: QuestionDef, answer: str) -> Reading:
    """Decide what an answer to `question` means, without changing anything."""
    said = normalise(answer)
    choices = {c.lower(): c for c in question.choices}
    if said in choices:
        return Reading("choice", choices[said])
    yes_no = "yes" in choices and "no" in choices
    if said in SKIP_WORDS:
        return Reading("skip")
    if said in UNSURE_WORDS:
        return Reading("choice", choices["not sure"]) if "not sure" in choices else Reading("skip")
    if yes_no and said in YES_WORDS:
        return Reading("choice", choices["yes"])
    if yes_no and said in NO_WORDS:
        return Reading("choice", choices["no"])
    if yes_no:
        leading = _LEADING.match(said)
        if leading:
            word = "yes" if leading.group(1) in ("yes", "y", "yeah", "yep") else "no"
            return Reading("choice", choices[word], text=answer if leading.group(2) else "")
    if choices:
        words = f" {said} "
        partial = [c for low, c in choices.items() if len(said) >= 4 and f" {said} " in f" {low} "]
        partial = partial or [c for low, c in choices.items() if f" {low} " in words]
        if len(partial) == 1:
            return Reading("choice", partial[0])
    frame = FRAMES.get(question.id, {})
    if _NUMBER.match(said) and "number" in frame:
        return Reading("text", text=frame["number"].format(said))
    if said in NO_WORDS or said in ("no none", "none of those", "none of them"):
        absent = NO_MEANS_ABSENT.get(question.id, ())
        if "no" in frame or absent:
            return Reading("text", text=frame.get("no", ""), absent=absent)
    if said in YES_WORDS and "yes" in frame:
        return Reading("text", text=frame["yes"])
    return Reading("text", text=answer.strip())


@lru_cache(maxsize=512)
def _understood(text: str) -> Profile:
    from crampwise.pipeline import understand

    return understand(text)


def understood_copy(text: str) -> Profile:
    """What the text reader makes of `text` (cached; a fresh copy each time, so callers may change it)."""
    return copy.deepcopy(_understood(text))


def _next_start(profile: Profile) -> int:
    ends = [f.end or f.start or 0 for f in profile.findings.values() if f.start is not None]
    return max([len(profile.text), *ends]) + 1


def _record(profile: Profile, ids: list[tuple[str, Status]], kb: KnowledgeBase, said: str) -> list[str]:
    """Record findings from a choice; returns ids the knowledge base does not define (a KB error)."""
    start = _next_start(profile)
    unknown = []
    for finding_id, status in ids:
        if finding_id not in kb.findings:
            unknown.append(finding_id)
            continue
        profile.add(Finding(finding_id, status, EVIDENCE, start, start + len(said)))
    return unknown


def _choice_findings(question: QuestionDef, choice: str) -> list[tuple[str, Status]]:
    mapping = {str(k).lower(): v for k, v in question.answers.items()}
    spec = mapping.get(choice.lower())
    if spec is not None:
        tokens = spec if isinstance(spec, list) else str(spec).split()
        out: list[tuple[str, Status]] = []
        for token in tokens:
            token = str(token)
            out.append((token[3:], "absent") if token.startswith("no:") else (token, "present"))
        return out
    if question.finding is None:
        return []
    low = choice.lower()
    if low == "yes":
        return [(question.finding, "present")]
    if low == "no":
        return [(question.finding, "absent")]
    if low in UNSURE_WORDS:
        return [(question.finding, "uncertain")]
    return []


def merge(profile: Profile, heard: Profile) -> bool:
    """Merge what was read from an answer into the profile; True when anything was learnt."""
    learnt = False
    if heard.age is not None and profile.age is None:
        profile.age = heard.age
        profile.evidence["age"] = heard.evidence.get("age", EVIDENCE)
        learnt = True
    if heard.sex is not None and profile.sex is None:
        profile.sex = heard.sex
        if "sex" in heard.evidence:
            profile.evidence["sex"] = heard.evidence["sex"]
        learnt = True
    if heard.pregnant is not None and profile.pregnant is None:
        profile.pregnant = heard.pregnant
        if "pregnant" in heard.evidence:
            profile.evidence["pregnant"] = heard.evidence["pregnant"]
        learnt = True
    if heard.pregnancy_weeks is not None and profile.pregnancy_weeks is None:
        profile.pregnancy_weeks = heard.pregnancy_weeks
        learnt = True
    base = _next_start(profile)
    for finding in heard.findings.values():
        moved = finding
        if finding.start is not None:
            moved = replace(finding, start=base + finding.start,
                            end=base + (finding.end if finding.end is not None else finding.start))
        before = profile.findings.get(finding.id)
        profile.add(moved)
        learnt = learnt or profile.findings.get(finding.id) is not before
    have = {m.id for m in profile.medicines}
    for med in heard.medicines:
        if med.id not in have:
            profile.medicines.append(med)
            have.add(med.id)
            learnt = True
    analytes = {lab.analyte for lab in profile.labs}
    for lab in heard.labs:
        if lab.analyte not in analytes:
            profile.labs.append(lab)
            learnt = True
    if heard.measures:
        profile.measures.update(heard.measures)
        learnt = True
    profile.notes.extend(n for n in heard.notes if n not in profile.notes)
    return learnt


def apply_to(profile: Profile, question_id: str, answer: str, kb: KnowledgeBase | None = None) -> str:
    """Apply one answer to `profile` in place. Returns how it was used: "skip", "choice", "text",
    "unknown" (no such question) or "unused" (words from which nothing could be read)."""
    kb = kb or load()
    question = kb.questions.get(question_id)
    if question is None:
        return "unknown"
    reading = read_answer(question, answer)
    if reading.kind == "skip":
        return "skip"
    learnt = False
    if reading.choice is not None:
        findings = _choice_findings(question, reading.choice)
        _record(profile, findings, kb, reading.choice)
        learnt = bool(findings)
    if reading.absent:
        _record(profile, [(f, "absent") for f in reading.absent], kb, answer.strip())
        learnt = True
    if reading.text.strip():
        from crampwise.pipeline import InputError

        try:
            heard = understood_copy(reading.text[:MAX_ANSWER])
        except InputError:
            heard = Profile()
        learnt = merge(profile, heard) or learnt
    if reading.choice is not None:
        return "choice"
    return "text" if learnt else "unused"


def apply_answer(profile: Profile, question_id: str, answer: str, kb: KnowledgeBase | None = None) -> Profile:
    """A new profile with one answer applied; `profile` itself is left unchanged.

    An unknown question id, a skip, or words from which nothing can be read leave it as it was.
    """
    out = copy.deepcopy(profile)
    apply_to(out, question_id, answer, kb)
    return out


def representative_answers(question: QuestionDef) -> tuple[str, ...]:
    """The answers tried when judging whether a question could change the result."""
    if question.id in REPRESENTATIVE:
        return REPRESENTATIVE[question.id]
    return question.choices


__all__ = [
    "FRAMES",
    "NO_MEANS_ABSENT",
    "REPRESENTATIVE",
    "Reading",
    "apply_answer",
    "apply_to",
    "merge",
    "read_answer",
    "representative_answers",
    "understood_copy",
]

"""The interview: a description and the answers so far in, the next question and the current
assessment out. Stateless and pure, shared by `crampwise ask`, the web page and the HTTP API.

    from crampwise.interview import step
    s = step("why do I keep getting cramp in my legs?", answers={"q_age": "67"})
    s.question, s.assessment, s.done, s.reason
"""

from crampwise.interview.answers import apply_answer, read_answer, representative_answers
from crampwise.interview.dialogue import EMERGENCY_LEVELS, MAX_ANSWERS, TOP_FACTORS, InterviewStep, step

__all__ = [
    "EMERGENCY_LEVELS",
    "MAX_ANSWERS",
    "TOP_FACTORS",
    "InterviewStep",
    "apply_answer",
    "read_answer",
    "representative_answers",
    "step",
]

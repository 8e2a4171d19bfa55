"""`crampwise ask` through click's CliRunner, with scripted input."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from crampwise.cli import cli
from crampwise.cli.ask_cmd import command
from crampwise.interview import step
from crampwise.kb import load
from crampwise.model import Question

MEDS = "I'm on lasix and my calves cramp at night"


def number_of(question: Question, choice: str) -> str:
    return str(question.choices.index(choice) + 1) if choice in question.choices else "1"


def test_command_is_named_ask() -> None:
    """The module exposes a click command called "ask", registered in the group."""
    assert command.name == "ask"
    assert CliRunner().invoke(cli, ["ask", "--help"]).exit_code == 0


def test_module_imports_only_click_at_top_level() -> None:
    """Importing the command (for --help) loads neither the knowledge base nor the engine."""
    code = ("import sys, crampwise.cli.ask_cmd, crampwise.cli.explain_cmd; "
            "print(any(m.startswith(('crampwise.kb', 'crampwise.engine', 'crampwise.interview')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_scripted_interview_choice_skip_free_text_and_quit() -> None:
    """A choice by number, a skip, free text ("I'm 70"), then q: the assessment so far is shown."""
    # Work out the questions the interview will ask for this script, with the library it uses.
    answers: dict[str, str] = {}
    first = step(MEDS)
    assert first.question is not None
    q1 = first.question
    reply1 = number_of(q1, "no")
    answers[q1.id] = q1.choices[int(reply1) - 1] if q1.choices else reply1
    q2 = step(MEDS, answers).question
    assert q2 is not None
    answers[q2.id] = "skip"
    q3 = step(MEDS, answers).question
    assert q3 is not None
    answers[q3.id] = "I'm 70"
    q4 = step(MEDS, answers).question

    result = CliRunner().invoke(command, [MEDS], input=f"{reply1}\n\nI'm 70\nq\n")

    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    assert "What I understood" in out
    assert "Medicine: lasix = furosemide" in out
    for number, q in enumerate([q1, q2, q3], 1):
        assert f"Question {number}: {q.text}" in out
        assert f"Why I ask: {q.why}" in flat
    for i, choice in enumerate(q1.choices, 1):
        assert f"{i}. {choice}" in out
    assert "Noted: Age: 70" in out
    if q4 is not None:
        assert "Stopping the questions here" in out
    # The assessment: triage heading first, what was understood (with the answers), sources.
    tail = out[out.index("Stopping the questions") if q4 is not None else 0 :]
    level_label = step(MEDS, answers).assessment.triage.label.upper()
    assert f"== {level_label} ==" in tail
    assert "- Age: 70" in tail
    assert "Sources" in tail


def test_choice_text_and_out_of_range_number() -> None:
    """An out-of-range number asks again; the choice can also be typed in words."""
    q = step(MEDS).question
    assert q is not None
    assert q.choices
    result = CliRunner().invoke(command, [MEDS], input=f"99\n{q.choices[-1]}\nq\n")

    assert result.exit_code == 0, result.output
    assert f"Please choose a number from 1 to {len(q.choices)}" in result.output
    assert "Question 2" in result.output or "== " in result.output


def test_input_ending_is_like_quitting() -> None:
    """When the input runs out, the assessment so far is shown (no traceback, exit 0)."""
    result = CliRunner().invoke(command, [MEDS], input="")

    assert result.exit_code == 0, result.output
    assert "Stopping the questions here" in result.output
    assert "Sources" in result.output


def test_prompts_for_a_description_when_none_given() -> None:
    """Without TEXT it asks "Tell me about your cramps:" and reads the answer."""
    result = CliRunner().invoke(command, [], input=f"{MEDS}\nq\n")

    assert result.exit_code == 0, result.output
    assert "Tell me about your cramps:" in result.output
    assert "Medicine: lasix = furosemide" in result.output


def test_empty_description_is_one_line_error() -> None:
    """An empty description exits 1 with one line starting "crampwise:"."""
    result = CliRunner().invoke(command, ["   "])

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("crampwise: ")


def test_emergency_banner_and_no_questions() -> None:
    """An emergency description shows the emergency banner at once and asks nothing."""
    text = "my left calf is swollen and hot and I'm suddenly short of breath with chest pain"
    result = CliRunner().invoke(command, [text], input="")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Question 1" not in out
    label = step(text).assessment.triage.label.upper()
    assert f"!! {label} !!" in out
    assert out.index("!!") < out.index(f"== {label} ==")


def test_emergency_after_an_answer_stops_asking() -> None:
    """An answer that makes it an emergency prints the banner and asks nothing more."""
    text = "my left calf is swollen and painful"
    answers: dict[str, str] = {}
    s = step(text)
    script: list[str] = []
    # Answer "no" until the breathlessness question, then "yes".
    while s.question is not None and s.question.id != "q_breathless" and len(script) < 6:
        reply = "no" if "no" in s.question.choices else "skip"
        answers[s.question.id] = reply
        script.append(reply)
        s = step(text, answers)
    assert s.question is not None
    assert s.question.id == "q_breathless"
    script.append("yes")

    result = CliRunner().invoke(command, [text], input="\n".join(script) + "\nno\nno\n")

    assert result.exit_code == 0, result.output
    out = result.output
    assert "!! " in out
    assert f"Question {len(script) + 1}" not in out


def test_general_question_gives_general_answer_then_offer() -> None:
    """A general question: the general answer (causes, when to see someone, what helps) and the offer
    to tailor it come first; declining ends there."""
    general = load().meta["general_answer"]
    result = CliRunner().invoke(command, ["why do I keep getting cramp in my legs?"], input="n\n")

    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    for heading in (general["causes_heading"], general["when_heading"], general["helps_heading"]):
        assert heading in out
    assert " ".join(general["offer"].split()) in out
    assert "Shall I ask a few questions to tailor this to you?" in out
    assert "Question 1" not in out


def test_general_question_then_tailoring() -> None:
    """Accepting the offer starts the questions, then shows the tailored assessment."""
    result = CliRunner().invoke(command, ["why do I keep getting cramp in my legs?"], input="y\nq\n")

    assert result.exit_code == 0, result.output
    assert "Question 1" in result.output
    assert result.output.count("Sources") == 2

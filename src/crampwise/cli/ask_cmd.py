"""`crampwise ask`: the interview in the terminal, asking only the questions that could change the result."""

from __future__ import annotations

import sys
from typing import Any

import click

from crampwise.cli import EXIT_BAD_INPUT

WIDTH = 88
QUIT_WORDS = frozenset({"q", "quit", "exit", "stop", "done", "finish"})
SKIP_WORDS = frozenset({"", "s", "skip", "pass"})


def _fail(message: str) -> None:
    click.echo(f"crampwise: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _wrap(text: str, indent: str = "  ") -> str:
    import textwrap

    return textwrap.fill(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _ask(prompt: str) -> str | None:
    """One line from the person; None when the input has ended (treated as "q")."""
    try:
        reply: str = click.prompt(prompt, default="", show_default=False, prompt_suffix=" ")
    except click.Abort:
        return None
    return reply.strip()


def _banner(assessment: Any) -> None:
    t = assessment.triage
    click.echo("")
    click.secho(f"!! {t.label.upper()} !!", bold=True)
    click.echo(_wrap(t.action, "   "))
    for reason in t.because:
        click.echo(_wrap(f"- {reason}", "   "))
    click.echo(_wrap("I will stop asking questions now: get help first. The details follow.", "   "))


def _emergency(assessment: Any) -> bool:
    from crampwise.interview import EMERGENCY_LEVELS

    return bool(assessment.triage.level in EMERGENCY_LEVELS)


@click.command("ask")
@click.argument("text", required=False)
def command(text: str | None) -> None:
    """An interview: describe your cramps, answer the questions that matter, get the assessment.

    Each question says why it is asked. Answer with a choice number, the choice itself or your own
    words; press Enter (or type "skip") to skip a question, "q" to stop and see the result so far.

    \b
    Examples:
      crampwise ask "my calves cramp at night"
      crampwise ask
    """
    from crampwise.interview import step
    from crampwise.pipeline import InputError, knowledge
    from crampwise.render.terminal import render

    if text is None:
        try:
            text = click.prompt("Tell me about your cramps", prompt_suffix=": ")
        except click.Abort:
            _fail("no description given: tell me about your cramps, e.g. crampwise ask \"my calves cramp at night\"")
    assert text is not None
    answers: dict[str, str] = {}
    try:
        state = step(text, answers)
    except InputError as err:
        _fail(str(err))
    kb = knowledge()
    bold = sys.stdout.isatty()

    click.echo("")
    click.secho("What I understood", bold=True)
    for line in state.understood or ["Nothing specific yet: the questions below will fill in the details."]:
        click.echo(_wrap(f"- {line}"))

    if _emergency(state.assessment):
        _banner(state.assessment)
    else:
        if state.assessment.general:
            # A general question: the general answer first, then the offer to tailor it.
            click.echo("")
            click.echo(render(state.assessment, kb, bold=bold), nl=False)
            if state.done:
                return
            click.echo("")
            try:
                tailor = click.confirm("Shall I ask a few questions to tailor this to you?", default=True)
            except click.Abort:
                tailor = False
            if not tailor:
                return
        state = _interview(text, answers, state)
        if state.done and not _emergency(state.assessment):
            click.echo("")
            click.echo(_wrap(state.reason, ""))
    click.echo("")
    click.echo(render(state.assessment, kb, bold=bold), nl=False)


def _interview(text: str, answers: dict[str, str], state: Any) -> Any:
    from crampwise.interview import step

    number = 0
    while not state.done and state.question is not None:
        question = state.question
        number += 1
        click.echo("")
        click.secho(f"Question {number}: {question.text}", bold=True)
        click.echo(_wrap(f"Why I ask: {question.why}"))
        if state.reason:
            click.echo(_wrap(f"({state.reason})"))
        for i, choice in enumerate(question.choices, 1):
            click.echo(f"    {i}. {choice}")
        hint = "a number or your own words" if question.choices else "your own words"
        while True:
            reply = _ask(f"Your answer ({hint}; Enter to skip, q to finish):")
            if reply is None or reply.lower() in QUIT_WORDS:
                click.echo("  Stopping the questions here; this is the assessment so far.")
                return state
            if not (reply.isdigit() and question.choices):
                break
            if 1 <= int(reply) <= len(question.choices):
                reply = question.choices[int(reply) - 1]
                break
            click.echo(f"  Please choose a number from 1 to {len(question.choices)}, or answer in words.")
        answers[question.id] = "skip" if reply.lower() in SKIP_WORDS else reply
        before = set(state.understood)
        state = step(text, answers)
        for line in state.understood:
            if line not in before:
                click.echo(_wrap(f"Noted: {line}"))
        if _emergency(state.assessment):
            _banner(state.assessment)
            return state
    return state

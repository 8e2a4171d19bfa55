"""`crampwise assess`: one description, a structured profile, or a JSONL batch."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from crampwise.cli import EXIT_BAD_INPUT


def _fail(message: str) -> None:
    click.echo(f"crampwise: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.command("assess")
@click.argument("text", required=False)
@click.option("--profile", "profile_file", type=click.File("r", encoding="utf-8"),
              help="A structured profile as JSON (a file, or - for standard input).")
@click.option("--jsonl", "jsonl_file", type=click.File("r", encoding="utf-8"),
              help="Assess one case per line: {\"id\", \"narrative\"}; prints {\"id\", \"assessment\"} per line.")
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
def command(text: str | None, profile_file: Any, jsonl_file: Any, as_json: bool) -> None:
    """Assess a description of leg cramps, in your own words.

    \b
    Examples:
      crampwise assess "I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling"
      crampwise assess --profile me.json --json
      crampwise assess --jsonl cases.jsonl > results.jsonl
    """
    chosen = sum(x is not None for x in (text, profile_file, jsonl_file))
    if chosen != 1:
        _fail("give exactly one of: a description in quotes, --profile FILE or --jsonl FILE (try --help)")
    from crampwise.pipeline import InputError, assess_profile, assess_text, knowledge

    if jsonl_file is not None:
        _batch(jsonl_file)
        return
    try:
        if profile_file is not None:
            try:
                data = json.load(profile_file)
            except json.JSONDecodeError as err:
                _fail(f"{profile_file.name}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})")
            assessment = assess_profile(data)
        else:
            assert text is not None
            if text == "-":
                text = sys.stdin.read()
            assessment = assess_text(text)
    except InputError as err:
        _fail(str(err))
    if as_json:
        from crampwise.render.jsonout import to_json

        click.echo(to_json(assessment))
    else:
        from crampwise.render.terminal import render

        click.echo(render(assessment, knowledge(), bold=sys.stdout.isatty()), nl=False)


def _batch(handle: Any) -> None:
    """One result line per input line, in order; a bad line yields an error line, never a crash."""
    from crampwise.pipeline import InputError, assess_text
    from crampwise.render.jsonout import dumps, shallow

    out = sys.stdout
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        case_id: Any = None
        try:
            case = json.loads(line)
            if not isinstance(case, dict):
                raise ValueError("each line must be a JSON object")
            case_id = case.get("id")
            narrative = case.get("narrative")
            if not isinstance(narrative, str):
                raise ValueError("the object has no 'narrative' text")
            result: dict[str, Any] = {"id": case_id, "assessment": shallow(assess_text(narrative))}
        except json.JSONDecodeError as err:
            result = {"id": None, "line": number, "error": f"line {number} is not valid JSON: {err.msg}"}
        except (InputError, ValueError) as err:
            result = {"id": case_id, "line": number, "error": str(err)}
        except Exception as err:
            result = {"id": case_id, "line": number, "error": f"internal error: {type(err).__name__}: {err}"}
        out.write(dumps(result).decode() + "\n")
    out.flush()

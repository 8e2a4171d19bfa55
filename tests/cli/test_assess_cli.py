"""The installed `crampwise` console script, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crampwise.cli import COMMANDS

SCRIPT = Path(sys.executable).with_name("crampwise")
CONTRACT = ("triage", "red_flags", "factors", "medications", "plan")
TIMEOUT = 60


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(SCRIPT), *args], input=stdin, capture_output=True, text=True, timeout=TIMEOUT,
                          env=env, check=False)


@pytest.fixture(scope="module", autouse=True)
def _script_exists() -> None:
    if not SCRIPT.exists():
        pytest.skip(f"console script {SCRIPT} is not installed")


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0, result.stderr
    from crampwise import __version__

    assert __version__ in result.stdout


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_of_every_command(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    assert command in result.stdout
    assert "Traceback" not in result.stderr


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode != 0
    assert "Usage" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_assess_without_arguments_fails_with_a_message() -> None:
    result = run("assess")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "give exactly one of" in result.stderr
    assert "Traceback" not in result.stderr


def test_assess_text_prints_the_triage_banner_first() -> None:
    result = run("assess", "I'm 70, calf cramps at night twice a week, stretching helps, no swelling")
    assert result.returncode == 0, result.stderr
    first = next(line for line in result.stdout.splitlines() if line.strip())
    assert "SELF-CARE IS REASONABLE" in first.upper()


def test_assess_emergency_banner_first() -> None:
    result = run("assess", "sudden cold white painful foot")
    assert result.returncode == 0, result.stderr
    first = next(line for line in result.stdout.splitlines() if line.strip())
    assert "AMBULANCE" in first.upper()


def test_assess_json_has_the_contract_fields() -> None:
    result = run("assess", "I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in CONTRACT:
        assert key in data
    assert data["triage"]["level"] in ("emergency_ambulance", "emergency", "consultation_24", "consultation",
                                       "self_care")
    assert {"loop_diuretic", "statin"} <= {m["drug_class"] for m in data["medications"]}
    assert all("id" in item for key in ("red_flags", "factors", "plan") for item in data[key])


def test_assess_text_from_stdin() -> None:
    result = run("assess", "-", "--json", stdin="calf cramps at night")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["profile"]["findings"]


def test_assess_empty_text_fails_cleanly() -> None:
    result = run("assess", "   ")
    assert result.returncode == 1
    assert "empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_jsonl_batch(tmp_path: Path) -> None:
    lines = [
        '{"id": "good-1", "narrative": "calf cramps at night", "gold_triage": "self_care"}',
        "this is not json",
        '{"id": "no-narrative", "text": "calf cramps"}',
        '{"id": "empty", "narrative": "  "}',
        '["not", "an", "object"]',
        '{"id": "good-2", "narrative": "sudden cold white painful foot"}',
        '{"id": 7, "narrative": "I\'m 70, calf cramps at night"}',
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("assess", "--jsonl", str(path))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines), result.stdout
    assert [o.get("id") for o in out] == ["good-1", None, "no-narrative", "empty", None, "good-2", 7]
    for index in (0, 5, 6):
        assert "assessment" in out[index]
        assert "error" not in out[index]
        for key in CONTRACT:
            assert key in out[index]["assessment"]
    for index in (1, 2, 3, 4):
        assert "error" in out[index], out[index]
        assert "assessment" not in out[index], out[index]
        assert isinstance(out[index]["error"], str)
        assert out[index]["error"]
    assert out[5]["assessment"]["triage"]["level"] == "emergency_ambulance"
    assert "Traceback" not in result.stderr


def test_jsonl_from_stdin_skips_blank_lines() -> None:
    stdin = '{"id": "a", "narrative": "calf cramps at night"}\n\n{"id": "b", "narrative": "foot cramp"}\n'
    result = run("assess", "--jsonl", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a", "b"]


def test_profile_bad_json_fails_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text('{"age": 67, "findings": ', encoding="utf-8")
    result = run("assess", "--profile", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("profile", "message"), [('{"age": false}', "'age' must be a number"),
                                                  ('{"colour": 1}', "unknown profile field"),
                                                  ('{"findings": {"nope": "present"}}', "unknown finding"),
                                                  ("[1, 2]", "a profile must be a JSON object")])
def test_profile_invalid_fails_with_one_line(profile: str, message: str) -> None:
    result = run("assess", "--profile", "-", stdin=profile)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_profile_good_json() -> None:
    profile = {"age": 70, "sex": "female", "medicines": ["Lasix"], "findings": {"timing_night": "present"}}
    result = run("assess", "--profile", "-", "--json", stdin=json.dumps(profile))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "loop_diuretic" in [m["drug_class"] for m in data["medications"]]


def test_two_inputs_at_once_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("{}", encoding="utf-8")
    result = run("assess", "calf cramps", "--profile", str(path))
    assert result.returncode == 1
    assert "give exactly one of" in result.stderr

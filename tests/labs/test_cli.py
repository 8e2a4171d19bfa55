"""`crampwise labs` through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crampwise.cli import cli
from crampwise.cli.labs_cmd import command


def test_command_is_named_labs() -> None:
    """The module exposes a click command called "labs"."""
    assert command.name == "labs"


def test_json_output() -> None:
    """--json prints values, derived values and messages."""
    result = CliRunner().invoke(
        command, ["creatinine 1.4 mg/dL, K 3.1", "--age", "70", "--sex", "female", "--json"]
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [(v["analyte"], v["status"]) for v in document["values"]] == [
        ("creatinine", "high"),
        ("potassium", "low"),
    ]
    derived = {v["analyte"]: v for v in document["derived"]}
    assert derived["egfr"]["derived_from"] == ["creatinine", "age", "sex"]
    assert derived["ckd_stage"]["message"] == "G3b"
    assert any("mmol/L was assumed" in m for m in document["messages"])


def test_text_output() -> None:
    """Terminal output: each value with SI value, range and source, status; derived values; notes."""
    result = CliRunner().invoke(command, ["creatinine 1.4 mg/dL, K 3.1", "--age", "70", "--sex", "female"])

    assert result.exit_code == 0, result.output
    out = result.output
    for expected in ("Creatinine", "124 µmol/L", "45–90 µmol/L (EJIFCC2016)", "Potassium", "low", "eGFR",
                     "G3b", "Notes:"):  # fmt: skip
        assert expected in out, expected


def test_critical_shown_prominently() -> None:
    """A critical value is shown in capitals."""
    result = CliRunner().invoke(command, ["CK 131,900 U/L"])

    assert "CRITICAL HIGH" in result.output


def test_nothing_recognised_exits_1() -> None:
    """Text with no lab result exits with status 1 and a one-line error."""
    result = CliRunner().invoke(command, ["I'm 67 and my legs cramp at 3am"])

    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "no lab results recognised" in result.output


def test_through_the_group() -> None:
    """`crampwise labs` is reachable from the main command group."""
    result = CliRunner().invoke(cli, ["labs", "my eGFR is 28", "--json"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["derived"][0]["message"] == "G4"


def test_bad_sex_is_a_usage_error() -> None:
    """--sex accepts female or male only."""
    result = CliRunner().invoke(command, ["K 3.1", "--sex", "other"])

    assert result.exit_code == 2

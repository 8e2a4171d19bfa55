"""`crampwise labs`: read lab results in any common unit and say what they mean."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # pragma: no cover
    from crampwise.labs import LabReport
    from crampwise.model import LabValue

_LABELS = {"ckd_stage": "CKD stage", "corrected_calcium": "Adjusted calcium", "egfr": "eGFR"}


def _row(value: LabValue) -> tuple[str, str, str, str, str]:
    from crampwise.labs._data import load_data
    from crampwise.labs._interpret import fmt

    spec = load_data().analytes.get(value.analyte)
    decimals = spec.decimals if spec else 2
    name = _LABELS.get(value.analyte) or (spec.label if spec else value.analyte)
    if value.analyte == "ckd_stage":
        return name, value.message or "", "", f"source {value.range_source}", value.status or ""
    # derived values (adjusted calcium) are computed, so they get the analyte's own precision
    given = f"{fmt(value.value, 2 if value.derived_from else 4)} {value.unit}".strip()
    si = f"{fmt(value.value_si, decimals)} {value.si_unit}" if value.value_si is not None else "?"
    if value.range_low is not None and value.range_high is not None:
        span = f"{fmt(value.range_low, decimals)}–{fmt(value.range_high, decimals)}"
    elif value.range_high is not None:
        span = f"below {fmt(value.range_high, decimals)}"
    elif value.range_low is not None:
        span = f"{fmt(value.range_low, decimals)} or more"
    else:
        span = ""
    source = value.range_source or ("not yet checked" if span else "")
    range_text = f"{span} {value.si_unit or ''} ({source})".replace("  ", " ") if span else ""
    status = (value.status or "unit?").replace("_", " ")
    return name, given, si, range_text, status.upper() if "critical" in status else status


def _table(rows: list[tuple[str, str, str, str, str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]


def _render_text(report: LabReport) -> str:
    header = ("Test", "You gave", "SI value", "Usual range (source)", "Status")
    lines = _table([header, *[_row(v) for v in report.values]])
    if report.derived:
        lines += ["", "Worked out from your results:"]
        lines += _table([_row(v) for v in report.derived])
    explained = [
        v.message for v in [*report.values, *report.derived] if v.message and v.analyte != "ckd_stage"
    ]
    notes = [m for m in report.messages if m not in explained]
    if explained:
        lines += ["", "What this means:"] + [f"- {m}" for m in explained]
    if notes:
        lines += ["", "Notes:"] + [f"- {m}" for m in notes]
    lines += ["", "Not a diagnosis: discuss your results with the clinician who ordered them."]
    return "\n".join(lines)


@click.command(name="labs")
@click.argument("text")
@click.option("--age", type=float, default=None, help="Age in years (needed for eGFR).")
@click.option(
    "--sex", type=click.Choice(["female", "male"]), default=None, help="Needed for eGFR and some ranges."
)
@click.option("--pregnant", is_flag=True, default=False, help="Use pregnancy ranges; eGFR is not estimated.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def command(text: str, age: float | None, sex: str | None, pregnant: bool, as_json: bool) -> None:
    """Read lab results in any common unit: status, eGFR (CKD-EPI 2021), adjusted calcium.

    Example: crampwise labs "creatinine 1.4 mg/dL, K 3.1" --age 70 --sex female
    """
    import json

    from crampwise.labs import interpret, parse_labs

    mentions = parse_labs(text)
    if not mentions:
        click.echo('Error: no lab results recognised (try e.g. "potassium 3.1 mmol/L").', err=True)
        raise SystemExit(1)
    report = interpret(
        mentions,
        age=age,
        sex="female" if sex == "female" else "male" if sex == "male" else None,
        pregnant=True if pregnant else None,
    )
    if as_json:
        document: dict[str, Any] = report.to_dict()
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        click.echo(_render_text(report))

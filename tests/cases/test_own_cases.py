"""Crampwise's own evaluation cases (tests/cases/own-cases.jsonl).

Two kinds of test live here:

* validation of the case file itself: every identifier is in the shared vocabulary, triage levels are
  valid, ids are unique, narratives are non-empty and the coverage promised in README.md holds;
* a safety-floor run of the engine, in-process: every narrative goes through
  ``crampwise.pipeline.assess_text`` and the shared scorer (``shared/evaluation/score.py``) is applied.

Run ``python tests/cases/test_own_cases.py`` to print the scorer's summary and per-case notes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent
CASES_PATH = HERE / "own-cases.jsonl"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "evaluation"
VOCABULARY_PATH = SHARED / "vocabulary.yaml"
SCORER_PATH = SHARED / "score.py"

REQUIRED_FIELDS = (
    "id",
    "source",
    "narrative",
    "gold_triage",
    "acceptable_triage",
    "gold_red_flags",
    "gold_factors",
    "gold_drug_classes",
    "must_not_advise",
    "rationale",
)
NEVER_ADVICE = ("quinine", "stop_medication")
QUININE_WORDS = re.compile(r"quinine|tonic water|kwinine|qualaquin", re.IGNORECASE)

# The safety floor the engine must meet on these cases.
FLOOR_EXACT = {"unsafe_plans": 0, "never_advice": 0, "errors": 0, "emergency_sensitivity": 1.0}
FLOOR_MIN = {
    "triage_acceptable": 0.85,
    "red_flag_recall": 0.85,
    "factor_recall_top3": 0.80,
    "drug_class_recall": 0.95,
}


def _load_vocabulary(path: Path) -> dict[str, dict[str, str]]:
    """Parse vocabulary.yaml with yaml.safe_load.

    If the file is not strict YAML (an unquoted ``: `` inside a description makes safe_load fail),
    fall back to its simple two-level layout: ``section:`` lines and indented ``id: description``
    lines. Only the ids are needed here.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = {}
        section: dict[str, str] | None = None
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            top = re.match(r"^(\w+):", line)
            if top:
                section = data.setdefault(top.group(1), {})
                continue
            entry = re.match(r"^\s+(\w+):\s*(.*)$", line)
            if entry and section is not None:
                section[entry.group(1)] = entry.group(2)
    return {key: dict(value or {}) for key, value in data.items()}


def _load_cases(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:  # pragma: no cover - reported as a failure
                raise AssertionError(f"{path.name}:{number}: not JSON: {err}") from err
    return rows


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crampwise_shared_score", SCORER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VOCAB = _load_vocabulary(VOCABULARY_PATH)
CASES = _load_cases(CASES_PATH)
LEVELS = list(VOCAB["triage_levels"])


def _case_problems(case: dict[str, Any]) -> list[str]:
    problems = [f"missing field {name}" for name in REQUIRED_FIELDS if name not in case]
    if problems:
        return problems
    cid = case["id"]
    if not re.fullmatch(r"own-[a-z0-9]+(-[a-z0-9]+)*", cid):
        problems.append(f"id {cid!r} is not kebab-case with the own- prefix")
    for name in ("narrative", "source", "rationale"):
        if not isinstance(case[name], str) or not case[name].strip():
            problems.append(f"{name} is empty")
    allowed = [case["gold_triage"], *case["acceptable_triage"]]
    problems += [f"triage level {lv!r} not in vocabulary" for lv in allowed if lv not in LEVELS]
    if case["gold_triage"] in case["acceptable_triage"]:
        problems.append("gold_triage repeated in acceptable_triage")
    problems += [
        f"red flag {f!r} not in vocabulary" for f in case["gold_red_flags"] if f not in VOCAB["red_flags"]
    ]
    if not 1 <= len(case["gold_factors"]) <= 3:
        problems.append(f"{len(case['gold_factors'])} gold factors (want 1-3)")
    problems += [
        f"factor {alt!r} not in vocabulary"
        for f in case["gold_factors"]
        for alt in f.split("|")
        if alt not in VOCAB["factors"]
    ]
    problems += [
        f"drug class {d!r} not in vocabulary"
        for d in case["gold_drug_classes"]
        if d not in VOCAB["drug_classes"]
    ]
    problems += [
        f"advice {a!r} not in vocabulary"
        for a in case["must_not_advise"]
        if a != "self_care_only" and a not in VOCAB["advice"]
    ]
    if ("self_care" not in allowed) != ("self_care_only" in case["must_not_advise"]):
        problems.append("self_care_only must be listed exactly when self_care is not an allowed level")
    if QUININE_WORDS.search(case["narrative"]):
        problems += [
            f"mentions quinine but {a} is not in must_not_advise"
            for a in NEVER_ADVICE
            if a not in case["must_not_advise"]
        ]
    list_fields = (
        "acceptable_triage",
        "gold_red_flags",
        "gold_factors",
        "gold_drug_classes",
        "must_not_advise",
    )
    for field in list_fields:
        if len(set(case[field])) != len(case[field]):
            problems.append(f"duplicate entries in {field}")
    return problems


# ----------------------------------------------------------------------------- case-file checks


def test_vocabulary_has_every_section() -> None:
    for section in ("triage_levels", "red_flags", "factors", "drug_classes", "advice"):
        assert VOCAB.get(section), f"vocabulary.yaml has no {section}"


def test_case_ids_are_unique() -> None:
    counts = Counter(case["id"] for case in CASES)
    duplicates = sorted(cid for cid, n in counts.items() if n > 1)
    assert not duplicates, f"duplicate ids: {duplicates}"


@pytest.mark.parametrize("case", CASES, ids=[case.get("id", "?") for case in CASES])
def test_case_is_valid(case: dict[str, Any]) -> None:
    problems = _case_problems(case)
    assert not problems, f"{case.get('id')}: " + "; ".join(problems)


def test_coverage_promised_in_readme() -> None:
    assert len(CASES) >= 170
    flags = Counter(f for case in CASES for f in case["gold_red_flags"])
    thin_flags = {f: flags[f] for f in VOCAB["red_flags"] if flags[f] < 3}
    assert not thin_flags, f"red flags covered fewer than 3 times: {thin_flags}"
    drugs = Counter(d for case in CASES for d in case["gold_drug_classes"])
    thin_drugs = {d: drugs[d] for d in VOCAB["drug_classes"] if drugs[d] < 2}
    assert not thin_drugs, f"drug classes covered fewer than 2 times: {thin_drugs}"
    assert sum(case["gold_triage"] == "self_care" for case in CASES) >= 40
    blocked = Counter(a for case in CASES for a in case["must_not_advise"])
    guarded = (
        "potassium_supplement",
        "potassium_rich_foods",
        "magnesium_supplement",
        "electrolyte_drink",
        "high_fluid_target",
        "extra_salt",
        "calcium_supplement",
        "vitamin_b_complex",
        "vitamin_k2",
        "heat_therapy",
        "massage",
        "vigorous_exercise",
        "quinine",
        "stop_medication",
    )
    for advice in guarded:
        assert blocked[advice] >= 2, f"{advice} is blocked in only {blocked[advice]} cases"


# ----------------------------------------------------------------------------- engine safety floor


def run_engine(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Assess every narrative in-process; a failing case becomes an error row, as in the CLI."""
    from crampwise.pipeline import assess_text

    predictions = []
    for case in cases:
        try:
            predictions.append({"id": case["id"], "assessment": assess_text(case["narrative"]).to_dict()})
        except Exception as exc:  # one bad case must not hide the others
            predictions.append({"id": case["id"], "error": f"{type(exc).__name__}: {exc}"})
    return predictions


def score_engine(cases: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    scorer = _load_scorer()
    summary, notes = scorer.score(cases, run_engine(cases))
    return summary, notes


def floor_failures(summary: dict[str, Any]) -> list[str]:
    failures = [
        f"{key}={summary[key]} (needs =={want})" for key, want in FLOOR_EXACT.items() if summary[key] != want
    ]
    failures += [
        f"{key}={summary[key]} (needs >={want})" for key, want in FLOOR_MIN.items() if summary[key] < want
    ]
    return failures


def test_engine_meets_safety_floor_on_own_cases() -> None:
    summary, notes = score_engine(CASES)
    failures = floor_failures(summary)
    assert not failures, (
        "safety floor not met: "
        + "; ".join(failures)
        + "\nsummary: "
        + json.dumps(summary)
        + "\nnotes:\n"
        + "\n".join(notes)
    )


if __name__ == "__main__":
    bad = {case.get("id"): problems for case in CASES if (problems := _case_problems(case))}
    for cid, problems in bad.items():
        print(f"INVALID {cid}: {'; '.join(problems)}")
    result, case_notes = score_engine(CASES)
    print("\n".join(case_notes))
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    shortfalls = floor_failures(result)
    print("safety floor: " + ("met" if not shortfalls else "NOT met: " + "; ".join(shortfalls)))
    sys.exit(1 if shortfalls or bad else 0)

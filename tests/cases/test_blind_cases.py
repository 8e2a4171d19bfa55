"""Blind cases: written by reviewers who saw only the evidence brief, the vocabulary and the contract,
never the lexicons or rules (tests/cases/blind-cases.jsonl). They exposed wording and rule gaps that
the development cases did not; they run here as regressions with the same scorer and a safety floor.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from crampwise.pipeline import InputError, assess_text

HERE = Path(__file__).resolve().parent
CASES = [json.loads(line) for line in (HERE / "blind-cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
SCORER_PATH = Path(__file__).resolve().parents[3] / "shared" / "evaluation" / "score.py"

FLOOR_EXACT = {"unsafe_plans": 0, "never_advice": 0, "errors": 0, "emergency_sensitivity": 1.0}
FLOOR_MIN = {"triage_acceptable": 0.95, "red_flag_recall": 0.95, "factor_recall_top3": 0.9, "drug_class_recall": 0.95}


def _scorer() -> Any:
    if not SCORER_PATH.exists():
        pytest.skip(f"shared scorer not found at {SCORER_PATH}")
    spec = importlib.util.spec_from_file_location("crampwise_shared_score_blind", SCORER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _results(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for case in cases:
        try:
            out.append({"id": case["id"], "assessment": assess_text(case["narrative"]).to_dict()})
        except InputError as err:
            out.append({"id": case["id"], "error": str(err)})
    return out


def test_blind_case_ids_are_unique_and_prefixed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"(?:[a-y]|z[a-h]?)-", i) for i in ids)


def test_engine_meets_safety_floor_on_blind_cases() -> None:
    summary, notes = _scorer().score(CASES, _results(CASES))
    failures = [f"{k}={summary[k]} (needs =={v})" for k, v in FLOOR_EXACT.items() if summary[k] != v]
    failures += [f"{k}={summary[k]} (needs >={v})" for k, v in FLOOR_MIN.items() if summary[k] < v]
    assert not failures, "\n".join([*failures, json.dumps(summary), *notes])

"""The fast serialiser (orjson over the result dataclasses) gives exactly `to_dict`'s document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crampwise.pipeline import assess_text
from crampwise.render.jsonout import assessment_bytes, dumps

CASES = Path(__file__).parents[1] / "cases"


def _narratives() -> list[str]:
    texts = []
    for name in ("own-cases.jsonl", "blind-cases.jsonl"):
        for line in (CASES / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["narrative"])
    return texts


def test_same_document_as_to_dict_on_every_case() -> None:
    texts = _narratives()
    assert len(texts) > 700
    for text in texts:
        assessment = assess_text(text)
        fast = json.loads(assessment_bytes(assessment))
        slow = json.loads(json.dumps(assessment.to_dict(), ensure_ascii=False))
        assert fast == slow, text[:80]
        assert list(fast) == list(slow)  # same key order as asdict


def test_text_stays_utf8_not_escaped() -> None:
    out = dumps({"unit": "µmol/L", "temp": "38.5 °C"})
    assert "µmol/L".encode() in out
    assert b"\\u" not in out


def test_sets_tuples_and_dates_serialise() -> None:
    import datetime as dt

    out = json.loads(dumps({"s": frozenset({"a"}), "t": (1, 2), "d": dt.date(2026, 12, 3), 1: "int key"}))
    assert out == {"s": ["a"], "t": [1, 2], "d": "2026-12-03", "1": "int key"}


def test_unknown_types_are_an_error_not_a_silent_string() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})

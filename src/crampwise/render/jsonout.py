"""JSON rendering. Field names follow shared/evaluation/CONTRACT.md.

`assessment_bytes` is the hot path of the API and `assess --jsonl`: orjson serialises the result
dataclasses directly, about ten times faster than `to_dict` + `json.dumps` (0.02 vs 0.18 ms for a
14 KB assessment, bench/bench_core.py), with the same document (a test compares them on every case).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from crampwise.model import Assessment
from crampwise.model.assessment import field_names, profile_to_dict

_OPTIONS = orjson.OPT_NON_STR_KEYS


def to_dict(assessment: Assessment) -> dict[str, Any]:
    return assessment.to_dict()


def to_json(assessment: Assessment, *, indent: int | None = 2) -> str:
    return json.dumps(to_dict(assessment), ensure_ascii=False, indent=indent)


def _default(value: Any) -> Any:
    # Sets and named tuples are not orjson types; dates come out as ISO text, as json's callers expect.
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    raise TypeError(type(value).__name__)


def dumps(payload: Any) -> bytes:
    """Compact UTF-8 JSON of plain values and result dataclasses (fields in declaration order)."""
    return orjson.dumps(payload, default=_default, option=_OPTIONS)


def shallow(assessment: Assessment) -> dict[str, Any]:
    """`to_dict`'s document with the result dataclasses left in place for `dumps` to walk."""
    out: dict[str, Any] = {name: getattr(assessment, name) for name in field_names(Assessment)}
    out["profile"] = profile_to_dict(assessment.profile)
    return out


def assessment_bytes(assessment: Assessment) -> bytes:
    return dumps(shallow(assessment))

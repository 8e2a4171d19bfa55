"""JSON rendering. Field names follow shared/evaluation/CONTRACT.md."""

from __future__ import annotations

import json
from typing import Any

from crampwise.model import Assessment


def to_dict(assessment: Assessment) -> dict[str, Any]:
    return assessment.to_dict()


def to_json(assessment: Assessment, *, indent: int | None = 2) -> str:
    return json.dumps(to_dict(assessment), ensure_ascii=False, indent=indent)

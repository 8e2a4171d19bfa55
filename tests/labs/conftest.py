"""Shared helpers for the labs tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BRIEF = Path(__file__).resolve().parents[3] / "shared/knowledge/clinical-brief.md"


def brief_keys() -> set[str]:
    """Citation keys defined in §10 of the clinical brief (first column of its tables)."""
    text = BRIEF.read_text(encoding="utf-8")
    section = text[text.index("## 10. References") : text.index("## 11.")]
    keys: set[str] = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 2 and cells[1] and cells[1] not in ("Key", "---"):
            keys.update(k.strip() for k in cells[1].split(","))
    return {k for k in keys if re.fullmatch(r"[A-Z0-9][A-Z0-9-]+", k)}


@pytest.fixture(scope="session")
def source_keys() -> set[str]:
    if not BRIEF.exists():
        pytest.skip(f"{BRIEF} not found")
    return brief_keys()

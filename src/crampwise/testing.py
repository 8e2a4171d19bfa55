"""Helpers for tests of Crampwise and of code built on it (public, like structlog.testing)."""

from __future__ import annotations

import re
from pathlib import Path

_SECTION = re.compile(r"^([a-z_]+):\s*(#.*)?$")
_ENTRY = re.compile(r"^  ([a-z0-9_]+):\s*(.*)$")


def shared_dir() -> Path:
    """The `shared/` folder beside the project checkout (evaluation cases, vocabulary, brief)."""
    return Path(__file__).resolve().parents[3] / "shared"


def read_vocabulary(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The evaluation vocabulary as {section: {id: description}}.

    The shared file is not strict YAML (a description holds an unquoted ': '), so it is read by its
    simple layout: `section:` lines, then two-space-indented `id: description` lines.
    """
    path = path or shared_dir() / "evaluation" / "vocabulary.yaml"
    out: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        section = _SECTION.match(line)
        if section:
            current = out.setdefault(section.group(1), {})
            continue
        entry = _ENTRY.match(line)
        if entry and current is not None:
            current[entry.group(1)] = entry.group(2)
    return out

"""The public interface of crampwise.labs."""

from __future__ import annotations

import dataclasses

import crampwise.labs
from crampwise.labs import LabMention, LabReport


def test_exported_members() -> None:
    """__all__ lists exactly the public names the package exposes."""
    public = {name for name in vars(crampwise.labs) if not name.startswith("_")}
    modules = {"build"}  # submodules appear in the namespace once imported

    assert set(crampwise.labs.__all__) == public - modules


def test_mention_fields() -> None:
    """LabMention is a frozen dataclass with the fields the engine and text parser rely on."""
    names = [f.name for f in dataclasses.fields(LabMention)]
    required = ["analyte", "value", "unit", "start", "end", "evidence", "reported_low", "reported_high"]

    assert names[: len(required)] == required
    assert LabMention.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_report_fields() -> None:
    """LabReport is a frozen dataclass of values, derived values and messages."""
    assert [f.name for f in dataclasses.fields(LabReport)] == ["values", "derived", "messages"]
    assert LabReport.__dataclass_params__.frozen  # type: ignore[attr-defined]

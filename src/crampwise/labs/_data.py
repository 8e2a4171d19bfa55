"""The packaged analyte data (`data/analytes.json`, compiled from `data/analytes.yaml`) as typed objects.

Standard library only: the JSON is read once through importlib.resources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, cast

__all__ = ["Analyte", "Band", "LabData", "Range", "Unit", "load_data"]


@dataclass(frozen=True)
class Unit:
    name: str
    factor: float  # value_si = factor * (value + shift)
    shift: float = 0.0
    sources: tuple[str, ...] = ()
    verified: bool = True
    derived: str = ""

    def to_si(self, value: float) -> float:
        return self.factor * (value + self.shift)

    def from_si(self, value_si: float) -> float:
        return value_si / self.factor - self.shift


@dataclass(frozen=True)
class Range:
    low: float | None
    high: float | None
    sources: tuple[str, ...]
    sex: str = "any"
    pregnant: bool = False
    high_exclusive: bool = False
    verified: bool = True
    note: str = ""


@dataclass(frozen=True)
class Band:
    message: str
    min: float | None = None
    max: float | None = None
    min_x_uln: float | None = None
    max_x_uln: float | None = None
    status: str | None = None
    sources: tuple[str, ...] = ()
    verified: bool = True
    basis: str = ""

    def applies(self, value_si: float, uln: float | None) -> bool:
        if self.min is not None and value_si < self.min:
            return False
        if self.max is not None and value_si >= self.max:
            return False
        if self.min_x_uln is not None or self.max_x_uln is not None:
            if uln is None or uln <= 0:
                return False
            multiple = value_si / uln
            if self.min_x_uln is not None and multiple < self.min_x_uln:
                return False
            if self.max_x_uln is not None and multiple >= self.max_x_uln:
                return False
        return True


@dataclass(frozen=True)
class Analyte:
    id: str
    label: str
    si_unit: str
    decimals: int
    names: tuple[str, ...]
    adjusted_names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    units: dict[str, Unit]
    infer: dict[str, tuple[float, float]]
    plausible: tuple[float, float]
    ranges: tuple[Range, ...]
    bands: tuple[Band, ...]

    def range_for(self, sex: str | None, pregnant: bool | None) -> Range:
        """The reference interval that fits the person best (pregnancy, then sex, then any)."""
        if pregnant:
            for candidate in self.ranges:
                if candidate.pregnant and candidate.sex in ("any", sex):
                    return candidate
        if sex is not None:
            for candidate in self.ranges:
                if candidate.sex == sex and not candidate.pregnant:
                    return candidate
        for candidate in self.ranges:
            if candidate.sex == "any" and not candidate.pregnant:
                return candidate
        raise LookupError(f"{self.id}: no default range")  # pragma: no cover - build.py forbids it


@dataclass(frozen=True)
class LabData:
    analytes: dict[str, Analyte]
    unit_spellings: dict[str, tuple[str, ...]]
    not_results: tuple[str, ...]
    derived: dict[str, Any]


def _unit(name: str, raw: dict[str, Any]) -> Unit:
    return Unit(
        name=name,
        factor=float(raw["factor"]),
        shift=float(raw["shift"]),
        sources=tuple(raw["sources"]),
        verified=bool(raw["verified"]),
        derived=str(raw["derived"]),
    )


def _range(raw: dict[str, Any]) -> Range:
    return Range(
        low=raw["low"],
        high=raw["high"],
        sources=tuple(raw["sources"]),
        sex=str(raw["sex"]),
        pregnant=bool(raw["pregnant"]),
        high_exclusive=bool(raw["high_exclusive"]),
        verified=bool(raw["verified"]),
        note=str(raw["note"]),
    )


def _band(raw: dict[str, Any]) -> Band:
    return Band(
        message=str(raw["message"]),
        min=raw["min"],
        max=raw["max"],
        min_x_uln=raw["min_x_uln"],
        max_x_uln=raw["max_x_uln"],
        status=raw["status"],
        sources=tuple(raw["sources"]),
        verified=bool(raw["verified"]),
        basis=str(raw["basis"]),
    )


def _analyte(aid: str, raw: dict[str, Any]) -> Analyte:
    return Analyte(
        id=aid,
        label=str(raw["label"]),
        si_unit=str(raw["si_unit"]),
        decimals=int(raw["decimals"]),
        names=tuple(raw["names"]),
        adjusted_names=tuple(raw["adjusted_names"]),
        abbreviations=tuple(raw["abbreviations"]),
        units={name: _unit(name, spec) for name, spec in raw["units"].items()},
        infer={name: (float(lo), float(hi)) for name, (lo, hi) in raw["infer"].items()},
        plausible=(float(raw["plausible"][0]), float(raw["plausible"][1])),
        ranges=tuple(_range(r) for r in raw["ranges"]),
        bands=tuple(_band(b) for b in raw["bands"]),
    )


def parse_document(document: dict[str, Any]) -> LabData:
    return LabData(
        analytes={aid: _analyte(aid, spec) for aid, spec in document["analytes"].items()},
        unit_spellings={u: tuple(v) for u, v in document["unit_spellings"].items()},
        not_results=tuple(document["not_results"]),
        derived=dict(document["derived"]),
    )


@lru_cache(maxsize=1)
def load_data() -> LabData:
    """Read the compiled analyte data shipped with the package (cached)."""
    text = files("crampwise.labs").joinpath("data/analytes.json").read_text(encoding="utf-8")
    return parse_document(cast(dict[str, Any], json.loads(text)))

"""Compile `data/analytes.yaml` into `data/analytes.json`, the copy the package loads at run time.

Build time only: this module imports PyYAML (a development dependency); nothing at run time imports it.

    python -m crampwise.labs.build          # validate and write data/analytes.json
    python -m crampwise.labs.build --check  # exit 1 if the JSON is stale or the YAML is invalid
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SOURCE = DATA / "analytes.yaml"
TARGET = DATA / "analytes.json"

STATUSES = ("low", "normal", "high", "critical_low", "critical_high", "implausible")
SEXES = ("any", "female", "male")


class DataError(ValueError):
    """The YAML does not follow the schema described at the top of analytes.yaml."""


def load_yaml(path: Path = SOURCE) -> dict[str, Any]:
    import yaml  # build-time dependency only

    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected a mapping at the top level")
    return raw


def _num(value: Any, where: str, errors: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        errors.append(f"{where}: expected a number, got {value!r}")
        return None
    return float(value)


def _keys(value: Any, where: str, errors: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(k, str) and k for k in value):
        errors.append(f"{where}: sources must be a list of citation keys")
        return []
    return list(value)


def _strings(value: Any, where: str, errors: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        errors.append(f"{where}: expected a list of non-empty strings")
        return []
    return [str(k) for k in value]


def _unit(name: str, spec: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        errors.append(f"{where}: expected a mapping")
        spec = {}
    factor = _num(spec.get("factor"), f"{where}.factor", errors)
    if factor is None or factor <= 0:
        errors.append(f"{where}: factor must be a positive number")
        factor = 1.0
    return {
        "factor": factor,
        "shift": _num(spec.get("shift", 0), f"{where}.shift", errors) or 0.0,
        "sources": _keys(spec.get("sources"), where, errors),
        "verified": bool(spec.get("verified", True)),
        "derived": str(spec.get("derived", "")),
    }


def _range(spec: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        errors.append(f"{where}: expected a mapping")
        spec = {}
    low = _num(spec.get("low"), f"{where}.low", errors)
    high = _num(spec.get("high"), f"{where}.high", errors)
    if low is None and high is None:
        errors.append(f"{where}: a range needs low, high or both")
    if low is not None and high is not None and low >= high:
        errors.append(f"{where}: low must be below high")
    sex = spec.get("sex", "any")
    if sex not in SEXES:
        errors.append(f"{where}: sex must be one of {SEXES}")
    sources = _keys(spec.get("sources"), where, errors)
    if not sources:
        errors.append(f"{where}: every range needs at least one citation key")
    return {
        "low": low,
        "high": high,
        "high_exclusive": bool(spec.get("high_exclusive", False)),
        "sex": sex,
        "pregnant": bool(spec.get("pregnant", False)),
        "sources": sources,
        "verified": bool(spec.get("verified", True)),
        "note": str(spec.get("note", "")),
    }


def _band(spec: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(spec, dict):
        errors.append(f"{where}: expected a mapping")
        spec = {}
    status = spec.get("status")
    if status is not None and status not in STATUSES:
        errors.append(f"{where}: unknown status {status!r}")
    verified = bool(spec.get("verified", True))
    sources = _keys(spec.get("sources"), where, errors)
    if verified and not sources:
        errors.append(f"{where}: a verified band needs at least one citation key")
    if not verified and not spec.get("basis"):
        errors.append(f"{where}: an unverified band must say why (basis)")
    message = spec.get("message")
    if not isinstance(message, str) or not message:
        errors.append(f"{where}: message is required")
        message = ""
    band = {
        "min": _num(spec.get("min"), f"{where}.min", errors),
        "max": _num(spec.get("max"), f"{where}.max", errors),
        "min_x_uln": _num(spec.get("min_x_uln"), f"{where}.min_x_uln", errors),
        "max_x_uln": _num(spec.get("max_x_uln"), f"{where}.max_x_uln", errors),
        "status": status,
        "message": message,
        "sources": sources,
        "verified": verified,
        "basis": str(spec.get("basis", "")),
    }
    if all(band[k] is None for k in ("min", "max", "min_x_uln", "max_x_uln")):
        errors.append(f"{where}: a band needs min, max, min_x_uln or max_x_uln")
    return band


def _analyte(aid: str, spec: Any, spellings: dict[str, list[str]], errors: list[str]) -> dict[str, Any]:
    where = f"analytes.{aid}"
    if not isinstance(spec, dict):
        errors.append(f"{where}: expected a mapping")
        return {}
    si_unit = spec.get("si_unit")
    units_raw = spec.get("units")
    if not isinstance(units_raw, dict) or not units_raw:
        errors.append(f"{where}.units: at least one unit is required")
        units_raw = {}
    units = {str(u): _unit(str(u), s, f"{where}.units.{u}", errors) for u, s in units_raw.items()}
    for unit in units:
        if unit not in spellings:
            errors.append(f"{where}.units: {unit!r} has no entry in unit_spellings")
    if si_unit not in units:
        errors.append(f"{where}: si_unit {si_unit!r} must be listed in units")
    elif units[si_unit]["factor"] != 1 or units[si_unit]["shift"] != 0:
        errors.append(f"{where}: the SI unit must have factor 1 and no shift")
    infer_raw = spec.get("infer") or {}
    infer: dict[str, list[float]] = {}
    if not isinstance(infer_raw, dict) or not infer_raw:
        errors.append(f"{where}.infer: at least one window is required")
        infer_raw = {}
    for unit, window in infer_raw.items():
        if unit not in units:
            errors.append(f"{where}.infer: {unit!r} is not one of the analyte's units")
        if not (isinstance(window, list) and len(window) == 2 and window[0] < window[1]):
            errors.append(f"{where}.infer.{unit}: expected [low, high]")
            continue
        infer[str(unit)] = [float(window[0]), float(window[1])]
    plausible = spec.get("plausible")
    if not (isinstance(plausible, list) and len(plausible) == 2 and 0 < plausible[0] < plausible[1]):
        errors.append(f"{where}.plausible: expected [low, high] above zero")
        plausible = [0.0, float("inf")]
    ranges = [_range(r, f"{where}.ranges[{i}]", errors) for i, r in enumerate(spec.get("ranges") or [])]
    if not any(r["sex"] == "any" and not r["pregnant"] for r in ranges):
        errors.append(f"{where}.ranges: a range for sex 'any' (not pregnancy-specific) is required")
    bands = [_band(b, f"{where}.bands[{i}]", errors) for i, b in enumerate(spec.get("bands") or [])]
    label = spec.get("label")
    if not isinstance(label, str) or not label:
        errors.append(f"{where}.label: required")
    decimals = spec.get("decimals", 2)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
        errors.append(f"{where}.decimals: expected 0..4")
        decimals = 2
    return {
        "label": label,
        "si_unit": si_unit,
        "decimals": decimals,
        "names": _strings(spec.get("names"), f"{where}.names", errors),
        "adjusted_names": _strings(spec.get("adjusted_names"), f"{where}.adjusted_names", errors),
        "abbreviations": _strings(spec.get("abbreviations"), f"{where}.abbreviations", errors),
        "units": units,
        "infer": infer,
        "plausible": [float(plausible[0]), float(plausible[1])],
        "ranges": ranges,
        "bands": bands,
    }


def _alias_key(alias: str) -> str:
    return "".join(ch for ch in alias.lower() if not ch.isspace() and ch != "-")


def compile_data(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate the YAML document and return the JSON document (raises DataError listing problems)."""
    errors: list[str] = []
    if raw.get("schema") != 1:
        errors.append("schema: expected 1")
    spellings_raw = raw.get("unit_spellings")
    spellings: dict[str, list[str]] = {}
    if not isinstance(spellings_raw, dict):
        errors.append("unit_spellings: expected a mapping")
    else:
        seen: dict[str, str] = {}
        for unit, variants in spellings_raw.items():
            items = _strings(variants, f"unit_spellings.{unit}", errors)
            if unit not in items:
                errors.append(f"unit_spellings.{unit}: the normalised spelling must be listed too")
            for variant in items:
                key = variant.lower()
                if key in seen and seen[key] != unit:
                    errors.append(f"unit_spellings: {variant!r} is listed under {seen[key]!r} and {unit!r}")
                seen[key] = str(unit)
            spellings[str(unit)] = items
    analytes_raw = raw.get("analytes")
    if not isinstance(analytes_raw, dict) or not analytes_raw:
        errors.append("analytes: expected a mapping")
        analytes_raw = {}
    analytes = {str(a): _analyte(str(a), s, spellings, errors) for a, s in analytes_raw.items()}
    # An alias must name one analyte only.
    owner: dict[str, str] = {}
    for aid, spec in analytes.items():
        for alias in [*spec.get("names", []), *spec.get("adjusted_names", [])]:
            key = _alias_key(alias)
            if owner.get(key, aid) != aid:
                errors.append(f"alias {alias!r} is used by {owner[key]!r} and {aid!r}")
            owner[key] = aid
    not_results = _strings(raw.get("not_results"), "not_results", errors)
    derived = raw.get("derived")
    if not isinstance(derived, dict) or not {"egfr", "ckd_stage", "corrected_calcium"} <= set(derived):
        errors.append("derived: egfr, ckd_stage and corrected_calcium are required")
        derived = {}
    if errors:
        raise DataError("analytes.yaml is not valid:\n  " + "\n  ".join(errors))
    return {
        "schema": 1,
        "generated_from": "src/crampwise/labs/data/analytes.yaml (python -m crampwise.labs.build)",
        "unit_spellings": spellings,
        "not_results": not_results,
        "analytes": analytes,
        "derived": derived,
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crampwise.labs.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="fail if analytes.json is stale")
    args = parser.parse_args(argv)
    try:
        text = render(compile_data(load_yaml()))
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run python -m crampwise.labs.build", file=sys.stderr)
            return 1
        print(f"{TARGET.name} is up to date")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

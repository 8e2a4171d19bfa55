"""The analyte data: compiled copy fresh, every range sourced, runtime free of build-time imports."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from crampwise.labs import build
from crampwise.labs._data import load_data, parse_document

EXPECTED_ANALYTES = {
    "sodium", "potassium", "calcium", "ionised_calcium", "albumin", "magnesium", "phosphate", "creatinine",
    "urea", "bun", "egfr", "glucose", "hba1c", "tsh", "free_t4", "ck", "vitamin_d", "pth", "ferritin",
}  # fmt: skip


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build.compile_data(build.load_yaml())


def test_compiled_json_is_fresh(document: dict[str, Any]) -> None:
    """data/analytes.json is exactly what `python -m crampwise.labs.build` makes from the YAML."""
    assert build.TARGET.read_text(encoding="utf-8") == build.render(document)


def test_build_check_command() -> None:
    """`python -m crampwise.labs.build --check` agrees that the JSON is up to date."""
    assert build.main(["--check"]) == 0


def test_packaged_data_matches_yaml(document: dict[str, Any]) -> None:
    """What the package loads is the YAML's content."""
    assert load_data() == parse_document(json.loads(build.render(document)))


def test_all_analytes_present() -> None:
    """Every analyte the issue lists is defined."""
    assert set(load_data().analytes) == EXPECTED_ANALYTES


def test_every_analyte_has_a_sourced_default_range(source_keys: set[str]) -> None:
    """Every analyte has a default range, and every range cites keys defined in the brief §10."""
    for aid, analyte in load_data().analytes.items():
        assert any(r.sex == "any" and not r.pregnant for r in analyte.ranges), aid
        for rng in analyte.ranges:
            assert rng.sources, aid
            assert set(rng.sources) <= source_keys, (aid, rng.sources)


def test_every_cited_key_exists(source_keys: set[str]) -> None:
    """Every citation key anywhere in the data (units, bands, derived values) is in the brief §10."""
    data = load_data()
    cited: set[str] = set()
    for analyte in data.analytes.values():
        cited.update(k for unit in analyte.units.values() for k in unit.sources)
        cited.update(k for band in analyte.bands for k in band.sources)
    for spec in data.derived.values():
        cited.update(spec.get("sources", []))
        cited.update(spec.get("range", {}).get("sources", []))
        if "ranges_source" in spec:
            cited.add(spec["ranges_source"])
    assert cited <= source_keys, cited - source_keys


def test_verified_thresholds_are_sourced() -> None:
    """A threshold shown as a sourced fact has a key; an unverified one says why it is kept."""
    for analyte in load_data().analytes.values():
        for band in analyte.bands:
            assert band.sources if band.verified else band.basis, (analyte.id, band.message)


def test_unverified_thresholds_are_marked() -> None:
    """The thresholds the brief calls UNVERIFIED are marked verified: false."""
    analytes = load_data().analytes

    def band(aid: str, status: str) -> bool:
        return next(b for b in analytes[aid].bands if b.status == status).verified

    assert not band("sodium", "critical_low")
    assert not band("potassium", "critical_low")
    assert not band("magnesium", "critical_low")
    assert band("potassium", "critical_high")
    assert band("calcium", "critical_low")
    assert band("ck", "critical_high")
    assert not analytes["hba1c"].units["%"].verified


def test_every_unit_has_a_source_or_a_derivation() -> None:
    """Each non-SI unit factor names a source or shows how it was derived."""
    for analyte in load_data().analytes.values():
        for name, unit in analyte.units.items():
            if name != analyte.si_unit:
                assert unit.sources or unit.derived, (analyte.id, name)


def test_inference_windows_lie_within_plausible_bounds() -> None:
    """A unit assumed from the size of a number gives a value that can be real."""
    for analyte in load_data().analytes.values():
        low, high = analyte.plausible
        for name, (window_low, window_high) in analyte.infer.items():
            unit = analyte.units[name]
            assert unit.to_si(window_low) >= low * 0.999, (analyte.id, name)
            assert unit.to_si(window_high) <= high * 1.001, (analyte.id, name)


def test_invalid_yaml_is_rejected() -> None:
    """The build refuses a range without a source or an unknown status."""
    raw = build.load_yaml()
    raw["analytes"]["sodium"]["ranges"][0]["sources"] = []
    raw["analytes"]["sodium"]["bands"][0]["status"] = "dire"

    with pytest.raises(build.DataError, match="citation key") as caught:
        build.compile_data(raw)
    assert "unknown status" in str(caught.value)


def test_runtime_imports_stay_light() -> None:
    """Using crampwise.labs (and the CLI command) loads no yaml, pydantic or other heavy library."""
    code = (
        "import sys\n"
        "from crampwise.labs import interpret, parse_labs\n"
        "import crampwise.cli.labs_cmd\n"
        "interpret(parse_labs('potassium 3.1'), age=70, sex='female')\n"
        "heavy = {'yaml', 'pydantic', 'fastapi', 'sqlalchemy', 'jinja2', 'rapidfuzz'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"

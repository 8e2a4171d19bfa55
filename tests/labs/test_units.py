"""Unit conversions: factors from molar masses, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crampwise.labs import convert
from crampwise.labs._data import load_data

# Standard molar masses (g/mol) quoted in the brief §7.1 or from IUPAC atomic weights.
_MOLAR = {
    "calcium": 40.078,
    "ionised_calcium": 40.078,
    "magnesium": 24.305,
    "phosphate": 30.974,
    "glucose": 180.156,
    "potassium": 39.098,
    "urea": 60.056,
    "bun": 28.014,
}


@pytest.mark.parametrize(("analyte", "molar_mass"), sorted(_MOLAR.items()))
def test_mg_per_dl_factors_follow_molar_mass(analyte: str, molar_mass: float) -> None:
    """mg/dL → mmol/L is 10 ÷ molar mass."""
    factor = load_data().analytes[analyte].units["mg/dL"].factor

    assert factor == pytest.approx(10 / molar_mass, rel=3e-3)


def test_creatinine_factor() -> None:
    """mg/dL → µmol/L for creatinine (113.12 g/mol) is 88.4."""
    factor = load_data().analytes["creatinine"].units["mg/dL"].factor

    assert factor == pytest.approx(10_000 / 113.12, rel=1e-3)


def test_vitamin_d_factor() -> None:
    """ng/mL → nmol/L for 25-OH-D3 (400.64 g/mol) is 2.496."""
    assert load_data().analytes["vitamin_d"].units["ng/mL"].factor == pytest.approx(1000 / 400.64, rel=1e-3)


def test_pth_factor() -> None:
    """pg/mL → pmol/L for PTH (about 9.4–9.5 kDa) is about 0.106."""
    factor = load_data().analytes["pth"].units["pg/mL"].factor

    assert 1000 / 9500 <= factor <= 1000 / 9400


def test_free_t4_factor() -> None:
    """ng/dL → pmol/L for thyroxine (776.87 g/mol) is 12.87."""
    assert load_data().analytes["free_t4"].units["ng/dL"].factor == pytest.approx(10_000 / 776.87, rel=1e-3)


def test_divalent_ions_in_meq() -> None:
    """Calcium and magnesium: mEq/L × 0.5 = mmol/L; sodium and potassium 1:1."""
    analytes = load_data().analytes
    assert analytes["magnesium"].units["mEq/L"].factor == 0.5
    assert analytes["calcium"].units["mEq/L"].factor == 0.5
    assert analytes["sodium"].units["mEq/L"].factor == 1
    assert analytes["potassium"].units["mEq/L"].factor == 1


def test_hba1c_master_equation() -> None:
    """IFCC = 10.929 × (DCCT − 2.15), and back: DCCT = 0.0915 × IFCC + 2.15."""
    assert convert("hba1c", 9.3, "%") == pytest.approx(78.1, abs=0.1)
    assert convert("hba1c", 48, "mmol/mol", "%") == pytest.approx(0.0915 * 48 + 2.15, abs=0.01)


def test_brief_conversions() -> None:
    """Spot checks from the brief §7.1."""
    assert convert("calcium", 10.0, "mg/dL") == pytest.approx(2.495)
    assert convert("creatinine", 1.0, "mg/dL") == pytest.approx(88.4)
    assert convert("albumin", 3.5, "g/dL") == pytest.approx(35)
    assert convert("glucose", 126, "mg/dL") == pytest.approx(7.0, abs=0.05)
    assert convert("ck", 1.0, "µkat/L") == pytest.approx(1 / 0.0167, rel=1e-3)


def test_unknown_unit_or_analyte() -> None:
    """Converting to a unit the analyte does not use is an error."""
    with pytest.raises(ValueError, match="not measured in U/L"):
        convert("potassium", 3.1, "U/L")
    with pytest.raises(ValueError, match="unknown analyte"):
        convert("unobtainium", 1, "mmol/L")


_PAIRS = sorted(
    (aid, unit) for aid, spec in load_data().analytes.items() for unit in spec.units if unit != spec.si_unit
)


@settings(max_examples=300, deadline=None)
@given(pair=st.sampled_from(_PAIRS), value=st.floats(min_value=1e-3, max_value=1e6))
def test_round_trip_through_si(pair: tuple[str, str], value: float) -> None:
    """Any unit → SI → same unit gives back the number."""
    analyte, unit = pair

    back = convert(analyte, convert(analyte, value, unit), load_data().analytes[analyte].si_unit, unit)

    assert back == pytest.approx(value, rel=1e-9, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_round_trip_between_any_two_units(data: st.DataObject) -> None:
    """Any unit → any other unit of the same analyte → back gives the number."""
    analyte = data.draw(st.sampled_from(sorted(load_data().analytes)))
    units = sorted(load_data().analytes[analyte].units)
    first, second = data.draw(st.sampled_from(units)), data.draw(st.sampled_from(units))
    value = data.draw(st.floats(min_value=1e-2, max_value=1e5))

    assert convert(analyte, convert(analyte, value, first, second), second, first) == pytest.approx(value)

"""Formulas: CKD-EPI 2021 eGFR, KDIGO GFR category, albumin-adjusted calcium (brief §7.2–7.3)."""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "CREATININE_UMOL_PER_MG_DL",
    "ckd_stage",
    "corrected_calcium",
    "egfr_ckd_epi_2021",
    "round_half_up",
]

CREATININE_UMOL_PER_MG_DL = 88.4  # brief §7.1: mg/dL × 88.4 = µmol/L

# KDIGO GFR categories, lowest eGFR of each (brief §7.3 [MEDIKQ-CKDEPI]); value 3.0 = G3a, 3.5 = G3b.
_CATEGORIES: tuple[tuple[int, float, str, str], ...] = (
    (90, 1.0, "G1", "normal or high"),
    (60, 2.0, "G2", "mildly decreased"),
    (45, 3.0, "G3a", "mildly to moderately decreased"),
    (30, 3.5, "G3b", "moderately to severely decreased"),
    (15, 4.0, "G4", "severely decreased"),
    (0, 5.0, "G5", "kidney failure"),
)


def round_half_up(value: float) -> int:
    """Round to a whole number the way laboratories report eGFR (59.5 -> 60)."""
    return math.floor(value + 0.5)


def egfr_ckd_epi_2021(scr_mg_dl: float, age: float, sex: Literal["female", "male"]) -> float:
    """eGFR in mL/min/1.73 m² by the race-free CKD-EPI 2021 creatinine equation.

    Args:
        scr_mg_dl: standardised serum creatinine in mg/dL (µmol/L ÷ 88.4).
        age: years; the equation is validated for adults (18 or over).
        sex: "female" or "male".
    """
    if scr_mg_dl <= 0:
        raise ValueError("creatinine must be positive")
    if sex not in ("female", "male"):
        raise ValueError("sex must be 'female' or 'male'")
    female = sex == "female"
    kappa = 0.7 if female else 0.9
    alpha = -0.241 if female else -0.302
    ratio = scr_mg_dl / kappa
    egfr = float(142.0 * min(ratio, 1.0) ** alpha * max(ratio, 1.0) ** -1.200 * 0.9938**age)
    return egfr * 1.012 if female else egfr


def ckd_stage(egfr: float) -> tuple[float, str, str]:
    """KDIGO GFR category of an eGFR: (value 1, 2, 3.0, 3.5, 4 or 5; label such as "G3a"; meaning)."""
    whole = round_half_up(egfr)
    for lowest, value, label, meaning in _CATEGORIES:
        if whole >= lowest:
            return value, label, meaning
    return _CATEGORIES[-1][1:]


def corrected_calcium(calcium_mmol_l: float, albumin_g_l: float) -> float:
    """Albumin-adjusted calcium in mmol/L: Ca + 0.02 × (40 − albumin g/L) (Payne 1973)."""
    return calcium_mmol_l + 0.02 * (40.0 - albumin_g_l)

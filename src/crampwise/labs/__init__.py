"""Laboratory results: read them in any common unit, interpret them, derive eGFR and adjusted calcium.

    from crampwise.labs import interpret, parse_labs

    report = interpret(parse_labs("creatinine 1.4 mg/dL, K 3.1"), age=70, sex="female")
    [(v.analyte, v.status) for v in report.values]    # [("creatinine", "high"), ("potassium", "low")]
    [(d.analyte, d.message) for d in report.derived]  # [("egfr", "eGFR 40 ..."), ("ckd_stage", "G3b")]
    report.messages                                   # assumed units, likely typos, what is missing

Data (units, conversion factors, reference intervals, thresholds, each with its citation key) live in
`data/analytes.yaml`; the package loads the compiled copy `data/analytes.json`
(regenerate it with `python -m crampwise.labs.build`). Standard library only.
"""

from crampwise.labs._formulas import ckd_stage, corrected_calcium, egfr_ckd_epi_2021
from crampwise.labs._interpret import LAB_RANGE_SOURCE, LabReport, convert, interpret
from crampwise.labs._parse import LabMention, normalise_unit, parse_labs

__all__ = [
    "LAB_RANGE_SOURCE",
    "LabMention",
    "LabReport",
    "ckd_stage",
    "convert",
    "corrected_calcium",
    "egfr_ckd_epi_2021",
    "interpret",
    "normalise_unit",
    "parse_labs",
]

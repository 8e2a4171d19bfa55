"""Hypothesis strategies shared by the property tests: structured profiles and short narratives.

Everything is drawn from the real knowledge base (finding ids, medicine names, red-flag triggers)
so the generated inputs move with the KB as it is edited.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from crampwise.kb import load
from crampwise.kb.loader import Trigger
from crampwise.testing import read_vocabulary as _read_vocabulary
from crampwise.text.extract import REMEDY_CLASSES

VOCABULARY = Path(__file__).resolve().parents[3] / "shared" / "evaluation" / "vocabulary.yaml"

# analyte -> (unit, low, high) of plausible values to draw from, in the unit given
LAB_RANGES: dict[str, tuple[str, float, float]] = {
    "sodium": ("mmol/L", 115, 160),
    "potassium": ("mmol/L", 2.0, 7.5),
    "calcium": ("mmol/L", 1.5, 3.3),
    "magnesium": ("mmol/L", 0.3, 1.5),
    "magnesium ": ("mg/dL", 0.8, 3.5),  # same analyte in another unit (key stripped below)
    "phosphate": ("mmol/L", 0.4, 2.5),
    "creatinine": ("µmol/L", 40, 900),
    "albumin": ("g/L", 20, 50),
    "ck": ("U/L", 30, 40000),
    "tsh": ("mU/L", 0.05, 30),
    "vitamin_d": ("nmol/L", 10, 150),
    "glucose": ("mmol/L", 3.0, 25),
    "egfr": ("mL/min/1.73m²", 5, 110),
}


def read_vocabulary(path: Path = VOCABULARY) -> dict[str, dict[str, str]]:
    return _read_vocabulary(path)

@cache
def finding_ids() -> list[str]:
    return sorted(load().findings)


@cache
def medicine_names() -> list[str]:
    """Generic names and brands the structured profile accepts (remedies need a verb of use in text)."""
    kb = load()
    names: set[str] = set()
    for med_id, spec in kb.medicines.items():
        if str(spec.get("class", "none")) in REMEDY_CLASSES:
            continue
        names.add(med_id.replace("_", " "))
        for group in (spec.get("brands") or {}).values():
            names.update(str(b) for b in (group or [])[:1])
    return sorted(names)


def finding_only_triggers() -> list[tuple[str, Trigger]]:
    """Red-flag triggers whose positive atoms are all plain findings (so a profile can state them)."""
    out: list[tuple[str, Trigger]] = []
    for flag in load().red_flags.values():
        for trigger in flag.triggers:
            atoms = [*trigger.rule.all, *trigger.rule.any]
            if atoms and all(a.kind in ("finding", "any") for a in atoms):
                out.append((flag.id, trigger))
    return out


def trigger_findings(trigger: Trigger) -> list[str]:
    rule = trigger.rule
    return [a.name for a in rule.all] + [a.name for a in rule.any[: max(rule.min, 1)]]


statuses = st.sampled_from(["present", "present", "absent", "uncertain"])


@st.composite
def labs(draw: st.DrawFn) -> list[dict[str, Any]]:
    keys = draw(st.lists(st.sampled_from(sorted(LAB_RANGES)), max_size=3, unique_by=str.strip))
    out = []
    for key in keys:
        unit, low, high = LAB_RANGES[key]
        value = draw(st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False))
        out.append({"analyte": key.strip(), "value": round(value, 2), "unit": unit})
    return out


@st.composite
def profiles(draw: st.DrawFn, max_findings: int = 8) -> dict[str, Any]:
    """A structured profile as accepted by `assess_profile` / `crampwise assess --profile`."""
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["age"] = draw(st.one_of(st.integers(min_value=1, max_value=100),
                                     st.floats(min_value=0.5, max_value=110).map(lambda x: round(x, 1))))
    sex = draw(st.sampled_from([None, "female", "male"]))
    if sex:
        data["sex"] = sex
    if sex != "male" and draw(st.integers(0, 5)) == 0:
        data["pregnancy_weeks"] = draw(st.integers(min_value=6, max_value=41))
    ids = draw(st.lists(st.sampled_from(finding_ids()), max_size=max_findings, unique=True))
    data["findings"] = {i: draw(statuses) for i in ids}
    meds = draw(st.lists(st.sampled_from(medicine_names()), max_size=3, unique=True))
    if meds:
        data["medicines"] = [
            m if draw(st.booleans()) else
            {"name": m, "change": draw(st.sampled_from([None, "started", "increased", "stopped"])),
             "days_since_change": draw(st.one_of(st.none(), st.integers(0, 800)))}
            for m in meds
        ]
    lab_list = draw(labs())
    if lab_list:
        data["labs"] = lab_list
    return data


FRAGMENTS = [
    "I'm 67", "I'm 34", "45M", "F, 72", "my calves cramp at night", "I get foot cramps after running",
    "cramps in both legs most nights", "thigh cramps when I stand all day", "calf cramp during swimming",
    "it lasts a few minutes", "stretching helps", "I take Lasix", "I'm on atorvastatin", "on omeprazole",
    "I have diabetes", "I'm on dialysis", "24 weeks pregnant", "I drink a lot of coffee", "hot weather lately",
    "my left calf is sore", "I walk a lot", "the cramps started after a new tablet", "worse in winter",
]

narratives = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=5).map(lambda xs: ". ".join(xs) + ".")

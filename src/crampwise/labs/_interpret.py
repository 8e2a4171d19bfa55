"""Interpret laboratory results: SI conversion, reference intervals, status, derived values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from crampwise.labs._data import Analyte, Band, Range, Unit, load_data
from crampwise.labs._formulas import (
    CREATININE_UMOL_PER_MG_DL,
    ckd_stage,
    corrected_calcium,
    egfr_ckd_epi_2021,
    round_half_up,
)
from crampwise.labs._parse import LabMention, normalise_unit
from crampwise.model.profile import LabValue

__all__ = ["LAB_RANGE_SOURCE", "LabReport", "convert", "fmt", "interpret"]

LAB_RANGE_SOURCE = "your laboratory"
EGFR_UNIT = "mL/min/1.73m²"

_SEVERITY = {"normal": 0, "low": 1, "high": 1, "critical_low": 2, "critical_high": 2}
_STATUS_WORDS = {
    "low": "low",
    "normal": "in the usual range",
    "high": "high",
    "critical_low": "very low",
    "critical_high": "very high",
}
_UNVERIFIED = "a commonly used threshold, not yet checked against a source"


@dataclass(frozen=True)
class LabReport:
    """What a set of laboratory results means."""

    values: list[LabValue] = field(default_factory=list)  # one per mention, in order
    derived: list[LabValue] = field(default_factory=list)  # egfr, ckd_stage, corrected_calcium
    messages: list[str] = field(default_factory=list)  # plain-language notes (typos, assumptions...)

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": [asdict(v) for v in self.values],
            "derived": [asdict(v) for v in self.derived],
            "messages": list(self.messages),
        }


def fmt(value: float, decimals: int | None = None) -> str:
    """A number for people: thousands separators, no trailing zeros ("131,900", "3.1", "0.32")."""
    if decimals is None:
        decimals = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _given(value: float) -> str:
    """The number as the person gave it."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return fmt(value, 4)


def _join(number: str, unit: str) -> str:
    """ "9.3" and "%" -> "9.3%"; "3.1" and "mmol/L" -> "3.1 mmol/L"."""
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}".rstrip()


def _cite(keys: Sequence[str]) -> str:
    return f" [{'; '.join(keys)}]" if keys else ""


def convert(analyte: str, value: float, from_unit: str, to_unit: str | None = None) -> float:
    """Convert a result between two units of one analyte (to its SI unit by default)."""
    spec = load_data().analytes.get(analyte)
    if spec is None:
        raise ValueError(f"unknown analyte {analyte!r}")
    target = to_unit or spec.si_unit
    if from_unit not in spec.units or target not in spec.units:
        raise ValueError(
            f"{spec.label} is not measured in {from_unit if from_unit not in spec.units else target}"
        )
    return spec.units[target].from_si(spec.units[from_unit].to_si(value))


def _range_text(rng: Range, unit: str, decimals: int) -> str:
    if rng.low is not None and rng.high is not None:
        return f"{fmt(rng.low, decimals)}–{fmt(rng.high, decimals)} {unit}"
    if rng.high is not None:
        return f"below {fmt(rng.high, decimals)} {unit}"
    return f"{fmt(rng.low or 0.0, decimals)} {unit} or more"


def _base_status(value_si: float, rng: Range) -> str:
    if rng.low is not None and value_si < rng.low:
        return "low"
    if rng.high is not None and (value_si >= rng.high if rng.high_exclusive else value_si > rng.high):
        return "high"
    return "normal"


def _band_text(band: Band) -> str:
    if band.verified:
        return f"{band.message}{_cite(band.sources)}."
    return f"{band.message} ({_UNVERIFIED})."


def _classify(analyte: Analyte, value_si: float, rng: Range) -> tuple[str, list[str]]:
    """Status and band statements for a plausible value in the SI unit."""
    status = _base_status(value_si, rng)
    notes: list[str] = []
    for band in analyte.bands:
        if not band.applies(value_si, rng.high):
            continue
        notes.append(_band_text(band))
        if band.status is not None and _SEVERITY.get(band.status, 0) > _SEVERITY[status]:
            status = band.status
    return status, notes


def _describe(
    analyte: Analyte, given: str, value_si: float, unit: str, status: str, rng: Range, lab_range: str
) -> str:
    text = f"{analyte.label} {given}"
    if unit != analyte.si_unit:
        text += f" ({fmt(value_si, analyte.decimals)} {analyte.si_unit})"
    text += f" is {_STATUS_WORDS[status]}"
    shown = _range_text(rng, analyte.si_unit, analyte.decimals)
    if lab_range:
        text += f" (your laboratory's range: {lab_range}"
        text += f", {shown})" if unit != analyte.si_unit else ")"
    elif rng.verified:
        text += f" (usual range {shown}{_cite(rng.sources[:1])})"
    else:
        text += f" (compared with a commonly used range of {shown}, not yet checked against a source)"
    text += "."
    if status.startswith("critical"):
        text += " This needs urgent medical advice."
    return text


def _implausible_text(analyte: Analyte, value: float, unit: Unit, shown_unit: str) -> str:
    """Say a number cannot be a living person's result, and suggest the likely typo (45 -> 4.5?)."""
    value_si = unit.to_si(value)
    head = f"{analyte.label} {_join(_given(value), shown_unit)}"
    if unit.name != analyte.si_unit and shown_unit:
        head += f" ({fmt(value_si, analyte.decimals + 1)} {analyte.si_unit})"
    head += " is not possible in a living person"
    default = analyte.range_for(None, None)
    low, high = analyte.plausible
    other_unit = next(  # the right number with the wrong unit?
        (n for n, (lo, hi) in analyte.infer.items() if n != unit.name and shown_unit and lo <= value <= hi),
        None,
    )
    candidates = [value * 10.0**k for k in (-1, 1, -2, 2, -3, 3)]  # a slipped decimal point
    possible = [c for c in candidates if low <= unit.to_si(c) <= high]
    usual = [c for c in possible if _base_status(unit.to_si(c), default) == "normal"]
    typo: float | None = (usual or possible)[0] if usual or possible else None
    if typo is not None and other_unit is not None:
        first, second = _join(_given(value), other_unit), _join(fmt(typo, 4), unit.name)
        return f"{head} — was it {first}, or {second}? Please check."
    if typo is not None:
        return f"{head} — is it a typo ({fmt(typo, 4)}?)"
    if other_unit is not None:
        return f"{head} — was it {_join(_given(value), other_unit)}? Please check the unit."
    return f"{head} — please check the number and the unit."


@dataclass
class _Context:
    age: float | None
    sex: Literal["female", "male"] | None
    pregnant: bool | None
    messages: list[str]


def _resolve_unit(analyte: Analyte, mention: LabMention) -> list[str]:
    """Units the number may be in, when none was given (by its size and any printed range)."""
    fits = [u for u, (lo, hi) in analyte.infer.items() if lo <= mention.value <= hi]
    if len(fits) > 1 and mention.reported_low is not None and mention.reported_high is not None:
        middle = (mention.reported_low + mention.reported_high) / 2
        narrowed = [u for u in fits if analyte.infer[u][0] <= middle <= analyte.infer[u][1]]
        fits = narrowed or fits
    low, high = analyte.plausible
    possible = [u for u in fits if low <= analyte.units[u].to_si(mention.value) <= high]
    return possible or fits or [next(iter(analyte.infer))]


def _lab_range(analyte: Analyte, mention: LabMention, unit: Unit, ctx: _Context) -> Range | None:
    if mention.reported_low is None or mention.reported_high is None:
        return None
    low, high = unit.to_si(mention.reported_low), unit.to_si(mention.reported_high)
    plausible_low, plausible_high = analyte.plausible
    if plausible_low <= low < high <= plausible_high:
        return Range(low=low, high=high, sources=(LAB_RANGE_SOURCE,))
    ctx.messages.append(
        f"The range given for {analyte.label.lower()} ({_given(mention.reported_low)}–"
        f"{_given(mention.reported_high)} {unit.name}) does not look like a {analyte.label.lower()} range "
        "in that unit, so the usual range was used."
    )
    return None


def _value(mention: LabMention, ctx: _Context) -> LabValue:
    data = load_data()
    analyte = data.analytes.get(mention.analyte)
    base = LabValue(analyte=mention.analyte, value=mention.value, evidence=mention.evidence, earlier=mention.earlier)
    if analyte is None:
        message = f"{mention.analyte!r} is not a laboratory test Crampwise knows."
        ctx.messages.append(message)
        return replace(base, unit=mention.unit, status="implausible", message=message)
    name = analyte.label
    unit_name = normalise_unit(mention.unit)
    if unit_name and unit_name not in analyte.units:
        units = ", ".join(analyte.units)
        message = (
            f"{name} {_join(_given(mention.value), unit_name)}: {unit_name} is not a unit used for "
            f"{name.lower()} (it is reported in {units}) — please check the unit."
        )
        ctx.messages.append(message)
        return replace(base, unit=unit_name, status="implausible", message=message)
    if mention.value <= 0:
        message = f"{name} {_given(mention.value)} is not possible — please check the number."
        ctx.messages.append(message)
        return replace(base, unit=unit_name, status="implausible", message=message)
    assumed = False
    if not unit_name:
        fits = _resolve_unit(analyte, mention)
        if len(fits) > 1:
            return _ambiguous(analyte, mention, fits, ctx)
        unit_name, assumed = fits[0], True
    unit = analyte.units[unit_name]
    value_si = unit.to_si(mention.value)
    given = _join(f"{mention.comparator}{_given(mention.value)}", unit_name)
    low, high = analyte.plausible
    if not low <= value_si <= high:
        message = _implausible_text(analyte, mention.value, unit, "" if assumed else unit_name)
        if assumed:
            message = message.replace(" is not possible", f" (taken as {unit_name}) is not possible", 1)
        ctx.messages.append(message)
        return replace(base, unit=unit_name, value_si=round(value_si, 4), si_unit=analyte.si_unit,
                        status="implausible", message=message)  # fmt: skip
    if assumed:
        ctx.messages.append(
            f"{name} {_given(mention.value)}: no unit was given, so {unit_name} was assumed from the size "
            "of the number — check it against your report."
        )
    notes: list[str] = []
    if not unit.verified:
        notes.append(f"Converted from {unit_name} with a formula not yet checked against a source.")
    lab = _lab_range(analyte, mention, unit, ctx)
    rng = lab or analyte.range_for(ctx.sex, ctx.pregnant)
    lab_text = ""
    if lab is not None:
        lab_text = f"{_given(mention.reported_low or 0)}–{_given(mention.reported_high or 0)} {unit_name}"
        ctx.messages.append(f"Using the range your laboratory printed for {name.lower()} ({lab_text}).")
    # "eGFR <15" is below 15 and "CK >10,000" above it: nudge the value for comparisons only.
    nudge = {"<": -1e-9, ">": 1e-9}.get(mention.comparator, 0.0) * max(abs(value_si), 1.0)
    status, band_notes = _classify(analyte, value_si + nudge, rng)
    text = _describe(analyte, given, value_si, unit_name, status, rng, lab_text)
    if lab is None and rng.sex == "any" and any(r.sex != "any" for r in analyte.ranges):
        text += " The usual range differs for women and men; giving your sex makes this more precise."
    if mention.adjusted:
        text += " This is already albumin-adjusted."
    notes = [*band_notes, *notes]
    _check_second_value(analyte, mention, value_si, ctx)
    return replace(
        base,
        unit=unit_name,
        value_si=round(value_si, 4),
        si_unit=analyte.si_unit,
        status=status,
        range_low=None if rng.low is None else round(rng.low, 4),
        range_high=None if rng.high is None else round(rng.high, 4),
        range_source=LAB_RANGE_SOURCE if lab is not None else (rng.sources[0] if rng.verified else None),
        message=" ".join([text, *notes]),
    )


def _ambiguous(analyte: Analyte, mention: LabMention, fits: list[str], ctx: _Context) -> LabValue:
    """No unit, and the number fits more than one: say so; keep a status only if all readings agree."""
    rng = analyte.range_for(ctx.sex, ctx.pregnant)
    readings = {u: analyte.units[u].to_si(mention.value) for u in fits}
    statuses = {_classify(analyte, si, rng)[0] for si in readings.values()}
    options = " or ".join(
        _join(_given(mention.value), u)
        + (f" ({fmt(si, analyte.decimals)} {analyte.si_unit})" if u != analyte.si_unit else "")
        for u, si in readings.items()
    )
    message = f"{analyte.label} {_given(mention.value)}: no unit was given and the number could be {options}"
    status: str | None = None
    if len(statuses) == 1:
        status = statuses.pop()
        message += f"; it is {_STATUS_WORDS[status]} either way."
    else:
        message += "; please add the unit from your report."
    ctx.messages.append(message)
    return LabValue(
        analyte=mention.analyte,
        value=mention.value,
        evidence=mention.evidence,
        earlier=mention.earlier,
        si_unit=analyte.si_unit,
        status=status,
        range_low=rng.low,
        range_high=rng.high,
        range_source=rng.sources[0] if rng.verified else None,
        message=message,
    )


def _check_second_value(analyte: Analyte, mention: LabMention, value_si: float, ctx: _Context) -> None:
    """Two values for one result ("78 mmol/mol (9.3%)") should say the same thing."""
    if mention.alt_value is None or not mention.alt_unit or mention.alt_unit not in analyte.units:
        return
    other = analyte.units[mention.alt_unit].to_si(mention.alt_value)
    if abs(other - value_si) > max(0.05 * abs(value_si), 10**-analyte.decimals):
        ctx.messages.append(
            f"The two {analyte.label} values given ({_join(_given(mention.value), mention.unit)} and "
            f"{_join(_given(mention.alt_value), mention.alt_unit)}) do not match; the first was used — "
            "please check."
        )


def _usable(values: list[LabValue], analyte: str) -> LabValue | None:
    for value in values:
        if value.analyte == analyte and value.value_si is not None and value.status != "implausible" and not value.earlier:
            return value
    return None


def _egfr(values: list[LabValue], ctx: _Context) -> LabValue | None:
    creatinine = _usable(values, "creatinine")
    if creatinine is None or creatinine.value_si is None:
        return None
    if ctx.age is None or ctx.sex is None:
        missing = " and ".join(w for w, v in (("age", ctx.age), ("sex", ctx.sex)) if v is None)
        ctx.messages.append(f"To estimate eGFR from your creatinine, your {missing} are needed.")
        return None
    if ctx.age < 18:
        ctx.messages.append("eGFR was not estimated: the CKD-EPI 2021 equation is for adults (18 or over).")
        return None
    if ctx.pregnant:
        ctx.messages.append("eGFR was not estimated: creatinine-based equations are not valid in pregnancy.")
        return None
    scr = creatinine.value_si / CREATININE_UMOL_PER_MG_DL
    egfr = egfr_ckd_epi_2021(scr, ctx.age, ctx.sex)
    spec = load_data().analytes["egfr"]
    rng = spec.range_for(None, None)
    status, notes = _classify(spec, float(round_half_up(egfr)), rng)
    sources = load_data().derived["egfr"]["sources"]
    message = (
        f"eGFR {fmt(egfr, 0)} {EGFR_UNIT}, estimated from creatinine {fmt(creatinine.value_si, 0)} µmol/L "
        f"({fmt(scr, 2)} mg/dL), age {fmt(ctx.age, 0)} and sex ({ctx.sex}) with the CKD-EPI 2021 equation"
        f"{_cite(sources)}; it is {_STATUS_WORDS[status]}. It is not valid in acute kidney injury, "
        "at extremes of muscle mass or with creatine supplements."
    )
    return LabValue(
        analyte="egfr",
        value=round(egfr, 1),
        unit=EGFR_UNIT,
        evidence=creatinine.evidence,
        value_si=round(egfr, 2),
        si_unit=EGFR_UNIT,
        status=status,
        range_low=rng.low,
        range_high=rng.high,
        range_source=rng.sources[0],
        derived_from=("creatinine", "age", "sex"),
        message=" ".join([message, *notes]),
    )


def _stage(
    values: list[LabValue], mentions: Sequence[LabMention], computed: LabValue | None, ctx: _Context
) -> LabValue | None:
    reported = _usable(values, "egfr")
    source = reported or computed
    if source is None or source.value_si is None:
        return None
    egfr = source.value_si
    comparator = mentions[values.index(reported)].comparator if reported is not None else ""
    if comparator == "<":
        egfr -= 1  # "eGFR <15" is G5, "<60" is G3a (categories start at whole numbers)
    value, label, meaning = ckd_stage(egfr)
    keys = load_data().derived["ckd_stage"]["sources"]
    ctx.messages.append(
        f"An eGFR of {comparator}{fmt(source.value_si, 0)} is in kidney function category {label} ({meaning})"
        f"{_cite(keys)}."
        + (
            " Kidney disease is diagnosed when eGFR stays below 60 for more than 3 months."
            if value >= 3
            else ""
        )
    )
    return LabValue(
        analyte="ckd_stage",
        value=value,
        evidence=source.evidence,
        value_si=value,
        status="normal" if value < 3 else "low",
        range_source=keys[0],
        derived_from=("egfr",),
        message=label,
    )


def _corrected_calcium(values: list[LabValue], adjusted: set[int], ctx: _Context) -> LabValue | None:
    calcium = next(
        (
            v
            for i, v in enumerate(values)
            if v.analyte == "calcium"
            and i not in adjusted
            and v.value_si is not None
            and v.status != "implausible"
        ),
        None,
    )
    albumin = _usable(values, "albumin")
    if calcium is None or calcium.value_si is None:
        return None
    if albumin is None or albumin.value_si is None:
        if calcium.status != "normal":
            ctx.messages.append(
                "Calcium is read after adjusting for albumin; if your report has an albumin result, add it."
            )
        return None
    spec = load_data().analytes["calcium"]
    derived = load_data().derived["corrected_calcium"]
    raw = derived["range"]
    rng = Range(low=raw["low"], high=raw["high"], sources=tuple(raw["sources"]))
    value_si = corrected_calcium(calcium.value_si, albumin.value_si)
    status, notes = _classify(spec, value_si, rng)
    unit = spec.units[calcium.unit] if calcium.unit in spec.units else spec.units[spec.si_unit]
    message = (
        f"Albumin-adjusted calcium {fmt(value_si, 2)} mmol/L (calcium {fmt(calcium.value_si, 2)} mmol/L, "
        f"albumin {fmt(albumin.value_si, 0)} g/L){_cite(derived['sources'])} is {_STATUS_WORDS[status]} "
        f"(usual range {_range_text(rng, 'mmol/L', 1)}{_cite(rng.sources[:1])}). {derived['caveat']}."
    )
    return LabValue(
        analyte="corrected_calcium",
        value=round(unit.from_si(value_si), 4),
        unit=unit.name,
        evidence=f"{calcium.evidence}; {albumin.evidence}",
        value_si=round(value_si, 4),
        si_unit="mmol/L",
        status=status,
        range_low=rng.low,
        range_high=rng.high,
        range_source=rng.sources[0],
        derived_from=("calcium", "albumin"),
        message=" ".join([message, *notes]),
    )


def _read_with_albumin(total: LabValue, adjusted: LabValue) -> str:
    si = f" ({fmt(total.value_si, 2)} mmol/L)" if total.value_si is not None and total.unit != "mmol/L" else ""
    word = _STATUS_WORDS.get(adjusted.status or "", adjusted.status or "")
    value = fmt(adjusted.value_si, 2) if adjusted.value_si is not None else "?"
    return (f"Calcium {fmt(total.value)} {total.unit}{si} is read together with albumin: the albumin-adjusted "
            f"calcium is {value} mmol/L, which is {word}{_cite(load_data().derived['corrected_calcium']['sources'])}.")


def interpret(
    mentions: Sequence[LabMention],
    *,
    age: float | None = None,
    sex: Literal["female", "male"] | None = None,
    pregnant: bool | None = None,
) -> LabReport:
    """Convert, range-check and derive: one LabValue per mention, then eGFR, CKD stage, adjusted calcium."""
    ctx = _Context(age=age, sex=sex, pregnant=pregnant, messages=[])
    values = [_value(m, ctx) for m in mentions]
    adjusted = {i for i, m in enumerate(mentions) if m.adjusted}
    derived: list[LabValue] = []
    egfr = _egfr(values, ctx)
    if egfr is not None:
        derived.append(egfr)
    stage = _stage(values, mentions, egfr, ctx)
    if stage is not None:
        derived.append(stage)
    calcium = _corrected_calcium(values, adjusted, ctx)
    if calcium is not None:
        derived.append(calcium)
        # Total calcium is judged after the albumin adjustment (brief §7.2): a low total calcium with a
        # low albumin is often normal, and must not raise a low-calcium red flag on its own.
        values = [
            replace(v, status=calcium.status, message=_read_with_albumin(v, calcium))
            if v.analyte == "calcium" and i not in adjusted and v.status not in (None, "implausible")
            else v
            for i, v in enumerate(values)
        ]
    return LabReport(values=values, derived=derived, messages=ctx.messages)

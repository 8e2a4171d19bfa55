"""Turn a Profile into the flat facts that knowledge-base rules are evaluated against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crampwise.kb.conditions import Atom, SimpleFacts, add_present, evaluate_fast, fact_keys
from crampwise.kb.loader import KnowledgeBase
from crampwise.model import Finding, MedicineUse, Profile

QUININE_RECENT_DAYS = 14  # stopped within two weeks (or an unknown time ago): still exposed (DESIGN)
NEW_WITHIN_DAYS = 180  # onset after a start or dose rise within ~6 months counts as "new" (DESIGN)
_MG = re.compile(r"(\d+(?:\.\d+)?)\s*mg")


@dataclass
class Facts(SimpleFacts):
    """Rule facts plus where each derived finding came from (for explanations)."""

    origin: dict[str, str] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # fact_keys(self), kept in step by build_facts


def cramp_linked(kb: KnowledgeBase, med: MedicineUse) -> bool:
    spec = kb.drug_classes.get(med.drug_class, {})
    after = spec.get("cramps_after_days")
    if after and med.change in (None, "started") and med.days_since_change is not None and med.days_since_change < after:
        return False  # "in week 2 of omeprazole": too soon for the way this kind causes cramps
    return (
        med.drug_class != "quinine"
        and bool(spec.get("in_vocabulary"))
        and spec.get("cramp_association", "none") in ("strong", "moderate", "weak")
    )


def is_new(med: MedicineUse) -> bool:
    if med.status != "current" or med.change not in ("started", "increased", "restarted"):
        return False
    return med.days_since_change is None or med.days_since_change <= NEW_WITHIN_DAYS


def build_facts(profile: Profile, kb: KnowledgeBase) -> Facts:
    facts = Facts()
    for finding in profile.findings.values():
        {"present": facts.present, "absent": facts.absent, "uncertain": facts.uncertain}[finding.status].add(finding.id)
    if profile.pregnant:
        facts.present.add("pregnant")
    current = [m for m in profile.medicines if m.status == "current"]
    facts.classes = {m.drug_class for m in current}
    for med in current:  # a combination carries the kinds of its parts ("Moduretic": a thiazide too)
        for part in kb.medicines.get(med.id, {}).get("combination_of", []) or []:
            facts.classes.add(str(kb.medicines.get(part, {}).get("class", "none")))
    facts.meds = {m.id for m in current}
    if profile.age is not None:
        facts.numbers["age"] = profile.age
    if profile.pregnancy_weeks is not None:
        facts.numbers["weeks"] = profile.pregnancy_weeks
    facts.numbers.update(profile.measures)
    if profile.sex:
        facts.labels["sex"] = profile.sex
    facts.labels["subject"] = profile.subject
    for lab in profile.labs:
        if lab.status and lab.status != "implausible" and not lab.earlier:
            facts.lab_status.setdefault(lab.analyte, lab.status)
            if lab.value_si is not None:
                facts.lab_values.setdefault(lab.analyte, lab.value_si)
    _medicine_findings(profile, kb, current, facts)
    facts.keys = fact_keys(facts)
    _derived(kb, facts)
    return facts


def _add(facts: Facts, profile: Profile, finding_id: str, origin: str) -> None:
    if finding_id not in facts.present:
        facts.present.add(finding_id)
        facts.uncertain.discard(finding_id)
        facts.origin[finding_id] = origin
        profile.add(Finding(finding_id, "present", origin))


LONG_TERM_DAYS = 365  # on a medicine for over a year with no recent change: timing does not point to it


def _medicine_findings(profile: Profile, kb: KnowledgeBase, current: list[MedicineUse], facts: Facts) -> None:
    linked = [m for m in current if cramp_linked(kb, m)]
    unchanged = "meds_unchanged_long" in facts.present  # "all the same for 3+ years"

    def long_standing(m: MedicineUse) -> bool:
        if m.days_since_change is None:
            return unchanged and m.change in (None, "started")
        return m.change in (None, "started") and m.days_since_change > LONG_TERM_DAYS

    if linked and all(long_standing(m) for m in linked):
        _add(facts, profile, "stable_cramp_medicine", ", ".join(m.mentioned or m.id for m in linked))
    for med in profile.medicines:
        # Quinine's blood reactions outlast the last tablet: a recent stop still counts as taking it.
        if med.drug_class == "quinine" and med.status == "stopped" and (med.days_since_change or 0) <= QUININE_RECENT_DAYS:
            _add(facts, profile, "quinine_user", f"{med.mentioned or med.id} (stopped recently)")
    for med in current:
        spec = kb.medicines.get(med.id, {})
        for implied in spec.get("implies", []) or []:
            if implied in kb.findings and implied not in facts.absent:
                _add(facts, profile, implied, f"you take {med.mentioned or med.id}")
        cls = kb.drug_classes.get(med.drug_class, {})
        if is_new(med):
            _add(facts, profile, "new_medicine", f"{med.mentioned or med.id} ({med.change})")
        if cramp_linked(kb, med):
            _add(facts, profile, "cramp_medicine", med.mentioned or med.id)
            if is_new(med):
                _add(facts, profile, "new_cramp_medicine", f"{med.mentioned or med.id} ({med.change})")
        if cls.get("raises_potassium"):
            _add(facts, profile, "potassium_raising_medicine", med.mentioned or med.id)
        if med.drug_class in ("loop_diuretic", "thiazide_diuretic", "potassium_sparing_diuretic"):
            _add(facts, profile, "diuretic", med.mentioned or med.id)
            dose = _MG.search(med.dose or "")
            heavy = dose is not None and med.drug_class == "loop_diuretic" and float(dose.group(1)) >= 200
            # a rise the prescriber made ("the heart nurse doubled my furosemide") is not misuse
            prescribed = "dose_raised_by_clinician" in facts.present
            if (med.change == "increased" and not prescribed) or heavy:
                _add(facts, profile, "diuretic_misuse", f"{med.mentioned or med.id} {med.dose or ''}".strip())
        if med.drug_class == "quinine":
            _add(facts, profile, "quinine_user", med.mentioned or med.id)


def _derived(kb: KnowledgeBase, facts: Facts) -> None:
    # Two passes: a derived finding may depend on one defined after it. A first pass that derives
    # nothing leaves the facts as they were, so a second would derive nothing either.
    keys = facts.keys
    for _ in range(2):
        before = len(facts.present)
        for finding_id, rules in kb.derived.items():
            need = kb.derived_need.get(finding_id)
            if finding_id in facts.present or (need is not None and keys.isdisjoint(need)):
                continue
            for rule in rules:
                ok, matched = evaluate_fast(rule, keys, facts)
                if ok:
                    facts.present.add(finding_id)
                    add_present(keys, finding_id)
                    facts.origin[finding_id] = ", ".join(_atom_label(kb, a) for a in matched)
                    break
        if len(facts.present) == before:
            break


_COMPARE_WORDS = {">": "more than", ">=": "at least", "<": "less than", "<=": "at most", "==": ""}


def _atom_label(kb: KnowledgeBase, atom: Atom) -> str:
    if atom.kind == "finding":
        return kb.finding_label(atom.name)
    if atom.kind == "class":
        return f"your medicine ({kb.drug_classes.get(atom.name, {}).get('name', atom.name)})"
    if atom.kind == "measure":
        template = str((kb.meta.get("measure_labels") or {}).get(atom.name, atom.name.replace("_", " ") + " {cmp} {value}"))
        value = f"{atom.value:g}" if isinstance(atom.value, float) else str(atom.value)
        return template.format(cmp=_COMPARE_WORDS.get(atom.op or "", atom.op or ""), value=value)
    if atom.kind == "lab":
        return f"{atom.name.replace('_', ' ')} {atom.op or ''} {atom.value}".replace("==", "").strip()
    if atom.kind in ("age", "weeks"):
        return {"age": "your age", "weeks": "weeks of pregnancy"}[atom.kind]
    if atom.kind == "pregnant":
        return "pregnancy"
    return atom.text


def describe(kb: KnowledgeBase, atoms: list[Atom]) -> tuple[str, ...]:
    """Plain labels for the atoms that made a rule hold, de-duplicated, in order."""
    seen: list[str] = []
    for atom in atoms:
        label = _atom_label(kb, atom)
        if label not in seen:
            seen.append(label)
    return tuple(seen)


def finding_ids(atoms: list[Atom]) -> tuple[str, ...]:
    out: list[str] = []
    for atom in atoms:
        key = atom.name if atom.kind in ("finding", "class", "lab", "med") else atom.text
        if key not in out:
            out.append(key)
    return tuple(out)

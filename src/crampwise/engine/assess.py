"""assess(profile) -> Assessment: red flags first, then factors, medicines, tests, plan, questions.

Pure and deterministic. Every conclusion carries the findings that produced it and the sources
that back it; all clinical content comes from the knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from crampwise.engine.facts import Facts, build_facts, cramp_linked, describe, finding_ids, is_new
from crampwise.kb.conditions import evaluate_fast
from crampwise.kb.loader import KnowledgeBase
from crampwise.model import (
    TRIAGE_LEVELS,
    Assessment,
    FactorResult,
    HeldBack,
    MedicationResult,
    MedicineUse,
    PlanItem,
    Profile,
    Question,
    RedFlagResult,
    TestSuggestion,
    Triage,
    urgency,
)
from crampwise.model.assessment import plain

FACTOR_MIN_SCORE = 1.5
EMERGENCY_PLAN = ("rest", "cooling", "medication_review")  # what still makes sense on the way to hospital
MAX_QUESTIONS = 5


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    facts = build_facts(profile, kb)
    red_flags = _red_flags(kb, facts)
    factors = _factors(kb, facts)
    triage = _triage(kb, facts, red_flags, factors)
    medications = _medications(kb, profile)
    tests = _tests(kb, facts, profile, red_flags)
    plan, held = _plan(kb, facts, triage.level)
    questions = _questions(kb, facts, profile)
    general = _is_general(profile)
    if general and not factors:
        factors = _general_factors(kb)
    cited = _cited(kb, triage, red_flags, factors, medications, tests, plan, held)
    return Assessment(
        triage=triage,
        red_flags=red_flags,
        factors=factors,
        medications=medications,
        tests=tests,
        plan=plan,
        held_back=held,
        questions=questions,
        profile=profile,
        understood=understood(kb, profile),
        labs=[_lab_dict(lab) for lab in profile.labs if not lab.derived_from],
        derived=[_lab_dict(lab) for lab in profile.labs if lab.derived_from],
        general=general,
        disclaimer=str(kb.meta["disclaimer"]),
        sources={key: kb.cite(key) for key in cited},
        kb_version=kb.version,
    )


# ---------------------------------------------------------------- triage and red flags
def _red_flags(kb: KnowledgeBase, facts: Facts) -> list[RedFlagResult]:
    results: list[RedFlagResult] = []
    keys = facts.keys
    for flag in kb.red_flags.values():
        if flag.need is not None and keys.isdisjoint(flag.need):
            continue  # no trigger can hold
        level: str | None = None
        reasons: list[str] = []
        atoms = []
        for trigger in flag.triggers:
            if not trigger.rule.fast.check(keys, facts):
                continue
            ok, matched = evaluate_fast(trigger.rule, keys, facts)
            if not ok:
                continue
            if level is None or urgency(trigger.level) < urgency(level):
                level = trigger.level
            reasons.append(trigger.reason)
            atoms.extend(matched)
        if level is None:
            continue
        raised: list[str] = []
        for rule in flag.escalate:
            ok, matched = evaluate_fast(rule.rule, keys, facts)
            if ok and urgency(rule.level) < urgency(level):
                level = rule.level
                raised.append(rule.reason)
                atoms.extend(matched)
        results.append(RedFlagResult(
            id=flag.id, name=flag.name, level=level,
            because=tuple(dict.fromkeys((*reasons, *describe(kb, atoms)))),
            findings=finding_ids(atoms), advice=flag.advice, sources=flag.sources, raised_by=tuple(raised),
        ))
    clinician = "clinician_urged_urgent" in facts.present
    if clinician:
        results = [
            RedFlagResult(**{**r.__dict__, "level": "emergency",
                             "raised_by": (*r.raised_by, "a clinician has already advised hospital care")})
            if urgency(r.level) > urgency("emergency") and urgency(r.level) <= urgency("consultation_24") else r
            for r in results
        ]
    results.sort(key=lambda r: (urgency(r.level), list(kb.red_flags).index(r.id)))
    return results


def _triage(kb: KnowledgeBase, facts: Facts, flags: list[RedFlagResult], factors: list[FactorResult]) -> Triage:
    level = "self_care"
    because: list[str] = []
    finding_list: list[str] = []
    sources: list[str] = list(kb.meta.get("triage_sources", []))
    for flag in flags:
        if urgency(flag.level) < urgency(level):
            level = flag.level
    for flag in flags:
        if flag.level == level:
            because.append(f"{flag.name}: {'; '.join(flag.because[:3])}")
            finding_list.extend(flag.findings)
            sources.extend(flag.sources)
    for floor in kb.floors:
        ok, matched = evaluate_fast(floor.rule, facts.keys, facts)
        if ok and urgency(floor.level) <= urgency(level):
            if urgency(floor.level) < urgency(level):
                level = floor.level
                because = []
            because.append(floor.reason)
            finding_list.extend(finding_ids(matched))
            sources.extend(floor.sources)
    listed = {f.id for f in factors}
    for factor in kb.factors.values():
        if factor.id not in listed:
            continue
        for floor in factor.floor:
            ok, matched = evaluate_fast(floor.rule, facts.keys, facts)
            if ok and urgency(floor.level) <= urgency(level):
                if urgency(floor.level) < urgency(level):
                    level = floor.level
                    because = []
                because.append(floor.reason)
                finding_list.extend(finding_ids(matched))
                sources.extend(floor.sources or factor.sources)
    if urgency(level) < urgency("self_care"):
        pass
    elif not because:
        because.append("No warning signs were found in what you described.")
    spec = kb.meta["triage"][level]
    return Triage(level=level, label=spec["label"], action=spec["action"], because=tuple(dict.fromkeys(because)),
                  findings=tuple(dict.fromkeys(finding_list)), sources=tuple(dict.fromkeys(sources)))


# ---------------------------------------------------------------- factors
def _factors(kb: KnowledgeBase, facts: Facts) -> list[FactorResult]:
    scored: list[tuple[float, int, FactorResult]] = []
    keys = facts.keys
    for order, factor in enumerate(kb.factors.values()):
        if factor.need is not None and keys.isdisjoint(factor.need):
            continue  # no support can hold, so the factor is not listed
        if factor.gate is not None and not factor.gate.fast.check(keys, facts):
            continue
        score = factor.prior
        support: list[str] = []
        against: list[str] = []
        for item in factor.support:
            if item.rule.fast.check(keys, facts):
                score += item.weight
                support.append(item.say)
        for item in factor.against:
            if item.rule.fast.check(keys, facts):
                score -= abs(item.weight)
                against.append(item.say)
        if score < FACTOR_MIN_SCORE or not support:
            continue
        likelihood = "likely" if score >= 4 else "possible" if score >= 2.5 else "less likely"
        result = FactorResult(
            id=factor.id, name=factor.name, kind=factor.kind, score=round(score, 2), likelihood=likelihood,
            because=tuple(dict.fromkeys(s for s in support if s)), against=tuple(dict.fromkeys(a for a in against if a)),
            explanation=factor.explanation, evidence=factor.evidence, sources=factor.sources,
        )
        scored.append((score, order, result))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [r for _, _, r in scored]


# ---------------------------------------------------------------- medicines
def _with_components(kb: KnowledgeBase, medicines: Iterable[MedicineUse]) -> list[MedicineUse]:
    """Each medicine, then the parts of a combination whose kind differs ("Moduretic": amiloride, and
    hydrochlorothiazide as a thiazide), each reviewed under the name the person used."""
    out: list[MedicineUse] = []
    for med in medicines:
        out.append(med)
        for part in kb.medicines.get(med.id, {}).get("combination_of", []) or []:
            part_class = str(kb.medicines.get(part, {}).get("class", "none"))
            if part_class not in ("none", med.drug_class) and all(m.drug_class != part_class for m in out):
                out.append(replace(med, id=part, drug_class=part_class))
    return out


def _medications(kb: KnowledgeBase, profile: Profile) -> list[MedicationResult]:
    out: list[MedicationResult] = []
    for med in _with_components(kb, profile.medicines):
        cls = kb.drug_classes.get(med.drug_class)
        if not cls or med.drug_class == "none":
            continue
        relevant = cls.get("in_vocabulary") or cls.get("raises_potassium") or cls.get("safety")
        if not relevant:
            continue
        asr = cls.get("garrison_asr") or {}
        detail = ""
        if asr.get("value"):
            detail = (f"Garrison 2012: cramp treatment was started {asr['value']} times as often in the year after "
                      "starting this kind of medicine as in the year before")
            if asr.get("ci"):
                detail += f" (95% CI {asr['ci']})"
            if asr.get("note"):
                detail += f"; {asr['note']}"
        timing = None
        if med.status == "stopped":
            timing = "stopped"
        elif med.change:
            when = f" about {_days_text(med.days_since_change)} ago" if med.days_since_change is not None else ""
            timing = f"{med.change}{when}"
        safety = tuple(str(s.get("text", s)) if isinstance(s, dict) else str(s) for s in cls.get("safety", []) or [])
        message = str(cls.get("message", "Discuss this medicine with your prescriber or pharmacist."))
        if is_new(med) and cramp_linked(kb, med):
            message = "The cramps began after this medicine was started or increased. " + message
        out.append(MedicationResult(
            id=med.id, generic=generic_name(kb, med), mentioned=med.mentioned or med.id, drug_class=med.drug_class,
            class_name=str(cls.get("name", med.drug_class)), evidence=str(cls.get("cramp_association", "none")),
            detail=detail, message=message, safety=safety, timing=timing, sources=tuple(cls.get("sources", [])),
        ))
    return out


NAME_NOT_GIVEN = "name not given"


def generic_name(kb: KnowledgeBase, med: MedicineUse, with_kind: bool = False) -> str:
    """The generic name; for a medicine named only by its kind ("a statin"), "name not given", after
    the kind when asked (the medicine review shows the class beside it anyway)."""
    if not med.id.endswith("_unspecified"):
        return med.id.replace("_", " ")
    if not with_kind:
        return NAME_NOT_GIVEN
    cls = kb.drug_classes.get(med.drug_class, {})
    kind = str(cls.get("name", "")) if med.drug_class != "none" else ""
    if med.id == "diuretic_unspecified":
        kind = "a water tablet (diuretic)"
    return f"{kind or med.id.replace('_unspecified', '').replace('_', ' ')}, {NAME_NOT_GIVEN}"


def _days_text(days: float | None) -> str:
    if days is None:
        return ""
    if days < 14:
        return f"{days:g} day{'s' if days != 1 else ''}"
    if days < 60:
        return f"{round(days / 7)} weeks"
    if days < 365:
        return f"{round(days / 30)} months"
    return f"{round(days / 365)} year{'s' if days >= 730 else ''}"


# ---------------------------------------------------------------- tests, plan, questions
def _tests(kb: KnowledgeBase, facts: Facts, profile: Profile, flags: list[RedFlagResult]) -> list[TestSuggestion]:
    known = {lab.analyte for lab in profile.labs if lab.status and lab.status != "implausible" and not lab.earlier}
    out: list[TestSuggestion] = []
    for test in kb.tests.values():
        if known.intersection(test.known_if) or (test.need is not None and facts.keys.isdisjoint(test.need)):
            continue
        for item in test.when:
            ok, matched = evaluate_fast(item.rule, facts.keys, facts)
            if ok:
                out.append(TestSuggestion(test.id, test.name, f"{item.say}. {test.why}", describe(kb, matched),
                                          test.sources))
                break
    return out


def _plan(kb: KnowledgeBase, facts: Facts, level: str) -> tuple[list[PlanItem], list[HeldBack]]:
    plan: list[PlanItem] = []
    held: list[HeldBack] = []
    emergency = urgency(level) <= urgency("emergency")
    keys = facts.keys
    for advice in kb.advice.values():
        offer = None
        if not advice.never:
            if advice.need is not None and keys.isdisjoint(advice.need):
                continue  # nothing offers it
            for weighted in advice.offer:
                if weighted.rule.fast.check(keys, facts):
                    offer = (weighted, evaluate_fast(weighted.rule, keys, facts)[1])
                    break
            if offer is None:
                continue  # a contraindication only matters for what would be offered
        contra = None
        for item in advice.contraindications:
            if item.rule.fast.check(keys, facts):
                contra = (item, evaluate_fast(item.rule, keys, facts)[1])
                break
        if contra is not None:
            held.append(HeldBack(advice.id, advice.name, contra[0].reason, describe(kb, contra[1]),
                                 contra[0].sources or advice.sources))
            continue
        if offer is None:  # never-advice that nothing rules out is simply not mentioned
            continue
        if emergency and advice.id not in EMERGENCY_PLAN:
            held.append(HeldBack(advice.id, advice.name, "get the urgent check first; self-care can wait",
                                 (), tuple(kb.meta.get("triage_sources", []))))
            continue
        caution = None
        for item in advice.cautions:
            if item.rule.fast.check(keys, facts):
                caution = item.reason
                break
        plan.append(PlanItem(advice.id, advice.name, advice.text, advice.evidence,
                             (offer[0].say, *describe(kb, offer[1])), advice.sources, caution))
    return plan, held


def _known(profile: Profile, facts: Facts, what: str, kb: KnowledgeBase) -> bool:
    if what == "age":
        return profile.age is not None
    if what == "sex":
        return profile.sex is not None
    if what == "pregnancy":
        return profile.pregnant is not None or profile.sex == "male" or (profile.age or 0) > 55
    if what == "medicines":
        return bool(profile.medicines) or "no_medicines" in facts.present
    if what == "conditions":
        return not (kb.conditions.isdisjoint(facts.present) and kb.conditions.isdisjoint(facts.absent))
    if what == "duration":
        return "cramp_minutes" in profile.measures or bool({"brief_cramp", "cramp_persistent"} & facts.present)
    if what == "frequency":
        return "cramps_per_week" in profile.measures or bool({"frequent", "occasional_word", "frequent_word"}
                                                            & (facts.present | facts.absent))
    return False


def candidate_questions(kb: KnowledgeBase, facts: Facts, profile: Profile, limit: int | None = None,
                        exclude: frozenset[str] = frozenset()) -> list[Question]:
    """Questions whose answer is still unknown and relevant, red-flag questions first, then by priority."""
    known = facts.present | facts.absent | facts.uncertain
    candidates = []
    for q in kb.questions.values():
        if q.id in exclude or (q.finding and q.finding in known):
            continue
        if q.skip_if_known and any(_known(profile, facts, what, kb) for what in q.skip_if_known):
            continue
        if q.ask_when is not None and not q.ask_when.fast.check(facts.keys, facts):
            continue
        candidates.append(q)
    candidates.sort(key=lambda q: (q.kind != "red_flag", -q.priority))
    chosen = candidates if limit is None else candidates[:limit]
    return [Question(q.id, q.text, q.why, q.kind, q.choices, q.finding) for q in chosen]


def _questions(kb: KnowledgeBase, facts: Facts, profile: Profile) -> list[Question]:
    return candidate_questions(kb, facts, profile, MAX_QUESTIONS)


# ---------------------------------------------------------------- presentation helpers
def _general_factors(kb: KnowledgeBase) -> list[FactorResult]:
    """A question with no details ("why do I get leg cramps?") gets the causes that are commonest in general."""
    spec = kb.meta["general_answer"]
    because = (str(spec["ranked_because"]),)
    out = []
    for fid in spec["causes"][: int(spec["ranked"])]:
        factor = kb.factors[fid]
        out.append(FactorResult(id=factor.id, name=factor.name, kind=factor.kind, score=0.0, likelihood="common",
                                because=because, against=(), explanation=factor.explanation,
                                evidence=factor.evidence, sources=factor.sources))
    return out


def _is_general(profile: Profile) -> bool:
    specific = [f for f in profile.findings.values() if f.id not in ("muscle_calf",) and f.status == "present"]
    return profile.age is None and not profile.medicines and not profile.labs and len(specific) <= 1


def understood(kb: KnowledgeBase, profile: Profile) -> list[str]:
    lines: list[str] = []
    who = {"self": "", "child": "your child", "parent": "your parent", "partner": "your partner",
           "other": "the person you are asking for"}[profile.subject]
    if who:
        lines.append(f"You are asking for {who} ({profile.evidence.get('subject', '')}).")
    if profile.age is not None:
        lines.append(f"Age: {profile.age:g} (from \"{profile.evidence.get('age', '')}\")")
    if profile.sex:
        lines.append(f"Sex: {profile.sex}")
    if profile.pregnant:
        weeks = f", {profile.pregnancy_weeks:g} weeks" if profile.pregnancy_weeks else ""
        lines.append(f"Pregnant{weeks}")
    for med in profile.medicines:
        timing = f", {med.change}" if med.change else ""
        fuzzy = " (I read this as a likely spelling of it)" if med.match == "fuzzy" else ""
        lines.append(f"Medicine: {med.mentioned} = {generic_name(kb, med, with_kind=True)}{timing}{fuzzy}")
    for finding in sorted(profile.findings.values(), key=lambda f: (f.start is None, f.start or 0)):
        spec = kb.findings.get(finding.id, {})
        if spec.get("cat") in ("question",) or finding.start is None:
            continue
        label = spec.get("label", finding.id)
        prefix = {"present": "", "absent": "No: ", "uncertain": "Not sure: "}[finding.status]
        lines.append(f"{prefix}{label} (\"{finding.evidence}\")")
    for lab in profile.labs:
        if not lab.derived_from:
            when = " (an earlier result)" if lab.earlier else ""
            lines.append(f"Result: {lab.analyte} {lab.value:g} {lab.unit}".rstrip() + when)
    lines.extend(profile.notes)
    return lines


def _lab_dict(lab: object) -> dict[str, object]:
    return plain(lab)  # type: ignore[no-any-return]


def _cited(kb: KnowledgeBase, triage: Triage, flags: Iterable[RedFlagResult], factors: Iterable[FactorResult],
           meds: Iterable[MedicationResult], tests: Iterable[TestSuggestion], plan: Iterable[PlanItem],
           held: Iterable[HeldBack]) -> list[str]:
    keys: list[str] = list(triage.sources) + list(kb.meta.get("disclaimer_sources", []))
    for group in (flags, factors, meds, tests, plan, held):
        for item in group:
            keys.extend(item.sources)
    return list(dict.fromkeys(k for k in keys if k))


__all__ = ["TRIAGE_LEVELS", "assess", "candidate_questions", "understood"]

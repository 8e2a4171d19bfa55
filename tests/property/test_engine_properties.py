"""Properties that must hold for every profile: safety monotonicity, never-advice, contraindications,
closed vocabulary of output ids, negation and determinism. Real engine, real KB, no mocks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import (
    VOCABULARY,
    finding_only_triggers,
    medicine_names,
    narratives,
    profiles,
    read_vocabulary,
    trigger_findings,
)

from crampwise.engine.facts import build_facts
from crampwise.kb import load
from crampwise.kb.conditions import evaluate
from crampwise.model import Assessment, urgency
from crampwise.pipeline import InputError, assess_profile, assess_text, profile_from_dict

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KB = load()
TRIGGERS = finding_only_triggers()


def _assess(data: dict[str, Any]) -> Assessment:
    try:
        return assess_profile(data)
    except InputError as err:  # pragma: no cover - the strategy only builds valid profiles
        pytest.fail(f"valid generated profile rejected: {err}\n{data}")


def test_strategy_inputs_are_real() -> None:
    assert len(TRIGGERS) >= 10, "too few finding-only red-flag triggers to test monotonicity"
    assert len(medicine_names()) >= 50
    for name in medicine_names()[:40]:
        assert profile_from_dict({"medicines": [name]}).medicines, name


@SETTINGS
@given(data=profiles(), pick=st.integers(min_value=0))
def test_adding_red_flag_findings_never_lowers_urgency(data: dict[str, Any], pick: int) -> None:
    flag_id, trigger = TRIGGERS[pick % len(TRIGGERS)]
    before = _assess(data)
    more = {**data, "findings": {**data["findings"], **dict.fromkeys(trigger_findings(trigger), "present")}}
    after = _assess(more)
    assert urgency(after.triage.level) <= urgency(before.triage.level), (
        f"adding {flag_id} findings {trigger_findings(trigger)} lowered triage "
        f"{before.triage.level} -> {after.triage.level}"
    )
    if not trigger.rule.none:
        assert urgency(after.triage.level) <= urgency(trigger.level), (
            f"{flag_id} trigger ({trigger.reason}) held but triage is {after.triage.level}"
        )
        assert flag_id in [f.id for f in after.red_flags]


@SETTINGS
@given(data=profiles())
def test_plan_never_holds_never_advice(data: dict[str, Any]) -> None:
    plan = {p.id for p in _assess(data).plan}
    assert "quinine" not in plan
    assert "stop_medication" not in plan


@SETTINGS
@given(data=profiles())
def test_no_plan_item_is_contraindicated(data: dict[str, Any]) -> None:
    a = _assess(data)
    facts = build_facts(profile_from_dict(data), KB)
    for item in a.plan:
        for contra in KB.advice[item.id].contraindications:
            ok, _ = evaluate(contra.rule, facts)
            assert not ok, f"{item.id} in plan although contraindicated: {contra.reason} ({contra.rule.text})"


@SETTINGS
@given(data=profiles())
def test_plan_and_held_back_are_disjoint_and_emergency_plan_is_short(data: dict[str, Any]) -> None:
    a = _assess(data)
    plan = {p.id for p in a.plan}
    held = {h.id for h in a.held_back}
    assert not plan & held
    if urgency(a.triage.level) <= urgency("emergency"):
        assert plan <= {"rest", "cooling", "medication_review"}, (a.triage.level, plan)


VOCAB = read_vocabulary() if VOCABULARY.exists() else {}


def _check_ids(a: Assessment) -> None:
    def known(ident: str, section: str, kb_ids: Any) -> bool:
        return ident in VOCAB.get(section, ()) or ident in kb_ids

    assert a.triage.level in VOCAB.get("triage_levels", KB.meta["triage"])
    assert a.triage.level in KB.meta["triage"]
    for flag in a.red_flags:
        assert known(flag.id, "red_flags", KB.red_flags), flag.id
        assert flag.level in KB.meta["triage"], flag.level
    for factor in a.factors:
        assert known(factor.id, "factors", KB.factors), factor.id
    for med in a.medications:
        assert known(med.drug_class, "drug_classes", KB.drug_classes), med.drug_class
        assert med.id in KB.medicines, med.id
    for item in (*a.plan, *a.held_back):
        assert known(item.id, "advice", KB.advice), item.id
    for test in a.tests:
        assert test.id in KB.tests, test.id
    for question in a.questions:
        assert question.id in KB.questions, question.id
        assert question.finding is None or question.finding in KB.findings, question.finding
    for key in a.sources:
        assert key in KB.references, key


@SETTINGS
@given(data=profiles())
def test_every_output_id_is_known(data: dict[str, Any]) -> None:
    _check_ids(_assess(data))


@settings(max_examples=60, deadline=None)
@given(text=narratives)
def test_every_output_id_is_known_text_path(text: str) -> None:
    _check_ids(assess_text(text))


@SETTINGS
@given(data=profiles())
def test_determinism_profile(data: dict[str, Any]) -> None:
    first = json.dumps(assess_profile(data).to_dict(), sort_keys=True)
    second = json.dumps(assess_profile(json.loads(json.dumps(data))).to_dict(), sort_keys=True)
    assert first == second


@settings(max_examples=60, deadline=None)
@given(text=narratives)
def test_determinism_text(text: str) -> None:
    assert assess_text(text).to_dict() == assess_text(text).to_dict()


NEGATIONS = (" No swelling, no chest pain.", " I have no swelling and no chest pain.",
             " There is no redness and no fever.", " I'm not short of breath.")


@settings(max_examples=100, deadline=None)
@given(text=narratives, tail=st.sampled_from(NEGATIONS))
def test_negated_symptoms_never_raise_urgency(text: str, tail: str) -> None:
    base = assess_text(text)
    negated = assess_text(text + tail)
    assert urgency(negated.triage.level) >= urgency(base.triage.level), (
        f"{text!r} -> {base.triage.level}; with {tail!r} -> {negated.triage.level} "
        f"flags {[f.id for f in negated.red_flags]}"
    )


@settings(max_examples=60, deadline=None)
@given(text=narratives)
def test_to_dict_is_json_and_has_contract_fields(text: str) -> None:
    out = json.loads(json.dumps(assess_text(text).to_dict()))
    assert out["triage"]["level"] in KB.meta["triage"]
    for key in ("red_flags", "factors", "medications", "plan"):
        assert isinstance(out[key], list)
    assert all("id" in f for f in out["red_flags"] + out["factors"] + out["plan"])
    assert all("drug_class" in m for m in out["medications"])


@SETTINGS
@given(data=profiles(), extra=st.sampled_from(sorted(KB.findings)))
def test_stating_a_finding_absent_never_raises_urgency(data: dict[str, Any], extra: str) -> None:
    assume(extra not in data["findings"])
    before = _assess(data)
    after = _assess({**data, "findings": {**data["findings"], extra: "absent"}})
    assert urgency(after.triage.level) >= urgency(before.triage.level), (
        f"saying 'no {extra}' raised triage {before.triage.level} -> {after.triage.level}; "
        f"flags {[f.id for f in after.red_flags]}"
    )

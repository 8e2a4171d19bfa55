"""Compiled rules (set operations on fact keys) agree with the interpreted rule language on every KB rule
and on hand-written rules covering every atom kind, for random facts."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.kb import load
from crampwise.kb.conditions import (
    Rule,
    SimpleFacts,
    add_present,
    check,
    evaluate,
    evaluate_fast,
    fact_keys,
    need_of,
    parse_rule,
)

EXTRA = [
    "unknown:leg_swelling", {"any": ["unknown:leg_swelling", "maybe:calf_pain", "age>=60"], "min": 2},
    {"all": ["sex=female", "subject=self"], "none": ["unknown:timing_night", "age<20"]},
    "sex!=male", {"any": ["lab:potassium=low", "lab:potassium=abnormal", "lab:potassium=critical_high"]},
    {"none": ["lab:egfr<30", "weeks>=13", "measure:cramp_minutes>10"]}, ["pregnant", "any:leg_swelling"],
    {"any": ["timing_night", "timing_night", "no:timing_night"], "min": 2}, {"any": ["med:warfarin"], "min": 0},
    {"all": ["class:loop_diuretic"], "any": ["lab:sodium=normal", "lab:sodium!=high"]},
]


@cache
def all_rules() -> list[Rule]:
    kb = load()
    rules = [parse_rule(spec) for spec in EXTRA]
    for flag in kb.red_flags.values():
        rules += [t.rule for t in (*flag.triggers, *flag.escalate)]
    for factor in kb.factors.values():
        rules += [w.rule for w in (*factor.support, *factor.against)] + [t.rule for t in factor.floor]
        rules += [factor.gate] if factor.gate else []
    for advice in kb.advice.values():
        rules += [c.rule for c in (*advice.contraindications, *advice.cautions)] + [w.rule for w in advice.offer]
    for test in kb.tests.values():
        rules += [w.rule for w in test.when]
    rules += [q.ask_when for q in kb.questions.values() if q.ask_when]
    rules += [r for group in kb.derived.values() for r in group] + [t.rule for t in kb.floors]
    return rules


@cache
def names() -> tuple[list[str], list[str], list[str]]:
    findings, classes, labs = {"pregnant"}, set(), {"potassium", "sodium", "egfr"}
    for rule in all_rules():
        for atom in rule.atoms():
            if atom.kind in ("finding", "no", "maybe", "any", "unknown"):
                findings.add(atom.name)
            elif atom.kind in ("class", "med"):
                classes.add(atom.name)
            elif atom.kind == "lab":
                labs.add(atom.name)
    return sorted(findings), sorted(classes), sorted(labs)


@st.composite
def facts(draw: st.DrawFn) -> SimpleFacts:
    findings, classes, labs = names()
    out = SimpleFacts()
    for name in draw(st.lists(st.sampled_from(findings), max_size=25)):
        draw(st.sampled_from([out.present, out.absent, out.uncertain])).add(name)
    out.classes = set(draw(st.lists(st.sampled_from(classes), max_size=4)))
    out.meds = set(out.classes)  # class and medicine names share the draw; only membership matters
    for key, low, high in (("age", 1, 100), ("weeks", 1, 42), ("cramp_minutes", 0, 30)):
        if draw(st.booleans()):
            out.numbers[key] = draw(st.floats(low, high))
    for key, values in (("sex", ["female", "male"]), ("subject", ["self", "child", "parent"])):
        if draw(st.booleans()):
            out.labels[key] = draw(st.sampled_from(values))
    statuses = ["low", "normal", "high", "critical_low", "critical_high", "implausible", "abnormal"]
    for name in draw(st.lists(st.sampled_from(labs), max_size=4)):
        out.lab_status[name] = draw(st.sampled_from(statuses))
        out.lab_values[name] = draw(st.floats(0, 200))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts())
def test_compiled_rules_agree_with_the_interpreter(f: SimpleFacts) -> None:
    keys = fact_keys(f)
    for rule in all_rules():
        assert rule.fast.check(keys, f) == check(rule, f), rule.text
        assert evaluate_fast(rule, keys, f) == evaluate(rule, f), rule.text
        if rule.fast.need is not None and keys.isdisjoint(rule.fast.need):
            assert not check(rule, f), rule.text


@settings(max_examples=100, deadline=None)
@given(facts(), st.sampled_from(names()[0]))
def test_add_present_keeps_the_keys_in_step(f: SimpleFacts, finding: str) -> None:
    keys = fact_keys(f)
    f.present.add(finding)
    add_present(keys, finding)
    assert keys == fact_keys(f)


def test_need_of_a_group() -> None:
    a, b, c = parse_rule(["x", "y"]), parse_rule({"any": ["z", "class:w"]}), parse_rule("age>=60")
    assert need_of([a, b]) == {"x", "y", "z", "class:w"}
    assert need_of([a, c]) is None
    assert need_of([]) == frozenset()

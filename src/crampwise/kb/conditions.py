"""The small rule language the knowledge base is written in.

A *rule* is a mapping with optional keys, all of which must hold:

    all:  [atom, ...]   every atom holds
    any:  [atom, ...]   at least `min` atoms hold (min defaults to 1)
    none: [atom, ...]   no atom holds

A bare string or list is shorthand for `all`. Atoms:

    timing_night            finding stated present
    no:leg_swelling         finding stated absent
    maybe:leg_swelling      finding mentioned with uncertainty ("maybe a bit swollen")
    any:leg_swelling        present or uncertain (for safety rules)
    unknown:leg_swelling    not mentioned at all
    class:loop_diuretic     a current medicine of that class
    med:warfarin            a current medicine with that generic id
    age>=60  sex=female  pregnant  weeks>=13  subject=child
    measure:cramp_minutes>10
    lab:potassium=low       lab status (low also matches critical_low); lab:egfr<30 compares SI value

Rules are parsed once when the KB is built or loaded; evaluation returns which atoms matched so that
every conclusion can say which findings led to it.

`holds`/`check`/`evaluate` interpret a rule atom by atom and are the reference semantics. The engine
evaluates a few hundred rules per assessment, so each rule is also compiled once, at parse time, into
`Compiled`: its membership atoms become keys tested with set operations against `fact_keys(facts)`,
one set per assessment; only numeric and `!=` comparisons are still interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

_COMPARE = re.compile(r"^(?P<name>[a-z_:0-9]+?)\s*(?P<op>>=|<=|==|!=|=|>|<)\s*(?P<value>[A-Za-z0-9_.\-]+)$")
_PREFIXES = ("no", "maybe", "any", "unknown", "class", "med", "measure", "lab")
_PLAIN = {"age", "weeks", "sex", "subject"}


class RuleError(ValueError):
    """A rule in the knowledge base cannot be read."""


@dataclass(frozen=True)
class Atom:
    kind: str  # finding, no, maybe, any, unknown, class, med, age, weeks, sex, subject, pregnant, measure, lab
    name: str
    op: str | None = None
    value: str | float | None = None
    text: str = ""


@dataclass(frozen=True)
class Rule:
    all: tuple[Atom, ...] = ()
    any: tuple[Atom, ...] = ()
    none: tuple[Atom, ...] = ()
    min: int = 1
    text: str = ""
    fast: Compiled = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fast", Compiled.of(self))

    def atoms(self) -> Iterable[Atom]:
        yield from self.all
        yield from self.any
        yield from self.none


class Facts(Protocol):
    """What rules are evaluated against (built by the engine from a Profile)."""

    present: set[str]
    absent: set[str]
    uncertain: set[str]
    classes: set[str]
    meds: set[str]
    numbers: dict[str, float]  # age, weeks, measures
    labels: dict[str, str]  # sex, subject
    lab_values: dict[str, float]
    lab_status: dict[str, str]


@dataclass
class SimpleFacts:
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    uncertain: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    meds: set[str] = field(default_factory=set)
    numbers: dict[str, float] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    lab_values: dict[str, float] = field(default_factory=dict)
    lab_status: dict[str, str] = field(default_factory=dict)


def atom_key(atom: Atom) -> tuple[str, bool] | None:
    """The fact key an atom tests and whether it holds when the key is present (True) or absent (False);
    None for atoms that must be interpreted (numeric comparisons, `!=`)."""
    kind, name = atom.kind, atom.name
    if kind in ("finding", "pregnant"):
        return name, True
    if kind in ("no", "maybe", "any", "class", "med"):
        return f"{kind}:{name}", True
    if kind == "unknown":
        return f"known:{name}", False
    if kind in ("sex", "subject") and atom.op == "==" and isinstance(atom.value, str):
        return f"{kind}={atom.value}", True
    if kind == "lab" and isinstance(atom.value, str):  # a status test; `holds` ignores the operator here
        return f"lab:{name}={atom.value}", True
    return None


def fact_keys(facts: Facts) -> set[str]:
    """Every key a compiled atom can test, for these facts (see `atom_key`)."""
    keys = set(facts.present)
    keys.update(f"no:{n}" for n in facts.absent)
    keys.update(f"maybe:{n}" for n in facts.uncertain)
    keys.update(f"any:{n}" for n in facts.present | facts.uncertain)
    keys.update(f"known:{n}" for n in facts.present | facts.absent | facts.uncertain)
    keys.update(f"class:{n}" for n in facts.classes)
    keys.update(f"med:{n}" for n in facts.meds)
    for kind in ("sex", "subject"):
        label = facts.labels.get(kind)
        if label is not None:
            keys.add(f"{kind}={label}")
    for name, status in facts.lab_status.items():
        keys.add(f"lab:{name}={status}")
        for side in ("low", "high"):
            if status in (side, f"critical_{side}"):
                keys.add(f"lab:{name}={side}")
        if status not in ("normal", "implausible"):
            keys.add(f"lab:{name}=abnormal")
    return keys


def add_present(keys: set[str], finding_id: str) -> None:
    """Update `fact_keys` output after `finding_id` joined facts.present."""
    keys.update((finding_id, f"any:{finding_id}", f"known:{finding_id}"))


class Slow(NamedTuple):
    """The rarer parts of a compiled rule (see `Compiled`)."""

    must_not: frozenset[str]
    all_slow: tuple[Atom, ...]
    miss: frozenset[str]
    any_slow: tuple[Atom, ...]
    bar_unless: frozenset[str]
    none_slow: tuple[Atom, ...]
    min: int
    checks_any: bool


class Compiled(NamedTuple):
    """A rule as set operations on fact keys: every key of `must` (from `all`), one of `hit` (from `any`;
    `simple_any` when that is all `any` says) and none of `bar` (from `none`). `slow` holds what else the
    rule says, None for most rules: keys that must be absent (`unknown:`), `min` counts, and atoms that
    are interpreted with `holds`. A NamedTuple keeps the pickled start-up cache small and quick to load."""

    must: frozenset[str]
    hit: frozenset[str]
    bar: frozenset[str]
    simple_any: bool
    need: frozenset[str] | None  # the rule can hold only if one of these keys is present; None: no such set
    slow: Slow | None

    @staticmethod
    def of(rule: Rule) -> Compiled:
        def split(atoms: tuple[Atom, ...]) -> tuple[frozenset[str], frozenset[str], tuple[Atom, ...]]:
            on: list[str] = []
            off: list[str] = []
            slow: list[Atom] = []
            for atom in atoms:
                key = atom_key(atom)
                if key is None:
                    slow.append(atom)
                else:
                    (on if key[1] else off).append(key[0])
            return frozenset(on), frozenset(off), tuple(slow)

        must, must_not, all_slow = split(rule.all)
        hit, miss, any_slow = split(rule.any)
        bar, bar_unless, none_slow = split(rule.none)
        if len(hit) + len(miss) + len(any_slow) != len(rule.any):  # counting `min` needs no repeats
            any_slow, hit, miss = rule.any, frozenset(), frozenset()
        simple = bool(rule.any) and rule.min == 1 and not miss and not any_slow
        need = must or (hit if rule.any and rule.min >= 1 and not miss and not any_slow else None)
        plain = not must_not and not all_slow and (simple or not rule.any) and not bar_unless and not none_slow
        rest = None if plain else Slow(must_not, all_slow, miss, any_slow, bar_unless, none_slow, rule.min,
                                        bool(rule.any))
        return Compiled(must, hit, bar, simple, need, rest)

    def check(self, keys: set[str], facts: Facts) -> bool:
        """Same result as `check(rule, facts)` when `keys == fact_keys(facts)`."""
        if not self.must <= keys:
            return False
        rest = self.slow
        if rest is None:
            return (not self.simple_any or not self.hit.isdisjoint(keys)) and self.bar.isdisjoint(keys)
        if not rest.must_not.isdisjoint(keys):
            return False
        for atom in rest.all_slow:
            if not holds(atom, facts):
                return False
        if self.simple_any:
            if self.hit.isdisjoint(keys):
                return False
        elif rest.checks_any:
            count = len(self.hit & keys) + len(rest.miss - keys)
            for atom in rest.any_slow:
                if count >= rest.min:
                    break
                if holds(atom, facts):
                    count += 1
            if count < rest.min:
                return False
        if not self.bar.isdisjoint(keys) or not rest.bar_unless <= keys:
            return False
        return all(not holds(atom, facts) for atom in rest.none_slow)


def need_of(rules: Iterable[Rule]) -> frozenset[str] | None:
    """Keys one of which must be present for any of `rules` to hold (None when some rule has no such set):
    lets the engine skip a whole group of rules with one isdisjoint test."""
    keys: set[str] = set()
    for rule in rules:
        if rule.fast.need is None:
            return None
        keys |= rule.fast.need
    return frozenset(keys)


def evaluate_fast(rule: Rule, keys: set[str], facts: Facts) -> tuple[bool, list[Atom]]:
    """Same result as `evaluate(rule, facts)` when `keys == fact_keys(facts)`."""
    if not rule.fast.check(keys, facts):
        return False, []
    matched = list(rule.all)
    for atom in rule.any:
        key = atom_key(atom)
        if (holds(atom, facts) if key is None else (key[0] in keys) == key[1]):
            matched.append(atom)
    return True, matched


def parse_atom(text: str) -> Atom:
    raw = text.strip()
    if not raw:
        raise RuleError("empty condition")
    if raw == "pregnant":
        return Atom("pregnant", "pregnant", text=raw)
    match = _COMPARE.match(raw)
    if match:
        name, op, value = match["name"], match["op"], match["value"]
        op = "==" if op == "=" else op
        prefix, _, rest = name.partition(":")
        if rest and prefix in ("measure", "lab"):
            return Atom(prefix, rest, op, _number_or_word(value), raw)
        if name in _PLAIN:
            return Atom(name, name, op, _number_or_word(value), raw)
        raise RuleError(f"cannot compare {name!r} in {raw!r}")
    prefix, sep, rest = raw.partition(":")
    if sep:
        if prefix not in _PREFIXES or not rest or not re.fullmatch(r"[a-z0-9_]+", rest):
            raise RuleError(f"unknown condition {raw!r}")
        return Atom(prefix, rest, text=raw)
    if not re.fullmatch(r"[a-z0-9_]+", raw):
        raise RuleError(f"unknown condition {raw!r}")
    return Atom("finding", raw, text=raw)


def _number_or_word(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


def parse_rule(spec: Any) -> Rule:
    """Parse a rule from its YAML form (string, list or mapping)."""
    if isinstance(spec, str):
        return Rule(all=(parse_atom(spec),), text=spec)
    if isinstance(spec, list):
        return Rule(all=tuple(parse_atom(s) for s in spec), text=" & ".join(spec))
    if isinstance(spec, Mapping):
        unknown = set(spec) - {"all", "any", "none", "min"}
        if unknown:
            raise RuleError(f"unknown rule keys {sorted(unknown)}")
        parts = {key: tuple(parse_atom(s) for s in _as_list(spec.get(key))) for key in ("all", "any", "none")}
        minimum = int(spec.get("min", 1))
        return Rule(parts["all"], parts["any"], parts["none"], minimum, text=str(dict(spec)))
    raise RuleError(f"a rule must be a string, list or mapping, not {type(spec).__name__}")


def _as_list(value: Any) -> Sequence[str]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return list(value)


def holds(atom: Atom, facts: Facts) -> bool:
    kind, name = atom.kind, atom.name
    if kind == "finding":
        return name in facts.present
    if kind == "no":
        return name in facts.absent
    if kind == "maybe":
        return name in facts.uncertain
    if kind == "any":
        return name in facts.present or name in facts.uncertain
    if kind == "unknown":
        return name not in facts.present and name not in facts.absent and name not in facts.uncertain
    if kind == "class":
        return name in facts.classes
    if kind == "med":
        return name in facts.meds
    if kind == "pregnant":
        return "pregnant" in facts.present
    if kind in ("sex", "subject"):
        return _compare(facts.labels.get(kind), atom.op, atom.value)
    if kind in ("age", "weeks"):
        return _compare(facts.numbers.get(kind), atom.op, atom.value)
    if kind == "measure":
        return _compare(facts.numbers.get(name), atom.op, atom.value)
    if kind == "lab":
        if isinstance(atom.value, str):
            status = facts.lab_status.get(name)
            if status is None:
                return False
            if atom.value in ("low", "high"):
                return status in (atom.value, f"critical_{atom.value}")
            if atom.value == "abnormal":
                return status not in ("normal", "implausible")
            return status == atom.value
        return _compare(facts.lab_values.get(name), atom.op, atom.value)
    raise RuleError(f"unknown atom kind {kind}")  # pragma: no cover - parse_atom prevents it


def _compare(left: float | str | None, op: str | None, right: float | str | None) -> bool:
    if left is None or right is None or op is None:
        return False
    if isinstance(right, str) or isinstance(left, str):
        return (str(left) == str(right)) if op == "==" else (str(left) != str(right))
    return {
        ">=": left >= right,
        "<=": left <= right,
        ">": left > right,
        "<": left < right,
        "==": left == right,
        "!=": left != right,
    }[op]


def evaluate(rule: Rule, facts: Facts) -> tuple[bool, list[Atom]]:
    """Whether the rule holds, and the positive atoms that made it hold (for explanations)."""
    matched: list[Atom] = []
    for atom in rule.all:
        if not holds(atom, facts):
            return False, []
        matched.append(atom)
    if rule.any:
        hits = [atom for atom in rule.any if holds(atom, facts)]
        if len(hits) < rule.min:
            return False, []
        matched.extend(hits)
    for atom in rule.none:
        if holds(atom, facts):
            return False, []
    return True, matched


def check(rule: Rule, facts: Facts) -> bool:
    """Whether the rule holds, without collecting explanations (the hot path)."""
    for atom in rule.all:
        if not holds(atom, facts):
            return False
    if rule.any:
        needed = rule.min
        for atom in rule.any:
            if holds(atom, facts):
                needed -= 1
                if needed <= 0:
                    break
        if needed > 0:
            return False
    return not any(holds(atom, facts) for atom in rule.none)


def first_match(rules: Iterable[Rule], facts: Facts) -> tuple[Rule, list[Atom]] | None:
    for rule in rules:
        ok, matched = evaluate(rule, facts)
        if ok:
            return rule, matched
    return None

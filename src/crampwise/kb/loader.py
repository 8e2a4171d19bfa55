"""Load the compiled knowledge base into typed records. Standard library only (start-up matters)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from crampwise.kb.conditions import Rule, need_of, parse_rule


@dataclass(frozen=True)
class Trigger:
    rule: Rule
    level: str
    reason: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedFlag:
    id: str
    name: str
    level: str
    advice: str
    why: str
    evidence: str
    sources: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    escalate: tuple[Trigger, ...]
    verified: bool = True
    need: frozenset[str] | None = field(init=False, repr=False, compare=False)  # see need_of

    def __post_init__(self) -> None:
        object.__setattr__(self, "need", need_of(t.rule for t in self.triggers))


@dataclass(frozen=True)
class Weighted:
    rule: Rule
    weight: float
    say: str


@dataclass(frozen=True)
class Factor:
    id: str
    name: str
    kind: str
    explanation: str
    evidence: str
    sources: tuple[str, ...]
    prior: float
    gate: Rule | None
    support: tuple[Weighted, ...]
    against: tuple[Weighted, ...]
    floor: tuple[Trigger, ...]  # minimum triage when the factor is likely
    need: frozenset[str] | None = field(init=False, repr=False, compare=False)  # of the support rules

    def __post_init__(self) -> None:
        object.__setattr__(self, "need", need_of(w.rule for w in self.support))


@dataclass(frozen=True)
class Contra:
    rule: Rule
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Advice:
    id: str
    name: str
    text: str
    evidence: str
    sources: tuple[str, ...]
    never: bool
    offer: tuple[Weighted, ...]  # each rule that offers it, with a reason
    contraindications: tuple[Contra, ...]
    cautions: tuple[Contra, ...]
    order: int
    need: frozenset[str] | None = field(init=False, repr=False, compare=False)  # of the offer rules

    def __post_init__(self) -> None:
        object.__setattr__(self, "need", need_of(w.rule for w in self.offer))


@dataclass(frozen=True)
class TestDef:
    id: str
    name: str
    why: str
    sources: tuple[str, ...]
    when: tuple[Weighted, ...]
    known_if: tuple[str, ...]  # lab analytes that make it already known
    need: frozenset[str] | None = field(init=False, repr=False, compare=False)  # of the `when` rules

    def __post_init__(self) -> None:
        object.__setattr__(self, "need", need_of(w.rule for w in self.when))


@dataclass(frozen=True)
class QuestionDef:
    id: str
    text: str
    why: str
    kind: str
    finding: str | None
    choices: tuple[str, ...]
    ask_when: Rule | None
    skip_if_known: tuple[str, ...]
    priority: float
    answers: dict[str, Any]


@dataclass
class KnowledgeBase:
    version: str
    meta: dict[str, Any]
    findings: dict[str, dict[str, Any]]
    red_flags: dict[str, RedFlag]
    factors: dict[str, Factor]
    advice: dict[str, Advice]
    tests: dict[str, TestDef]
    questions: dict[str, QuestionDef]
    references: dict[str, dict[str, Any]]
    medicines: dict[str, dict[str, Any]]
    drug_classes: dict[str, dict[str, Any]]
    topics: dict[str, dict[str, Any]]
    foods: dict[str, Any]
    seed_checklist: list[dict[str, Any]]
    lexicon: dict[str, Any]
    context: dict[str, Any]
    common_words: list[str]
    derived: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    floors: tuple[Trigger, ...] = ()
    derived_need: dict[str, frozenset[str] | None] = field(default_factory=dict)  # see need_of
    conditions: frozenset[str] = frozenset()  # ids of findings in the "condition" category
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    _cites: dict[str, str] = field(repr=False, default_factory=dict)

    def cite(self, key: str) -> str:
        """A one-line reference for a citation key, e.g. for the Sources list (memoised)."""
        cached = self._cites.get(key)
        if cached is None:
            cached = self._cites[key] = self._format_reference(key)
        return cached

    def _format_reference(self, key: str) -> str:
        ref = self.references.get(key)
        if ref is None:
            return key
        parts = [ref.get("authors"), f"({ref['year']})" if ref.get("year") else None, ref.get("title"),
                 ref.get("venue")]
        text = " ".join(str(p).rstrip(".") + "." for p in parts if p)
        if ref.get("doi"):
            text += f" doi:{ref['doi']}"
        elif ref.get("pmid"):
            text += f" PMID {ref['pmid']}"
        elif ref.get("url"):
            text += f" {ref['url']}"
        return text

    def finding_label(self, finding_id: str) -> str:
        spec = self.findings.get(finding_id)
        return str(spec["label"]) if spec else finding_id.replace("_", " ")


def _rules(items: list[Any] | None) -> tuple[Rule, ...]:
    return tuple(parse_rule(item) for item in items or [])


def _weighted(items: list[dict[str, Any]] | None, default: float = 1.0) -> tuple[Weighted, ...]:
    return tuple(
        Weighted(parse_rule(item["when"]), float(item.get("weight", default)), str(item.get("say", "")))
        for item in items or []
    )


def _triggers(items: list[dict[str, Any]] | None, default_level: str = "") -> tuple[Trigger, ...]:
    return tuple(
        Trigger(parse_rule(item["when"]), str(item.get("level", default_level)), str(item.get("reason", "")),
                tuple(item.get("sources", []) or ()))
        for item in items or []
    )


def _contras(items: list[dict[str, Any]] | None) -> tuple[Contra, ...]:
    return tuple(
        Contra(parse_rule(item["when"]), str(item["reason"]), tuple(item.get("sources", [])))
        for item in items or []
    )


def from_dict(data: dict[str, Any]) -> KnowledgeBase:
    red_flags = {
        key: RedFlag(key, v["name"], v["level"], v["advice"], v["why"], v.get("evidence", "D"),
                     tuple(v["sources"]), _triggers(v["triggers"], v["level"]), _triggers(v.get("escalate")),
                     bool(v.get("verified", True)))
        for key, v in data["red_flags"].items()
    }
    factors = {
        key: Factor(key, v["name"], v.get("kind", "factor"), v["explanation"], v["evidence"], tuple(v["sources"]),
                    float(v.get("prior", 0)), parse_rule(v["gate"]) if v.get("gate") else None,
                    _weighted(v.get("support")), _weighted(v.get("against"), -1.0), _triggers(v.get("floor")))
        for key, v in data["factors"].items()
    }
    advice = {
        key: Advice(key, v["name"], v["text"], v["evidence"], tuple(v["sources"]), bool(v.get("never", False)),
                    _weighted(v.get("offer")), _contras(v.get("contraindications")), _contras(v.get("cautions")),
                    index)
        for index, (key, v) in enumerate(data["advice"].items())
    }
    tests = {
        key: TestDef(key, v["name"], v["why"], tuple(v["sources"]), _weighted(v.get("when")),
                     tuple(v.get("known_if", [])))
        for key, v in data["tests"].items()
    }
    questions = {
        key: QuestionDef(key, v["text"], v["why"], v.get("kind", "general"), v.get("finding"),
                         tuple(v.get("choices", [])), parse_rule(v["ask_when"]) if v.get("ask_when") else None,
                         tuple(v.get("skip_if_known", [])), float(v.get("priority", 1)), v.get("answers", {}))
        for key, v in data["questions"].items()
    }
    derived = {key: _rules(rules) for key, rules in data["meta"].get("derived", {}).items()}
    return KnowledgeBase(
        version=str(data.get("version", "")), meta=data["meta"], findings=data["findings"], red_flags=red_flags,
        factors=factors, advice=advice, tests=tests, questions=questions, references=data["references"],
        medicines=data["medicines"], drug_classes=data["drug_classes"], topics=data.get("topics", {}),
        foods=data.get("foods", {}), seed_checklist=data.get("seed_checklist", []), lexicon=data["lexicon"],
        context=data["context"], common_words=data.get("common_words", []),
        derived=derived, floors=_triggers(data["meta"].get("floors")), raw=data,
        derived_need={key: need_of(rules) for key, rules in derived.items()},
        conditions=frozenset(key for key, spec in data["findings"].items() if spec.get("cat") == "condition"),
    )


_LOADED: KnowledgeBase | None = None


def load() -> KnowledgeBase:
    """The packaged knowledge base (compiled JSON), parsed once per process."""
    global _LOADED
    if _LOADED is None:
        text = resources.files("crampwise.kb").joinpath("compiled.json").read_text(encoding="utf-8")
        _LOADED = from_dict(json.loads(text))
    return _LOADED


def use(kb: KnowledgeBase) -> None:
    """Install an already-built knowledge base (from the start-up cache) as this process's."""
    global _LOADED
    _LOADED = kb


def compiled_version() -> str:
    """The version of the packaged compiled KB, read without parsing the whole file."""
    with resources.files("crampwise.kb").joinpath("compiled.json").open("rb") as handle:
        head = handle.read()
    marker = head.rfind(b'"version":"')
    return head[marker + 11 : marker + 23].decode() if marker >= 0 else ""

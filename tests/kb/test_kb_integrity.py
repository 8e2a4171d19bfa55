"""Integrity of the compiled knowledge base against the shared vocabulary and its own references.

Reads the KB through `crampwise.kb.load()` (the compiled JSON the product uses at run time) and
the shared vocabulary with a tolerant line reader (the shared file is not strict YAML).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from crampwise.kb import KnowledgeBase, load
from crampwise.kb.build import main as build_main
from crampwise.testing import read_vocabulary as _read_vocabulary

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = ROOT.parent / "shared" / "evaluation" / "vocabulary.yaml"
SECTIONS = ("triage_levels", "red_flags", "factors", "drug_classes", "advice")


def read_vocabulary(path: Path = VOCABULARY) -> dict[str, dict[str, str]]:
    return _read_vocabulary(path)

@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, list[str]]:
    if not VOCABULARY.exists():
        pytest.skip(f"{VOCABULARY} not found")
    return read_vocabulary()


def test_vocabulary_reader_sees_every_section(vocabulary: dict[str, dict[str, str]]) -> None:
    for section in SECTIONS:
        assert vocabulary.get(section), f"no identifiers read from vocabulary section {section!r}"
    assert next(iter(vocabulary["triage_levels"])) == "emergency_ambulance"
    assert "quinine" in vocabulary["advice"]
    assert "stop_medication" in vocabulary["advice"]


# ---------------------------------------------------------------- vocabulary coverage
@pytest.mark.parametrize("section", SECTIONS)
def test_every_vocabulary_identifier_is_defined(kb: KnowledgeBase, vocabulary: dict[str, list[str]],
                                                section: str) -> None:
    defined: dict[str, Any] = {
        "triage_levels": kb.meta["triage"],
        "red_flags": kb.red_flags,
        "factors": kb.factors,
        "drug_classes": kb.drug_classes,
        "advice": kb.advice,
    }[section]
    missing = [ident for ident in vocabulary[section] if ident not in defined]
    assert not missing, f"vocabulary {section} not defined in the KB: {missing}"


def test_triage_levels_have_label_and_action(kb: KnowledgeBase, vocabulary: dict[str, list[str]]) -> None:
    for level in vocabulary["triage_levels"]:
        spec = kb.meta["triage"][level]
        assert spec.get("label", "").strip(), level
        assert spec.get("action", "").strip(), level


# ---------------------------------------------------------------- citations
def _cited(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, key) under a `sources` or `*_sources` list anywhere in a KB section."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if (key == "sources" or str(key).endswith("_sources")) and isinstance(value, list):
                for item in value:
                    assert isinstance(item, str), f"{here}: citation {item!r} is not a key"
                    yield here, item
            else:
                yield from _cited(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _cited(item, f"{path}[{index}]")


CITING_SECTIONS = ("meta", "red_flags", "factors", "advice", "tests", "drug_classes", "topics", "foods",
                   "seed_checklist", "questions", "medicines")


@pytest.fixture(scope="module")
def citations(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Citations in the compiled KB, plus the lab ranges (labs/data/analytes.json cites the same keys)."""
    found = [(f"{section}{path}", key) for section in CITING_SECTIONS
             for path, key in _cited(kb.raw.get(section) or {}, "")]
    analytes = json.loads(resources.files("crampwise.labs").joinpath("data/analytes.json").read_text("utf-8"))
    found += [(f"labs/analytes.json{path}", key) for path, key in _cited(analytes, "")]
    return found


def test_citations_are_found(citations: list[tuple[str, str]]) -> None:
    sections = {path.split("/")[0].split("[")[0] for path, _ in citations}
    for section in ("meta", "red_flags", "factors", "advice", "tests", "drug_classes", "topics", "foods",
                    "seed_checklist"):
        assert section in sections, f"no citations found in {section}: the walker missed them"


def test_every_citation_key_is_a_reference(kb: KnowledgeBase, citations: list[tuple[str, str]]) -> None:
    missing = sorted({f"{key} (at {path})" for path, key in citations if key not in kb.references})
    assert not missing, f"{len(missing)} citation(s) to keys not in references.yaml:\n  " + "\n  ".join(missing)


def test_every_reference_is_cited(kb: KnowledgeBase, citations: list[tuple[str, str]]) -> None:
    """Every reference is cited, except the weak ones kept only for traceability (marked `withheld`)."""
    used = {key for _, key in citations}
    withheld = {key for key, ref in kb.references.items() if ref.get("withheld")}
    unused = sorted(set(kb.references) - used - withheld)
    assert not unused, f"{len(unused)} reference(s) never cited anywhere in the KB: {unused}"


def _user_facing(kb: KnowledgeBase) -> list[tuple[str, str, tuple[str, ...]]]:
    """(where, text, sources) for every statement a person reads beside its sources."""
    items: list[tuple[str, str, tuple[str, ...]]] = []
    for flag in kb.red_flags.values():
        items.append((f"red_flags/{flag.id}/advice", flag.advice, flag.sources))
        items.append((f"red_flags/{flag.id}/why", flag.why, flag.sources))
    for factor in kb.factors.values():
        items.append((f"factors/{factor.id}/explanation", factor.explanation, factor.sources))
    for advice in kb.advice.values():
        items.append((f"advice/{advice.id}/text", advice.text, advice.sources))
        for contra in (*advice.contraindications, *advice.cautions):
            items.append((f"advice/{advice.id}/contraindication", contra.reason,
                          contra.sources or advice.sources))
    for test in kb.tests.values():
        items.append((f"tests/{test.id}/why", test.why, test.sources))
    for cls_id, cls in kb.drug_classes.items():
        if cls.get("message"):
            items.append((f"drug_classes/{cls_id}/message", str(cls["message"]), tuple(cls.get("sources") or ())))
        for index, safety in enumerate(cls.get("safety") or []):
            if isinstance(safety, dict):
                items.append((f"drug_classes/{cls_id}/safety[{index}]", str(safety.get("text", "")),
                              tuple(safety.get("sources") or cls.get("sources") or ())))
    return items


def test_every_user_facing_statement_has_a_source(kb: KnowledgeBase) -> None:
    unsourced = [where for where, text, sources in _user_facing(kb) if text.strip() and not sources]
    assert not unsourced, f"statements without any source: {unsourced}"


def test_m_only_statements_are_counted(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    """Statements resting only on references verified "M" are allowed; the count is reported."""
    items = _user_facing(kb)
    grades = {key: str(ref.get("verification", "")) for key, ref in kb.references.items()}
    assert set(grades.values()) <= {"P", "S", "M"}, f"unknown verification marks: {set(grades.values())}"
    m_only = [where for where, _, sources in items
              if sources and all(grades.get(key) == "M" for key in sources)]
    assert len(m_only) < len(items)
    with capsys.disabled():
        print(f"\n[kb] {len(m_only)} of {len(items)} user-facing statements rest on 'M'-verified references "
              f"only: {m_only[:8]}{' ...' if len(m_only) > 8 else ''}")


# ---------------------------------------------------------------- never-advice in the text
TEXT_KEYS = {"advice", "why", "explanation", "text", "message", "reason", "say", "summary", "action", "label",
             "intro", "safety_net", "disclaimer", "mechanism", "note", "notes", "correction", "heading", "title"}
NEGATION = re.compile(r"\b(?:not|never|no|avoid|don'?t|against|without|rather than|instead of)\b", re.I)
RECOMMENDS_QUININE = re.compile(
    r"\b(?:try|drink|take|use|have|sip|recommend\w*|suggest\w*|advise\w*)\s+(?:a glass of |some |a little )?"
    r"(?:quinine|tonic water)\b"
    r"|\b(?:quinine|tonic water)\s+(?:can|may|will|does|should)\s+(?:help|ease|relieve|prevent|stop|cure)",
    re.I,
)
STOPS_MEDICINE = re.compile(
    r"(?:^|[;:,]\s*|\byou (?:should|could|can|may|might) |\btry (?:to )?|\bconsider )"
    r"(?:stop|skip|stopping|skipping|come off|coming off|halve|missing|miss)\s+(?:taking\s+)?"
    r"(?:your|the|this|that|it|them|any|a)?\s*(?:medicine|medication|medicines|tablets?|pills?|prescription|"
    r"statin|diuretic|water tablet|inhaler|dose|doses|it|them)\b",
    re.I,
)


def _texts(node: Any, path: str, key: str | None = None) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, f"{path}/{k}", str(k))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _texts(item, f"{path}[{index}]", key)
    elif isinstance(node, str) and key in TEXT_KEYS:
        yield path, node


def _sentences(kb: KnowledgeBase) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for section in ("meta", "red_flags", "factors", "advice", "tests", "questions", "drug_classes", "topics",
                    "foods", "seed_checklist"):
        for path, text in _texts(kb.raw.get(section) or {}, section):
            # seed checklist `point`s quote the claims being checked; only corrections are shown as ours
            out.extend((path, s.strip()) for s in re.split(r"(?<=[.!?])\s+", text) if s.strip())
    return out


def test_the_scanners_catch_what_they_should() -> None:
    for bad in ("Try tonic water before bed.", "Quinine can help night cramps.", "Drink tonic water",
                "You could take quinine.", "Stop taking your statin for two weeks.", "Skip your water tablet.",
                "If cramps persist, stop the medicine."):
        assert RECOMMENDS_QUININE.search(bad) or STOPS_MEDICINE.search(bad), bad
    for fine in ("Quinine is not recommended for cramps.", "Tonic water is not a treatment for cramps.",
                 "Do not stop or change it yourself.", "Don't stop your statin; keep taking it.",
                 "Get urgent help if you take quinine and notice bruising.", "Stop, move into the shade."):
        hit = RECOMMENDS_QUININE.search(fine) or STOPS_MEDICINE.search(fine)
        assert not hit or NEGATION.search(fine) or "if you take" in fine.lower(), fine


def test_no_text_recommends_quinine_or_tonic_water(kb: KnowledgeBase) -> None:
    bad = [f"{path}: {s}" for path, s in _sentences(kb)
           if RECOMMENDS_QUININE.search(s) and not NEGATION.search(s)
           and not re.search(r"\b(?:if|while|when|who) (?:you )?(?:take|taking|started|already)\b", s, re.I)]
    assert not bad, "text that reads as recommending quinine or tonic water:\n  " + "\n  ".join(bad)


def test_no_text_tells_the_person_to_stop_a_medicine(kb: KnowledgeBase) -> None:
    bad = [f"{path}: {s}" for path, s in _sentences(kb)
           if STOPS_MEDICINE.search(s) and not NEGATION.search(s)
           and not re.search(r"\bkeep taking\b|\bwith (?:your|the) prescriber\b|\bcan cause\b", s, re.I)]
    assert not bad, "text that reads as telling the person to stop or skip a medicine:\n  " + "\n  ".join(bad)


def test_never_advice_is_never_offered(kb: KnowledgeBase) -> None:
    for advice_id in ("quinine", "stop_medication"):
        assert kb.advice[advice_id].never, f"{advice_id} must be marked never"
        assert not kb.advice[advice_id].offer, f"{advice_id} must have no offer rules"


# ---------------------------------------------------------------- build, lexicon, checklist
def test_compiled_json_is_fresh(capsys: pytest.CaptureFixture[str]) -> None:
    code = build_main(["--check"])
    err = capsys.readouterr().err
    assert code == 0, f"kb/compiled.json is stale: run `python -m crampwise.kb.build` ({err.strip()})"


def test_every_lexicon_key_is_a_finding(kb: KnowledgeBase) -> None:
    # `no:finding` records an absence; `finding#2` is a second pattern group for the same finding
    undefined = sorted(key for key in kb.lexicon if key.removeprefix("no:").split("#")[0] not in kb.findings)
    assert not undefined, f"lexicon keys that are not findings: {undefined}"


def test_every_finding_has_a_known_category(kb: KnowledgeBase) -> None:
    cats = {"pattern", "symptom", "sign", "condition", "history", "lifestyle", "context", "lab", "medicine",
            "question"}
    bad = {key: spec.get("cat") for key, spec in kb.findings.items() if spec.get("cat") not in cats}
    assert not bad, bad


def test_seed_checklist_ids_exist(kb: KnowledgeBase, vocabulary: dict[str, list[str]]) -> None:
    assert kb.seed_checklist, "the seed checklist is empty"
    known = {i for ids in vocabulary.values() for i in ids}
    known |= set(kb.red_flags) | set(kb.factors) | set(kb.advice) | set(kb.drug_classes) | set(kb.meta["triage"])
    missing: list[str] = []
    for index, item in enumerate(kb.seed_checklist):
        for ident in item.get("ids") or []:
            if ident.startswith("topic:"):
                ok = ident.removeprefix("topic:") in kb.topics
            elif ident.startswith("test:"):
                ok = ident.removeprefix("test:") in kb.tests
            else:
                ok = ident in known
            if not ok:
                missing.append(f"seed_checklist[{index}] ({item.get('seed')}): {ident}")
    assert not missing, "unknown ids in the seed checklist:\n  " + "\n  ".join(missing)


def test_medicines_have_known_classes(kb: KnowledgeBase) -> None:
    bad = {med: spec.get("class") for med, spec in kb.medicines.items()
           if spec.get("class", "none") not in kb.drug_classes and spec.get("class", "none") != "none"}
    assert not bad, f"medicines whose class is not in drug_classes: {bad}"


def test_general_answer_ids_exist(kb: KnowledgeBase) -> None:
    general = kb.meta.get("general_answer", {})
    assert all(f in kb.factors for f in general.get("causes", [])), general.get("causes")
    assert all(f in kb.red_flags for f in general.get("when_flags", [])), general.get("when_flags")
    assert all(a in kb.advice for a in general.get("helps", [])), general.get("helps")


def test_withheld_references_are_never_cited(kb: KnowledgeBase, citations: list[tuple[str, str]]) -> None:
    """A reference marked too weak to show is not used behind any statement."""
    withheld = {key for key, ref in kb.references.items() if ref.get("withheld")}
    assert not withheld & {key for _, key in citations}

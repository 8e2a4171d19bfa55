"""Validate the authored YAML and compile it into `kb/compiled.json`.

    python -m crampwise.kb.build          # write compiled.json
    python -m crampwise.kb.build --check  # fail if compiled.json is stale (CI)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter

from crampwise.kb import schema
from crampwise.kb.conditions import parse_rule
from crampwise.kb.loader import from_dict

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
TEXT_DATA = HERE.parent / "text" / "data"
COMPILED = HERE / "compiled.json"

SCHEMAS: dict[str, Any] = {
    "findings": dict[str, schema.FindingSpec],
    "red_flags": dict[str, schema.RedFlagSpec],
    "factors": dict[str, schema.FactorSpec],
    "advice": dict[str, schema.AdviceSpec],
    "tests": dict[str, schema.TestSpec],
    "questions": dict[str, schema.QuestionSpec],
}
OPTIONAL = ("topics", "foods", "seed_checklist", "references", "medicines", "drug_classes")


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe loader


def collect() -> dict[str, Any]:
    data: dict[str, Any] = {"meta": _read(DATA / "meta.yaml")}
    for name, adapter_type in SCHEMAS.items():
        raw = _read(DATA / f"{name}.yaml") or {}
        TypeAdapter(adapter_type).validate_python(raw)
        data[name] = raw
    for name in OPTIONAL:
        path = DATA / f"{name}.yaml"
        data[name] = (_read(path) if path.exists() else None) or ({} if name != "seed_checklist" else [])
    data["lexicon"] = _read(TEXT_DATA / "lexicon.yaml")
    data["context"] = _read(TEXT_DATA / "context.yaml")
    words = (TEXT_DATA / "common_words.txt").read_text(encoding="utf-8").split()
    data["common_words"] = sorted({w.strip().lower() for w in words if w.strip() and not w.startswith("#")})
    _cross_check(data)
    from crampwise.text.extract import TextModel  # every phrase and trigger compiles

    TextModel.build(data["lexicon"], data["context"], data["medicines"], data["common_words"], data["findings"])
    body = json.dumps(data, sort_keys=True, ensure_ascii=False)
    data["version"] = hashlib.sha256(body.encode()).hexdigest()[:12]
    return data


def _rule_specs(data: dict[str, Any]) -> list[Any]:
    specs: list[Any] = [rule for rules in data["meta"].get("derived", {}).values() for rule in rules]
    specs += [floor["when"] for floor in data["meta"].get("floors", [])]
    for flag in data["red_flags"].values():
        specs += [t["when"] for t in flag["triggers"] + flag.get("escalate", [])]
    for factor in data["factors"].values():
        specs += [factor["gate"]] if factor.get("gate") else []
        specs += [w["when"] for w in factor.get("support", []) + factor.get("against", []) + factor.get("floor", [])]
    for item in data["advice"].values():
        specs += [w["when"] for w in item.get("offer", []) + item.get("contraindications", []) + item.get("cautions", [])]
    for test in data["tests"].values():
        specs += [w["when"] for w in test["when"]]
    for question in data["questions"].values():
        specs += [question["ask_when"]] if question.get("ask_when") else []
    return specs


def _cross_check(data: dict[str, Any]) -> None:
    findings = set(data["findings"])
    problems: list[str] = []
    for key in data["lexicon"]:
        if key.removeprefix("no:").split("#")[0] not in findings:
            problems.append(f"lexicon key {key!r} is not defined in findings.yaml")
    classes = set(data["drug_classes"]) if data["drug_classes"] else None
    for spec in _rule_specs(data):
        rule = parse_rule(spec)
        for atom in rule.atoms():
            if atom.kind in ("finding", "no", "maybe", "any", "unknown") and atom.name not in findings:
                problems.append(f"rule {rule.text!r} uses undefined finding {atom.name!r}")
            if atom.kind == "class" and classes is not None and atom.name not in classes:
                problems.append(f"rule {rule.text!r} uses undefined drug class {atom.name!r}")
    for question in data["questions"].values():
        if question.get("finding") and question["finding"] not in findings:
            problems.append(f"question uses undefined finding {question['finding']!r}")
    if problems:
        raise SystemExit("knowledge base problems:\n  " + "\n  ".join(sorted(set(problems))))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data = collect()
    from_dict(data)  # every rule parses and every record loads
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    if "--check" in args:
        current = COMPILED.read_text(encoding="utf-8") if COMPILED.exists() else ""
        if current != text:
            print("kb/compiled.json is stale: run `python -m crampwise.kb.build`", file=sys.stderr)
            return 1
        print(f"kb/compiled.json is up to date (version {data['version']})")
        return 0
    COMPILED.write_text(text, encoding="utf-8")
    print(f"wrote {COMPILED.relative_to(HERE.parent.parent.parent)} (version {data['version']}, {len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`crampwise explain [TOPIC]`: the deeper explanations, each point with its sources."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from typing import Any

import click

from crampwise.cli import EXIT_BAD_INPUT

WIDTH = 88
FINDINGS = "findings"
CATEGORY_ORDER = ("condition", "symptom", "sign", "pattern", "lifestyle", "history", "medicine", "context", "lab",
                  "question")
CATEGORY_TITLES = {
    "condition": "Conditions", "symptom": "Symptoms", "sign": "Signs", "pattern": "Cramp pattern",
    "lifestyle": "Lifestyle", "history": "History", "medicine": "Medicines (in general)", "context": "Context",
    "lab": "Known results", "question": "Questions asked",
}


def _fail(message: str) -> None:
    click.echo(f"crampwise: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _wrap(text: str, indent: str = "  ", more: str = "  ") -> str:
    return textwrap.fill(" ".join(text.split()), width=WIDTH, initial_indent=indent,
                         subsequent_indent=indent + more)


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "-", name.strip().lower())


def aliases(kb: Any) -> dict[str, str]:
    """Ways of naming a topic -> its slug: the slug itself (any case, spaces or underscores for dashes),
    and for medicine topics the class id and name and each medicine's generic and brand names."""
    out: dict[str, str] = {}
    for slug in kb.topics:
        out.setdefault(_key(slug), slug)
    for slug in kb.topics:
        if slug.startswith("medicine-"):
            cls = slug[len("medicine-"):]
            out.setdefault(_key(cls), slug)
            name = kb.drug_classes.get(cls, {}).get("name")
            if name:
                out.setdefault(_key(str(name)), slug)
    for generic, spec in kb.medicines.items():
        slug = f"medicine-{spec.get('class', '')}"
        if slug not in kb.topics:
            continue
        names = [generic, *(spec.get("names") or [])]
        for brands in (spec.get("brands") or {}).values():
            names.extend(brands or [])
        for name in names:
            out.setdefault(_key(str(name)), slug)
    return out


def suggestions(kb: Any, wanted: str) -> list[str]:
    """Topic slugs close to what was typed, best first (for "did you mean ...?")."""
    import difflib

    key = _key(wanted)
    slugs = {_key(slug): slug for slug in kb.topics}
    names = aliases(kb)
    found = [slug for k, slug in slugs.items() if len(key) >= 3 and k.startswith(key)]
    found.extend(slugs[m] for m in difflib.get_close_matches(key, list(slugs), n=3, cutoff=0.6))
    found.extend(slug for k, slug in slugs.items() if len(key) >= 3 and key in k)
    if not found:
        found.extend(names[m] for m in difflib.get_close_matches(key, list(names), n=3, cutoff=0.75))
    return list(dict.fromkeys(found))[:3]


def topic_document(kb: Any, slug: str) -> dict[str, Any]:
    """A topic as a JSON-ready dict: sections of points, each with its citation keys and numbers."""
    topic = kb.topics[slug]
    numbers: dict[str, int] = {}
    sections = []
    for section in topic.get("sections", []) or []:
        points = []
        for point in section.get("points", []) or []:
            keys = [str(k) for k in point.get("sources", []) or []]
            for key in keys:
                numbers.setdefault(key, len(numbers) + 1)
            points.append({"text": " ".join(str(point.get("text", "")).split()), "sources": keys,
                           "numbers": [numbers[k] for k in keys]})
        sections.append({"heading": str(section.get("heading", "")), "points": points})
    return {
        "slug": slug,
        "title": str(topic.get("title", slug)),
        "summary": " ".join(str(topic.get("summary", "")).split()),
        "sections": sections,
        "related": [r for r in topic.get("related", []) or [] if r in kb.topics],
        "sources": [{"number": n, "key": k, "reference": kb.cite(k)} for k, n in numbers.items()],
    }


def _topic_text(doc: dict[str, Any]) -> str:
    out = [doc["title"], "=" * len(doc["title"])]
    if doc["summary"]:
        out.append(_wrap(doc["summary"], indent="", more=""))
    for section in doc["sections"]:
        out.append("")
        out.append(section["heading"])
        for point in section["points"]:
            marks = f" [{', '.join(str(n) for n in point['numbers'])}]" if point["numbers"] else ""
            out.append(_wrap(f"- {point['text']}{marks}"))
    if doc["related"]:
        out.append("")
        out.append(_wrap(f"Related: {', '.join(doc['related'])} (crampwise explain TOPIC)", indent=""))
    if doc["sources"]:
        out.append("")
        out.append("Sources")
        for source in doc["sources"]:
            out.append(_wrap(f"[{source['number']}] {source['reference']}"))
    return "\n".join(out) + "\n"


def _listing(kb: Any) -> list[dict[str, str]]:
    return [{"slug": slug, "title": str(t.get("title", slug)), "summary": " ".join(str(t.get("summary", "")).split())}
            for slug, t in kb.topics.items()]


def _listing_text(items: list[dict[str, str]]) -> str:
    general = [i for i in items if not i["slug"].startswith("medicine-")]
    medicines = [i for i in items if i["slug"].startswith("medicine-")]
    width = max((len(i["slug"]) for i in items), default=0) + 2
    out = ["Topics (crampwise explain TOPIC):"]
    out.extend(f"  {i['slug']:<{width}}{i['title']}" for i in general)
    if medicines:
        out.append("")
        out.append("Medicine classes (or type a medicine's name, e.g. crampwise explain lasix):")
        out.extend(f"  {i['slug']:<{width}}{i['title']}" for i in medicines)
    out.append("")
    out.append(f"  {FINDINGS:<{width}}the finding ids you can use in a --profile JSON file")
    return "\n".join(out) + "\n"


def _findings(kb: Any) -> list[dict[str, str]]:
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    rows = [{"id": fid, "category": str(spec.get("cat", "")), "label": str(spec.get("label", fid))}
            for fid, spec in kb.findings.items()]
    rows.sort(key=lambda r: (order.get(r["category"], len(order)), r["category"]))
    return rows


def _findings_text(rows: list[dict[str, str]]) -> str:
    out = ['Finding ids for a --profile JSON file, e.g. {"findings": {"timing_night": "present"}}',
           "Each can be present, absent or uncertain."]
    width = max((len(r["id"]) for r in rows), default=0) + 2
    category = None
    for row in rows:
        if row["category"] != category:
            category = row["category"]
            out.append("")
            out.append(CATEGORY_TITLES.get(category, category.capitalize() or "Other"))
        out.append(f"  {row['id']:<{width}}{row['label']}")
    return "\n".join(out) + "\n"


@click.command("explain")
@click.argument("topic", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the topic (or the list) as JSON.")
def command(topic: str | None, as_json: bool) -> None:
    """Deeper explanations: kidneys and body salts, each salt, each medicine class, stretching...

    Without TOPIC, lists the topics. "findings" lists the finding ids a --profile file can use.

    \b
    Examples:
      crampwise explain
      crampwise explain kidney-electrolytes
      crampwise explain statins --json
      crampwise explain findings
    """
    from crampwise.pipeline import knowledge

    kb = knowledge()
    if topic is None:
        items = _listing(kb)
        click.echo(json.dumps(items, ensure_ascii=False, indent=2) if as_json else _listing_text(items), nl=as_json)
        return
    if _key(topic) == FINDINGS:
        rows = _findings(kb)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2) if as_json else _findings_text(rows),
                   nl=as_json)
        return
    slug = aliases(kb).get(_key(topic))
    if slug is None:
        close = suggestions(kb, topic)
        shown = topic if len(topic) <= 60 else topic[:57] + "..."
        hint = f"; did you mean {' or '.join(repr(s) for s in close)}?" if close else ""
        _fail(f"no topic called {shown!r}{hint} (run `crampwise explain` to list the topics)")
        return
    doc = topic_document(kb, slug)
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2) if as_json else _topic_text(doc), nl=as_json)

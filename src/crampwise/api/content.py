"""Adapters from the core's knowledge base and lab reader to plain JSON-ready dicts.

Shared by the /v1 routes and the web page, so both say the same thing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _kb() -> Any:
    from crampwise.kb import load

    return load()


def cite(key: str) -> str:
    kb = _kb()
    citer = getattr(kb, "cite", None)
    if callable(citer):
        try:
            return str(citer(key))
        except (KeyError, ValueError):
            return key
    ref = _get(kb, "references", {}).get(key)
    if ref is None:
        return key
    return str(_get(ref, "formatted", None) or _get(ref, "title", None) or key)


@lru_cache(maxsize=1)
def topic_summaries() -> list[dict[str, str]]:
    topics = _get(_kb(), "topics", {})
    return [
        {"slug": slug, "title": str(_get(t, "title", slug)), "summary": str(_get(t, "summary", ""))}
        for slug, t in topics.items()
    ]


@lru_cache(maxsize=64)
def _topic_detail(slug: str) -> dict[str, Any] | None:
    topics = _get(_kb(), "topics", {})
    topic = topics.get(slug)
    if topic is None:
        return None
    sections = []
    keys: list[str] = []
    for section in _get(topic, "sections", []) or []:
        points = []
        for point in _get(section, "points", []) or []:
            sources = [str(s) for s in (_get(point, "sources", []) or [])]
            keys.extend(s for s in sources if s not in keys)
            points.append({"text": str(_get(point, "text", "")), "sources": sources})
        sections.append({"heading": str(_get(section, "heading", "")), "points": points})
    return {
        "slug": slug,
        "title": str(_get(topic, "title", slug)),
        "summary": str(_get(topic, "summary", "")),
        "sections": sections,
        "references": {k: cite(k) for k in keys},
    }


def topic_detail(slug: str) -> dict[str, Any] | None:
    if len(slug) > 100:
        return None
    return _topic_detail(slug)


def interpret_labs(
    text: str | None, values: list[dict[str, Any]], age: float | None, sex: str | None
) -> dict[str, Any]:
    """Parse typed results, add structured ones, interpret all (status, eGFR, corrected calcium)."""
    from crampwise.labs import LabMention, interpret, parse_labs

    mentions = list(parse_labs(text)) if text else []
    mentions.extend(
        LabMention(analyte=v["analyte"], value=float(v["value"]), unit=v.get("unit", "")) for v in values
    )
    report = interpret(mentions, age=age, sex=sex if sex in ("female", "male") else None)  # type: ignore[arg-type]
    data = report.to_dict()
    notes = list(data["messages"])
    if text and not mentions:
        notes.append("No laboratory result was recognised in the text. Try e.g. 'potassium 3.1 mmol/L'.")
    return {"labs": data["values"], "derived": data["derived"], "notes": notes}

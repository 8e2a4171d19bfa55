"""The clinician report: one or two pages a clinician can read in a minute.

HTML from a Jinja2 template (autoescaped: diary notes are shown as text, never markup) and PDF
through WeasyPrint, imported only when a PDF is asked for. Charts are inline SVG from
``crampwise.report.charts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from crampwise.diary.models import DayContext, Episode, LabResult, MedicineChange
from crampwise.diary.stats import Association, Stats, evidence_for_assessment, summarise
from crampwise.report import charts

Progress = Callable[[str, float], None]
Period = tuple[date, date]

LEVEL_LABELS = {
    "emergency_ambulance": "call emergency services",
    "emergency": "emergency department now",
    "consultation_24": "see a clinician within 24 hours",
    "consultation": "routine appointment",
    "self_care": "self-care",
}
MAX_NOTES = 6


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("crampwise.report", "templates"),
        autoescape=True,  # every value is escaped unless it is Markup (our own SVG)
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,  # assessment dicts may leave optional keys out
    )


@cache
def _css() -> str:
    env = _environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, "report.css")
    return source


# --------------------------------------------------------------------------- medicine knowledge


def _kb_lookup() -> Callable[[str], dict[str, Any] | None] | None:
    """A name -> cramp-association lookup over ``crampwise.kb.load()``, or None without a usable KB.

    Uses the KB's ``medicines`` (generic id -> class, other names, brands, misspellings) and
    ``drug_classes`` (name, cramp_association, evidence grade, Garrison 2012 ratio, sources).
    """
    try:
        from crampwise.kb import load

        kb = load()
        medicines: dict[str, Any] = dict(kb.medicines)
        classes: dict[str, Any] = dict(kb.drug_classes)
    except Exception:  # no compiled KB yet, or a half-written one: show names only
        return None
    index: dict[str, str] = {}
    for generic, spec in medicines.items():
        spec = spec if isinstance(spec, dict) else {}
        brands = spec.get("brands") or {}
        brand_names = (
            [b for market in brands.values() for b in market] if isinstance(brands, dict) else brands
        )
        for alias in (
            generic,
            generic.replace("_", " "),
            *spec.get("names", ()),
            *brand_names,
            *spec.get("misspellings", ()),
        ):
            index.setdefault(str(alias).strip().lower(), generic)

    def lookup(name: str) -> dict[str, Any] | None:
        generic = index.get(name.strip().lower())
        if generic is None:
            return None
        spec = medicines[generic] if isinstance(medicines[generic], dict) else {}
        cls = classes.get(str(spec.get("class", "")), {})
        if not cls or cls.get("cramp_association") in (None, "none"):
            return {
                "generic": generic.replace("_", " "),
                "class_name": cls.get("name"),
                "evidence": "no known cramp link",
                "detail": None,
                "sources": list(cls.get("sources", ())),
            }
        asr = cls.get("garrison_asr") or {}
        detail = f"Garrison 2012 ratio {asr['value']} ({asr.get('ci', '')})" if asr.get("value") else None
        grade = f" (grade {cls['evidence']})" if cls.get("evidence") else ""
        return {
            "generic": generic.replace("_", " "),
            "class_name": cls.get("name"),
            "evidence": f"{cls['cramp_association']} link{grade}",
            "detail": detail,
            "sources": list(cls.get("sources", ())),
        }

    return lookup


def _from_assessment(assessment: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for m in (assessment or {}).get("medications", []) or []:
        info = {
            "generic": m.get("generic"),
            "class_name": m.get("class_name") or m.get("drug_class"),
            "evidence": m.get("evidence"),
            "detail": m.get("detail") or m.get("message"),
            "sources": list(m.get("sources") or ()),
        }
        for key in (m.get("mentioned"), m.get("generic"), m.get("id")):
            if key:
                out[str(key).strip().lower()] = info
    return out


def _medicine_rows(
    stats: Stats, medicine_changes: Sequence[MedicineChange], assessment: dict[str, Any] | None
) -> tuple[list[dict[str, Any]], bool]:
    known = _from_assessment(assessment)
    lookup = _kb_lookup()
    effects = {(m.name, m.change, m.at): m for m in stats.medicines}
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ch in sorted(medicine_changes, key=lambda c: c.at):
        key = ch.name.strip().lower()
        info = known.get(key) or (lookup(ch.name) if lookup else None)
        seen.add(key)
        if info and info.get("generic"):
            seen.add(str(info["generic"]).lower())
        effect = effects.get((ch.name, ch.change, ch.at))
        rows.append(
            {
                "name": ch.name,
                "change": ch.change,
                "at": ch.at,
                "dose": ch.dose,
                "info": info,
                "effect": effect,
            }
        )
    for key, info in known.items():
        generic = str(info.get("generic") or key).lower()
        if key in seen or generic in seen:
            continue
        seen.update({key, generic})
        rows.append(
            {
                "name": info.get("generic") or key,
                "change": None,
                "at": None,
                "dose": None,
                "info": info,
                "effect": None,
            }
        )
    return rows, lookup is not None


# --------------------------------------------------------------------------- context


def _trusted(markup: str) -> Markup:
    """Mark our own SVG/CSS as safe. The chart functions escape every user-supplied string."""
    return Markup(markup)  # noqa: S704


def _list(assessment: dict[str, Any] | None, key: str) -> list[dict[str, Any]]:
    value = (assessment or {}).get(key) or []
    return [v for v in value if isinstance(v, dict)]


def _compared(a: Association) -> bool:
    return bool(a.comparison.days and a.comparison.ref_days)


def build_report_context(
    episodes: Sequence[Episode],
    days: Sequence[DayContext],
    medicine_changes: Sequence[MedicineChange],
    labs: Sequence[LabResult],
    *,
    assessment: dict[str, Any] | None = None,
    questions: Sequence[str] = (),
    period: Period | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    stats: Stats | None = None,
) -> dict[str, Any]:
    """Everything the template shows, as plain values (and the SVG charts as Markup).

    ``period`` is (first day, last day) inclusive in the person's time zone; by default the diary
    from its first entry to ``now``. Pass ``stats`` to reuse an earlier ``summarise`` result.
    """
    zone: tzinfo = tz or UTC
    if period is not None:
        last = period[1]
        end_of_period = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone) - timedelta(
            seconds=1
        )
        now = min(now, end_of_period) if now is not None else end_of_period
    if stats is None:
        stats = summarise(
            episodes, days, medicine_changes, now=now, tz=zone, start=period[0] if period else None
        )
    generated = (now or datetime.now(UTC)).astimezone(zone)
    medicines, kb_used = _medicine_rows(stats, medicine_changes, assessment)
    evidence = evidence_for_assessment(stats)

    red_flags = [
        {
            "name": f.get("name") or f.get("id", ""),
            "level": LEVEL_LABELS.get(f.get("level", ""), f.get("level", "")),
            "advice": f.get("advice", ""),
            "sources": list(f.get("sources") or ()),
            "origin": "assessment",
        }
        for f in _list(assessment, "red_flags")
    ]
    if stats.long_cramps:
        latest = max(stats.long_cramp_dates)
        red_flags.append(
            {
                "name": "Cramp lasting more than 10 minutes",
                "level": LEVEL_LABELS["consultation_24"],
                "advice": f"{stats.long_cramps} recorded in the diary, latest {latest.isoformat()}.",
                "sources": ["NHS-LC"],
                "origin": "diary",
            }
        )
    in_period = [
        (ep.started_at.astimezone(zone) if ep.started_at.tzinfo else ep.started_at.replace(tzinfo=UTC), ep)
        for ep in episodes
        if ep.notes.strip()
    ]
    in_period = [(lt, ep) for lt, ep in in_period if stats.start <= lt.date() <= stats.end]
    in_period.sort(key=lambda p: p[0], reverse=True)
    notes = [
        {"when": lt.strftime("%Y-%m-%d %H:%M"), "text": ep.notes.strip()} for lt, ep in in_period[:MAX_NOTES]
    ]
    lab_rows = sorted(
        (lab for lab in labs if lab.taken_on <= stats.end), key=lambda lab: lab.taken_on, reverse=True
    )
    triage = (assessment or {}).get("triage") if isinstance((assessment or {}).get("triage"), dict) else None
    peak_hour = max(range(24), key=lambda h: stats.hours[h]) if stats.episodes else None
    return {
        "title": "Leg cramp diary: summary for a clinician",
        "generated": generated.strftime("%Y-%m-%d %H:%M"),
        "stats": stats,
        "peak_hour": peak_hour,
        "charts": {
            "weekly": _trusted(charts.weekly_chart(stats)),
            "heatmap": _trusted(charts.heatmap_chart(stats)),
            "severity": _trusted(charts.severity_chart(stats)),
        },
        "medicines": medicines,
        "kb_used": kb_used,
        "associations": [a for a in stats.associations if _compared(a)],
        "not_compared": [a.label for a in stats.associations if not _compared(a)],
        "evidence": evidence,
        "triage": triage,
        "red_flags": red_flags,
        "tests": _list(assessment, "tests"),
        "plan": _list(assessment, "plan"),
        "questions": [q.strip() for q in questions if q and q.strip()],
        "labs": lab_rows[:12],
        "notes": notes,
        "assessment_given": assessment is not None,
        "css": _trusted(_css()),
    }


def render_report(
    episodes: Sequence[Episode],
    days: Sequence[DayContext],
    medicine_changes: Sequence[MedicineChange],
    labs: Sequence[LabResult],
    *,
    assessment: dict[str, Any] | None,
    questions: Sequence[str],
    fmt: Literal["html", "pdf"] = "html",
    period: Period | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    progress: Progress | None = None,
) -> bytes:
    """Render the clinician report as UTF-8 HTML or as PDF bytes.

    ``progress`` (optional) is called with (step, fraction done) so a shell can show a progress bar.
    WeasyPrint is needed only for ``fmt="pdf"`` (the ``pdf`` extra).
    """
    if fmt not in ("html", "pdf"):
        raise ValueError(f"unknown report format {fmt!r}; use 'html' or 'pdf'")

    def step(name: str, fraction: float) -> None:
        if progress is not None:
            progress(name, fraction)

    step("statistics", 0.0)
    zone: tzinfo = tz or UTC
    context = build_report_context(
        episodes,
        days,
        medicine_changes,
        labs,
        assessment=assessment,
        questions=questions,
        period=period,
        now=now,
        tz=zone,
    )
    step("charts and layout", 0.4 if fmt == "pdf" else 0.7)
    html = _environment().get_template("report.html.j2").render(**context)
    if fmt == "html":
        step("done", 1.0)
        return html.encode("utf-8")
    step("loading the PDF engine", 0.5)
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("PDF reports need WeasyPrint: pip install 'crampwise[pdf]'") from exc
    step("PDF", 0.7)
    pdf: bytes = HTML(string=html).write_pdf()
    step("done", 1.0)
    return pdf

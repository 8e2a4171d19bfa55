"""The library's front door: text or a structured profile in, an Assessment out.

    from crampwise.pipeline import assess_text
    assessment = assess_text("I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling")
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from crampwise import __version__
from crampwise.engine import assess
from crampwise.kb import KnowledgeBase, load
from crampwise.kb.loader import compiled_version, use
from crampwise.labs import LabMention, interpret, normalise_unit, parse_labs
from crampwise.model import Assessment, Finding, MedicineUse, Profile
from crampwise.text.extract import (
    MAX_TEXT,
    ResultTimes,
    TextModel,
    TextTooLong,
    lookup_medicine,
    nothing_found,
    result_times,
)
from crampwise.text.extract import understand as _understand

__all__ = ["MAX_TEXT", "InputError", "assess_profile", "assess_text", "knowledge", "understand"]


class InputError(ValueError):
    """Input that cannot be assessed; the message says why in one plain sentence."""


def knowledge() -> KnowledgeBase:
    return load()


@cache
def text_model() -> TextModel:
    """The compiled lexicon. Building it takes ~0.15 s, so a CLI start reuses a cached copy (see runtime)."""
    import gc

    # The knowledge base and text model are ~50,000 objects that live as long as the process. Cyclic
    # collections while they arrive are wasted work, and after it they would be scanned again by every
    # full collection, the interpreter's last ones at exit included (~100 ms of a CLI run): freeze them.
    enabled = gc.isenabled()
    gc.disable()
    try:
        model = _runtime_cache()
        if model is None:
            kb = load()
            model = TextModel.build(kb.lexicon, kb.context, kb.medicines, kb.common_words, kb.findings)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return model


def _cache_path() -> Path | None:
    if os.environ.get("CRAMPWISE_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    version = compiled_version()
    if not version:
        return None
    tag = f"{sys.version_info.major}{sys.version_info.minor}"
    return Path(base) / "crampwise" / f"runtime-{__version__}-{version}-{_code_stamp()}-py{tag}.pickle"


def _code_stamp() -> str:
    """Size and mtime of the modules whose classes the cache pickles: an edited class layout (a new field
    on Rule, say) must not be filled from an old pickle, even when the package version is unchanged."""
    import zlib

    parts = []
    for name, module in sorted(sys.modules.items()):
        if name.startswith(("crampwise.kb", "crampwise.text", "crampwise.model")):
            try:
                stat = os.stat(module.__file__ or "")
            except (OSError, TypeError):
                continue
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return f"{zlib.crc32(chr(10).join(parts).encode()):08x}"


def _runtime_cache() -> TextModel | None:
    """Load (knowledge base, text model) from the user's cache, or build and store them.

    The cache only ever holds what this function wrote itself, keyed by the package and KB versions;
    any problem reading or writing it falls back to building in memory.
    """
    import pickle

    path = _cache_path()
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            kb, model = pickle.load(handle)  # noqa: S301 - our own cache file, written below
        if isinstance(kb, KnowledgeBase) and isinstance(model, TextModel):
            use(kb)
            return model
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError, TypeError, ImportError):
        pass
    kb = load()
    model = TextModel.build(kb.lexicon, kb.context, kb.medicines, kb.common_words, kb.findings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump((kb, model), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        # Other keys' caches are left to an hour's grace: another checkout may be using one right now.
        for stale in path.parent.glob("runtime-*.pickle"):
            if stale != path and stale.stat().st_mtime < time.time() - 3600:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return model


def understand(text: str) -> Profile:
    """What Crampwise understood from a description, with the words each fact came from."""
    if not isinstance(text, str):
        raise InputError("the description must be text")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    if not text.strip():
        raise InputError("the description is empty: tell me about the cramps in your own words")
    try:
        profile = _understand(text, text_model())
    except TextTooLong as err:
        raise InputError(f"{err}; please shorten it") from None
    mentions = parse_labs(text)
    if mentions:
        mentions = _date_results(mentions, result_times(text, text_model()))
    _labs(profile, mentions)
    profile.notes.extend(nothing_found(text, profile, text_model()))
    return profile


def _date_results(mentions: list[LabMention], times: ResultTimes) -> list[LabMention]:
    """Mark results the text dates as old. Each result is dated by the words of its own stretch of the
    sentence (from the result before it to the result after it), or by an old document's heading. When one
    test is given more than once, one dated as the latest counts; else the last of a list after one name
    ("55, then 47, now 36"); else the first (a lab sheet's own result comes before any limits it prints)."""

    def when(i: int) -> str:
        m = mentions[i]
        if any(lo <= m.start < hi for lo, hi in times.old_documents):
            return "past"
        lo, hi = next(((a, b) for a, b in times.sentences if a <= m.start < b), (m.start, m.end))
        # Its stretch: from the sentence start (or its own start, after an earlier result) to the next
        # result, so trailing dates stay with the value they follow ("55 in 2022, 47 in 2023, 36 now").
        first = not any(lo <= n.start < m.start for n in mentions[:i])
        after = [n.start for n in mentions[i + 1 :] if lo <= n.start < hi]
        lo, hi = (lo if first else m.start), (after[0] if after else hi)
        kinds = {kind for offset, kind in times.words if lo <= offset < hi}
        return "current" if "present" in kinds else "past" if "past" in kinds else ""

    dated = [when(i) for i in range(len(mentions))]
    marked = [replace(m, earlier=True) if w == "past" else m for m, w in zip(mentions, dated, strict=True)]
    by_analyte: dict[str, list[int]] = {}
    for i, m in enumerate(marked):
        if not m.earlier:
            by_analyte.setdefault(m.analyte, []).append(i)
    for indices in by_analyte.values():
        if len(indices) > 1:
            # Dated as current only where the others are not ("5.9 ... repeat 4.2"); when all are (one
            # stretch: "6.8 this morning, 4.5 at my last check") nothing tells them apart.
            current = [i for i in indices if dated[i] == "current"]
            if current and len(current) < len(indices):
                keep = current[-1]
            elif marked[indices[-1]].follows:
                keep = indices[-1]
            else:
                keep = indices[0]
            marked = [replace(m, earlier=True) if i in indices and i != keep else m for i, m in enumerate(marked)]
    return marked


def _labs(profile: Profile, mentions: list[LabMention]) -> None:
    if not mentions:
        return
    report = interpret(mentions, age=profile.age, sex=profile.sex, pregnant=profile.pregnant)
    profile.labs = [*report.values, *report.derived]
    profile.notes.extend(report.messages)


def assess_text(text: str) -> Assessment:
    text_model()  # loads the knowledge base from the start-up cache when there is one
    return assess(understand(text), load())


_STATUSES = {"present", "absent", "uncertain"}


def assess_profile(data: Mapping[str, Any]) -> Assessment:
    """Assess a structured profile (the JSON accepted by `crampwise assess --profile`)."""
    return assess(profile_from_dict(data), load())


def profile_from_dict(data: Mapping[str, Any]) -> Profile:
    if not isinstance(data, Mapping):
        raise InputError("a profile must be a JSON object")
    kb = load()
    known = {"age", "sex", "pregnant", "pregnancy_weeks", "subject", "text", "findings", "conditions", "symptoms",
             "medicines", "labs", "measures"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"unknown profile field(s): {', '.join(unknown)}; expected some of {', '.join(sorted(known))}")
    text = data.get("text") or ""
    if text and not isinstance(text, str):
        raise InputError("'text' must be a string")
    profile = understand(text) if text and text.strip() else Profile()
    age = data.get("age")
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, int | float) or not 0 < age <= 120:
            raise InputError(f"'age' must be a number of years between 0 and 120, not {age!r}")
        profile.age = float(age)
    sex = data.get("sex")
    if sex is not None:
        if sex not in ("female", "male"):
            raise InputError(f"'sex' must be 'female' or 'male', not {sex!r}")
        profile.sex = sex
    if data.get("pregnant") is not None:
        if not isinstance(data["pregnant"], bool):
            raise InputError("'pregnant' must be true or false")
        profile.pregnant = data["pregnant"]
    weeks = data.get("pregnancy_weeks")
    if weeks is not None:
        if isinstance(weeks, bool) or not isinstance(weeks, int | float) or not 0 < weeks <= 45:
            raise InputError(f"'pregnancy_weeks' must be between 1 and 45, not {weeks!r}")
        profile.pregnancy_weeks = float(weeks)
        profile.pregnant = True
    if data.get("subject") is not None:
        if data["subject"] not in ("self", "child", "parent", "partner", "other"):
            raise InputError("'subject' must be one of self, child, parent, partner, other")
        profile.subject = data["subject"]
    findings = data.get("findings") or {}
    if not isinstance(findings, Mapping):
        raise InputError("'findings' must be an object mapping finding ids to present/absent/uncertain")
    for key in ("conditions", "symptoms"):
        items = data.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise InputError(f"'{key}' must be a list of finding ids")
        findings = {**dict.fromkeys(items, "present"), **findings}
    for finding_id, status in findings.items():
        if finding_id not in kb.findings:
            raise InputError(f"unknown finding {finding_id!r} (see `crampwise explain findings` for the list)")
        if status not in _STATUSES:
            raise InputError(f"finding {finding_id!r} must be present, absent or uncertain, not {status!r}")
        profile.findings[finding_id] = Finding(finding_id, status, "profile")
    measures = data.get("measures") or {}
    if not isinstance(measures, Mapping) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in measures.values()
    ):
        raise InputError("'measures' must map names to numbers")
    profile.measures.update({k: float(v) for k, v in measures.items()})
    profile.medicines.extend(_medicines(data.get("medicines") or []))
    labs = data.get("labs") or []
    if not isinstance(labs, list):
        raise InputError("'labs' must be a list of {analyte, value, unit}")
    mentions = []
    for item in labs:
        if not isinstance(item, Mapping) or "analyte" not in item or "value" not in item:
            raise InputError("each lab needs 'analyte' and 'value' (and usually 'unit')")
        value = item["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(f"lab value for {item['analyte']!r} must be a number")
        mentions.append(LabMention(str(item["analyte"]), float(value), normalise_unit(str(item.get("unit", "")))))
    _labs(profile, mentions)
    return profile


@cache
def _lookup(name: str) -> MedicineUse | None:
    """Medicine names repeat across profiles; resolving one costs a tokenize and a lexicon pass."""
    return lookup_medicine(name, text_model())


def _medicines(items: Any) -> list[MedicineUse]:
    if not isinstance(items, list):
        raise InputError("'medicines' must be a list of names or {name, change, days_since_change, dose}")
    out: list[MedicineUse] = []
    for item in items:
        spec = {"name": item} if isinstance(item, str) else item
        if not isinstance(spec, Mapping) or not isinstance(spec.get("name"), str):
            raise InputError("each medicine must be a name or an object with a 'name'")
        base = _lookup(spec["name"])
        if base is None:
            raise InputError(f"I do not recognise the medicine {spec['name']!r}; check the spelling")
        change = spec.get("change")
        if change not in (None, "started", "increased", "decreased", "stopped", "restarted"):
            raise InputError(f"medicine change must be started, increased, decreased, stopped or restarted, not {change!r}")
        days = spec.get("days_since_change")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int | float) or days < 0):
            raise InputError("'days_since_change' must be a number of days")
        out.append(MedicineUse(
            id=base.id, drug_class=base.drug_class, mentioned=spec["name"],
            status="stopped" if change == "stopped" else "current",
            change=change or base.change,  # type: ignore[arg-type]  # validated against the Literal above
            days_since_change=float(days) if days is not None else base.days_since_change,
            dose=spec.get("dose") or base.dose, match="structured",
        ))
    return out


def profile_from_diary(data: Any, evidence: list[dict[str, Any]], *, today: Any = None) -> Profile:
    """A Profile from what a person logged: current medicines with their last change, the latest result
    of each lab test, and the diary's settled patterns as findings (see diary.stats.evidence_for_assessment).

    `data` is a crampwise.diary.models.DiaryData; pure, no I/O.
    """
    from datetime import date

    today = today or date.today()
    profile = Profile()
    model = text_model()
    last: dict[str, Any] = {}
    for change in sorted(data.medicine_changes, key=lambda c: c.at):
        last[change.name.lower()] = change
    for change in last.values():
        base = lookup_medicine(change.name, model)
        if base is None:
            profile.notes.append(f"The diary medicine {change.name!r} is not in the knowledge base.")
            continue
        days = float((today - change.at).days)
        profile.medicines.append(MedicineUse(
            id=base.id, drug_class=base.drug_class, mentioned=change.name,
            status="stopped" if change.change == "stopped" else "current",
            change=change.change, days_since_change=days, dose=change.dose, match="structured",
        ))
    latest: dict[str, Any] = {}
    for lab in sorted(data.labs, key=lambda r: r.taken_on):
        latest[lab.analyte] = lab
    _labs(profile, [LabMention(r.analyte, float(r.value), normalise_unit(r.unit)) for r in latest.values()])
    kb = load()
    for item in evidence:
        for finding_id in item.get("profile_findings", []):
            if finding_id in kb.findings:
                profile.add(Finding(finding_id, "present", f"diary: {item.get('text', '')}".strip()))
    return profile


def assess_diary(data: Any, evidence: list[dict[str, Any]], *, today: Any = None) -> Assessment:
    return assess(profile_from_diary(data, evidence, today=today), load())

"""FHIR R4 export and import of the cramp diary.

`to_bundle()` builds a `collection` Bundle as plain JSON-ready dicts (no FHIR library needed at
runtime; the tests validate the output with `fhir.resources`):

- one `Patient` (the diary's owner, no identifying details) that every resource points to;
- an `Observation` per episode, shaped after the HL7 FHIR Symptoms IG "Symptom Observation"
  profile (http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation):
  category `symptom`, code LOINC 75325-1 "Symptom", value SNOMED CT 55300003 "Cramp",
  `effectivePeriod` (start and, with a duration, end), performer = the patient, `bodySite` (SNOMED CT
  where the muscle has a code, laterality in the text), and components for severity (the IG's LOINC
  64750-3 slice, coded mild/moderate/severe, plus the 0-10 number under LOINC 72514-3), what helped
  (IG slice "alleviating factors", LOINC 100753-3), the context at onset (IG slice "other events")
  and Crampwise's own duration and sleep-disturbance scores; notes become `note`;
- a `MedicationStatement` per medicine change (started: active from that date; stopped: stopped
  on that date; dose increased/decreased: active, with the new dose);
- an `Observation` (category laboratory) per lab result.

`read_bundle()` reads such a Bundle back (and reasonably shaped Bundles from elsewhere) into
diary records, reporting problems by entry number.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from crampwise.diary import validate
from crampwise.diary.errors import InvalidEntry, Problem
from crampwise.diary.exchange import ParseResult, parse_time
from crampwise.diary.models import CONTEXTS, MEDICINE_CHANGES, DiaryData, Episode, LabResult, MedicineChange

SYMPTOM_PROFILE = "http://hl7.org/fhir/uv/symptoms/StructureDefinition/SymptomObservation"
SYMPTOM_CATEGORY_SYSTEM = "http://hl7.org/fhir/uv/symptoms/CodeSystem/SymptomTemporary"
OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
CRAMPWISE_SYSTEM = "urn:crampwise:diary"
CHANGE_EXTENSION = "urn:crampwise:medicine-change"
NAMESPACE = uuid.UUID("6f1d9a0e-4b53-4a35-9d0e-63726d707769")

# SNOMED CT body structures for the muscles that have one; the others go as text only.
BODY_SITES: dict[str, tuple[str, str]] = {
    "calf": ("53840002", "Structure of calf of leg"),
    "thigh": ("68367000", "Thigh structure"),
    "foot": ("56459004", "Foot structure"),
    "toes": ("29707007", "Toe structure"),
    "hand": ("85562004", "Hand structure"),
}
SEVERITY_CODES = (  # SNOMED CT severity qualifiers (Symptoms IG SeverityCodes value set)
    ("255604002", "Mild"),
    ("6736007", "Moderate"),
    ("24484000", "Severe"),
)


def _text(value: str | None) -> str | None:
    """A valid FHIR string: control characters and unusual spaces become spaces; blank is None.

    (FHIR strings match `[ \\r\\n\\t\\S]+`; a form feed or a no-break space on its own is invalid.)
    """
    if value is None:
        return None
    cleaned = "".join(
        ch if ch in " \r\n\t" or not (ch.isspace() or ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) else " "
        for ch in value
    )
    return cleaned if cleaned.strip() else None


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [_coding(system, code, display)]}
    if text:
        out["text"] = text
    return out


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _severity_band(score: int) -> tuple[str, str]:
    if score <= 3:
        return SEVERITY_CODES[0]
    if score <= 6:
        return SEVERITY_CODES[1]
    return SEVERITY_CODES[2]


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(str(p) for p in parts)))


def episode_observation(ep: Episode, patient_ref: str) -> dict[str, Any]:
    start = ep.started_at.astimezone(UTC)
    period: dict[str, Any] = {"start": _instant(start)}
    if ep.duration_seconds is not None:
        period["end"] = _instant(start + timedelta(seconds=ep.duration_seconds))
    site_text = ep.muscle if ep.side is None else f"{ep.muscle}, {ep.side}"
    body_site: dict[str, Any] = {"text": site_text}
    if ep.muscle in BODY_SITES:
        code, display = BODY_SITES[ep.muscle]
        body_site = _concept(SNOMED, code, display, site_text)
    components: list[dict[str, Any]] = []
    if ep.severity is not None:
        band_code, band_display = _severity_band(ep.severity)
        components.append(
            {
                "code": _concept(LOINC, "64750-3", "Severity of symptoms"),
                "valueCodeableConcept": _concept(SNOMED, band_code, band_display, f"{ep.severity}/10"),
            }
        )
        components.append(
            {
                "code": _concept(
                    LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
                ),
                "valueInteger": ep.severity,
            }
        )
    for item in ep.helped:
        if (helped_text := _text(item)) is not None:
            components.append(
                {
                    "code": _concept(LOINC, "100753-3", "Alleviating factors - Reported"),
                    "valueCodeableConcept": {"text": helped_text},
                }
            )
    if ep.context is not None:
        components.append(
            {
                "code": _concept(SYMPTOM_CATEGORY_SYSTEM, "OTHEREVENT", "Other Events"),
                "valueCodeableConcept": _concept(CRAMPWISE_SYSTEM, ep.context, ep.context.replace("_", " ")),
            }
        )
    if ep.duration_seconds is not None:
        components.append(
            {
                "code": _concept(CRAMPWISE_SYSTEM, "duration", "Duration of the episode"),
                "valueQuantity": {"value": ep.duration_seconds, "unit": "s", "system": UCUM, "code": "s"},
            }
        )
    if ep.sleep_disturbance is not None:
        components.append(
            {
                "code": _concept(CRAMPWISE_SYSTEM, "sleep-disturbance", "Sleep disturbance (0-10)"),
                "valueInteger": ep.sleep_disturbance,
            }
        )
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uid("episode", ep.user_id, ep.id, _instant(start), ep.muscle, ep.side),
        "meta": {"profile": [SYMPTOM_PROFILE]},
        "status": "final",
        "category": [_concept(SYMPTOM_CATEGORY_SYSTEM, "symptom", "Symptom")],
        "code": _concept(LOINC, "75325-1", "Symptom"),
        "subject": {"reference": patient_ref},
        "effectivePeriod": period,
        "performer": [{"reference": patient_ref}],
        "valueCodeableConcept": _concept(SNOMED, "55300003", "Cramp", "Muscle cramp"),
        "bodySite": body_site,
    }
    if ep.created_at is not None:
        observation["issued"] = _instant(ep.created_at)
    if (notes := _text(ep.notes)) is not None:
        observation["note"] = [{"text": notes}]
    if components:
        observation["component"] = components
    return observation


def medication_statement(m: MedicineChange, patient_ref: str) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": _uid("medicine", m.user_id, m.id, m.name, m.change, m.at),
        "extension": [{"url": CHANGE_EXTENSION, "valueCode": m.change}],
        "status": "stopped" if m.change == "stopped" else "active",
        "medicationCodeableConcept": {"text": _text(m.name) or "unnamed medicine"},
        "subject": {"reference": patient_ref},
        "informationSource": {"reference": patient_ref},
    }
    if m.change == "stopped":
        statement["effectivePeriod"] = {"end": m.at.isoformat()}
    elif m.change == "started":
        statement["effectivePeriod"] = {"start": m.at.isoformat()}
    else:
        statement["effectiveDateTime"] = m.at.isoformat()
        statement["note"] = [{"text": f"dose {m.change}"}]
    if (dose := _text(m.dose)) is not None:
        statement["dosage"] = [{"text": dose}]
    return statement


def lab_observation(r: LabResult, patient_ref: str) -> dict[str, Any]:
    quantity: dict[str, Any] = {"value": r.value}
    if (unit := _text(r.unit)) is not None:
        quantity["unit"] = unit
    return {
        "resourceType": "Observation",
        "id": _uid("lab", r.user_id, r.id, r.analyte, r.taken_on, r.value),
        "status": "final",
        "category": [_concept(OBSERVATION_CATEGORY_SYSTEM, "laboratory", "Laboratory")],
        "code": {"text": _text(r.analyte) or "unnamed test"},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": r.taken_on.isoformat(),
        "valueQuantity": quantity,
    }


def to_bundle(
    data: DiaryData, *, user_id: str = "local", timestamp: datetime | None = None
) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle of the diary."""
    patient_id = _uid("patient", user_id)
    patient_ref = f"urn:uuid:{patient_id}"
    entries: list[dict[str, Any]] = [
        {"fullUrl": patient_ref, "resource": {"resourceType": "Patient", "id": patient_id, "active": True}}
    ]

    def add(resource: dict[str, Any]) -> None:
        entries.append({"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource})

    for ep in data.episodes:
        add(episode_observation(ep, patient_ref))
    for m in data.medicine_changes:
        add(medication_statement(m, patient_ref))
    for r in data.labs:
        add(lab_observation(r, patient_ref))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _instant(timestamp or datetime.now(UTC)),
        "entry": entries,
    }


# ---------------------------------------------------------------------------------- reading


def _codes(concept: Any) -> set[tuple[str, str]]:
    if not isinstance(concept, dict):
        return set()
    return {
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in concept.get("coding") or []
        if isinstance(c, dict)
    }


def _is_symptom(resource: dict[str, Any]) -> bool:
    categories = resource.get("category") or []
    return any((SYMPTOM_CATEGORY_SYSTEM, "symptom") in _codes(c) for c in categories) or (
        (LOINC, "75325-1") in _codes(resource.get("code"))
    )


def _episode_from_observation(resource: dict[str, Any], tz: tzinfo | None) -> Episode:
    period = resource.get("effectivePeriod") or {}
    start_text = period.get("start") or resource.get("effectiveDateTime")
    if not isinstance(start_text, str):
        raise InvalidEntry("symptom Observation has no effective start time")
    started = parse_time(start_text, tz)
    site = resource.get("bodySite") or {}
    site_text = str(site.get("text") or "")
    muscle, _, side = (part.strip() for part in site_text.partition(","))
    if not muscle:
        site_codes = {code for _, code in _codes(site)}
        muscle = next((name for name, (code, _) in BODY_SITES.items() if code in site_codes), "other")
    severity: int | None = None
    sleep: int | None = None
    duration: float | None = None
    context: str | None = None
    helped: list[str] = []
    for component in resource.get("component") or []:
        codes = _codes(component.get("code"))
        if (LOINC, "72514-3") in codes:
            severity = component.get("valueInteger")
        elif (CRAMPWISE_SYSTEM, "sleep-disturbance") in codes:
            sleep = component.get("valueInteger")
        elif (CRAMPWISE_SYSTEM, "duration") in codes:
            quantity = component.get("valueQuantity") or {}
            duration = quantity.get("value")
        elif (LOINC, "100753-3") in codes:
            text = (component.get("valueCodeableConcept") or {}).get("text")
            if text:
                helped.append(str(text))
        elif (SYMPTOM_CATEGORY_SYSTEM, "OTHEREVENT") in codes:
            value = component.get("valueCodeableConcept") or {}
            for system, code in _codes(value):
                if system == CRAMPWISE_SYSTEM and code in CONTEXTS:
                    context = code
    if duration is None and isinstance(period.get("end"), str):
        duration = (parse_time(period["end"], tz, "end time") - started).total_seconds()
    notes = "\n".join(str(n.get("text", "")) for n in resource.get("note") or [] if isinstance(n, dict))
    issued = resource.get("issued")
    return validate.episode(
        Episode(
            started_at=started,
            muscle=muscle.lower(),
            side=(side.lower() or None),  # type: ignore[arg-type]
            duration_seconds=None if duration is None else float(duration),
            severity=severity,
            sleep_disturbance=sleep,
            context=context,  # type: ignore[arg-type]
            helped=helped,
            notes=notes,
            created_at=parse_time(issued, None, "issued") if isinstance(issued, str) else None,
        )
    )


def _date_of(text: Any, what: str) -> date:
    if not isinstance(text, str) or len(text) < 10:
        raise InvalidEntry(f"{what} is missing")
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InvalidEntry(f"{what} {text!r} is not a date") from exc


def _medicine_from_statement(resource: dict[str, Any]) -> MedicineChange:
    change = next(
        (e.get("valueCode") for e in resource.get("extension") or [] if e.get("url") == CHANGE_EXTENSION),
        None,
    )
    period = resource.get("effectivePeriod") or {}
    if change not in MEDICINE_CHANGES:
        change = "stopped" if resource.get("status") in ("stopped", "completed") else "started"
    if change == "stopped":
        when = period.get("end") or resource.get("effectiveDateTime") or period.get("start")
    else:
        when = period.get("start") or resource.get("effectiveDateTime") or period.get("end")
    concept = resource.get("medicationCodeableConcept") or {}
    name = concept.get("text") or next((c.get("display") for c in concept.get("coding") or []), None)
    if not name:
        raise InvalidEntry("MedicationStatement has no medicine name")
    dose = next((d.get("text") for d in resource.get("dosage") or [] if d.get("text")), None)
    return validate.medicine_change(
        MedicineChange(name=str(name), change=change, at=_date_of(when, "medicine date"), dose=dose)  # type: ignore[arg-type]
    )


def _lab_from_observation(resource: dict[str, Any]) -> LabResult:
    concept = resource.get("code") or {}
    name = concept.get("text") or next((c.get("display") for c in concept.get("coding") or []), None)
    quantity = resource.get("valueQuantity") or {}
    if not name or "value" not in quantity:
        raise InvalidEntry("laboratory Observation needs a name and a valueQuantity")
    when = resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start")
    return validate.lab(
        LabResult(
            analyte=str(name),
            value=quantity["value"],
            unit=str(quantity.get("unit") or quantity.get("code") or ""),
            taken_on=_date_of(when, "lab date"),
        )
    )


def read_bundle(doc: dict[str, Any], tz: tzinfo | None = None) -> ParseResult:
    """Diary records from a FHIR Bundle; resources we do not use are ignored."""
    result = ParseResult()
    if doc.get("resourceType") != "Bundle":
        result.problems.append(Problem(1, 'not a FHIR Bundle (resourceType is not "Bundle")'))
        return result
    for number, entry in enumerate(doc.get("entry") or [], start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            result.problems.append(Problem(None, f"entry {number} has no resource", number))
            continue
        kind = resource.get("resourceType")
        try:
            if kind == "Observation" and _is_symptom(resource):
                result.data.episodes.append(_episode_from_observation(resource, tz))
            elif kind == "Observation" and any(
                (OBSERVATION_CATEGORY_SYSTEM, "laboratory") in _codes(c)
                for c in resource.get("category") or []
            ):
                result.data.labs.append(_lab_from_observation(resource))
            elif kind == "MedicationStatement":
                result.data.medicine_changes.append(_medicine_from_statement(resource))
        except (InvalidEntry, TypeError, AttributeError) as exc:
            result.problems.append(Problem(None, f"entry {number} ({kind}): {exc}", number))
    return result


def read_bundle_text(text: str, tz: tzinfo | None = None) -> ParseResult:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        result = ParseResult()
        result.problems.append(Problem(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})"))
        return result
    if not isinstance(doc, dict):
        result = ParseResult()
        result.problems.append(Problem(1, "not a FHIR Bundle"))
        return result
    return read_bundle(doc, tz)

"""CSV and JSON export and import, lossless in both directions.

CSV holds episodes only (one row each). JSON holds the whole diary: episodes, days, medicine
changes and lab results. Readers check every row and report problems by line number; they never
touch the database (the store imports the checked records in one transaction).

CSV columns: started_at, muscle, side, duration_seconds, severity, sleep_disturbance, context,
helped, notes, created_at. `started_at` is ISO 8601; a time without an offset is read in the zone
given (the person's own). `helped` is "stretching; walking" (or a JSON list when an item itself
contains a semicolon). Empty cells are "not recorded".
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import IO, Any

from crampwise.diary import validate
from crampwise.diary.errors import DiaryError, InvalidEntry, Problem
from crampwise.diary.models import DayContext, DiaryData, Episode, LabResult, MedicineChange

FORMAT_NAME = "crampwise-diary"
FORMAT_VERSION = 1
EPISODE_COLUMNS: tuple[str, ...] = (
    "started_at",
    "muscle",
    "side",
    "duration_seconds",
    "severity",
    "sleep_disturbance",
    "context",
    "helped",
    "notes",
    "created_at",
)
IGNORED_COLUMNS = frozenset({"id", "user_id"})
SECTIONS: tuple[str, ...] = ("episodes", "days", "medicine_changes", "labs")
FORMATS: tuple[str, ...] = ("csv", "json", "fhir")


@dataclass
class ParseResult:
    data: DiaryData = field(default_factory=DiaryData)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# ----------------------------------------------------------------------------- value parsing


def parse_time(text: str, tz: tzinfo | None, what: str = "start time") -> datetime:
    text = text.strip()
    if not text:
        raise InvalidEntry(f"{what} is missing")
    try:
        value = datetime.fromisoformat(
            text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d ", text) else text
        )
    except ValueError as exc:
        raise InvalidEntry(
            f"{what} {text!r} is not an ISO 8601 date and time (2026-11-21T02:00+01:00)"
        ) from exc
    if value.tzinfo is None:
        if tz is None:
            raise InvalidEntry(f"{what} {text!r} has no time zone")
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


def _parse_int(text: str, what: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.endswith("/10"):
        text = text[:-3]
    try:
        number = float(text)
    except ValueError as exc:
        raise InvalidEntry(f"{what} {text!r} is not a number") from exc
    if not number.is_integer():
        raise InvalidEntry(f"{what} must be a whole number from 0 to 10, got {text}")
    return int(number)


def _parse_float(text: str, what: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise InvalidEntry(f"{what} {text!r} is not a number") from exc


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hours?)$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def _parse_duration(text: str) -> float | None:
    match = _DURATION.match(text.strip().lower())
    if match:
        return float(match.group(1)) * _UNIT_SECONDS[match.group(2)[0]]
    return _parse_float(text, "duration (seconds)")


def format_float(value: float | None) -> str:
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_helped(helped: list[str]) -> str:
    if not helped:
        return ""
    plain = all(item and item == item.strip() and ";" not in item for item in helped)
    joined = "; ".join(helped)
    if plain and not joined.startswith("["):
        return joined
    return json.dumps(helped, ensure_ascii=False)


def parse_helped(text: str) -> list[str]:
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidEntry(f"'helped' looks like a JSON list but is not valid JSON: {exc.msg}") from exc
        if not isinstance(loaded, list) or not all(isinstance(i, str) for i in loaded):
            raise InvalidEntry("'helped' JSON must be a list of text")
        return loaded
    return [part.strip() for part in text.split(";") if part.strip()]


# ------------------------------------------------------------------------------------- CSV


def write_csv(episodes: Iterable[Episode], out: IO[str]) -> int:
    writer = csv.writer(out)  # RFC 4180 CRLF: fields holding a lone \r are quoted too
    writer.writerow(EPISODE_COLUMNS)
    count = 0
    for ep in episodes:
        writer.writerow(
            [
                ep.started_at.astimezone(UTC).isoformat(),
                ep.muscle,
                ep.side or "",
                format_float(ep.duration_seconds),
                "" if ep.severity is None else str(ep.severity),
                "" if ep.sleep_disturbance is None else str(ep.sleep_disturbance),
                ep.context or "",
                format_helped(ep.helped),
                ep.notes,
                "" if ep.created_at is None else ep.created_at.astimezone(UTC).isoformat(),
            ]
        )
        count += 1
    return count


def _episode_from_cells(cells: dict[str, str], tz: tzinfo | None) -> Episode:
    def cell(name: str) -> str:
        return cells.get(name) or ""

    ep = Episode(
        started_at=parse_time(cell("started_at"), tz),
        muscle=cell("muscle").strip() or "calf",
        side=cell("side").strip() or None,  # type: ignore[arg-type]
        duration_seconds=_parse_duration(cell("duration_seconds"))
        if cell("duration_seconds").strip()
        else None,
        severity=_parse_int(cell("severity"), "severity"),
        sleep_disturbance=_parse_int(cell("sleep_disturbance"), "sleep disturbance"),
        context=cell("context").strip() or None,  # type: ignore[arg-type]
        helped=parse_helped(cell("helped")),
        notes=cell("notes"),
        created_at=parse_time(cell("created_at"), None, "created_at") if cell("created_at").strip() else None,
    )
    return validate.episode(ep)


def read_csv(source: IO[str], tz: tzinfo | None = None) -> ParseResult:
    result = ParseResult()
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        result.problems.append(Problem(1, "the file is empty"))
        return result
    except csv.Error as exc:
        result.problems.append(Problem(1, f"not valid CSV: {exc}"))
        return result
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    unknown = [n for n in names if n not in EPISODE_COLUMNS and n not in IGNORED_COLUMNS]
    if unknown:
        result.problems.append(
            Problem(1, f"unknown column {unknown[0]!r}; columns are {', '.join(EPISODE_COLUMNS)}")
        )
        return result
    if "started_at" not in names:
        result.problems.append(Problem(1, "the header has no started_at column"))
        return result
    line = reader.line_num + 1
    record = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.problems.append(Problem(line, f"not valid CSV: {exc}"))
            break
        record += 1
        start_line, line = line, reader.line_num + 1
        if not any(c.strip() for c in row):
            continue  # blank line
        if len(row) > len(names):
            result.problems.append(
                Problem(start_line, f"{len(row)} cells but the header has {len(names)}", record)
            )
            continue
        cells = dict(zip(names, row, strict=False))
        try:
            result.data.episodes.append(_episode_from_cells(cells, tz))
        except InvalidEntry as exc:
            result.problems.append(Problem(start_line, str(exc), record))
    return result


# ------------------------------------------------------------------------------------ JSON


def episode_to_dict(ep: Episode) -> dict[str, Any]:
    return {
        "started_at": ep.started_at.astimezone(UTC).isoformat(),
        "muscle": ep.muscle,
        "side": ep.side,
        "duration_seconds": ep.duration_seconds,
        "severity": ep.severity,
        "sleep_disturbance": ep.sleep_disturbance,
        "context": ep.context,
        "helped": list(ep.helped),
        "notes": ep.notes,
        "created_at": None if ep.created_at is None else ep.created_at.astimezone(UTC).isoformat(),
        "id": ep.id,
    }


def day_to_dict(d: DayContext) -> dict[str, Any]:
    return {
        "day": d.day.isoformat(),
        "activity_minutes": d.activity_minutes,
        "exercise": d.exercise,
        "fluids_litres": d.fluids_litres,
        "alcohol_units": d.alcohol_units,
        "caffeine_drinks": d.caffeine_drinks,
        "hot_weather": d.hot_weather,
        "long_standing": d.long_standing,
        "notes": d.notes,
    }


def medicine_to_dict(m: MedicineChange) -> dict[str, Any]:
    return {"name": m.name, "change": m.change, "at": m.at.isoformat(), "dose": m.dose}


def lab_to_dict(r: LabResult) -> dict[str, Any]:
    return {"analyte": r.analyte, "value": r.value, "unit": r.unit, "taken_on": r.taken_on.isoformat()}


def to_json_dict(data: DiaryData) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "episodes": [episode_to_dict(e) for e in data.episodes],
        "days": [day_to_dict(d) for d in data.days],
        "medicine_changes": [medicine_to_dict(m) for m in data.medicine_changes],
        "labs": [lab_to_dict(r) for r in data.labs],
    }


def write_json(data: DiaryData, out: IO[str]) -> int:
    """One record per line, so a reader can report problems by line number."""
    doc = to_json_dict(data)
    out.write("{\n")
    out.write(f'  "format": {json.dumps(FORMAT_NAME)},\n  "version": {FORMAT_VERSION},\n')
    out.write(f'  "exported_at": {json.dumps(datetime.now(UTC).isoformat())},\n')
    for index, section in enumerate(SECTIONS):
        items = doc[section]
        out.write(f'  "{section}": [')
        for i, item in enumerate(items):
            out.write("\n    " if i == 0 else ",\n    ")
            out.write(json.dumps(item, ensure_ascii=False, allow_nan=False))
        out.write("\n  ]" if items else "]")
        out.write(",\n" if index < len(SECTIONS) - 1 else "\n")
    out.write("}\n")
    return data.count()


_WS = re.compile(r"[ \t\n\r]*")


def item_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of the items of each top-level array (or of a top-level array itself)."""
    decoder = json.JSONDecoder()
    position = {"index": 0, "line": 1}

    def line_at(i: int) -> int:
        position["line"] += text.count("\n", position["index"], i)
        position["index"] = i
        return position["line"]

    def skip(i: int) -> int:
        match = _WS.match(text, i)
        return match.end() if match else i

    def array(i: int) -> tuple[list[int], int]:
        lines: list[int] = []
        i = skip(i + 1)
        if text[i] == "]":
            return lines, i + 1
        while True:
            lines.append(line_at(i))
            _, i = decoder.raw_decode(text, i)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
                continue
            return lines, i + 1

    out: dict[str, list[int]] = {}
    i = skip(0)
    if text.startswith("[", i):
        out["episodes"], _ = array(i)
        return out
    if not text.startswith("{", i):
        return out
    i = skip(i + 1)
    while i < len(text) and text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = skip(skip(i) + 1)  # past the colon
        if text.startswith("[", i) and key in SECTIONS:
            out[key], i = array(i)
        else:
            _, i = decoder.raw_decode(text, i)
        i = skip(i)
        if text.startswith(",", i):
            i = skip(i + 1)
    return out


def _check_keys(item: dict[str, Any], allowed: Iterable[str], what: str) -> None:
    allowed_set = set(allowed) | IGNORED_COLUMNS
    unknown = sorted(set(item) - allowed_set)
    if unknown:
        raise InvalidEntry(f"unknown {what} field {unknown[0]!r}")


def _opt_str(item: dict[str, Any], key: str) -> Any:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidEntry(f"{key} must be text, got {value!r}")
    return value


def _date(item: dict[str, Any], key: str) -> date:
    value = item.get(key)
    if not isinstance(value, str):
        raise InvalidEntry(f"{key} must be a date like 2026-11-21, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidEntry(f"{key} {value!r} is not a date like 2026-11-21") from exc


def episode_from_dict(item: dict[str, Any], tz: tzinfo | None = None) -> Episode:
    _check_keys(item, EPISODE_COLUMNS, "episode")
    started = item.get("started_at")
    if not isinstance(started, str):
        raise InvalidEntry(f"started_at must be an ISO 8601 time, got {started!r}")
    created = item.get("created_at")
    helped = item.get("helped") or []
    if isinstance(helped, str):
        helped = parse_helped(helped)
    return validate.episode(
        Episode(
            started_at=parse_time(started, tz),
            muscle=item.get("muscle") or "calf",
            side=_opt_str(item, "side") or None,
            duration_seconds=item.get("duration_seconds"),
            severity=item.get("severity"),
            sleep_disturbance=item.get("sleep_disturbance"),
            context=_opt_str(item, "context") or None,
            helped=helped,
            notes=item.get("notes") or "",
            created_at=parse_time(created, None, "created_at")
            if isinstance(created, str) and created
            else None,
        )
    )


def day_from_dict(item: dict[str, Any]) -> DayContext:
    _check_keys(item, day_to_dict(DayContext(day=date.min)).keys(), "day")
    return validate.day(
        DayContext(
            day=_date(item, "day"),
            activity_minutes=item.get("activity_minutes"),
            exercise=item.get("exercise"),
            fluids_litres=item.get("fluids_litres"),
            alcohol_units=item.get("alcohol_units"),
            caffeine_drinks=item.get("caffeine_drinks"),
            hot_weather=item.get("hot_weather"),
            long_standing=item.get("long_standing"),
            notes=item.get("notes") or "",
        )
    )


def medicine_from_dict(item: dict[str, Any]) -> MedicineChange:
    _check_keys(item, ("name", "change", "at", "dose"), "medicine change")
    return validate.medicine_change(
        MedicineChange(
            name=item.get("name") or "",
            change=item.get("change") or "",  # type: ignore[arg-type]
            at=_date(item, "at"),
            dose=_opt_str(item, "dose"),
        )
    )


def lab_from_dict(item: dict[str, Any]) -> LabResult:
    _check_keys(item, ("analyte", "value", "unit", "taken_on"), "lab result")
    return validate.lab(
        LabResult(
            analyte=item.get("analyte") or "",
            value=item.get("value"),  # type: ignore[arg-type]
            unit=item.get("unit") or "",
            taken_on=_date(item, "taken_on"),
        )
    )


def read_json(text: str, tz: tzinfo | None = None) -> ParseResult:
    result = ParseResult()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problems.append(Problem(exc.lineno, f"not valid JSON: {exc.msg} (column {exc.colno})"))
        return result
    if isinstance(doc, list):
        doc = {"episodes": doc}
    if not isinstance(doc, dict):
        result.problems.append(Problem(1, 'expected a JSON object with an "episodes" list'))
        return result
    if doc.get("resourceType") == "Bundle":
        from crampwise.report.fhir import read_bundle

        return read_bundle(doc, tz)
    if "format" in doc and doc["format"] != FORMAT_NAME:
        result.problems.append(Problem(1, f"unknown format {doc['format']!r}; expected {FORMAT_NAME!r}"))
        return result
    version = doc.get("version", FORMAT_VERSION)
    if isinstance(version, int) and version > FORMAT_VERSION:
        result.problems.append(Problem(1, f"file version {version} is newer than this Crampwise reads"))
        return result
    lines = item_lines(text)
    readers: dict[str, tuple[Callable[[dict[str, Any]], Any], list[Any]]] = {
        "episodes": (lambda item: episode_from_dict(item, tz), result.data.episodes),
        "days": (day_from_dict, result.data.days),
        "medicine_changes": (medicine_from_dict, result.data.medicine_changes),
        "labs": (lab_from_dict, result.data.labs),
    }
    for section, (reader, target) in readers.items():
        items = doc.get(section) or []
        if not isinstance(items, list):
            result.problems.append(Problem(1, f"{section} must be a list"))
            continue
        section_lines = lines.get(section, [])
        for number, item in enumerate(items, start=1):
            line = section_lines[number - 1] if number - 1 < len(section_lines) else None
            try:
                if not isinstance(item, dict):
                    raise InvalidEntry(f"each of {section} must be an object")
                target.append(reader(item))
            except InvalidEntry as exc:
                result.problems.append(
                    Problem(line, f"{section[:-1].replace('_', ' ')} {number}: {exc}", number)
                )
    return result


# ----------------------------------------------------------------------------------- files


def detect_format(path: str, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise DiaryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    lowered = path.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".fhir.json", ".fhir")):
        return "fhir"
    if lowered.endswith((".json", ".jsonl")):
        return "json"
    raise DiaryError(f"cannot tell the format of {path!r} from its name; give --format csv, json or fhir")


def read_text(path: str) -> str:
    try:
        if path == "-":
            import sys

            return sys.stdin.read()
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DiaryError(f"no such file: {path}") from exc
    except UnicodeDecodeError as exc:
        raise DiaryError(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise DiaryError(f"cannot read {path}: {exc.strerror}") from exc


def load(path: str, fmt: str | None = None, tz: tzinfo | None = None) -> ParseResult:
    """Read and check an import file; nothing is written anywhere."""
    kind = detect_format(path, fmt)
    text = read_text(path)
    if kind == "csv":
        return read_csv(io.StringIO(text, newline=""), tz)
    if kind == "fhir":
        from crampwise.report.fhir import read_bundle_text

        return read_bundle_text(text, tz)
    return read_json(text, tz)


def dump(data: DiaryData, fmt: str, out: IO[str]) -> int:
    if fmt == "csv":
        return write_csv(data.episodes, out)
    if fmt == "json":
        return write_json(data, out)
    if fmt == "fhir":
        from crampwise.report.fhir import to_bundle

        json.dump(to_bundle(data), out, ensure_ascii=False, indent=1)
        out.write("\n")
        return len(data.episodes) + len(data.medicine_changes) + len(data.labs)
    raise DiaryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")

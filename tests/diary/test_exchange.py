"""CSV and JSON: lossless round trips, and bad rows reported by line number."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from diary_strategies import diaries, episodes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary import exchange, validate
from crampwise.diary.errors import DiaryError
from crampwise.diary.models import DiaryData, Episode
from crampwise.diary.store import DiaryStore


def canonical(data: DiaryData) -> DiaryData:
    """What the store would keep: validated, UTC, no ids."""
    return DiaryData(
        episodes=[replace(validate.episode(e), id=None) for e in data.episodes],
        days=[replace(validate.day(d), id=None) for d in data.days],
        medicine_changes=[replace(validate.medicine_change(m), id=None) for m in data.medicine_changes],
        labs=[replace(validate.lab(r), id=None) for r in data.labs],
    )


def strip_ids(data: DiaryData) -> DiaryData:
    return DiaryData(
        episodes=[replace(e, id=None) for e in data.episodes],
        days=[replace(d, id=None) for d in data.days],
        medicine_changes=[replace(m, id=None) for m in data.medicine_changes],
        labs=[replace(r, id=None) for r in data.labs],
    )


@given(st.lists(episodes, max_size=8))
def test_csv_round_trip_is_lossless(items: list[Episode]) -> None:
    out = io.StringIO(newline="")
    exchange.write_csv(items, out)
    result = exchange.read_csv(io.StringIO(out.getvalue(), newline=""))
    assert result.problems == []
    assert result.data.episodes == canonical(DiaryData(episodes=items)).episodes


@given(diaries())
def test_json_round_trip_is_lossless(data: DiaryData) -> None:
    out = io.StringIO()
    exchange.write_json(data, out)
    result = exchange.read_json(out.getvalue())
    assert result.problems == []
    assert strip_ids(result.data) == canonical(data)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=diaries(), fmt=st.sampled_from(["csv", "json"]))
def test_store_export_import_round_trip(store: DiaryStore, data: DiaryData, fmt: str) -> None:
    user = uuid.uuid4().hex  # the store outlives the examples: a fresh pair of users for each
    source, target = f"src-{user}", f"dst-{user}"
    store.import_data(data, source, skip_duplicates=False)
    exported = store.export_data(source)
    out = io.StringIO(newline="")
    exchange.dump(exported, fmt, out)
    text = out.getvalue()
    parsed = exchange.read_csv(io.StringIO(text, newline="")) if fmt == "csv" else exchange.read_json(text)
    assert parsed.problems == []
    store.import_data(parsed.data, target, skip_duplicates=False)
    again = store.export_data(target)

    def norm(d: DiaryData) -> list[list[str]]:
        """Each kind of record without ids and owner, in a stable order."""
        groups = (d.episodes, d.days, d.medicine_changes, d.labs) if fmt == "json" else (d.episodes,)
        return [sorted(repr(replace(r, id=None, user_id="x")) for r in group) for group in groups]

    assert norm(again) == norm(exported)  # store -> file -> store loses nothing
    expected = canonical(data)  # and the store kept what was given (creation times filled in)
    filled = [
        e if e.created_at else replace(e, created_at=x.created_at)
        for e, x in zip(
            sorted(expected.episodes, key=lambda e: (e.started_at, repr(e))),
            sorted(
                exported.episodes, key=lambda e: (e.started_at, repr(replace(e, id=None, user_id="local")))
            ),
            strict=True,
        )
    ]
    assert norm(replace(expected, episodes=filled)) == norm(exported)


GOOD_CSV = (
    "started_at,muscle,side,duration_seconds,severity,sleep_disturbance,context,helped,notes\n"
    "2026-11-21T02:00:00+01:00,calf,left,120,3,2,asleep,stretching; walking,woke me\n"
)


def test_csv_reports_bad_rows_by_line_number() -> None:
    text = GOOD_CSV + (
        "2026-11-22T02:00:00+01:00,calf,left,120,12,,asleep,,\n"  # line 3: severity
        '2026-11-23T02:00:00+01:00,calf,left,60,3,,asleep,,"a note\nover two lines"\n'  # lines 4-5, fine
        "yesterday,calf,,,,,,,\n"  # line 6: time
        "2026-11-24T02:00:00+01:00,elbow,,,,,,,\n"  # line 7: muscle
    )
    result = exchange.read_csv(io.StringIO(text, newline=""))
    assert [(p.line, p.message.split(" ")[0]) for p in result.problems] == [
        (3, "severity"),
        (6, "start"),
        (7, "muscle"),
    ]
    assert "must be from 0 to 10, got 12" in str(result.problems[0])
    assert str(result.problems[0]).startswith("line 3: ")
    assert len(result.data.episodes) == 2
    assert result.data.episodes[1].notes == "a note\nover two lines"


def test_csv_header_problems() -> None:
    assert str(exchange.read_csv(io.StringIO("")).problems[0]) == "line 1: the file is empty"
    unknown = exchange.read_csv(io.StringIO("started_at,colour\n"))
    assert "unknown column 'colour'" in str(unknown.problems[0])
    missing = exchange.read_csv(io.StringIO("muscle\ncalf\n"))
    assert "no started_at column" in str(missing.problems[0])
    extra = exchange.read_csv(io.StringIO("started_at,muscle\n2026-01-01T00:00Z,calf,extra\n"))
    assert extra.problems[0].line == 2


def test_csv_friendly_inputs() -> None:
    text = (
        '\ufeffStarted_At,muscle,duration_seconds,severity,helped\n2026-11-21 02:00,calf,2min,7/10,["a;b"]\n'
    )
    zone = timezone(timedelta(hours=1))
    result = exchange.read_csv(io.StringIO(text, newline=""), tz=zone)
    assert result.problems == []
    (ep,) = result.data.episodes
    assert ep.started_at == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert (ep.duration_seconds, ep.severity, ep.helped) == (120.0, 7, ["a;b"])
    naive = exchange.read_csv(io.StringIO("started_at\n2026-11-21 02:00\n"))
    assert "has no time zone" in str(naive.problems[0])


def test_json_reports_bad_records_by_line_number() -> None:
    data = DiaryData(
        episodes=[
            Episode(started_at=datetime(2026, 11, 21, 1, tzinfo=UTC) + timedelta(hours=i)) for i in range(3)
        ]
    )
    out = io.StringIO()
    exchange.write_json(data, out)
    lines = out.getvalue().splitlines()
    bad_line = next(i for i, line in enumerate(lines, start=1) if "T02:00:00" in line)
    lines[bad_line - 1] = lines[bad_line - 1].replace('"severity": null', '"severity": "very"')
    result = exchange.read_json("\n".join(lines))
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.line == bad_line
    assert str(problem).startswith(f"line {bad_line}: episode 2: severity")
    assert len(result.data.episodes) == 2


def test_json_line_numbers_in_hand_written_files() -> None:
    text = (
        '{"days": [{"day": "2026-01-01"}],\n "episodes": [\n  {"started_at": "2026-01-01T00:00Z"},\n\n'
        '  {\n "muscle": "calf"}\n]}'
    )
    result = exchange.read_json(text)
    assert [p.line for p in result.problems] == [5]
    assert "started_at" in result.problems[0].message
    bare = exchange.read_json('[\n{"started_at": "2026-01-01T00:00Z", "colour": "red"}\n]')
    assert bare.problems[0].line == 2
    assert "unknown episode field 'colour'" in bare.problems[0].message


def test_json_syntax_errors_have_a_line_number() -> None:
    result = exchange.read_json('{"episodes": [\n{"started_at": }\n]}')
    assert result.problems[0].line == 2
    assert "not valid JSON" in result.problems[0].message
    newer = exchange.read_json('{"format": "crampwise-diary", "version": 99}')
    assert "newer" in newer.problems[0].message
    other = exchange.read_json('{"format": "something-else"}')
    assert "unknown format" in other.problems[0].message


def test_load_detects_formats_and_reports_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    assert len(exchange.load(str(path)).data.episodes) == 1
    with pytest.raises(DiaryError, match="no such file"):
        exchange.load(str(tmp_path / "missing.csv"))
    with pytest.raises(DiaryError, match="cannot tell the format"):
        exchange.load(str(tmp_path / "d.txt"))
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DiaryError, match="not UTF-8"):
        exchange.load(str(binary))


def test_json_export_is_one_record_per_line() -> None:
    data = DiaryData(episodes=[Episode(started_at=datetime(2026, 1, 1, tzinfo=UTC), notes="a\nb")] * 3)
    out = io.StringIO()
    exchange.write_json(data, out)
    doc = json.loads(out.getvalue())
    assert doc["format"] == "crampwise-diary"
    assert len(doc["episodes"]) == 3
    assert sum('"started_at"' in line for line in out.getvalue().splitlines()) == 3

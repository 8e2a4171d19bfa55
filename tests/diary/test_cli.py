"""`crampwise diary ...` through click's CliRunner, against a temporary SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from crampwise.cli import cli
from crampwise.diary.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'diary.sqlite3'}"


@pytest.fixture
def run(db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CRAMPWISE_HOME", str(tmp_path / "home"))  # never touch the real diary
    monkeypatch.delenv("CRAMPWISE_DB", raising=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(
            cli,
            ["diary", *args, "--db", db, "--tz", "Europe/Berlin"]
            if args and args[0] not in ("--help",)
            else ["diary", *args],
            input=input,
            catch_exceptions=False,
        )

    return invoke


def test_add_list_edit_delete(run, db: str) -> None:  # type: ignore[no-untyped-def]
    added = run("add", "calf", "left", "3/10", "2am", "2min")
    assert added.exit_code == 0, added.output
    assert added.output.startswith("Added #1 ")
    assert "calf (left), severity 3/10, 2m" in added.output
    run("add", "thigh", "both", "7/10", "yesterday", "23:30", "90s", "after", "exercise", "note", "woke me")
    listing = run("list")
    assert listing.exit_code == 0
    lines = listing.output.splitlines()
    assert lines[0].split()[:3] == ["#", "when", "(Europe/Berlin)"]
    assert any("thigh" in line and "after exercise" in line and "woke me" in line for line in lines)
    as_json = json.loads(run("list", "--json").output)
    assert {e["muscle"] for e in as_json} == {"calf", "thigh"}
    edited = run("edit", "1", "--severity", "5", "--note", "after a long walk", "--helped", "stretching")
    assert edited.exit_code == 0
    assert "severity 5/10" in edited.output
    with open_store(db) as store:
        ep = store.get_episode(1)
        assert (ep.severity, ep.notes, ep.helped) == (5, "after a long walk", ["stretching"])
    deleted = run("delete", "1")
    assert deleted.exit_code == 0
    assert "undo: crampwise diary delete --undo 1" in deleted.output
    assert "calf" not in run("list").output.split("\n", 1)[1]
    assert "*" in run("list", "--deleted").output
    assert run("delete", "--undo", "1").exit_code == 0
    assert len(json.loads(run("list", "--json").output)) == 2
    purged = run("delete", "--purge", "1", input="y\n")
    assert purged.exit_code == 0
    assert "for good" in purged.output
    with open_store(db) as store:
        assert store.list_episodes(include_deleted=True)[0].muscle == "thigh"


def test_add_with_options_and_group_level_db(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPWISE_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(
        cli,
        [
            "diary",
            "--db",
            db,
            "--tz",
            "UTC",
            "add",
            "--muscle",
            "foot",
            "--severity",
            "4",
            "--at",
            "2026-11-20T04:10",
            "--duration",
            "45s",
            "--context",
            "sitting",
            "--helped",
            "walking,water",
        ],
    )
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        (ep,) = store.list_episodes()
    assert ep.started_at.isoformat() == "2026-11-20T04:10:00+00:00"
    assert (ep.muscle, ep.severity, ep.duration_seconds, ep.context, ep.helped) == (
        "foot",
        4,
        45.0,
        "sitting",
        ["walking", "water"],
    )


def test_environment_variable_selects_the_database(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRAMPWISE_DB", db)
    result = CliRunner().invoke(cli, ["diary", "add", "calf", "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert store.count_episodes() == 1


def test_default_database_is_created_in_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CRAMPWISE_DB", raising=False)
    monkeypatch.delenv("CRAMPWISE_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    result = CliRunner().invoke(cli, ["diary", "add", "calf", "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "xdg" / "crampwise" / "diary.sqlite3").exists()
    monkeypatch.setenv("CRAMPWISE_HOME", str(tmp_path / "home"))
    CliRunner().invoke(cli, ["diary", "add", "calf", "--tz", "UTC"])
    assert (tmp_path / "home" / "diary.sqlite3").exists()


def _one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: "), lines[0]
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output


def test_errors_are_one_line_and_exit_1(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _one_line_error(run("add", "calf", "blorp"), "don't understand 'blorp'")
    _one_line_error(run("add", "calf", "12/10"), "from 0 to 10")
    _one_line_error(run("edit", "99", "--severity", "3"), "no episode #99")
    _one_line_error(run("delete", "99"), "no episode #99")
    _one_line_error(run("import", str(tmp_path / "nope.csv")), "no such file")
    _one_line_error(run("add", "calf", "--at", "whenever"), "don't understand")
    bad_zone = CliRunner().invoke(
        cli, ["diary", "add", "calf", "--tz", "Mars/Base", "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}"]
    )
    _one_line_error(bad_zone, "unknown time zone")
    bad_url = CliRunner().invoke(cli, ["diary", "list", "--db", "mysql://u:secret@h/db"])
    _one_line_error(bad_url, "unsupported database")
    unreachable = CliRunner().invoke(cli, ["diary", "list", "--db", "postgresql://u:secret@127.0.0.1:1/db"])
    _one_line_error(unreachable, "127.0.0.1")
    assert "secret" not in unreachable.output


def test_export_import_round_trip_in_every_format(run, db: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("add", "calf", "left", "3/10", "2am", "2min", "helped", "stretching", "note", 'a, "quoted"; note')
    run("add", "foot", "right", "6/10", "yesterday", "23:30", "asleep", "sleep", "4/10")
    run("day", "yesterday", "--fluids", "1.5", "--alcohol", "2", "--hot")
    run("med", "furosemide", "started", "2026-10-01", "--dose", "40 mg")
    run("lab", "potassium", "3.4", "mmol/L", "2026-11-01")
    with open_store(db) as store:
        original = store.export_data()
    for name in ("d.csv", "d.json", "d.fhir.json"):
        path = tmp_path / name
        exported = run("export", str(path))
        assert exported.exit_code == 0, exported.output
        target = f"sqlite:///{tmp_path / ('copy-' + name + '.sqlite3')}"
        imported = CliRunner().invoke(cli, ["diary", "import", str(path), "--db", target, "--tz", "UTC"])
        assert imported.exit_code == 0, imported.output
        assert imported.output.startswith("Imported 2 episodes")
        with open_store(target) as copy:
            data = copy.export_data()
        assert [(e.started_at, e.muscle, e.side, e.severity, e.helped, e.notes) for e in data.episodes] == [
            (e.started_at, e.muscle, e.side, e.severity, e.helped, e.notes) for e in original.episodes
        ]
        if name == "d.json":
            assert [(d.day, d.fluids_litres, d.hot_weather) for d in data.days] == [
                (d.day, d.fluids_litres, d.hot_weather) for d in original.days
            ]
        if name != "d.csv":
            assert [(m.name, m.dose) for m in data.medicine_changes] == [("furosemide", "40 mg")]
            assert [(r.analyte, r.value) for r in data.labs] == [("potassium", 3.4)]
        again = CliRunner().invoke(cli, ["diary", "import", str(path), "--db", target, "--tz", "UTC"])
        assert "already in the diary, skipped" in again.output
    stdout = run("export", "--format", "csv")
    assert stdout.output.splitlines()[0].startswith("started_at,muscle")


def test_import_with_errors_imports_nothing_unless_skip_bad(run, db: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.csv"
    path.write_text(
        "started_at,muscle,severity\n"
        "2026-11-20T02:00:00+01:00,calf,3\n"
        "2026-11-20T03:00:00+01:00,calf,11\n"
        "not a time,calf,2\n"
        "2026-11-20T05:00:00+01:00,foot,4\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    _one_line_error(result, "line 3: severity must be from 0 to 10, got 11")
    assert "(and 1 more bad rows)" in result.output
    assert "nothing was imported" in result.output
    with open_store(db) as store:
        assert store.count_episodes() == 0
    checked = run("import", str(path), "--check")
    assert checked.exit_code == 1
    assert "bad" in checked.output
    assert "line 3" in checked.output
    assert "line 4" in checked.output
    skipped = run("import", str(path), "--skip-bad")
    assert skipped.exit_code == 0
    assert "skipped" in skipped.output
    assert "line 4" in skipped.output
    assert "Imported 2 episodes" in skipped.output
    assert "2 bad rows skipped" in skipped.output
    with open_store(db) as store:
        assert store.count_episodes() == 2


def test_list_other_kinds_and_empty(run) -> None:  # type: ignore[no-untyped-def]
    assert "No episodes yet" in run("list").output
    assert "No labs recorded" in run("list", "labs").output
    run("lab", "magnesium", "0.6", "mmol/L")
    assert "magnesium" in run("list", "labs").output
    run("med", "atorvastatin", "stopped")
    assert json.loads(run("list", "medicines", "--json").output)[0]["change"] == "stopped"
    run("day", "--caffeine", "3")
    assert "3" in run("list", "days").output


def test_stats_and_report(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for word in ("1am", "2am", "3am"):
        run("add", "calf", "left", "4/10", word, "yesterday")
    stats = run("stats")
    assert stats.exit_code == 0, stats.output
    assert stats.output.strip()
    stats_json = run("stats", "--json")
    assert stats_json.exit_code == 0
    json.loads(stats_json.output)
    report = run("report", str(tmp_path / "r.html"))
    assert report.exit_code == 0, report.output
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8").lower()


def test_help_lists_the_subcommands(run) -> None:  # type: ignore[no-untyped-def]
    out = run("--help").output
    for name in ("add", "list", "edit", "delete", "stats", "report", "export", "import"):
        assert name in out


def test_importing_the_command_module_loads_no_sqlalchemy() -> None:
    code = (
        "import sys, crampwise.cli, crampwise.cli.diary_cmd; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'psycopg')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

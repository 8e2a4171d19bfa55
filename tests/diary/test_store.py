"""The store on both backends: CRUD, time zones, numbers, scoping, deletes, imports, users."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError

from crampwise.diary.errors import InvalidEntry, NotFound
from crampwise.diary.models import DayContext, Episode, LabResult, MedicineChange
from crampwise.diary.schema import episodes as episodes_table
from crampwise.diary.store import DiaryStore

PLUS_TWO = timezone(timedelta(hours=2))


def ep(hour: int = 3, **kwargs: object) -> Episode:
    values: dict[str, object] = {
        "started_at": datetime(2026, 11, 21, hour, 0, tzinfo=PLUS_TWO),
        "severity": 4,
    }
    values.update(kwargs)
    return Episode(**values)  # type: ignore[arg-type]


def test_crud(store: DiaryStore) -> None:
    saved = store.add_episode(
        ep(muscle="foot", side="left", duration_seconds=120, helped=["stretching"], notes="x")
    )
    assert saved.id is not None
    assert saved.created_at is not None
    assert saved.created_at.tzinfo is UTC
    got = store.get_episode(saved.id)
    assert got == saved
    updated = store.update_episode(saved.id, {"severity": 7, "notes": "worse", "context": "asleep"})
    assert (updated.severity, updated.notes, updated.context) == (7, "worse", "asleep")
    assert store.get_episode(saved.id) == updated
    assert store.list_episodes() == [updated]
    store.delete_episode(saved.id)
    assert store.list_episodes() == []
    with pytest.raises(NotFound, match=f"#{saved.id}"):
        store.get_episode(saved.id)


def test_timezone_round_trip_is_utc_on_both_backends(store: DiaryStore) -> None:
    saved = store.add_episode(ep(hour=3))  # 03:00+02:00
    got = store.get_episode(saved.id)  # type: ignore[arg-type]
    assert got.started_at == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
    assert got.started_at.tzinfo is UTC
    assert got.started_at.isoformat() == "2026-11-21T01:00:00+00:00"
    # what is physically stored is UTC too
    with store.engine.connect() as conn:
        raw = conn.execute(text("SELECT started_at FROM episodes")).scalar_one()
    if store.dialect == "sqlite":
        assert str(raw).startswith("2026-11-21 01:00:00")
    else:
        assert raw == datetime(2026, 11, 21, 1, 0, tzinfo=UTC)


def test_microseconds_and_old_dates_survive(store: DiaryStore) -> None:
    when = datetime(1961, 3, 26, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5)))
    saved = store.add_episode(ep(started_at=when))
    assert store.get_episode(saved.id).started_at == when  # type: ignore[arg-type]


def test_naive_times_are_refused(store: DiaryStore) -> None:
    with pytest.raises(InvalidEntry, match="no time zone"):
        store.add_episode(Episode(started_at=datetime(2026, 11, 21, 3, 0)))
    with pytest.raises(InvalidEntry, match="no time zone"):
        store.list_episodes(since=datetime(2026, 1, 1))


def test_numbers_have_the_same_python_types_on_both_backends(store: DiaryStore) -> None:
    store.add_episode(ep(hour=1, duration_seconds=90.5, severity=3, sleep_disturbance=2))
    store.add_episode(ep(hour=2, duration_seconds=0.1, severity=4, sleep_disturbance=5))
    got = store.list_episodes()
    assert [type(e.duration_seconds) for e in got] == [float, float]
    assert [e.duration_seconds for e in got] == [90.5, 0.1]
    assert [type(e.severity) for e in got] == [int, int]
    summary = store.episode_summary()
    assert summary == {
        "count": 2,
        "mean_severity": 3.5,
        "mean_sleep_disturbance": 3.5,
        "mean_duration_seconds": pytest.approx(45.3),
        "total_duration_seconds": pytest.approx(90.6),
        "max_severity": 4,
    }
    assert all(
        type(summary[k]) is float
        for k in ("mean_severity", "mean_sleep_disturbance", "mean_duration_seconds")
    )
    store.add_lab(LabResult(analyte="potassium", value=3.4, unit="mmol/L", taken_on=date(2026, 1, 5)))
    lab = store.list_labs()[0]
    assert type(lab.value) is float
    assert lab.value == 3.4
    day = store.add_day(DayContext(day=date(2026, 1, 5), fluids_litres=1.25, alcohol_units=2, exercise=True))
    assert type(day.fluids_litres) is float
    assert day.fluids_litres == 1.25
    assert type(day.alcohol_units) is float
    assert day.alcohol_units == 2.0
    assert day.exercise is True


def test_empty_summary(store: DiaryStore) -> None:
    assert store.episode_summary()["count"] == 0
    assert store.episode_summary()["mean_severity"] is None


def test_list_filters_order_and_limit(store: DiaryStore) -> None:
    for hour in (5, 1, 3, 2, 4):
        store.add_episode(ep(hour=hour))
    hours = [e.started_at.astimezone(PLUS_TWO).hour for e in store.list_episodes()]
    assert hours == [1, 2, 3, 4, 5]
    since = datetime(2026, 11, 21, 2, 0, tzinfo=PLUS_TWO)
    until = datetime(2026, 11, 21, 4, 0, tzinfo=PLUS_TWO)
    assert [
        e.started_at.astimezone(PLUS_TWO).hour for e in store.list_episodes(since=since, until=until)
    ] == [2, 3]
    newest = store.list_episodes(limit=2, newest_first=True)
    assert [e.started_at.astimezone(PLUS_TWO).hour for e in newest] == [5, 4]
    assert store.count_episodes() == 5


def test_everything_is_scoped_by_user(store: DiaryStore) -> None:
    mine = store.add_episode(ep(), user_id="alice")
    store.add_episode(ep(), user_id="bob")
    assert [e.user_id for e in store.list_episodes("alice")] == ["alice"]
    assert store.list_episodes() == []  # "local" has nothing
    with pytest.raises(NotFound):
        store.get_episode(mine.id, "bob")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        store.update_episode(mine.id, {"severity": 1}, "bob")  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        store.delete_episode(mine.id, "bob", purge=True)  # type: ignore[arg-type]
    assert store.get_episode(mine.id, "alice").severity == 4  # type: ignore[arg-type]
    store.add_day(DayContext(day=date(2026, 1, 1), fluids_litres=2), user_id="alice")
    store.add_medicine_change(MedicineChange("furosemide", "started", date(2026, 1, 1)), user_id="alice")
    store.add_lab(LabResult("sodium", 140, "mmol/L", date(2026, 1, 1)), user_id="alice")
    assert store.list_days("bob") == store.list_medicine_changes("bob") == store.list_labs("bob") == []
    assert len(store.list_days("alice")) == len(store.list_medicine_changes("alice")) == 1


def test_soft_delete_restore_and_purge(store: DiaryStore) -> None:
    saved = store.add_episode(ep())
    assert saved.id is not None
    store.delete_episode(saved.id)
    assert store.list_episodes() == []
    assert [e.id for e in store.list_episodes(include_deleted=True)] == [saved.id]
    with pytest.raises(NotFound):
        store.delete_episode(saved.id)  # already deleted
    restored = store.restore_episode(saved.id)
    assert restored.id == saved.id
    assert store.count_episodes() == 1
    with pytest.raises(NotFound):
        store.restore_episode(saved.id)  # not deleted
    store.delete_episode(saved.id, purge=True)
    assert store.list_episodes(include_deleted=True) == []
    with pytest.raises(NotFound):
        store.restore_episode(saved.id)


def test_bad_values_are_refused_with_a_clear_message(store: DiaryStore) -> None:
    with pytest.raises(InvalidEntry, match="severity must be from 0 to 10, got 12"):
        store.add_episode(ep(severity=12))
    with pytest.raises(InvalidEntry, match="muscle must be one of"):
        store.add_episode(ep(muscle="elbow"))
    with pytest.raises(InvalidEntry, match="context must be one of"):
        store.add_episode(ep(context="dancing"))
    with pytest.raises(InvalidEntry, match="duration"):
        store.add_episode(ep(duration_seconds=-1))
    with pytest.raises(InvalidEntry, match="finite"):
        store.add_episode(ep(duration_seconds=float("nan")))
    saved = store.add_episode(ep())
    with pytest.raises(InvalidEntry, match="cannot edit user_id"):
        store.update_episode(saved.id, {"user_id": "mallory"})  # type: ignore[arg-type]
    with pytest.raises(InvalidEntry, match="sleep disturbance"):
        store.update_episode(saved.id, {"sleep_disturbance": 11})  # type: ignore[arg-type]
    assert store.get_episode(saved.id) == saved  # type: ignore[arg-type]


def test_the_database_itself_refuses_out_of_range_values(store: DiaryStore) -> None:
    now = datetime.now(UTC)
    with pytest.raises(IntegrityError), store.engine.begin() as conn:
        conn.execute(
            insert(episodes_table).values(
                user_id="local",
                started_at=now,
                muscle="calf",
                severity=11,
                helped=[],
                notes="",
                created_at=now,
            )
        )


def test_canonical_spellings(store: DiaryStore) -> None:
    saved = store.add_episode(ep(muscle="Calf", side="LEFT", context="after exercise"))  # type: ignore[arg-type]
    assert (saved.muscle, saved.side, saved.context) == ("calf", "left", "after_exercise")


def test_days_merge_per_date(store: DiaryStore) -> None:
    store.add_day(DayContext(day=date(2026, 11, 20), fluids_litres=1.5, notes="hot"))
    merged = store.add_day(DayContext(day=date(2026, 11, 20), alcohol_units=3, hot_weather=True))
    assert (merged.fluids_litres, merged.alcohol_units, merged.hot_weather, merged.notes) == (
        1.5,
        3.0,
        True,
        "hot",
    )
    store.add_day(DayContext(day=date(2026, 11, 19), caffeine_drinks=2))
    assert [d.day.day for d in store.list_days()] == [19, 20]
    assert [d.day.day for d in store.list_days(since=date(2026, 11, 20))] == [20]
    store.delete_day(date(2026, 11, 19))
    assert len(store.list_days()) == 1
    with pytest.raises(NotFound):
        store.delete_day(date(2026, 11, 19))


def test_medicines_and_labs(store: DiaryStore) -> None:
    started = store.add_medicine_change(MedicineChange(" Lasix ", "started", date(2026, 10, 1), "40 mg"))
    store.add_medicine_change(MedicineChange("Lasix", "increased", date(2026, 10, 20), "80 mg"))
    assert started.name == "Lasix"
    assert [m.change for m in store.list_medicine_changes()] == ["started", "increased"]
    with pytest.raises(InvalidEntry, match="medicine change must be one of"):
        store.add_medicine_change(MedicineChange("x", "paused", date(2026, 1, 1)))  # type: ignore[arg-type]
    store.add_lab(LabResult("Potassium", 3.1, "mmol/L", date(2026, 10, 2)))
    store.add_lab(LabResult("Magnesium", 0.6, "mmol/L", date(2026, 10, 2)))
    assert [r.analyte for r in store.list_labs(analyte="potassium")] == ["Potassium"]
    lab_id = store.list_labs()[0].id
    store.delete_lab(lab_id)  # type: ignore[arg-type]
    assert len(store.list_labs()) == 1
    store.delete_medicine_change(started.id)  # type: ignore[arg-type]
    assert len(store.list_medicine_changes()) == 1


def test_users_and_token_hashes(store: DiaryStore) -> None:
    user = store.create_user("Ann")
    assert store.get_user(user)["name"] == "Ann"  # type: ignore[index]
    store.add_token(user, "hash-1", label="phone")
    assert store.user_for_token_hash("hash-1") == user
    assert store.user_for_token_hash("nope") is None
    with pytest.raises(NotFound):
        store.add_token("ghost", "hash-2")
    with pytest.raises(InvalidEntry):
        store.add_token(user, "hash-1")  # the same hash twice
    store.add_episode(ep(), user_id=user)
    assert store.revoke_token("hash-1") is True
    assert store.user_for_token_hash("hash-1") is None
    store.delete_user(user)
    assert store.get_user(user) is None
    assert store.list_episodes(user) == []


def test_import_is_all_or_nothing(store: DiaryStore) -> None:
    store.add_episode(ep(hour=1))
    batch = [ep(hour=2), ep(hour=3, severity=99), ep(hour=4)]
    with pytest.raises(InvalidEntry):
        store.import_episodes(batch)
    assert store.count_episodes() == 1


def test_import_skips_what_is_already_there(store: DiaryStore) -> None:
    batch = [ep(hour=2), ep(hour=3), ep(hour=3)]  # the file's own repeat is kept
    first = store.import_episodes(batch)
    assert (first.episodes, first.duplicates) == (3, 0)
    again = store.import_episodes(batch)
    assert (again.episodes, again.duplicates) == (0, 3)
    assert store.count_episodes() == 3
    forced = store.import_episodes(batch[:1], skip_duplicates=False)
    assert forced.episodes == 1
    assert store.count_episodes() == 4


def test_import_reports_progress_per_chunk(store: DiaryStore) -> None:
    seen: list[int] = []
    batch = [ep(started_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i)) for i in range(25)]
    result = store.import_episodes(batch, progress=seen.append, chunk_size=10)
    assert seen == [10, 10, 5]
    assert result.added == 25

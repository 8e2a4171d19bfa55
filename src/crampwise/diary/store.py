"""The diary store: one SQLAlchemy Core code path for SQLite (default) and PostgreSQL.

    store = open_store()                      # --db / CRAMPWISE_DB / the user's data directory
    ep = store.add_episode(Episode(started_at=datetime.now(UTC), muscle="calf", severity=3))
    store.list_episodes(since=..., until=...)

Every method is scoped by `user_id` ("local" for the single-person CLI; the API passes its own).
Guarantees:

- Times go in aware and come out aware in UTC, identically on both backends.
- Numbers come out as `int`/`float` on both backends (never `Decimal`).
- Each call is one transaction. SQLite runs in WAL mode with a busy timeout and takes the write
  lock at the start of a writing transaction (`BEGIN IMMEDIATE`), so concurrent writers queue
  instead of failing; PostgreSQL needs nothing special.
- `import_data()` validates everything first and then inserts it in a single transaction: a
  process killed during an import leaves all earlier, acknowledged entries and none of that import.
- Deleting is soft by default (`deleted_at`); `purge=True` removes the row for good.
"""

from __future__ import annotations

import os
import secrets
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError

from crampwise.diary import validate
from crampwise.diary.errors import DiaryError, InvalidEntry, NotFound, StoreUnavailable
from crampwise.diary.migrate import ensure_schema
from crampwise.diary.models import DayContext, DiaryData, Episode, LabResult, MedicineChange
from crampwise.diary.schema import as_float, days, episodes, labs, medicine_changes, tokens, users

DEFAULT_USER = "local"
ENV_DB = "CRAMPWISE_DB"
ENV_HOME = "CRAMPWISE_HOME"
SQLITE_BUSY_TIMEOUT_SECONDS = 60.0
EDITABLE_EPISODE_FIELDS = frozenset(
    {
        "started_at",
        "muscle",
        "side",
        "duration_seconds",
        "severity",
        "sleep_disturbance",
        "context",
        "helped",
        "notes",
    }
)
Progress = Callable[[int], None]


# ---------------------------------------------------------------------------------------- URLs


def data_dir() -> Path:
    """Where Crampwise keeps the diary: $CRAMPWISE_HOME, else the platform's user data directory."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    if sys.platform == "win32":  # pragma: no cover - platform specific
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":  # pragma: no cover - platform specific
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "crampwise"


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'diary.sqlite3'}"


def resolve_url(url: str | None = None) -> str:
    """The database URL: the argument, else $CRAMPWISE_DB, else an SQLite file in data_dir().

    A plain file path is accepted as an SQLite database; `postgresql://` means psycopg 3.
    """
    chosen = url or os.environ.get(ENV_DB) or default_url()
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def redact(url: str | URL) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _engine_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(
            f"not a database URL: {url!r} (try sqlite:///path or postgresql://...)"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreUnavailable(f"unsupported database {parsed.drivername!r}; use sqlite or postgresql")
    return parsed


def make_engine(url: str) -> Engine:
    parsed = _engine_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(
            f"no driver for {parsed.drivername}; install crampwise[postgres] for PostgreSQL"
        ) from exc


def _sqlite_engine(parsed: URL) -> Engine:
    database = parsed.database or ""
    memory = database in ("", ":memory:") or database.startswith("file::memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}}
    if memory:
        from sqlalchemy.pool import StaticPool

        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    else:
        path = Path(database).expanduser()
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    engine = create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is wrong for DDL
        # and cannot do BEGIN IMMEDIATE).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("crampwise_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# ------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ImportSummary:
    episodes: int = 0
    days: int = 0
    medicine_changes: int = 0
    labs: int = 0
    duplicates: int = 0

    @property
    def added(self) -> int:
        return self.episodes + self.days + self.medicine_changes + self.labs


def _now() -> datetime:
    return datetime.now(UTC)


def _episode_from_row(row: Row[Any]) -> Episode:
    m = row._mapping
    return Episode(
        id=m["id"],
        user_id=m["user_id"],
        started_at=m["started_at"],
        muscle=m["muscle"],
        side=m["side"],
        duration_seconds=m["duration_seconds"],
        severity=m["severity"],
        sleep_disturbance=m["sleep_disturbance"],
        context=m["context"],
        helped=list(m["helped"]),
        notes=m["notes"] or "",
        created_at=m["created_at"],
    )


def _episode_values(ep: Episode) -> dict[str, Any]:
    return {
        "user_id": ep.user_id,
        "started_at": ep.started_at,
        "muscle": ep.muscle,
        "side": ep.side,
        "duration_seconds": ep.duration_seconds,
        "severity": ep.severity,
        "sleep_disturbance": ep.sleep_disturbance,
        "context": ep.context,
        "helped": ep.helped,
        "notes": ep.notes,
        "created_at": ep.created_at or _now(),
    }


def episode_key(ep: Episode) -> tuple[Any, ...]:
    """What makes two episodes the same entry (everything a person typed)."""
    return (
        ep.started_at,
        ep.muscle,
        ep.side,
        ep.duration_seconds,
        ep.severity,
        ep.sleep_disturbance,
        ep.context,
        tuple(ep.helped),
        ep.notes,
    )


def _day_from_row(row: Row[Any]) -> DayContext:
    m = row._mapping
    return DayContext(**{f.name: m[f.name] for f in fields(DayContext)})


def _medicine_from_row(row: Row[Any]) -> MedicineChange:
    m = row._mapping
    return MedicineChange(**{f.name: m[f.name] for f in fields(MedicineChange)})


def _lab_from_row(row: Row[Any]) -> LabResult:
    m = row._mapping
    return LabResult(**{f.name: m[f.name] for f in fields(LabResult)})


def _values(record: Any, *, skip: Sequence[str] = ("id",)) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record) if f.name not in skip}


# --------------------------------------------------------------------------------------- store


class DiaryStore:
    """A diary database. Cheap to keep open; `close()` (or `with`) releases connections."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            with self._errors():
                ensure_schema(self.engine)

    # -- plumbing

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> DiaryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DiaryStore({redact(self.url)!r})"

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except DiaryError:
            raise
        except IntegrityError as exc:
            raise InvalidEntry(f"the database refused the entry: {exc.orig}") from exc
        except DBAPIError as exc:
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise StoreUnavailable(f"diary database {redact(self.url)}: {detail}") from exc

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn:
            if write:
                conn.execution_options(crampwise_write=True)
            with conn.begin():
                yield conn

    # -- episodes

    def add_episode(self, ep: Episode, user_id: str | None = None) -> Episode:
        """Store one episode; returns it with its id, UTC start time and creation time."""
        clean = validate.episode(ep, user_id=user_id or ep.user_id)
        clean = replace(clean, created_at=clean.created_at or _now())
        with self._tx(write=True) as conn:
            result = conn.execute(insert(episodes).values(**_episode_values(clean)))
            new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        return replace(clean, id=int(new_id) if new_id is not None else None)

    def get_episode(
        self, episode_id: int, user_id: str = DEFAULT_USER, *, include_deleted: bool = False
    ) -> Episode:
        query = select(episodes).where(episodes.c.id == episode_id, episodes.c.user_id == user_id)
        if not include_deleted:
            query = query.where(episodes.c.deleted_at.is_(None))
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no episode #{episode_id} in this diary")
        return _episode_from_row(row)

    def list_episodes(
        self,
        user_id: str = DEFAULT_USER,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
        *,
        newest_first: bool = False,
        include_deleted: bool = False,
    ) -> list[Episode]:
        """Episodes with since <= started_at < until, oldest first (or newest first)."""
        query = select(episodes).where(episodes.c.user_id == user_id)
        if not include_deleted:
            query = query.where(episodes.c.deleted_at.is_(None))
        if since is not None:
            query = query.where(episodes.c.started_at >= validate.aware_utc(since, "since"))
        if until is not None:
            query = query.where(episodes.c.started_at < validate.aware_utc(until, "until"))
        if newest_first:
            query = query.order_by(episodes.c.started_at.desc(), episodes.c.id.desc())
        else:
            query = query.order_by(episodes.c.started_at, episodes.c.id)
        if limit is not None:
            query = query.limit(limit)
        with self._tx() as conn:
            return [_episode_from_row(row) for row in conn.execute(query)]

    def count_episodes(self, user_id: str = DEFAULT_USER) -> int:
        query = (
            select(func.count())
            .select_from(episodes)
            .where(episodes.c.user_id == user_id, episodes.c.deleted_at.is_(None))
        )
        with self._tx() as conn:
            return int(conn.execute(query).scalar_one())

    def episode_summary(
        self, user_id: str = DEFAULT_USER, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, float | int | None]:
        """Count and means computed in SQL; the same Python types on both backends."""
        conditions = [episodes.c.user_id == user_id, episodes.c.deleted_at.is_(None)]
        if since is not None:
            conditions.append(episodes.c.started_at >= validate.aware_utc(since, "since"))
        if until is not None:
            conditions.append(episodes.c.started_at < validate.aware_utc(until, "until"))
        query = select(
            func.count().label("count"),
            as_float(func.avg(episodes.c.severity)).label("mean_severity"),
            as_float(func.avg(episodes.c.sleep_disturbance)).label("mean_sleep_disturbance"),
            as_float(func.avg(episodes.c.duration_seconds)).label("mean_duration_seconds"),
            as_float(func.sum(episodes.c.duration_seconds)).label("total_duration_seconds"),
            func.max(episodes.c.severity).label("max_severity"),
        ).where(and_(*conditions))
        with self._tx() as conn:
            row = conn.execute(query).one()._mapping
        return {
            "count": int(row["count"]),
            "mean_severity": row["mean_severity"],
            "mean_sleep_disturbance": row["mean_sleep_disturbance"],
            "mean_duration_seconds": row["mean_duration_seconds"],
            "total_duration_seconds": row["total_duration_seconds"],
            "max_severity": None if row["max_severity"] is None else int(row["max_severity"]),
        }

    def update_episode(
        self, episode_id: int, changes: Mapping[str, Any], user_id: str = DEFAULT_USER
    ) -> Episode:
        unknown = set(changes) - EDITABLE_EPISODE_FIELDS
        if unknown:
            editable = ", ".join(sorted(EDITABLE_EPISODE_FIELDS))
            raise InvalidEntry(f"cannot edit {', '.join(sorted(unknown))}; editable: {editable}")
        with self._tx(write=True) as conn:
            query = select(episodes).where(
                episodes.c.id == episode_id, episodes.c.user_id == user_id, episodes.c.deleted_at.is_(None)
            )
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).first()
            if row is None:
                raise NotFound(f"no episode #{episode_id} in this diary")
            current = _episode_from_row(row)
            updated = validate.episode(replace(current, **dict(changes)))
            values = _episode_values(updated)
            del values["created_at"], values["user_id"]
            values["updated_at"] = _now()
            conn.execute(update(episodes).where(episodes.c.id == episode_id).values(**values))
        return updated

    def delete_episode(self, episode_id: int, user_id: str = DEFAULT_USER, *, purge: bool = False) -> Episode:
        """Hide an episode (recoverable with restore_episode); `purge=True` removes it for good."""
        with self._tx(write=True) as conn:
            where = [episodes.c.id == episode_id, episodes.c.user_id == user_id]
            if not purge:
                where.append(episodes.c.deleted_at.is_(None))
            row = conn.execute(select(episodes).where(*where)).first()
            if row is None:
                raise NotFound(f"no episode #{episode_id} in this diary")
            if purge:
                conn.execute(delete(episodes).where(*where))
            else:
                conn.execute(update(episodes).where(*where).values(deleted_at=_now()))
        return _episode_from_row(row)

    def restore_episode(self, episode_id: int, user_id: str = DEFAULT_USER) -> Episode:
        with self._tx(write=True) as conn:
            where = [
                episodes.c.id == episode_id,
                episodes.c.user_id == user_id,
                episodes.c.deleted_at.is_not(None),
            ]
            row = conn.execute(select(episodes).where(*where)).first()
            if row is None:
                raise NotFound(f"no deleted episode #{episode_id} in this diary")
            conn.execute(update(episodes).where(*where).values(deleted_at=None))
        return _episode_from_row(row)

    def import_episodes(
        self,
        items: Iterable[Episode],
        user_id: str = DEFAULT_USER,
        *,
        progress: Progress | None = None,
        chunk_size: int = 1000,
        skip_duplicates: bool = True,
    ) -> ImportSummary:
        """All or nothing: validate every episode, then insert them in one transaction."""
        return self.import_data(
            DiaryData(episodes=list(items)),
            user_id,
            progress=progress,
            chunk_size=chunk_size,
            skip_duplicates=skip_duplicates,
        )

    def import_data(
        self,
        data: DiaryData,
        user_id: str = DEFAULT_USER,
        *,
        progress: Progress | None = None,
        chunk_size: int = 1000,
        skip_duplicates: bool = True,
    ) -> ImportSummary:
        """Import a whole diary file in one transaction (nothing of it is stored unless all is).

        Entries identical to ones already stored are skipped when `skip_duplicates` (so importing
        the same file twice does not double it). Days merge into the day already recorded.
        `progress(n)` is called after each chunk of n entries has been written (not yet committed).
        """
        now = _now()
        eps = [validate.episode(e, user_id=user_id, id=None) for e in data.episodes]
        eps = [e if e.created_at else replace(e, created_at=now) for e in eps]
        day_rows = [validate.day(replace(d, user_id=user_id)) for d in data.days]
        meds = [validate.medicine_change(replace(m, user_id=user_id)) for m in data.medicine_changes]
        lab_rows = [validate.lab(replace(r, user_id=user_id)) for r in data.labs]
        duplicates = 0
        with self._tx(write=True) as conn:
            if conn.dialect.name == "postgresql":
                # Imports for one user run one at a time, so duplicate checks see each other's rows
                # (SQLite's BEGIN IMMEDIATE already serialises writers).
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _import_lock_key(user_id)})
            if skip_duplicates and eps:
                eps, dropped = self._drop_existing_episodes(conn, eps, user_id)
                duplicates += dropped
            if skip_duplicates and meds:
                existing_meds = Counter(
                    (m.name, m.change, m.at, m.dose) for m in self._medicines(conn, user_id)
                )
                meds, dropped = _drop_counted(meds, existing_meds, lambda m: (m.name, m.change, m.at, m.dose))
                duplicates += dropped
            if skip_duplicates and lab_rows:
                existing_labs = Counter(
                    (r.analyte, r.value, r.unit, r.taken_on) for r in self._labs(conn, user_id)
                )
                lab_rows, dropped = _drop_counted(
                    lab_rows, existing_labs, lambda r: (r.analyte, r.value, r.unit, r.taken_on)
                )
                duplicates += dropped
            for start in range(0, len(eps), chunk_size):
                chunk = eps[start : start + chunk_size]
                conn.execute(insert(episodes), [_episode_values(e) for e in chunk])
                if progress is not None:
                    progress(len(chunk))
            for d in day_rows:
                self._upsert_day(conn, d, now)
            if day_rows and progress is not None:
                progress(len(day_rows))
            for start in range(0, len(meds), chunk_size):
                chunk_m = meds[start : start + chunk_size]
                conn.execute(insert(medicine_changes), [_values(m) | {"created_at": now} for m in chunk_m])
                if progress is not None:
                    progress(len(chunk_m))
            for start in range(0, len(lab_rows), chunk_size):
                chunk_l = lab_rows[start : start + chunk_size]
                conn.execute(insert(labs), [_values(r) | {"created_at": now} for r in chunk_l])
                if progress is not None:
                    progress(len(chunk_l))
        return ImportSummary(
            episodes=len(eps),
            days=len(day_rows),
            medicine_changes=len(meds),
            labs=len(lab_rows),
            duplicates=duplicates,
        )

    def _drop_existing_episodes(
        self, conn: Connection, eps: list[Episode], user_id: str
    ) -> tuple[list[Episode], int]:
        low = min(e.started_at for e in eps)
        high = max(e.started_at for e in eps)
        rows = conn.execute(
            select(episodes).where(
                episodes.c.user_id == user_id,
                episodes.c.deleted_at.is_(None),
                episodes.c.started_at >= low,
                episodes.c.started_at <= high,
            )
        )
        existing = Counter(episode_key(_episode_from_row(r)) for r in rows)
        return _drop_counted(eps, existing, episode_key)

    def export_data(
        self, user_id: str = DEFAULT_USER, since: datetime | None = None, until: datetime | None = None
    ) -> DiaryData:
        """Everything for one person (episodes optionally limited to a time range)."""
        return DiaryData(
            episodes=self.list_episodes(user_id, since=since, until=until),
            days=self.list_days(user_id),
            medicine_changes=self.list_medicine_changes(user_id),
            labs=self.list_labs(user_id),
        )

    # -- days

    def add_day(self, d: DayContext, user_id: str | None = None) -> DayContext:
        """Record a day's context; fields given merge into what that day already has."""
        clean = validate.day(replace(d, user_id=user_id or d.user_id))
        with self._tx(write=True) as conn:
            self._upsert_day(conn, clean, _now())
            row = conn.execute(
                select(days).where(days.c.user_id == clean.user_id, days.c.day == clean.day)
            ).one()
        return _day_from_row(row)

    def _upsert_day(self, conn: Connection, d: DayContext, now: datetime) -> None:
        values = _values(d) | {"created_at": now}
        stmt: Any
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt = pg_insert(days).values(**values)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(days).values(**values)
        merged: dict[str, Any] = {
            name: func.coalesce(stmt.excluded[name], days.c[name])
            for name in (
                "activity_minutes",
                "exercise",
                "fluids_litres",
                "alcohol_units",
                "caffeine_drinks",
                "hot_weather",
                "long_standing",
            )
        }
        if d.notes:
            merged["notes"] = stmt.excluded["notes"]
        conn.execute(stmt.on_conflict_do_update(index_elements=["user_id", "day"], set_=merged))

    def list_days(
        self, user_id: str = DEFAULT_USER, since: date | None = None, until: date | None = None
    ) -> list[DayContext]:
        query = select(days).where(days.c.user_id == user_id)
        if since is not None:
            query = query.where(days.c.day >= since)
        if until is not None:
            query = query.where(days.c.day < until)
        with self._tx() as conn:
            return [_day_from_row(r) for r in conn.execute(query.order_by(days.c.day))]

    def delete_day(self, day: date, user_id: str = DEFAULT_USER) -> None:
        with self._tx(write=True) as conn:
            if conn.execute(delete(days).where(days.c.user_id == user_id, days.c.day == day)).rowcount == 0:
                raise NotFound(f"no day {day.isoformat()} in this diary")

    # -- medicines

    def add_medicine_change(self, m: MedicineChange, user_id: str | None = None) -> MedicineChange:
        clean = validate.medicine_change(replace(m, user_id=user_id or m.user_id))
        with self._tx(write=True) as conn:
            result = conn.execute(insert(medicine_changes).values(**_values(clean), created_at=_now()))
            new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        return replace(clean, id=None if new_id is None else int(new_id))

    def _medicines(self, conn: Connection, user_id: str) -> list[MedicineChange]:
        query = (
            select(medicine_changes)
            .where(medicine_changes.c.user_id == user_id)
            .order_by(medicine_changes.c.at, medicine_changes.c.id)
        )
        return [_medicine_from_row(r) for r in conn.execute(query)]

    def list_medicine_changes(self, user_id: str = DEFAULT_USER) -> list[MedicineChange]:
        with self._tx() as conn:
            return self._medicines(conn, user_id)

    def delete_medicine_change(self, change_id: int, user_id: str = DEFAULT_USER) -> None:
        with self._tx(write=True) as conn:
            stmt = delete(medicine_changes).where(
                medicine_changes.c.id == change_id, medicine_changes.c.user_id == user_id
            )
            if conn.execute(stmt).rowcount == 0:
                raise NotFound(f"no medicine change #{change_id} in this diary")

    # -- labs

    def add_lab(self, result: LabResult, user_id: str | None = None) -> LabResult:
        clean = validate.lab(replace(result, user_id=user_id or result.user_id))
        with self._tx(write=True) as conn:
            res = conn.execute(insert(labs).values(**_values(clean), created_at=_now()))
            new_id = res.inserted_primary_key[0] if res.inserted_primary_key else None
        return replace(clean, id=None if new_id is None else int(new_id))

    def _labs(self, conn: Connection, user_id: str, analyte: str | None = None) -> list[LabResult]:
        query = select(labs).where(labs.c.user_id == user_id)
        if analyte is not None:
            query = query.where(func.lower(labs.c.analyte) == analyte.lower())
        return [_lab_from_row(r) for r in conn.execute(query.order_by(labs.c.taken_on, labs.c.id))]

    def list_labs(self, user_id: str = DEFAULT_USER, analyte: str | None = None) -> list[LabResult]:
        with self._tx() as conn:
            return self._labs(conn, user_id, analyte)

    def delete_lab(self, lab_id: int, user_id: str = DEFAULT_USER) -> None:
        with self._tx(write=True) as conn:
            if conn.execute(delete(labs).where(labs.c.id == lab_id, labs.c.user_id == user_id)).rowcount == 0:
                raise NotFound(f"no lab result #{lab_id} in this diary")

    # -- users and API tokens (the API's multi-user mode)

    def create_user(self, name: str = "", user_id: str | None = None) -> str:
        """Create a user; returns its id (random unless given)."""
        new_id = user_id or f"u_{secrets.token_hex(8)}"
        validate._user(new_id)
        with self._tx(write=True) as conn:
            conn.execute(insert(users).values(id=new_id, name=name, created_at=_now()))
        return new_id

    def get_user(self, user_id: str) -> dict[str, Any] | None:
        with self._tx() as conn:
            row = conn.execute(select(users).where(users.c.id == user_id)).first()
        return None if row is None else dict(row._mapping)

    def add_token(self, user_id: str, token_hash: str, label: str = "") -> None:
        """Store the hash of an API token (never the token itself)."""
        with self._tx(write=True) as conn:
            if conn.execute(select(users.c.id).where(users.c.id == user_id)).first() is None:
                raise NotFound(f"no user {user_id!r}")
            conn.execute(
                insert(tokens).values(token_hash=token_hash, user_id=user_id, label=label, created_at=_now())
            )

    def user_for_token_hash(self, token_hash: str) -> str | None:
        with self._tx() as conn:
            value = conn.execute(select(tokens.c.user_id).where(tokens.c.token_hash == token_hash)).scalar()
        return None if value is None else str(value)

    def revoke_token(self, token_hash: str) -> bool:
        with self._tx(write=True) as conn:
            return bool(conn.execute(delete(tokens).where(tokens.c.token_hash == token_hash)).rowcount)

    def delete_user(self, user_id: str) -> None:
        """Remove a user, their tokens and every diary entry they made."""
        with self._tx(write=True) as conn:
            for table in (episodes, days, medicine_changes, labs, tokens):
                conn.execute(delete(table).where(table.c.user_id == user_id))
            conn.execute(delete(users).where(users.c.id == user_id))


def _import_lock_key(user_id: str) -> int:
    return (0x637261 << 32) | zlib.crc32(user_id.encode("utf-8"))


def _drop_counted(
    items: list[Any], existing: Counter[Any], key: Callable[[Any], Any]
) -> tuple[list[Any], int]:
    """Drop items matching an existing entry, one for one (a file's own repeats are kept)."""
    kept: list[Any] = []
    dropped = 0
    for item in items:
        k = key(item)
        if existing[k] > 0:
            existing[k] -= 1
            dropped += 1
        else:
            kept.append(item)
    return kept, dropped


def open_store(url: str | None = None, *, migrate: bool = True) -> DiaryStore:
    """Open (and on first use create and migrate) the diary database."""
    return DiaryStore(url, migrate=migrate)

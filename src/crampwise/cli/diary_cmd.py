"""`crampwise diary`: keep a cramp diary.

    crampwise diary add calf left 3/10 2am 2min
    crampwise diary list
    crampwise diary export diary.csv
    crampwise diary import old-diary.json --skip-bad

The database is an SQLite file in the user's data directory unless --db or CRAMPWISE_DB names
another (sqlite:///path or postgresql://user@host/db). Only click is imported here at module level;
the store (SQLAlchemy) is imported inside the commands.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

if TYPE_CHECKING:
    from crampwise.diary.models import DiaryData, Episode
    from crampwise.diary.store import DiaryStore

F = TypeVar("F", bound=Callable[..., Any])
PROGRESS_THRESHOLD = 2000  # entries; smaller imports finish before a bar would be readable


@dataclass
class Settings:
    db: str | None
    tz: str | None
    user: str


class DiaryGroup(click.Group):
    """Turns the diary's own errors into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from crampwise.diary.errors import DiaryError

        try:
            return super().invoke(ctx)
        except DiaryError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except OSError as exc:
            raise click.ClickException(
                _one_line(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
            ) from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def common(func: F) -> F:
    """--db and --tz, accepted after the subcommand as well as before it."""
    func = click.option(
        "--tz", "tz_name", default=None, help="Time zone (IANA name); default: this computer's."
    )(func)
    return click.option(
        "--db",
        default=None,
        help="Database URL or SQLite file (default: $CRAMPWISE_DB, else the diary in your data directory).",
    )(func)


def _settings(ctx: click.Context, db: str | None, tz_name: str | None) -> Settings:
    base: Settings = ctx.find_object(Settings) or Settings(None, None, "local")
    return Settings(db or base.db, tz_name or base.tz, base.user)


def _store(settings: Settings) -> DiaryStore:
    from crampwise.diary.store import open_store

    return open_store(settings.db)


def _zone(settings: Settings) -> tzinfo:
    from crampwise.diary.quick import local_zone

    return local_zone(settings.tz)


def _now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:g}s"
    if seconds < 3600:
        return f"{seconds / 60:.3g}m"
    return f"{seconds / 3600:.3g}h"


def _describe(ep: Episode, zone: tzinfo) -> str:
    when = ep.started_at.astimezone(zone).strftime("%a %d %b %Y %H:%M")
    parts = [ep.muscle + (f" ({ep.side})" if ep.side else "")]
    if ep.severity is not None:
        parts.append(f"severity {ep.severity}/10")
    if ep.duration_seconds is not None:
        parts.append(_duration_text(ep.duration_seconds))
    if ep.context:
        parts.append(ep.context.replace("_", " "))
    if ep.sleep_disturbance is not None:
        parts.append(f"sleep {ep.sleep_disturbance}/10")
    return f"#{ep.id} {when}: " + ", ".join(parts)


@click.group("diary", cls=DiaryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@common
@click.option("--user", default="local", hidden=True, help="Diary owner (multi-user databases).")
@click.pass_context
def command(ctx: click.Context, db: str | None, tz_name: str | None, user: str) -> None:
    """Keep a cramp diary: add, list, edit, delete, stats, report, export, import.

    \b
    Quick entry:  crampwise diary add calf left 3/10 2am 2min
                  crampwise diary add thigh both 7/10 yesterday 23:30 90s after exercise note "woke me"
    Database:     --db URL or CRAMPWISE_DB (sqlite:///file or postgresql://...)
    """
    ctx.obj = Settings(db, tz_name, user)


# ------------------------------------------------------------------------------------ add


CONTEXT_CHOICES = [
    "asleep",
    "resting",
    "during_exercise",
    "after_exercise",
    "standing",
    "sitting",
    "travelling",
]
MUSCLE_CHOICES = ["calf", "foot", "thigh", "hamstring", "shin", "toes", "hand", "other"]


def episode_options(func: F) -> F:
    options = [
        click.option("--note", default=None, help="Free-text note."),
        click.option("--helped", multiple=True, help="What helped (repeat for several)."),
        click.option(
            "--context", type=click.Choice(CONTEXT_CHOICES), default=None, help="What you were doing."
        ),
        click.option("--duration", default=None, help="How long: 90s, 2min, 1h."),
        click.option("--sleep", type=click.IntRange(0, 10), default=None, help="Sleep disturbance 0-10."),
        click.option("--severity", type=click.IntRange(0, 10), default=None, help="Severity 0-10."),
        click.option("--side", type=click.Choice(["left", "right", "both"]), default=None),
        click.option("--muscle", type=click.Choice(MUSCLE_CHOICES), default=None),
        click.option(
            "--at", "at_", default=None, help="When it started: 2026-11-21T02:00, '2am', 'yesterday 23:30'."
        ),
    ]
    for option in options:
        func = option(func)
    return func


def _option_changes(
    zone: tzinfo,
    at_: str | None,
    muscle: str | None,
    side: str | None,
    severity: int | None,
    sleep: int | None,
    duration: str | None,
    context: str | None,
    helped: tuple[str, ...],
    note: str | None,
) -> dict[str, Any]:
    from crampwise.diary.quick import parse_duration, parse_when

    changes: dict[str, Any] = {}
    if at_ is not None:
        changes["started_at"] = parse_when(at_, _now(), zone)
    if muscle is not None:
        changes["muscle"] = muscle
    if side is not None:
        changes["side"] = side
    if severity is not None:
        changes["severity"] = severity
    if sleep is not None:
        changes["sleep_disturbance"] = sleep
    if duration is not None:
        changes["duration_seconds"] = parse_duration(duration)
    if context is not None:
        changes["context"] = context
    if helped:
        changes["helped"] = [h.strip() for item in helped for h in item.split(",") if h.strip()]
    if note is not None:
        changes["notes"] = note
    return changes


@command.command("add")
@click.argument("words", nargs=-1)
@episode_options
@common
@click.pass_context
def add(
    ctx: click.Context,
    words: tuple[str, ...],
    at_: str | None,
    muscle: str | None,
    side: str | None,
    severity: int | None,
    sleep: int | None,
    duration: str | None,
    context: str | None,
    helped: tuple[str, ...],
    note: str | None,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Record a cramp: quick words and/or options.

    \b
    crampwise diary add calf left 3/10 2am 2min
    crampwise diary add foot right 5/10 now 30s standing helped stretching,walking
    crampwise diary add --muscle thigh --severity 6 --at "2026-11-20 23:30" --duration 90s
    """
    from dataclasses import replace

    from crampwise.diary.quick import parse_quick

    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    episode = parse_quick(list(words), _now(), zone)
    changes = _option_changes(zone, at_, muscle, side, severity, sleep, duration, context, helped, note)
    if "helped" in changes:
        changes["helped"] = episode.helped + changes["helped"]
    episode = replace(episode, **changes)
    with _store(settings) as store:
        saved = store.add_episode(episode, user_id=settings.user)
    click.echo(f"Added {_describe(saved, zone)}")


# ----------------------------------------------------------------------------------- list


def _since_until(
    since: str | None, until: str | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    from crampwise.diary.quick import parse_day

    now = _now()
    start = (
        None
        if since is None
        else datetime.combine(parse_day(since, now, zone), datetime.min.time(), tzinfo=zone)
    )
    end = None
    if until is not None:
        end = datetime.combine(
            parse_day(until, now, zone) + timedelta(days=1), datetime.min.time(), tzinfo=zone
        )
    return start, end


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in [header, *rows]
    ]
    return "\n".join(lines)


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@command.command("list")
@click.argument("kind", type=click.Choice(["episodes", "days", "medicines", "labs"]), default="episodes")
@click.option("--since", default=None, help="From this day: YYYY-MM-DD, yesterday, 7d, 4w.")
@click.option("--until", default=None, help="Up to and including this day.")
@click.option(
    "--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True, help="Most recent N."
)
@click.option("--all", "show_all", is_flag=True, help="Everything (no limit).")
@click.option("--deleted", is_flag=True, help="Include deleted episodes (marked with *).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table.")
@common
@click.pass_context
def list_(
    ctx: click.Context,
    kind: str,
    since: str | None,
    until: str | None,
    limit: int,
    show_all: bool,
    deleted: bool,
    as_json: bool,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Show recent episodes (or days, medicines, labs) as a compact table."""
    from crampwise.diary import exchange

    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    start, end = _since_until(since, until, zone)
    with _store(settings) as store:
        if kind == "days":
            items: list[dict[str, Any]] = [
                {"id": d.id} | exchange.day_to_dict(d)
                for d in store.list_days(
                    settings.user, start.date() if start else None, end.date() if end else None
                )
            ]
        elif kind == "medicines":
            items = [
                {"id": m.id} | exchange.medicine_to_dict(m)
                for m in store.list_medicine_changes(settings.user)
            ]
        elif kind == "labs":
            items = [{"id": r.id} | exchange.lab_to_dict(r) for r in store.list_labs(settings.user)]
        else:
            episodes = store.list_episodes(
                settings.user,
                since=start,
                until=end,
                limit=None if show_all else limit,
                newest_first=True,
                include_deleted=deleted,
            )
            episodes.reverse()
            if as_json:
                click.echo(
                    json.dumps([exchange.episode_to_dict(e) for e in episodes], ensure_ascii=False, indent=1)
                )
                return
            if not episodes:
                click.echo("No episodes yet. Add one: crampwise diary add calf left 3/10 2am 2min")
                return
            deleted_ids = set()
            if deleted:
                live = {e.id for e in store.list_episodes(settings.user, since=start, until=end)}
                deleted_ids = {e.id for e in episodes} - live
            rows = [
                [
                    f"{e.id}{'*' if e.id in deleted_ids else ''}",
                    e.started_at.astimezone(zone).strftime("%Y-%m-%d %a %H:%M"),
                    e.muscle,
                    e.side or "-",
                    "-" if e.severity is None else str(e.severity),
                    "-" if e.sleep_disturbance is None else str(e.sleep_disturbance),
                    _duration_text(e.duration_seconds),
                    (e.context or "-").replace("_", " "),
                    _short("; ".join([*e.helped, *([e.notes] if e.notes else [])])),
                ]
                for e in episodes
            ]
            click.echo(
                _table(
                    rows,
                    [
                        "#",
                        f"when ({zone})",
                        "muscle",
                        "side",
                        "sev",
                        "sleep",
                        "dur",
                        "context",
                        "helped / notes",
                    ],
                )
            )
            return
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=1))
        return
    if not items:
        click.echo(f"No {kind} recorded.")
        return
    header = list(items[0])
    click.echo(_table([["-" if v is None else str(v) for v in item.values()] for item in items], header))


# ----------------------------------------------------------------------------------- edit


@command.command("edit")
@click.argument("episode_id", type=int)
@episode_options
@common
@click.pass_context
def edit(
    ctx: click.Context,
    episode_id: int,
    at_: str | None,
    muscle: str | None,
    side: str | None,
    severity: int | None,
    sleep: int | None,
    duration: str | None,
    context: str | None,
    helped: tuple[str, ...],
    note: str | None,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Change an episode: crampwise diary edit 12 --severity 5 --note "after a long walk"."""
    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    changes = _option_changes(zone, at_, muscle, side, severity, sleep, duration, context, helped, note)
    if not changes:
        raise click.UsageError("nothing to change; give an option such as --severity 5 or --note TEXT")
    with _store(settings) as store:
        updated = store.update_episode(episode_id, changes, settings.user)
    click.echo(f"Updated {_describe(updated, zone)}")


# --------------------------------------------------------------------------------- delete


@command.command("delete")
@click.argument("episode_ids", type=int, nargs=-1, required=True)
@click.option("--undo", is_flag=True, help="Restore deleted episodes.")
@click.option("--purge", is_flag=True, help="Remove for good (cannot be undone).")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before purging.")
@common
@click.pass_context
def delete(
    ctx: click.Context,
    episode_ids: tuple[int, ...],
    undo: bool,
    purge: bool,
    yes: bool,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Delete episodes (recoverable with --undo unless --purge)."""
    if undo and purge:
        raise click.UsageError("--undo and --purge cannot be combined")
    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    if purge and not yes:
        click.confirm(f"Permanently remove {len(episode_ids)} episode(s)?", abort=True, err=True)
    with _store(settings) as store:
        for episode_id in episode_ids:
            if undo:
                ep = store.restore_episode(episode_id, settings.user)
                click.echo(f"Restored {_describe(ep, zone)}")
            else:
                ep = store.delete_episode(episode_id, settings.user, purge=purge)
                tail = " for good" if purge else f" (undo: crampwise diary delete --undo {episode_id})"
                click.echo(f"Deleted {_describe(ep, zone)}{tail}")


# ------------------------------------------------------------------------ days, meds, labs


@command.command("day")
@click.argument("day", default="today")
@click.option("--activity", type=click.FloatRange(0, 1440), default=None, help="Active minutes.")
@click.option("--exercise/--no-exercise", default=None)
@click.option("--fluids", type=click.FloatRange(0, 30), default=None, help="Litres drunk.")
@click.option("--alcohol", type=click.FloatRange(0, 200), default=None, help="Units of alcohol.")
@click.option("--caffeine", type=click.FloatRange(0, 100), default=None, help="Caffeinated drinks.")
@click.option("--hot/--not-hot", default=None, help="Hot weather.")
@click.option("--standing/--no-standing", default=None, help="Long hours standing.")
@click.option("--note", default="", help="Free-text note.")
@common
@click.pass_context
def day_(
    ctx: click.Context,
    day: str,
    activity: float | None,
    exercise: bool | None,
    fluids: float | None,
    alcohol: float | None,
    caffeine: float | None,
    hot: bool | None,
    standing: bool | None,
    note: str,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Record a day's context (merged with what the day already has)."""
    from crampwise.diary.models import DayContext
    from crampwise.diary.quick import parse_day

    settings = _settings(ctx, db, tz_name)
    which = parse_day(day, _now(), _zone(settings))
    record = DayContext(
        day=which,
        activity_minutes=activity,
        exercise=exercise,
        fluids_litres=fluids,
        alcohol_units=alcohol,
        caffeine_drinks=caffeine,
        hot_weather=hot,
        long_standing=standing,
        notes=note,
    )
    with _store(settings) as store:
        saved = store.add_day(record, user_id=settings.user)
    click.echo(f"Recorded {saved.day.isoformat()}.")


@command.command("med")
@click.argument("name")
@click.argument("change", type=click.Choice(["started", "stopped", "increased", "decreased"]))
@click.argument("when", default="today")
@click.option("--dose", default=None, help="Dose, as on the label (e.g. '40 mg daily').")
@common
@click.pass_context
def med(
    ctx: click.Context,
    name: str,
    change: str,
    when: str,
    dose: str | None,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Record a medicine change: crampwise diary med furosemide started 2026-10-01 --dose '40 mg'."""
    from crampwise.diary.models import MedicineChange
    from crampwise.diary.quick import parse_day

    settings = _settings(ctx, db, tz_name)
    at = parse_day(when, _now(), _zone(settings))
    with _store(settings) as store:
        saved = store.add_medicine_change(
            MedicineChange(name=name, change=change, at=at, dose=dose),  # type: ignore[arg-type]
            user_id=settings.user,
        )
    click.echo(f"Recorded #{saved.id}: {saved.name} {saved.change} {saved.at.isoformat()}.")


@command.command("lab")
@click.argument("analyte")
@click.argument("value", type=float)
@click.argument("unit", default="")
@click.argument("when", default="today")
@common
@click.pass_context
def lab(
    ctx: click.Context, analyte: str, value: float, unit: str, when: str, db: str | None, tz_name: str | None
) -> None:
    """Record a lab result: crampwise diary lab potassium 3.4 mmol/L 2026-11-01."""
    from crampwise.diary.models import LabResult
    from crampwise.diary.quick import parse_day

    settings = _settings(ctx, db, tz_name)
    taken = parse_day(when, _now(), _zone(settings))
    with _store(settings) as store:
        saved = store.add_lab(
            LabResult(analyte=analyte, value=value, unit=unit, taken_on=taken), user_id=settings.user
        )
    click.echo(
        f"Recorded #{saved.id}: {saved.analyte} {saved.value:g} {saved.unit} on {saved.taken_on.isoformat()}."
    )


# ------------------------------------------------------------------------- export, import


def _atomic_write(path: str, write: Callable[[Any], int]) -> int:
    """Write to a temporary file next to `path`, then rename: never a half-written export."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".crampwise-export-", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return count


def _atomic_write_bytes(path: str, content: bytes) -> None:
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(prefix=".crampwise-report-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


@command.command("export")
@click.argument("path", default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "fhir"]),
    default=None,
    help="Default: from the file name (.csv, .json, .fhir.json); json on stdout.",
)
@click.option("--since", default=None, help="Episodes from this day.")
@click.option("--until", default=None, help="Episodes up to and including this day.")
@common
@click.pass_context
def export(
    ctx: click.Context,
    path: str,
    fmt: str | None,
    since: str | None,
    until: str | None,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Export the diary as CSV (episodes), JSON (everything) or a FHIR R4 Bundle."""
    from crampwise.diary import exchange

    settings = _settings(ctx, db, tz_name)
    kind = fmt or ("json" if path == "-" else exchange.detect_format(path))
    start, end = _since_until(since, until, _zone(settings))
    with _store(settings) as store:
        data = store.export_data(settings.user, since=start, until=end)
    if path == "-":
        count = exchange.dump(data, kind, sys.stdout)
        return
    count = _atomic_write(path, lambda out: exchange.dump(data, kind, out))
    click.echo(f"Exported {count} entries to {path} ({kind}).", err=True)


def _summary(data: DiaryData) -> str:
    return _summary_counts(len(data.episodes), len(data.days), len(data.medicine_changes), len(data.labs))


def _summary_counts(episodes: int, days: int, medicine_changes: int, labs: int) -> str:
    parts = [
        (episodes, "episode"),
        (days, "day"),
        (medicine_changes, "medicine change"),
        (labs, "lab result"),
    ]
    shown = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts if n]
    return ", ".join(shown) or "nothing"


@command.command("import")
@click.argument("path")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "fhir"]),
    default=None,
    help="Default: from the file name.",
)
@click.option("--skip-bad", is_flag=True, help="Import the good rows of a file that has bad ones.")
@click.option("--check", is_flag=True, help="Only check the file; import nothing.")
@click.option("--allow-duplicates", is_flag=True, help="Import entries even if identical ones exist.")
@common
@click.pass_context
def import_(
    ctx: click.Context,
    path: str,
    fmt: str | None,
    skip_bad: bool,
    check: bool,
    allow_duplicates: bool,
    db: str | None,
    tz_name: str | None,
) -> None:
    """Import a CSV, JSON or FHIR file: all of it, or nothing if any row is bad.

    Times without a time zone are read in --tz (default: this computer's zone). Entries already
    in the diary are skipped, so importing the same file twice does not double it.
    """
    from crampwise.diary import exchange
    from crampwise.diary.errors import ImportFileError

    settings = _settings(ctx, db, tz_name)
    parsed = exchange.load(path, fmt, _zone(settings))
    if parsed.problems and not (skip_bad or check):
        raise ImportFileError(path, parsed.problems)
    verb = "bad" if check else "skipped"
    for problem in parsed.problems[:20]:
        click.echo(f"{verb} {path}: {problem}", err=True)
    if len(parsed.problems) > 20:
        click.echo(f"{verb}: {len(parsed.problems) - 20} more bad rows", err=True)
    if check:
        click.echo(f"{path}: {_summary(parsed.data)} to import; {len(parsed.problems)} bad rows.")
        if parsed.problems:
            ctx.exit(1)
        return
    total = parsed.data.count()
    with _store(settings) as store:
        if total >= PROGRESS_THRESHOLD and sys.stderr.isatty():
            with click.progressbar(length=total, label="Importing", file=sys.stderr) as bar:
                result = store.import_data(
                    parsed.data, settings.user, progress=bar.update, skip_duplicates=not allow_duplicates
                )
        else:
            result = store.import_data(parsed.data, settings.user, skip_duplicates=not allow_duplicates)
    counts = (result.episodes, result.days, result.medicine_changes, result.labs)
    message = f"Imported {_summary_counts(*counts)} from {path}"
    if result.duplicates:
        message += f"; {result.duplicates} already in the diary, skipped"
    if parsed.problems:
        message += f"; {len(parsed.problems)} bad rows skipped"
    click.echo(message + ".")


# -------------------------------------------------------------------------- stats, report


@command.command("stats")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text.")
@click.option("--since", default=None, help="Episodes from this day.")
@common
@click.pass_context
def stats(ctx: click.Context, as_json: bool, since: str | None, db: str | None, tz_name: str | None) -> None:
    """Patterns in the diary: how often, when, how bad, and what goes with them."""
    from crampwise.diary.stats import summarise

    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    start, _ = _since_until(since, None, zone)
    with _store(settings) as store:
        data = store.export_data(settings.user, since=start)
    result = summarise(
        data.episodes,
        data.days,
        data.medicine_changes,
        now=_now(),
        tz=zone,
        start=None if start is None else start.date(),
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(result.to_text())


@command.command("report")
@click.argument("path")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    default=None,
    help="Default: from the file name (.html or .pdf).",
)
@click.option("--since", default=None, help="Episodes from this day.")
@common
@click.pass_context
def report(
    ctx: click.Context, path: str, fmt: str | None, since: str | None, db: str | None, tz_name: str | None
) -> None:
    """A report to take to your clinician (HTML, or PDF with crampwise[pdf])."""
    from crampwise.report.clinician import render_report

    kind: Literal["html", "pdf"] = "pdf" if (fmt or path.lower().rsplit(".", 1)[-1]) == "pdf" else "html"
    settings = _settings(ctx, db, tz_name)
    zone = _zone(settings)
    start, _ = _since_until(since, None, zone)
    now = _now()
    with _store(settings) as store:
        data = store.export_data(settings.user, since=start)
    period = None if start is None else (start.date(), now.astimezone(zone).date())
    from crampwise.diary.stats import evidence_for_assessment, summarise
    from crampwise.pipeline import assess_diary

    stats = summarise(data.episodes, data.days, data.medicine_changes, now=now, tz=zone)
    assessment = assess_diary(data, evidence_for_assessment(stats), today=now.astimezone(zone).date())
    content = render_report(
        data.episodes,
        data.days,
        data.medicine_changes,
        data.labs,
        assessment=assessment.to_dict(),
        questions=[],
        fmt=kind,
        period=period,
        now=now,
        tz=zone,
    )
    _atomic_write_bytes(path, content)
    click.echo(f"Wrote {path} ({kind}).", err=True)

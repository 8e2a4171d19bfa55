"""Quick entry: `crampwise diary add calf left 3/10 2am 2min`.

Words may come in any order:

- muscle: calf, foot, thigh, hamstring, shin, toes, hand, other (and calves, feet, sole, arch,
  quad, quads, toe, hands...)
- side: left, right, both (l, r, bilateral)
- severity: `3/10` (or `sev 3`); sleep disturbance: `sleep 4/10`
- when: `now` (the default), `2am`, `2:30am`, `23:30`, `yesterday`, `today`, `last night`,
  `2026-11-20`, `2026-11-20T23:30`; a time with no date is the most recent such time
- duration: `2min`, `90s`, `1.5m`, `1h`, or `2 min`
- context: asleep, resting, sitting, standing, travelling, `during exercise`, `after exercise`
- `helped stretching,walking` (one word, commas between things)
- `note woke me` or `note 'woke me'` (the rest of the words are the note)

Unknown words are an error naming the word, never silently ignored.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from crampwise.diary.errors import InvalidEntry
from crampwise.diary.models import Episode


class QuickParseError(InvalidEntry):
    """A quick entry that could not be understood."""


MUSCLE_WORDS = {
    "calf": "calf",
    "calves": "calf",
    "calfs": "calf",
    "foot": "foot",
    "feet": "foot",
    "sole": "foot",
    "soles": "foot",
    "arch": "foot",
    "thigh": "thigh",
    "thighs": "thigh",
    "quad": "thigh",
    "quads": "thigh",
    "quadriceps": "thigh",
    "hamstring": "hamstring",
    "hamstrings": "hamstring",
    "shin": "shin",
    "shins": "shin",
    "toe": "toes",
    "toes": "toes",
    "hand": "hand",
    "hands": "hand",
    "finger": "hand",
    "fingers": "hand",
    "other": "other",
}
SIDE_WORDS = {
    "left": "left",
    "l": "left",
    "right": "right",
    "r": "right",
    "both": "both",
    "bilateral": "both",
}
CONTEXT_WORDS = {
    "asleep": "asleep",
    "sleeping": "asleep",
    "bed": "asleep",
    "night": "asleep",
    "resting": "resting",
    "rest": "resting",
    "sitting": "sitting",
    "seated": "sitting",
    "standing": "standing",
    "travelling": "travelling",
    "traveling": "travelling",
    "travel": "travelling",
    "flight": "travelling",
    "driving": "travelling",
    "exercise": "during_exercise",
    "exercising": "during_exercise",
    "during_exercise": "during_exercise",
    "after_exercise": "after_exercise",
    "post_exercise": "after_exercise",
}
DURATION_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hrs": 3600,
    "hour": 3600,
    "hours": 3600,
}
FILLER = {"in", "my", "the", "at", "a", "for", "of", "cramp", "cramps", "leg", "legs", "muscle", "on", "and"}

_SCORE = re.compile(r"^(\d{1,2})(?:/10)?$")
_SCORE_SLASH = re.compile(r"^(\d{1,2})/10$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([a-z]+)$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_CLOCK_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$")
_CLOCK_24 = re.compile(r"^(\d{1,2})[:h](\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

EXAMPLE = "crampwise diary add calf left 3/10 2am 2min"


def _fail(message: str) -> QuickParseError:
    return QuickParseError(f"{message} (example: {EXAMPLE})")


def _score(word: str, what: str) -> int:
    match = _SCORE.match(word)
    if not match:
        raise _fail(f"{what} should be a number from 0 to 10 like 3/10, not {word!r}")
    value = int(match.group(1))
    if value > 10:
        raise _fail(f"{what} must be from 0 to 10, not {value}")
    return value


def _clock(word: str) -> time | None:
    match = _CLOCK_12.match(word)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _fail(f"{word!r} is not a time of day")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
        return time(hour, minute)
    match = _CLOCK_24.match(word)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise _fail(f"{word!r} is not a time of day")
        return time(hour, minute)
    if word == "midnight":
        return time(0, 0)
    if word == "noon":
        return time(12, 0)
    return None


def parse_quick(args: list[str] | tuple[str, ...], now: datetime, tz: tzinfo) -> Episode:
    """Build an Episode from quick-entry words; `now` is the current time, `tz` the person's zone."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local_now = now.astimezone(tz)
    words: list[str] = []
    note_parts: list[str] = []
    raw = list(args)
    i = 0
    # "note" takes the rest of the arguments verbatim; everything before it is split into words.
    while i < len(raw):
        arg = raw[i]
        if arg.strip().lower() in ("note", "notes", "note:", "notes:"):
            note_parts = raw[i + 1 :]
            break
        words.extend(arg.split())
        i += 1

    muscle: str | None = None
    side: str | None = None
    severity: int | None = None
    sleep: int | None = None
    duration: float | None = None
    context: str | None = None
    helped: list[str] = []
    day: date | None = None
    clock: time | None = None
    explicit: datetime | None = None

    tokens = [w.strip().strip(",;").lower() for w in words]
    originals = [w.strip().strip(",;") for w in words]
    tokens_iter = 0
    while tokens_iter < len(tokens):
        word = tokens[tokens_iter]
        nxt = tokens[tokens_iter + 1] if tokens_iter + 1 < len(tokens) else None
        step = 1
        if not word or word in FILLER:
            pass
        elif word in MUSCLE_WORDS:
            if muscle is not None and muscle != MUSCLE_WORDS[word]:
                raise _fail(f"two muscles given ({muscle} and {word}); add one entry per muscle")
            muscle = MUSCLE_WORDS[word]
        elif word in SIDE_WORDS:
            side = SIDE_WORDS[word]
        elif _SCORE_SLASH.match(word):
            severity = _score(word, "severity")
        elif word in ("sev", "severity", "pain"):
            if nxt is None:
                raise _fail(f"{word!r} needs a number after it")
            severity, step = _score(nxt, "severity"), 2
        elif word in ("sleep", "woke", "wake"):
            if nxt is not None and _SCORE.match(nxt):
                sleep, step = _score(nxt, "sleep disturbance"), 2
            else:
                raise _fail(f"{word!r} needs a score after it, like sleep 4/10")
        elif word in ("during", "after", "post") and nxt in (
            "exercise",
            "exercising",
            "sport",
            "running",
            "run",
            "workout",
            "training",
        ):
            context, step = ("during_exercise" if word == "during" else "after_exercise"), 2
        elif word in CONTEXT_WORDS or word.replace("-", "_") in CONTEXT_WORDS:
            context = CONTEXT_WORDS.get(word) or CONTEXT_WORDS[word.replace("-", "_")]
        elif word in ("helped", "help", "relief"):
            if nxt is None:
                raise _fail("'helped' needs what helped after it, like helped stretching,walking")
            original = originals[tokens_iter + 1]
            helped.extend(part.strip() for part in original.split(",") if part.strip())
            step = 2
        elif word == "now":
            explicit = local_now
        elif word == "today":
            day = local_now.date()
        elif word == "yesterday":
            day = local_now.date() - timedelta(days=1)
        elif word == "last" and nxt == "night":
            day = local_now.date() - timedelta(days=1) if local_now.hour >= 12 else local_now.date()
            if clock is None:
                clock = time(3, 0)
            context = context or "asleep"
            step = 2
        elif word == "tonight":
            day = local_now.date()
        elif _ISO_DATE.match(word):
            try:
                day = date.fromisoformat(word)
            except ValueError as exc:
                raise _fail(f"{word!r} is not a date") from exc
        elif "t" in word and _ISO_DATE.match(word.split("t", 1)[0]):
            try:
                parsed = datetime.fromisoformat(originals[tokens_iter])
            except ValueError as exc:
                raise _fail(f"{originals[tokens_iter]!r} is not a date and time") from exc
            explicit = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        elif (found := _clock(word)) is not None:
            clock = found
        elif (match := _DURATION.match(word)) and match.group(2) in DURATION_UNITS:
            duration = float(match.group(1)) * DURATION_UNITS[match.group(2)]
        elif _NUMBER.match(word) and nxt in DURATION_UNITS:
            duration, step = float(word) * DURATION_UNITS[nxt], 2
        elif _NUMBER.match(word) and nxt in ("am", "pm"):
            found = _clock(word + nxt)
            clock, step = found, 2
        else:
            raise _fail(f"don't understand {originals[tokens_iter]!r}")
        tokens_iter += step

    if explicit is not None and (day is not None or clock is not None):
        raise _fail("give either a full date and time or a day and a clock time, not both")
    if explicit is not None:
        started = explicit
    elif day is None and clock is None:
        started = local_now
    elif day is None:
        assert clock is not None
        started = datetime.combine(local_now.date(), clock, tzinfo=tz)
        if started > local_now:
            started = datetime.combine(local_now.date() - timedelta(days=1), clock, tzinfo=tz)
    else:
        if clock is None:
            clock = local_now.time().replace(tzinfo=None) if day == local_now.date() else time(12, 0)
        started = datetime.combine(day, clock, tzinfo=tz)
    if started > local_now + timedelta(minutes=5):
        raise _fail(f"{started.isoformat(timespec='minutes')} is in the future")
    notes = " ".join(note_parts).strip()
    return Episode(
        started_at=started,
        muscle=muscle or "calf",
        side=side,  # type: ignore[arg-type]
        duration_seconds=duration,
        severity=severity,
        sleep_disturbance=sleep,
        context=context,  # type: ignore[arg-type]
        helped=helped,
        notes=notes,
    )


def local_zone(name: str | None = None) -> tzinfo:
    """The zone called `name`, else this computer's zone (an IANA zone when it can be found)."""
    import os
    from pathlib import Path
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        if name.upper() in ("UTC", "Z"):
            return ZoneInfo("UTC")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidEntry(f"unknown time zone {name!r}; use a name like Europe/London or UTC") from exc
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        try:
            return ZoneInfo(env)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def parse_duration(text: str) -> float:
    """'2min', '90s', '1.5m', '1h' or a plain number of seconds."""
    word = text.strip().lower().replace(" ", "")
    match = _DURATION.match(word)
    if match and match.group(2) in DURATION_UNITS:
        return float(match.group(1)) * DURATION_UNITS[match.group(2)]
    if _NUMBER.match(word):
        return float(word)
    raise QuickParseError(f"{text!r} is not a duration; try 90s, 2min or 1h")


def parse_when(text: str, now: datetime, tz: tzinfo) -> datetime:
    """A start time from `--at`: ISO 8601, or quick words like 'yesterday 23:30' or '2am'."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return parse_quick(text.split(), now, tz).started_at
    return value if value.tzinfo else value.replace(tzinfo=tz)


def parse_day(text: str, now: datetime, tz: tzinfo) -> date:
    """'today', 'yesterday', 'YYYY-MM-DD', or 'N days ago' style '3d'."""
    word = text.strip().lower()
    today = now.astimezone(tz).date()
    if word in ("", "today"):
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    match = re.match(r"^(\d+)\s*(d|days?|w|weeks?)(?:\s*ago)?$", word)
    if match:
        amount = int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)
        return today - timedelta(days=amount)
    try:
        return date.fromisoformat(word)
    except ValueError as exc:
        raise InvalidEntry(f"{text!r} is not a date; use YYYY-MM-DD, today, yesterday or 7d") from exc

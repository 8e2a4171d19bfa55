"""Honest statistics over a cramp diary.

Pure and standard-library only: no I/O, no clock unless ``now`` is left out. Everything a pattern
claim rests on travels with it: the counts, the days observed, a 95% interval, whether there was
enough data to say anything (``enough_data``) and, when the question is still open, roughly how many
more days of entries would settle it.

Conventions (also in docs/diary-report.md):

* Days inside the period without an entry count as days without cramps.
* Rates are cramps per week; intervals for one rate are exact Poisson (Garwood).
* Rate ratios use the exact conditional (Clopper-Pearson) interval when fewer than
  ``EXACT_RATIO_LIMIT`` cramps are compared, otherwise the log-normal approximation.
* Proportions (the share of cramps at night) use the Wilson score interval.
* A difference is only called a pattern when ``enough_data`` holds, the interval excludes
  "no difference" and the estimate is at least a 20% change (``MIN_EFFECT_RATIO``); smaller
  differences that are statistically clear (large diaries) are reported as "small_difference".
  Cramps cluster, so the trend's interval is widened by the observed over-dispersion
  (quasi-Poisson); before/after ratios are not, which the report states.
* Times are shown and grouped in the person's time zone. For exposures of the day (exercise,
  alcohol, heat, long standing), a cramp before 06:00 belongs to the previous day's diary entry.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Literal

from crampwise.diary.models import DayContext, Episode, MedicineChange

Z95 = 1.959963984540054
ALPHA = 0.05

MIN_EPISODES_PATTERN = 10  # fewer cramps than this: no timing or trend claim
MIN_DAYS_PER_SIDE = 14  # before/after a medicine change
MIN_DAYS_PER_GROUP = 7  # exposed and unexposed days for an association
MIN_EVENTS_COMPARISON = 10  # cramps in both sides together
MIN_WEEKS_TREND = 4
MIN_SEVERITY_RATINGS = 8
MIN_SEVERITY_SPAN_DAYS = 14
MEDICINE_WINDOW_DAYS = 180  # longest window on each side of a medicine change
MIN_EFFECT_RATIO = 1.2  # a "pattern" is at least 20% more (or 1/1.2 as many) cramps
EXACT_RATIO_LIMIT = 200  # below this many cramps, the ratio's interval is exact
SETTLE_HORIZON_DAYS = 730  # beyond this, "more days would settle it" is not a useful promise
NIGHT_START_HOUR = 22  # night is 22:00-06:59 local time
NIGHT_END_HOUR = 7
DIARY_DAY_STARTS_AT = 6  # cramps before 06:00 count towards the previous day's exposures
FREQUENT_PER_WEEK = 5.0  # KB finding "frequent": about five or more a week
SEVERE_MEAN = 7.0  # mean severity (0-10) counted as very painful
LONG_CRAMP_SECONDS = 600  # a cramp lasting > 10 minutes is a red flag [NHS-LC]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Verdict = Literal["higher", "lower", "small_difference", "no_clear_difference", "not_enough_data"]


# --------------------------------------------------------------------------- special functions


def _gamma_p(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x) (series / continued fraction)."""
    if x <= 0.0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(100_000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_front))
    # Continued fraction for Q(a, x), modified Lentz.
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def _beta_cf(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = tiny if abs(d) < tiny else d
    d = 1.0 / d
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + aa / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _beta_i(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def _bisect(f: Any, target: float, lo: float, hi: float, iterations: int = 200) -> float:
    """Solve f(x) = target for an increasing f on [lo, hi]."""
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-12 * max(1.0, abs(mid)):
            break
    return (lo + hi) / 2.0


def _gamma_quantile(q: float, a: float) -> float:
    hi = a + 20.0 * math.sqrt(a) + 20.0
    return _bisect(lambda x: _gamma_p(a, x), q, 0.0, hi)


def _beta_quantile(q: float, a: float, b: float) -> float:
    return _bisect(lambda x: _beta_i(a, b, x), q, 0.0, 1.0)


def _t_quantile(q: float, df: int) -> float:
    """Quantile of Student's t (q > 0.5) by bisection on its CDF."""

    def cdf(t: float) -> float:
        return 1.0 - 0.5 * _beta_i(df / 2.0, 0.5, df / (df + t * t))

    return _bisect(cdf, q, 0.0, 1000.0)


# --------------------------------------------------------------------------- intervals


def poisson_ci(count: int, alpha: float = ALPHA) -> tuple[float, float]:
    """Exact (Garwood) interval for the mean of a Poisson count."""
    lower = 0.0 if count == 0 else _gamma_quantile(alpha / 2.0, float(count))
    upper = _gamma_quantile(1.0 - alpha / 2.0, float(count + 1))
    return lower, upper


def wilson_ci(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if successes == 0 else max(0.0, min(p, centre - half))
    high = 1.0 if successes == n else min(1.0, max(p, centre + half))
    return low, high


def rate_ratio_ci(
    count: int, days: float, ref_count: int, ref_days: float, alpha: float = ALPHA
) -> tuple[float | None, float, float | None, str]:
    """Ratio of two Poisson rates (count/days over ref_count/ref_days) with a 95% interval.

    Returns (ratio, low, high, method). ``ratio`` is None when both counts are 0; ``high`` is None
    when the interval has no upper bound (no cramps on the reference side).
    """
    if days <= 0 or ref_days <= 0:
        raise ValueError("both sides need a positive number of days")
    n = count + ref_count
    if n == 0:
        return None, 0.0, None, "none"
    scale = ref_days / days
    ratio = None if ref_count == 0 else (count / days) / (ref_count / ref_days)
    if n < EXACT_RATIO_LIMIT or count == 0 or ref_count == 0:
        # Conditional on n, count ~ Binomial(n, p) with p/(1-p) = ratio * days/ref_days.
        p_lo = 0.0 if count == 0 else _beta_quantile(alpha / 2.0, count, ref_count + 1)
        p_hi = 1.0 if count == n else _beta_quantile(1.0 - alpha / 2.0, count + 1, ref_count)
        low = p_lo / (1.0 - p_lo) * scale
        high = None if p_hi >= 1.0 else p_hi / (1.0 - p_hi) * scale
        if ratio is not None:
            low = min(low, ratio)
            high = None if high is None else max(high, ratio)
        return ratio, low, high, "exact conditional (Clopper-Pearson)"
    assert ratio is not None
    se = math.sqrt(1.0 / count + 1.0 / ref_count)
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se), "log-normal approximation"


# --------------------------------------------------------------------------- result types


@dataclass(frozen=True)
class Rate:
    count: int
    days: int
    per_week: float | None
    ci: tuple[float, float] | None  # per week


@dataclass(frozen=True)
class WeekCount:
    start: date  # Monday
    count: int
    days: int  # days of this week inside the period (partial first/last weeks)
    mean_severity: float | None
    severity_n: int


@dataclass(frozen=True)
class Trend:
    enough_data: bool
    direction: Literal["rising", "falling", "no_clear_change", "not_enough_data"]
    ratio_per_4_weeks: float | None
    ci: tuple[float, float] | None
    weeks: int
    dispersion: float | None  # Pearson chi2/df; > 1 means cramps cluster more than chance
    days_to_settle: int | None
    text: str


@dataclass(frozen=True)
class Share:
    count: int
    n: int
    share: float | None
    ci: tuple[float, float]
    enough_data: bool
    days_to_settle: int | None
    text: str


@dataclass(frozen=True)
class Comparison:
    """Cramps on one side (after a change / exposed days) against the reference side."""

    count: int
    days: int
    ref_count: int
    ref_days: int
    per_week: float | None
    ref_per_week: float | None
    ratio: float | None
    ci: tuple[float, float | None] | None  # high None: no upper bound
    method: str
    enough_data: bool
    verdict: Verdict
    days_to_settle: int | None
    settle_note: str


@dataclass(frozen=True)
class Association:
    factor: str  # exercise, alcohol, hot_weather, long_standing, caffeine
    label: str
    comparison: Comparison
    text: str


@dataclass(frozen=True)
class MedicineEffect:
    name: str
    change: str
    at: date
    dose: str | None
    before: tuple[date, date]  # inclusive local dates
    after: tuple[date, date]
    comparison: Comparison
    other_changes: tuple[str, ...]  # other medicine changes inside the windows (confounders)
    text: str


@dataclass(frozen=True)
class SeverityTrend:
    n: int
    mean: float | None
    enough_data: bool
    direction: Literal["rising", "falling", "no_clear_change", "not_enough_data"]
    change_per_4_weeks: float | None
    ci: tuple[float, float] | None
    text: str


@dataclass(frozen=True)
class Stats:
    start: date
    end: date
    days: int
    tz: str
    episodes: int
    rate: Rate
    weekly: tuple[WeekCount, ...]
    trend: Trend
    hours: tuple[int, ...]  # 24 counts, local time
    heatmap: tuple[tuple[int, ...], ...]  # 7 weekdays (Mon first) x 24 hours
    night: Share
    associations: tuple[Association, ...]
    medicines: tuple[MedicineEffect, ...]
    medicine_changes: tuple[MedicineChange, ...]  # inside the period, for chart markers
    severity: SeverityTrend
    long_cramps: int  # episodes lasting more than 10 minutes
    long_cramp_dates: tuple[date, ...]
    median_duration_seconds: float | None
    mean_sleep_disturbance: float | None
    sleep_disturbance_n: int
    muscles: dict[str, int] = field(default_factory=dict)
    sides: dict[str, int] = field(default_factory=dict)
    contexts: dict[str, int] = field(default_factory=dict)
    days_with_context: int = 0
    notes: tuple[str, ...] = ()  # method notes shown with the numbers

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, tuples as lists, no infinities."""
        return _jsonable(asdict(self))  # type: ignore[no-any-return]

    def to_text(self) -> str:
        return _to_text(self)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 6)
    return value


# --------------------------------------------------------------------------- helpers


def _per_week(count: int, days: float) -> float | None:
    return None if days <= 0 else count / days * 7.0


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _fmt(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "n/a"
    return f"{x:.{digits}f}"


def _fmt_ci(ci: tuple[float, float | None] | tuple[float, float] | None, digits: int = 1) -> str:
    if ci is None:
        return "95% CI n/a"
    high = "no upper limit" if ci[1] is None else _fmt(ci[1], digits)
    return f"95% CI {_fmt(ci[0], digits)} to {high}"


def _excludes_one(count: int, days: float, ref_count: int, ref_days: float) -> bool:
    _, low, high, _ = rate_ratio_ci(count, days, ref_count, ref_days)
    return low > 1.0 or (high is not None and high < 1.0)


def _settle_for_ratio(
    count: int, days: int, ref_count: int, ref_days: int, *, grow_both: bool, can_grow: bool
) -> tuple[int | None, str]:
    """Further days of entries until the 95% CI of the ratio excludes 1, if the rates stay as observed.

    Counts are projected forward at the observed rates (both sides for exposures, only the "after"
    side for a medicine change) and the same interval as the verdict is recomputed, searching for
    the smallest number of days. Returns (days, note) or (None, why it cannot be promised).
    """
    a, b = max(count, 0.5), max(ref_count, 0.5)
    rr = (a / days) / (b / ref_days)
    if abs(math.log(rr)) < math.log(1.05):
        return None, "no difference so far; more entries are unlikely to show one"
    if not grow_both:
        if not can_grow:
            return None, "this window is complete; more entries will not change it"
        # Even unlimited entries after the change leave the interval at least this wide (log scale):
        if Z95 * math.sqrt(1.0 / b) >= abs(math.log(rr)):
            return None, "the diary before the change is too short to settle it; more entries after it won't"

    def settled(extra: int) -> bool:
        if grow_both:
            f = (days + ref_days + extra) / (days + ref_days)
            return _excludes_one(round(count * f), days * f, round(ref_count * f), ref_days * f)
        f = (days + extra) / days
        return _excludes_one(round(count * f), days + extra, ref_count, ref_days)

    if settled(0):
        return 0, ""
    if not settled(SETTLE_HORIZON_DAYS):
        return None, "more than two years of further entries at this rate"
    lo, hi = 0, SETTLE_HORIZON_DAYS  # settled(lo) is False, settled(hi) is True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if settled(mid):
            hi = mid
        else:
            lo = mid
    return hi, f"about {hi} more days of entries would settle it if the rates stay as they are"


def _compare(
    count: int,
    days: int,
    ref_count: int,
    ref_days: int,
    min_days: int,
    *,
    grow_both: bool,
    can_grow: bool = True,
) -> Comparison:
    per_week = _per_week(count, days)
    ref_per_week = _per_week(ref_count, ref_days)
    enough = days >= min_days and ref_days >= min_days and count + ref_count >= MIN_EVENTS_COMPARISON
    if days <= 0 or ref_days <= 0:
        return Comparison(
            count,
            days,
            ref_count,
            ref_days,
            per_week,
            ref_per_week,
            None,
            None,
            "none",
            False,
            "not_enough_data",
            None,
            "one side has no days",
        )
    ratio, low, high, method = rate_ratio_ci(count, days, ref_count, ref_days)
    ci = (low, high)
    excludes_one = low > 1.0 or (high is not None and high < 1.0)
    verdict: Verdict
    if not enough:
        verdict = "not_enough_data"
    elif excludes_one:
        large = ratio is None or ratio >= MIN_EFFECT_RATIO or ratio <= 1.0 / MIN_EFFECT_RATIO
        verdict = ("higher" if low > 1.0 else "lower") if large else "small_difference"
    else:
        verdict = "no_clear_difference"
    settle: int | None = None
    note = ""
    if verdict in ("not_enough_data", "no_clear_difference"):
        settle, note = _settle_for_ratio(
            count, days, ref_count, ref_days, grow_both=grow_both, can_grow=can_grow
        )
        if not enough and (grow_both or can_grow):
            short = _days_to_minimums(count, days, ref_count, ref_days, min_days, grow_both=grow_both)
            if short is None:
                settle = None
                note = (
                    f"the diary before the change is too short ({_n(ref_days, 'day')}; "
                    f"{min_days} needed), so more entries after it won't settle it"
                    if not grow_both and ref_days < min_days
                    else "one group has no days, so there is nothing to compare"
                )
            elif settle is not None or not note:
                settle = max(settle or 0, short)
                if settle > SETTLE_HORIZON_DAYS:
                    settle, note = None, "more than two years of further entries at this rate"
                else:
                    note = (
                        f"about {settle} more days of entries would settle it if the rates stay as they are"
                    )
        if settle == 0:
            settle, note = None, ""
    return Comparison(
        count,
        days,
        ref_count,
        ref_days,
        per_week,
        ref_per_week,
        ratio,
        ci,
        method,
        enough,
        verdict,
        settle,
        note,
    )


def _days_to_minimums(
    count: int, days: int, ref_count: int, ref_days: int, min_days: int, *, grow_both: bool
) -> int | None:
    """Further days of entries until both sides reach the minimum days and cramps (None: never)."""
    total_days = days + ref_days
    events = count + ref_count
    need = 0.0
    if grow_both:
        if days < min_days:
            if days == 0:
                return None
            need = max(need, (min_days - days) * total_days / days)
        if ref_days < min_days:
            if ref_days == 0:
                return None
            need = max(need, (min_days - ref_days) * total_days / ref_days)
        per_day = events / total_days if total_days else 0.0
    else:
        if ref_days < min_days:
            return None  # the reference side lies in the past
        need = max(need, float(min_days - days))
        per_day = count / days if days else 0.0
        if events < MIN_EVENTS_COMPARISON and per_day == 0:
            return None
    if events < MIN_EVENTS_COMPARISON:
        if per_day == 0:
            return None
        need = max(need, (MIN_EVENTS_COMPARISON - events) / per_day)
    return math.ceil(need)


def _local(dt: datetime, tz: tzinfo) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(tz)


def _tz_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return str(tz.tzname(datetime(2000, 1, 1, tzinfo=tz)) or tz)


# --------------------------------------------------------------------------- analyses


def _trend(weekly: Sequence[WeekCount]) -> Trend:
    weeks = [w for w in weekly if w.days > 0]
    total = sum(w.count for w in weeks)
    full_weeks = sum(1 for w in weeks if w.days == 7)
    enough = full_weeks >= MIN_WEEKS_TREND and total >= MIN_EPISODES_PATTERN
    if len(weeks) < 3 or total == 0:
        return Trend(
            False,
            "not_enough_data",
            None,
            None,
            len(weeks),
            None,
            _trend_settle_days(len(weeks), total),
            "Too few weeks or cramps to judge a trend.",
        )
    # Poisson regression of weekly counts on time (days), offset log(days observed).
    t0 = weeks[0].start
    ts = [((w.start - t0).days + 3.5) for w in weeks]
    mean_t = sum(t * w.days for t, w in zip(ts, weeks, strict=True)) / sum(w.days for w in weeks)
    xs = [t - mean_t for t in ts]
    ys = [w.count for w in weeks]
    es = [float(w.days) for w in weeks]
    a = math.log(total / sum(es))
    b = 0.0
    info_bb = 0.0
    det = 1.0
    mus: list[float] = []

    def loglik(a_: float, b_: float) -> float:
        s = 0.0
        for x, y, e in zip(xs, ys, es, strict=True):
            eta = math.log(e) + a_ + b_ * x
            s += y * eta - math.exp(eta)
        return s

    current = loglik(a, b)
    for _ in range(50):
        mus = [e * math.exp(a + b * x) for x, e in zip(xs, es, strict=True)]
        u_a = sum(y - m for y, m in zip(ys, mus, strict=True))
        u_b = sum(x * (y - m) for x, y, m in zip(xs, ys, mus, strict=True))
        i_aa = sum(mus)
        i_ab = sum(x * m for x, m in zip(xs, mus, strict=True))
        i_bb = sum(x * x * m for x, m in zip(xs, mus, strict=True))
        det = i_aa * i_bb - i_ab * i_ab
        if det <= 0:
            break
        da = (i_bb * u_a - i_ab * u_b) / det
        db = (i_aa * u_b - i_ab * u_a) / det
        step = 1.0
        while step > 1e-6:
            new = loglik(a + step * da, b + step * db)
            if new >= current - 1e-12:
                break
            step /= 2
        a, b = a + step * da, b + step * db
        current = loglik(a, b)
        if abs(step * da) < 1e-10 and abs(step * db) < 1e-12:
            break
    mus = [e * math.exp(a + b * x) for x, e in zip(xs, es, strict=True)]
    i_aa = sum(mus)
    i_ab = sum(x * m for x, m in zip(xs, mus, strict=True))
    info_bb = sum(x * x * m for x, m in zip(xs, mus, strict=True))
    det = i_aa * info_bb - i_ab * i_ab
    span = max(xs) - min(xs)
    if det <= 0 or abs(b) * span > 30:
        return Trend(
            False,
            "not_enough_data",
            None,
            None,
            len(weeks),
            None,
            None,
            "The cramps are too bunched in time to fit a trend.",
        )
    var_b = i_aa / det
    df = len(weeks) - 2
    pearson = sum((y - m) ** 2 / m for y, m in zip(ys, mus, strict=True) if m > 0)
    dispersion = pearson / df if df > 0 else None
    scale = max(1.0, dispersion or 1.0)
    se = math.sqrt(var_b * scale)
    per = 28.0
    ratio = math.exp(b * per)
    ci = (math.exp((b - Z95 * se) * per), math.exp((b + Z95 * se) * per))
    rising, falling = ci[0] > 1.0, ci[1] < 1.0
    settle: int | None = None
    if not enough:
        direction: Literal["rising", "falling", "no_clear_change", "not_enough_data"] = "not_enough_data"
        settle = _trend_settle_days(len(weeks), total)
        text = (
            f"Too early to call a trend: {_n(total, 'cramp')} over {_n(len(weeks), 'week')} "
            f"(need {MIN_WEEKS_TREND} full weeks and {MIN_EPISODES_PATTERN} cramps)."
        )
    elif rising or falling:
        direction = "rising" if rising else "falling"
        text = (
            f"Cramps are {direction}: × {ratio:.2f} every 4 weeks ({_fmt_ci(ci, 2)}), "
            f"from {len(weeks)} weeks of entries."
        )
    else:
        direction = "no_clear_change"
        if abs(math.log(ratio)) >= math.log(1.05):  # below 5% per 4 weeks: nothing worth settling
            # The slope's standard error shrinks roughly as (days observed)^-1.5.
            days_span = span + 7.0
            settle = math.ceil(days_span * ((Z95 * se / abs(b)) ** (2.0 / 3.0) - 1.0))
            settle = settle if 0 < settle <= SETTLE_HORIZON_DAYS else None
        text = f"No clear trend: × {ratio:.2f} every 4 weeks ({_fmt_ci(ci, 2)})."
        if settle:
            text += f" About {settle} more days would settle it if the change continues."
    return Trend(enough, direction, ratio, ci, len(weeks), dispersion, settle, text)


def _trend_settle_days(weeks: int, total: int) -> int | None:
    need_weeks = max(0, MIN_WEEKS_TREND + 1 - weeks) * 7
    return need_weeks or None


def _night_share(night: int, n: int, days: int) -> Share:
    share = None if n == 0 else night / n
    ci = wilson_ci(night, n)
    enough = n >= MIN_EPISODES_PATTERN
    settle: int | None = None
    per_day = n / days if days > 0 else 0.0
    if share is None:
        text = "No cramps recorded."
    else:
        pct = round(100 * share)
        base = (
            f"{night} of {_n(n, 'cramp')} ({pct}%) were at night (22:00-07:00), "
            f"95% CI {ci[0]:.0%} to {ci[1]:.0%}."
        )
        if not enough:
            text = f"{base} Too few cramps to call a pattern (need {MIN_EPISODES_PATTERN})."
        elif ci[0] > 0.5:
            text = f"{base} Most cramps come at night."
        elif ci[1] < 0.5:
            text = f"{base} Most cramps come in the day."
        else:
            text = f"{base} No clear day or night pattern."
        settled = enough and (ci[0] > 0.5 or ci[1] < 0.5)
        if not settled and per_day > 0 and abs(share - 0.5) > 0.02:
            n_needed = max(MIN_EPISODES_PATTERN, Z95 * Z95 * share * (1 - share) / (share - 0.5) ** 2)
            extra = math.ceil(max(0.0, n_needed - n) / per_day)
            if 0 < extra <= SETTLE_HORIZON_DAYS:
                settle = extra
                text += f" About {extra} more days of entries would settle it."
    return Share(night, n, share, ci, enough, settle, text)


_FACTORS: tuple[tuple[str, str, str], ...] = (
    ("exercise", "exercise days", "days without exercise"),
    ("alcohol", "days with alcohol", "days without alcohol"),
    ("hot_weather", "hot days", "other days"),
    ("long_standing", "days of long standing", "other days"),
    ("caffeine", "days with caffeine", "days without caffeine"),
)


def _exposure(day: DayContext, factor: str) -> bool | None:
    if factor == "exercise":
        if day.exercise is not None:
            return day.exercise
        return None if day.activity_minutes is None else day.activity_minutes >= 30
    if factor == "alcohol":
        return None if day.alcohol_units is None else day.alcohol_units > 0
    if factor == "caffeine":
        return None if day.caffeine_drinks is None else day.caffeine_drinks > 0
    if factor == "hot_weather":
        return day.hot_weather
    if factor == "long_standing":
        return day.long_standing
    raise ValueError(factor)


def _associations(
    days: Sequence[DayContext], cramps_by_diary_day: Counter[date], start: date, end: date
) -> tuple[Association, ...]:
    known = {d.day: d for d in days if start <= d.day <= end}
    out: list[Association] = []
    for factor, exposed_label, ref_label in _FACTORS:
        n_e = n_u = c_e = c_u = 0
        for day, ctx in known.items():
            exposed = _exposure(ctx, factor)
            if exposed is None:
                continue
            if exposed:
                n_e += 1
                c_e += cramps_by_diary_day.get(day, 0)
            else:
                n_u += 1
                c_u += cramps_by_diary_day.get(day, 0)
        if n_e + n_u == 0:
            continue
        comp = _compare(c_e, n_e, c_u, n_u, MIN_DAYS_PER_GROUP, grow_both=True)
        head = (
            f"{exposed_label.capitalize()}: {_n(c_e, 'cramp')} in {_n(n_e, 'day')} "
            f"({_fmt(comp.per_week)}/week) vs "
            f"{c_u} in {n_u} {ref_label} ({_fmt(comp.ref_per_week)}/week)"
        )
        text = _verdict_text(head, comp, f"on {exposed_label}")
        out.append(Association(factor, exposed_label, comp, text))
    return tuple(out)


def _verdict_text(head: str, comp: Comparison, where: str) -> str:
    ratio = "" if comp.ratio is None else f"; ratio {comp.ratio:.2f} ({_fmt_ci(comp.ci, 2)})"
    text = head + ratio + "."
    if comp.verdict == "higher":
        text += f" Cramps were more frequent {where}."
    elif comp.verdict == "lower":
        text += f" Cramps were less frequent {where}."
    elif comp.verdict == "small_difference":
        text += " A real but small difference (under 20%), unlikely to matter."
    elif comp.verdict == "no_clear_difference":
        text += " No clear difference."
    else:
        text += " Too few entries to tell."
    if comp.settle_note:
        text += f" {comp.settle_note[0].upper()}{comp.settle_note[1:]}."
    return text


def _medicine_effects(
    changes: Sequence[MedicineChange], cramps_by_day: Counter[date], start: date, end: date
) -> tuple[MedicineEffect, ...]:
    by_name: dict[str, list[MedicineChange]] = {}
    for ch in sorted(changes, key=lambda c: c.at):
        by_name.setdefault(ch.name.strip().lower(), []).append(ch)
    # Prefix sums of cramps per day over the period for O(1) window counts.
    n_days = (end - start).days + 1
    prefix = [0] * (n_days + 1)
    for i in range(n_days):
        prefix[i + 1] = prefix[i] + cramps_by_day.get(start + timedelta(days=i), 0)

    def count(lo: date, hi: date) -> int:  # inclusive
        i, j = (lo - start).days, (hi - start).days
        return prefix[j + 1] - prefix[i]

    out: list[MedicineEffect] = []
    for items in by_name.values():
        for k, ch in enumerate(items):
            if not start < ch.at <= end:
                continue
            prev_at = items[k - 1].at if k > 0 else None
            next_at = items[k + 1].at if k + 1 < len(items) else None
            b_lo = max(start, ch.at - timedelta(days=MEDICINE_WINDOW_DAYS), prev_at or start)
            b_hi = ch.at - timedelta(days=1)
            a_lo = ch.at
            a_hi = min(end, ch.at + timedelta(days=MEDICINE_WINDOW_DAYS - 1))
            if next_at is not None:
                a_hi = min(a_hi, next_at - timedelta(days=1))
            b_days = max(0, (b_hi - b_lo).days + 1)
            a_days = max(0, (a_hi - a_lo).days + 1)
            b_n = count(b_lo, b_hi) if b_days else 0
            a_n = count(a_lo, a_hi) if a_days else 0
            can_grow = a_hi == end and a_days < MEDICINE_WINDOW_DAYS
            comp = _compare(a_n, a_days, b_n, b_days, MIN_DAYS_PER_SIDE, grow_both=False, can_grow=can_grow)
            others = tuple(
                f"{o.name} {o.change} {o.at.isoformat()}"
                for o in changes
                if o is not ch and o.name.strip().lower() != ch.name.strip().lower() and b_lo <= o.at <= a_hi
            )
            head = (
                f"{ch.name} {ch.change} on {ch.at.isoformat()}: "
                f"{_n(a_n, 'cramp')} in {_n(a_days, 'day')} after "
                f"({_fmt(comp.per_week)}/week) vs {b_n} in {_n(b_days, 'day')} before "
                f"({_fmt(comp.ref_per_week)}/week)"
            )
            text = _verdict_text(head, comp, "after the change")
            if others:
                text += " Other medicine changes in the same window: " + "; ".join(others) + "."
            out.append(
                MedicineEffect(
                    ch.name, ch.change, ch.at, ch.dose, (b_lo, b_hi), (a_lo, a_hi), comp, others, text
                )
            )
    out.sort(key=lambda m: m.at)
    return tuple(out)


def _severity(points: Sequence[tuple[float, int]]) -> SeverityTrend:
    n = len(points)
    if n == 0:
        return SeverityTrend(0, None, False, "not_enough_data", None, None, "No severity ratings.")
    mean = sum(s for _, s in points) / n
    xs = [t for t, _ in points]
    span = max(xs) - min(xs)
    enough = n >= MIN_SEVERITY_RATINGS and span >= MIN_SEVERITY_SPAN_DAYS
    mx = sum(xs) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if n < 3 or sxx <= 0:
        return SeverityTrend(
            n,
            mean,
            False,
            "not_enough_data",
            None,
            None,
            f"Mean severity {mean:.1f}/10 from {n} ratings; too few to judge a trend.",
        )
    sxy = sum((x - mx) * (s - mean) for x, s in points)
    slope = sxy / sxx
    resid = sum((s - mean - slope * (x - mx)) ** 2 for x, s in points)
    se = math.sqrt(resid / (n - 2) / sxx) if n > 2 else float("inf")
    tq = Z95 if n > 200 else _t_quantile(0.975, n - 2)
    per = 28.0
    change = slope * per
    ci = (change - tq * se * per, change + tq * se * per)
    direction: Literal["rising", "falling", "no_clear_change", "not_enough_data"]
    if not enough:
        direction = "not_enough_data"
        text = (
            f"Mean severity {mean:.1f}/10 from {n} ratings; too few to judge a trend "
            f"(need {MIN_SEVERITY_RATINGS} ratings over {MIN_SEVERITY_SPAN_DAYS} days)."
        )
    elif ci[0] > 0 or ci[1] < 0:
        direction = "rising" if ci[0] > 0 else "falling"
        text = (
            f"Severity is {direction}: {change:+.2f} points every 4 weeks ({_fmt_ci(ci, 2)}); "
            f"mean {mean:.1f}/10 from {n} ratings."
        )
    else:
        direction = "no_clear_change"
        text = (
            f"No clear change in severity ({change:+.2f} per 4 weeks, {_fmt_ci(ci, 2)}); mean {mean:.1f}/10."
        )
    return SeverityTrend(n, mean, enough, direction, change, ci, text)


# --------------------------------------------------------------------------- entry point


def summarise(
    episodes: Sequence[Episode],
    days: Sequence[DayContext] = (),
    medicine_changes: Sequence[MedicineChange] = (),
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    start: date | None = None,
) -> Stats:
    """Summarise a diary over the period from ``start`` (default: first entry) to ``now``.

    ``tz`` is the person's time zone (default UTC); ``now`` defaults to the current time.
    Episodes outside the period are ignored.
    """
    zone: tzinfo = tz or UTC
    now_local = _local(now or datetime.now(UTC), zone)
    end = now_local.date()
    locals_: list[tuple[datetime, Episode]] = []
    for ep in episodes:
        lt = _local(ep.started_at, zone)
        if lt <= now_local:
            locals_.append((lt, ep))
    if start is None:
        firsts = [lt.date() for lt, _ in locals_] + [d.day for d in days if d.day <= end]
        start = min(firsts) if firsts else end
    start = min(start, end)
    locals_ = [(lt, ep) for lt, ep in locals_ if lt.date() >= start]
    n_days = (end - start).days + 1

    hours = [0] * 24
    heat = [[0] * 24 for _ in range(7)]
    by_day: Counter[date] = Counter()
    by_diary_day: Counter[date] = Counter()
    sev_points: list[tuple[float, int]] = []
    week_sev: dict[date, list[int]] = {}
    durations: list[float] = []
    long_dates: list[date] = []
    sleep: list[int] = []
    muscles: Counter[str] = Counter()
    sides: Counter[str] = Counter()
    contexts: Counter[str] = Counter()
    shift = timedelta(hours=DIARY_DAY_STARTS_AT)
    for lt, ep in locals_:
        d = lt.date()
        h = lt.hour
        hours[h] += 1
        heat[d.weekday()][h] += 1
        by_day[d] += 1
        by_diary_day[(lt - shift).date()] += 1
        if ep.severity is not None:
            sev_points.append(((d - start).days + h / 24.0, ep.severity))
            week_sev.setdefault(d - timedelta(days=d.weekday()), []).append(ep.severity)
        if ep.duration_seconds is not None:
            durations.append(ep.duration_seconds)
            if ep.duration_seconds > LONG_CRAMP_SECONDS:
                long_dates.append(d)
        if ep.sleep_disturbance is not None:
            sleep.append(ep.sleep_disturbance)
        muscles[ep.muscle or "other"] += 1
        if ep.side:
            sides[ep.side] += 1
        if ep.context:
            contexts[ep.context] += 1

    total = len(locals_)
    weekly: list[WeekCount] = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + timedelta(days=6)
        lo, hi = max(monday, start), min(sunday, end)
        count = sum(by_day.get(lo + timedelta(days=i), 0) for i in range((hi - lo).days + 1))
        sev = week_sev.get(monday, [])
        weekly.append(
            WeekCount(monday, count, (hi - lo).days + 1, sum(sev) / len(sev) if sev else None, len(sev))
        )
        monday += timedelta(days=7)

    ci_lo, ci_hi = poisson_ci(total)
    rate = Rate(total, n_days, _per_week(total, n_days), (ci_lo / n_days * 7, ci_hi / n_days * 7))
    night = sum(hours[h] for h in range(24) if h >= NIGHT_START_HOUR or h < NIGHT_END_HOUR)
    in_period_changes = tuple(
        sorted((c for c in medicine_changes if start <= c.at <= end), key=lambda c: c.at)
    )
    ctx_days = [d for d in days if start <= d.day <= end]
    durations.sort()
    median_duration = None
    if durations:
        mid = len(durations) // 2
        median_duration = durations[mid] if len(durations) % 2 else (durations[mid - 1] + durations[mid]) / 2
    notes = (
        "Days without an entry are counted as days without cramps.",
        f"Times are in {_tz_name(zone)}; night is 22:00-07:00.",
        "Intervals are 95%: exact Poisson for rates, exact conditional or log-normal for ratios, "
        "Wilson for shares.",
        "Cramps cluster; before/after ratios do not allow for that, so treat borderline results with care.",
    )
    return Stats(
        start=start,
        end=end,
        days=n_days,
        tz=_tz_name(zone),
        episodes=total,
        rate=rate,
        weekly=tuple(weekly),
        trend=_trend(weekly),
        hours=tuple(hours),
        heatmap=tuple(tuple(row) for row in heat),
        night=_night_share(night, total, n_days),
        associations=_associations(days, by_diary_day, start, end),
        medicines=_medicine_effects(medicine_changes, by_day, start, end),
        medicine_changes=in_period_changes,
        severity=_severity(sev_points),
        long_cramps=len(long_dates),
        long_cramp_dates=tuple(long_dates),
        median_duration_seconds=median_duration,
        mean_sleep_disturbance=sum(sleep) / len(sleep) if sleep else None,
        sleep_disturbance_n=len(sleep),
        muscles=dict(muscles.most_common()),
        sides=dict(sides.most_common()),
        contexts=dict(contexts.most_common()),
        days_with_context=len(ctx_days),
        notes=notes,
    )


# --------------------------------------------------------------------------- evidence and text

_FACTOR_FINDINGS = {
    "exercise": ("cramps_more_on_exercise_days", "exercise_associated"),
    "alcohol": ("cramps_more_after_alcohol", "alcohol"),
    "hot_weather": ("cramps_more_on_hot_days", "heat_exposure"),
    "long_standing": ("cramps_more_after_long_standing", "prolonged_static_posture"),
    "caffeine": ("cramps_more_with_caffeine", None),
}


def _ci_list(ci: Iterable[float | None] | None) -> list[float | None] | None:
    return None if ci is None else [None if v is None else round(v, 4) for v in ci]


def evidence_for_assessment(stats: Stats) -> list[dict[str, Any]]:
    """Findings the assessment engine can weigh, each with its numbers and a sentence.

    Only settled patterns are returned (``enough_data`` and an interval that excludes no
    difference), plus events that matter one at a time (a cramp lasting over 10 minutes).
    ``supports`` names vocabulary ids (factors / red flags) the finding bears on, and
    ``profile_findings`` names KB finding ids (kb/data/findings.yaml) the engine may mark present.
    """
    out: list[dict[str, Any]] = []
    for m in stats.medicines:
        c = m.comparison
        if not c.enough_data or c.verdict not in ("higher", "lower"):
            continue
        rose = c.verdict == "higher"
        supports = ["medication"]
        if rose and m.change in ("started", "increased"):
            supports.append("new_drug_onset")
        out.append(
            {
                "finding": "cramps_rose_after_medicine" if rose else "cramps_fell_after_medicine",
                "kind": "pattern",
                "medicine": m.name,
                "change": m.change,
                "at": m.at.isoformat(),
                "rate_before": round(c.ref_per_week or 0.0, 3),
                "rate_after": round(c.per_week or 0.0, 3),
                "unit": "cramps per week",
                "count_before": c.ref_count,
                "days_before": c.ref_days,
                "count_after": c.count,
                "days_after": c.days,
                "ratio": None if c.ratio is None else round(c.ratio, 3),
                "ci": _ci_list(c.ci),
                "method": c.method,
                "other_changes": list(m.other_changes),
                "supports": supports,
                "profile_findings": ["onset_after_medicine"] if "new_drug_onset" in supports else [],
                "text": m.text,
            }
        )
    n = stats.night
    if n.enough_data and n.share is not None and n.ci[0] > 0.5:
        out.append(
            {
                "finding": "timing_night",
                "kind": "pattern",
                "share": round(n.share, 3),
                "ci": _ci_list(n.ci),
                "count": n.count,
                "n": n.n,
                "supports": ["nocturnal_idiopathic"],
                "profile_findings": ["timing_night"],
                "text": n.text,
            }
        )
    for a in stats.associations:
        c = a.comparison
        if not c.enough_data or c.verdict != "higher":
            continue
        finding, factor = _FACTOR_FINDINGS[a.factor]
        out.append(
            {
                "finding": finding,
                "kind": "pattern",
                "factor": a.factor,
                "rate_exposed": round(c.per_week or 0.0, 3),
                "rate_other": round(c.ref_per_week or 0.0, 3),
                "unit": "cramps per week",
                "days_exposed": c.days,
                "days_other": c.ref_days,
                "ratio": None if c.ratio is None else round(c.ratio, 3),
                "ci": _ci_list(c.ci),
                "supports": [factor] if factor else [],
                "profile_findings": [],
                "text": a.text,
            }
        )
    t = stats.trend
    if t.enough_data and t.direction in ("rising", "falling"):
        out.append(
            {
                "finding": f"cramps_{t.direction}",
                "kind": "pattern",
                "ratio_per_4_weeks": None if t.ratio_per_4_weeks is None else round(t.ratio_per_4_weeks, 3),
                "ci": _ci_list(t.ci),
                "weeks": t.weeks,
                "supports": [],
                "profile_findings": [],
                "text": t.text,
            }
        )
    s = stats.severity
    if s.enough_data and s.direction in ("rising", "falling"):
        out.append(
            {
                "finding": f"severity_{s.direction}",
                "kind": "pattern",
                "change_per_4_weeks": None
                if s.change_per_4_weeks is None
                else round(s.change_per_4_weeks, 3),
                "ci": _ci_list(s.ci),
                "n": s.n,
                "supports": [],
                "profile_findings": [],
                "text": s.text,
            }
        )
    if (
        stats.mean_sleep_disturbance is not None
        and stats.sleep_disturbance_n >= MIN_EPISODES_PATTERN
        and stats.mean_sleep_disturbance >= 5
    ):
        out.append(
            {
                "finding": "sleep_disturbed",
                "kind": "pattern",
                "mean_sleep_disturbance": round(stats.mean_sleep_disturbance, 2),
                "n": stats.sleep_disturbance_n,
                "supports": ["frequent_severe"],
                "profile_findings": ["sleep_disturbed"],
                "text": f"Cramps disturbed sleep: mean {stats.mean_sleep_disturbance:.1f}/10 over "
                f"{stats.sleep_disturbance_n} entries.",
            }
        )
    rate = stats.rate
    if (
        rate.per_week is not None
        and rate.per_week >= FREQUENT_PER_WEEK
        and stats.days >= MIN_DAYS_PER_SIDE
        and stats.episodes >= MIN_EPISODES_PATTERN
    ):
        out.append(
            {
                "finding": "cramps_frequent",
                "kind": "pattern",
                "per_week": round(rate.per_week, 2),
                "ci": _ci_list(rate.ci),
                "days": stats.days,
                "supports": ["frequent_severe"],
                "profile_findings": ["frequent"],
                "text": f"{stats.episodes} cramps in {stats.days} days: {rate.per_week:.1f} a week "
                f"({_fmt_ci(rate.ci)}).",
            }
        )
    if s.mean is not None and s.n >= MIN_EPISODES_PATTERN and s.mean >= SEVERE_MEAN:
        out.append(
            {
                "finding": "cramps_severe",
                "kind": "pattern",
                "mean_severity": round(s.mean, 2),
                "n": s.n,
                "supports": ["frequent_severe"],
                "profile_findings": ["severe_pain"],
                "text": f"Cramps were very painful: mean severity {s.mean:.1f}/10 over {s.n} ratings.",
            }
        )
    if stats.long_cramps:
        out.append(
            {
                "finding": "cramp_not_resolving",
                "kind": "event",
                "count": stats.long_cramps,
                "latest": max(stats.long_cramp_dates).isoformat(),
                "supports": ["cramp_not_resolving"],
                "profile_findings": ["cramp_persistent"],
                "text": f"{stats.long_cramps} cramp(s) lasted more than 10 minutes "
                f"(latest {max(stats.long_cramp_dates).isoformat()}).",
            }
        )
    return out


def _to_text(s: Stats) -> str:
    lines = [
        f"Diary {s.start.isoformat()} to {s.end.isoformat()} ({s.days} days, times in {s.tz})",
        "",
    ]
    if s.rate.per_week is not None and s.rate.ci is not None:
        lines.append(f"Cramps: {s.episodes}  ({s.rate.per_week:.1f} per week, {_fmt_ci(s.rate.ci)})")
    lines.append(f"Trend: {s.trend.text}")
    lines.append(f"Timing: {s.night.text}")
    peak = max(range(24), key=lambda h: s.hours[h]) if s.episodes else None
    if peak is not None:
        lines.append(f"Busiest hour: {peak:02d}:00-{peak:02d}:59 ({_n(s.hours[peak], 'cramp')})")
    lines.append(f"Severity: {s.severity.text}")
    if s.median_duration_seconds is not None:
        lines.append(f"Median duration: {s.median_duration_seconds / 60:.1f} min")
    if s.long_cramps:
        lines.append(f"Cramps over 10 minutes: {s.long_cramps} - see a clinician about these [NHS-LC]")
    if s.medicines:
        lines += ["", "Medicine changes:"]
        lines += [f"  - {m.text}" for m in s.medicines]
    if s.associations:
        lines += ["", f"Days with context recorded: {s.days_with_context}"]
        lines += [f"  - {a.text}" for a in s.associations]
    lines += ["", "Weekly counts (Monday start):"]
    recent = s.weekly[-12:]
    top = max((w.count for w in recent), default=0) or 1
    for w in recent:
        bar = "#" * round(20 * w.count / top)
        partial = "" if w.days == 7 else f" ({w.days} days)"
        lines.append(f"  {w.start.isoformat()}  {w.count:4d} {bar}{partial}")
    lines += ["", *[f"Note: {n}" for n in s.notes]]
    return "\n".join(lines) + "\n"

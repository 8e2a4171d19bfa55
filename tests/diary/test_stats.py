"""Diary statistics: known datasets, interval arithmetic and invariants (hypothesis)."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crampwise.diary.models import DayContext, Episode, MedicineChange
from crampwise.diary.stats import (
    MIN_EPISODES_PATTERN,
    evidence_for_assessment,
    poisson_ci,
    rate_ratio_ci,
    summarise,
    wilson_ci,
)

START = date(2026, 3, 2)  # a Monday


def at(day: date, hour: int, minute: int = 0, tz: str = "UTC") -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def weekly_diary(per_week: list[int], hour: int = 3, severity: int | None = 5) -> list[Episode]:
    """Episodes spread over each week (first days of the week), at ``hour`` UTC."""
    out = []
    for w, n in enumerate(per_week):
        for i in range(n):
            day = START + timedelta(days=7 * w + i % 7)
            when = at(day, hour) + timedelta(seconds=20 * (i // 7))
            out.append(Episode(started_at=when, severity=severity, duration_seconds=90))
    return out


def end_of(weeks: int) -> datetime:
    return at(START + timedelta(days=7 * weeks - 1), 23, 59)


# --------------------------------------------------------------------------- intervals


def test_poisson_ci_matches_published_values() -> None:
    assert poisson_ci(0) == pytest.approx((0.0, 3.6889), abs=1e-4)  # -ln(0.025)
    assert poisson_ci(1) == pytest.approx((0.0253, 5.5716), abs=1e-4)
    assert poisson_ci(10) == pytest.approx((4.7954, 18.3904), abs=1e-4)
    lo, hi = poisson_ci(100_000)
    assert lo < 100_000 < hi
    assert hi - lo == pytest.approx(2 * 1.96 * math.sqrt(100_000), rel=0.01)


def test_wilson_ci_matches_published_values() -> None:
    assert wilson_ci(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert wilson_ci(0, 10)[0] == 0.0
    assert wilson_ci(0, 0) == (0.0, 1.0)


def test_rate_ratio_large_counts_is_log_normal() -> None:
    ratio, lo, hi, method = rate_ratio_ci(300, 100, 100, 100)
    se = math.sqrt(1 / 300 + 1 / 100)
    assert ratio == pytest.approx(3.0)
    assert (lo, hi) == pytest.approx((3 * math.exp(-1.96 * se), 3 * math.exp(1.96 * se)), rel=1e-3)
    assert method.startswith("log-normal")


def test_rate_ratio_zero_reference_has_no_upper_bound() -> None:
    ratio, lo, hi, method = rate_ratio_ci(5, 28, 0, 28)
    assert ratio is None
    assert hi is None
    assert lo > 0
    assert "exact" in method


def test_rate_ratio_exact_small_counts_known_value() -> None:
    # 24 vs 8 cramps in equal time: conditional binomial p = 0.75, Clopper-Pearson (0.566, 0.885).
    ratio, lo, hi, _ = rate_ratio_ci(24, 28, 8, 28)
    assert ratio == pytest.approx(3.0)
    assert lo == pytest.approx(0.5660 / (1 - 0.5660), rel=2e-3)
    assert hi == pytest.approx(0.8854 / (1 - 0.8854), rel=5e-3)


# --------------------------------------------------------------------------- known datasets


def test_diuretic_start_triples_cramps() -> None:
    episodes = weekly_diary([2, 2, 2, 2, 6, 6, 6, 6])
    change = MedicineChange(name="furosemide", change="started", at=START + timedelta(days=28))
    stats = summarise(episodes, (), [change], now=end_of(8))
    (effect,) = stats.medicines
    c = effect.comparison
    assert (c.ref_count, c.ref_days, c.count, c.days) == (8, 28, 24, 28)
    assert c.ratio == pytest.approx(3.0)
    assert c.ci is not None
    assert c.ci[0] > 1.0
    assert c.enough_data
    assert c.verdict == "higher"
    assert c.ref_per_week == pytest.approx(2.0)
    assert c.per_week == pytest.approx(6.0)
    evidence = evidence_for_assessment(stats)
    (finding,) = [e for e in evidence if e["finding"] == "cramps_rose_after_medicine"]
    assert finding["medicine"] == "furosemide"
    assert finding["rate_before"] == pytest.approx(2.0)
    assert finding["rate_after"] == pytest.approx(6.0)
    assert finding["ratio"] == pytest.approx(3.0)
    assert finding["ci"][0] > 1
    assert "new_drug_onset" in finding["supports"]
    assert "furosemide" in finding["text"]
    assert "8 in 28 days" in finding["text"]
    json.dumps(evidence)


def test_same_rate_before_and_after_is_no_pattern() -> None:
    episodes = weekly_diary([3] * 8)
    change = MedicineChange(name="atorvastatin", change="started", at=START + timedelta(days=28))
    stats = summarise(episodes, (), [change], now=end_of(8))
    c = stats.medicines[0].comparison
    assert c.verdict == "no_clear_difference"
    assert c.ci is not None
    assert c.ci[0] < 1 < (c.ci[1] or math.inf)
    assert not [e for e in evidence_for_assessment(stats) if e["finding"].startswith("cramps_rose")]


def test_short_after_window_is_not_enough_and_says_how_long() -> None:
    episodes = weekly_diary([2, 2, 2, 2, 5])
    change = MedicineChange(name="salmeterol", change="started", at=START + timedelta(days=28))
    stats = summarise(episodes, (), [change], now=at(START + timedelta(days=34), 12))
    c = stats.medicines[0].comparison
    assert c.days == 7
    assert not c.enough_data
    assert c.verdict == "not_enough_data"
    assert c.days_to_settle is not None
    assert c.days_to_settle >= 7
    assert "more days" in stats.medicines[0].text
    assert not [e for e in evidence_for_assessment(stats) if e["kind"] == "pattern" and "medicine" in e]


def test_days_to_settle_is_roughly_right() -> None:
    """Extending the after-window by the estimate at the same rates settles it."""
    before = [4, 4, 4, 4]
    episodes = weekly_diary([*before, 8])
    change = MedicineChange(name="indapamide", change="started", at=START + timedelta(days=28))
    stats = summarise(episodes, (), [change], now=end_of(5))
    c = stats.medicines[0].comparison
    assert c.verdict == "not_enough_data"
    assert c.days_to_settle is not None
    assert c.days_to_settle >= 7
    extra_weeks = math.ceil(c.days_to_settle / 7)
    longer = weekly_diary([*before, *([8] * (1 + extra_weeks))])
    settled = summarise(longer, (), [change], now=end_of(5 + extra_weeks)).medicines[0].comparison
    assert settled.verdict == "higher"
    shorter = weekly_diary([*before, *([8] * extra_weeks)])
    unsettled = summarise(shorter, (), [change], now=end_of(4 + extra_weeks)).medicines[0].comparison
    assert unsettled.verdict != "higher" or extra_weeks == 1


def test_small_effect_with_short_before_window_cannot_be_settled_by_waiting() -> None:
    episodes = weekly_diary([3, 3, 3, 3, 5, 5])
    change = MedicineChange(name="indapamide", change="started", at=START + timedelta(days=28))
    c = summarise(episodes, (), [change], now=end_of(6)).medicines[0].comparison
    assert c.verdict == "no_clear_difference"
    assert c.days_to_settle is None
    assert "before the change is too short" in c.settle_note


def test_before_window_too_short_cannot_be_settled_by_waiting() -> None:
    episodes = weekly_diary([1, 2, 2, 2, 2, 2])
    change = MedicineChange(name="omeprazole", change="started", at=START + timedelta(days=3))
    stats = summarise(episodes, (), [change], now=end_of(6))
    c = stats.medicines[0].comparison
    assert c.ref_days == 3
    assert c.verdict == "not_enough_data"
    assert c.days_to_settle is None
    assert "before" in c.settle_note or "minimum" in c.settle_note


def test_night_share_and_timing_finding() -> None:
    episodes = weekly_diary([4] * 4, hour=3) + weekly_diary([1] * 4, hour=15)
    stats = summarise(episodes, now=end_of(4))
    assert stats.night.count == 16
    assert stats.night.n == 20
    assert stats.night.share == pytest.approx(0.8)
    assert stats.night.ci == pytest.approx(wilson_ci(16, 20))
    (finding,) = [e for e in evidence_for_assessment(stats) if e["finding"] == "timing_night"]
    assert finding["share"] == pytest.approx(0.8)


def test_too_few_entries_claim_nothing() -> None:
    episodes = weekly_diary([2, 2, 1], hour=2)  # 5 night cramps
    change = MedicineChange(name="furosemide", change="started", at=START + timedelta(days=7))
    stats = summarise(episodes, (), [change], now=end_of(3))
    assert stats.night.share == 1.0
    assert not stats.night.enough_data
    assert "Too few" in stats.night.text
    assert stats.night.days_to_settle is not None
    assert not stats.trend.enough_data
    assert [e for e in evidence_for_assessment(stats) if e["kind"] == "pattern"] == []


def test_time_zone_moves_hours_and_days() -> None:
    # 22:30 UTC on a Sunday is 08:30 (AEST, +10) on Monday in Sydney in winter.
    ep = Episode(started_at=datetime(2026, 6, 7, 22, 30, tzinfo=UTC))
    stats = summarise([ep], now=datetime(2026, 6, 10, tzinfo=UTC), tz=ZoneInfo("Australia/Sydney"))
    assert stats.hours[8] == 1
    assert stats.heatmap[0][8] == 1
    assert stats.start == date(2026, 6, 8)
    assert stats.tz == "Australia/Sydney"
    utc = summarise([ep], now=datetime(2026, 6, 10, tzinfo=UTC))
    assert utc.hours[22] == 1
    assert utc.heatmap[6][22] == 1


def test_daylight_saving_is_respected() -> None:
    ny = ZoneInfo("America/New_York")
    winter = Episode(started_at=datetime(2026, 1, 15, 8, 0, tzinfo=UTC))  # 03:00 EST
    summer = Episode(started_at=datetime(2026, 7, 15, 7, 0, tzinfo=UTC))  # 03:00 EDT
    stats = summarise([winter, summer], now=datetime(2026, 8, 1, tzinfo=UTC), tz=ny)
    assert stats.hours[3] == 2


def test_exercise_days_association_and_overnight_attribution() -> None:
    days, episodes = [], []
    for i in range(42):
        d = START + timedelta(days=i)
        exercise = i % 2 == 0
        days.append(DayContext(day=d, exercise=exercise, alcohol_units=0))
        # On exercise days two cramps, the second at 02:00 the next morning (counts for the exercise day).
        if exercise:
            episodes.append(Episode(started_at=at(d, 20)))
            episodes.append(Episode(started_at=at(d + timedelta(days=1), 2)))
        elif i % 4 == 1:
            episodes.append(Episode(started_at=at(d, 20)))
    stats = summarise(episodes, days, now=at(START + timedelta(days=42), 12))
    ex = next(a for a in stats.associations if a.factor == "exercise")
    assert (ex.comparison.count, ex.comparison.days) == (42, 21)
    assert (ex.comparison.ref_count, ex.comparison.ref_days) == (11, 21)
    assert ex.comparison.verdict == "higher"
    findings = {e["finding"] for e in evidence_for_assessment(stats)}
    assert "cramps_more_on_exercise_days" in findings
    alcohol = next(a for a in stats.associations if a.factor == "alcohol")
    assert alcohol.comparison.days == 0
    assert alcohol.comparison.verdict == "not_enough_data"


def test_rising_trend_and_severity() -> None:
    episodes = []
    for w, n in enumerate([1, 1, 2, 2, 3, 4, 5, 6, 7, 8]):
        for i in range(n):
            day = START + timedelta(days=7 * w + i % 7)
            episodes.append(Episode(started_at=at(day, 3, i), severity=min(10, 2 + w // 2 + i % 2)))
    stats = summarise(episodes, now=end_of(10))
    assert stats.trend.direction == "rising"
    assert stats.trend.enough_data
    assert stats.trend.ratio_per_4_weeks is not None
    assert stats.trend.ratio_per_4_weeks > 1
    assert stats.severity.direction == "rising"
    findings = {e["finding"] for e in evidence_for_assessment(stats)}
    assert {"cramps_rising", "severity_rising"} <= findings


def test_flat_diary_has_no_trend_claim() -> None:
    stats = summarise(weekly_diary([3, 4, 3, 3, 4, 3, 3, 4]), now=end_of(8))
    assert stats.trend.direction == "no_clear_change"
    assert stats.trend.ci is not None
    assert stats.trend.ci[0] < 1 < stats.trend.ci[1]


def test_long_cramp_is_an_event_finding() -> None:
    episodes = [Episode(started_at=at(START, 3), duration_seconds=900)]
    stats = summarise(episodes, now=at(START, 12))
    assert stats.long_cramps == 1
    (finding,) = evidence_for_assessment(stats)
    assert finding["finding"] == "cramp_not_resolving"
    assert finding["kind"] == "event"


def test_period_limits() -> None:
    episodes = weekly_diary([2] * 6)
    stats = summarise(episodes, now=end_of(4), start=START + timedelta(days=7))
    assert stats.start == START + timedelta(days=7)
    assert stats.episodes == 6
    assert stats.days == 21


def test_empty_diary() -> None:
    stats = summarise([], now=datetime(2026, 3, 2, tzinfo=UTC))
    assert stats.episodes == 0
    assert stats.days == 1
    assert stats.night.share is None
    assert evidence_for_assessment(stats) == []
    json.dumps(stats.to_dict())
    assert "Cramps: 0" in stats.to_text()


def test_to_dict_and_text() -> None:
    episodes = weekly_diary([2, 2, 2, 2, 6, 6, 6, 6])
    change = MedicineChange(name="furosemide", change="started", at=START + timedelta(days=28))
    stats = summarise(episodes, (), [change], now=end_of(8))
    data = json.loads(json.dumps(stats.to_dict()))
    assert data["start"] == "2026-03-02"
    assert data["episodes"] == 32
    assert data["medicines"][0]["comparison"]["verdict"] == "higher"
    assert len(data["heatmap"]) == 7
    assert len(data["heatmap"][0]) == 24
    text = stats.to_text()
    assert "furosemide started on 2026-03-30" in text
    assert "Cramps: 32" in text


# --------------------------------------------------------------------------- invariants

episode_times = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=119 * 24 * 60),  # minutes from START
        st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    ),
    max_size=150,
)
zones = st.sampled_from(["UTC", "Europe/London", "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata"])


def _episodes(raw: list[tuple[int, int | None]]) -> list[Episode]:
    base = datetime(START.year, START.month, START.day, tzinfo=UTC)
    return [Episode(started_at=base + timedelta(minutes=m), severity=s) for m, s in raw]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=episode_times,
    tz=zones,
    change_day=st.integers(min_value=0, max_value=119),
    exercise_mask=st.lists(st.booleans(), min_size=120, max_size=120),
)
def test_counts_add_up_and_intervals_contain_estimates(
    raw: list[tuple[int, int | None]], tz: str, change_day: int, exercise_mask: list[bool]
) -> None:
    episodes = _episodes(raw)
    days = [DayContext(day=START + timedelta(days=i), exercise=e) for i, e in enumerate(exercise_mask)]
    change = MedicineChange(name="furosemide", change="started", at=START + timedelta(days=change_day))
    stats = summarise(episodes, days, [change], now=datetime(2026, 7, 1, tzinfo=UTC), tz=ZoneInfo(tz))
    assert stats.episodes == len(episodes)
    assert sum(w.count for w in stats.weekly) == stats.episodes
    assert sum(stats.hours) == stats.episodes
    assert sum(sum(row) for row in stats.heatmap) == stats.episodes
    assert sum(w.days for w in stats.weekly) == stats.days
    assert sum(w.severity_n for w in stats.weekly) == stats.severity.n
    assert 0 <= stats.night.count <= stats.night.n == stats.episodes
    if stats.night.share is not None:
        assert stats.night.ci[0] <= stats.night.share <= stats.night.ci[1]
    assert stats.rate.ci is not None
    assert stats.rate.per_week is not None
    assert stats.rate.ci[0] <= stats.rate.per_week <= stats.rate.ci[1]
    comparisons = [m.comparison for m in stats.medicines] + [a.comparison for a in stats.associations]
    for c in comparisons:
        if c.ratio is not None and c.ci is not None:
            assert c.ci[0] <= c.ratio * (1 + 1e-9)
            assert c.ci[1] is None or c.ratio <= c.ci[1] * (1 + 1e-9)
        if c.verdict in ("higher", "lower", "small_difference"):
            assert c.enough_data
    for m in stats.medicines:
        assert m.comparison.count + m.comparison.ref_count <= stats.episodes
    for a in stats.associations:
        assert a.comparison.count + a.comparison.ref_count <= stats.episodes
        assert a.comparison.days + a.comparison.ref_days <= len(days)
    if stats.trend.ci is not None and stats.trend.ratio_per_4_weeks is not None:
        assert stats.trend.ci[0] <= stats.trend.ratio_per_4_weeks <= stats.trend.ci[1]
    if stats.severity.ci is not None and stats.severity.change_per_4_weeks is not None:
        assert stats.severity.ci[0] <= stats.severity.change_per_4_weeks <= stats.severity.ci[1]
    json.dumps(stats.to_dict())
    evidence = evidence_for_assessment(stats)
    json.dumps(evidence)
    for item in evidence:
        assert {"finding", "kind", "supports", "profile_findings", "text"} <= item.keys()
    if stats.episodes < MIN_EPISODES_PATTERN:
        assert [e for e in evidence_for_assessment(stats) if e["kind"] == "pattern"] == []


@settings(max_examples=200, deadline=None)
@given(
    a=st.integers(min_value=0, max_value=400),
    b=st.integers(min_value=0, max_value=400),
    da=st.integers(min_value=1, max_value=400),
    db=st.integers(min_value=1, max_value=400),
)
def test_rate_ratio_interval_contains_estimate(a: int, b: int, da: int, db: int) -> None:
    ratio, lo, hi, _ = rate_ratio_ci(a, da, b, db)
    if a + b == 0:
        assert ratio is None
        return
    assert lo >= 0
    if ratio is not None:
        assert lo <= ratio * (1 + 1e-9)
        assert hi is None or ratio <= hi * (1 + 1e-9)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(min_value=0, max_value=5000), n_extra=st.integers(min_value=0, max_value=500))
def test_poisson_and_wilson_contain_point(k: int, n_extra: int) -> None:
    lo, hi = poisson_ci(k)
    assert lo <= k <= hi
    n = k + n_extra
    if n:
        wl, wh = wilson_ci(k, n)
        assert wl <= k / n <= wh


def test_tiny_but_clear_difference_is_not_a_pattern() -> None:
    # 1,100 vs 1,000 cramps in equal time: the interval excludes 1 but a 10% change is not a pattern.
    comparison_days = 28
    episodes = weekly_diary([250] * 4 + [275] * 4)
    change = MedicineChange(name="atorvastatin", change="started", at=START + timedelta(days=comparison_days))
    stats = summarise(episodes, (), [change], now=end_of(8))
    c = stats.medicines[0].comparison
    assert c.ratio == pytest.approx(1.1)
    assert c.ci is not None
    assert c.ci[0] > 1.0
    assert c.verdict == "small_difference"
    assert "small difference" in stats.medicines[0].text
    assert not [e for e in evidence_for_assessment(stats) if "medicine" in e]


def test_frequent_and_severe_findings() -> None:
    stats = summarise(weekly_diary([6, 6, 6], severity=8), now=end_of(3))
    findings = {e["finding"]: e for e in evidence_for_assessment(stats)}
    assert findings["cramps_frequent"]["profile_findings"] == ["frequent"]
    assert findings["cramps_frequent"]["per_week"] == pytest.approx(6.0)
    assert findings["cramps_severe"]["profile_findings"] == ["severe_pain"]
    calm = summarise(weekly_diary([2, 2, 2], severity=3), now=end_of(3))
    assert not {"cramps_frequent", "cramps_severe"} & {e["finding"] for e in evidence_for_assessment(calm)}

"""SVG charts: well-formed, accessible, self-contained, escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from typing import Any

import pytest

from crampwise.diary.models import MedicineChange
from crampwise.diary.stats import Stats, summarise
from crampwise.report.charts import heatmap_chart, severity_chart, weekly_chart

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = (weekly_chart, heatmap_chart, severity_chart)


def _stats(diary: Any, changes: list[MedicineChange] | None = None) -> Stats:
    return summarise(
        diary.episodes,
        diary.days,
        diary.medicine_changes if changes is None else changes,
        now=diary.now,
        tz=diary.tz,
    )


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_accessible_and_self_contained(diary: Any, chart: object) -> None:
    svg = chart(_stats(diary))  # type: ignore[operator]
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text
    assert len(desc.text) > 30
    labelled = root.get("aria-labelledby", "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    assert root.findall(f".//{SVG}text"), "charts carry text labels, not colour alone"
    # No external resources: no links, no url(...), no scripts, no foreign objects.
    assert not re.search(r"href|url\(|<script|<foreignObject|<image", svg, re.I)
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_weekly_chart_bars_and_markers(diary: Any) -> None:
    stats = _stats(diary)
    root = ET.fromstring(weekly_chart(stats))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == len(stats.weekly)
    counts = [int(re.search(r": (\d+) cramps", r.find(f"{SVG}title").text or "").group(1)) for r in bars]  # type: ignore[union-attr]
    assert counts == [w.count for w in stats.weekly]
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "furosemide started 1 Apr" in texts
    assert "atorvastatin increased 20 Mar" in texts
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2


def test_heatmap_cells_match_counts(diary: Any) -> None:
    stats = _stats(diary)
    root = ET.fromstring(heatmap_chart(stats))
    cells = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(cells) == sum(1 for row in stats.heatmap for c in row if c)  # empty cells are not drawn
    total = sum(int((r.find(f"{SVG}title").text or "0").rsplit(": ", 1)[1]) for r in cells)  # type: ignore[union-attr]
    assert total == stats.episodes
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Mon" in texts
    assert "Sun" in texts
    assert "night" in texts


def test_medicine_names_are_escaped(diary: Any) -> None:
    evil = MedicineChange(name='<img src=x onerror="alert(1)">', change="started", at=date(2026, 4, 1))
    stats = _stats(diary, [evil])
    for chart in (weekly_chart, severity_chart):
        svg = chart(stats)
        ET.fromstring(svg)  # still well-formed
        assert "<img" not in svg
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in weekly_chart(stats)


@pytest.mark.parametrize("chart", CHARTS)
def test_empty_diary_charts(chart: object) -> None:
    stats = summarise([], now=datetime(2026, 3, 2, tzinfo=UTC))
    svg = chart(stats)  # type: ignore[operator]
    root = ET.fromstring(svg)
    assert "No " in "".join(root.itertext())


def test_long_diary_chart_stays_small(nightly: Any) -> None:
    stats = _stats(nightly(730))
    svg = weekly_chart(stats)
    assert len(svg) < 60_000
    labels = [t for t in ET.fromstring(svg).iter(f"{SVG}text") if re.match(r"\d+ \w{3}", t.text or "")]
    assert len(labels) <= 9


def test_long_diary_uses_merged_shapes(nightly: Any) -> None:
    stats = _stats(nightly(730))
    weekly = ET.fromstring(weekly_chart(stats))
    assert len(list(weekly.iter(f"{SVG}rect"))) == 0  # bars merged into one path per colour
    assert 1 <= len(list(weekly.iter(f"{SVG}path"))) <= 2
    severity = ET.fromstring(severity_chart(stats))
    assert len(list(severity.iter(f"{SVG}circle"))) == 0

"""Diary charts as self-contained SVG strings.

Hand-drawn from plain Python (see docs/diary-report.md for why not matplotlib): no external
resources, a <title> and <desc> on every chart, text labels rather than colour alone, and every
user-supplied string escaped. The same SVG serves the HTML report, the PDF and the web page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

from crampwise.diary.models import MedicineChange
from crampwise.diary.stats import NIGHT_END_HOUR, NIGHT_START_HOUR, WEEKDAYS, Stats, WeekCount

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK = "#1a202c"
MUTED = "#4a5568"
GRID = "#e2e8f0"
BAR = "#2b6cb0"
BAR_PARTIAL = "#a3bffa"
MARKER = "#c05621"
LINE = "#2f855a"

DETAIL_LIMIT = 26  # up to this many weeks, each bar and dot is its own element with a tooltip

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _esc(text: str) -> str:
    return escape(text, quote=True)


def _day(d: date, year: bool = False) -> str:
    s = f"{d.day} {_MONTHS[d.month - 1]}"
    return f"{s} {d.year}" if year else s


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_esc(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_esc(chart_id)}-title {_esc(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="10" fill="{INK}">',
        f'<title id="{_esc(chart_id)}-title">{_esc(title)}</title>',
        f'<desc id="{_esc(chart_id)}-desc">{_esc(desc)}</desc>',
    ]


def _nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum >= value and a tick step giving 2-5 ticks."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    mag = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        step = mult * mag
        if step >= raw:
            break
    if step < 1 and value >= 1:
        step = 1.0
    top = math.ceil(value / step) * step
    return float(top), float(step)


def _empty(chart_id: str, width: int, height: int, title: str) -> str:
    parts = _open(chart_id, width, height, title, "No cramps recorded in this period.")
    parts.append(
        f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
        "No cramps recorded in this period.</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _x_labels(weeks: Sequence[WeekCount], x0: float, bar_w: float, baseline: float) -> list[str]:
    every = max(1, math.ceil(len(weeks) / 8))
    out: list[str] = []
    last_year = None
    for i, w in enumerate(weeks):
        if i % every:
            continue
        x = x0 + (i + 0.5) * bar_w
        show_year = w.start.year != last_year
        last_year = w.start.year
        out.append(
            f'<text x="{x:.1f}" y="{baseline + 13:.1f}" text-anchor="middle" fill="{MUTED}">'
            f"{_esc(_day(w.start, show_year))}</text>"
        )
    return out


def _markers(
    changes: Sequence[MedicineChange],
    first_monday: date,
    x0: float,
    bar_w: float,
    top: float,
    baseline: float,
    x_max: float,
    labels: bool = True,
) -> list[str]:
    out: list[str] = []
    last_x_by_row: dict[int, float] = {}
    for ch in changes:
        x = x0 + (ch.at - first_monday).days / 7.0 * bar_w
        if not x0 <= x <= x_max:
            continue
        line_top = top
        text = f"{ch.name} {ch.change} {_day(ch.at)}"
        row = 0
        if labels:
            # Stack labels in up to four rows; a line reaches only up to its own label, so it never
            # crosses a label on a higher row.
            est = len(text) * 5.6
            while last_x_by_row.get(row, -1e9) > x - 4 and row < 3:
                row += 1
            last_x_by_row[row] = x + est
            line_top = top + 1 + row * 11
        out.append(
            f'<line x1="{x:.1f}" y1="{line_top:.1f}" x2="{x:.1f}" y2="{baseline:.1f}" stroke="{MARKER}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        if not labels:
            continue
        anchor, tx = ("end", x - 3) if x + len(text) * 5.6 > x_max + 10 else ("start", x + 3)
        out.append(
            f'<text x="{tx:.1f}" y="{top + 9 + row * 11:.1f}" text-anchor="{anchor}" fill="{MARKER}" '
            f'font-size="9">{_esc(text)}</text>'
        )
    return out


def weekly_chart(stats: Stats, *, width: int = 680, height: int = 190, chart_id: str = "chart-weekly") -> str:
    """Bar chart of cramps per week (Monday start), with medicine changes as dashed lines."""
    title = "Cramps per week"
    weeks = stats.weekly
    if not weeks or stats.episodes == 0:
        return _empty(chart_id, width, height, title)
    peak = max(weeks, key=lambda w: w.count)
    med_text = "; ".join(f"{c.name} {c.change} {_day(c.at, True)}" for c in stats.medicine_changes)
    desc = (
        f"Bar chart of cramps per week from {_day(stats.start, True)} to {_day(stats.end, True)}: "
        f"{stats.episodes} cramps in {len(weeks)} weeks; highest week {peak.count} "
        f"(week of {_day(peak.start, True)})."
        + (f" Medicine changes marked: {med_text}." if med_text else "")
        + " Paler bars are part weeks."
    )
    parts = _open(chart_id, width, height, title, desc)
    left, right, top, bottom = 34.0, 8.0, 14.0 + 11.0 * min(3, len(stats.medicine_changes)), 20.0
    baseline = height - bottom
    plot_w = width - left - right
    plot_h = baseline - top
    y_max, step = _nice_max(max(w.count for w in weeks))
    bar_w = plot_w / len(weeks)
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = baseline - tick / y_max * plot_h
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 4:.1f}" y="{y + 3:.1f}" text-anchor="end" fill="{MUTED}">{_num(tick)}</text>'
        )
        tick += step
    gap = min(2.0, bar_w * 0.2)
    merged: dict[str, list[str]] = {BAR: [], BAR_PARTIAL: []}
    for i, w in enumerate(weeks):
        h = w.count / y_max * plot_h
        x = left + i * bar_w + gap / 2
        fill = BAR if w.days == 7 else BAR_PARTIAL
        bw = max(0.5, bar_w - gap)
        if len(weeks) > DETAIL_LIMIT:  # one path per colour: long diaries stay fast to lay out
            if h > 0:
                merged[fill].append(f"M{x:.2f} {baseline:.2f}v{-h:.2f}h{bw:.2f}v{h:.2f}z")
            continue
        label = f"Week of {_day(w.start, True)}: {w.count} cramps" + (
            "" if w.days == 7 else f" ({w.days} days)"
        )
        parts.append(
            f'<rect x="{x:.2f}" y="{baseline - h:.2f}" width="{bw:.2f}" height="{h:.2f}" '
            f'fill="{fill}"><title>{_esc(label)}</title></rect>'
        )
    parts += [f'<path d="{"".join(d)}" fill="{fill}"/>' for fill, d in merged.items() if d]
    parts.append(
        f'<line x1="{left:.1f}" y1="{baseline:.1f}" x2="{width - right:.1f}" y2="{baseline:.1f}" '
        f'stroke="{MUTED}"/>'
    )
    parts += _x_labels(weeks, left, bar_w, baseline)
    parts += _markers(stats.medicine_changes, weeks[0].start, left, bar_w, top - 10, baseline, width - right)
    parts.append(
        f'<text x="4" y="{top + plot_h / 2:.1f}" transform="rotate(-90 8 {top + plot_h / 2:.1f})" '
        f'text-anchor="middle" fill="{MUTED}" font-size="9">cramps</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _blue(fraction: float) -> str:
    """Sequential blue scale from near-white (0) to dark blue (1)."""
    lo, hi = (239, 246, 255), (26, 54, 133)
    f = max(0.0, min(1.0, fraction)) ** 0.7
    r, g, b = (round(lo[i] + (hi[i] - lo[i]) * f) for i in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap_chart(
    stats: Stats, *, width: int = 420, height: int = 176, chart_id: str = "chart-heatmap"
) -> str:
    """Hour of day (local time) by weekday counts, with the night hours bracketed."""
    title = "Time of day by weekday"
    if stats.episodes == 0:
        return _empty(chart_id, width, height, title)
    peak_day, peak_hour = max(
        ((d, h) for d in range(7) for h in range(24)), key=lambda dh: stats.heatmap[dh[0]][dh[1]]
    )
    busiest_hour = max(range(24), key=lambda h: stats.hours[h])
    desc = (
        f"Grid of cramp counts by weekday (rows, Monday first) and hour of day (columns, {stats.tz} time). "
        f"Busiest hour {busiest_hour:02d}:00 with {stats.hours[busiest_hour]} cramps; busiest cell "
        f"{WEEKDAYS[peak_day]} {peak_hour:02d}:00 with {stats.heatmap[peak_day][peak_hour]}. "
        f"{stats.night.text}"
    )
    parts = _open(chart_id, width, height, title, desc)
    left, top, right, bottom = 30.0, 16.0, 6.0, 34.0
    cell_w = (width - left - right) / 24
    cell_h = (height - top - bottom) / 7
    top_count = max(max(row) for row in stats.heatmap) or 1
    # Night bracket above the grid: 22:00-24:00 and 00:00-07:00.
    for h0, h1 in ((NIGHT_START_HOUR, 24), (0, NIGHT_END_HOUR)):
        x0, x1 = left + h0 * cell_w, left + h1 * cell_w
        parts.append(
            f'<rect x="{x0:.1f}" y="{top - 6:.1f}" width="{x1 - x0:.1f}" height="3" fill="{MUTED}"/>'
        )
    parts.append(
        f'<text x="{left + NIGHT_END_HOUR * cell_w / 2:.1f}" y="{top - 9:.1f}" text-anchor="middle" '
        f'fill="{MUTED}" font-size="8">night</text>'
    )
    # One white background and one path for the grid; only non-empty cells are drawn (fast in PDF).
    grid_w, grid_h = 24 * cell_w, 7 * cell_h
    parts.append(
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{grid_w:.1f}" height="{grid_h:.1f}" fill="#ffffff"/>'
    )
    for d in range(7):
        y = top + d * cell_h
        parts.append(
            f'<text x="{left - 4:.1f}" y="{y + cell_h / 2 + 3:.1f}" text-anchor="end">{WEEKDAYS[d]}</text>'
        )
        for h in range(24):
            c = stats.heatmap[d][h]
            if not c:
                continue
            x = left + h * cell_w
            parts.append(
                f'<rect x="{x:.2f}" y="{y:.2f}" width="{cell_w:.2f}" height="{cell_h:.2f}" '
                f'fill="{_blue(c / top_count)}"><title>{WEEKDAYS[d]} {h:02d}:00: {c}</title></rect>'
            )
            text = str(c)
            if len(text) * 5.0 <= cell_w - 2 and cell_h >= 9:
                colour = "#ffffff" if c / top_count > 0.45 else INK
                parts.append(
                    f'<text x="{x + cell_w / 2:.2f}" y="{y + cell_h / 2 + 3:.2f}" text-anchor="middle" '
                    f'font-size="8" fill="{colour}">{text}</text>'
                )
    lines = [f"M{left:.1f} {top + d * cell_h:.1f}h{grid_w:.1f}" for d in range(8)]
    lines += [f"M{left + h * cell_w:.1f} {top:.1f}v{grid_h:.1f}" for h in range(25)]
    parts.append(f'<path d="{" ".join(lines)}" stroke="{GRID}" stroke-width="0.5" fill="none"/>')
    axis_y = top + 7 * cell_h
    for h in range(0, 24, 3):
        parts.append(
            f'<text x="{left + (h + 0.5) * cell_w:.1f}" y="{axis_y + 11:.1f}" text-anchor="middle" '
            f'fill="{MUTED}" font-size="9">{h:02d}</text>'
        )
    # Legend: up to five swatches from 0 to the top count, whole numbers only.
    ly = height - 9
    parts.append(
        f'<text x="{left:.1f}" y="{ly + 3:.1f}" fill="{MUTED}" font-size="9">cramps per cell:</text>'
    )
    values = sorted({0, *(round(top_count * i / 4) for i in range(1, 5))})
    sx = left + 76
    for value in values:
        swatch = _blue(value / top_count) if value else "#ffffff"
        parts.append(
            f'<rect x="{sx:.1f}" y="{ly - 6:.1f}" width="12" height="10" fill="{swatch}" stroke="{GRID}"/>'
        )
        parts.append(f'<text x="{sx + 15:.1f}" y="{ly + 3:.1f}" fill="{MUTED}" font-size="9">{value}</text>')
        sx += 19 + 6 * len(str(value))
    parts.append("</svg>")
    return "\n".join(parts)


def severity_chart(
    stats: Stats, *, width: int = 260, height: int = 176, chart_id: str = "chart-severity"
) -> str:
    """Mean severity (0-10) per week as points joined by a line; point size shows how many ratings."""
    title = "Severity over time"
    rated = [(i, w) for i, w in enumerate(stats.weekly) if w.mean_severity is not None]
    if not rated:
        parts = _open(chart_id, width, height, title, "No severity ratings in this period.")
        parts.append(
            f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
            "No severity ratings.</text></svg>"
        )
        return "\n".join(parts)
    desc = f"Line chart of mean severity per week on a 0 to 10 scale. {stats.severity.text}"
    parts = _open(chart_id, width, height, title, desc)
    left, right, top, bottom = 26.0, 8.0, 10.0, 20.0
    baseline = height - bottom
    plot_h = baseline - top
    n_weeks = len(stats.weekly)
    bar_w = (width - left - right) / n_weeks
    for tick in (0, 5, 10):
        y = baseline - tick / 10 * plot_h
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 4:.1f}" y="{y + 3:.1f}" text-anchor="end" fill="{MUTED}">{tick}</text>'
        )
    parts += _markers(
        stats.medicine_changes, stats.weekly[0].start, left, bar_w, top, baseline, width - right, labels=False
    )
    pts = [(left + (i + 0.5) * bar_w, baseline - (w.mean_severity or 0.0) / 10 * plot_h, w) for i, w in rated]
    if len(pts) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in pts)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    top_n = max(w.severity_n for _, _, w in pts)
    dots: list[str] = []
    for x, y, w in pts:
        r = 1.5 + 2.0 * math.sqrt(w.severity_n / top_n)
        if len(pts) > DETAIL_LIMIT:
            arc = f"a{r:.1f} {r:.1f} 0 1 0"
            dots.append(f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0z")
            continue
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{LINE}">'
            f"<title>Week of {_esc(_day(w.start, True))}: mean {w.mean_severity:.1f} from "
            f"{w.severity_n} ratings</title></circle>"
        )
    if dots:
        parts.append(f'<path d="{"".join(dots)}" fill="{LINE}"/>')
    first, last = stats.start, stats.end
    parts.append(f'<text x="{left:.1f}" y="{baseline + 13:.1f}" fill="{MUTED}">{_esc(_day(first))}</text>')
    parts.append(
        f'<text x="{width - right:.1f}" y="{baseline + 13:.1f}" text-anchor="end" fill="{MUTED}">'
        f"{_esc(_day(last))}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)

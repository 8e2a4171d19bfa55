"""Clinician report: HTML content, escaping, PDF pages and a rasterised first page."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from crampwise.diary.models import MedicineChange
from crampwise.report.clinician import build_report_context, render_report


def _render(diary: Any, fmt: str = "html", **kw: Any) -> bytes:
    kw.setdefault("assessment", diary.assessment)
    kw.setdefault("questions", diary.questions)
    return render_report(
        diary.episodes,
        diary.days,
        diary.medicine_changes,
        diary.labs,
        fmt=fmt,  # type: ignore[arg-type]
        now=diary.now,
        tz=diary.tz,
        **kw,
    )


def test_html_has_the_clinical_summary(diary: Any) -> None:
    html = _render(diary).decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "2 Mar 2026 – 1 May 2026" in html
    assert "Europe/London" in html
    assert f'<span class="value">{len(diary.episodes)}</span>' in html
    for text in (
        "furosemide",
        "atorvastatin",
        "Loop diuretic",
        "GARRISON2012",
        "Magnesium",
        "Bedtime calf stretches",
    ):
        assert text in html
    assert "Could the water tablet be causing this?" in html
    assert "Cramp lasting more than 10 minutes" in html  # from the diary's 15-minute cramp
    assert "NHS-LC" in html
    assert html.count("<svg") == 3
    assert "potassium" in html
    assert "3.4 mmol/L" in html


def test_user_text_is_escaped(diary: Any) -> None:
    html = _render(diary).decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # the note and the question, as text
    assert html.count("&lt;script&gt;") == 2


def test_medicine_name_markup_is_escaped_everywhere(diary: Any) -> None:
    diary.medicine_changes[0].name = '<img src=x onerror="alert(1)">'
    html = _render(diary).decode()
    assert "<img" not in html
    assert "&lt;img" in html


def test_report_without_assessment_or_kb(diary: Any) -> None:
    html = _render(diary, assessment=None, questions=[]).decode()
    assert "No assessment attached" in html
    assert "None written down" in html
    assert "furosemide" in html  # name shown even without a knowledge-base entry


def test_period_limits_the_report(diary: Any) -> None:
    ctx = build_report_context(
        diary.episodes,
        diary.days,
        diary.medicine_changes,
        diary.labs,
        period=(date(2026, 4, 1), date(2026, 4, 30)),
        now=diary.now,
        tz=diary.tz,
    )
    stats = ctx["stats"]
    assert (stats.start, stats.end, stats.days) == (date(2026, 4, 1), date(2026, 4, 30), 30)
    in_april = [e for e in diary.episodes if e.started_at.astimezone(diary.tz).month == 4]
    assert stats.episodes == len(in_april)


def test_context_carries_evidence(diary: Any) -> None:
    ctx = build_report_context(
        diary.episodes, diary.days, diary.medicine_changes, diary.labs, now=diary.now, tz=diary.tz
    )
    findings = {e["finding"] for e in ctx["evidence"]}
    assert "cramp_not_resolving" in findings


def test_progress_is_reported(diary: Any) -> None:
    seen: list[tuple[str, float]] = []
    _render(diary, progress=lambda step, done: seen.append((step, done)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


def test_unknown_format_is_refused(diary: Any) -> None:
    with pytest.raises(ValueError, match="html"):
        _render(diary, fmt="docx")


def test_pdf_is_at_most_two_pages_and_not_blank(diary: Any, tmp_path: Path) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    pdf = _render(diary, fmt="pdf")
    assert pdf.startswith(b"%PDF")
    document = weasyprint.HTML(string=_render(diary).decode()).render()
    assert 1 <= len(document.pages) <= 2
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "report.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    image_module = pytest.importorskip("PIL.Image")
    with image_module.open(io.BytesIO(png.read_bytes())) as image:
        grey = image.convert("L")
        width, height = grey.size
        assert (width, height) == pytest.approx((496, 702), abs=3)  # A4 at 60 dpi
        histogram = grey.histogram()
        dark = sum(histogram[:200])
        assert dark / (width * height) > 0.03, "page 1 is (nearly) blank"
        # Something drawn in the upper and the lower half: the charts and the tables.
        top = grey.crop((0, 0, width, height // 2)).histogram()
        bottom = grey.crop((0, height // 2, width, height)).histogram()
        assert sum(top[:200]) > 1000
        assert sum(bottom[:200]) > 1000


def test_two_years_of_nightly_entries_render_quickly(nightly: Any) -> None:
    diary = nightly(730)
    start = time.perf_counter()
    html = render_report(
        diary.episodes,
        diary.days,
        diary.medicine_changes,
        [],
        assessment=None,
        questions=[],
        now=diary.now,
        tz=diary.tz,
    )
    assert time.perf_counter() - start < 2.0
    assert b"730" in html


FAKE_KB = SimpleNamespace(
    medicines={
        "furosemide": {"class": "loop_diuretic", "names": ["frusemide"], "brands": {"us": ["Lasix"]}},
        "atorvastatin": {"class": "statin", "names": [], "brands": {"us": ["Lipitor"], "uk": ["Lipitor"]}},
        "paracetamol": {"class": "none", "names": ["acetaminophen"], "brands": {}},
    },
    drug_classes={
        "loop_diuretic": {
            "name": "Loop diuretic",
            "cramp_association": "weak",
            "evidence": "C",
            "garrison_asr": {"value": 1.2, "ci": "1.00-1.44"},
            "sources": ["GARRISON2012"],
        },
        "statin": {"name": "Statin", "cramp_association": "weak", "evidence": "B", "sources": ["CTT2022"]},
        "none": {"name": "No class", "cramp_association": "none", "sources": []},
    },
)


def test_medicine_associations_come_from_the_kb(diary: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import crampwise.kb

    monkeypatch.setattr(crampwise.kb, "load", lambda: FAKE_KB)
    diary.medicine_changes[0].name = "Lasix"
    diary.medicine_changes.append(
        MedicineChange(name="acetaminophen", change="started", at=date(2026, 4, 10))
    )
    ctx = build_report_context(
        diary.episodes, diary.days, diary.medicine_changes, diary.labs, now=diary.now, tz=diary.tz
    )
    rows = {row["name"]: row for row in ctx["medicines"]}
    assert ctx["kb_used"]
    lasix = rows["Lasix"]["info"]
    assert lasix["generic"] == "furosemide"
    assert lasix["class_name"] == "Loop diuretic"
    assert "weak" in lasix["evidence"]
    assert lasix["detail"] == "Garrison 2012 ratio 1.2 (1.00-1.44)"
    assert lasix["sources"] == ["GARRISON2012"]
    assert rows["acetaminophen"]["info"]["evidence"] == "no known cramp link"
    html = _render(diary, assessment=None).decode()
    assert "Loop diuretic" in html
    assert "GARRISON2012" in html


def test_missing_kb_shows_names_only(diary: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import crampwise.kb

    def broken() -> None:
        raise FileNotFoundError("compiled.json")

    monkeypatch.setattr(crampwise.kb, "load", broken)
    ctx = build_report_context(
        diary.episodes, diary.days, diary.medicine_changes, diary.labs, now=diary.now, tz=diary.tz
    )
    assert not ctx["kb_used"]
    assert all(row["info"] is None for row in ctx["medicines"])
    html = _render(diary, assessment=None).decode()
    assert "not looked up" in html
    assert "only names are shown" in html

"""Stats, charts, clinician report and FHIR export for one user's diary (shared by API and web)."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from crampwise.api import diary_access


class FeatureUnavailable(Exception):
    """An optional extra (e.g. weasyprint for PDF) is not installed."""


def zone(name: str | None) -> tzinfo | None:
    """A time zone by IANA name, or None for UTC; ValueError if unknown."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"Unknown time zone '{name[:60]}'; use a name like Europe/London.") from None


def _summary(store: Any, user_id: str, tz: tzinfo | None) -> Any:
    from crampwise.diary.stats import summarise

    return summarise(
        diary_access.list_all(store, user_id),
        store.list_days(user_id),
        store.list_medicine_changes(user_id),
        tz=tz,
    )


def stats(store: Any, user_id: str, tz: tzinfo | None = None) -> dict[str, Any]:
    result: dict[str, Any] = _summary(store, user_id, tz).to_dict()
    return result


def stats_text(store: Any, user_id: str, tz: tzinfo | None = None) -> str:
    return str(_summary(store, user_id, tz).to_text())


CHARTS = ("weekly", "heatmap", "severity")


def chart_svg(store: Any, user_id: str, name: str, tz: tzinfo | None = None) -> str | None:
    if name not in CHARTS:
        return None
    from crampwise.report import charts

    draw = {
        "weekly": charts.weekly_chart,
        "heatmap": charts.heatmap_chart,
        "severity": charts.severity_chart,
    }[name]
    return str(draw(_summary(store, user_id, tz)))


def all_charts(store: Any, user_id: str, tz: tzinfo | None = None) -> dict[str, str]:
    from crampwise.report import charts

    summary = _summary(store, user_id, tz)
    return {
        "weekly": charts.weekly_chart(summary),
        "heatmap": charts.heatmap_chart(summary),
        "severity": charts.severity_chart(summary),
    }


def report(store: Any, user_id: str, fmt: str, tz: tzinfo | None = None) -> bytes:
    from crampwise.report.clinician import render_report

    if fmt == "pdf":
        try:
            import weasyprint  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise FeatureUnavailable(
                "PDF reports need the 'pdf' extra: pip install 'crampwise[pdf]'."
            ) from exc
    return render_report(
        diary_access.list_all(store, user_id),
        store.list_days(user_id),
        store.list_medicine_changes(user_id),
        store.list_labs(user_id),
        assessment=None,
        questions=(),
        fmt="pdf" if fmt == "pdf" else "html",
        tz=tz,
    )


def fhir_bundle(store: Any, user_id: str) -> dict[str, Any]:
    from crampwise.report.fhir import to_bundle

    bundle: dict[str, Any] = to_bundle(store.export_data(user_id), user_id=user_id)
    return bundle

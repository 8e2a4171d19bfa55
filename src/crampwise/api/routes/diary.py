"""Diary endpoints. They call the synchronous SQLAlchemy store, so they are plain `def` and run in
the threadpool. Every query is scoped to the caller: another user's entry is a 404."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Response

from crampwise.api import diary_access, reports
from crampwise.api.deps import StoreDep, UserDep
from crampwise.api.errors import ApiError, error_responses
from crampwise.api.schemas import EpisodeIn, EpisodeList, EpisodeOut, EpisodePatch, as_utc

router = APIRouter(
    prefix="/v1/diary", tags=["diary"], responses=error_responses(400, 401, 413, 422, 429, 500, 503)
)

NOT_FOUND = "There is no diary entry with this id."
MAX_ID = 2**62


def _fields(model: EpisodeIn | EpisodePatch, *, partial: bool) -> dict[str, Any]:
    data = model.model_dump(exclude_unset=partial)
    if data.get("started_at") is not None:
        data["started_at"] = as_utc(data["started_at"])
    if partial:
        # null for a required field means "leave it"; for an optional one it clears it.
        for key in ("started_at", "muscle", "helped", "notes"):
            if key in data and data[key] is None:
                del data[key]
    return data


@router.get("/episodes", response_model=EpisodeList)
def list_episodes(user: UserDep, store: StoreDep) -> EpisodeList:
    """Your cramp episodes, newest first."""
    episodes = diary_access.list_all(store, user, newest_first=True)
    return EpisodeList(
        episodes=[EpisodeOut(**diary_access.episode_out(e)) for e in episodes], count=len(episodes)
    )


@router.post("/episodes", response_model=EpisodeOut, status_code=201)
def add_episode(body: EpisodeIn, user: UserDep, store: StoreDep) -> EpisodeOut:
    """Log a cramp: only `started_at` is needed."""
    episode = diary_access.add(store, user, _fields(body, partial=False))
    return EpisodeOut(**diary_access.episode_out(episode))


@router.get("/episodes/{episode_id}", response_model=EpisodeOut, responses=error_responses(404))
def get_episode(episode_id: int, user: UserDep, store: StoreDep) -> EpisodeOut:
    episode = diary_access.get(store, user, episode_id) if 0 < episode_id < MAX_ID else None
    if episode is None:
        raise ApiError("not_found", NOT_FOUND)
    return EpisodeOut(**diary_access.episode_out(episode))


@router.patch("/episodes/{episode_id}", response_model=EpisodeOut, responses=error_responses(404))
def update_episode(episode_id: int, body: EpisodePatch, user: UserDep, store: StoreDep) -> EpisodeOut:
    """Change some fields of an entry; fields left out stay as they are."""
    changes = _fields(body, partial=True)
    episode = diary_access.update(store, user, episode_id, changes) if 0 < episode_id < MAX_ID else None
    if episode is None:
        raise ApiError("not_found", NOT_FOUND)
    return EpisodeOut(**diary_access.episode_out(episode))


@router.delete(
    "/episodes/{episode_id}", status_code=204, response_class=Response, responses=error_responses(404)
)
def delete_episode(episode_id: int, user: UserDep, store: StoreDep) -> Response:
    if not (0 < episode_id < MAX_ID and diary_access.delete(store, user, episode_id)):
        raise ApiError("not_found", NOT_FOUND)
    return Response(status_code=204)


def _zone_names() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(available_timezones()) or ["UTC"]


TzQuery = Query(
    None,
    max_length=64,
    description="IANA time zone for days and hours, e.g. Europe/London",
    json_schema_extra={"enum": _zone_names()},
)


def _zone(tz: str | None) -> Any:
    try:
        return reports.zone(tz)
    except ValueError as exc:
        raise ApiError(
            "validation_error", str(exc), [{"field": "tz", "message": "unknown time zone"}]
        ) from None


@router.get("/stats", response_model=dict[str, Any])
def stats(user: UserDep, store: StoreDep, tz: str | None = TzQuery) -> dict[str, Any]:
    """Patterns in your diary: how often, how bad, when, what goes with them (with 95% intervals)."""
    return reports.stats(store, user, _zone(tz))


@router.get(
    "/charts/{name}.svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}, "description": "An SVG chart"},
        **error_responses(404),
    },
)
def chart(
    name: Literal["weekly", "heatmap", "severity"], user: UserDep, store: StoreDep, tz: str | None = TzQuery
) -> Response:
    """Charts as SVG: cramps per week, a weekday-by-hour heatmap, severity over time."""
    svg = reports.chart_svg(store, user, name, _zone(tz))
    if svg is None:
        raise ApiError("not_found", f"There is no chart called '{name}'.")
    return Response(svg, media_type="image/svg+xml")


@router.get(
    "/report",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/html": {"schema": {"type": "string"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
            "description": "The clinician report",
        },
        **error_responses(501),
    },
)
def report(
    user: UserDep,
    store: StoreDep,
    format: Literal["html", "pdf"] = Query("html", description="html or pdf"),
    tz: str | None = TzQuery,
) -> Response:
    """A report to take to your doctor, as HTML or PDF."""
    try:
        content = reports.report(store, user, format, _zone(tz))
    except reports.FeatureUnavailable as exc:
        raise ApiError("feature_unavailable", str(exc)) from None
    if format == "pdf":
        return Response(
            content,
            media_type="application/pdf",
            headers={"content-disposition": 'attachment; filename="crampwise-report.pdf"'},
        )
    return Response(
        content,
        media_type="text/html; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="crampwise-report.html"'},
    )


@router.get(
    "/fhir",
    response_class=Response,
    responses={
        200: {
            "content": {"application/fhir+json": {"schema": {"type": "object"}}},
            "description": "A FHIR R4 Bundle of your diary",
        }
    },
)
def fhir(user: UserDep, store: StoreDep) -> Response:
    import json

    bundle = reports.fhir_bundle(store, user)
    return Response(
        json.dumps(bundle),
        media_type="application/fhir+json",
        headers={"content-disposition": 'attachment; filename="crampwise-fhir.json"'},
    )

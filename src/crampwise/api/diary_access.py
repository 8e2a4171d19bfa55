"""The diary as the API and web page use it: every call takes the owner's user id, so no query
can reach another person's entries (another user's entry is simply not found: 404)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from crampwise.diary.errors import InvalidEntry, NotFound
from crampwise.diary.models import Episode


def episode_out(ep: Episode) -> dict[str, Any]:
    data = asdict(ep)
    data.pop("user_id", None)
    data["helped"] = list(ep.helped or [])
    data["notes"] = ep.notes or ""
    return data


def add(store: Any, user_id: str, fields: dict[str, Any]) -> Episode:
    episode: Episode = store.add_episode(Episode(**fields), user_id=user_id)
    return episode


def list_all(
    store: Any, user_id: str, *, newest_first: bool = False, limit: int | None = None
) -> list[Episode]:
    return list(store.list_episodes(user_id, newest_first=newest_first, limit=limit))


def get(store: Any, user_id: str, episode_id: int) -> Episode | None:
    try:
        found: Episode = store.get_episode(episode_id, user_id)
    except NotFound:
        return None
    return found


def update(store: Any, user_id: str, episode_id: int, changes: dict[str, Any]) -> Episode | None:
    try:
        updated: Episode = store.update_episode(episode_id, changes, user_id)
    except NotFound:
        return None
    return updated


def delete(store: Any, user_id: str, episode_id: int) -> bool:
    try:
        store.delete_episode(episode_id, user_id)
    except NotFound:
        return False
    return True


def now_utc() -> datetime:
    return datetime.now(UTC)


__all__ = ["InvalidEntry", "add", "delete", "episode_out", "get", "list_all", "now_utc", "update"]

"""Dependencies: settings, the diary store, the current user. Route signatures read as prose."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import Depends, Request

from crampwise.api.errors import ApiError
from crampwise.api.security import hash_token
from crampwise.api.settings import Settings

LOCAL_USER = "local"


class StoreHolder:
    """Opens the diary store on first use (not at import, not at app creation)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._store: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from crampwise.diary.store import open_store

                    self._store = open_store(self.url)
        return self._store

    def close(self) -> None:
        store, self._store = self._store, None
        close = getattr(store, "close", None)
        if callable(close):
            close()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Any:
    holder: StoreHolder = request.app.state.store
    return holder.get()


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def current_user(request: Request) -> str:
    settings = get_settings(request)
    if not settings.multi_user:
        return LOCAL_USER
    token = bearer_token(request)
    if token is None:
        raise ApiError(
            "unauthorized",
            "An API token is required: send 'Authorization: Bearer <token>'.",
            headers={"www-authenticate": "Bearer"},
        )
    user = get_store(request).user_for_token_hash(hash_token(token))
    if user is None:
        raise ApiError("unauthorized", "This API token is not valid.", headers={"www-authenticate": "Bearer"})
    return str(user)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Any, Depends(get_store)]
UserDep = Annotated[str, Depends(current_user)]

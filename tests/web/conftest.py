"""Fixtures for the web page tests (in-process TestClient)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crampwise.api import Settings, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's TestClient httpx -> httpx2 notice
    from starlette.testclient import TestClient

SECRET = "test-secret-key-0123456789abcdef"


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        values: dict[str, Any] = {
            "db_url": f"sqlite:///{tmp_path / 'diary.sqlite3'}",
            "secret_key": SECRET,
            "log_requests": False,
        }
        values.update(overrides)
        client = TestClient(
            create_app(Settings(**values)),
            raise_server_exceptions=False,
            base_url="http://testserver",
            follow_redirects=False,
        )
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


@pytest.fixture
def csrf() -> Callable[[str], str]:
    return csrf_of

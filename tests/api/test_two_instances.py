"""A deployment: two instances on different ports share one PostgreSQL database; the API is
stateless, so it does not matter which instance a load balancer picks for each request."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.postgres

SECRET = "shared-deployment-secret-0123456789"


def test_two_instances_share_one_database(live_server, pg_url):
    a = live_server(db_url=pg_url, multi_user=True, secret_key=SECRET, rate_limit_per_minute=100000)
    b = live_server(db_url=pg_url, multi_user=True, secret_key=SECRET, rate_limit_per_minute=100000)
    assert a.port != b.port

    # An account made on A works on B.
    token = httpx.post(a.url + "/v1/accounts").json()["token"]
    auth = {"authorization": f"Bearer {token}"}
    assert httpx.get(b.url + "/v1/me", headers=auth).status_code == 200

    # Writes alternate between instances, reads see all of them on either.
    ids = []
    for i in range(6):
        server = (a, b)[i % 2]
        made = httpx.post(
            server.url + "/v1/diary/episodes",
            headers=auth,
            json={"started_at": f"2026-11-1{i}T03:00:00+00:00", "severity": i},
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    for server in (a, b):
        listed = httpx.get(server.url + "/v1/diary/episodes", headers=auth).json()
        assert sorted(e["id"] for e in listed["episodes"]) == sorted(ids)
        assert httpx.get(server.url + "/v1/diary/stats", headers=auth).json()["episodes"] == 6

    # An update on B is seen on A; a delete on A is seen on B.
    assert (
        httpx.patch(f"{b.url}/v1/diary/episodes/{ids[0]}", headers=auth, json={"severity": 9}).status_code
        == 200
    )
    assert httpx.get(f"{a.url}/v1/diary/episodes/{ids[0]}", headers=auth).json()["severity"] == 9
    assert httpx.delete(f"{a.url}/v1/diary/episodes/{ids[1]}", headers=auth).status_code == 204
    assert httpx.get(f"{b.url}/v1/diary/episodes/{ids[1]}", headers=auth).status_code == 404

    # Isolation holds across instances too.
    other = {"authorization": "Bearer " + httpx.post(b.url + "/v1/accounts").json()["token"]}
    assert httpx.get(f"{a.url}/v1/diary/episodes/{ids[0]}", headers=other).status_code == 404
    assert httpx.get(a.url + "/v1/diary/episodes", headers=other).json()["count"] == 0


def test_web_session_works_on_either_instance(live_server, pg_url):
    a = live_server(db_url=pg_url, multi_user=True, secret_key=SECRET, rate_limit_per_minute=100000)
    b = live_server(db_url=pg_url, multi_user=True, secret_key=SECRET, rate_limit_per_minute=100000)
    import re

    with httpx.Client(base_url=a.url) as browser:
        page = browser.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        assert browser.post("/signup", data={"csrf": csrf}).status_code == 200
        cookies = dict(browser.cookies)
    # Same cookies, the other instance: the signed session and CSRF token are valid there too.
    with httpx.Client(base_url=b.url, cookies=cookies) as browser:
        page = browser.get("/diary")
        assert page.status_code == 200
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        logged = browser.post(
            "/diary/log", data={"csrf": csrf, "muscle": "foot", "when": "0", "severity": "4"}
        )
        assert logged.status_code == 303
    with httpx.Client(base_url=a.url, cookies=cookies) as browser:
        assert "foot" in browser.get("/diary").text

"""Multi-user mode: accounts, tokens stored only as hashes, every diary query scoped to its owner,
rate limits, and nothing personal in the logs."""

from __future__ import annotations

import hashlib
import logging

EPISODE = {
    "started_at": "2026-11-20T03:10:00+00:00",
    "muscle": "calf",
    "severity": 6,
    "notes": "after the long walk with Maria",
}


def test_local_mode_needs_no_login(client):
    assert client.get("/v1/me").json() == {"user_id": "local", "multi_user": False}
    assert client.post("/v1/diary/episodes", json=EPISODE).status_code == 201
    assert client.post("/v1/accounts").status_code == 403


def test_multi_user_requires_a_token(multi, signup):
    for method, path in (
        ("get", "/v1/diary/episodes"),
        ("post", "/v1/diary/episodes"),
        ("get", "/v1/diary/stats"),
        ("get", "/v1/diary/report"),
        ("get", "/v1/me"),
    ):
        response = getattr(multi, method)(path, **({"json": EPISODE} if method == "post" else {}))
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"
    bad = {"authorization": "Bearer cw_not-a-real-token"}
    assert multi.get("/v1/diary/episodes", headers=bad).status_code == 401


def test_tokens_are_stored_only_as_hashes(multi, tmp_path):
    response = multi.post("/v1/accounts")
    token = response.json()["token"]
    assert token.startswith("cw_")
    assert len(token) > 40
    import sqlite3

    with sqlite3.connect(tmp_path / "diary.sqlite3") as db:
        dump = "\n".join(db.iterdump())
    assert token not in dump
    assert hashlib.sha256(token.encode()).hexdigest() in dump


def test_second_token_for_same_account(multi, signup):
    first = signup(multi)
    second = multi.post("/v1/tokens", headers=first)
    assert second.status_code == 201
    again = {"authorization": f"Bearer {second.json()['token']}"}
    assert multi.get("/v1/me", headers=again).json() == multi.get("/v1/me", headers=first).json()


def test_signup_can_be_closed(make_client):
    closed = make_client(multi_user=True, allow_signup=False)
    response = closed.post("/v1/accounts")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_users_cannot_see_or_touch_each_others_entries(multi, signup):
    alice, bob = signup(multi), signup(multi)
    made = multi.post("/v1/diary/episodes", json=EPISODE, headers=alice)
    assert made.status_code == 201
    eid = made.json()["id"]
    url = f"/v1/diary/episodes/{eid}"

    # Bob sees nothing of Alice's diary, and her entry is a 404 for him (not a 403: no existence leak).
    assert multi.get("/v1/diary/episodes", headers=bob).json() == {"episodes": [], "count": 0}
    for method, kwargs in (("get", {}), ("patch", {"json": {"severity": 1}}), ("delete", {})):
        response = getattr(multi, method)(url, headers=bob, **kwargs)
        assert response.status_code == 404, method
        assert response.json()["error"]["code"] == "not_found"
    assert multi.get("/v1/diary/stats", headers=bob).json()["episodes"] == 0
    assert "Maria" not in multi.get("/v1/diary/report", headers=bob).text

    # Alice's entry is untouched.
    mine = multi.get(url, headers=alice).json()
    assert mine["severity"] == 6
    assert mine["notes"] == EPISODE["notes"]
    assert multi.get("/v1/diary/stats", headers=alice).json()["episodes"] == 1
    assert "Maria" in multi.get("/v1/diary/report", headers=alice).text
    assert multi.delete(url, headers=alice).status_code == 204
    assert multi.get(url, headers=alice).status_code == 404


def test_nonexistent_ids_are_404_not_500(multi, signup):
    alice = signup(multi)
    for eid in (0, -1, 999999, 2**63 + 5):
        response = multi.get(f"/v1/diary/episodes/{eid}", headers=alice)
        assert response.status_code in (404, 422), eid
        assert response.status_code != 500


def test_rate_limit(make_client):
    limited = make_client(multi_user=True, rate_limit_per_minute=60, rate_limit_burst=5)
    statuses = [limited.get("/v1/health").status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5
    assert 429 in statuses[5:]
    response = limited.get("/v1/health")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response.headers["retry-after"]) >= 1


def test_local_mode_is_not_rate_limited(client):
    assert {client.get("/v1/health").status_code for _ in range(300)} == {200}


def test_request_log_holds_no_personal_data(make_client, caplog, signup):
    logged = make_client(multi_user=True, log_requests=True, rate_limit_per_minute=100000)
    alice = signup(logged)
    token = alice["authorization"].split()[1]
    with caplog.at_level(logging.DEBUG):
        made = logged.post("/v1/diary/episodes", json=EPISODE, headers=alice)
        eid = made.json()["id"]
        logged.get(f"/v1/diary/episodes/{eid}?secret=Maria", headers=alice)
        logged.post("/v1/diary/episodes", json={**EPISODE, "severity": "bad"}, headers=alice)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("crampwise", "uvicorn")))
    assert "GET /v1/diary/episodes/{episode_id} 200" in text  # the route template, not the id
    for private in ("Maria", "walk", token, "testclient", f"/episodes/{eid}"):
        assert private not in text, private

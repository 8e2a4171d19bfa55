"""The API's contract at its edges: strict input, JSON errors with stable codes, body limits,
security headers, and no stack traces."""

from __future__ import annotations

import pytest

EPISODE = {"started_at": "2026-11-20T03:10:00+01:00", "muscle": "calf", "side": "left", "severity": 6}


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"].strip()
    return body["error"]


@pytest.mark.parametrize(
    "payload",
    [
        {"profile": {"age": False}},
        {"profile": {"age": "67"}},
        {"profile": {"pregnant": "yes"}},
        {"profile": {"medicines": "Lasix"}},
        {"text": 5},
        {"text": None, "profile": None, "extra": 1},
    ],
)
def test_assess_input_is_strict(client, payload):
    response = client.post("/v1/assess", json=payload)
    assert response.status_code == 422
    err = error_of(response)
    assert err["code"] == "validation_error"
    assert err["details"]


def test_age_false_names_the_field(client):
    err = error_of(client.post("/v1/assess", json={"profile": {"age": False}}))
    assert "age" in err["message"]
    assert err["details"][0]["field"] == "profile.age"


def test_assess_needs_exactly_one_input(client):
    for payload in ({}, {"text": "calf cramps at night", "profile": {"age": 50}}):
        err = error_of(client.post("/v1/assess", json=payload))
        assert err["code"] == "validation_error"
        assert "exactly one" in err["message"]


def test_diary_rejects_lax_values(client):
    for bad in (
        {"severity": True},
        {"severity": "6"},
        {"severity": 11},
        {"started_at": 1700000000},
        {"muscle": "neck"},
        {"unknown": 1},
    ):
        response = client.post("/v1/diary/episodes", json={**EPISODE, **bad})
        assert response.status_code == 422, bad
        assert error_of(response)["code"] == "validation_error"


def test_invalid_json_is_a_clear_400(client):
    response = client.post(
        "/v1/diary/episodes", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


def test_body_size_limit_declared_and_streamed(make_client):
    client = make_client(max_body_bytes=2048)
    big = {"text": "cramp " * 1000}
    response = client.post("/v1/assess", json=big)
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"

    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    response = client.post("/v1/assess", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "body_too_large"


def test_unknown_route_and_method(client):
    err = error_of(client.get("/v1/nothing-here"))
    assert err["code"] == "not_found"
    response = client.put("/v1/assess", json={})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_unexpected_error_has_no_stack_trace(make_client, monkeypatch, caplog):
    client = make_client()
    from crampwise.api import content

    def boom(*_a, **_k):
        raise RuntimeError("secret personal detail: I am 67 and on Lasix")

    monkeypatch.setattr(content, "topic_summaries", boom)
    response = client.get("/v1/topics")
    assert response.status_code == 500
    err = error_of(response)
    assert err["code"] == "internal_error"
    assert "Traceback" not in response.text
    assert "Lasix" not in response.text
    assert "Lasix" not in caplog.text


def test_security_headers_everywhere(client):
    for path in ("/v1/health", "/v1/openapi.json", "/", "/static/app.css", "/v1/nothing"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "http" not in csp  # no third-party origin anywhere
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    assert client.get("/v1/diary/episodes").headers["cache-control"] == "no-store"


def test_hsts_only_when_secure(make_client):
    assert "strict-transport-security" not in make_client().get("/v1/health").headers
    assert "strict-transport-security" in make_client(secure_cookies=True).get("/v1/health").headers


def test_openapi_is_served_and_versioned(client):
    doc = client.get("/v1/openapi.json").json()
    assert doc["info"]["title"] == "Crampwise API"
    paths = set(doc["paths"])
    for expected in (
        "/v1/assess",
        "/v1/interview",
        "/v1/topics",
        "/v1/topics/{slug}",
        "/v1/labs",
        "/v1/diary/episodes",
        "/v1/diary/episodes/{episode_id}",
        "/v1/diary/stats",
        "/v1/diary/charts/{name}.svg",
        "/v1/diary/report",
        "/v1/diary/fhir",
        "/v1/accounts",
    ):
        assert expected in paths
    assert all(p.startswith("/v1/") for p in paths)
    # Every operation documents the shared error shape.
    for ops in doc["paths"].values():
        for op in ops.values():
            assert "500" in op["responses"]
            assert "429" in op["responses"]
            if "requestBody" in op or op.get("parameters"):
                assert "422" in op["responses"]
    assert client.get("/openapi.json").json()["paths"] == doc["paths"]
    # The interactive docs pull scripts from a CDN: not served.
    assert client.get("/docs").status_code == 404


def test_no_settings_read_at_import():
    import subprocess
    import sys

    code = (
        "import os; os.environ['CRAMPWISE_DB']='sqlite:////nonexistent/dir/x.db';"
        "import crampwise.api, crampwise.web, crampwise.cli.serve_cmd;"
        "import sys; assert 'uvicorn' not in sys.modules, 'uvicorn imported';"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_cli_import_stays_light():
    import subprocess
    import sys

    code = (
        "import sys, crampwise.cli.serve_cmd;"
        "heavy=('fastapi','uvicorn','starlette','pydantic','sqlalchemy','jinja2');"
        "bad=[m for m in heavy if m in sys.modules];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

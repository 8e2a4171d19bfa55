"""The web page's defences: CSRF on every form, escaping of everything a person typed, cookie flags."""

from __future__ import annotations

XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def log_form(**extra: str) -> dict[str, str]:
    return {"muscle": "calf", "side": "left", "when": "0", "severity": "6", **extra}


def test_pages_render_with_a_csrf_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "cw_csrf=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie


def test_diary_form_needs_the_csrf_token(client, csrf):
    page = client.get("/diary")
    token = csrf(page.text)
    # No token, a wrong token, a token without its cookie: all refused.
    assert client.post("/diary/log", data=log_form()).status_code == 403
    assert client.post("/diary/log", data=log_form(csrf="forged")).status_code == 403
    cookies = dict(client.cookies)
    client.cookies.clear()
    assert client.post("/diary/log", data=log_form(csrf=token)).status_code == 403
    client.cookies.update(cookies)
    # Cross-site requests are refused even with a valid token.
    assert (
        client.post(
            "/diary/log", data=log_form(csrf=token), headers={"origin": "https://evil.example"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/diary/log", data=log_form(csrf=token), headers={"sec-fetch-site": "cross-site"}
        ).status_code
        == 403
    )
    assert client.get("/v1/diary/episodes").json()["count"] == 0
    # The real form works.
    done = client.post("/diary/log", data=log_form(csrf=token), headers={"origin": "http://testserver"})
    assert done.status_code == 303
    assert client.get("/v1/diary/episodes").json()["count"] == 1


def test_delete_needs_the_csrf_token(client, csrf):
    eid = client.post("/v1/diary/episodes", json={"started_at": "2026-11-20T03:00:00Z"}).json()["id"]
    token = csrf(client.get("/diary").text)
    assert client.post(f"/diary/{eid}/delete", data={}).status_code == 403
    assert client.get(f"/v1/diary/episodes/{eid}").status_code == 200
    assert client.post(f"/diary/{eid}/delete", data={"csrf": token}).status_code == 303
    assert client.get(f"/v1/diary/episodes/{eid}").status_code == 404


def test_ask_form_needs_the_csrf_token(client, csrf):
    assert client.post("/ask", data={"text": "cramps"}).status_code == 403
    token = csrf(client.get("/").text)
    # An empty description is a friendly 422 page, not an error.
    response = client.post("/ask", data={"text": "  ", "csrf": token})
    assert response.status_code == 422
    assert "describe your cramps" in response.text


def test_cross_site_simple_request_cannot_write_through_the_api(client):
    # A cross-site HTML form can only send form/text bodies; the JSON API refuses them.
    response = client.post(
        "/v1/diary/episodes",
        content=b'{"started_at": "2026-11-20T03:00:00Z"}',
        headers={"content-type": "text/plain"},
    )
    assert response.status_code == 422
    response = client.post("/v1/diary/episodes", data={"started_at": "2026-11-20T03:00:00Z"})
    assert response.status_code == 422
    assert client.get("/v1/diary/episodes").json()["count"] == 0


def test_diary_notes_are_escaped(client):
    client.post("/v1/diary/episodes", json={"started_at": "2026-11-20T03:00:00Z", "notes": XSS})
    html = client.get("/diary").text
    assert XSS not in html
    assert "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    report = client.get("/diary/report.html").text
    assert "<script>alert(2)" not in report


def test_ask_escapes_what_was_typed(client, csrf):
    token = csrf(client.get("/").text)
    response = client.post("/ask", data={"text": f"calf cramps at night {XSS}", "csrf": token})
    assert response.status_code == 200
    assert XSS not in response.text
    assert "<script>alert(2)" not in response.text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in response.text


def test_multi_user_session_cookie(make_client, csrf):
    client = make_client(multi_user=True, rate_limit_per_minute=100000)
    # The diary needs a session; the ask page does not.
    assert client.get("/diary").status_code == 303
    assert client.get("/").status_code == 200
    token = csrf(client.get("/login").text)
    assert client.post("/signup", data={}).status_code == 403
    page = client.post("/signup", data={"csrf": token})
    assert page.status_code == 200
    session = next(c for c in page.headers.get_list("set-cookie") if c.startswith("cw_session="))
    assert "HttpOnly" in session
    assert "SameSite=lax" in session
    assert client.get("/diary").status_code == 200
    # A tampered session is no session.
    value = client.cookies["cw_session"]
    client.cookies.set("cw_session", value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1])
    assert client.get("/diary").status_code == 303


def test_login_with_key_and_isolation(make_client, csrf):
    client = make_client(multi_user=True, rate_limit_per_minute=100000)
    alice = client.post("/v1/accounts").json()["token"]
    bob = client.post("/v1/accounts").json()["token"]
    client.post(
        "/v1/diary/episodes",
        json={"started_at": "2026-11-20T03:00:00Z", "notes": "alice-only"},
        headers={"authorization": f"Bearer {alice}"},
    )
    token = csrf(client.get("/login").text)
    assert client.post("/login", data={"csrf": token, "token": "wrong"}).status_code == 401
    assert client.post("/login", data={"csrf": token, "token": bob}).status_code == 303
    assert "alice-only" not in client.get("/diary").text
    assert client.post("/login", data={"csrf": token, "token": alice}).status_code == 303
    assert "alice-only" in client.get("/diary").text

"""What each /v1 endpoint answers, through the real core (no mocks)."""

from __future__ import annotations

TEXT = "I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling"
CONTRACT = {"triage", "red_flags", "factors", "medications", "plan"}


def test_assess_text_follows_the_contract(client):
    response = client.post("/v1/assess", json={"text": TEXT})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= CONTRACT
    assert body["triage"]["level"] in (
        "emergency_ambulance",
        "emergency",
        "consultation_24",
        "consultation",
        "self_care",
    )
    assert "loop_diuretic" in {m["drug_class"] for m in body["medications"]}
    assert body["profile"]["age"] == 67
    for factor in body["factors"]:
        assert factor["because"] is not None
        assert factor["sources"] is not None


def test_assess_profile(client):
    response = client.post(
        "/v1/assess",
        json={
            "profile": {
                "age": 67,
                "sex": "male",
                "medicines": ["Lasix"],
                "findings": {"timing_night": "present"},
            }
        },
    )
    assert response.status_code == 200, response.text
    assert "loop_diuretic" in {m["drug_class"] for m in response.json()["medications"]}


def test_assess_input_error_is_a_clear_422(client):
    response = client.post("/v1/assess", json={"profile": {"findings": {"no_such_finding": "present"}}})
    assert response.status_code == 422
    err = response.json()["error"]
    assert err["code"] == "input_error"
    assert "no_such_finding" in err["message"]


def test_red_flag_is_first(client):
    response = client.post(
        "/v1/assess", json={"text": "My left calf is swollen, hot and red and it cramps. I'm 58."}
    )
    assert response.status_code == 200
    assert response.json()["triage"]["level"] in ("emergency_ambulance", "emergency", "consultation_24")


def test_interview_is_stateless(client):
    first = client.post("/v1/interview", json={"text": "My calves cramp at night.", "answers": {}})
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == {"question", "assessment", "done", "understood", "reason", "notes"}
    if body["done"]:
        return
    question = body["question"]
    assert question["text"]
    assert question["why"]
    answer = question["choices"][0] if question["choices"] else "no"
    second = client.post(
        "/v1/interview", json={"text": "My calves cramp at night.", "answers": {question["id"]: answer}}
    )
    assert second.status_code == 200
    nxt = second.json()["question"]
    assert nxt is None or nxt["id"] != question["id"]
    # Same input, same output: nothing is remembered between calls.
    again = client.post("/v1/interview", json={"text": "My calves cramp at night.", "answers": {}})
    assert again.json() == body


def test_labs(client):
    response = client.post(
        "/v1/labs", json={"text": "creatinine 1.4 mg/dL, K 3.1", "age": 70, "sex": "female"}
    )
    assert response.status_code == 200
    body = response.json()
    assert {v["analyte"]: v["status"] for v in body["labs"]} == {"creatinine": "high", "potassium": "low"}
    assert "egfr" in {d["analyte"] for d in body["derived"]}
    structured = client.post(
        "/v1/labs", json={"values": [{"analyte": "potassium", "value": 3.1, "unit": "mmol/L"}]}
    )
    assert structured.json()["labs"][0]["status"] == "low"


def test_topics(client):
    listing = client.get("/v1/topics")
    assert listing.status_code == 200
    topics = listing.json()
    assert topics, "the knowledge base has topics"
    detail = client.get(f"/v1/topics/{topics[0]['slug']}").json()
    assert detail["title"] == topics[0]["title"]
    cited = {s for section in detail["sections"] for p in section["points"] for s in p["sources"]}
    assert cited <= set(detail["references"])
    assert client.get("/v1/topics/no-such-topic").json()["error"]["code"] == "not_found"


def test_diary_crud_stats_charts_report_fhir(client):
    made = client.post(
        "/v1/diary/episodes",
        json={
            "started_at": "2026-11-20T03:10:00+01:00",
            "severity": 6,
            "muscle": "calf",
            "side": "left",
            "context": "asleep",
        },
    )
    assert made.status_code == 201
    episode = made.json()
    assert episode["started_at"].startswith("2026-11-20T02:10:00")  # stored in UTC
    url = f"/v1/diary/episodes/{episode['id']}"
    assert client.patch(url, json={"severity": 3, "notes": "stretching helped"}).json()["severity"] == 3
    assert client.get("/v1/diary/episodes").json()["count"] == 1
    stats = client.get("/v1/diary/stats?tz=Europe/Paris").json()
    assert stats["episodes"] == 1
    assert stats["tz"] == "Europe/Paris"
    assert client.get("/v1/diary/stats?tz=Mars/Olympus").status_code == 422
    for name in ("weekly", "heatmap", "severity"):
        svg = client.get(f"/v1/diary/charts/{name}.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert svg.text.startswith("<svg")
    html = client.get("/v1/diary/report")
    assert html.headers["content-type"].startswith("text/html")
    assert "stretching helped" in html.text
    pdf = client.get("/v1/diary/report?format=pdf")
    assert pdf.content[:5] == b"%PDF-"
    bundle = client.get("/v1/diary/fhir").json()
    assert bundle["resourceType"] == "Bundle"
    assert len(bundle["entry"]) >= 2
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_fast_serialisation_matches_to_dict():
    import json

    from crampwise.api.routes.core import assessment_dict
    from crampwise.pipeline import assess_text

    for text in (
        TEXT,
        "My left calf is swollen and hot.",
        "foot cramps after running, I'm 30, on salbutamol",
    ):
        assessment = assess_text(text)
        from crampwise.render.jsonout import dumps

        assert json.loads(dumps(assessment_dict(assessment))) == json.loads(json.dumps(assessment.to_dict()))

"""The blood-test page: results typed in any unit, read back in plain words."""

from __future__ import annotations


def test_labs_page(client, csrf):
    page = client.get("/labs")
    assert page.status_code == 200
    token = csrf(page.text)
    result = client.post(
        "/labs",
        data={"csrf": token, "text": "potassium 3.1, creatinine 1.4 mg/dL", "age": "70", "sex": "female"},
    )
    assert result.status_code == 200
    assert "What they mean" in result.text
    assert "potassium" in result.text
    assert "egfr" in result.text.lower()
    assert client.post("/labs", data={"csrf": token, "text": "k 3.1", "age": "old"}).status_code == 422
    assert client.post("/labs", data={"text": "k 3.1"}).status_code == 403


def test_labs_page_escapes(client, csrf):
    token = csrf(client.get("/labs").text)
    result = client.post("/labs", data={"csrf": token, "text": "<script>alert(1)</script> potassium 3.1"})
    assert "<script>alert(1)" not in result.text

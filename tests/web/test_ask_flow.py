"""The ask → check → answer → result flow as plain HTML forms (what a browser without JavaScript does)."""

from __future__ import annotations

import re
from html import unescape

TEXT = "I'm 67 and take Lasix. My calves cramp at night, most nights."


def hidden_fields(html: str, form_index: int = 0) -> dict[str, str]:
    forms = re.findall(r'<form method="post" action="/ask".*?</form>', html, flags=re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', forms[form_index])
    return {unescape(k): unescape(v) for k, v in fields}


def test_questions_then_result(client, csrf):
    token = csrf(client.get("/").text)
    page = client.post("/ask", data={"text": TEXT, "csrf": token})
    assert page.status_code == 200
    seen = []
    for _ in range(20):
        if 'id="triage"' in page.text:
            break
        assert "What I understood" in page.text
        assert "Why I ask:" in page.text
        form = hidden_fields(page.text, 1)  # the question's form (the first one corrects the text)
        assert form["text"] == TEXT  # the description travels with every answer
        qid = form["qid"]
        assert qid not in seen, "a question was asked twice"
        seen.append(qid)
        choices = re.findall(r'name="choice" value="([^"]+)"', page.text)
        answer = (
            {"choice": "no"} if "no" in choices else ({"choice": choices[0]} if choices else {"reply": "no"})
        )
        page = client.post("/ask", data={**form, **answer, "action": "answer"})
        assert page.status_code == 200
        # Every answer so far is carried forward in the next form.
        if 'id="triage"' not in page.text:
            carried = hidden_fields(page.text, 1)
            assert all(f"answer:{q}" in carried for q in seen)
    assert 'id="triage"' in page.text
    result = page.text
    # The triage banner comes before the sections.
    assert result.index('id="triage"') < result.index("Likely factors") < result.index("Your plan")
    assert "Your medicines" in result
    assert "furosemide" in result.lower()


def test_finish_early_and_skip(client, csrf):
    token = csrf(client.get("/").text)
    page = client.post("/ask", data={"text": TEXT, "csrf": token})
    if 'id="triage"' in page.text:
        return
    form = hidden_fields(page.text, 1)
    skipped = client.post("/ask", data={**form, "action": "skip"})
    assert skipped.status_code == 200
    finished = client.post("/ask", data={**form, "action": "finish"})
    assert 'id="triage"' in finished.text


def test_correcting_the_text_changes_what_was_understood(client, csrf):
    token = csrf(client.get("/").text)
    first = client.post("/ask", data={"text": "My calves cramp at night.", "csrf": token})
    corrected = client.post("/ask", data={"text": "My calves cramp at night. I am 72.", "csrf": token})
    assert "72" not in first.text
    assert "72" in corrected.text

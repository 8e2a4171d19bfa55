"""The whole web page in a real browser (Debian's Chromium via Playwright), at desktop and phone
sizes: ask → check what was understood, correct it → answer → result; the diary; downloads;
accessibility (axe-core: zero serious or critical violations), keyboard use, no third-party
requests, no CSP violations, no script injection, and the ask flow without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

TEXT = (
    "I'm 67 and take Lasix and atorvastatin. My calves cramp at night, about 3am, most nights. No swelling."
)
XSS = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def submit(p, locator) -> None:
    """Click a button or link that loads a new page, and wait for that page."""
    with p.page.expect_navigation():
        locator.click()


def no_serious_axe(p, label: str) -> None:
    violations = p.axe(label)
    assert violations == [], f"{label}: {violations}"


def no_horizontal_scroll(p) -> None:
    width = p.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1] + 1, f"page wider than the screen: {width}"


def answer_until_result(p, max_steps: int = 15, axe: bool = True) -> int:
    """Answer the follow-up questions (a choice, or words) until the result shows."""
    steps = 0
    while p.page.locator("#triage").count() == 0:
        assert steps < max_steps, "the interview never ended"
        assert p.page.get_by_role("heading", name="What I understood").is_visible()
        assert p.page.get_by_text("Why I ask:").is_visible()
        if steps == 0:
            if axe:  # axe-core runs in the page, so only where JavaScript is on
                no_serious_axe(p, "question")
            p.shot("question")
        radios = p.page.locator(".question input[type=radio]")
        if radios.count():
            labels = [t.strip().lower() for t in p.page.locator(".question .choice").all_inner_texts()]
            pick = labels.index("no") if "no" in labels else 0
            radios.nth(pick).check()
        else:
            p.page.locator("#reply").fill("no")
        submit(p, p.page.get_by_role("button", name="Next"))
        steps += 1
    return steps


def check_result(p) -> None:
    main = p.page.locator("main")
    # The triage banner comes first: straight after the page heading, before every section.
    first = main.evaluate(
        "m => { const b = m.querySelector('#triage'); const s = m.querySelector('section');"
        " return b !== null && (s === null ||"
        " (b.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING) > 0); }"
    )
    assert first, "the triage banner is not the first thing in the result"
    level = p.page.locator("#triage").get_attribute("data-level")
    assert level in ("emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care")
    for heading in ("Likely factors", "Your plan"):
        assert p.page.get_by_role("heading", name=heading).is_visible(), heading
    assert p.page.get_by_role("heading", name="Your medicines").is_visible()  # Lasix and a statin
    if p.page.locator(".factors li").count():
        assert p.page.locator(".factors .why").first.is_visible()
    no_serious_axe(p, "result")
    no_horizontal_scroll(p)
    p.shot("result")


def test_ask_answer_result(page):
    p = page
    p.goto("/")
    no_serious_axe(p, "home")
    no_horizontal_scroll(p)
    p.page.get_by_label("Your cramps, in your own words").fill(TEXT)
    p.shot("home")
    submit(p, p.page.get_by_role("button", name="Check my cramps"))
    if p.page.locator("#triage").count() == 0:
        assert (
            "67" in " ".join(p.page.locator(".understood li").all_inner_texts())
            or p.page.locator(".understood li").count() > 0
        )
    answer_until_result(p)
    check_result(p)


def test_correct_what_was_understood(new_page):
    p = new_page("correct", "phone")
    p.goto("/")
    p.page.get_by_label("Your cramps, in your own words").fill("My calves cramp at night.")
    submit(p, p.page.get_by_role("button", name="Check my cramps"))
    if p.page.locator("#triage").count():
        pytest.skip("no question was asked for this text")
    before = p.page.locator(".understood li").all_inner_texts()
    p.page.get_by_text("Not quite right? Correct it").click()
    p.page.get_by_label("Change what you wrote").fill("My calves cramp at night. I'm 72 and take furosemide.")
    p.shot("correcting")
    submit(p, p.page.get_by_role("button", name="Update"))
    after = p.page.locator(".understood li").all_inner_texts()
    assert after != before
    assert any("72" in line for line in after) or any("furosemide" in line.lower() for line in after)
    p.shot("corrected")
    answer_until_result(p)
    check_result(p)


def test_ask_flow_without_javascript(new_page):
    p = new_page("nojs", "phone", java_script_enabled=False)
    p.goto("/")
    p.page.get_by_label("Your cramps, in your own words").fill(TEXT)
    submit(p, p.page.get_by_role("button", name="Check my cramps"))
    answer_until_result(p, axe=False)
    assert p.page.locator("#triage").is_visible()
    assert p.page.get_by_role("heading", name="Your plan").is_visible()
    p.shot("result-without-js")
    assert p.third_party() == []


def test_show_result_early(new_page):
    p = new_page("early", "desktop")
    p.goto("/")
    p.page.get_by_label("Your cramps, in your own words").fill(TEXT)
    submit(p, p.page.get_by_role("button", name="Check my cramps"))
    if p.page.locator("#triage").count() == 0:
        submit(p, p.page.get_by_role("button", name="Show my result now"))
    check_result(p)


def test_user_text_is_never_markup(new_page):
    p = new_page("xss", "desktop")
    p.goto("/")
    p.page.get_by_label("Your cramps, in your own words").fill(f"calf cramps at night {XSS}")
    submit(p, p.page.get_by_role("button", name="Check my cramps"))
    assert p.page.locator("img[src=x]").count() == 0
    p.goto("/diary")
    p.page.get_by_text("More details (optional)").click()
    p.page.get_by_label("Notes").fill(XSS)
    submit(p, p.page.get_by_role("button", name="Log this cramp"))
    assert p.page.get_by_text(XSS).first.is_visible()  # shown as text
    assert p.page.locator("main img[src=x]").count() == 0
    assert p.dialogs == []
    assert p.console_errors == []


def test_log_a_cramp_in_a_few_taps(page):
    p = page
    p.goto("/diary")
    no_serious_axe(p, "diary-empty")
    no_horizontal_scroll(p)
    p.shot("diary-empty")
    taps = 0
    for label in ("Foot", "Left", "7"):
        p.page.locator(".quicklog .choice", has_text=re.compile(rf"^\s*{label}\s*$")).click()
        taps += 1
    submit(p, p.page.get_by_role("button", name="Log this cramp"))
    taps += 1
    assert taps <= 4
    expect(p.page.get_by_role("status").filter(has_text="Logged.")).to_be_visible()
    assert p.page.locator(".episodes li", has_text="foot").first.is_visible()
    assert p.page.locator("figure.chart svg").count() >= 1
    no_serious_axe(p, "diary")
    no_horizontal_scroll(p)
    p.shot("diary-logged")

    with p.page.expect_download() as download:
        p.page.get_by_role("link", name="Download report (HTML)").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<html" in html.lower()
    assert "foot" in html.lower()
    with p.page.expect_download() as download:
        p.page.get_by_role("link", name="Download report (PDF)").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    with p.page.expect_download() as download:
        p.page.get_by_role("link", name="Export (FHIR JSON)").click()
    assert '"resourceType": "Bundle"' in Path(download.value.path()).read_text(encoding="utf-8")


def test_keyboard_only(new_page):
    p = new_page("keyboard", "desktop")
    p.goto("/")
    p.page.keyboard.press("Tab")
    focused = p.page.evaluate("() => document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    outline = p.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    p.page.keyboard.press("Enter")
    # From the main content, the description box and the button are reachable by Tab alone.
    for _ in range(10):
        p.page.keyboard.press("Tab")
        if p.page.evaluate("() => document.activeElement.id") == "text":
            break
    else:
        pytest.fail("the description box is not reachable by keyboard")
    assert p.page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") not in ("none", "")
    p.page.keyboard.type(TEXT)
    p.page.keyboard.press("Tab")
    assert p.page.evaluate("() => document.activeElement.textContent").strip() == "Check my cramps"
    p.page.keyboard.press("Enter")
    p.page.wait_for_load_state()
    assert p.page.locator("h1").inner_text() in ("A few questions", "Your result")
    p.shot("after-keyboard-submit")


def test_topics_and_error_pages(new_page):
    p = new_page("pages", "phone")
    response = p.goto("/topics")
    assert response.status == 200
    no_serious_axe(p, "topics")
    links = p.page.locator(".topics a")
    if links.count():
        submit(p, links.first)
        no_serious_axe(p, "topic")
        p.shot("topic")
    p.goto("/labs")
    p.page.get_by_label("Your results").fill("potassium 3.1, creatinine 1.4 mg/dL")
    p.page.get_by_label("Age (for eGFR, optional)").fill("70")
    p.page.locator(".choice", has_text="Female").click()
    submit(p, p.page.get_by_role("button", name="Read my results"))
    expect(p.page.get_by_role("heading", name="What they mean")).to_be_visible()
    no_serious_axe(p, "labs")
    no_horizontal_scroll(p)
    p.shot("labs")
    assert p.goto("/no-such-page").status == 404


def test_multi_user_sign_up_and_sign_in(page_on, multi_server):
    p = page_on(multi_server, "multi-user", "phone")
    p.goto("/diary")
    assert p.page.url.endswith("/login")
    no_serious_axe(p, "login")
    p.shot("login")
    submit(p, p.page.get_by_role("button", name="Start a new diary"))
    key = p.page.locator("#token").inner_text().strip()
    assert key.startswith("cw_")
    no_serious_axe(p, "key")
    submit(p, p.page.get_by_role("link", name="Go to my diary"))
    submit(p, p.page.get_by_role("button", name="Log this cramp"))
    expect(p.page.get_by_role("status").filter(has_text="Logged.")).to_be_visible()
    submit(p, p.page.get_by_role("button", name="Sign out"))
    # A second person's browser sees nothing of the first diary.
    q = page_on(multi_server, "multi-user-other", "phone")
    q.goto("/login")
    submit(q, q.page.get_by_role("button", name="Start a new diary"))
    q.goto("/diary")
    assert q.page.locator(".episodes li").count() == 0
    # The first person signs back in with the key.
    p.goto("/login")
    p.page.get_by_label("Your diary key").fill(key)
    submit(p, p.page.get_by_role("button", name="Open my diary"))
    assert p.page.locator(".episodes li").count() == 1
    p.shot("signed-in-again")
    for page in (p, q):
        assert page.third_party() == []
        assert page.console_errors == []

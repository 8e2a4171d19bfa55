"""End-to-end fixtures: a real uvicorn server in a subprocess, and Debian's Chromium driven by
Playwright (`executable_path=/usr/bin/chromium`; `playwright install` is never needed).

Screenshots go to tests/e2e/artifacts/ (gitignored) so CI can keep them.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "vendor" / "axe.min.js"
CHROMIUM = os.environ.get("CRAMPWISE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET = "e2e-secret-key-0123456789abcdef"

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, tmp: Path, **settings: Any) -> None:
        from crampwise.api import Settings

        values: dict[str, Any] = {"db_url": f"sqlite:///{tmp / 'e2e.sqlite3'}", "secret_key": SECRET}
        values.update(settings)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "server.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "crampwise.api:create_app_from_env",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
            ],
            env={**os.environ, **Settings(**values).to_env()},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log_path.read_text()[-2000:])
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("e2e"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


class Page:
    """A Playwright page that records every request and browser-side problem."""

    def __init__(self, page: Any, base: str, name: str) -> None:
        self.page = page
        self.base = base
        self.name = name
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.shots = 0
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def shot(self, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self, label: str) -> list[dict[str, Any]]:
        """axe-core in the page (WCAG 2.x A/AA rules); the serious and critical violations."""
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            """async () => {
                const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('axe timed out')), 60000));
                const r = await Promise.race([timeout, axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})]);
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
            }"""
        )
        return [v for v in result if v["impact"] in ("serious", "critical")]

    def third_party(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith((self.base, "data:", "blob:")))]


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any, server: Server) -> Iterator[Page]:
    context = browser.new_context(**VIEWPORTS[request.param])
    p = Page(context.new_page(), server.url, f"{request.node.originalname}-{request.param}")
    p.viewport = request.param  # type: ignore[attr-defined]
    yield p
    context.close()
    assert p.third_party() == [], "requests left this machine"
    assert p.dialogs == [], "a script ran that should not have"
    assert p.console_errors == [], "the browser reported errors (CSP violations included)"


@pytest.fixture
def new_page(browser: Any, server: Server) -> Iterator[Callable[..., Page]]:
    contexts: list[Any] = []

    def make(name: str, viewport: str = "desktop", **options: Any) -> Page:
        context = browser.new_context(**VIEWPORTS[viewport], **options)
        contexts.append(context)
        return Page(context.new_page(), server.url, name)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def multi_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("e2e-multi"), multi_user=True, rate_limit_per_minute=100000)
    yield srv
    srv.stop()


@pytest.fixture
def page_on(browser: Any) -> Iterator[Callable[..., Page]]:
    """A page in a fresh browser context (its own cookies) on a given server."""
    contexts: list[Any] = []

    def make(srv: Server, name: str, viewport: str = "desktop", **options: Any) -> Page:
        context = browser.new_context(**VIEWPORTS[viewport], **options)
        contexts.append(context)
        return Page(context.new_page(), srv.url, name)

    yield make
    for context in contexts:
        context.close()

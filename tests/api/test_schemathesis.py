"""Schemathesis against the OpenAPI document a real server serves: no server errors, every response
matches the schema, schema-violating input is refused and schema-valid input accepted.

The report endpoint renders a PDF per call, so it gets its own short fuzzing run instead of the
coverage phase (which would try it with every time zone in the schema's list)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

REPORT = "/v1/diary/report"


def run_schemathesis(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    if exe is None:
        pytest.fail("schemathesis is not installed (dev dependency)")
    return subprocess.run(
        [exe, "run", f"{url}/v1/openapi.json", "--seed", "1", "--no-color", *extra],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=900,
    )


def check(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stdout[-15000:] + result.stderr[-3000:]


def test_single_user_api_conforms(live_server, tmp_path):
    server = live_server()
    check(run_schemathesis(server.url, tmp_path, "--max-examples", "20", "--exclude-path", REPORT))
    check(
        run_schemathesis(
            server.url,
            tmp_path,
            "--max-examples",
            "10",
            "--include-path",
            REPORT,
            "--phases",
            "examples,fuzzing",
        )
    )


def test_multi_user_api_conforms(live_server, tmp_path):
    server = live_server(multi_user=True, rate_limit_per_minute=1_000_000)
    token = httpx.post(server.url + "/v1/accounts").json()["token"]
    auth = ("-H", f"Authorization: Bearer {token}")
    check(run_schemathesis(server.url, tmp_path, *auth, "--max-examples", "10", "--exclude-path", REPORT))

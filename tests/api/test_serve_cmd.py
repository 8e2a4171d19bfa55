"""`crampwise serve` itself: options, one worker and several, and a clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest
from click.testing import CliRunner


def test_help_lists_the_options():
    from crampwise.cli.serve_cmd import command

    result = CliRunner().invoke(command, ["--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--workers", "--multi-user"):
        assert option in result.output


def _serve(tmp_path, port: int, *args: str) -> subprocess.Popen[bytes]:
    code = "import sys; from crampwise.cli import main; main(sys.argv[1:])"
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            code,
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path}/d.sqlite3",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stdout.read().decode() if proc.stdout else "exited")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("not started")


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_starts_and_stops(tmp_path, workers):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = _serve(tmp_path, port, "--workers", str(workers), "--multi-user", "--secret-key", "k" * 32)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait(url, proc)
        token = httpx.post(url + "/v1/accounts").json()["token"]
        auth = {"authorization": f"Bearer {token}"}
        # Requests land on either worker; they share the database and the secret.
        for _ in range(6):
            assert (
                httpx.post(
                    url + "/v1/diary/episodes", headers=auth, json={"started_at": "2026-11-20T03:00:00Z"}
                ).status_code
                == 201
            )
        assert httpx.get(url + "/v1/diary/episodes", headers=auth).json()["count"] == 6
        assert httpx.get(url + "/", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    log = out.decode()
    assert "Traceback" not in log
    assert token not in log
    assert "127.0.0.1:" not in log.replace(f"127.0.0.1:{port}", "")  # no client addresses

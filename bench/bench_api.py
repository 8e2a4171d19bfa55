"""Benchmark the HTTP API: throughput and latency of POST /v1/assess beside the trivial
GET /v1/health of the same server, in the same run, at 50 concurrent keep-alive connections;
then (optionally) a soak at that load watching each worker's resident memory.

    python bench/bench_api.py                      # short run (about 25 s)
    python bench/bench_api.py --soak-seconds 600   # the 10-minute memory soak
    python bench/bench_api.py --json out.json --check

Targets (checked with --check, exit 1 if missed):
- assess keeps at least half the trivial endpoint's requests per second;
- every worker's resident memory stays under 200 MB through the soak.

The server is a real `uvicorn` process (httptools + uvloop when installed) on 127.0.0.1 with a
throwaway SQLite diary; the load generator is a small asyncio HTTP/1.1 client in this process, so
on a 2-core machine client and server share the cores (numbers are comparable within a run).
Traffic goes only to 127.0.0.1 and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

CONNECTIONS = 50
RSS_LIMIT_MB = 200.0

# Varied, realistic descriptions so no cache of one answer can flatter the figures.
AGES = ["", "I'm 34. ", "I am 52, ", "67 year old man, ", "I'm 71 and female. ", "78yo woman, ", "45 male. "]
PATTERNS = [
    "my calves cramp at night, about 3am, most nights",
    "I get foot cramps after running",
    "thigh cramps when I stand for a long time at work",
    "leg cramps at night since I started a new tablet",
    "cramps in both calves, worse in hot weather, I drink little water",
    "my toes curl and cramp in bed",
    "calf cramp during swimming",
]
MEDS = [
    "",
    " I take Lasix.",
    " I'm on atorvastatin.",
    " on amlodipine and metformin.",
    " I take salbutamol.",
    " no medicines.",
    " I take bendroflumethiazide and lisinopril.",
]
EXTRAS = [
    "",
    " No swelling.",
    " Sometimes my leg is swollen and red.",
    " I'm pregnant, 30 weeks.",
    " I have diabetes.",
    " My kidneys are not good.",
    " I drink a lot of coffee.",
]


def narratives(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(AGES) + rng.choice(PATTERNS) + rng.choice(MEDS) + rng.choice(EXTRAS) for _ in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def worker_pids(server_pid: int, workers: int) -> list[int]:
    if workers == 1:
        return [server_pid]
    # uvicorn's supervisor spawns the workers (multiprocessing may add a resource tracker).
    kids = children(server_pid)
    return [
        k
        for k in kids
        if "uvicorn" in Path(f"/proc/{k}/cmdline").read_bytes().decode(errors="replace")
        or "multiprocessing" in Path(f"/proc/{k}/cmdline").read_bytes().decode(errors="replace")
    ] or kids


# --- a small keep-alive HTTP/1.1 load generator ----------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float
    requests: int = 0
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    if length:
        await reader.readexactly(length)
    return status


async def _connection(
    host: str,
    port: int,
    requests: list[bytes],
    deadline: float,
    latencies: list[float],
    phase: Phase,
    offset: int,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while time.perf_counter() < deadline:
            request = requests[i % len(requests)]
            i += 1
            start = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - start)
            phase.statuses[status] = phase.statuses.get(status, 0) + 1
            if status >= 400:
                phase.errors += 1
    finally:
        writer.close()


async def _run_phase(host: str, port: int, phase: Phase, requests: list[bytes], connections: int) -> Phase:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + phase.seconds
    await asyncio.gather(
        *(_connection(host, port, requests, deadline, latencies, phase, i * 7) for i in range(connections))
    )
    elapsed = time.perf_counter() - started
    phase.requests = len(latencies)
    phase.rps = round(phase.requests / elapsed, 1)
    if latencies:
        latencies.sort()
        phase.p50_ms = round(statistics.median(latencies) * 1000, 2)
        phase.p99_ms = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2)
        phase.max_ms = round(latencies[-1] * 1000, 2)
    return phase


def build_requests(host: str, port: int) -> tuple[list[bytes], list[bytes]]:
    trivial = [f"GET /v1/health HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()]
    assess = []
    for text in narratives(500):
        body = json.dumps({"text": text}).encode()
        assess.append(
            f"POST /v1/assess HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    return trivial, assess


def load(host: str, port: int, phase: Phase, requests: list[bytes], connections: int) -> Phase:
    try:
        import uvloop

        return uvloop.run(_run_phase(host, port, phase, requests, connections))
    except ImportError:
        return asyncio.run(_run_phase(host, port, phase, requests, connections))


# --- the run ---------------------------------------------------------------------------------------


def start_server(port: int, workers: int, db: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CRAMPWISE_DB": db, "CRAMPWISE_LOG_REQUESTS": "0", "CRAMPWISE_WEB": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "crampwise.api:create_app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="length of each measured phase (default 10)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="warm-up seconds before measuring (default 2)"
    )
    parser.add_argument(
        "--connections", type=int, default=CONNECTIONS, help="concurrent connections (default 50)"
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument(
        "--soak-seconds",
        type=float,
        default=0.0,
        help="then keep /v1/assess under load this long, sampling worker memory (default 0)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    host, port = "127.0.0.1", free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_server(port, args.workers, f"sqlite:///{tmp}/bench.sqlite3")
        try:
            time.sleep(0.5)
            pids = worker_pids(proc.pid, args.workers)
            trivial, assess = build_requests(host, port)
            load(host, port, Phase("warmup", args.warmup), assess, args.connections)
            load(host, port, Phase("warmup", args.warmup / 2), trivial, args.connections)
            rss_before = {p: rss_mb(p) for p in pids}
            health = load(host, port, Phase("GET /v1/health", args.seconds), trivial, args.connections)
            assessed = load(host, port, Phase("POST /v1/assess", args.seconds), assess, args.connections)
            rss_after = {p: rss_mb(p) for p in pids}
            soak: dict[str, object] = {}
            if args.soak_seconds > 0:
                soak = run_soak(host, port, assess, args.connections, args.soak_seconds, pids)
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    ratio = assessed.rps / health.rps if health.rps else 0.0
    peak = max([v for v in rss_after.values() if v is not None] + [float(soak.get("max_rss_mb", 0.0))])  # type: ignore[arg-type]
    result = {
        "connections": args.connections,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "phases": [asdict(health), asdict(assessed)],
        "assess_to_trivial_throughput": round(ratio, 3),
        "rss_mb_before": {str(k): round(v, 1) if v else None for k, v in rss_before.items()},
        "rss_mb_after": {str(k): round(v, 1) if v else None for k, v in rss_after.items()},
        "soak": soak,
        "targets": {"assess_at_least_half_of_trivial": ratio >= 0.5, "rss_under_200_mb": peak < RSS_LIMIT_MB},
    }
    print(f"{'endpoint':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}")
    for ph in (health, assessed):
        print(
            f"{ph.name:<18}{ph.rps:>10.0f}{ph.p50_ms:>10.2f}{ph.p99_ms:>10.2f}{ph.max_ms:>10.2f}{ph.errors:>8}"
        )
    print(f"assess / trivial throughput: {ratio:.2f} (target >= 0.50)")
    print(
        f"worker RSS after the run: {result['rss_mb_after']} MB; "
        f"peak {peak:.1f} MB (target < {RSS_LIMIT_MB:.0f})"
    )
    if soak:
        print(
            f"soak {soak['seconds']:.0f} s: {soak['requests']} requests, {soak['errors']} errors, "
            f"RSS {soak['start_rss_mb']} -> {soak['end_rss_mb']} MB, max {soak['max_rss_mb']} MB"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if health.errors or assessed.errors:
        print(f"errors: {health.statuses} {assessed.statuses}", file=sys.stderr)
    ok = all(result["targets"].values()) and not (health.errors or assessed.errors)  # type: ignore[union-attr]
    return 0 if ok or not args.check else 1


def run_soak(
    host: str, port: int, requests: list[bytes], connections: int, seconds: float, pids: list[int]
) -> dict[str, object]:
    """Keep the load on in 30-second slices, sampling every worker's RSS between and during slices."""
    import threading

    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.extend(v for v in (rss_mb(p) for p in pids) if v is not None)

    sampler = threading.Thread(target=sample, daemon=True)
    start_rss = max((v for v in (rss_mb(p) for p in pids) if v is not None), default=0.0)
    sampler.start()
    total = Phase("soak", seconds)
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0.5:
        part = load(host, port, Phase("slice", min(30.0, left)), requests, connections)
        total.requests += part.requests
        total.errors += part.errors
    stop.set()
    sampler.join()
    end_rss = max((v for v in (rss_mb(p) for p in pids) if v is not None), default=0.0)
    return {
        "seconds": seconds,
        "requests": total.requests,
        "errors": total.errors,
        "start_rss_mb": round(start_rss, 1),
        "end_rss_mb": round(end_rss, 1),
        "max_rss_mb": round(max([*samples, end_rss]), 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())

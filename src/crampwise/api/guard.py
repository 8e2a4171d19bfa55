"""One pure-ASGI middleware for what every request goes through.

- security headers (CSP with no third-party source, nosniff, frame-ancestors none, ...)
- a body-size limit (Content-Length checked up front, streamed bodies counted)
- a per-client rate limit (token bucket, in memory, per process; see docs/deploy.md)
- one log line per request with method, route template, status and time: no addresses, no
  query strings, no bodies, so nothing personal reaches the logs
- the last line of defence: an unexpected exception becomes a JSON 500 without details

Pure ASGI (not BaseHTTPMiddleware) because it runs on every request and must stay cheap.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from crampwise.api.errors import error_bytes

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("crampwise.access")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; manifest-src 'self'"
)

BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class BodyTooLarge(Exception):
    pass


class RateLimiter:
    """Token bucket per key. Runs on the event loop thread only, so needs no lock."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(burst, 1))
        self.buckets: dict[str, tuple[float, float]] = {}
        self._last_sweep = time.monotonic()

    def take(self, key: str) -> float:
        """0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if now - self._last_sweep > 60:
            self._sweep(now)
        if tokens >= 1:
            self.buckets[key] = (tokens - 1, now)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate

    def _sweep(self, now: float) -> None:
        full_after = self.capacity / self.rate
        self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < full_after}
        self._last_sweep = now


class GuardMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        rate_limit_per_minute: int = 0,
        rate_limit_burst: int = 1,
        hsts: bool = False,
        log_requests: bool = True,
    ) -> None:
        self.app = app
        self.max_body = max_body_bytes
        self.limiter = RateLimiter(rate_limit_per_minute, rate_limit_burst) if rate_limit_per_minute else None
        self.headers = [*BASE_HEADERS, HSTS] if hsts else BASE_HEADERS
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path: str = scope.get("path", "")
        is_api = not path.startswith("/static/")
        state = {"started": False, "status": 0, "too_large": False}
        extra_headers = self.headers
        max_body = self.max_body

        async def send_wrapper(message: Message) -> None:
            if state["too_large"]:
                # The app saw a truncated body (frameworks may turn our signal into a 400): answer 413.
                if message["type"] == "http.response.start" and not state["started"]:
                    state["too_large"] = False
                    await _send_error(
                        send_wrapper,
                        413,
                        "body_too_large",
                        f"The request body is larger than {max_body} bytes.",
                    )
                    state["too_large"] = True
                return
            if message["type"] == "http.response.start":
                state["started"] = True
                state["status"] = message["status"]
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in extra_headers if h[0] not in present)
                if is_api and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        try:
            if self.limiter is not None and not path.startswith("/static/") and path != "/healthz":
                wait = self.limiter.take(_client_key(scope))
                if wait:
                    await _send_error(
                        send_wrapper,
                        429,
                        "rate_limited",
                        "Too many requests. Please wait a moment and try again.",
                        [(b"retry-after", str(int(wait) + 1).encode())],
                    )
                    return
            query: bytes = scope.get("query_string", b"")
            if query and path.startswith("/v1/") and _repeated(query):
                await _send_error(
                    send_wrapper, 422, "validation_error", "A query parameter was given more than once."
                )
                return
            declared = _content_length(scope)
            if declared is not None and declared > self.max_body:
                await _send_error(
                    send_wrapper,
                    413,
                    "body_too_large",
                    f"The request body is larger than {self.max_body} bytes.",
                )
                return
            received = 0

            async def receive_wrapper() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > max_body:
                        state["too_large"] = True
                        raise BodyTooLarge
                return message

            await self.app(scope, receive_wrapper, send_wrapper)
        except BodyTooLarge:
            if not state["started"]:
                state["too_large"] = False
                await _send_error(
                    send_wrapper,
                    413,
                    "body_too_large",
                    f"The request body is larger than {self.max_body} bytes.",
                )
        except Exception as exc:
            # Log the type only: an exception's message may quote what the person wrote.
            logging.getLogger("crampwise.api").error("internal error: %s", type(exc).__name__)
            if not state["started"]:
                if path.startswith("/v1/") or path == "/healthz":
                    await _send_error(
                        send_wrapper,
                        500,
                        "internal_error",
                        "Something went wrong on our side. Please try again.",
                    )
                else:
                    await _send_html(send_wrapper, 500, "Something went wrong on our side. Please try again.")
        finally:
            if self.log_requests:
                route = scope.get("route")
                template = getattr(route, "path", None) or ("/static" if path.startswith("/static/") else "-")
                log.info(
                    "%s %s %s %.1fms",
                    scope.get("method", "?"),
                    template,
                    state["status"],
                    (time.perf_counter() - start) * 1000,
                )


def _repeated(query: bytes) -> bool:
    names = [part.split(b"=", 1)[0] for part in query.split(b"&") if part]
    return len(names) != len(set(names))


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _client_key(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"authorization":
            return "t:" + hashlib.sha256(value).hexdigest()
    client = scope.get("client")
    return "a:" + (client[0] if client else "-")


async def _send_html(send: Send, status: int, message: str) -> None:
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Error · Crampwise</title><link rel="stylesheet" href="/static/app.css"></head>'
        f'<body><main id="main"><h1>Sorry</h1><p>{message}</p><p><a href="/">Back to the start</a></p>'
        "</main></body></html>"
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _send_error(
    send: Send, status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = error_bytes(code, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

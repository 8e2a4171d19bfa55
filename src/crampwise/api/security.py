"""Tokens, session cookies and CSRF tokens.

- API tokens are 256-bit random strings; only their SHA-256 is stored (a fast hash is right for
  high-entropy secrets: there is nothing to brute-force).
- Session cookies (web page, multi-user mode) are `user_id.expiry.signature`, HMAC-SHA256 signed with
  the shared secret, so any instance behind the load balancer can check them without shared state.
- CSRF: double submit. A random `cw_csrf` cookie; forms carry HMAC(secret, cookie) and every unsafe
  web request must bring it back; cross-origin `Origin`/`Sec-Fetch-Site` headers are refused too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

TOKEN_PREFIX = "cw_"  # noqa: S105 - a visible prefix, not a secret


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _sign(secret: str, message: str) -> str:
    mac = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def make_session(secret: str, user_id: str, max_age: int, now: float | None = None) -> str:
    expiry = int((now if now is not None else time.time()) + max_age)
    uid = base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")
    body = f"{uid}.{expiry}"
    return f"{body}.{_sign(secret, 'session:' + body)}"


def read_session(secret: str, value: str | None, now: float | None = None) -> str | None:
    if not value or value.count(".") != 2:
        return None
    uid, expiry, signature = value.split(".")
    if not hmac.compare_digest(signature, _sign(secret, f"session:{uid}.{expiry}")):
        return None
    try:
        if int(expiry) < (now if now is not None else time.time()):
            return None
        return base64.urlsafe_b64decode(uid + "=" * (-len(uid) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(24)


def csrf_token(secret: str, cookie: str) -> str:
    return _sign(secret, "csrf:" + cookie)


def check_csrf(secret: str, cookie: str | None, submitted: str | None) -> bool:
    if not cookie or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie), submitted)

"""Settings for one API/web process.

Built explicitly (by `crampwise serve`, a test, or a deployment's factory) and passed to
`create_app`; nothing here is read from the environment when the module is imported.
`Settings.from_env()` reads `CRAMPWISE_*` variables only when it is called, which is what the
multi-worker factory (`crampwise.api:create_app_from_env`) does in each worker process.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

ENV_PREFIX = "CRAMPWISE_"


def default_db_url() -> str:
    """The single-user diary: the diary's own default (an SQLite file in the user's data folder)."""
    from crampwise.diary.store import default_url

    return default_url()


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    multi_user: bool = False
    # Accounts may be created over the API / web page (multi-user mode only).
    allow_signup: bool = True
    # Largest request body accepted, in bytes; larger bodies get 413 body_too_large.
    max_body_bytes: int = 64 * 1024
    # Requests per minute per client (token or address); 0 disables. Per process: see docs/deploy.md.
    rate_limit_per_minute: int = 0
    rate_limit_burst: int = 0
    # Signs session cookies and CSRF tokens. Instances behind one load balancer must share it.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    # Mark cookies Secure and send HSTS (set when served over HTTPS).
    secure_cookies: bool = False
    session_max_age_seconds: int = 14 * 24 * 3600
    # Serve the web page (/) besides the API (/v1).
    web: bool = True
    # Log one line per request (method, route template, status, time): never bodies, queries or addresses.
    log_requests: bool = True

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1024:
            raise ValueError("max_body_bytes must be at least 1024")
        if self.rate_limit_per_minute < 0:
            raise ValueError("rate_limit_per_minute must not be negative")
        if len(self.secret_key) < 16:
            raise ValueError("secret_key must be at least 16 characters")

    @property
    def effective_rate_limit(self) -> int:
        """Multi-user mode is rate limited unless told otherwise; local mode is not."""
        if self.rate_limit_per_minute:
            return self.rate_limit_per_minute
        return 120 if self.multi_user else 0

    @property
    def effective_burst(self) -> int:
        limit = self.effective_rate_limit
        return self.rate_limit_burst or max(1, limit // 2)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `CRAMPWISE_*` variables (read now, at call time)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return env.get(ENV_PREFIX + name)

        def flag(name: str, default: bool) -> bool:
            value = get(name)
            if value is None or value == "":
                return default
            return value.strip().lower() in {"1", "true", "yes", "on"}

        kwargs: dict[str, object] = {}
        if get("DB"):
            kwargs["db_url"] = get("DB")
        kwargs["multi_user"] = flag("MULTI_USER", False)
        kwargs["allow_signup"] = flag("ALLOW_SIGNUP", True)
        kwargs["secure_cookies"] = flag("SECURE_COOKIES", False)
        kwargs["web"] = flag("WEB", True)
        kwargs["log_requests"] = flag("LOG_REQUESTS", True)
        for name, key in (
            ("MAX_BODY_BYTES", "max_body_bytes"),
            ("RATE_LIMIT_PER_MINUTE", "rate_limit_per_minute"),
            ("RATE_LIMIT_BURST", "rate_limit_burst"),
        ):
            value = get(name)
            if value:
                kwargs[key] = int(value)
        secret = get("SECRET_KEY")
        if secret:
            kwargs["secret_key"] = secret
        return cls(**kwargs)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The inverse of `from_env`, for handing settings to worker processes."""
        return {
            ENV_PREFIX + "DB": self.db_url,
            ENV_PREFIX + "MULTI_USER": "1" if self.multi_user else "0",
            ENV_PREFIX + "ALLOW_SIGNUP": "1" if self.allow_signup else "0",
            ENV_PREFIX + "SECURE_COOKIES": "1" if self.secure_cookies else "0",
            ENV_PREFIX + "WEB": "1" if self.web else "0",
            ENV_PREFIX + "LOG_REQUESTS": "1" if self.log_requests else "0",
            ENV_PREFIX + "MAX_BODY_BYTES": str(self.max_body_bytes),
            ENV_PREFIX + "RATE_LIMIT_PER_MINUTE": str(self.rate_limit_per_minute),
            ENV_PREFIX + "RATE_LIMIT_BURST": str(self.rate_limit_burst),
            ENV_PREFIX + "SECRET_KEY": self.secret_key,
        }

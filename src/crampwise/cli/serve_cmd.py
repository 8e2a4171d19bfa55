"""`crampwise serve`: the web page and HTTP API on this computer (or, with --multi-user and a
PostgreSQL --db, one instance of a deployment; see docs/deploy.md).

uvicorn and fastapi are imported inside the command, so `crampwise --help` stays fast.
"""

from __future__ import annotations

import os

import click


def _log_config(level: str) -> dict[str, object]:
    """uvicorn's logging plus our request log (method, route template, status, time; nothing personal).

    uvicorn's own access log is off: it writes client addresses and full paths with query strings.
    """
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, object] = copy.deepcopy(LOGGING_CONFIG)
    loggers = config["loggers"]
    assert isinstance(loggers, dict)
    loggers["crampwise"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help="Diary database URL (default: an SQLite file in your data folder). "
    "For a deployment: postgresql+psycopg://user@host/dbname",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (they share nothing but the database).",
)
@click.option("--multi-user", is_flag=True, help="Accounts with API tokens; every diary scoped to its owner.")
@click.option(
    "--secret-key",
    envvar="CRAMPWISE_SECRET_KEY",
    default=None,
    metavar="KEY",
    help="Signs cookies; instances behind one load balancer must share it "
    "(env CRAMPWISE_SECRET_KEY). Default: random per start.",
)
@click.option(
    "--rate-limit",
    default=0,
    type=click.IntRange(0),
    metavar="N",
    help="Requests per minute per client and process (default: 120 in multi-user mode, off otherwise).",
)
@click.option("--secure-cookies", is_flag=True, help="Behind HTTPS: Secure cookies and HSTS.")
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def command(
    host: str,
    port: int,
    db_url: str | None,
    workers: int,
    multi_user: bool,
    secret_key: str | None,
    rate_limit: int,
    secure_cookies: bool,
    log_level: str,
) -> None:
    """Start the web page and HTTP API (/v1, OpenAPI at /v1/openapi.json)."""
    try:
        import uvicorn

        from crampwise.api.settings import Settings, default_db_url
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise click.ClickException(
            "The web page needs the 'api' extra: pip install 'crampwise[api]'"
        ) from None

    url = db_url or default_db_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        os.makedirs(os.path.dirname(os.path.abspath(url[len("sqlite:///") :])) or ".", exist_ok=True)
    kwargs: dict[str, object] = {
        "db_url": url,
        "multi_user": multi_user,
        "rate_limit_per_minute": rate_limit,
        "secure_cookies": secure_cookies,
    }
    if secret_key:
        kwargs["secret_key"] = secret_key
    try:
        settings = Settings(**kwargs)  # type: ignore[arg-type]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if workers > 1 and url.startswith("sqlite") and multi_user:
        click.echo("Note: several workers on SQLite work, but PostgreSQL is the tested deployment.", err=True)
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    click.echo(
        f"Crampwise on http://{shown}:{port}/  (API: /v1, OpenAPI: /v1/openapi.json). Ctrl+C stops.", err=True
    )
    common = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "access_log": False,
        "server_header": False,
        "proxy_headers": True,
        "log_config": _log_config(log_level),
    }
    if workers == 1:
        from crampwise.api import create_app

        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]
    else:
        # Each worker process builds its own app from the same settings, handed over in the environment
        # (generated secret included, so cookies signed by one worker are good in the others).
        os.environ.update(settings.to_env())
        uvicorn.run("crampwise.api:create_app_from_env", factory=True, workers=workers, **common)  # type: ignore[arg-type]

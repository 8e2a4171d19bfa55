"""The application factory: `create_app(settings)` builds one FastAPI app for the API and web page.

Nothing is read from the environment and no database is opened at import time. The store opens on
first use. One process holds no per-user state (sessions are signed cookies, the store is the
database), so any number of workers and instances can share one PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from crampwise import __version__
from crampwise.api.deps import StoreHolder
from crampwise.api.errors import install_error_handlers
from crampwise.api.guard import GuardMiddleware
from crampwise.api.settings import Settings

DESCRIPTION = (
    "Explains why your legs keep cramping: red flags first, then likely causes, medicines, tests and "
    'a safe personal plan. Not a diagnosis. Errors are JSON: `{"error": {"code", "message", '
    '"details"}}` with a stable `code`.'
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings if settings is not None else Settings()
    holder = StoreHolder(settings.db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        holder.close()

    app = FastAPI(
        title="Crampwise API",
        version=__version__,
        description=DESCRIPTION,
        # The interactive docs pages load scripts from a CDN: third-party requests are not allowed.
        docs_url=None,
        redoc_url=None,
        openapi_url="/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = holder
    install_error_handlers(app)

    from crampwise.api.routes import accounts, core, diary

    app.include_router(core.router)
    app.include_router(diary.router)
    app.include_router(accounts.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_alias() -> Response:
        from crampwise.api.routes.core import json_response

        return json_response(app.openapi())

    _describe_vocabulary(app)

    if settings.web:
        from crampwise.web import mount_web

        mount_web(app, settings)

    app.add_middleware(
        GuardMiddleware,
        max_body_bytes=settings.max_body_bytes,
        rate_limit_per_minute=settings.effective_rate_limit,
        rate_limit_burst=settings.effective_burst,
        hsts=settings.secure_cookies,
        log_requests=settings.log_requests,
    )
    return app


def _describe_vocabulary(app: FastAPI) -> None:
    """Put the knowledge base's finding ids and medicine names into the OpenAPI document, so the
    schema says exactly which profiles can be assessed (built on first request of the document)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        _close_pattern_objects(schema)
        try:
            from crampwise.kb import load

            kb = load()
        except Exception:  # the document must still be served if the knowledge base is broken
            return schema
        findings = sorted(kb.findings)
        names: set[str] = set()
        for generic, spec in kb.medicines.items():
            names.add(generic)
            names.update(str(n) for n in spec.get("names") or ())
            for brand_list in (spec.get("brands") or {}).values():
                names.update(str(b) for b in brand_list)
        medicines = _accepted_medicines(names)
        schemas = schema.get("components", {}).get("schemas", {})
        profile = schemas.get("ProfileIn", {}).get("properties", {})
        if "findings" in profile:
            profile["findings"]["propertyNames"] = {"enum": findings}
        for key in ("conditions", "symptoms"):
            if key in profile:
                profile[key]["items"] = {"type": "string", "enum": findings}
        if "medicines" in profile:
            profile["medicines"]["items"] = {
                "anyOf": [{"type": "string", "enum": medicines}, {"$ref": "#/components/schemas/MedicineIn"}]
            }
        medicine = schemas.get("MedicineIn", {}).get("properties", {})
        if "name" in medicine:
            medicine["name"] = {"type": "string", "enum": medicines, "title": "Name"}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _accepted_medicines(names: set[str]) -> list[str]:
    """The knowledge base's medicine names that the pipeline recognises (the schema must not promise more)."""
    from crampwise.pipeline import InputError, profile_from_dict

    accepted = []
    for name in sorted(n for n in names if 0 < len(n) <= 100):
        try:
            profile_from_dict({"medicines": [name]})
        except InputError:
            continue
        accepted.append(name)
    return accepted


def _close_pattern_objects(node: Any) -> None:
    """Maps whose keys must match a pattern accept no other keys (as the validation does)."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_pattern_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_pattern_objects(value)


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory crampwise.api:create_app_from_env` (each worker calls it)."""
    return create_app(Settings.from_env())

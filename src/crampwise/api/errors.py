"""One JSON error shape for every failure: `{"error": {"code", "message", "details"}}`.

Codes are stable (clients may branch on them); messages are for people. No stack trace or
internal detail ever reaches a response: unexpected exceptions become `internal_error`.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("crampwise.api")

# Stable error codes and the HTTP status each one travels with.
CODES: dict[str, int] = {
    "bad_request": 400,
    "invalid_json": 400,
    "input_error": 422,
    "validation_error": 422,
    "unauthorized": 401,
    "forbidden": 403,
    "csrf_failed": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "conflict": 409,
    "body_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "internal_error": 500,
    "feature_unavailable": 501,
    "service_unavailable": 503,
}


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str | None = None
    message: str


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] = []


class ErrorBody(BaseModel):
    error: ErrorInfo


class ApiError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = CODES[code]
        self.message = message
        self.details = details or []
        self.headers = headers


def error_payload(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_response(
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_payload(code, message, details), status_code=CODES[code], headers=headers)


def error_bytes(code: str, message: str) -> bytes:
    return json.dumps(error_payload(code, message)).encode()


# Documented on every /v1 route so the OpenAPI schema describes every answer the server gives.
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request (e.g. invalid JSON)",
        401: "Missing or invalid API token (multi-user mode)",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        413: "Request body too large",
        415: "Unsupported media type",
        422: "The input could not be used; `message` says why",
        429: "Too many requests",
        500: "Internal error (no details are disclosed)",
        501: "An optional feature is not installed",
        503: "The diary database cannot be reached",
    }
    return {s: {"model": ErrorBody, "description": descriptions[s]} for s in statuses}


_STATUS_TO_CODE = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    501: "feature_unavailable",
    503: "service_unavailable",
}


_UNION_TAG = re.compile(r"^([A-Z]\w*|[a-z-]+\[.*\]|str|int|float|bool|constrained-str|lax-or-strict)$")


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """`profile.age`, not `body.profile.ProfileIn.age`: drop the location and pydantic's union tags."""
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "query", "path", "header", "cookie")
        and not (isinstance(p, str) and _UNION_TAG.match(p))
    ]
    return ".".join(parts) if parts else "body"


def _validation_message(err: dict[str, Any]) -> str:
    # Pydantic's messages are plain; never echo the offending input value back (it may be personal).
    msg = str(err.get("msg", "invalid value"))
    return msg.replace("Value error, ", "")


def _sentence(text: str) -> str:
    text = text.strip() or "The entry could not be saved."
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _allowed_methods(request: Request, fallback: str) -> str:
    """Every method the API documents at this path (Starlette lists only the first route's)."""
    import re

    table = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = []
        for template, ops in request.app.openapi().get("paths", {}).items():
            pattern = re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template))
            table.append((re.compile(f"^{pattern}$"), sorted(m.upper() for m in ops)))
        request.app.state.allowed_methods = table
    for regex, methods in table:
        if regex.match(request.url.path):
            return ", ".join(methods)
    return fallback


def _html_error(status: int, message: str) -> HTMLResponse:
    from html import escape

    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(message)} · Crampwise</title><link rel="stylesheet" href="/static/app.css"></head>'
        f'<body><main id="main"><h1>{escape(message)}</h1><p><a href="/">Back to the start</a></p></main>'
        "</body></html>"
    )
    return HTMLResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response("invalid_json", "The request body is not valid JSON.")
        details = [
            {"field": _field_path(e.get("loc", ())), "message": _validation_message(e)} for e in errors
        ]
        first = details[0] if details else {"field": "body", "message": "invalid"}
        message = f"Invalid input at '{first['field']}': {first['message']}."
        if len(details) > 1:
            message += (
                f" ({len(details) - 1} more problem{'s' if len(details) > 2 else ''} listed in details.)"
            )
        return error_response("validation_error", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_TO_CODE.get(exc.status_code, "bad_request")
        if exc.status_code == 404:
            message = "Not found."
        elif exc.status_code == 405:
            message = "This method is not allowed here."
        else:
            message = str(exc.detail) if isinstance(exc.detail, str) else "The request could not be handled."
        status = exc.status_code if exc.status_code in _STATUS_TO_CODE else 400
        headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
        if status == 405:
            headers["allow"] = _allowed_methods(request, headers.get("allow", ""))
        if not request.url.path.startswith("/v1/"):
            return _html_error(status, message)
        return JSONResponse(error_payload(code, message), status_code=status, headers=headers)

    from crampwise.diary.errors import DiaryError, InvalidEntry, NotFound

    @app.exception_handler(DiaryError)
    async def _diary(request: Request, exc: DiaryError) -> JSONResponse:
        if isinstance(exc, InvalidEntry):
            return error_response("input_error", _sentence(str(exc)))
        if isinstance(exc, NotFound):
            return error_response("not_found", "Not found.")
        log.error("diary store error: %s", type(exc).__name__)
        return error_response("service_unavailable", "The diary database cannot be reached just now.")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Type only: the message of an arbitrary exception may carry personal data.
        log.error("internal error in %s: %s", request.scope.get("route_path", "?"), type(exc).__name__)
        return error_response("internal_error", "Something went wrong on our side. Please try again.")

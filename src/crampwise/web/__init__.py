"""The web page: server-rendered Jinja2 templates and local static files, mounted by
`crampwise.api.create_app`. Every step of ask → check → answer → result is a plain HTML form, so
it works without JavaScript; `static/app.js` only adds small conveniences."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from crampwise.api.settings import Settings


def mount_web(app: FastAPI, settings: Settings) -> None:
    from crampwise.web.routes import mount

    mount(app, settings)


__all__ = ["mount_web"]

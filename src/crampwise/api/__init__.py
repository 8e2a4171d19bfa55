"""The HTTP API (`/v1`) and web page shell: `create_app(Settings(...))`."""

from crampwise.api.app import create_app, create_app_from_env
from crampwise.api.settings import Settings

__all__ = ["Settings", "create_app", "create_app_from_env"]

"""The reasoning engine: pure functions from a Profile to an Assessment."""

from crampwise.engine.assess import assess

__all__ = ["assess"]

"""Errors the diary raises. Each message is one plain sentence a person can act on."""

from __future__ import annotations

from dataclasses import dataclass


class DiaryError(Exception):
    """Anything the diary could not do; the CLI prints it on one line and exits 1."""


class InvalidEntry(DiaryError, ValueError):
    """A record that does not make sense (severity 12/10, a time without a time zone...)."""


class NotFound(DiaryError, LookupError):
    """No such entry for this user (or it was deleted)."""

    def __str__(self) -> str:  # LookupError would quote the message like a dict key
        return str(self.args[0]) if self.args else "not found"


class StoreUnavailable(DiaryError):
    """The database could not be opened or reached."""


class SchemaTooNew(DiaryError):
    """The database was upgraded by a newer Crampwise than this one."""


@dataclass(frozen=True)
class Problem:
    """One bad row of an import file."""

    line: int | None  # 1-based line in the file, when known
    message: str
    record: int | None = None  # 1-based record number within its section

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else f"record {self.record}"
        return f"{where}: {self.message}"


class ImportFileError(DiaryError):
    """A file with bad rows; nothing from it was imported."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        first = problems[0] if problems else Problem(None, "unreadable")
        more = f" (and {len(problems) - 1} more bad rows)" if len(problems) > 1 else ""
        super().__init__(
            f"{path}: {first}{more}; nothing was imported (use --skip-bad to import the good rows)"
        )

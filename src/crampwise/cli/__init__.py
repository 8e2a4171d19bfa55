"""The `crampwise` command line.

Start-up cost matters (a person types it, the scorer runs it per batch), so this module imports
only click. Each command lives in `crampwise.cli.<name>_cmd` and is imported when it is invoked,
not when `--help` is printed; heavy libraries are imported inside the command functions.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from crampwise import __version__

# name -> (module, one-line help). The help is here so `crampwise --help` need not import anything.
COMMANDS: dict[str, tuple[str, str]] = {
    "assess": ("crampwise.cli.assess_cmd", "Assess a description or a profile: red flags first, then why."),
    "ask": ("crampwise.cli.ask_cmd", "An interview in the terminal: only the questions that matter."),
    "explain": ("crampwise.cli.explain_cmd", "Deeper explanations (kidneys and electrolytes, medicines...)."),
    "labs": ("crampwise.cli.labs_cmd", "Read lab results in any unit: eGFR, corrected calcium, status."),
    "diary": ("crampwise.cli.diary_cmd", "Keep a cramp diary: add, list, stats, report, export."),
    "serve": ("crampwise.cli.serve_cmd", "Start the web page and HTTP API on this computer."),
}

# Exit codes: 0 fine, 1 could not do it (bad input file, nothing understood), 2 usage error (click).
EXIT_BAD_INPUT = 1


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crampwise")
def cli() -> None:
    """Crampwise: why do my legs keep cramping, and what can I do?

    Not a diagnosis. If you have chest pain, sudden breathlessness, or a cold, pale, numb leg,
    call emergency services now.
    """


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="crampwise")
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)

"""Start-up budget: what importing the CLI and the core pulls in, checked in fresh interpreters.

The core (model, kb, text, labs, engine, interview, render) and the pipeline must import no web,
database, templating, PDF, NLP, plotting or YAML framework; `crampwise --help` must not even load
rapidfuzz (it is imported lazily, only when a description has unknown words).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

FRAMEWORKS = ("fastapi", "starlette", "pydantic", "sqlalchemy", "alembic", "jinja2", "weasyprint", "spacy",
              "matplotlib", "yaml", "uvicorn", "httpx")
HEAVY_FOR_HELP = (*FRAMEWORKS, "rapidfuzz")
CORE = ("crampwise.model", "crampwise.kb", "crampwise.text", "crampwise.labs", "crampwise.engine",
        "crampwise.interview", "crampwise.render")


def loaded_after(code: str) -> set[str]:
    """Top-level module names present in sys.modules after running `code` in a fresh interpreter."""
    program = textwrap.dedent(code) + textwrap.dedent("""
        import json as _json, sys as _sys
        _sys.__stderr__.write("\\nMODULES=" + _json.dumps(sorted(_sys.modules)) + "\\n")
    """)
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                            check=False)
    marker = [line for line in result.stderr.splitlines() if line.startswith("MODULES=")]
    assert marker, f"program failed: {result.stderr[-2000:]}"
    names: list[str] = json.loads(marker[-1].removeprefix("MODULES="))
    return set(names)


def offenders(modules: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in banned)


def test_import_cli_is_light() -> None:
    modules = loaded_after("import crampwise.cli")
    assert not offenders(modules, HEAVY_FOR_HELP)
    assert not any(m.startswith("crampwise.cli.") and m.endswith("_cmd") for m in modules), \
        sorted(m for m in modules if m.startswith("crampwise.cli."))


def test_help_is_light() -> None:
    modules = loaded_after("""
        import contextlib, io
        from crampwise.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["--help"])
            except SystemExit as exit:
                assert exit.code in (0, None), exit.code
    """)
    assert not offenders(modules, HEAVY_FOR_HELP)
    assert not any(m.startswith(("crampwise.pipeline", "crampwise.engine", "crampwise.kb")) for m in modules)


def test_assess_command_loads_no_framework() -> None:
    modules = loaded_after("""
        import contextlib, io
        from crampwise.cli import main
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                main(["assess", "I'm 67, on Lasix, calves cramp at night, no swelling", "--json"])
            except SystemExit as exit:
                assert exit.code in (0, None), exit.code
    """)
    assert "crampwise.pipeline" in modules
    assert not offenders(modules, FRAMEWORKS)


def test_pipeline_loads_no_framework() -> None:
    modules = loaded_after("import crampwise.pipeline")
    assert not offenders(modules, (*FRAMEWORKS, "click"))


def test_pipeline_assessment_loads_no_framework() -> None:
    modules = loaded_after("""
        from crampwise.pipeline import assess_text, assess_profile
        assess_text("I'm 67, on Lasix and lipitr, calves cramp at 3am, no swelling")
        assess_profile({"age": 70, "medicines": ["Lasix"], "findings": {"timing_night": "present"},
                        "labs": [{"analyte": "potassium", "value": 3.1, "unit": "mmol/L"}]})
    """)
    assert not offenders(modules, FRAMEWORKS)


@pytest.mark.parametrize("package", CORE)
def test_core_package_imports_no_framework(package: str) -> None:
    modules = loaded_after(f"import {package}")
    assert package in modules
    assert not offenders(modules, (*FRAMEWORKS, "click"))

"""`crampwise explain` through click's CliRunner."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from crampwise.cli import cli
from crampwise.cli.explain_cmd import command
from crampwise.kb import load


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(command, list(args))
    return result.exit_code, result.output


def test_command_is_named_explain() -> None:
    """The module exposes a click command called "explain", registered in the group."""
    assert command.name == "explain"
    assert CliRunner().invoke(cli, ["explain", "--help"]).exit_code == 0


def test_lists_topics() -> None:
    """Without a topic it lists every topic, and mentions `findings`."""
    code, out = run()

    assert code == 0
    for slug, topic in load().topics.items():
        assert slug in out
        assert topic["title"] in out
    assert "findings" in out


def test_kidney_electrolytes_with_citation_numbers_and_sources() -> None:
    """The kidney topic: its sections, each point with [n] citation numbers, and a Sources list."""
    kb = load()
    topic = kb.topics["kidney-electrolytes"]
    code, out = run("kidney-electrolytes")

    assert code == 0
    assert out.startswith(topic["title"])
    for section in topic["sections"]:
        assert section["heading"] in out
    flat = " ".join(out.split())
    assert "Low calcium makes nerves fire too easily" in flat
    assert re.search(r"\[\d+(, \d+)*\]", out)
    sources = out[out.index("\nSources\n") :]
    first_key = topic["sections"][0]["points"][0]["sources"][0]
    assert "[1] " + " ".join(kb.cite(first_key).split())[:40] in " ".join(sources.split())
    keys = {k for s in topic["sections"] for p in s["points"] for k in p["sources"]}
    assert f"[{len(keys)}] " in sources
    assert f"[{len(keys) + 1}] " not in sources


@pytest.mark.parametrize("slug", sorted(load().topics))
def test_every_topic_renders_with_consistent_numbers(slug: str) -> None:
    """Every topic renders; each citation number refers to an entry in its Sources list."""
    code, _out = run(slug)
    assert code == 0
    doc = json.loads(run(slug, "--json")[1])
    numbers = {s["number"]: s["key"] for s in doc["sources"]}
    for section in doc["sections"]:
        for point in section["points"]:
            assert [numbers[n] for n in point["numbers"]] == point["sources"]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_each_electrolyte_medicine_class_and_stretching_exist() -> None:
    """The topics the issue names are there."""
    for slug in ("kidney-electrolytes", "potassium", "magnesium", "calcium", "sodium", "stretching",
                 "medicine-loop_diuretic", "medicine-statin"):
        assert run(slug)[0] == 0, slug


@pytest.mark.parametrize(("typed", "slug"), [
    ("Kidney Electrolytes", "kidney-electrolytes"),
    ("kidney_electrolytes", "kidney-electrolytes"),
    ("loop_diuretic", "medicine-loop_diuretic"),
    ("lasix", "medicine-loop_diuretic"),
])
def test_other_ways_of_naming_a_topic(typed: str, slug: str) -> None:
    """Case, spaces and underscores do not matter; a medicine or class name finds its topic."""
    code, out = run(typed, "--json")

    assert code == 0
    assert json.loads(out)["slug"] == slug


def test_unknown_topic_suggests_and_exits_1() -> None:
    """An unknown topic: one line "crampwise: ... did you mean ...?" and exit code 1."""
    code, out = run("kidny-electrolites")

    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("crampwise: ")
    assert "did you mean 'kidney-electrolytes'" in lines[0]


def test_unknown_topic_without_suggestion() -> None:
    """Nothing close: still one line, exit 1, pointing to the list."""
    code, out = run("zzzzqqq")

    assert code == 1
    assert "did you mean" not in out
    assert "crampwise explain" in out


def test_prefix_suggestion() -> None:
    """A word that starts a topic's name is suggested even when it is short."""
    assert "did you mean 'kidney-electrolytes'" in run("kidney")[1]


def test_json_outputs_are_valid() -> None:
    """--json works for the list, a topic and the findings."""
    listing = json.loads(run("--json")[1])
    assert {"slug", "title", "summary"} <= set(listing[0])
    doc = json.loads(run("kidney-electrolytes", "--json")[1])
    assert doc["slug"] == "kidney-electrolytes"
    assert doc["sections"][0]["points"][0]["numbers"] == [1]
    assert doc["sources"][0]["reference"] == load().cite(doc["sources"][0]["key"])
    findings = json.loads(run("findings", "--json")[1])
    assert {"id", "category", "label"} == set(findings[0])


def test_findings_lists_every_finding_id() -> None:
    """`explain findings` lists each finding id a --profile file can use, by category."""
    code, out = run("findings")

    assert code == 0
    assert "--profile" in out
    ids = set(re.findall(r"^  ([a-z0-9_]+)\s", out, flags=re.M))
    assert ids == set(load().findings)

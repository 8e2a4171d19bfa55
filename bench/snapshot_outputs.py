"""Output snapshot: a digest of every output for a fixed set of inputs, so a speed change can be shown to
change nothing.

    python bench/snapshot_outputs.py --write base.json          # digests of this tree's outputs
    python bench/snapshot_outputs.py --check base.json          # exit 1 if any output differs
    python bench/snapshot_outputs.py --against HEAD~3           # the same inputs through the code at HEAD~3

Inputs: every narrative in ../shared/evaluation/cases-dev.jsonl and tests/cases/own-cases.jsonl, a few
thousand generated narratives and profiles (bench_api.narratives, bench_core.narrative and
bench_core.profile_generator, seeded), and a few edge inputs that raise InputError. Outputs digested per
input: `Assessment.to_dict()` (JSON, sorted keys), the API's `assessment_dict`, the terminal rendering,
and for the case narratives the first interview step; an InputError is digested as its message.

`--against REV` isolates the speed work from other people's concurrent edits: it copies this working
tree, reverse-applies the changes from REV to the index (commits since REV and staged hunks) under OWNED
(the paths the optimisation touches), runs that copy, and compares. Stage your hunks first; other
people's unstaged edits stay in both trees. When others also commit under OWNED, name your own commits
instead: `--revert C3 C2 C1` undoes the staged hunks and then those commits, newest first. Both runs use a fresh start-up cache directory, primed by a first process, so the
pickled knowledge base path (what a CLI start uses) is the one exercised.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = (ROOT.parent / "shared" / "evaluation" / "cases-dev.jsonl", ROOT / "tests" / "cases" / "own-cases.jsonl")
OWNED = ("src/crampwise/kb/conditions.py", "src/crampwise/kb/loader.py", "src/crampwise/engine",
         "src/crampwise/model/assessment.py", "src/crampwise/api/routes/core.py", "src/crampwise/pipeline.py")
N_API, N_CORE, N_PROFILES = 2_000, 3_000, 3_000
EDGE = ["", "   ", "\x00", "x" * 25_000, "cramp " * 3_000, "no", "?", "I'm 67, on Lasix and lipitor, calves cramp at 3am, no swelling"]


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def case_narratives() -> Iterator[tuple[str, str]]:
    for path in CASE_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                yield f"{path.name}:{case.get('id', number)}", str(case["narrative"])


def inputs() -> tuple[list[tuple[str, str]], list[tuple[str, dict[str, Any]]]]:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_api
    import bench_core

    texts = list(case_narratives())
    texts += [(f"api:{i}", t) for i, t in enumerate(bench_api.narratives(N_API, seed=11))]
    rng = random.Random(bench_core.SEED)
    texts += [(f"core:{i}", bench_core.narrative(rng)) for i in range(N_CORE)]
    texts += [(f"edge:{i}", t) for i, t in enumerate(EDGE)]
    make = bench_core.profile_generator(random.Random(bench_core.SEED + 2))
    profiles = [(f"profile:{i}", make()) for i in range(N_PROFILES)]
    profiles += [(f"profile-edge:{i}", p) for i, p in enumerate(
        [{}, {"age": 200}, {"medicines": ["notadrug"]}, {"findings": {"nonsense": "present"}},
         {"age": 70, "medicines": [{"name": "Lasix", "change": "started", "days_since_change": 10, "dose": "40mg"}],
          "labs": [{"analyte": "potassium", "value": 3.1, "unit": "mmol/L"}], "text": "calves cramp at night"}])]
    return texts, profiles


def outputs() -> dict[str, str]:
    from crampwise.api.routes.core import assessment_dict
    from crampwise.interview import step
    from crampwise.pipeline import InputError, assess_profile, assess_text, knowledge
    from crampwise.render.terminal import render

    texts, profiles = inputs()
    case_keys = {key for key, _ in case_narratives()}
    out: dict[str, str] = {}

    def record(key: str, run: Callable[[], Any]) -> None:
        try:
            assessment = run()
        except InputError as err:
            out[key] = digest(f"InputError: {err}")
            return
        out[key] = digest(assessment.to_dict())
        out[f"{key}#api"] = digest(assessment_dict(assessment))
        out[f"{key}#text"] = digest(render(assessment, knowledge(), bold=False))

    for key, text in texts:
        record(key, lambda text=text: assess_text(text))  # type: ignore[misc]
        if key in case_keys:
            try:
                s = step(text, answers={})
                out[f"{key}#step"] = digest({"q": s.question and s.question.__dict__, "a": s.assessment.to_dict(),
                                             "done": s.done})
            except InputError as err:
                out[f"{key}#step"] = digest(f"InputError: {err}")
    for key, profile in profiles:
        record(key, lambda profile=profile: assess_profile(profile))  # type: ignore[misc]
    return out


def run_tree(src: Path, out: Path) -> None:
    """Run --write in a fresh interpreter with `src` first on the path and a fresh, primed start-up cache."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "PYTHONPATH": str(src), "XDG_CACHE_HOME": cache}
        env.pop("CRAMPWISE_NO_CACHE", None)
        prime = "from crampwise.pipeline import assess_text; assess_text('calf cramps at night')"
        subprocess.run([sys.executable, "-c", prime], env=env, check=True)
        subprocess.run([sys.executable, __file__, "--write", str(out), "--no-fork"], env=env, check=True)


def against(rev: str | None, commits: list[str], owned: tuple[str, ...] = OWNED) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        # Both trees are copies taken at one moment: others keep editing the KB while this runs.
        base, new = Path(tmp) / "base", Path(tmp) / "new"
        shutil.copytree(ROOT / "src", new / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        shutil.copytree(new / "src", base / "src")
        # The changes under test, reverse-applied to the copy so that everyone else's edits stay in the
        # base: staged hunks, then the given commits newest first (or everything since REV).
        diffs = [["git", "diff", "--cached", "--binary", "HEAD" if commits else str(rev), "--", *owned]]
        diffs += [["git", "show", "--format=", "--binary", c, "--", *owned] for c in commits]
        for command in diffs:
            diff = subprocess.run(command, cwd=ROOT, check=True, capture_output=True).stdout
            if diff:
                subprocess.run(["git", "apply", "-R", "--directory=", "-"], input=diff, cwd=base, check=True)
        run_tree(base / "src", Path(tmp) / "base.json")
        run_tree(new / "src", Path(tmp) / "new.json")
        return compare(json.loads((Path(tmp) / "base.json").read_text()), json.loads((Path(tmp) / "new.json").read_text()))


def compare(base: dict[str, str], new: dict[str, str]) -> int:
    differ = sorted(k for k in base.keys() | new.keys() if base.get(k) != new.get(k))
    inputs_n = len({k.split("#")[0] for k in base})
    print(f"snapshot: {len(base)} outputs from {inputs_n} inputs; {len(differ)} differ")
    for key in differ[:20]:
        print(f"  differs: {key}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write this tree's digests here")
    group.add_argument("--check", type=Path, help="compare this tree's digests with a file written by --write")
    group.add_argument("--against", metavar="REV", help="compare with our changes since REV undone")
    group.add_argument("--revert", nargs="+", metavar="COMMIT",
                       help="compare with these commits (newest first) and the staged hunks undone")
    parser.add_argument("--owned", nargs="+", default=OWNED, help="paths --against takes from REV (default: OWNED)")
    parser.add_argument("--no-fork", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.against or args.revert:
        return against(args.against, args.revert or [], tuple(args.owned))
    if args.write and not args.no_fork:
        run_tree(ROOT / "src", args.write)
        return 0
    result = outputs()
    if args.write:
        args.write.write_text(json.dumps(result, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"snapshot: wrote {len(result)} digests to {args.write}")
        return 0
    return compare(json.loads(args.check.read_text(encoding="utf-8")), result)


if __name__ == "__main__":
    raise SystemExit(main())

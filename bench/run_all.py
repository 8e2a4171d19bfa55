"""Run every benchmark script in bench/ (bench_*.py) one after another and print their figures.

    python bench/run_all.py                 # each script with its defaults
    python bench/run_all.py --quick         # pass --quick to the scripts that accept it
    python bench/run_all.py --only core api # run bench_core.py and bench_api.py only
    python bench/run_all.py --skip api

Each script's own output is streamed as it runs; a summary (exit code and wall time per script)
is printed at the end. Exit status: 0 when every script exited 0, else 1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts() -> list[Path]:
    return sorted(p for p in HERE.glob("bench_*.py") if p.is_file())


def short(path: Path) -> str:
    return path.stem.removeprefix("bench_")


def accepts(path: Path, option: str) -> bool:
    """Whether the script's argument parser knows `option` (read from its source, not by running it)."""
    return f'"{option}"' in path.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="pass --quick where a script supports it")
    parser.add_argument("--only", nargs="+", default=None, help="names to run (core, api, diary_store...)")
    parser.add_argument("--skip", nargs="+", default=[], help="names to skip")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per script")
    args = parser.parse_args(argv)

    chosen = [p for p in scripts()
              if (args.only is None or short(p) in args.only or p.name in args.only)
              and short(p) not in args.skip and p.name not in args.skip]
    if not chosen:
        print(f"run_all: no benchmark scripts selected in {HERE}", file=sys.stderr)
        return 1
    summary: list[tuple[str, str, float]] = []
    for path in chosen:
        command = [sys.executable, str(path)]
        if args.quick and accepts(path, "--quick"):
            command.append("--quick")
        print(f"\n===== {path.name} ({' '.join(command[2:]) or 'defaults'}) =====", flush=True)
        started = time.perf_counter()
        try:
            code = subprocess.run(command, cwd=HERE.parent, timeout=args.timeout, check=False).returncode
            status = "ok" if code == 0 else f"exit {code}"
        except subprocess.TimeoutExpired:
            status = f"timed out after {args.timeout:.0f} s"
        summary.append((path.name, status, time.perf_counter() - started))

    print("\n===== summary =====")
    width = max(len(name) for name, _, _ in summary)
    for name, status, seconds in summary:
        print(f"{name.ljust(width)}  {status:<24} {seconds:7.1f} s")
    return 0 if all(status == "ok" for _, status, _ in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())

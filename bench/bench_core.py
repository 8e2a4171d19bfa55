"""Benchmark the core: assessment latency (structured and free text), batch CLI throughput, parse
time against text length, CLI cold start beside a bare interpreter, and peak memory of one CLI run.

    python bench/bench_core.py            # full run (10,000 profiles, 10,000 narratives, 10,000-line batch)
    python bench/bench_core.py --quick    # smaller N, same table
    python bench/bench_core.py --json out.json

Targets (printed as PASS/FAIL; the script never fails on them):
- structured profile: median < 0.5 ms;  narrative: median < 2 ms;
- parse time grows linearly with text length (8x text within 12x time);
- `crampwise --help` and `crampwise assess "..."` cold start < 8x a bare `python -c pass`;
- peak RSS of one `crampwise assess` process < 100 MB.

All inputs are generated with a seeded `random.Random`, so runs are comparable.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PYTHON = sys.executable
SCRIPT = str(Path(sys.executable).with_name("crampwise"))
SEED = 20240601

AGES = ["", "I'm 34. ", "I am 52, ", "67 year old man, ", "I'm 71 and female. ", "78yo woman, ", "45M. ",
        "F, 29. ", "typing for my dad, 81. ", "my son is 15 and ", "in my sixties, "]
PATTERNS = ["my calves cramp at night, about 3am, most nights", "I get foot cramps after running",
            "thigh cramps when I stand for a long time at work", "leg cramps at night since I started a new tablet",
            "cramps in both calves, worse in hot weather, I drink little water", "my toes curl and cramp in bed",
            "calf cramp during swimming", "cramps 2-3 times a week, each lasts about 5 minutes",
            "my left calf is sore and a bit swollen", "cramps in my hands and legs on dialysis days",
            "pain in my calf when I walk 200 yards, goes when I stop"]
MEDS = ["", " I take Lasix.", " I'm on atorvastatin.", " on amlodipine and metformin.", " I take salbutamol.",
        " no medicines.", " I take bendroflumethiazide and lisinopril.", " I'm on omeprazole and simvastatn.",
        " I started pregabalin 3 weeks ago."]
HOW = ["", " About twice a week.", " Every night.", " Each lasts seconds.", " Each one lasts 2-3 minutes.",
       " It wakes me up.", " Worse after long walks."]
EXTRAS = ["", " Stretching helps.", " No swelling, legs look the same.", " I'm 24 weeks pregnant.",
          " My potassium was 3.1 last month.", " I have diabetes and kidney disease.", " I drink 30 units a week.",
          " It is not red or warm.", " I'm worried it might be a clot."]


def narrative(rng: random.Random) -> str:
    return f"{rng.choice(AGES)}{rng.choice(PATTERNS)}.{rng.choice(HOW)}{rng.choice(MEDS)}{rng.choice(EXTRAS)}".strip()


def profile_generator(rng: random.Random) -> Callable[[], dict[str, Any]]:
    from crampwise.kb import load
    from crampwise.text.extract import REMEDY_CLASSES

    kb = load()
    findings = sorted(kb.findings)
    meds = sorted(m.replace("_", " ") for m, spec in kb.medicines.items()
                  if str(spec.get("class", "none")) not in REMEDY_CLASSES)
    labs = [("potassium", "mmol/L", 2.5, 6.5), ("magnesium", "mmol/L", 0.4, 1.2), ("calcium", "mmol/L", 1.8, 2.9),
            ("sodium", "mmol/L", 120, 150), ("creatinine", "µmol/L", 50, 600), ("ck", "U/L", 40, 5000)]

    def make() -> dict[str, Any]:
        data: dict[str, Any] = {
            "findings": {f: rng.choice(("present", "present", "absent", "uncertain"))
                         for f in rng.sample(findings, rng.randint(0, 8))},
        }
        if rng.random() < 0.8:
            data["age"] = rng.randint(5, 95)
        if rng.random() < 0.7:
            data["sex"] = rng.choice(("female", "male"))
        if data.get("sex") == "female" and rng.random() < 0.1:
            data["pregnancy_weeks"] = rng.randint(8, 40)
        if rng.random() < 0.6:
            data["medicines"] = rng.sample(meds, rng.randint(1, 3))
        if rng.random() < 0.3:
            data["labs"] = [{"analyte": a, "value": round(rng.uniform(lo, hi), 2), "unit": u}
                            for a, u, lo, hi in rng.sample(labs, rng.randint(1, 3))]
        return data

    return make


def timed(fn: Callable[[Any], Any], inputs: list[Any]) -> list[float]:
    out = []
    for item in inputs:
        start = time.perf_counter_ns()
        fn(item)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_cmd(args: list[str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, input=stdin, capture_output=True, text=True, check=False, timeout=600)
    return (time.perf_counter() - start) * 1000


def bench_latency(n_profiles: int, n_texts: int) -> dict[str, Any]:
    from crampwise.pipeline import assess_profile, assess_text

    rng = random.Random(SEED)
    make = profile_generator(rng)
    profiles = [make() for _ in range(n_profiles)]
    texts = [narrative(rng) for _ in range(n_texts)]
    for warm in profiles[:50]:
        assess_profile(warm)
    for warm in texts[:50]:
        assess_text(warm)
    p_times = timed(assess_profile, profiles)
    t_times = timed(assess_text, texts)
    # Serialising the answer, as the API and --jsonl do it (orjson) and the plain way (to_dict + json).
    import json

    from crampwise.render.jsonout import assessment_bytes

    done = [assess_text(t) for t in texts[:1000]]
    fast = timed(assessment_bytes, done)
    slow = timed(lambda a: json.dumps(a.to_dict(), ensure_ascii=False), done)
    return {
        "json_orjson_median_ms": statistics.median(fast), "json_stdlib_median_ms": statistics.median(slow),
        "profile_n": n_profiles, "profile_median_ms": statistics.median(p_times), "profile_p99_ms": pct(p_times, .99),
        "text_n": n_texts, "text_median_ms": statistics.median(t_times), "text_p99_ms": pct(t_times, .99),
        "text_distinct": len(set(texts)),
    }


def bench_jsonl(n_lines: int) -> dict[str, Any]:
    rng = random.Random(SEED + 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        path.write_text("".join(json.dumps({"id": f"c{i}", "narrative": narrative(rng)}) + "\n"
                                for i in range(n_lines)), encoding="utf-8")
        out = Path(tmp) / "results.jsonl"
        # Output to a file, not a pipe: reading and decoding ~150 MB of captured output in this process
        # would be timed too, and on a 2-core machine it competes with the command for the CPU.
        with out.open("wb") as sink:
            start = time.perf_counter()
            result = subprocess.run([SCRIPT, "assess", "--jsonl", str(path)], stdout=sink,
                                    stderr=subprocess.DEVNULL, check=False, timeout=3600)
            seconds = time.perf_counter() - start
        lines = errors = 0
        with out.open(encoding="utf-8") as produced:
            for line in produced:
                lines += 1
                errors += '"error"' in line[:200]
    return {"jsonl_lines": n_lines, "jsonl_out_lines": lines, "jsonl_errors": errors, "jsonl_seconds": seconds,
            "jsonl_per_second": n_lines / seconds if seconds else 0.0, "jsonl_exit": result.returncode}


def bench_scaling(repeats: int, stress_base: int) -> dict[str, Any]:
    from crampwise.pipeline import MAX_TEXT, understand

    base = ("I'm 67 and on Lasix and lipitor. My calves cramp at 3am most nights, each one lasts a few minutes. "
            "Stretching helps, no swelling, legs look the same. I walk the dog every day and drink tea. ")
    unit = (base * (2400 // len(base) + 1))[:2400]
    understand(unit)
    rows: dict[str, Any] = {}

    def series(name: str, text_unit: str, reps: int = repeats) -> None:
        times = []
        for factor in (1, 2, 4, 8):
            text = (text_unit * factor)[:MAX_TEXT]
            best = min(timed(understand, [text] * reps))
            times.append((len(text), best))
        rows[name] = times

    series("narrative", unit)
    # stress inputs a person or a script could send within the 20,000-character limit
    series("unpunctuated", ("cramps at night in my calf " * (stress_base // 26 + 1))[:stress_base], 1)
    series("digits", "9" * stress_base, 1)
    return rows


def bench_cold_start(runs: int) -> dict[str, Any]:
    def median_ms(args: list[str]) -> float:
        run_cmd(args)  # warm the file cache
        return statistics.median(run_cmd(args) for _ in range(runs))

    bare = median_ms([PYTHON, "-c", "pass"])
    help_ms = median_ms([SCRIPT, "--help"])
    assess_ms = median_ms([SCRIPT, "assess", "I'm 67, on Lasix, calves cramp at night, no swelling"])
    return {"runs": runs, "python_ms": bare, "help_ms": help_ms, "assess_ms": assess_ms,
            "help_ratio": help_ms / bare, "assess_ratio": assess_ms / bare}


def bench_rss() -> dict[str, Any]:
    # A fresh parent, so RUSAGE_CHILDREN holds only this one `crampwise assess` process.
    probe = (
        "import resource, subprocess, sys\n"
        f"subprocess.run([{SCRIPT!r}, 'assess', \"I'm 67, on Lasix and lipitr, calves cramp at 3am, no swelling\"],"
        " capture_output=True, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run([PYTHON, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    kib = int(result.stdout.strip().splitlines()[-1])
    return {"assess_peak_rss_mb": kib / 1024}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller N (about 20 s)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if not Path(SCRIPT).exists():
        print(f"console script not found next to {PYTHON}: install the project (pip install -e .)", file=sys.stderr)
        return 1
    n = 2_000 if args.quick else 10_000
    runs = 7 if args.quick else 15
    started = time.perf_counter()
    print(f"bench_core: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, N={n}, cold-start runs={runs}")

    rss = bench_rss()
    latency = bench_latency(n, n)
    jsonl = bench_jsonl(n)
    scaling = bench_scaling(3 if args.quick else 5, 1_000 if args.quick else 2_000)
    cold = bench_cold_start(runs)

    rows: list[tuple[str, str, str, str]] = []
    rows.append((f"profile latency median (n={latency['profile_n']:,})", f"{latency['profile_median_ms']:.3f} ms",
                 "< 0.5 ms", verdict(latency["profile_median_ms"] < 0.5)))
    rows.append(("profile latency p99", f"{latency['profile_p99_ms']:.3f} ms", "", ""))
    rows.append((f"narrative latency median (n={latency['text_n']:,}, {latency['text_distinct']:,} distinct)",
                 f"{latency['text_median_ms']:.3f} ms", "< 2 ms", verdict(latency["text_median_ms"] < 2)))
    rows.append(("narrative latency p99", f"{latency['text_p99_ms']:.3f} ms", "", ""))
    rows.append(("assessment -> JSON median (orjson; to_dict+json)",
                 f"{latency['json_orjson_median_ms']:.3f} ms; {latency['json_stdlib_median_ms']:.3f} ms", "", ""))
    rows.append((f"assess --jsonl {jsonl['jsonl_lines']:,} lines", f"{jsonl['jsonl_per_second']:,.0f} lines/s",
                 f"{jsonl['jsonl_seconds']:.1f} s total",
                 verdict(jsonl["jsonl_exit"] == 0 and jsonl["jsonl_out_lines"] == jsonl["jsonl_lines"]
                         and jsonl["jsonl_errors"] == 0)))
    for name, series in scaling.items():
        (n1, t1), *_, (n8, t8) = series
        shown = " / ".join(f"{t:.1f}" for _, t in series)
        ratio = t8 / t1 if t1 else float("inf")
        rows.append((f"parse {name} 1x/2x/4x/8x ({n1:,}->{n8:,} chars)", f"{shown} ms",
                     f"8x text: {ratio:.1f}x time (< 12x)", verdict(ratio < 12)))
    rows.append(("python -c pass (cold, median)", f"{cold['python_ms']:.0f} ms", "", ""))
    rows.append(("crampwise --help (cold, median)", f"{cold['help_ms']:.0f} ms", f"{cold['help_ratio']:.1f}x python (< 8x)",
                 verdict(cold["help_ratio"] < 8)))
    rows.append(('crampwise assess "..." (cold, median)', f"{cold['assess_ms']:.0f} ms",
                 f"{cold['assess_ratio']:.1f}x python (< 8x)", verdict(cold["assess_ratio"] < 8)))
    rows.append(("crampwise assess peak RSS", f"{rss['assess_peak_rss_mb']:.1f} MB", "< 100 MB",
                 verdict(rss["assess_peak_rss_mb"] < 100)))

    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    print(f"bench_core: done in {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"latency": latency, "jsonl": jsonl, "scaling": scaling, "cold_start": cold,
                                         "rss": rss, "quick": args.quick}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

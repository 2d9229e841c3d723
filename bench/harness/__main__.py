"""Runs every figure, prints the table and writes the results file.

    python3 -m harness --qcc PATH --bench-bin PATH [--venv-python PATH] [--node-addon PATH]
                       [--quick] [--only a,b] --out FILE

run.sh builds everything and calls this; see bench/README.md. Exit status: 0 when every
figure was measured (and, in a full run, met its target), 1 when a full run missed a target,
2 when the harness itself failed (a figure could not be measured for a reason other than a
missing optional piece, which is reported as "skipped: …").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Dict, List

from .figures import concurrency, download, micro, per_call, sandbox_load, startup, tables
from .table import Row, markdown_table, text_table
from .tools import HarnessError, Tools, fresh_dir

FIGURES: Dict[str, Callable[[Tools], List[Row]]] = {
    "download": download.measure,
    "per_call": per_call.measure,
    "concurrency": concurrency.measure,
    "startup": startup.measure,
    "sandbox": sandbox_load.measure,
    "micro": micro.measure,
    "tables": tables.measure,
}


def _machine() -> str:
    cpus = os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor() or "unknown CPU"
    return f"{cpus} CPUs ({model}), Linux {platform.release()}; load average at start {load}"


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        return out + (" (with uncommitted changes in the tree)" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _write(path: Path, tools: Tools, rows: List[Row], started: float, argv: List[str]) -> None:
    mode = "quick (small sizes, few repetitions; not results)" if tools.quick else "full"
    lines = [
        "# Benchmark results" if not tools.quick else "# Benchmark results (quick mode: a harness check, not results)",
        "",
        f"Written by `bench/run.sh{' --quick' if tools.quick else ''}` on "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC in {time.time() - started:.0f} s.",
        "",
        f"- mode: {mode}; build profile: {tools.profile}",
        f"- commit: {_commit(tools.root)}",
        f"- machine: {_machine()}",
        "- everything on 127.0.0.1 against `qcc-radar sandbox` processes; each two-sided figure "
        "alternates its sides, \"ours\" and \"baseline\" are each side's median and the ratio is "
        "the median of the per-round ratios (see bench/README.md)",
        "",
        markdown_table(rows),
        "",
        "## Notes per figure",
        "",
    ]
    for r in rows:
        if r.notes:
            lines.append(f"- **{r.figure}**: " + "; ".join(r.notes))
    path.write_text("\n".join(lines) + "\n")


def main() -> int:
    ap = argparse.ArgumentParser(prog="bench/run.sh")
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--qcc", type=Path, required=True)
    ap.add_argument("--bench-bin", type=Path, required=True)
    ap.add_argument("--venv-python", type=Path)
    ap.add_argument("--node-addon", type=Path)
    ap.add_argument("--profile", default="release")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated figures: " + ",".join(FIGURES))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--results-tail", type=Path, help="text appended to the results file")
    a = ap.parse_args()

    root = a.root.resolve()
    tools = Tools(
        root=root,
        work=fresh_dir(root / "bench" / "work"),
        quick=a.quick,
        qcc=a.qcc.resolve(),
        bench_bin=a.bench_bin.resolve(),
        venv_python=a.venv_python.absolute() if a.venv_python else None,
        node_addon=a.node_addon.resolve() if a.node_addon else None,
        profile=a.profile,
    )
    only = [f for f in a.only.split(",") if f]
    unknown = [f for f in only if f not in FIGURES]
    if unknown:
        print(f"unknown figure(s) {unknown}; choose from {list(FIGURES)}", file=sys.stderr)
        return 2
    started = time.time()
    rows: List[Row] = []
    for name, fn in FIGURES.items():
        if only and name not in only:
            continue
        print(f"==> {name}", file=sys.stderr, flush=True)
        t0 = time.time()
        try:
            got = fn(tools)
        except HarnessError as e:
            got = [Row.error(name, str(e))]
        except Exception as e:  # a bug in the harness: say where
            traceback.print_exc()
            got = [Row.error(name, f"{type(e).__name__}: {e}")]
        for r in got:
            print(f"    {r.figure}: {r.ours} vs {r.baseline} → {r.ratio} [{r.verdict}]", file=sys.stderr)
        print(f"    ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
        rows += got

    print()
    print(text_table(rows))
    _write(a.out, tools, rows, started, sys.argv)
    if a.results_tail and a.results_tail.exists():
        with open(a.out, "a") as f:
            f.write("\n" + a.results_tail.read_text())
    print(f"\nwrote {a.out}")
    if any(r.is_error for r in rows):
        print("harness error: see the rows marked error", file=sys.stderr)
        return 2
    if not tools.quick and any(r.is_miss for r in rows):
        print("some targets were missed (MISS): see RESULTS.md's findings", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

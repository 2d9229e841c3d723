"""Figure 4: start-up. `python -c 'import qcc_radar'` against `python -c pass` (the same venv
interpreter), and `qcc-radar --help`.

With hyperfine installed, each round is one `hyperfine -N` run of both commands (the order
swapped every round) and the figure is the median of every timed run; without it, the harness
times each command itself, alternating one run of each. Both run from a scratch folder so
`import qcc_radar` finds the installed package, not a source tree.
"""

from __future__ import annotations

import json
import subprocess
import time
from typing import Dict, List

from ..stats import fmt_ms, fmt_ratio, median
from ..table import Row, verdict
from ..tools import HarnessError, Tools, rel, run, show
from .per_call import _python_problem


def _hyperfine(tools: Tools, cmds: Dict[str, List[str]], rounds: int, runs: int) -> Dict[str, List[float]]:
    times: Dict[str, List[float]] = {k: [] for k in cmds}
    names = list(cmds)
    out = tools.work / "hyperfine.json"
    for i in range(rounds):
        order = names if i % 2 == 0 else list(reversed(names))
        args = ["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", str(runs), "--export-json", str(out)]
        run(args + [show(cmds[k]) for k in order], timeout=600, cwd=tools.work)
        result = json.loads(out.read_text())["results"]
        for k, r in zip(order, result):
            times[k] += r["times"]
    return times


def _own_loop(tools: Tools, cmds: Dict[str, List[str]], runs: int) -> Dict[str, List[float]]:
    times: Dict[str, List[float]] = {k: [] for k in cmds}
    for i in range(runs + 3):
        for k in cmds if i % 2 == 0 else list(reversed(list(cmds))):
            started = time.perf_counter()
            p = subprocess.run(cmds[k], cwd=tools.work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            took = time.perf_counter() - started
            if p.returncode != 0:
                raise HarnessError(f"exit {p.returncode}: {show(cmds[k])}")
            if i >= 3:  # the first rounds warm the page cache
                times[k].append(took)
    return times


def _stdlib_pulled_in(tools: Tools) -> str:
    """The top-level standard-library modules `import qcc_radar` loads, comma-separated: the
    share of its start-up that is Python's own, separated from the package's."""
    probe = (
        "import sys; before = set(sys.modules); import qcc_radar; "
        "print(','.join(sorted(m for m in set(sys.modules) - before "
        "if '.' not in m and not m.startswith(('_', 'qcc_radar')))))"
    )
    out, _ = run([str(tools.venv_python), "-c", probe], timeout=60, cwd=tools.work)
    return out.strip() or "sys"


def _measure(tools: Tools, cmds: Dict[str, List[str]]) -> Dict[str, List[float]]:
    if tools.which("hyperfine"):
        rounds, runs = (1, 10) if tools.quick else (3, 20)
        return _hyperfine(tools, cmds, rounds, runs)
    return _own_loop(tools, cmds, 10 if tools.quick else 60)


def measure(tools: Tools) -> List[Row]:
    how = "hyperfine -N" if tools.which("hyperfine") else "own alternating loop"
    rows: List[Row] = []
    problem = _python_problem(tools)
    if problem:
        rows.append(Row.skipped("start-up: python -c 'import qcc_radar' vs python -c pass", problem))
    else:
        py = str(tools.venv_python)
        stdlib = _stdlib_pulled_in(tools)
        t = _measure(
            tools,
            {
                "ours": [py, "-c", "import qcc_radar"],
                "base": [py, "-c", "pass"],
                "stdlib": [py, "-c", f"import {stdlib}"],
            },
        )
        o, b, s = median(t["ours"]), median(t["base"]), median(t["stdlib"])
        rows.append(
            Row(
                "start-up: python -c 'import qcc_radar' vs python -c pass",
                fmt_ms(o),
                fmt_ms(b),
                f"{fmt_ratio(o / b)} (+{(o - b) * 1000:.1f} ms)",
                "≤ +50 ms",
                verdict(o - b <= 0.050),
                f"{how} \"python -c 'import qcc_radar'\" \"python -c pass\"",
                [f"median of {len(t['ours'])} runs each, {how}; python is the bench venv's"],
            )
        )
        rows.append(
            Row(
                "start-up: import qcc_radar vs importing just the stdlib modules it loads",
                fmt_ms(o),
                fmt_ms(s),
                f"{fmt_ratio(o / s)} (+{(o - s) * 1000:.1f} ms)",
                "— (diagnostic)",
                verdict(None),
                f"{how} \"python -c 'import qcc_radar'\" \"python -c 'import <the stdlib modules it loads>'\"",
                [
                    f"the stdlib modules: {stdlib}"
                    if stdlib != "sys"
                    else "none beyond what `python -c pass` loads (the baseline runs `import sys`)"
                ],
            )
        )
    q = str(tools.qcc)
    t = _measure(tools, {"ours": [q, "--help"]})
    o = median(t["ours"])
    rows.append(
        Row(
            "start-up: qcc-radar --help",
            fmt_ms(o),
            target="≤ 20 ms",
            verdict=verdict(o <= 0.020),
            command=f"{how} '{rel(tools, tools.qcc)} --help'",
            notes=[f"median of {len(t['ours'])} runs, {how}"],
        )
    )
    return rows

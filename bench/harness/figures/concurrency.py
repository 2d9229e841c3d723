"""Figure 3: 1,000 concurrent waits on one client, against a `slow` sandbox.

The program orders N reports, then waits for all of them at once on one client and reports
its own peak resident set (VmHWM) and peak thread count (sampled from /proc/self/status while
the waits run). A client that parked a thread per wait would show ~N threads; ours should
show the runtime's few. Rust (`qcc_radar::Client`, tasks on one runtime), Python
(`AsyncClient`, asyncio.gather) and Node (`Client`, Promise.allSettled) all run, since each is
how its users would do it; a Node process has a dozen threads (V8, libuv) before the first
wait, so the figure to read is that the count does not move.
"""

from __future__ import annotations

import json
from typing import Dict, List

from ..sandbox import Sandbox
from ..stats import fmt_mib, median
from ..table import Row, verdict
from ..tools import HarnessError, Tools, json_line, rel, run
from .per_call import _node_problem, _python_problem

RSS_LIMIT_KIB = 100 * 1024
THREAD_LIMIT = 32


def _runs(cmd: List[str], env: Dict[str, str], reps: int, n: int) -> List[dict]:
    outs = []
    for _ in range(reps):
        out, _ = run(cmd, timeout=300, env=env)
        o = json.loads(json_line(out))
        if o["ok"] != n:
            raise HarnessError(f"{o['ok']} of {n} waits ended ready; first error: {o['first_error']}")
        outs.append(o)
    return outs


def _rows(lang: str, outs: List[dict], n: int, shown: str, ready_after: str) -> List[Row]:
    rss = median([o["peak_rss_kib"] for o in outs])
    threads = max(o["peak_threads"] for o in outs)
    secs = median([o["seconds"] for o in outs])
    note = [f"{len(outs)} run(s); all {n} waits ready after {secs:.1f} s (sandbox: ready {ready_after} s after each order)"]
    return [
        Row(
            f"{n:,} concurrent waits, {lang}: peak RSS",
            fmt_mib(rss),
            target="≤ 100 MiB",
            verdict=verdict(rss <= RSS_LIMIT_KIB),
            command=shown,
            notes=note,
        ),
        Row(
            f"{n:,} concurrent waits, {lang}: peak OS threads",
            f"{threads} (before: {outs[0]['threads_before']})",
            target=f"≤ {THREAD_LIMIT} (no thread per wait)",
            verdict=verdict(threads <= THREAD_LIMIT),
            command=shown,
        ),
    ]


def measure(tools: Tools) -> List[Row]:
    n = 1000
    reps, ready_after, poll_ms = (1, "2", 250) if tools.quick else (3, "5", 250)
    rows: List[Row] = []
    with Sandbox(tools, "slow", "--slow-ready-after", ready_after) as sb:
        b = rel(tools, tools.bench_bin)
        cmd = [str(tools.bench_bin), "waits", str(n), str(poll_ms), "120"]
        rows += _rows("Rust Client", _runs(cmd, sb.env, reps, n), n, f"{b} waits {n} {poll_ms} 120", ready_after)
        problem = _python_problem(tools)
        if problem:
            rows.append(Row.skipped(f"{n:,} concurrent waits, Python AsyncClient", problem))
        else:
            script = tools.root / "bench" / "py" / "waits.py"
            cmd = [str(tools.venv_python), str(script), str(n), str(poll_ms / 1000), "120"]
            shown = f"python bench/py/waits.py {n} {poll_ms / 1000} 120"
            rows += _rows("Python AsyncClient", _runs(cmd, sb.env, reps, n), n, shown, ready_after)
        problem = _node_problem(tools)
        if problem:
            rows.append(Row.skipped(f"{n:,} concurrent waits, Node Client", problem))
        else:
            script = tools.root / "bench" / "node" / "waits.mjs"
            cmd = ["node", str(script), str(n), str(poll_ms), "120"]
            env = dict(sb.env, NAPI_RS_NATIVE_LIBRARY_PATH=str(tools.node_addon))
            shown = f"node bench/node/waits.mjs {n} {poll_ms} 120"
            rows += _rows("Node Client", _runs(cmd, env, reps, n), n, shown, ready_after)
        for r in rows:
            r.notes.append(sb.command)
    return rows

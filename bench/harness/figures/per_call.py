"""Figure 2: per-call overhead. Sequential getReportInfo calls per second, in each language,
against the same call written by hand with what a user would reach for instead.

One `normal` sandbox with one ready order serves every side, so every answer is an `S` with a
freshly signed link. Each run is its own process: it warms up, then calls as fast as one
caller can for a fixed time and prints its rate. The two sides of a language alternate; the
figure is the ratio of their median rates (ours ÷ baseline, higher is better).
"""

from __future__ import annotations

import json
from typing import Callable, Dict, List, Optional

from ..sandbox import Sandbox
from ..stats import alternate, fmt_rate, fmt_ratio, median, paired_ratio
from ..table import Row, verdict
from ..tools import HarnessError, Tools, json_line, rel, run


def _rate(cmd: List[str], env: Dict[str, str], seconds: float) -> Callable[[], float]:
    def side() -> float:
        out, _ = run(cmd, timeout=seconds + 120, env=env)
        return float(json.loads(json_line(out))["per_second"])

    return side


def _figure(
    name: str,
    target_ratio: Optional[float],
    target_text: str,
    ours: List[str],
    baseline: List[str],
    shown: str,
    env: Dict[str, str],
    seconds: float,
    reps: int,
) -> Row:
    rates = alternate(reps, {"ours": _rate(ours, env, seconds), "base": _rate(baseline, env, seconds)})
    o, b = median(rates["ours"]), median(rates["base"])
    ratio, low, high = paired_ratio(rates["ours"], rates["base"])
    return Row(
        name,
        fmt_rate(o),
        fmt_rate(b),
        fmt_ratio(ratio),
        target_text,
        verdict(ratio >= target_ratio if target_ratio else None),
        shown,
        [f"{reps} alternating rounds of {seconds:g} s runs; per-round ratios {low:.2f}–{high:.2f}"],
    )


def _python_problem(tools: Tools) -> Optional[str]:
    if tools.venv_python is None or not tools.venv_python.exists():
        return "the Python package was not built (see run.sh's log)"
    for module in ("qcc_radar", "requests"):
        try:
            run([tools.venv_python, "-c", f"import {module}"], timeout=60, cwd=tools.work)
        except HarnessError as e:
            last = str(e).split(" / ")[-1]
            return f"{module} does not import in the bench venv ({last})"
    return None


def _node_problem(tools: Tools) -> Optional[str]:
    if not tools.which("node"):
        return "node is not installed"
    if not (tools.root / "node" / "index.js").exists():
        return "node/index.js is not in the tree yet"
    if tools.node_addon is None or not tools.node_addon.exists():
        return "the Node addon was not built (see run.sh's log)"
    return None


def measure(tools: Tools) -> List[Row]:
    seconds, reps, warmup = (1.0, 3, "50") if tools.quick else (3.0, 7, "300")
    s = f"{seconds:g}"
    rows: List[Row] = []
    with Sandbox(tools, "normal", "--polls-until-ready", "0", "--link-ttl", "3600") as sb:
        order = sb.ready_order()["order_no"]
        env = sb.env
        sandbox_note = f"{sb.command}; ORDER is one ready order"

        bench = [str(tools.bench_bin), "report-info"]
        b = rel(tools, tools.bench_bin)
        rows.append(
            _figure(
                "per call, Rust: Client::report_info vs bare reqwest loop",
                1 / 1.2,
                "≥ 0.83× (within 1.2×)",
                bench + ["client", order, s, warmup],
                bench + ["reqwest", order, s, warmup],
                f"{b} report-info client $ORDER {s}  vs  {b} report-info reqwest $ORDER {s}",
                env,
                seconds,
                reps,
            )
        )

        rows.append(
            _figure(
                "per call, Rust: bare reqwest with the client's timeouts vs bare reqwest (diagnostic)",
                None,
                "— (diagnostic)",
                bench + ["reqwest-timeouts", order, s, warmup],
                bench + ["reqwest", order, s, warmup],
                f"{b} report-info reqwest-timeouts $ORDER {s}  vs  {b} report-info reqwest $ORDER {s}",
                env,
                seconds,
                reps,
            )
        )

        problem = _python_problem(tools)
        script = tools.root / "bench" / "py" / "report_info.py"
        if problem:
            rows.append(Row.skipped("per call, Python: Client.report_info vs requests.Session", problem))
        else:
            py = [str(tools.venv_python), str(script)]
            rows.append(
                _figure(
                    "per call, Python: Client.report_info vs requests.Session",
                    2.0,
                    "≥ 2.0×",
                    py + ["qcc", order, s, warmup],
                    py + ["requests", order, s, warmup],
                    f"python bench/py/report_info.py qcc $ORDER {s}  vs  … requests $ORDER {s}",
                    env,
                    seconds,
                    reps,
                )
            )

        problem = _node_problem(tools)
        script = tools.root / "bench" / "node" / "report_info.mjs"
        if problem:
            rows.append(Row.skipped("per call, Node: reportInfo vs built-in fetch", problem))
        else:
            node_env = dict(env, NAPI_RS_NATIVE_LIBRARY_PATH=str(tools.node_addon))
            js = ["node", str(script)]
            rows.append(
                _figure(
                    "per call, Node: reportInfo vs built-in fetch",
                    1.0,
                    "≥ 1.0×",
                    js + ["qcc", order, s, warmup],
                    js + ["fetch", order, s, warmup],
                    f"node bench/node/report_info.mjs qcc $ORDER {s}  vs  … fetch $ORDER {s}",
                    node_env,
                    seconds,
                    reps,
                )
            )
        for r in rows:
            r.notes.append(sandbox_note)
    return rows

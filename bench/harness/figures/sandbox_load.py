"""Figure 5: the sandbox answers at least 20,000 getReportInfo calls per second on 2 cores,
so it never limits the other figures.

The sandbox is the `qcc-radar sandbox` process every other figure uses, with one ready order
(so each answer is an `S` with a freshly signed link, its costliest answer). The load comes
from wrk with bench/wrk/report_info.lua (one signed Token per run; every body is checked for a
"200" envelope), or, without wrk, from bench/rust's raw keep-alive generator. The generator
shares the two cores with the sandbox, so the figure is a floor.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import List
from urllib.parse import urlencode

from ..sandbox import Sandbox
from ..stats import fmt_rate, median
from ..table import Row, verdict
from ..tools import HarnessError, Tools, child_env, json_line, rel, run

TARGET = 20_000
CONNECTIONS = 16


def measure(tools: Tools) -> List[Row]:
    seconds, reps = (2, 1) if tools.quick else (10, 3)
    with Sandbox(tools, "normal", "--polls-until-ready", "0", "--link-ttl", "3600") as sb:
        order = sb.ready_order()["order_no"]
        rates = []
        if tools.which("wrk"):
            script = tools.root / "bench" / "wrk" / "report_info.lua"
            path = "/api/radar_ext/getReportInfo?" + urlencode({"key": sb.app_key, "orderNo": order})
            cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), sb.base_url]
            shown = f"QCC_WRK_PATH=… QCC_WRK_TOKEN=… QCC_WRK_TIMESPAN=… wrk -t1 -c{CONNECTIONS} -d{seconds}s -s bench/wrk/report_info.lua $BASE_URL"
            for _ in range(reps):
                ts = str(int(time.time()))
                token = hashlib.md5((sb.app_key + ts + sb.secret_key).encode()).hexdigest().upper()
                env = child_env({"QCC_WRK_PATH": path, "QCC_WRK_TOKEN": token, "QCC_WRK_TIMESPAN": ts})
                out, _ = run(cmd, timeout=seconds + 60, env=env)
                o = json.loads(json_line(out))
                if o["bad"] or o["errors"] or not o["answers"]:
                    raise HarnessError(f"wrk saw {o['bad']} rejected answers and {o['errors']} errors: {o}")
                rates.append(o["requests"] / o["seconds"])
            generator = "wrk"
        else:
            b = rel(tools, tools.bench_bin)
            cmd = [str(tools.bench_bin), "load", order, str(seconds), str(CONNECTIONS)]
            shown = f"{b} load $ORDER {seconds} {CONNECTIONS}"
            for _ in range(reps):
                out, _ = run(cmd, timeout=seconds + 60, env=sb.env)
                o = json.loads(json_line(out))
                if o["bad"] or not o["answers"]:
                    raise HarnessError(f"the load generator saw {o['bad']} rejected answers: {o}")
                rates.append(o["per_second"])
            generator = "bench/rust load (wrk not installed)"
        rate = median(rates)
        return [
            Row(
                "sandbox: getReportInfo answers per second",
                fmt_rate(rate),
                target=f"≥ {TARGET:,}/s",
                verdict=verdict(rate >= TARGET),
                command=shown,
                notes=[f"median of {reps} × {seconds} s, {CONNECTIONS} keep-alive connections, {generator}", sb.command],
            )
        ]

"""Figure 5: the sandbox answers at least 20,000 getReportInfo calls per second on 2 cores,
so it never limits the other figures.

The sandbox is the `qcc-radar sandbox` process every other figure uses, with one ready order
(so each answer is an `S` with a freshly signed link, its costliest answer). The load comes
from wrk with bench/wrk/report_info.lua (one signed Token per run, no per-answer Lua so wrk
stays light; the harness checks one answer itself and then that wrk read exactly that many
bytes per answer, which a rejected 107/115 envelope would not match), or, without wrk, from
bench/rust's raw keep-alive generator (which checks every answer). The generator
shares the two cores with the sandbox, so the figure is a floor.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import time
from typing import List
from urllib.parse import urlencode, urlsplit

from ..sandbox import Sandbox
from ..stats import fmt_rate, median
from ..table import Row, verdict
from ..tools import HarnessError, Tools, child_env, json_line, rel, run

TARGET = 20_000
CONNECTIONS = 16


def _checked_answer_bytes(base_url: str, path: str, token: str, timespan: str) -> int:
    """Fetches one answer with the run's headers, checks it is a "200" envelope with an `S`
    link, and returns its size on the wire (status line, headers and body)."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Token": token, "Timespan": timespan})
        resp = conn.getresponse()
        body = resp.read()
        head = f"HTTP/1.1 {resp.status} {resp.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in resp.getheaders()
        ) + "\r\n"
    finally:
        conn.close()
    answer = json.loads(body)
    if str(answer.get("status")) != "200" or (answer.get("result") or {}).get("reportStatus") != "S":
        raise HarnessError(f"the sandbox did not accept the signed request: {body[:120]!r}")
    return len(head.encode()) + len(body)


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
                expected = _checked_answer_bytes(sb.base_url, path, token, ts)
                env = child_env({"QCC_WRK_PATH": path, "QCC_WRK_TOKEN": token, "QCC_WRK_TIMESPAN": ts})
                out, _ = run(cmd, timeout=seconds + 60, env=env)
                o = json.loads(json_line(out))
                if o["errors"] or not o["requests"]:
                    raise HarnessError(f"wrk saw errors or no answers: {o}")
                per_answer = o["bytes"] / o["requests"]
                if abs(per_answer - expected) > 0.02 * expected:
                    raise HarnessError(
                        f"wrk read {per_answer:.0f} bytes per answer where a checked 200 answer has "
                        f"{expected}: the sandbox rejected some requests"
                    )
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

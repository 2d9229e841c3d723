"""Sequential getReportInfo calls per second from Python: qcc_radar.Client or requests.Session.

    python report_info.py qcc|requests ORDER_NO SECONDS [WARMUP_CALLS]

The server and keys come from QCC_BASE_URL, QCC_APP_KEY and QCC_SECRET_KEY. Both sides make
the same signed call on one keep-alive connection, one at a time, and read the answer into a
status and a link; the requests side signs with hashlib itself, which is what a hand-written
integration does. Prints one JSON line. Bounded by SECONDS (at most 600).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from typing import Callable


def qcc_call(base_url: str, app_key: str, secret: str, order_no: str) -> Callable[[], None]:
    import qcc_radar

    client = qcc_radar.Client(app_key, secret, base_url)

    def call() -> None:
        info = client.report_info(order_no)
        if info.status == "S" and not info.url:
            raise RuntimeError("S without a link")

    return call


def requests_call(base_url: str, app_key: str, secret: str, order_no: str) -> Callable[[], None]:
    import requests

    session = requests.Session()
    url = f"{base_url.rstrip('/')}/api/radar_ext/getReportInfo"
    params = {"key": app_key, "orderNo": order_no}

    def call() -> None:
        timespan = str(int(time.time()))
        token = hashlib.md5((app_key + timespan + secret).encode()).hexdigest().upper()
        answer = session.get(url, params=params, headers={"Token": token, "Timespan": timespan})
        answer.raise_for_status()
        body = answer.json()
        if str(body.get("status")) != "200":
            raise RuntimeError(f"status {body.get('status')}")
        result = body.get("result") or {}
        if result.get("reportStatus") == "S" and not result.get("reportUrl"):
            raise RuntimeError("S without a link")

    return call


def main() -> None:
    side, order_no, seconds = sys.argv[1], sys.argv[2], min(float(sys.argv[3]), 600.0)
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    env = os.environ
    make = {"qcc": qcc_call, "requests": requests_call}[side]
    call = make(env["QCC_BASE_URL"], env["QCC_APP_KEY"], env["QCC_SECRET_KEY"], order_no)
    for _ in range(warmup):
        call()
    calls = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        call()
        calls += 1
    elapsed = time.perf_counter() - started
    print(json.dumps({"side": side, "calls": calls, "seconds": elapsed, "per_second": calls / elapsed}))


if __name__ == "__main__":
    main()

"""Many concurrent waits on one qcc_radar.AsyncClient: memory and threads.

    python waits.py N POLL_SECONDS TIMEOUT_SECONDS

Orders N reports from the sandbox at QCC_BASE_URL (a `slow` one), then gathers N
`wait_for_report` coroutines on one client. A sampler coroutine reads /proc/self/status every
5 ms for the peak thread count; VmHWM is the peak resident set. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Dict


def proc_status() -> Dict[str, int]:
    out: Dict[str, int] = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("Threads", "VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


async def main() -> None:
    import qcc_radar

    n, poll, timeout = int(sys.argv[1]), float(sys.argv[2]), min(float(sys.argv[3]), 600.0)
    client = qcc_radar.AsyncClient(poll_initial=poll, poll_max=poll, wait_timeout=timeout)
    orders = []
    for _ in range(n):
        order = await client.create_report("day")
        assert order is not None, "createReport answered no change"
        orders.append(order)
    before = proc_status()["Threads"]
    peak = before
    done = False

    async def sampler() -> None:
        nonlocal peak
        while not done:
            peak = max(peak, proc_status()["Threads"])
            await asyncio.sleep(0.005)

    sampling = asyncio.ensure_future(sampler())
    started = time.perf_counter()
    results = await asyncio.gather(
        *(client.wait_for_report(o, timeout) for o in orders), return_exceptions=True
    )
    seconds = time.perf_counter() - started
    done = True
    await sampling
    errors = [r for r in results if isinstance(r, BaseException)]
    ok = sum(1 for r in results if not isinstance(r, BaseException) and r.status == "S")
    after = proc_status()
    print(
        json.dumps(
            {
                "n": n,
                "ok": ok,
                "first_error": repr(errors[0]) if errors else None,
                "seconds": seconds,
                "threads_before": before,
                "peak_threads": max(peak, after["Threads"]),
                "peak_rss_kib": after["VmHWM"],
                "rss_after_kib": after["VmRSS"],
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())

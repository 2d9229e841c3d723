"""Order the daily and weekly reports concurrently with AsyncClient, with an overall deadline.

Runs against the built-in sandbox unless QCC_APP_KEY and QCC_SECRET_KEY are set:

    python examples/asyncio_fetch.py [OUT_DIR]
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Union

import qcc_radar


async def fetch_all(client: qcc_radar.AsyncClient, out: Path) -> Dict[str, Optional[qcc_radar.Report]]:
    kinds = ["day", "week"]
    # Cancelling (here by the deadline) stops the Rust work and removes partial files.
    results: List[Union[Optional[qcc_radar.Report], BaseException]] = await asyncio.wait_for(
        asyncio.gather(
            *(client.fetch_report(kind, out / kind) for kind in kinds), return_exceptions=True
        ),
        timeout=900,
    )
    reports: Dict[str, Optional[qcc_radar.Report]] = {}
    for kind, result in zip(kinds, results):
        if isinstance(result, qcc_radar.QccError):
            print(f"{kind}: failed [{result.kind}] {result}", file=sys.stderr)
        elif isinstance(result, BaseException):
            raise result
        else:
            reports[kind] = result
    return reports


async def main(out_dir: Optional[str] = None) -> int:
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="qcc-radar-"))
    sandbox: Optional[qcc_radar.Sandbox] = None
    if os.environ.get("QCC_APP_KEY") and os.environ.get("QCC_SECRET_KEY"):
        client = qcc_radar.AsyncClient()
    else:
        sandbox = qcc_radar.Sandbox("normal")
        client = sandbox.async_client(poll_initial=0.1)
    try:
        # Closed at the end of the block: anything still running then ends cancelled.
        async with client:
            reports = await fetch_all(client, out)
    finally:
        if sandbox is not None:
            sandbox.close()
    for kind, report in reports.items():
        if report is None:
            print(f"{kind}: no risk changes")
        else:
            print(f"{kind}: {report.order_no}, {len(report.files)} files in {report.folder}")
    return 0 if len(reports) == 2 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:2])))

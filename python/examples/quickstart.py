"""Fetch today's risk-monitoring report with the blocking client.

With QCC_APP_KEY and QCC_SECRET_KEY set this talks to QCC (and may be billed); without them
it runs against the built-in sandbox, which is what CI does:

    python examples/quickstart.py [OUT_DIR]
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Optional

import qcc_radar


@contextlib.contextmanager
def make_client() -> Iterator[qcc_radar.Client]:
    """A real client when credentials are set, else one pointed at a sandbox."""
    if os.environ.get("QCC_APP_KEY") and os.environ.get("QCC_SECRET_KEY"):
        with qcc_radar.Client() as client:
            yield client
        return
    with qcc_radar.Sandbox("normal") as sandbox:
        print(f"no credentials set: using the sandbox at {sandbox.base_url}", file=sys.stderr)
        with sandbox.client(poll_initial=0.1) as client:
            yield client


def main(out_dir: Optional[str] = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    out = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="qcc-radar-"))
    with make_client() as client:
        try:
            report = client.fetch_report("day", out, timeout=600)
        except qcc_radar.QuotaError as e:
            print(f"out of quota ({e.code}): {e.server_message}", file=sys.stderr)
            return 3
        except qcc_radar.WaitTimeoutError as e:
            # The order is in OUT's ledger: running this again resumes it, paying nothing more.
            print(f"{e.order_no} is not ready yet; run again later to resume it", file=sys.stderr)
            return 5
        except qcc_radar.UnconfirmedOrderError as e:
            # An order may have been placed: check QCC's order list before new_order=True.
            print(f"unconfirmed order: {e}", file=sys.stderr)
            return 8
        except qcc_radar.QccError as e:
            print(f"failed [{e.kind}]: {e}", file=sys.stderr)
            return 1
    if report is None:
        print("no risk changes today: no report")
        return 0
    print(f"report {report.order_no} ({report.report_type}) in {report.folder}")
    for f in report.files:
        print(f"  {f.relative_to(report.folder)}  {f.stat().st_size} bytes")
    # The files' contents as tables (pandas: t.to_pandas(); polars: polars.DataFrame(t)).
    tables = report.tables()
    for name, t in tables.items():
        print(f"  table {name}: {len(t)} rows; {', '.join(t.columns)}")
    for skipped in tables.skipped:
        print(f"  not a table: {skipped.name} ({skipped.reason})")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))

"""The behaviour suite's table: one row per sandbox scenario, what the whole flow must do.

The sync and the async test files both run every row, so the two clients are held to the same
expectations (the same table the other bindings follow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Type

import qcc_radar
from conftest import BOOKKEEPING


@dataclass
class Case:
    scenario: str
    # None: a report is expected (or `no_report`); else the exception class.
    error: Optional[Type[qcc_radar.QccError]] = None
    kind: Optional[str] = None
    code: Optional[int] = None
    no_report: bool = False
    orders: int = 1
    sandbox: Dict[str, Any] = field(default_factory=dict)
    client: Dict[str, Any] = field(default_factory=dict)
    timeout: Optional[float] = None
    # Extra checks on the sandbox's request log after the flow.
    check: Optional[Callable[[qcc_radar.Sandbox, Any], None]] = None


def _flaky(sb: qcc_radar.Sandbox, client: Any) -> None:
    reqs = sb.requests()
    assert any(r["http_status"] == 502 for r in reqs), "the gateway failure was not seen"
    downloads = [r for r in reqs if r["endpoint"] == "download"]
    assert len(downloads) >= 2, "the cut download was not retried"
    assert any(r["range"] for r in downloads[1:]), "the retry did not resume with Range"


def _expired(sb: qcc_radar.Sandbox, client: Any) -> None:
    downloads = [r for r in sb.requests() if r["endpoint"] == "download"]
    # The expired link is either refused by the storage (403) or never used at all; in both
    # cases the archive arrives from a fresh link.
    assert downloads and downloads[-1]["http_status"] == 200


def _skew(sb: qcc_radar.Sandbox, client: Any) -> None:
    statuses = [r["api_status"] for r in sb.requests() if r["endpoint"] == "createReport"]
    assert statuses[0] == 115 and statuses[-1] == 200, statuses
    assert abs(client.clock_offset - 900) <= 5, client.clock_offset


def _single_order(sb: qcc_radar.Sandbox, client: Any) -> None:
    assert sb.count("createReport") == 1


CASES: List[Case] = [
    Case("normal", check=_single_order),
    Case("no_change", no_report=True, orders=0),
    Case("fail", error=qcc_radar.ReportFailedError, kind="report_failed"),
    Case(
        "slow",
        error=qcc_radar.WaitTimeoutError,
        kind="timeout",
        sandbox={"slow_ready_after": 60.0},
        timeout=0.3,
    ),
    Case("slow", sandbox={"slow_ready_after": 0.3}),
    Case("flaky", check=_flaky),
    Case("expired_link", check=_expired),
    Case("quota", error=qcc_radar.QuotaError, kind="quota", code=112, orders=0),
    Case(
        "bad_credentials",
        error=qcc_radar.AuthenticationError,
        kind="auth",
        code=107,
        orders=0,
    ),
    Case("unsafe_archive", error=qcc_radar.ArchiveError, kind="archive"),
    Case("zip_bomb", error=qcc_radar.ArchiveError, kind="archive"),
    Case("clock_skew", check=_skew),
    Case("large", sandbox={"large_bytes": 3 * 1024 * 1024}),
]


def case_id(case: Case) -> str:
    suffix = "-timeout" if case.timeout is not None else ""
    return case.scenario + suffix


def check_report(report: qcc_radar.Report, out_dir: Path) -> None:
    """A report on disk: the archive and folder where promised, files inside, nothing else."""
    assert isinstance(report.archive, Path) and isinstance(report.folder, Path)
    assert report.archive == out_dir / f"{report.order_no}.zip"
    assert report.folder == out_dir / report.order_no
    assert report.archive.is_file() and report.archive.stat().st_size > 0
    assert report.files, "no files extracted"
    for f in report.files:
        assert isinstance(f, Path)
        assert f.is_file()
        assert report.folder in f.parents
    assert report.files == sorted(report.files)
    assert sorted(p.name for p in out_dir.iterdir() if p.name not in BOOKKEEPING) == sorted(
        [report.archive.name, report.folder.name]
    ), "temporary files were left beside the report"

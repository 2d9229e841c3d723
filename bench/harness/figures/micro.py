"""Figure 6: Criterion micro-benchmarks of signing and response parsing
(crates/qcc-radar-core/benches/), each beside its hand-written floor.

The floors: for signing, one MD5 over AppKey + Timespan + SecretKey hex-encoded by table; for
parsing, `serde_json::from_slice` into a `Value` and three lookups. The ratio is what the
core's extra care costs per call (tolerant envelope, link validation, typed errors). These
figures have no target in the issue; they are here to catch regressions and to show that
per-call costs are microseconds against a network round trip of ~100 µs on loopback.
"""

from __future__ import annotations

import json
import os
from typing import List, Optional, Tuple

from ..table import Row
from ..tools import Tools, run

PAIRS: List[Tuple[str, str, Optional[str]]] = [
    ("sign(app_key, timespan, secret)", "signing/sign", "signing/md5_floor"),
    ("Credentials::sign", "signing/credentials_sign", "signing/md5_floor"),
    ("build a signed getReportInfo request", "signing/report_info_request", "signing/md5_floor"),
    ("parse getReportInfo S (with link)", "parsing/report_info_ready", "parsing/serde_floor_ready"),
    ("parse getReportInfo P", "parsing/report_info_pending", "parsing/serde_floor_pending"),
    ("parse createReport 200", "parsing/create_report_ordered", None),
]


def _ns(target_dir: str, bench_id: str) -> float:
    path = os.path.join(target_dir, "criterion", bench_id, "new", "estimates.json")
    with open(path) as f:
        return float(json.load(f)["median"]["point_estimate"])


def _fmt_ns(ns: float) -> str:
    return f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def measure(tools: Tools) -> List[Row]:
    cmd = ["cargo", "bench", "--locked", "-p", "qcc-radar-core", "--bench", "signing", "--bench", "parsing"]
    if tools.quick:
        cmd += ["--profile", "dev", "--", "--quick", "--warm-up-time", "0.2", "--noplot"]
    else:
        cmd += ["--", "--noplot"]
    run(cmd, timeout=1800, cwd=tools.root)
    target_dir = os.environ.get("CARGO_TARGET_DIR", str(tools.root / "target"))
    shown = " ".join(cmd)
    rows = []
    for name, ours_id, base_id in PAIRS:
        ours = _ns(target_dir, ours_id)
        if base_id:
            base = _ns(target_dir, base_id)
            rows.append(Row(f"micro: {name}", _fmt_ns(ours), _fmt_ns(base), f"{ours / base:.2f}×", command=shown))
        else:
            rows.append(Row(f"micro: {name}", _fmt_ns(ours), command=shown))
    rows[0].notes.append("Criterion medians; baselines are the hand-written floors in the bench files")
    return rows

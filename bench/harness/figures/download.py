"""Figure 1: download and extract a large report, against curl (+ unzip) of the same link.

The sandbox's `large` scenario serves a stored zip of incompressible data, generated on the
fly. One order per size; its signed link comes from `qcc-radar status ORDER --json` (one
getReportInfo call), so curl fetches exactly the bytes `qcc-radar download` fetches. Each
round runs the three sides in alternating order, each into a fresh folder that is removed
(and the page cache's dirty pages flushed) before the next side runs.

`qcc-radar download` does the whole job: one getReportInfo call for a fresh link, the
download to DIR/<order>.zip, verification and safe extraction into DIR/<order>/. The first
baseline is what a user would script instead (`curl -o` then `unzip -q`); the second is the
floor of fetching the bytes at all (`curl -o`).
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from ..sandbox import Sandbox
from ..stats import alternate, fmt_mib, fmt_ratio, fmt_s, median, paired_ratio
from ..table import Row, verdict
from ..tools import Tools, drop, rel, run_measured

MIB = 1024 * 1024
RSS_LIMIT_KIB = 64 * 1024


def _size_name(n: int) -> str:
    return f"{n // (1024 * MIB)} GiB" if n >= 1024 * MIB else f"{n // MIB} MiB"


def _one_size(tools: Tools, size: int, reps: int) -> Tuple[Dict[str, List[Tuple[float, int]]], Dict[str, str]]:
    """Runs the three sides `reps` times for one archive size; returns (wall, rss) per side
    and the commands."""
    timeout = 120 + size / MIB  # generous: a 1 GiB run takes seconds
    with Sandbox(tools, "large", "--large-bytes", str(size), "--polls-until-ready", "0", "--link-ttl", "3600") as sb:
        info = sb.ready_order()
        order, url = info["order_no"], info["url"]
        base = tools.work / "download"
        env = sb.env
        n = {"i": 0}

        def folder() -> str:
            n["i"] += 1
            d = base / f"run-{n['i']}"
            d.mkdir(parents=True)
            return str(d)

        def timed(make_cmd):  # type: ignore[no-untyped-def]
            def side() -> Tuple[float, int]:
                d = folder()
                try:
                    return run_measured(tools, make_cmd(d), timeout=timeout, env=env)
                finally:
                    drop(base)

            return side

        ours = lambda d: [str(tools.qcc), "-q", "download", order, "--out", d]  # noqa: E731
        curl_unzip = lambda d: [  # noqa: E731
            "sh",
            "-c",
            'curl -sS --fail -o "$1/r.zip" "$2" && unzip -q "$1/r.zip" -d "$1/x"',
            "sh",
            d,
            url,
        ]
        curl = lambda d: ["curl", "-sS", "--fail", "-o", f"{d}/r.zip", url]  # noqa: E731
        # Warm-up: the sandbox computes the archive's CRCs on its first download.
        timed(curl)()
        sides = {"ours": timed(ours), "curl+unzip": timed(curl_unzip), "curl": timed(curl)}
        if tools.which("eatmydata"):
            # Diagnostic: the same command with fsync made a no-op, to show what the archive's
            # durability costs (see FINDINGS.md).
            sides["ours-nofsync"] = timed(lambda d: ["eatmydata"] + ours(d))
        results = alternate(reps, sides)
    commands = {
        "sandbox": f"{sb.command}  # ORDER from `qcc-radar create`, URL from `qcc-radar status ORDER --json`",
        "ours": f"/usr/bin/time -v {rel(tools, tools.qcc)} -q download $ORDER --out $DIR",
        "curl+unzip": 'curl -sS --fail -o $DIR/r.zip "$URL" && unzip -q $DIR/r.zip -d $DIR/x',
        "curl": 'curl -sS --fail -o $DIR/r.zip "$URL"',
    }
    return results, commands


def measure(tools: Tools) -> List[Row]:
    for tool in ("curl", "unzip"):
        if not tools.which(tool):
            return [Row.skipped("download + extract", f"{tool} is not installed")]
    if tools.quick:
        small, large, reps = 8 * MIB, 32 * MIB, 3
    else:
        small, large, reps = 100 * MIB, 1024 * MIB, 5
    rows: List[Row] = []
    rss: Dict[int, int] = {}
    for size in (small, large):
        results, cmds = _one_size(tools, size, reps)
        wall = {k: median([w for w, _ in v]) for k, v in results.items()}
        times = {k: [w for w, _ in v] for k, v in results.items()}
        rss[size] = max(r for _, r in results["ours"])
        name = _size_name(size)
        headline = size == large
        r1, lo1, hi1 = paired_ratio(times["ours"], times["curl+unzip"])
        r2, lo2, hi2 = paired_ratio(times["ours"], times["curl"])
        rows.append(
            Row(
                f"download+extract {name}: wall vs curl -o + unzip -q",
                fmt_s(wall["ours"]),
                fmt_s(wall["curl+unzip"]),
                fmt_ratio(r1),
                "≤ 0.75×" if headline else "— (info)",
                verdict(r1 <= 0.75 if headline else None),
                f"{cmds['ours']}  vs  {cmds['curl+unzip']}",
                [cmds["sandbox"], f"{reps} alternating rounds; per-round ratios {lo1:.2f}–{hi1:.2f}"],
            )
        )
        rows.append(
            Row(
                f"download+extract {name}: wall vs curl -o alone",
                fmt_s(wall["ours"]),
                fmt_s(wall["curl"]),
                fmt_ratio(r2),
                "≤ 2.0× (aim 1.3×)" if headline else "— (info)",
                verdict(r2 <= 2.0 if headline else None),
                f"{cmds['ours']}  vs  {cmds['curl']}",
                [f"per-round ratios {lo2:.2f}–{hi2:.2f}"],
            )
        )
        if headline and "ours-nofsync" in wall:
            r3, _, _ = paired_ratio(times["ours-nofsync"], times["curl"])
            rows.append(
                Row(
                    f"download+extract {_size_name(large)} with fsync disabled (eatmydata): wall vs curl -o alone",
                    fmt_s(wall["ours-nofsync"]),
                    fmt_s(wall["curl"]),
                    fmt_ratio(r3),
                    "— (diagnostic)",
                    verdict(None),
                    f"eatmydata {rel(tools, tools.qcc)} -q download $ORDER --out $DIR  vs  {cmds['curl']}",
                    ["what the archive's fsync before its atomic rename costs: compare with the row without eatmydata"],
                )
            )
    rows.append(
        Row(
            f"download+extract {_size_name(small)}: peak RSS",
            fmt_mib(rss[small]),
            target="≤ 64 MiB",
            verdict=verdict(rss[small] <= RSS_LIMIT_KIB),
            command=f"/usr/bin/time -v {rel(tools, tools.qcc)} -q download $ORDER --out $DIR",
        )
    )
    growth = rss[large] / rss[small]
    rows.append(
        Row(
            f"download+extract {_size_name(large)}: peak RSS (baseline: at {_size_name(small)})",
            fmt_mib(rss[large]),
            fmt_mib(rss[small]),
            fmt_ratio(growth),
            "≤ 64 MiB, ≤ 1.25× the small size",
            verdict(rss[large] <= RSS_LIMIT_KIB and growth <= 1.25),
            f"/usr/bin/time -v {rel(tools, tools.qcc)} -q download $ORDER --out $DIR",
        )
    )
    return rows

"""Figure 7: a report's contents as tables (issue 17). A 200,000-row workbook and a 200,000-row
GBK CSV, made by `qcc-radar-bench tables-gen`, read into Arrow by `qcc-radar-bench tables-read`
(`qcc_radar::tables::read_file`), side by side with python-calamine, `pandas.read_excel(engine=
"calamine")` and `pandas.read_csv(encoding="gbk")` on the same files.

Targets: at least as fast as the fastest Python reader of the same file, and a peak resident set
above what the process held before reading within 2x the table's Arrow size
(`RecordBatch::get_array_memory_size`). Every side times the read call alone (imports and
process start excluded); rounds alternate the sides and each figure is a median. The Python
side needs pandas and python-calamine in the bench venv (run.sh installs them in a full run);
without them those rows say skipped. Full runs only: the files take seconds to make.
"""

from __future__ import annotations

import json
import subprocess
from typing import Dict, List, Optional

from ..stats import fmt_mib, fmt_ratio, fmt_s, median
from ..table import Row, verdict
from ..tools import HarnessError, Tools, rel, run, show

ROWS = 200_000


def _python_reason(tools: Tools) -> Optional[str]:
    if not tools.venv_python:
        return "no bench venv"
    p = subprocess.run(
        [str(tools.venv_python), "-c", "import pandas, python_calamine"],
        capture_output=True, text=True, timeout=120,
    )
    if p.returncode != 0:
        return "pandas or python-calamine is not installed in the bench venv"
    return None


def _json(cmd: List[str]) -> Dict:
    out, _ = run(cmd, timeout=600)
    return json.loads(out.strip().splitlines()[-1])


def measure(tools: Tools) -> List[Row]:
    if tools.quick:
        return [Row.skipped("tables: 200,000-row xlsx and GBK CSV into Arrow", "full runs only (bench/run.sh)")]
    bench = str(tools.bench_bin)
    data = tools.work / "tables"
    made = _json([bench, "tables-gen", str(data), str(ROWS)])
    xlsx, csv = data / "digest.xlsx", data / "digest-gbk.csv"
    py_reason = _python_reason(tools)
    py = str(tools.venv_python) if tools.venv_python else "python"
    script = str(tools.root / "bench" / "py" / "tables.py")
    rounds = 5
    rows: List[Row] = []
    for label, path, baselines in (
        ("xlsx", xlsx, ["calamine", "read_excel"]),
        ("GBK CSV", csv, ["read_csv"]),
    ):
        ours: List[Dict] = []
        base: Dict[str, List[Dict]] = {b: [] for b in baselines}
        for i in range(rounds):
            sides = ["ours"] + ([] if py_reason else baselines)
            for side in sides if i % 2 == 0 else list(reversed(sides)):
                if side == "ours":
                    ours.append(_json([bench, "tables-read", str(path)]))
                else:
                    base[side].append(_json([py, script, side, str(path)]))
        for r in ours + [x for v in base.values() for x in v]:
            if r["rows"] != ROWS:
                raise HarnessError(f"{label}: read {r['rows']} rows, expected {ROWS}")
        o = median([r["seconds"] for r in ours])
        arrow = ours[0]["arrow_bytes"]
        growth_kib = median([r["hwm_kib"] - r["rss_before_kib"] for r in ours])
        cmd_ours = f"{rel(tools, tools.bench_bin)} tables-read {path.name}"
        names = {
            "calamine": "python-calamine to_python()",
            "read_excel": "pandas.read_excel(engine='calamine')",
            "read_csv": "pandas.read_csv(encoding='gbk')",
        }
        size = made["xlsx_bytes"] if path == xlsx else made["csv_bytes"]
        note = f"{ROWS:,} rows × {ours[0]['columns']} columns ({ours[0]['kinds']}), file {size / 2**20:.1f} MiB; {rounds} alternating rounds; made by `{rel(tools, tools.bench_bin)} tables-gen DIR {ROWS}`"
        if py_reason:
            rows.append(Row.skipped(f"tables, {label}: read into Arrow vs the fastest Python reader", py_reason, cmd_ours))
        else:
            fastest = min(baselines, key=lambda b: median([r["seconds"] for r in base[b]]))
            b = median([r["seconds"] for r in base[fastest]])
            others = "; ".join(
                f"{names[k]}: {fmt_s(median([r['seconds'] for r in v]))}, peak RSS {fmt_mib(median([r['hwm_kib'] for r in v]))}"
                for k, v in base.items()
            )
            rows.append(
                Row(
                    f"tables, {label}: read into Arrow vs the fastest Python reader ({names[fastest]})",
                    fmt_s(o),
                    fmt_s(b),
                    fmt_ratio(o / b),
                    "≤ 1.0× (at least as fast)",
                    verdict(o <= b),
                    f"{cmd_ours}  vs  python {rel(tools, tools.root / 'bench' / 'py' / 'tables.py')} {fastest} {path.name}",
                    [note, f"every Python reader: {others}"],
                )
            )
        rows.append(
            Row(
                f"tables, {label}: memory above the start vs the table's Arrow size",
                fmt_mib(growth_kib),
                fmt_mib(arrow / 1024),
                fmt_ratio(growth_kib * 1024 / arrow),
                "≤ 2.0×",
                verdict(growth_kib * 1024 <= 2 * arrow),
                f"{cmd_ours}  (VmHWM − VmRSS before the read; RecordBatch::get_array_memory_size)",
                [note],
            )
        )
    return rows

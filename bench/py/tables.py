"""The tables figure's Python baselines: one file read the way a pandas user would, timed.

    python bench/py/tables.py calamine|read_excel|read_csv FILE

`calamine`: python-calamine's `CalamineWorkbook.from_path(FILE).get_sheet_by_index(0)
.to_python()` (rows as Python lists, the fastest xlsx reader for Python); `read_excel`:
`pandas.read_excel(FILE, engine="calamine")`; `read_csv`: `pandas.read_csv(FILE,
encoding="gbk")`. Imports happen before the clock starts, so the figure is the read alone, as
qcc-radar-bench's is. Prints one JSON line: seconds, rows, the resident set before the read and
the process's peak (KiB).
"""

import json
import resource
import sys
import time


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    import pandas as pd  # noqa: F401  (imported before timing in every mode)
    from python_calamine import CalamineWorkbook

    before = rss_kib()
    started = time.perf_counter()
    if mode == "calamine":
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
        n = len(rows) - 1
    elif mode == "read_excel":
        n = len(pd.read_excel(path, engine="calamine"))
    elif mode == "read_csv":
        n = len(pd.read_csv(path, encoding="gbk"))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rows": n, "rss_before_kib": before, "hwm_kib": peak}))


if __name__ == "__main__":
    main()

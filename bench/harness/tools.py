"""Where everything the harness runs lives, and running it with a deadline.

run.sh builds the programs and passes their paths; this module only finds them. Every child
process gets a timeout, and the harness kills only the processes it started (by their own
handle), so a run always stops by itself.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple


class HarnessError(RuntimeError):
    """Something the harness itself could not do (as opposed to a missed target)."""


@dataclass
class Tools:
    """Paths and switches for one run."""

    root: Path  # the repository
    work: Path  # scratch space, emptied per figure
    quick: bool
    qcc: Path  # the qcc-radar binary
    bench_bin: Path  # bench/rust's qcc-radar-bench
    venv_python: Optional[Path]  # a venv with qcc_radar and requests, if built
    node_addon: Optional[Path]  # the napi addon for NAPI_RS_NATIVE_LIBRARY_PATH, if built
    profile: str  # "release" or "dev": which build the numbers come from

    def which(self, name: str) -> Optional[str]:
        return shutil.which(name)

    @property
    def time_v(self) -> Optional[str]:
        return "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def show(cmd: Sequence[str]) -> str:
    """A command as one would type it."""
    return " ".join(shlex.quote(str(c)) for c in cmd)


def rel(tools: Tools, path: Path) -> str:
    """A path relative to the repository, for commands shown in the table."""
    try:
        return str(Path(path).relative_to(tools.root))
    except ValueError:
        return str(path)


def run(
    cmd: Sequence[str],
    *,
    timeout: float,
    env: Optional[Dict[str, str]] = None,
    cwd: Optional[Path] = None,
) -> Tuple[str, float]:
    """Runs `cmd`, returns (stdout, wall seconds); a non-zero exit is a HarnessError."""
    started = time.perf_counter()
    try:
        p = subprocess.run(
            [str(c) for c in cmd],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            text=True,
        )
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"timed out after {timeout:.0f} s: {show(cmd)}") from e
    wall = time.perf_counter() - started
    if p.returncode != 0:
        tail = (p.stderr or "").strip().splitlines()[-5:]
        raise HarnessError(f"exit {p.returncode}: {show(cmd)}: {' / '.join(tail)}")
    return p.stdout, wall


def run_measured(
    tools: Tools,
    cmd: Sequence[str],
    *,
    timeout: float,
    env: Optional[Dict[str, str]] = None,
    cwd: Optional[Path] = None,
) -> Tuple[float, int]:
    """Runs `cmd` under `/usr/bin/time -v` (when installed) with its output discarded;
    returns (wall seconds, peak RSS in KiB).

    The peak RSS is "Maximum resident set size" from `time -v`: the largest resident set of the
    command or any process it waited for. Without `/usr/bin/time` it is the same kernel figure
    from `wait4`'s ru_maxrss. The wall time is taken around the child by the harness.
    """
    err_path = tools.work / "last-stderr.txt"
    full = ([tools.time_v, "-v"] if tools.time_v else []) + [str(c) for c in cmd]
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        p = subprocess.Popen(
            full, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            p.kill()

        killer = threading.Timer(timeout, kill)
        killer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
    p.returncode = os.waitstatus_to_exitcode(status)
    text = err_path.read_text(errors="replace")
    if expired.is_set():
        raise HarnessError(f"timed out after {timeout:.0f} s: {show(cmd)}")
    if p.returncode != 0:
        tail = [line.strip() for line in text.strip().splitlines() if line.strip()][:6]
        raise HarnessError(f"exit {p.returncode}: {show(cmd)}: {' / '.join(tail)}")
    rss = int(usage.ru_maxrss)
    if tools.time_v:
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if not m:
            raise HarnessError(f"/usr/bin/time -v printed no peak RSS for {show(cmd)}")
        rss = int(m.group(1))
    return wall, rss


def child_env(extra: Dict[str, str]) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def drop(path: Path) -> None:
    """Removes `path` and flushes the page cache's dirty pages, outside any timing, so one
    run's write-back does not land in the next run's time."""
    if path.exists():
        shutil.rmtree(path)
    os.sync()


def json_line(stdout: str) -> str:
    """The last line of a program's stdout that looks like JSON."""
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return line
    raise HarnessError(f"no JSON line in: {stdout[-200:]!r}")

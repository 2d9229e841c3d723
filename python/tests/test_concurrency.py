"""One client shared by threads, used across fork(), and called from inside a running loop."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

import qcc_radar
from conftest import FAST

pytestmark = pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")


def test_threads_share_one_client(tmp_path: Path) -> None:
    n = 16
    results: List[Optional[qcc_radar.Report]] = [None] * n
    errors: List[BaseException] = []
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        barrier = threading.Barrier(n)

        def work(i: int) -> None:
            try:
                barrier.wait()
                results[i] = client.fetch_report("day", tmp_path / str(i))
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert all(r is not None for r in results)
        assert len({r.order_no for r in results if r}) == n
        assert sb.orders_placed == n


def test_gil_is_released_while_waiting() -> None:
    """A pure-Python thread keeps running while another thread waits in Rust."""
    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        client = sb.client(**FAST)
        order = client.create_report("day")
        assert order is not None
        done = threading.Event()

        def wait() -> None:
            try:
                client.wait_for_report(order, timeout=0.6)
            except qcc_radar.WaitTimeoutError:
                pass
            done.set()

        t = threading.Thread(target=wait)
        t.start()
        spins = 0
        while not done.is_set():
            spins += 1
        t.join()
        # With the GIL held by the waiter, this loop would barely run (switch interval 5 ms
        # applies only to Python threads competing; a held GIL would stall it entirely).
        assert spins > 100_000, spins


def test_sync_api_inside_a_running_loop(out_dir: Path) -> None:
    """What a Jupyter cell does: call the blocking client while an event loop runs."""

    async def cell(sb: qcc_radar.Sandbox) -> Optional[qcc_radar.Report]:
        assert asyncio.get_running_loop().is_running()
        return sb.client(**FAST).fetch_report("day", out_dir)

    with qcc_radar.Sandbox("normal") as sb:
        report = asyncio.run(cell(sb))
        assert report is not None and report.files


def test_async_client_on_two_loops_in_turn(tmp_path: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.async_client(**FAST)
        a = asyncio.run(client.fetch_report("day", tmp_path / "a"))
        b = asyncio.run(client.fetch_report("day", tmp_path / "b"))
        assert a and b and a.order_no != b.order_no


def _fetch_in_child(
    client: qcc_radar.Client, out: Path, write_fd: int
) -> None:  # runs in the forked child
    code = 1
    try:
        report = client.fetch_report("day", out)
        os.write(write_fd, (report.order_no if report else "none").encode())
        code = 0
    except BaseException as e:
        os.write(write_fd, f"error {e!r}".encode())
    finally:
        os._exit(code)


def _wait_child(pid: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_client_used_before_fork_works_in_child(tmp_path: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        # Warm the parent's runtime and connection pool first: the hazard is inheriting them.
        parent_report = client.fetch_report("day", tmp_path / "parent")
        assert parent_report is not None
        for round_ in range(2):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _fetch_in_child(client, tmp_path / f"child{round_}", w)
            os.close(w)
            code = _wait_child(pid, 30)
            answer = os.read(r, 1000).decode()
            os.close(r)
            assert code == 0, answer
            assert answer.startswith("JKDAY-"), answer
        # The parent still works after its children.
        assert client.fetch_report("day", tmp_path / "parent2") is not None
        assert sb.orders_placed == 4


_pool_client: Optional[qcc_radar.Client] = None


def _pool_job(arg: Tuple[int, str]) -> str:
    i, base = arg
    assert _pool_client is not None
    report = _pool_client.fetch_report("day", Path(base) / str(i))
    return report.order_no if report else "none"


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork start method"
)
def test_multiprocessing_fork_pool(tmp_path: Path) -> None:
    global _pool_client
    with qcc_radar.Sandbox("normal") as sb:
        _pool_client = sb.client(**FAST)
        assert _pool_client.create_report("day")  # warm up in the parent
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(3) as pool:
            orders = pool.map_async(_pool_job, [(i, str(tmp_path)) for i in range(6)]).get(60)
        assert len(set(orders)) == 6 and all(o.startswith("JKDAY-") for o in orders)
        assert sb.orders_placed == 7
    _pool_client = None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_async_client_in_forked_child(tmp_path: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.async_client(**FAST)
        assert asyncio.run(client.fetch_report("day", tmp_path / "p")) is not None
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            code = 1
            try:
                rep = asyncio.run(client.fetch_report("day", tmp_path / "c"))
                os.write(w, (rep.order_no if rep else "none").encode())
                code = 0
            except BaseException as e:
                os.write(w, repr(e).encode())
            finally:
                os._exit(code)
        os.close(w)
        code = _wait_child(pid, 30)
        answer = os.read(r, 1000).decode()
        os.close(r)
        assert code == 0 and answer.startswith("JKDAY-"), answer


def test_sandbox_and_client_survive_gc_in_threads() -> None:
    """Dropping clients and sandboxes from several threads neither hangs nor crashes."""

    def churn() -> None:
        for _ in range(3):
            with qcc_radar.Sandbox("no_change") as sb:
                assert sb.client(**FAST).create_report("day") is None

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
        assert not t.is_alive()

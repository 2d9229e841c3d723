"""Closing a client, the rule of every binding: calls in flight end cancelled, later calls are
``ConfigError``, closing twice is harmless; ``with`` and ``async with`` close on exit.

The ``slow`` sandbox keeps an order pending for a minute, so a wait or a whole fetch is surely
in flight when the client is closed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

import pytest

import qcc_radar
from conftest import FAST, leftovers

# How soon a call in flight must end once its client is closed (it ends at once; the margin
# is for a loaded CI machine).
PROMPTLY = 5.0


def _slow() -> qcc_radar.Sandbox:
    return qcc_radar.Sandbox("slow", slow_ready_after=60)


def _later_calls_are_config_errors(client: qcc_radar.Client, out_dir: Path) -> None:
    calls: List[Callable[[], Any]] = [
        lambda: client.create_report("day"),
        lambda: client.report_info("JKDAY-1"),
        lambda: client.wait_for_report("JKDAY-1", timeout=1),
        lambda: client.download_report("JKDAY-1", out_dir),
        lambda: client.fetch_report("day", out_dir),
    ]
    for call in calls:
        with pytest.raises(qcc_radar.ConfigError, match="the client is closed; make a new one"):
            call()


def _in_thread(call: Callable[[], Any]) -> Dict[str, Any]:
    """Starts ``call`` on a thread; the dict gets its ``error`` and ``ended`` time."""
    out: Dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out["error"] = e
        out["ended"] = time.monotonic()

    out["thread"] = threading.Thread(target=run, daemon=True)
    out["thread"].start()
    return out


@pytest.mark.parametrize("what", ["wait", "fetch"])
def test_close_ends_a_call_running_in_another_thread(what: str, out_dir: Path) -> None:
    with _slow() as sb:
        client = sb.client(**FAST)
        if what == "wait":
            order = client.create_report("day")
            assert order is not None
            running = _in_thread(lambda: client.wait_for_report(order, timeout=60))
        else:
            running = _in_thread(lambda: client.fetch_report("day", out_dir, timeout=60))
        # Until polls have started, so the call is surely in flight.
        deadline = time.monotonic() + 10
        while sb.count("getReportInfo") < 2:
            assert time.monotonic() < deadline, "the wait never started polling"
            time.sleep(0.01)
        assert running["thread"].is_alive()
        closed_at = time.monotonic()
        client.close()
        running["thread"].join(PROMPTLY)
        assert not running["thread"].is_alive(), "the call went on after close()"
        assert running["ended"] - closed_at < PROMPTLY
        e = running["error"]
        assert isinstance(e, qcc_radar.OperationCancelledError), repr(e)
        assert e.kind == "cancelled" and "closed" in str(e)
        assert client.closed
        polls = sb.count("getReportInfo")
        time.sleep(0.2)
        assert sb.count("getReportInfo") == polls, "the closed client kept polling"
        _later_calls_are_config_errors(client, out_dir)
        assert sb.orders_placed == 1
    assert leftovers(out_dir) == []


def test_closing_twice_is_harmless() -> None:
    client = qcc_radar.Client("k", "s", "http://127.0.0.1:9")
    assert not client.closed
    client.close()
    client.close()
    assert client.closed and "closed" in repr(client)


def test_with_closes_on_exit_and_on_error(out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        with sb.client(**FAST) as client:
            assert isinstance(client, qcc_radar.Client)
            assert client.fetch_report("day", out_dir) is not None
            assert not client.closed
        assert client.closed
        _later_calls_are_config_errors(client, out_dir)

        with pytest.raises(RuntimeError, match="boom"):
            with sb.client(**FAST) as other:
                raise RuntimeError("boom")
        assert other.closed


def test_async_close_ends_an_awaiting_task(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        task = asyncio.ensure_future(client.fetch_report("day", out_dir, timeout=60))
        while sb.count("getReportInfo") < 2:
            assert not task.done(), task
            await asyncio.sleep(0.01)
        closed_at = time.monotonic()
        client.close()
        client.close()
        with pytest.raises(qcc_radar.OperationCancelledError) as info:
            await asyncio.wait_for(task, PROMPTLY)
        assert time.monotonic() - closed_at < PROMPTLY
        assert info.value.kind == "cancelled"
        with pytest.raises(qcc_radar.ConfigError, match="the client is closed"):
            await client.create_report("day")
        with pytest.raises(qcc_radar.ConfigError, match="the client is closed"):
            await client.fetch_report("day", out_dir)

    with _slow() as sb:
        asyncio.run(main(sb))
        assert sb.orders_placed == 1
    assert leftovers(out_dir) == []


def test_async_with_closes_on_exit_after_the_calls_in_flight_ended(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        async with sb.async_client(**FAST) as client:
            assert isinstance(client, qcc_radar.AsyncClient)
            # A task of its own, still awaiting when the block ends.
            task = asyncio.ensure_future(client.fetch_report("day", out_dir, timeout=60))
            while sb.count("getReportInfo") < 1:
                await asyncio.sleep(0.01)
        # `__aexit__` (aclose) returned only once the call in flight had ended.
        assert client.closed
        await asyncio.sleep(0)  # let the task see its settled future
        assert task.done()
        assert isinstance(task.exception(), qcc_radar.OperationCancelledError)
        with pytest.raises(qcc_radar.ConfigError, match="the client is closed"):
            await client.report_info("JKDAY-1")
        await client.aclose()  # twice: harmless

    with _slow() as sb:
        asyncio.run(asyncio.wait_for(main(sb), 30))
    assert leftovers(out_dir) == []


def test_async_with_closes_on_error() -> None:
    async def main() -> qcc_radar.AsyncClient:
        with pytest.raises(RuntimeError, match="boom"):
            async with qcc_radar.AsyncClient("k", "s", "http://127.0.0.1:9") as client:
                raise RuntimeError("boom")
        return client

    assert asyncio.run(main()).closed

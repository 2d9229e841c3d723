"""Cancelling stops the Rust work and leaves nothing on disk: asyncio task.cancel(),
asyncio.wait_for, and Ctrl-C during a blocking wait."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import qcc_radar
from conftest import FAST, leftovers


def test_cancel_during_wait_stops_polling(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        task = asyncio.ensure_future(client.fetch_report("day", out_dir, timeout=60))
        await asyncio.sleep(0.3)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        polls = sb.count("getReportInfo")
        await asyncio.sleep(0.3)
        assert sb.count("getReportInfo") == polls, "the Rust wait kept polling after cancel"

    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        asyncio.run(main(sb))
        assert sb.orders_placed == 1
    assert leftovers(out_dir) == []


def test_cancel_during_download_removes_partial_file(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        task = asyncio.ensure_future(client.fetch_report("day", out_dir))
        # Wait until bytes are landing in the temporary `.<order>.zip.part-*` file.
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 0 for p in out_dir.glob(".*.zip.part-*")):
            assert time.monotonic() < deadline, "the download never started"
            assert not task.done(), "the download finished before it could be cancelled"
            await asyncio.sleep(0.002)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    # Large enough that the download takes far longer than the polling above.
    with qcc_radar.Sandbox("large", large_bytes=64 * 1024 * 1024) as sb:
        asyncio.run(main(sb))
    assert leftovers(out_dir) == [], "a cancelled download left files behind"


def test_wait_for_timeout_cancels(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.fetch_report("day", out_dir, timeout=60), 0.3)

    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        asyncio.run(main(sb))
        polls = sb.count("getReportInfo")
        time.sleep(0.3)
        assert sb.count("getReportInfo") == polls
    assert leftovers(out_dir) == []


def test_client_usable_after_a_cancel(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> qcc_radar.Report:
        client = sb.async_client(**FAST)
        task = asyncio.ensure_future(client.create_report("day"))
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        report = await client.fetch_report("day", out_dir)
        assert report is not None
        return report

    with qcc_radar.Sandbox("normal") as sb:
        asyncio.run(main(sb))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_interrupts_a_blocking_wait_within_a_second(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time, qcc_radar
        with qcc_radar.Sandbox("slow", slow_ready_after=600) as sb:
            client = sb.client(poll_initial=0.05, poll_max=0.05)
            order = client.create_report("day")
            print("waiting", flush=True)
            try:
                client.wait_for_report(order, timeout=600)
            except KeyboardInterrupt:
                print("interrupted", time.time(), flush=True)
                sys.exit(0)
            sys.exit(3)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("QCC_")},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "waiting"
        time.sleep(0.5)
        sent = time.time()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    words = out.split()
    assert words[:1] == ["interrupted"], (out, err)
    elapsed = float(words[1]) - sent
    assert elapsed < 1.0, f"Ctrl-C took {elapsed:.2f} s to interrupt the wait"

"""The behaviour suite with AsyncClient: the same table, the same expectations, as coroutines."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import qcc_radar
from conftest import FAST, leftovers
from scenarios import CASES, Case, case_id, check_report


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fetch_report(case: Case, out_dir: Path) -> None:
    with qcc_radar.Sandbox(case.scenario, **case.sandbox) as sb:
        client = sb.async_client(**{**FAST, **case.client})

        async def flow() -> object:
            return await client.fetch_report("day", out_dir, timeout=case.timeout)

        if case.error is not None:
            with pytest.raises(case.error) as info:
                asyncio.run(flow())
            assert info.value.kind == case.kind
            if case.code is not None:
                assert info.value.code == case.code
                assert info.value.server_message
            assert leftovers(out_dir) == []
        else:
            report = asyncio.run(flow())
            if case.no_report:
                assert report is None
                assert leftovers(out_dir) == []
            else:
                assert isinstance(report, qcc_radar.Report)
                assert report.report_type == "day"
                check_report(report, out_dir)
        assert sb.orders_placed == case.orders
        if case.check is not None:
            case.check(sb, client)


def test_step_by_step(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        order = await client.create_report("month")
        assert order is not None and order.startswith("JKMONTH-")
        assert (await client.report_info(order)).status == "P"
        info = await client.wait_for_report(order, timeout=10)
        assert info.status == "S" and info.url and info.expires_at
        report = await client.download_report(order, out_dir)
        check_report(report, out_dir)

    with qcc_radar.Sandbox("normal") as sb:
        asyncio.run(main(sb))
        assert sb.orders_placed == 1


def test_concurrent_fetches_share_one_client(tmp_path: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> list:
        client = sb.async_client(**FAST)
        return await asyncio.gather(
            *(client.fetch_report("day", tmp_path / str(i)) for i in range(8))
        )

    with qcc_radar.Sandbox("normal") as sb:
        reports = asyncio.run(main(sb))
        assert len({r.order_no for r in reports}) == 8
        assert sb.orders_placed == 8


def test_the_loop_is_not_blocked() -> None:
    """While Rust waits, other coroutines run: the awaitable does not block the loop."""

    async def main(sb: qcc_radar.Sandbox) -> int:
        client = sb.async_client(**FAST)
        order = await client.create_report("day")
        assert order is not None
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        t = asyncio.ensure_future(ticker())
        with pytest.raises(qcc_radar.WaitTimeoutError):
            await client.wait_for_report(order, timeout=0.5)
        t.cancel()
        return ticks

    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        assert asyncio.run(main(sb)) >= 10


def test_argument_errors_raise_at_the_call() -> None:
    async def main() -> None:
        client = qcc_radar.AsyncClient("k", "s", "http://127.0.0.1:9")
        with pytest.raises(qcc_radar.ConfigError):
            await client.create_report("year")
        with pytest.raises(qcc_radar.ConfigError):
            await client.report_info("../etc")
        with pytest.raises(qcc_radar.ConfigError):
            await client.wait_for_report("JKDAY-1", timeout=-1)

    asyncio.run(main())

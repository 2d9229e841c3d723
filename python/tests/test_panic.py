"""A panic in the Rust half reaches Python as ``InternalError``, on both bridges.

The panic is injected through private natives that exist only in a build with the
``test-hooks`` cargo feature (python/ci.sh builds the package it tests with it; the wheels that
ship are built without, and ci.sh checks that they lack the hooks). Each runs an operation that
panics on a runtime thread through the same bridge as the client's operations.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List, Optional

import pytest

import qcc_radar
from qcc_radar import _native
from qcc_radar._client import _run
from conftest import FAST

pytestmark = [
    pytest.mark.skipif(
        not hasattr(_native, "_test_panic_async"),
        reason="qcc_radar._native was built without the `test-hooks` cargo feature "
        "(python/ci.sh builds with it: MATURIN_PEP517_ARGS='--features test-hooks')",
    ),
    # A regression hangs the awaiting coroutine forever: fail in seconds instead.
    pytest.mark.timeout(30),
]


def _check_internal(e: qcc_radar.QccError) -> None:
    assert isinstance(e, qcc_radar.InternalError), repr(e)
    assert e.kind == "internal"
    assert "panicked" in str(e) and "please report" in str(e), str(e)


def test_async_panic_raises_internal_error_and_the_client_still_works(out_dir: Path) -> None:
    calls: List[Optional[BaseException]] = []

    async def main(sb: qcc_radar.Sandbox) -> None:
        client = sb.async_client(**FAST)
        # A real operation in flight on the same runtime while the panic happens.
        fetch = asyncio.ensure_future(client.fetch_report("day", out_dir, timeout=20))

        def start(done: Any) -> _native.Task:
            def counting(exc: Optional[BaseException], value: Any) -> None:
                calls.append(exc)
                done(exc, value)

            return _native._test_panic_async(counting)  # type: ignore[attr-defined, no-any-return]

        with pytest.raises(qcc_radar.QccError) as caught:
            await asyncio.wait_for(_run(start), 10)
        _check_internal(caught.value)
        assert "deliberate panic" in str(caught.value), str(caught.value)

        # The client, and the operation that was running beside the panic, still work.
        report = await fetch
        assert report is not None and report.report_type == "day"
        assert (await client.report_info(report.order_no)).status == "S"
        # The completion ran exactly once.
        await asyncio.sleep(0.2)
        assert len(calls) == 1, calls

    with qcc_radar.Sandbox("normal") as sb:
        asyncio.run(main(sb))


def test_async_panic_after_cancel_still_settles() -> None:
    # Cancelling the awaiting task while the panicking operation runs: the cancellation is
    # re-raised (not lost, not hanging), whichever of the two the Rust side saw first.
    async def main() -> None:
        task = asyncio.ensure_future(_run(lambda done: _native._test_panic_async(done)))  # type: ignore[attr-defined]
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises((asyncio.CancelledError, qcc_radar.InternalError)):
            await asyncio.wait_for(task, 10)

    asyncio.run(main())


def test_blocking_panic_raises_internal_error_and_the_client_still_works(out_dir: Path) -> None:
    with pytest.raises(qcc_radar.QccError) as caught:
        _native._test_panic()  # type: ignore[attr-defined]
    _check_internal(caught.value)
    with qcc_radar.Sandbox("normal") as sb:
        report = sb.client(**FAST).fetch_report("day", out_dir, timeout=20)
        assert report is not None and report.report_type == "day"

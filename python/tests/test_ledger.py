"""The order ledger through the package: a re-run never pays twice and never skips a report.

``fetch_report`` keeps ``qcc-radar-journal.json`` (and the lock ``.qcc-radar.lock``) in its
out folder; these tests run it against the sandbox's real behaviour, both client flavours where
the flavour matters, and count what the sandbox saw: orders placed and requests received. They
also hold the Python package and the ``qcc-radar`` command to one lock and one ledger: a
notebook and a cron job sharing a folder place one order. See DESIGN.md, "The order ledger".
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import qcc_radar
from conftest import FAST, LEDGER, leftovers
from scenarios import check_report

ROOT = Path(__file__).resolve().parents[2]


class Flavour:
    """One client flavour (blocking or asyncio), called the same way."""

    def __init__(self, name: str) -> None:
        self.name = name

    def client(self, sb: qcc_radar.Sandbox, **options: Any) -> Any:
        opts = {**FAST, **options}
        return sb.async_client(**opts) if self.name == "async" else sb.client(**opts)

    def fetch(self, client: Any, out: Path, **kwargs: Any) -> Optional[qcc_radar.Report]:
        if self.name == "async":
            report: Optional[qcc_radar.Report] = asyncio.run(client.fetch_report("day", out, **kwargs))
            return report
        result: Optional[qcc_radar.Report] = client.fetch_report("day", out, **kwargs)
        return result


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return Flavour(str(request.param))


# ---------------------------------------------------------------------------------------------
# Re-runs in one process.


def test_notebook_rerun_returns_the_same_report(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        first = flavour.fetch(flavour.client(sb), out_dir)
        assert first is not None
        sent = len(sb.requests())
        # Running the cell again: a new client, the same folder.
        again = flavour.fetch(flavour.client(sb), out_dir)
        assert again == first
        assert (again.order_no, again.archive, again.files) == (
            first.order_no, first.archive, first.files)
        check_report(again, out_dir)
        assert sb.orders_placed == 1
        assert len(sb.requests()) == sent, "the re-run sent a request"
        assert (out_dir / LEDGER).is_file()


def test_rerun_after_no_change_sends_nothing(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("no_change") as sb:
        client = flavour.client(sb)
        assert flavour.fetch(client, out_dir) is None
        assert sb.count("createReport") == 1
        assert flavour.fetch(client, out_dir) is None
        assert sb.count("createReport") == 1 and sb.orders_placed == 0
        # new_order asks again.
        assert flavour.fetch(client, out_dir, new_order=True) is None
        assert sb.count("createReport") == 2


def test_lost_answer_orders_nothing_more_until_new_order(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("lost_answer") as sb:
        client = flavour.client(sb)
        with pytest.raises(qcc_radar.UnconfirmedOrderError) as info:
            flavour.fetch(client, out_dir)
        err = info.value
        assert err.kind == "unconfirmed_order" and err.code is None
        assert err.order_no is None  # the answer that would have named it never came
        assert "new_order" in str(err) and str(out_dir / LEDGER) in str(err)
        assert sb.orders_placed == 1

        # The re-run (a notebook cell, the next cron run) refuses again, sending nothing.
        sent = len(sb.requests())
        with pytest.raises(qcc_radar.UnconfirmedOrderError):
            flavour.fetch(client, out_dir)
        assert sb.orders_placed == 1 and len(sb.requests()) == sent
        assert leftovers(out_dir) == []

        # The caller checked QCC's order list and found nothing: order anyway.
        report = flavour.fetch(client, out_dir, new_order=True)
        assert report is not None
        check_report(report, out_dir)
        assert sb.orders_placed == 2
        # And from now on the period has its report.
        assert flavour.fetch(client, out_dir) == report
        assert sb.orders_placed == 2


def test_lost_answer_resumed_with_the_order_found_in_the_order_list(
    flavour: Flavour, out_dir: Path
) -> None:
    with qcc_radar.Sandbox("lost_answer") as sb:
        client = flavour.client(sb)
        with pytest.raises(qcc_radar.UnconfirmedOrderError) as info:
            flavour.fetch(client, out_dir)
        assert "order_no" in str(info.value)
        # The user looks at QCC's order list (here: the sandbox's) and finds the order.
        [found] = sb.order_numbers()
        assert found.startswith("JKDAY-")

        # Giving it with new_order, or for another report type, is refused; nothing is sent.
        sent = len(sb.requests())
        with pytest.raises(qcc_radar.ConfigError):
            flavour.fetch(client, out_dir, order_no=found, new_order=True)
        with pytest.raises(qcc_radar.ConfigError):
            if flavour.name == "async":
                asyncio.run(client.fetch_report("week", out_dir, order_no=found))
            else:
                client.fetch_report("week", out_dir, order_no=found)
        with pytest.raises(qcc_radar.ConfigError):
            flavour.fetch(client, out_dir, order_no="not an order")
        assert len(sb.requests()) == sent

        report = flavour.fetch(client, out_dir, order_no=found)
        assert report is not None and report.order_no == found
        check_report(report, out_dir)
        # A plain re-run finds it in the ledger: one createReport in all, nothing sent.
        sent = len(sb.requests())
        assert flavour.fetch(client, out_dir) == report
        assert len(sb.requests()) == sent
        assert sb.count("createReport") == 1 and sb.orders_placed == 1
        assert sb.order_numbers() == [found]


def test_create_hangs_until_the_request_timeout(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("create_hangs") as sb:
        client = flavour.client(sb, request_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(qcc_radar.UnconfirmedOrderError) as info:
            flavour.fetch(client, out_dir)
        assert time.monotonic() - started < 10, "the request timeout did not end the hang"
        assert info.value.order_no is None
        assert sb.orders_placed == 1
        # Never retried, not by the client and not by a re-run.
        with pytest.raises(qcc_radar.UnconfirmedOrderError):
            flavour.fetch(client, out_dir)
        assert sb.count("createReport") == 1 and sb.orders_placed == 1
        report = flavour.fetch(client, out_dir, new_order=True)
        assert report is not None and sb.orders_placed == 2


def test_a_failed_period_is_ordered_once_more_then_never(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("fail") as sb:
        client = flavour.client(sb)
        failed: List[str] = []
        for placed in (1, 2, 2):
            with pytest.raises(qcc_radar.ReportFailedError) as info:
                flavour.fetch(client, out_dir)
            assert info.value.order_no is not None, "the failed order's number is a field"
            failed.append(info.value.order_no)
            assert sb.orders_placed == placed
        assert failed[0] != failed[1], "the second failure is a second order"
        assert failed[2] in failed[:2], "the third call names an order it did not place"
        # new_order orders anyway (and QCC fails it again).
        with pytest.raises(qcc_radar.ReportFailedError):
            flavour.fetch(client, out_dir, new_order=True)
        assert sb.orders_placed == 3


def test_a_corrupt_ledger_is_an_io_error_and_nothing_is_sent(
    flavour: Flavour, out_dir: Path
) -> None:
    out_dir.mkdir()
    ledger = out_dir / LEDGER
    ledger.write_bytes(b"{ not json")
    before = ledger.stat()
    with qcc_radar.Sandbox("normal") as sb:
        client = flavour.client(sb)
        for _ in range(2):
            with pytest.raises(qcc_radar.LocalIOError) as info:
                flavour.fetch(client, out_dir)
            err = info.value
            assert isinstance(err, OSError) and err.kind == "io" and err.order_no is None
            assert LEDGER in str(err), "the message names the file"
        assert sb.orders_placed == 0 and sb.requests() == []
    assert ledger.read_bytes() == b"{ not json", "the ledger was rewritten"
    assert ledger.stat().st_mtime_ns == before.st_mtime_ns


def test_a_timed_out_wait_is_resumed_not_ordered_again(flavour: Flavour, out_dir: Path) -> None:
    with qcc_radar.Sandbox("slow", slow_ready_after=1.5) as sb:
        client = flavour.client(sb)
        with pytest.raises(qcc_radar.WaitTimeoutError) as info:
            flavour.fetch(client, out_dir, timeout=0.2)
        order = info.value.order_no
        assert order is not None and order.startswith("JKDAY-")
        assert order in str(info.value)
        assert sb.orders_placed == 1
        report = flavour.fetch(client, out_dir)
        assert report is not None and report.order_no == order
        check_report(report, out_dir)
        assert sb.orders_placed == 1 and sb.count("createReport") == 1


def test_two_servers_share_a_folder(out_dir: Path) -> None:
    # Each server (and each app key) has its own entries: a sandbox's report never stands in
    # for another server's, and neither blocks the other.
    with qcc_radar.Sandbox("normal") as a, qcc_radar.Sandbox("normal", app_key="other-key") as b:
        ra = a.client(**FAST).fetch_report("day", out_dir)
        rb = b.client(**FAST).fetch_report("day", out_dir)
        assert ra is not None and rb is not None
        assert (a.orders_placed, b.orders_placed) == (1, 1)
        assert a.client(**FAST).fetch_report("day", out_dir) == ra
        assert b.client(**FAST).fetch_report("day", out_dir) == rb
        assert (a.orders_placed, b.orders_placed) == (1, 1)
        for r in (ra, rb):
            assert r.archive.is_file() and r.files and all(f.is_file() for f in r.files)


def test_week_and_day_are_separate_entries(out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        day = client.fetch_report("day", out_dir)
        week = client.fetch_report("week", out_dir)
        assert day is not None and week is not None and day.order_no != week.order_no
        assert sb.orders_placed == 2
        assert client.fetch_report("week", out_dir) == week and sb.orders_placed == 2


# ---------------------------------------------------------------------------------------------
# Concurrent runs on one folder: the lock.


def test_threads_on_one_folder_place_one_order(out_dir: Path) -> None:
    n = 6
    results: List[Optional[qcc_radar.Report]] = [None] * n
    errors: List[BaseException] = []
    with qcc_radar.Sandbox("slow", slow_ready_after=0.5) as sb:
        barrier = threading.Barrier(n)

        def work(i: int) -> None:
            try:
                client = sb.client(**FAST)  # each thread its own client, as separate jobs
                barrier.wait()
                results[i] = client.fetch_report("day", out_dir)
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        assert sb.orders_placed == 1
        assert len({r.order_no for r in results if r is not None}) == 1
        assert all(r is not None for r in results)


def test_asyncio_tasks_on_one_folder_place_one_order(out_dir: Path) -> None:
    async def main(sb: qcc_radar.Sandbox) -> List[Optional[qcc_radar.Report]]:
        client = sb.async_client(**FAST)
        return list(await asyncio.gather(*(client.fetch_report("day", out_dir) for _ in range(4))))

    with qcc_radar.Sandbox("slow", slow_ready_after=0.5) as sb:
        reports = asyncio.run(main(sb))
        assert sb.orders_placed == 1
        assert reports[0] is not None and all(r == reports[0] for r in reports)


def _cli() -> Path:
    """The `qcc-radar` command built in this workspace (`cargo build -p qcc-radar-cli`)."""
    explicit = os.environ.get("QCC_RADAR_CLI")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    if not target.is_absolute():
        target = ROOT / target
    return target / "debug" / "qcc-radar"


def _cli_fetch(sb: qcc_radar.Sandbox, out: Path) -> "subprocess.Popen[str]":
    cli = _cli()
    if not cli.is_file():
        pytest.skip(f"{cli} is absent: build it with `cargo build -p qcc-radar-cli` (CI does)")
    help_text = subprocess.run(
        [str(cli), "fetch", "--help"], capture_output=True, text=True, timeout=30
    ).stdout
    if "--new-order" not in help_text:
        pytest.fail(f"{cli} predates the order ledger: rebuild it (cargo build -p qcc-radar-cli)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCC_")}
    env.update(QCC_SECRET_KEY=sb.secret_key, QCC_RADAR_POLL_MS="20")
    return subprocess.Popen(
        [str(cli), "fetch", "--type", "day", "--out", str(out), "--json",
         "--base-url", sb.base_url, "--app-key", sb.app_key],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _until(what: str, check: Any, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


@pytest.mark.parametrize("first", ["cli", "python"])
def test_python_and_the_cli_on_one_folder_place_one_order(first: str, out_dir: Path) -> None:
    with qcc_radar.Sandbox("slow", slow_ready_after=1.5) as sb:
        client = sb.client(**FAST)
        got: Dict[str, Any] = {}
        if first == "cli":
            proc = _cli_fetch(sb, out_dir)
            # The command has ordered and is waiting for the report, holding the folder's lock.
            _until("the command's order", lambda: sb.orders_placed == 1 or proc.poll() is not None)
            assert proc.poll() is None, proc.communicate()
            got["python"] = client.fetch_report("day", out_dir)
            stdout, stderr = proc.communicate(timeout=60)
        else:
            def work() -> None:
                got["python"] = client.fetch_report("day", out_dir)

            t = threading.Thread(target=work)
            t.start()
            _until("the package's order", lambda: sb.orders_placed == 1)
            proc = _cli_fetch(sb, out_dir)
            stdout, stderr = proc.communicate(timeout=60)
            t.join(60)
            assert not t.is_alive()
        assert proc.returncode == 0, (stdout, stderr)
        cli = json.loads(stdout)
        report = got["python"]
        assert isinstance(report, qcc_radar.Report)
        assert cli["status"] == "ready" and cli["order_no"] == report.order_no
        assert sb.orders_placed == 1 and sb.count("createReport") == 1
        check_report(report, out_dir)


def test_kill_during_create_report_then_rerun_orders_nothing(out_dir: Path) -> None:
    # A process killed (kill -9) while its createReport is in flight leaves the entry
    # `ordering`: the order may exist, so the next run must not order blindly.
    child = (
        "import sys, qcc_radar\n"
        "qcc_radar.Client(sys.argv[1], sys.argv[2], sys.argv[3]).fetch_report('day', sys.argv[4])\n"
    )
    with qcc_radar.Sandbox("create_hangs") as sb:
        proc = subprocess.Popen(
            [sys.executable, "-c", child, sb.app_key, sb.secret_key, sb.base_url, str(out_dir)]
        )
        try:
            _until("the child's order", lambda: sb.orders_placed == 1 or proc.poll() is not None)
            assert proc.poll() is None
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        client = sb.client(**FAST)
        with pytest.raises(qcc_radar.UnconfirmedOrderError):
            client.fetch_report("day", out_dir)
        assert sb.orders_placed == 1 and sb.count("createReport") == 1
        report = client.fetch_report("day", out_dir, new_order=True)
        assert report is not None and sb.orders_placed == 2


def test_download_report_keeps_the_folder_tidy(out_dir: Path) -> None:
    # download_report takes the same lock; what it leaves is the report and the bookkeeping.
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        order = client.create_report("day")
        assert order is not None
        client.wait_for_report(order, timeout=10)
        report = client.download_report(order, out_dir)
        check_report(report, out_dir)
        assert set(p.name for p in out_dir.iterdir()) - {report.archive.name, report.folder.name} <= {
            LEDGER, ".qcc-radar.lock"}

"""The behaviour suite with the blocking Client, one test per sandbox scenario."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import qcc_radar
from conftest import FAST, leftovers
from scenarios import CASES, Case, case_id, check_report


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fetch_report(case: Case, out_dir: Path) -> None:
    with qcc_radar.Sandbox(case.scenario, **case.sandbox) as sb:
        client = sb.client(**{**FAST, **case.client})
        if case.error is not None:
            with pytest.raises(case.error) as info:
                client.fetch_report("day", out_dir, timeout=case.timeout)
            err = info.value
            assert isinstance(err, qcc_radar.QccError)
            assert err.kind == case.kind
            if case.code is not None:
                assert err.code == case.code
                assert err.server_message, "the server's msg was not kept"
            assert leftovers(out_dir) == [], "a refused report left files behind"
        else:
            report = client.fetch_report("day", out_dir, timeout=case.timeout)
            if case.no_report:
                assert report is None
                assert leftovers(out_dir) == []
            else:
                assert report is not None
                assert report.report_type == "day"
                assert report.order_no.startswith("JKDAY-")
                check_report(report, out_dir)
        assert sb.orders_placed == case.orders
        if case.check is not None:
            case.check(sb, client)


def test_step_by_step(out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal", polls_until_ready=2) as sb:
        client = sb.client(**FAST)
        order = client.create_report("week")
        assert order is not None and order.startswith("JKWEEK-")
        first = client.report_info(order)
        assert first.status == "P" and first.url is None and first.expires_at is None
        assert not first.ready
        info = client.wait_for_report(order, timeout=10)
        assert info.status == "S" and info.ready
        assert info.url is not None and info.url.startswith(sb.base_url)
        assert "Signature=" in info.url  # the full link is what the caller asked for
        assert info.expires_at is not None and info.expires_at.tzinfo is not None
        assert info.expires_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
        assert abs(info.expires_at.timestamp() - (time.time() + 300)) < 30
        report = client.download_report(order, out_dir)
        assert report.order_no == order and report.report_type == "week"
        check_report(report, out_dir)
        assert sb.orders_placed == 1


def test_gbk_names_are_decoded(out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        report = sb.client(**FAST).fetch_report("day", out_dir)
        assert report is not None
        names = [f.name for f in report.files]
        # The sandbox stores Chinese names in GBK without the UTF-8 flag.
        assert any("\u4e00" <= ch <= "\u9fff" for n in names for ch in n), names


def test_wait_timeout_is_also_a_timeout_error() -> None:
    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        client = sb.client(**FAST)
        order = client.create_report("day")
        assert order is not None
        started = time.monotonic()
        with pytest.raises(TimeoutError) as info:
            client.wait_for_report(order, timeout=0.25)
        assert 0.2 <= time.monotonic() - started < 5
        assert isinstance(info.value, qcc_radar.WaitTimeoutError)
        assert info.value.code is None
        # The order stays valid: asking again still works.
        assert client.report_info(order).status == "P"


def test_unknown_order_is_invalid_request() -> None:
    with qcc_radar.Sandbox("normal") as sb:
        with pytest.raises(qcc_radar.InvalidRequestError) as info:
            sb.client(**FAST).report_info("JKDAY-1")
        assert info.value.kind == "invalid_request" and info.value.code == 201


def test_download_before_ready_is_refused(out_dir: Path) -> None:
    with qcc_radar.Sandbox("slow", slow_ready_after=60) as sb:
        client = sb.client(**FAST)
        order = client.create_report("day")
        assert order is not None
        with pytest.raises(qcc_radar.QccError):
            client.download_report(order, out_dir)
        assert [p for p in leftovers(out_dir)] == []


def test_unsafe_archive_writes_nothing_outside(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    absolute = Path("/tmp/qcc-abs.txt")  # the archive's absolute-path entry

    def stamp() -> object:
        return absolute.stat().st_mtime_ns if absolute.exists() else None

    before = stamp()
    with qcc_radar.Sandbox("unsafe_archive") as sb:
        with pytest.raises(qcc_radar.ArchiveError):
            sb.client(**FAST).fetch_report("day", out)
    assert leftovers(tmp_path) == ["deep", "deep/out"]
    assert stamp() == before, "the absolute-path entry was written"

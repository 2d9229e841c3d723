"""Rust log events reach Python logging; no repr, message or log line shows a secret."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

import qcc_radar
from conftest import FAST

SECRET = "sk-VERY-SECRET-value-42"


def _all_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {getattr(r, 'qcc_fields', '')}"
        for r in caplog.records
    )


def test_events_reach_the_qcc_radar_logger(
    caplog: pytest.LogCaptureFixture, out_dir: Path
) -> None:
    caplog.set_level(logging.DEBUG, logger="qcc_radar")
    with qcc_radar.Sandbox("normal") as sb:
        report = sb.client(**FAST).fetch_report("day", out_dir)
    assert report is not None
    ordered = [r for r in caplog.records if "report ordered" in r.getMessage()]
    assert ordered, _all_text(caplog)
    rec = ordered[0]
    assert rec.name.startswith("qcc_radar")
    assert rec.levelno == logging.INFO
    assert report.order_no in rec.getMessage()
    assert rec.qcc_fields["order_no"] == report.order_no  # type: ignore[attr-defined]
    # DEBUG records ("sending") were forwarded too, because the level allowed them.
    assert any(r.levelno == logging.DEBUG for r in caplog.records)


def test_level_is_respected(caplog: pytest.LogCaptureFixture, out_dir: Path) -> None:
    caplog.set_level(logging.WARNING, logger="qcc_radar")
    with qcc_radar.Sandbox("flaky") as sb:
        assert sb.client(**FAST).fetch_report("day", out_dir) is not None
    levels = {r.levelno for r in caplog.records if r.name.startswith("qcc_radar")}
    assert levels and min(levels) >= logging.WARNING
    assert any("retrying" in r.getMessage() or "interrupted" in r.getMessage()
               for r in caplog.records), _all_text(caplog)


@pytest.mark.parametrize("scenario", ["normal", "flaky", "expired_link", "clock_skew", "quota"])
def test_no_secret_in_logs_errors_or_reprs(
    scenario: str, caplog: pytest.LogCaptureFixture, out_dir: Path
) -> None:
    caplog.set_level(1, logger="qcc_radar")
    with qcc_radar.Sandbox(scenario, secret_key=SECRET) as sb:
        client = sb.client(**FAST)
        shown = [repr(client), str(client), repr(sb), repr(client._native)]
        try:
            report = client.fetch_report("day", out_dir)
            shown.append(repr(report))
            if report is not None:
                info = client.report_info(report.order_no)
                assert info.url and "Signature=" in info.url
                shown += [repr(info), str(info)]
                assert "Signature" not in repr(info) and "Expires=" not in repr(info)
        except qcc_radar.QccError as e:
            shown += [str(e), repr(e), str(e.args)]
        tokens = [
            qcc_radar.sign(sb.app_key, int(r["timespan"]), SECRET)
            for r in sb.requests()
            if r["timespan"]
        ]
        assert tokens
    text = "\n".join(shown) + "\n" + _all_text(caplog)
    assert SECRET not in text
    for t in tokens:
        assert t not in text
    assert "Signature=" not in text and "OSSAccessKeyId=" not in text


@pytest.mark.skipif(
    not hasattr(qcc_radar._native, "_test_log"),
    reason="qcc_radar._native was built without the `test-hooks` cargo feature",
)
def test_the_log_bridge_scrubs_bare_link_parameters(caplog: pytest.LogCaptureFixture) -> None:
    # A body cut off in the middle of a signed link: no URL to see, yet its Signature and
    # OSSAccessKeyId are credentials. The bridge scrubs with the core's redact_text, like the
    # client's own messages.
    caplog.set_level(logging.DEBUG, logger="qcc_radar")
    body = "eyId=x&OSSAccessKeyId=LTAIsecretid&Expires=9&Signature=k%2FD2Yb67secret"
    link = "https://f.example/r.zip?Expires=9&Signature=urlsecret"
    qcc_radar._native._test_log(f"unreadable answer: {body}", f"{body} {link}")  # type: ignore[attr-defined]
    records = [r for r in caplog.records if r.name == "qcc_radar.test_hooks"]
    assert len(records) == 1, _all_text(caplog)
    rec = records[0]
    shown = rec.getMessage() + " " + str(rec.qcc_fields)  # type: ignore[attr-defined]
    for secret in ("LTAIsecretid", "k%2FD2Yb67secret", "urlsecret"):
        assert secret not in shown, shown
    assert "OSSAccessKeyId=<redacted>" in rec.getMessage()
    assert "Signature=<redacted>" in rec.getMessage()
    assert rec.qcc_fields["detail"] == (  # type: ignore[attr-defined]
        "eyId=x&OSSAccessKeyId=<redacted>&Expires=9&Signature=<redacted> "
        "https://f.example/r.zip?<redacted>"
    )


def test_redact_url_is_the_cores() -> None:
    for url in (
        "https://f.example/a.zip?Expires=1&Signature=x",
        "https://u:p@f.example/a?x#frag",
        "https://f.example/a.zip",
        "not a url?q",
    ):
        assert qcc_radar.redact_url(url) == qcc_radar._native.redact_url(url)
    assert qcc_radar.redact_url("https://u:p@f.example/a?x") == (
        "https://<redacted>@f.example/a?<redacted>"
    )


def test_error_attributes_and_hierarchy() -> None:
    with qcc_radar.Sandbox("quota") as sb:
        with pytest.raises(qcc_radar.QccError) as info:
            sb.client(**FAST).create_report("day")
    e = info.value
    assert type(e) is qcc_radar.QuotaError
    assert (e.kind, e.code) == ("quota", 112)
    assert e.server_message and "112" in str(e)
    assert e.message == str(e)
    assert e.order_no is None  # refused: no order exists
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is qcc_radar.QuotaError
    assert (copy.kind, copy.code, copy.server_message, str(copy), copy.order_no) == (
        e.kind, e.code, e.server_message, str(e), None)


def test_order_no_survives_pickle_and_shows_in_repr(tmp_path: Path) -> None:
    with qcc_radar.Sandbox("fail") as sb:
        with pytest.raises(qcc_radar.ReportFailedError) as info:
            sb.client(**FAST).fetch_report("day", tmp_path)
    e = info.value
    assert e.order_no is not None and e.order_no.startswith("JKDAY-")
    assert f"order_no={e.order_no!r}" in repr(e)
    copy = pickle.loads(pickle.dumps(e))
    assert type(copy) is qcc_radar.ReportFailedError and copy.order_no == e.order_no


def test_exception_classes_cover_every_kind() -> None:
    expected = {
        "auth": qcc_radar.AuthenticationError,
        "quota": qcc_radar.QuotaError,
        "permission": qcc_radar.PermissionDeniedError,
        "invalid_request": qcc_radar.InvalidRequestError,
        "report_failed": qcc_radar.ReportFailedError,
        "timeout": qcc_radar.WaitTimeoutError,
        "transport": qcc_radar.TransportError,
        "archive": qcc_radar.ArchiveError,
        "config": qcc_radar.ConfigError,
        "unconfirmed_order": qcc_radar.UnconfirmedOrderError,
        "io": qcc_radar.LocalIOError,
        "cancelled": qcc_radar.OperationCancelledError,
        "internal": qcc_radar.InternalError,
    }
    for kind, cls in expected.items():
        assert cls.kind == kind
        assert issubclass(cls, qcc_radar.QccError)
    assert issubclass(qcc_radar.WaitTimeoutError, TimeoutError)
    assert issubclass(qcc_radar.ConfigError, ValueError)
    assert issubclass(qcc_radar.LocalIOError, OSError)
    assert qcc_radar.LocalIOError is not IOError  # the builtin is not shadowed
    assert not hasattr(qcc_radar, "IOError")
    assert set(qcc_radar._errors._BY_KIND) == set(expected)
    e = qcc_radar.WaitTimeoutError("late", code=None)
    assert str(e) == "late" and e.kind == "timeout" and e.order_no is None
    io = qcc_radar.LocalIOError("disk full: /r", order_no="JKDAY-1")
    assert str(io) == "disk full: /r" and io.kind == "io" and io.order_no == "JKDAY-1"


def test_logging_from_many_threads_and_a_loop_does_not_deadlock(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    """Runtime threads attach to Python to log while callers wait, in threads and in asyncio."""
    import asyncio
    import threading

    caplog.set_level(1, logger="qcc_radar")
    with qcc_radar.Sandbox("flaky") as sb:
        client = sb.client(**FAST)
        aclient = sb.async_client(**FAST)
        errors: list = []

        def work(i: int) -> None:
            try:
                assert client.fetch_report("day", tmp_path / f"t{i}") is not None
            except BaseException as e:  # pragma: no cover - reported below
                errors.append(e)

        async def gather() -> list:
            return await asyncio.gather(
                *(aclient.fetch_report("week", tmp_path / f"a{i}") for i in range(4))
            )

        threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        assert all(asyncio.run(gather()))
        for t in threads:
            t.join(60)
            assert not t.is_alive(), "a thread hung"
        assert not errors, errors
        assert sb.orders_placed == 10
    assert sum("report ordered" in r.getMessage() for r in caplog.records) == 10

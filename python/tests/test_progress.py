"""Progress events: ``Client(progress=fn)`` sees the order placed, each poll, the download's
bytes and the extraction's entries, on the client's threads; an exception in ``fn`` is logged
and the work goes on; ``progress=True`` draws tqdm bars, or says how to install tqdm.

The download events are thinned by the client (at most every 0.1 s, plus the first and the
last), so the ``large`` scenario's archive is what makes several of them.
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import threading
from pathlib import Path
from typing import List

import pytest

import qcc_radar
from conftest import FAST

LARGE = {"large_bytes": 24 * 1024 * 1024}


class Recorder:
    """A progress callback that keeps every event and the threads it ran on."""

    def __init__(self) -> None:
        self.events: List[qcc_radar.ProgressEvent] = []
        self.threads: List[threading.Thread] = []

    def __call__(self, event: qcc_radar.ProgressEvent) -> None:
        self.events.append(event)
        self.threads.append(threading.current_thread())

    def of(self, kind: str) -> List[qcc_radar.ProgressEvent]:
        return [e for e in self.events if e.kind == kind]


def _check_stream(events: Recorder, report: qcc_radar.Report) -> None:
    assert events.events, "no progress event"
    assert {e.order_no for e in events.events} == {report.order_no}
    assert [e.kind for e in events.events][0] == "ordered"

    polled = events.of("polled")
    assert polled, "no polled event"
    assert [e.polls for e in polled] == list(range(1, len(polled) + 1))
    assert all(e.status in ("P", "S") for e in polled) and polled[-1].status == "S"
    elapsed = [e.elapsed for e in polled]
    assert all(isinstance(t, float) for t in elapsed) and elapsed == sorted(elapsed)  # type: ignore[type-var]

    downloading = events.of("downloading")
    assert len(downloading) >= 2, downloading
    received = [e.received for e in downloading]
    assert received == sorted(received), "received went backwards"  # type: ignore[type-var]
    size = report.archive.stat().st_size
    assert downloading[-1].received == downloading[-1].total == size
    assert all(e.total == size for e in downloading)
    assert all(e.status is None and e.done is None for e in downloading)

    extracting = events.of("extracting")
    assert extracting and extracting[-1].done == extracting[-1].total
    assert [e.done for e in extracting] == sorted(e.done for e in extracting)  # type: ignore[type-var]

    # The order of the phases: ordered, polls, download, extraction.
    kinds = [e.kind for e in events.events]
    firsts = [kinds.index(k) for k in ("ordered", "polled", "downloading", "extracting")]
    assert firsts == sorted(firsts), kinds
    assert threading.main_thread() not in events.threads, "the callback ran on the caller's thread"


def test_a_callback_sees_every_phase_of_a_large_fetch(out_dir: Path) -> None:
    events = Recorder()
    with qcc_radar.Sandbox("large", **LARGE) as sb:
        report = sb.client(progress=events, **FAST).fetch_report("day", out_dir)
    assert report is not None
    _check_stream(events, report)


def test_the_async_client_reports_the_same_stream(out_dir: Path) -> None:
    events = Recorder()

    async def main(sb: qcc_radar.Sandbox) -> qcc_radar.Report:
        async with sb.async_client(progress=events, **FAST) as client:
            report = await client.fetch_report("day", out_dir)
        assert report is not None
        return report

    with qcc_radar.Sandbox("large", **LARGE) as sb:
        report = asyncio.run(main(sb))
    _check_stream(events, report)


def test_an_event_is_a_frozen_value() -> None:
    e = qcc_radar.ProgressEvent("downloading", "JKDAY-1", received=5, total=10)
    assert e == qcc_radar.ProgressEvent("downloading", "JKDAY-1", None, None, None, 5, 10)
    assert repr(e) == "ProgressEvent(kind='downloading', order_no='JKDAY-1', received=5, total=10)"
    with pytest.raises(AttributeError):
        e.received = 6  # type: ignore[misc]
    assert qcc_radar.ProgressEvent.__match_args__[:2] == ("kind", "order_no")


def test_an_exception_in_the_callback_is_logged_and_the_fetch_goes_on(
    caplog: pytest.LogCaptureFixture, out_dir: Path
) -> None:
    calls: List[str] = []

    def broken(event: qcc_radar.ProgressEvent) -> None:
        calls.append(event.kind)
        raise ValueError(f"broken callback on {event.kind}")

    caplog.set_level(logging.WARNING, logger="qcc_radar")
    with qcc_radar.Sandbox("normal") as sb:
        report = sb.client(progress=broken, **FAST).fetch_report("day", out_dir)
    assert report is not None and report.files
    assert {"ordered", "polled", "downloading", "extracting"} <= set(calls)
    logged = [r for r in caplog.records if "progress callback" in r.getMessage()]
    assert len(logged) == len(calls), [r.getMessage() for r in caplog.records]
    assert all(r.name == "qcc_radar" and r.levelno == logging.ERROR for r in logged)
    assert logged[0].exc_info and "broken callback on ordered" in str(logged[0].exc_info[1])


def test_progress_must_be_callable() -> None:
    with pytest.raises(TypeError, match="progress takes a callable"):
        qcc_radar.Client("k", "s", progress=42)  # type: ignore[arg-type]
    qcc_radar.Client("k", "s", progress=False)
    qcc_radar.Client("k", "s", progress=None)


def test_progress_true_draws_tqdm_bars(
    capsys: pytest.CaptureFixture[str], out_dir: Path
) -> None:
    pytest.importorskip("tqdm")
    with qcc_radar.Sandbox("large", **LARGE) as sb:
        with sb.client(progress=True, **FAST) as client:
            report = client.fetch_report("day", out_dir)
    assert report is not None
    err = capsys.readouterr().err
    assert f"{report.order_no} waiting" in err
    assert f"{report.order_no} download" in err and "100%" in err
    assert f"{report.order_no} extract" in err


def test_tqdm_progress_takes_tqdm_options(out_dir: Path) -> None:
    pytest.importorskip("tqdm")
    shown = io.StringIO()
    bars = qcc_radar.tqdm_progress(file=shown, ascii=True)
    with qcc_radar.Sandbox("normal") as sb:
        report = sb.client(progress=bars, **FAST).fetch_report("day", out_dir)
    assert report is not None
    text = shown.getvalue()
    assert f"{report.order_no} download" in text and "100%" in text
    assert not bars._bars, "a bar was left open after the report was complete"
    bars.close()


def test_without_tqdm_progress_true_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # `None` in sys.modules makes `import tqdm.auto` raise ImportError, as if it were absent.
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match="pip install tqdm") as info:
        qcc_radar.Client("k", "s", progress=True)
    assert info.value.name == "tqdm"
    with pytest.raises(ImportError, match="progress=<a function"):
        qcc_radar.tqdm_progress()

"""`ReportInfo` and `Report` behave as the frozen dataclasses they were: same constructor,
equality, hashing, immutability, pickling and repr (with the link's query hidden).

They are hand-written classes so that `import qcc_radar` does not import `dataclasses`
(bench/FINDINGS.md, start-up); these tests hold them to the dataclass behaviour, on values the
client really returned from the sandbox.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from pathlib import Path
from typing import Tuple

import pytest

import qcc_radar
from conftest import FAST


def _fetched(out_dir: Path) -> Tuple[qcc_radar.Report, qcc_radar.ReportInfo]:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        report = client.fetch_report("day", out_dir)
        assert report is not None
        return report, client.report_info(report.order_no)


def test_report_info_compares_hashes_and_is_frozen(out_dir: Path) -> None:
    _, info = _fetched(out_dir)
    assert info.ready and info.status == "S" and info.url
    assert isinstance(info.expires_at, dt.datetime) and info.expires_at.tzinfo == dt.timezone.utc
    same = qcc_radar.ReportInfo(status=info.status, url=info.url, expires_at=info.expires_at)
    assert same == info and hash(same) == hash(info) and len({same, info}) == 1
    assert qcc_radar.ReportInfo("S", info.url) != info  # another expiry
    assert info != (info.status, info.url, info.expires_at)
    assert qcc_radar.ReportInfo("P") == qcc_radar.ReportInfo("P", None, None)
    assert not qcc_radar.ReportInfo("F").ready
    assert qcc_radar.ReportInfo.__match_args__ == ("status", "url", "expires_at")
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'status'"):
        info.status = "P"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'url'"):
        del info.url  # type: ignore[misc]
    with pytest.raises(AttributeError):
        info.other = 1  # type: ignore[attr-defined]
    assert info.url and info.status == "S"


def test_report_info_repr_hides_the_links_query(out_dir: Path) -> None:
    _, info = _fetched(out_dir)
    assert info.url is not None and "Signature=" in info.url
    shown = repr(info)
    assert shown == str(info)
    assert shown == (
        f"ReportInfo(status='S', url={qcc_radar.redact_url(info.url)!r}, "
        f"expires_at={info.expires_at!r})"
    )
    assert "Signature" not in shown and "?<redacted>" in shown


def test_report_compares_is_frozen_and_unhashable(out_dir: Path) -> None:
    report, _ = _fetched(out_dir)
    same = qcc_radar.Report(
        order_no=report.order_no,
        report_type=report.report_type,
        archive=report.archive,
        folder=report.folder,
        files=list(report.files),
    )
    assert same == report and same is not report
    assert qcc_radar.Report(report.order_no, "week", report.archive, report.folder) != report
    assert repr(report) == (
        f"Report(order_no={report.order_no!r}, report_type='day', archive={report.archive!r}, "
        f"folder={report.folder!r}, files={report.files!r})"
    )
    assert qcc_radar.Report.__match_args__ == (
        "order_no", "report_type", "archive", "folder", "files")
    with pytest.raises(TypeError, match="unhashable"):
        hash(report)  # its `files` is a list, as for the frozen dataclass
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.files = []  # type: ignore[misc]
    empty_a = qcc_radar.Report("JK-1", None, Path("a.zip"), Path("a"))
    empty_b = qcc_radar.Report("JK-1", None, Path("a.zip"), Path("a"))
    assert empty_a.files == [] and empty_a.files is not empty_b.files


def test_values_survive_pickle_and_copy(out_dir: Path) -> None:
    report, info = _fetched(out_dir)
    for value in (report, info):
        for clone in (
            pickle.loads(pickle.dumps(value)),
            copy.copy(value),
            copy.deepcopy(value),
        ):
            assert type(clone) is type(value) and clone == value
            assert repr(clone) == repr(value)

"""A report's contents as tables (issue 17), against the sandbox's ``tables`` scenario.

The report is fetched once with the Python client and read with ``report.tables()``; the
expectations mirror ``crates/qcc-radar/tests/tables.rs``: table names, columns, row counts,
known cells, the GBK digest decoded, the workbook's second sheet, the malformed CSV row kept as
text, the empty and text files skipped with a reason. Then the hand-overs: ``pyarrow.table(t)``
and ``polars.DataFrame(t)`` through the Arrow PyCapsule interface, ``to_pandas()`` with and
without pyarrow, capsules dropped unconsumed, and ``qcc_radar.read_tables`` on a folder on disk.
pyarrow, polars and pandas are installed in the test venv only (python/ci.sh), never required
by the package; the tests that need one are skipped without it.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterator, Tuple

import pytest

import qcc_radar
from conftest import FAST

DIGEST = "风险监控日报/企业风险变化汇总.csv"
CORP = "风险监控日报/corp.json"
PERSON = "风险监控日报/person.json"
NEWS = "风险监控日报/corp_news.json"
CHANGES = "风险监控日报/风险明细.xlsx#企业变更"
CASES = "风险监控日报/风险明细.xlsx#司法风险"
EMPTY = "风险监控日报/明细/空白.csv"
NAMES = [CORP, NEWS, PERSON, DIGEST, CHANGES, CASES]


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[qcc_radar.Report, qcc_radar.Tables]]:
    out = tmp_path_factory.mktemp("tables")
    with qcc_radar.Sandbox("tables") as sb:
        report = sb.client(**FAST).fetch_report("day", out)
    assert report is not None
    yield report, report.tables()


@pytest.fixture
def tables(fetched: Tuple[qcc_radar.Report, qcc_radar.Tables]) -> qcc_radar.Tables:
    return fetched[1]


def column(t: qcc_radar.Table, name: str) -> list[Any]:
    return [row[name] for row in t.rows()]


# ---------------------------------------------------------------------------------------------
# What is read.


def test_every_file_is_a_table_or_skipped_with_a_reason(
    fetched: Tuple[qcc_radar.Report, qcc_radar.Tables],
) -> None:
    report, tables = fetched
    assert isinstance(tables, dict) and isinstance(tables, qcc_radar.Tables)
    assert list(tables) == NAMES
    assert all(isinstance(t, qcc_radar.Table) and t.name == n for n, t in tables.items())
    assert [(s.name, s.kind) for s in tables.skipped] == [
        ("说明.txt", "unknown_extension"),
        (EMPTY, "empty"),
    ]
    empty = tables.skipped[1]
    assert empty.reason == "empty file"
    assert empty.path == report.folder / "风险监控日报" / "明细" / "空白.csv"
    assert ".txt" in tables.skipped[0].reason
    assert "empty file" in repr(tables)
    with pytest.raises(AttributeError):
        empty.reason = "changed"  # type: ignore[misc]


def test_the_older_apis_json_envelopes(tables: qcc_radar.Tables) -> None:
    corp = tables[CORP]
    assert len(corp) == 6
    assert corp.columns[:8] == [
        "id", "corpKeyNo", "corpName", "mainType", "mainTypeName", "type", "typeName", "category"
    ]
    assert len(corp.columns) == 21
    assert corp.encoding == "UTF-8" and corp.sheet is None
    rows = corp.rows()
    assert len(rows) == 6 and list(rows[0]) == corp.columns
    # A code stays beside its label, each with its own type.
    assert corp.columns.index("typeName") == corp.columns.index("type") + 1
    assert rows[0]["type"] == 11 and type(rows[0]["type"]) is int
    assert rows[0]["typeName"] == "裁判文书"
    assert rows[0]["corpName"] == "杭州云栖智能科技有限公司"
    assert rows[1]["typeName"] == "被执行人"
    kinds = dict(zip(corp.columns, corp.column_kinds))
    assert (kinds["changeDate"], kinds["changeWay"], kinds["corpKeyNo"]) == ("date", "int", "text")
    assert all(isinstance(d, dt.date) for d in column(corp, "changeDate"))
    # The envelope's other keys are kept.
    assert corp.metadata["totalSize"] == "6"
    assert corp.metadata["pushDate"].endswith(" 08:00:00")
    assert corp.metadata["qcc_radar.name"] == CORP

    person = tables[PERSON]
    assert len(person) == 3
    assert person.columns[:3] == ["personKeyNo", "personName", "id"]
    assert person.rows()[1]["personName"] == "陈丽华"

    news = tables[NEWS]
    assert len(news) == 4
    first = news.rows()[0]
    assert first["newsTagsList"] == '["债务违约","被执行"]'
    assert first["impactDesc"] == "消极"
    assert news.column_kinds[news.columns.index("publishTime")] == "datetime"
    published = first["publishTime"]
    assert isinstance(published, dt.datetime) and published.tzinfo is None


def test_the_gbk_digest_with_its_malformed_row(tables: qcc_radar.Tables) -> None:
    t = tables[DIGEST]
    assert t.encoding == "GB18030"  # GBK, decoded
    assert t.columns == [
        "序号", "企业名称", "统一社会信用代码", "风险类型代码", "风险类型", "变化数量",
        "最新变化日期", "备注", "_raw_row",
    ]
    assert t.column_kinds == ["int", "text", "text", "int", "text", "int", "date", "text", "text"]
    rows = t.rows()
    assert len(t) == len(rows) == 6
    assert rows[0]["企业名称"] == "杭州云栖智能科技有限公司"
    assert rows[1]["备注"] == "执行标的：1,250,000元"
    assert rows[2]["备注"] == "变更前：张建国\r\n变更后：李卫东"  # a quoted line break
    # Row 5 has one field too many: kept whole, as text, its cells None.
    latest = rows[2]["最新变化日期"]
    assert isinstance(latest, dt.date)
    assert rows[4]["_raw_row"] == (
        "5,广州南沙港航物流有限公司（广州,南沙）,91440115MA59CQ2P5E,1,受益人变更,1,"
        + latest.isoformat() + ","
    )
    assert all(v is None for k, v in rows[4].items() if k != "_raw_row")
    assert rows[0]["_raw_row"] is None
    assert rows[5]["序号"] == 6


def test_the_workbook_sheets(tables: qcc_radar.Tables) -> None:
    changes = tables[CHANGES]
    assert changes.sheet == "企业变更" and changes.encoding is None
    assert changes.path.name == "风险明细.xlsx"
    assert changes.columns == [
        "序号", "企业名称", "变更事项", "变更前", "变更后", "注册资本（万元）", "变更日期"
    ]
    assert len(changes) == 5
    assert changes.preamble[0].startswith("企业工商变更明细")
    assert changes.column_kinds == ["int", "text", "text", "text", "text", "float", "date"]
    assert changes.rows()[1]["注册资本（万元）"] == 1200.5

    # The second sheet.
    cases = tables[CASES]
    assert cases.sheet == "司法风险"
    assert len(cases) == 3
    assert cases.columns[1] == "案号"
    rows = cases.rows()
    assert rows[1]["案号"] == "（2024）粤0391执5521号"
    values = list(rows[2].values())
    assert values[4] == 86_000.5
    assert values[6] is True
    assert cases.column_kinds[5] == "date"
    # Dates are real days: the sheet's count back from the digest's.
    filed = list(rows[0].values())[5]
    latest = tables[DIGEST].rows()[0]["最新变化日期"]
    assert latest - filed == dt.timedelta(days=30)


def test_repr_and_len(tables: qcc_radar.Tables) -> None:
    t = tables[DIGEST]
    assert repr(t) == f"Table({DIGEST!r}, 6 rows × 9 columns)"
    assert len(t) == 6 and bool(t)


# ---------------------------------------------------------------------------------------------
# Hand-overs: the Arrow PyCapsule interface, pandas.


def test_pyarrow_takes_every_table(tables: qcc_radar.Tables) -> None:
    pa = pytest.importorskip("pyarrow")
    for name, t in tables.items():
        at = pa.table(t)
        assert at.num_rows == len(t), name
        assert at.column_names == t.columns, name
        assert at.schema.metadata[b"qcc_radar.name"] == name.encode()
        assert at.to_pylist() == t.rows(), name
    types = pa.table(tables[NEWS]).schema.field("publishTime").type
    assert types == pa.timestamp("ms")
    assert pa.table(tables[DIGEST]).schema.field("最新变化日期").type == pa.date32()
    # No copy: two imports see the same Rust buffers.
    a = pa.table(tables[DIGEST]).column("企业名称").chunk(0).buffers()[2]
    b = pa.table(tables[DIGEST]).column("企业名称").chunk(0).buffers()[2]
    assert a.address == b.address
    # __arrow_c_schema__
    assert pa.schema(tables[CASES]) == pa.table(tables[CASES]).schema


def test_polars_takes_every_table(tables: qcc_radar.Tables) -> None:
    pl = pytest.importorskip("polars")
    for name, t in tables.items():
        df = pl.DataFrame(t)
        assert df.shape == (len(t), len(t.columns)), name
        assert df.columns == t.columns, name
        assert df.rows(named=True) == t.rows(), name
    cases = pl.DataFrame(tables[CASES])
    assert cases.schema["立案日期"] == pl.Date and cases.schema["是否结案"] == pl.Boolean
    assert cases["案号"][1] == "（2024）粤0391执5521号"


def test_to_pandas_through_pyarrow(tables: qcc_radar.Tables) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    df = tables[DIGEST].to_pandas()
    assert list(df.columns) == tables[DIGEST].columns
    assert df.shape == (6, 9)
    assert df["企业名称"][0] == "杭州云栖智能科技有限公司"
    assert str(df["风险类型代码"].dtype) == "float64"  # a null in row 5: NaN, as pyarrow does
    assert df["备注"][2] == "变更前：张建国\r\n变更后：李卫东"
    cases = tables[CASES].to_pandas()
    assert cases["涉案金额（元）"].tolist()[2] == 86_000.5


def test_to_pandas_without_pyarrow(tables: qcc_radar.Tables, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` raises ImportError
    df = tables[CHANGES].to_pandas()
    assert list(df.columns) == tables[CHANGES].columns
    assert df.shape == (5, 7)
    assert df["注册资本（万元）"].tolist()[1] == 1200.5
    assert df["企业名称"].tolist() == column(tables[CHANGES], "企业名称")


def capsule_name(capsule: object) -> bytes:
    get_name = ctypes.pythonapi.PyCapsule_GetName
    get_name.restype = ctypes.c_char_p
    get_name.argtypes = [ctypes.py_object]
    name: bytes = get_name(capsule)
    return name


def test_the_capsules_are_named_as_the_interface_says(tables: qcc_radar.Tables) -> None:
    t = tables[DIGEST]
    assert capsule_name(t.__arrow_c_stream__()) == b"arrow_array_stream"
    assert capsule_name(t.__arrow_c_stream__(None)) == b"arrow_array_stream"
    assert capsule_name(t.__arrow_c_schema__()) == b"arrow_schema"
    assert type(t.__arrow_c_stream__()).__name__ == "PyCapsule"


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_capsules_dropped_unconsumed_release_their_stream(tables: qcc_radar.Tables) -> None:
    # Each stream owns a clone of the table's batch (its private data, freed by `release`): a
    # capsule dropped without a consumer must release it, or these would pile up.
    t = tables[CORP]
    for _ in range(2_000):  # warm up the allocator
        t.__arrow_c_stream__()
        t.__arrow_c_schema__()
    gc.collect()
    before = _rss_kib()
    for _ in range(50_000):
        t.__arrow_c_stream__()
        t.__arrow_c_schema__()
        t.__arrow_c_stream__(requested_schema=t.__arrow_c_schema__())
    gc.collect()
    grown = _rss_kib() - before
    assert grown < 8 * 1024, f"{grown} KiB more after 100,000 unconsumed streams"


def test_a_stream_outlives_its_table_and_is_consumed_once(
    fetched: Tuple[qcc_radar.Report, qcc_radar.Tables],
) -> None:
    pa = pytest.importorskip("pyarrow")
    report, _ = fetched
    tables = report.tables()
    capsule = tables[DIGEST].__arrow_c_stream__()
    del tables
    gc.collect()
    reader = pa.RecordBatchReader._import_from_c_capsule(capsule)
    got = reader.read_all()
    assert got.num_rows == 6 and got.column("企业名称")[0].as_py() == "杭州云栖智能科技有限公司"
    # The consumer moved the stream out: a second import is refused, and dropping the capsule
    # afterwards releases nothing twice.
    with pytest.raises(Exception):
        pa.RecordBatchReader._import_from_c_capsule(capsule).read_all()
    del capsule, reader, got
    gc.collect()


def test_reading_tables_imports_no_arrow_library() -> None:
    code = """
        import sys, tempfile, qcc_radar
        assert "qcc_radar._tables" not in sys.modules  # a bare import stays cheap
        with qcc_radar.Sandbox("tables") as sb, tempfile.TemporaryDirectory() as d:
            report = sb.client(poll_initial=0.02).fetch_report("day", d)
            for t in report.tables().values():
                t.rows(); t.__arrow_c_stream__(); t.__arrow_c_schema__()
        print(sorted(m for m in ("pyarrow", "pandas", "polars", "numpy") if m in sys.modules))
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCC_")}
    p = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=90, env=env, cwd="/",
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# read_tables on a folder on disk.


def test_read_tables_on_a_copied_folder(
    fetched: Tuple[qcc_radar.Report, qcc_radar.Tables], tmp_path: Path
) -> None:
    report, tables = fetched
    copy = tmp_path / "copy"
    shutil.copytree(report.folder, copy)
    again = qcc_radar.read_tables(copy)
    assert list(again) == list(tables)
    assert [(s.name, s.kind, s.reason) for s in again.skipped] == [
        (s.name, s.kind, s.reason) for s in tables.skipped
    ]
    assert again[DIGEST].rows() == tables[DIGEST].rows()
    assert again[DIGEST].path == copy / "风险监控日报" / "企业风险变化汇总.csv"
    # str paths too
    assert list(qcc_radar.read_tables(str(copy))) == NAMES


def test_read_tables_on_a_folder_of_ones_own(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text("name,n,when\n甲,1,2024-01-02\n乙,,2024-01-03\n",
                                            encoding="utf-8")
    (tmp_path / "notes.md").write_text("hello", encoding="utf-8")
    (tmp_path / "b.json").write_text('[{"x": 1.5, "ok": true}, {"x": 2, "ok": null}]',
                                     encoding="utf-8")
    got = qcc_radar.read_tables(tmp_path)
    assert list(got) == ["b.json", "sub/a.csv"]
    assert got["sub/a.csv"].rows() == [
        {"name": "甲", "n": 1, "when": dt.date(2024, 1, 2)},
        {"name": "乙", "n": None, "when": dt.date(2024, 1, 3)},
    ]
    assert got["b.json"].rows() == [{"x": 1.5, "ok": True}, {"x": 2.0, "ok": None}]
    assert [(s.name, s.kind) for s in got.skipped] == [("notes.md", "unknown_extension")]


def test_read_tables_on_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(qcc_radar.LocalIOError) as info:
        qcc_radar.read_tables(tmp_path / "nowhere")
    assert isinstance(info.value, OSError)
    assert "nowhere" in str(info.value)


def test_a_date_python_cannot_hold_is_given_as_text(tmp_path: Path) -> None:
    # Year 0 is a date to Arrow (and to the column's type) but not to `datetime`: that cell
    # comes back as its text rather than making the table unreadable.
    (tmp_path / "odd.csv").write_text(
        "d,t\n0000-01-01,0000-01-01 10:00:00\n2024-01-02,2024-01-02 10:00:30.250\n",
        encoding="utf-8")
    t = qcc_radar.read_tables(tmp_path)["odd.csv"]
    assert t.column_kinds == ["date", "datetime"]
    assert t.rows() == [
        {"d": "0000-01-01", "t": "0000-01-01 10:00:00"},
        {"d": dt.date(2024, 1, 2), "t": dt.datetime(2024, 1, 2, 10, 0, 30, 250_000)},
    ]

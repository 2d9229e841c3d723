"""A report's contents as tables: :class:`Table`, :class:`Tables`, :class:`Skipped` and
:func:`read_tables`.

The files are read in Rust into Arrow record batches (JSON records, CSV in UTF-8 or GBK,
every sheet of an xlsx/xls workbook); nothing here imports pyarrow, polars or pandas. A
:class:`Table` speaks the Arrow PyCapsule interface (``__arrow_c_stream__``), so
``pyarrow.table(t)``, ``polars.DataFrame(t)`` and other Arrow consumers take its buffers as
they are, without a copy; :meth:`Table.to_pandas` imports pandas when it is called.
"""

from __future__ import annotations

import os

from . import _native
from ._types import _frozen

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Dict, List, Optional, Tuple, TypeAlias, Union

    # Only for the annotation of Table.to_pandas; without pandas-stubs it is Any.
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    PathLike: TypeAlias = Union[str, "os.PathLike[str]"]

__all__ = ["Table", "Tables", "Skipped", "read_tables"]


class Table:
    """One table of a report: a JSON or CSV file, or one sheet of a workbook.

    Made by :func:`read_tables` and ``Report.tables()``, not by hand. Columns keep the names the
    file gave them; a column is typed (int, float, bool, date, datetime) only when every value
    in it agrees, else it is text, so no value is lost. A CSV row that does not fit the header
    is kept whole, as text, in the column ``_raw_row``.

    Attributes:
        name: the file's path inside the report with ``/`` separators
            (``风险监控日报/corp.json``), ``#`` and the sheet's name added for a workbook
            sheet (``风险监控日报/风险明细.xlsx#司法风险``).
        columns: the column names, in the file's order.
        column_kinds: each column's type: ``"int"``, ``"float"``, ``"bool"``, ``"text"``,
            ``"date"`` or ``"datetime"``.
        path: the file it was read from.
        sheet: the workbook sheet it was read from, or None.
        encoding: the text encoding of a CSV or JSON file (``"UTF-8"``, ``"GB18030"`` for
            GBK …), None for a workbook sheet.
        preamble: the lines above the header row (a title, a "generated at" line), if any.
        metadata: the Arrow schema's metadata: ``qcc_radar.name``, a JSON envelope's other
            keys (``pushDate``, ``totalSize``) …

    ``len(table)`` is its number of rows.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeTable) -> None:
        self._native = native

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def columns(self) -> List[str]:
        return self._native.columns

    @property
    def column_kinds(self) -> List[str]:
        return self._native.column_kinds

    @property
    def path(self) -> Path:
        return self._native.path

    @property
    def sheet(self) -> Optional[str]:
        return self._native.sheet

    @property
    def encoding(self) -> Optional[str]:
        return self._native.encoding

    @property
    def preamble(self) -> List[str]:
        return self._native.preamble

    @property
    def metadata(self) -> Dict[str, str]:
        return self._native.metadata

    def __len__(self) -> int:
        return self._native.num_rows

    def rows(self) -> List[Dict[str, Any]]:
        """Every row as a dict from column name to value, in column order. Values are None,
        ``bool``, ``int``, ``float``, ``str``, ``datetime.date`` or a naive
        ``datetime.datetime`` (the vendor writes Beijing time with no zone); a date outside
        what ``datetime`` holds (year 0) is given as its text."""
        return self._native.rows()

    def to_pandas(self) -> pandas.DataFrame:
        """The table as a ``pandas.DataFrame`` (pandas is imported now, not before). Through
        pyarrow when it is installed (Arrow types kept: ``int64``, ``float64``, ``bool``,
        ``datetime64[ms]``; dates as ``datetime.date``), else from :meth:`rows`."""
        # Imported by name, so that type checkers need neither package's stubs to check this.
        from importlib import import_module

        pd = import_module("pandas")
        try:
            pa = import_module("pyarrow")
        except ImportError:
            df: pandas.DataFrame = pd.DataFrame(self.rows(), columns=self.columns)
        else:
            df = pa.table(self).to_pandas()
        return df

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        """The Arrow PyCapsule interface: a capsule named ``arrow_array_stream`` holding an
        Arrow C stream of the table's one record batch, sharing its buffers (no copy). This is
        what ``pyarrow.table(t)`` and ``polars.DataFrame(t)`` call. ``requested_schema`` is
        ignored: the table keeps its own types."""
        return self._native.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> object:
        """The Arrow PyCapsule interface: the table's schema in a capsule named
        ``arrow_schema``."""
        return self._native.__arrow_c_schema__()

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {len(self)} rows × {len(self.columns)} columns)"


class Skipped:
    """A file (or a workbook sheet) that is not a table, and why.

    Attributes:
        name: named as a table would be (``说明.txt``, ``风险监控日报/明细/空白.csv``).
        path: the file.
        kind: a stable code: ``"empty"``, ``"empty_sheet"``, ``"binary"``,
            ``"unknown_extension"``, ``"not_a_table"`` or ``"unreadable"``.
        reason: a sentence for people (``"empty file"``).
    """

    __slots__ = ("name", "path", "kind", "reason")
    __match_args__ = ("name", "path", "kind", "reason")

    if TYPE_CHECKING:
        # Read-only to type checkers; slots at run time (frozen, like Report).
        @property
        def name(self) -> str: ...
        @property
        def path(self) -> Path: ...
        @property
        def kind(self) -> str: ...
        @property
        def reason(self) -> str: ...

    def __init__(self, name: str, path: Path, kind: str, reason: str) -> None:
        init = object.__setattr__
        init(self, "name", name)
        init(self, "path", path)
        init(self, "kind", kind)
        init(self, "reason", reason)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Skipped):
            return (self.name, self.path, self.kind, self.reason) == (
                other.name, other.path, other.kind, other.reason)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.name, self.path, self.kind, self.reason))

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), (self.name, self.path, self.kind, self.reason))

    def __repr__(self) -> str:
        return f"Skipped({self.name!r}, kind={self.kind!r}, reason={self.reason!r})"

    if not TYPE_CHECKING:  # hidden from type checkers, which then reject assignments

        def __setattr__(self, name, value):
            _frozen(name, "assign to")

        def __delattr__(self, name):
            _frozen(name, "delete")


class Tables(dict[str, Table]):
    """The tables of a report folder, by name, in name order (a workbook's sheets in the
    workbook's order): a plain ``dict[str, Table]``, plus :attr:`skipped`, the files that are
    not tables with the reason.

    Example::

        tables = report.tables()
        digest = tables["风险监控日报/企业风险变化汇总.csv"]
        for s in tables.skipped:
            print(s.name, s.reason)
    """

    __slots__ = ("skipped",)

    skipped: List[Skipped]

    def __repr__(self) -> str:
        return f"Tables({dict.__repr__(self)}, skipped={self.skipped!r})"


def read_tables(folder: PathLike) -> Tables:
    """Reads every file under ``folder`` (a report's extracted folder, or any folder) into
    tables: one per JSON or CSV file and per workbook sheet. Files that are not tables (a
    ``.txt``, an empty file, a broken workbook) are listed in ``.skipped`` with the reason;
    nothing is fetched.

    Raises:
        LocalIOError: the folder cannot be listed (it does not exist, permission denied).
    """
    natives, skipped = _native.read_tables(os.fspath(folder))
    out = Tables((t.name, Table(t)) for t in natives)
    out.skipped = [Skipped(name, path, kind, reason) for name, path, kind, reason in skipped]
    return out

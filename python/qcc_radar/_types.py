"""What the client returns: a report's state (:class:`ReportInfo`) and a report on disk
(:class:`Report`).

Frozen value classes that compare, hash (ReportInfo), pickle and print like the frozen
dataclasses they replace: the same constructor, attributes, ``repr``, ``==``, ``hash``,
``match`` support and ``dataclasses.FrozenInstanceError`` on assignment. They are written out
by hand rather than with ``@dataclass`` because importing ``dataclasses`` (which imports
``inspect``, ``ast``, ``dis`` and ``tokenize``) cost more than the rest of the package at
``import qcc_radar``; for the same reason ``typing``, ``pathlib`` and ``datetime`` are only
imported when a value that needs them is made (see bench/FINDINGS.md, start-up).

The one hazard is the report link: its query (``Expires``, ``OSSAccessKeyId``, ``Signature``)
lets anyone download the report until it expires, so ``repr()`` and ``str()`` show it without
the query, while the ``url`` attribute keeps the full link the caller asked for.
"""

from __future__ import annotations

from . import _native

# `typing.TYPE_CHECKING` without importing `typing` (with the `re` it imports, it would be a
# third of the package's import time); mypy treats any `TYPE_CHECKING` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from pathlib import Path
    from typing import Any, List, Literal, NoReturn, Optional, Tuple, TypeAlias

    from ._tables import Tables

    ReportStatus: TypeAlias = Literal["P", "S", "F"]
    """``P`` still being made, ``S`` made (the link is ready), ``F`` making it failed."""

__all__ = ["Report", "ReportInfo", "ReportStatus", "redact_url"]


def redact_url(url: str) -> str:
    """``url`` without its query and fragment (``?<redacted>`` where a query was) and without
    user information: safe to print or log. The client's own redaction (the Rust core's
    ``redact_url``), so Python shows a link exactly as every other binding and log line does."""
    return _native.redact_url(url)


def _frozen(name: str, verb: str) -> NoReturn:
    # The error a frozen dataclass raises (an AttributeError); imported only on this path.
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot {verb} field {name!r}")


class ReportInfo:
    """Where an order stands.

    Attributes:
        status: ``"P"`` (being made), ``"S"`` (made) or ``"F"`` (failed).
        url: the signed download link when ``status`` is ``"S"``, else None. It is a bearer
            credential until it expires: do not log it (``repr()`` hides its query).
        expires_at: when the link expires, as an aware UTC datetime, or None.
    """

    __slots__ = ("status", "url", "expires_at")
    __match_args__ = ("status", "url", "expires_at")

    if TYPE_CHECKING:
        # Read-only to type checkers, like a frozen dataclass's fields; slots at run time.
        @property
        def status(self) -> ReportStatus: ...
        @property
        def url(self) -> Optional[str]: ...
        @property
        def expires_at(self) -> Optional[_dt.datetime]: ...

    def __init__(
        self,
        status: ReportStatus,
        url: Optional[str] = None,
        expires_at: Optional[_dt.datetime] = None,
    ) -> None:
        init = object.__setattr__
        init(self, "status", status)
        init(self, "url", url)
        init(self, "expires_at", expires_at)

    @property
    def ready(self) -> bool:
        """True when the report is made (``status == "S"``)."""
        return self.status == "S"

    def _fields(self) -> Tuple[Any, ...]:
        return (self.status, self.url, self.expires_at)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReportInfo) and other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        url = None if self.url is None else redact_url(self.url)
        return f"ReportInfo(status={self.status!r}, url={url!r}, expires_at={self.expires_at!r})"

    __str__ = __repr__

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), self._fields())

    if not TYPE_CHECKING:  # hidden from type checkers, which then reject assignments

        def __setattr__(self, name, value):
            _frozen(name, "assign to")

        def __delattr__(self, name):
            _frozen(name, "delete")


class Report:
    """A downloaded, extracted report.

    Attributes:
        order_no: the order it was made for, such as ``"JKDAY-167660123348194027"``.
        report_type: ``"day"``, ``"week"`` or ``"month"``, or None when unknown.
        archive: the kept zip, ``OUT_DIR/<order_no>.zip``.
        folder: the folder it was extracted into, ``OUT_DIR/<order_no>/``.
        files: the extracted files (not folders), sorted.
    """

    __slots__ = ("order_no", "report_type", "archive", "folder", "files")
    __match_args__ = ("order_no", "report_type", "archive", "folder", "files")

    if TYPE_CHECKING:
        # Read-only to type checkers, like a frozen dataclass's fields; slots at run time.
        @property
        def order_no(self) -> str: ...
        @property
        def report_type(self) -> Optional[str]: ...
        @property
        def archive(self) -> Path: ...
        @property
        def folder(self) -> Path: ...
        @property
        def files(self) -> List[Path]: ...

    def __init__(
        self,
        order_no: str,
        report_type: Optional[str],
        archive: Path,
        folder: Path,
        files: Optional[List[Path]] = None,
    ) -> None:
        init = object.__setattr__
        init(self, "order_no", order_no)
        init(self, "report_type", report_type)
        init(self, "archive", archive)
        init(self, "folder", folder)
        init(self, "files", [] if files is None else files)

    def tables(self) -> Tables:
        """The report's files as tables, read from :attr:`folder` with no request: a
        ``dict[str, Table]`` by name (a JSON or CSV file's path inside the report, ``#sheet``
        added for each workbook sheet), with ``.skipped`` listing the files that are not
        tables and why. The same as ``qcc_radar.read_tables(report.folder)``.

        Raises:
            LocalIOError: the folder cannot be listed (it was moved or deleted).
        """
        from ._tables import read_tables

        return read_tables(self.folder)

    def _fields(self) -> Tuple[Any, ...]:
        return (self.order_no, self.report_type, self.archive, self.folder, self.files)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Report) and other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        # As a frozen dataclass: unhashable in practice, since `files` is a list.
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Report(order_no={self.order_no!r}, report_type={self.report_type!r}, "
            f"archive={self.archive!r}, folder={self.folder!r}, files={self.files!r})"
        )

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), self._fields())

    if not TYPE_CHECKING:  # hidden from type checkers, which then reject assignments

        def __setattr__(self, name, value):
            _frozen(name, "assign to")

        def __delattr__(self, name):
            _frozen(name, "delete")


if not TYPE_CHECKING:

    def __getattr__(name):
        # `ReportStatus` is a `typing.Literal`, made on first use so that `import qcc_radar`
        # does not import `typing`.
        if name == "ReportStatus":
            from typing import Literal

            value = globals()[name] = Literal["P", "S", "F"]
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _report_info_from_native(
    status: ReportStatus, url: Optional[str], expires_at: Optional[int]
) -> ReportInfo:
    import datetime as _dt  # here, not at the top: see the module's comment

    expires: Optional[_dt.datetime] = None
    if expires_at is not None:
        try:
            expires = _dt.datetime.fromtimestamp(expires_at, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            expires = None  # beyond what datetime can hold: as good as "no expiry"
    return ReportInfo(status, url, expires)


def _report_from_native(
    order_no: str,
    report_type: Optional[str],
    archive: Path,
    folder: Path,
    files: List[Path],
) -> Report:
    from pathlib import Path  # here, not at the top: see the module's comment

    return Report(order_no, report_type, Path(archive), Path(folder), [Path(f) for f in files])

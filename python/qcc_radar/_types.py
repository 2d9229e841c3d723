"""What the client returns: a report's state (:class:`ReportInfo`) and a report on disk
(:class:`Report`).

Plain frozen dataclasses, so they compare, hash (ReportInfo) and print like any Python value.
The one hazard is the report link: its query (``Expires``, ``OSSAccessKeyId``, ``Signature``)
lets anyone download the report until it expires, so ``repr()`` and ``str()`` show it without
the query, while the ``url`` attribute keeps the full link the caller asked for.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, List, Literal, Optional

if TYPE_CHECKING:
    from typing import TypeAlias

__all__ = ["Report", "ReportInfo", "ReportStatus", "redact_url"]

ReportStatus: TypeAlias = Literal["P", "S", "F"]
"""``P`` still being made, ``S`` made (the link is ready), ``F`` making it failed."""


def redact_url(url: str) -> str:
    """``url`` without its query and fragment (``?<redacted>`` where a query was) and without
    user information: safe to print or log."""
    cut = len(url)
    for mark in ("?", "#"):
        i = url.find(mark)
        if i != -1:
            cut = min(cut, i)
    out = url[:cut] + ("?<redacted>" if cut < len(url) else "")
    scheme_end = out.find("://")
    if scheme_end != -1:
        rest = out[scheme_end + 3 :]
        host_end = rest.find("/")
        host = rest if host_end == -1 else rest[:host_end]
        at = host.rfind("@")
        if at != -1:
            out = out[: scheme_end + 3] + "<redacted>@" + rest[at + 1 :]
    return out


@dataclass(frozen=True, repr=False)
class ReportInfo:
    """Where an order stands.

    Attributes:
        status: ``"P"`` (being made), ``"S"`` (made) or ``"F"`` (failed).
        url: the signed download link when ``status`` is ``"S"``, else None. It is a bearer
            credential until it expires: do not log it (``repr()`` hides its query).
        expires_at: when the link expires, as an aware UTC datetime, or None.
    """

    status: ReportStatus
    url: Optional[str] = None
    expires_at: Optional[_dt.datetime] = None

    @property
    def ready(self) -> bool:
        """True when the report is made (``status == "S"``)."""
        return self.status == "S"

    def __repr__(self) -> str:
        url = None if self.url is None else redact_url(self.url)
        return f"ReportInfo(status={self.status!r}, url={url!r}, expires_at={self.expires_at!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class Report:
    """A downloaded, extracted report.

    Attributes:
        order_no: the order it was made for, such as ``"JKDAY-167660123348194027"``.
        report_type: ``"day"``, ``"week"`` or ``"month"``, or None when unknown.
        archive: the kept zip, ``OUT_DIR/<order_no>.zip``.
        folder: the folder it was extracted into, ``OUT_DIR/<order_no>/``.
        files: the extracted files (not folders), sorted.
    """

    order_no: str
    report_type: Optional[str]
    archive: Path
    folder: Path
    files: List[Path] = field(default_factory=list)


def _report_info_from_native(
    status: ReportStatus, url: Optional[str], expires_at: Optional[int]
) -> ReportInfo:
    expires: Optional[_dt.datetime] = None
    if expires_at is not None:
        try:
            expires = _dt.datetime.fromtimestamp(expires_at, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            expires = None  # beyond what datetime can hold: as good as "no expiry"
    return ReportInfo(status=status, url=url, expires_at=expires)


def _report_from_native(
    order_no: str,
    report_type: Optional[str],
    archive: Path,
    folder: Path,
    files: List[Path],
) -> Report:
    return Report(
        order_no=order_no,
        report_type=report_type,
        archive=Path(archive),
        folder=Path(folder),
        files=[Path(f) for f in files],
    )

"""The exceptions of qcc_radar, and the one table from the core's error kinds to them.

Every failure is a :class:`QccError` with a ``kind`` (the same names in every qcc-radar
binding), the API's status ``code`` when it answered, the server's own ``server_message``, and
the ``order_no`` it concerns whenever an order exists (so the caller can resume that order
instead of paying for another).
Code branches on the class (``except QuotaError``) or on ``kind``; nothing needs to parse
messages. The Rust half raises these by calling :func:`_from_native`, so this module is the
only place where a kind is tied to a class.
"""

from __future__ import annotations

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "QccError",
    "AuthenticationError",
    "QuotaError",
    "PermissionDeniedError",
    "InvalidRequestError",
    "ReportFailedError",
    "WaitTimeoutError",
    "TransportError",
    "ArchiveError",
    "ConfigError",
    "UnconfirmedOrderError",
    "LocalIOError",
    "OperationCancelledError",
    "InternalError",
]


class QccError(Exception):
    """Base class of every qcc-radar error.

    Attributes:
        kind: what went wrong, as every binding names it: ``auth``, ``quota``, ``permission``,
            ``invalid_request``, ``report_failed``, ``timeout``, ``transport``, ``archive``,
            ``config``, ``unconfirmed_order``, ``io``, ``cancelled`` or ``internal``.
        code: the API's status code (for example 112), or None when the API did not answer
            with one.
        server_message: the server's own ``msg`` (often Chinese), or None.
        order_no: the order this error concerns whenever one exists (a wait that timed out, a
            failed report, a download or archive failure after ordering), or None. Wait for
            it or download it again instead of ordering anew.
        message: what happened and what to do, in English, followed by the status code and
            the server's message when there are any; the same as ``str(error)``. It never
            holds a secret key, a Token or a signed link's query.
    """

    kind: str = "internal"

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        code: Optional[int] = None,
        server_message: Optional[str] = None,
        order_no: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        self.code = code
        self.server_message = server_message
        self.order_no = order_no

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        order = "" if self.order_no is None else f", order_no={self.order_no!r}"
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, code={self.code!r}"
            f"{order})"
        )

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        # Picklable with its attributes (multiprocessing sends exceptions between processes).
        return (
            _rebuild,
            (type(self), self.message, self.kind, self.code, self.server_message, self.order_no),
        )


def _rebuild(
    cls: Type[QccError],
    message: str,
    kind: Optional[str],
    code: Optional[int],
    server_message: Optional[str],
    order_no: Optional[str] = None,
) -> QccError:
    # `order_no` defaults so that an error pickled by an older version still loads.
    return cls(message, kind=kind, code=code, server_message=server_message, order_no=order_no)


class AuthenticationError(QccError):
    """The app key, secret key, signature or clock is wrong (101, 103, 104, 107, 115, 119 …)."""

    kind = "auth"


class QuotaError(QccError):
    """Money, daily limits or throttling (102, 109, 112, 116, 110, 120, 122 …)."""

    kind = "quota"


class PermissionDeniedError(QccError):
    """The interface is not enabled or not bought (111, 113, 114, 214, 223, 118 …)."""

    kind = "permission"


class InvalidRequestError(QccError):
    """The request itself is wrong (202, 213, 215, 207–209, 218, 219, an unknown order …)."""

    kind = "invalid_request"


class ReportFailedError(QccError):
    """QCC could not make the report (reportStatus F): order a new one."""

    kind = "report_failed"


class WaitTimeoutError(QccError, TimeoutError):
    """The wait ran past its deadline. The order stays valid: wait for it again later."""

    kind = "timeout"


class TransportError(QccError):
    """Network, TLS, 5xx or unreadable answers, after the retries allowed."""

    kind = "transport"


class ArchiveError(QccError):
    """The download is not a sound, safe zip; nothing of it was left on disk."""

    kind = "archive"


class ConfigError(QccError, ValueError):
    """Missing credentials, a bad base URL or bad arguments: nothing was sent."""

    kind = "config"


class UnconfirmedOrderError(QccError):
    """createReport may have placed an order whose answer never arrived (the connection was
    closed or timed out after the request went out, or an earlier run stopped mid-order).

    Nothing more is ordered for this report type and period in this folder until you decide:
    look at the order list in QCC's console. If the order is there, wait for it and download it
    (``wait_for_report`` / ``download_report``); if not, call ``fetch_report(...,
    new_order=True)``. The message says when the request went out and where the ledger is.
    """

    kind = "unconfirmed_order"


class LocalIOError(QccError, OSError):
    """The local file system failed: disk full, permission denied, a read-only folder, or a
    ledger file that cannot be read or parsed. The message names the path. Nothing was ordered
    because of it. Also an ``OSError``; not to be confused with the builtin ``IOError``."""

    kind = "io"


class OperationCancelledError(QccError):
    """The operation was cancelled (a cancelled asyncio task sees ``CancelledError``)."""

    kind = "cancelled"


class InternalError(QccError):
    """A bug in qcc-radar itself; please report it."""

    kind = "internal"


_BY_KIND: Dict[str, Type[QccError]] = {
    cls.kind: cls
    for cls in (
        AuthenticationError,
        QuotaError,
        PermissionDeniedError,
        InvalidRequestError,
        ReportFailedError,
        WaitTimeoutError,
        TransportError,
        ArchiveError,
        ConfigError,
        UnconfirmedOrderError,
        LocalIOError,
        OperationCancelledError,
        InternalError,
    )
}


def _from_native(
    kind: str,
    message: str,
    code: Optional[int],
    server_message: Optional[str],
    order_no: Optional[str] = None,
) -> QccError:
    """The exception for an error of the Rust core (called from Rust)."""
    cls = _BY_KIND.get(kind, QccError)
    return cls(message, kind=kind, code=code, server_message=server_message, order_no=order_no)

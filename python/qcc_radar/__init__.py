"""qcc_radar: QCC Pro risk-monitoring reports from Python.

Order a daily, weekly or monthly report, wait for it, download it and extract it safely, with
a blocking :class:`Client` or an asyncio :class:`AsyncClient`. Both run on one Rust core
shared with the qcc-radar command and the Node, C and Java bindings.

    >>> import qcc_radar
    >>> with qcc_radar.Sandbox("normal") as sandbox:           # the built-in emulator
    ...     client = sandbox.client(poll_initial=0.05)
    ...     report = client.fetch_report("day", "reports")

Credentials come from the arguments or ``QCC_APP_KEY`` / ``QCC_SECRET_KEY`` (and
``QCC_BASE_URL``). Errors are :class:`QccError` subclasses with ``kind``, ``code``,
``server_message`` and ``order_no``. ``fetch_report`` keeps a ledger in its folder, so running
it again never pays for a second report of the same period. ``report.tables()`` (or
:func:`read_tables` for a folder on disk) reads the report's files into :class:`Table` objects
that pandas, polars and pyarrow take as they are. Log records go to the ``qcc_radar`` logger.
``Client(progress=...)`` reports each step (:class:`ProgressEvent`; ``progress=True`` draws tqdm
bars), and ``with Client(...)`` / ``async with AsyncClient(...)`` close the client on exit.
"""

from __future__ import annotations

import sys as _sys

from . import _native
from ._client import AsyncClient, Client
from ._errors import (
    ArchiveError,
    AuthenticationError,
    ConfigError,
    InternalError,
    InvalidRequestError,
    LocalIOError,
    OperationCancelledError,
    PermissionDeniedError,
    QccError,
    QuotaError,
    ReportFailedError,
    TransportError,
    UnconfirmedOrderError,
    WaitTimeoutError,
)
from ._sandbox import SCENARIOS, Sandbox
from ._types import Report, ReportInfo, redact_url

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._client import PathLike
    from ._progress import ProgressEvent as ProgressEvent
    from ._progress import TqdmProgress
    from ._tables import Skipped as Skipped
    from ._tables import Table as Table
    from ._tables import Tables as Tables
    from ._types import ReportStatus as ReportStatus

# Made on first use (see `__getattr__`): the tables module is only imported when tables are read,
# the progress module on the first progress event.
_TABLES_NAMES = ("Table", "Tables", "Skipped")
_PROGRESS_NAMES = ("ProgressEvent",)

__version__: str = _native.VERSION

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "Report",
    "ReportInfo",
    "ReportStatus",
    "ProgressEvent",
    "tqdm_progress",
    "Sandbox",
    "SCENARIOS",
    "Table",
    "Tables",
    "Skipped",
    "read_tables",
    "sign",
    "redact_url",
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

# A library only adds a NullHandler to its logger; the application decides where records go.
# `import logging` is a third of this package's import time, so qcc_radar._log (which adds the
# handler) is imported here only when the application has already imported `logging`, and
# otherwise by the native log bridge just before it hands `logging` its first record. Until
# then no record is lost: without `logging` imported, nothing could have been configured to
# receive one.
if "logging" in _sys.modules:
    from . import _log as _log

if not TYPE_CHECKING:

    def __getattr__(name):
        # `ReportStatus` is a `typing.Literal`, made on first use (see _types.py).
        if name == "ReportStatus":
            from ._types import ReportStatus

            return ReportStatus
        if name in _TABLES_NAMES:
            from . import _tables

            value = globals()[name] = getattr(_tables, name)
            return value
        if name in _PROGRESS_NAMES:
            from . import _progress

            value = globals()[name] = getattr(_progress, name)
            return value
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(globals()) | {"ReportStatus", *_TABLES_NAMES, *_PROGRESS_NAMES})


def sign(app_key: str, timespan: int, secret_key: str) -> str:
    """The ``Token`` header for ``timespan`` (Unix seconds): upper-case hex MD5 of
    ``app_key + str(timespan) + secret_key``. Useful to call the API by hand (curl).

    >>> sign("key", 1700000000, "secret")
    'F82D2EC0DA9D602FB2F633CEBEBDE66E'
    """
    return _native.sign(app_key, timespan, secret_key)


def tqdm_progress(**options: Any) -> TqdmProgress:
    """A progress callback that draws tqdm bars (``tqdm.auto``: a widget in Jupyter, text in a
    terminal) while an order is awaited, downloaded and extracted:
    ``Client(progress=qcc_radar.tqdm_progress(leave=False))``; ``progress=True`` is the same
    with tqdm's defaults. ``options`` go to each ``tqdm(...)``.

    Raises:
        ImportError: tqdm is not installed (``pip install tqdm``).
    """
    from ._progress import tqdm_progress as make

    return make(**options)


def read_tables(folder: PathLike) -> Tables:
    """Reads every file under ``folder`` (a report's extracted folder, or any folder) into
    tables, with no request: a ``dict[str, Table]`` by name (a JSON or CSV file's path inside
    the folder, ``#sheet`` added for each workbook sheet), whose ``.skipped`` lists the files
    that are not tables and why. ``report.tables()`` is the same for a fetched report.

    Raises:
        LocalIOError: the folder cannot be listed.
    """
    from ._tables import read_tables as read

    return read(folder)

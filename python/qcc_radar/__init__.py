"""qcc_radar: QCC Pro risk-monitoring reports from Python.

Order a daily, weekly or monthly report, wait for it, download it and extract it safely, with
a blocking :class:`Client` or an asyncio :class:`AsyncClient`. Both run on one Rust core
shared with the qcc-radar command and the Node, C and Java bindings.

    >>> import qcc_radar
    >>> with qcc_radar.Sandbox("normal") as sandbox:           # the built-in emulator
    ...     client = sandbox.client(poll_initial=0.05)
    ...     report = client.fetch_report("day", "reports")

Credentials come from the arguments or ``QCC_APP_KEY`` / ``QCC_SECRET_KEY`` (and
``QCC_BASE_URL``). Errors are :class:`QccError` subclasses with ``kind``, ``code`` and
``server_message``. Log records go to the ``qcc_radar`` logger.
"""

from __future__ import annotations

import logging as _logging

from . import _native
from ._client import AsyncClient, Client
from ._errors import (
    ArchiveError,
    AuthenticationError,
    ConfigError,
    InternalError,
    InvalidRequestError,
    OperationCancelledError,
    PermissionDeniedError,
    QccError,
    QuotaError,
    ReportFailedError,
    TransportError,
    WaitTimeoutError,
)
from ._sandbox import SCENARIOS, Sandbox
from ._types import Report, ReportInfo, ReportStatus, redact_url

__version__: str = _native.VERSION

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "Report",
    "ReportInfo",
    "ReportStatus",
    "Sandbox",
    "SCENARIOS",
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
    "OperationCancelledError",
    "InternalError",
]

# A library only adds a NullHandler; the application decides where records go.
_logging.getLogger("qcc_radar").addHandler(_logging.NullHandler())


def sign(app_key: str, timespan: int, secret_key: str) -> str:
    """The ``Token`` header for ``timespan`` (Unix seconds): upper-case hex MD5 of
    ``app_key + str(timespan) + secret_key``. Useful to call the API by hand (curl).

    >>> sign("key", 1700000000, "secret")
    'F82D2EC0DA9D602FB2F633CEBEBDE66E'
    """
    return _native.sign(app_key, timespan, secret_key)

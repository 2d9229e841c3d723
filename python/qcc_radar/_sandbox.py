"""The sandbox: an in-process emulator of the QCC API, for tests and demos.

It serves on ``127.0.0.1`` from a thread of its own (started on construction, stopped by
``close()`` or at the end of a ``with`` block), signs and checks requests like the real
service, and can inject one fault per scenario. Point a client at it with
:meth:`Sandbox.client` or with its ``base_url``, ``app_key`` and ``secret_key``.
"""

from __future__ import annotations

from . import _native
from ._client import AsyncClient, Client

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import TracebackType
    from typing import Any, Dict, List, Literal, Optional, Type, TypeAlias

    Endpoint: TypeAlias = Literal["createReport", "getReportInfo", "download", "other"]

__all__ = ["Sandbox", "SCENARIOS"]

SCENARIOS: tuple[str, ...] = _native.SCENARIOS
"""Every scenario name, as the CLI and every binding spell them (read from the emulator, so the
list is never behind it)."""


class Sandbox:
    """A running emulator of the QCC API. Use it as a context manager.

    Scenarios: ``normal`` (a few ``P`` answers, then ``S`` and a small report with GBK file
    names), ``no_change`` (201: no report), ``fail`` (``F``), ``slow`` (``P`` until
    ``slow_ready_after`` seconds), ``flaky`` (a 502 gateway page, then a download cut in half),
    ``expired_link``, ``quota`` (112), ``bad_credentials`` (107), ``unsafe_archive``
    (entries that try to escape the folder), ``zip_bomb``, ``clock_skew`` (the server's clock
    runs ahead: 115 until the client corrects), ``large``, ``lost_answer`` (the first
    createReport places the order, then the connection is closed with no answer) and
    ``create_hangs`` (the first createReport places the order, then holds its answer until the
    client's ``request_timeout`` gives up). In those two a ledger-backed ``fetch_report``
    raises ``UnconfirmedOrderError``; later createReports answer normally. Also ``stall``
    (the first download trickles in, then is cut: it is resumed), ``colliding_names``
    (``Report.csv`` beside ``report.csv``: refused, since they collide on macOS and Windows),
    ``encrypted`` and ``encrypted_aes`` (password given with the link) and
    ``encrypted_no_password`` (the archive is kept and an ``ArchiveError`` asks for one), and
    ``tables`` (a realistic report to read with ``report.tables()``: the older API's
    ``corp.json``, ``person.json`` and ``corp_news.json``, a GBK CSV digest with a malformed
    row, a two-sheet xlsx workbook, an empty file and a text file).

    Example::

        with qcc_radar.Sandbox("normal") as sandbox:
            report = sandbox.client().fetch_report("day", tmp_path)
            assert sandbox.orders_placed == 1
    """

    def __init__(
        self,
        scenario: str = "normal",
        *,
        app_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        polls_until_ready: Optional[int] = None,
        slow_ready_after: Optional[float] = None,
        link_ttl: Optional[float] = None,
        timespan_window: Optional[float] = None,
        clock_skew: Optional[float] = None,
        large_bytes: Optional[int] = None,
        port: Optional[int] = None,
    ) -> None:
        """Starts the emulator.

        Args:
            scenario: one of :data:`SCENARIOS`.
            app_key, secret_key: the credentials it hands out (defaults are fixed strings).
            polls_until_ready: ``P`` answers per order before ``S``/``F`` (default 2).
            slow_ready_after: ``slow``: seconds after the order until ``S`` (default 5).
            link_ttl: seconds a download link stays valid (default 300).
            timespan_window: how far a request's Timespan may be off, in seconds (default 300).
            clock_skew: ``clock_skew``: how far ahead the server's clock runs (default 900).
            large_bytes: ``large``: the archive's size (default 64 MiB).
            port: the TCP port; default any free one.

        Raises:
            ConfigError: an unknown scenario, a bad value, or the port could not be bound.
        """
        self._native = _native.NativeSandbox(
            scenario,
            app_key=app_key,
            secret_key=secret_key,
            polls_until_ready=polls_until_ready,
            slow_ready_after=slow_ready_after,
            link_ttl=link_ttl,
            timespan_window=timespan_window,
            clock_skew=clock_skew,
            large_bytes=large_bytes,
            port=port,
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return self._native.base_url

    @property
    def app_key(self) -> str:
        """The app key a client should use."""
        return self._native.app_key

    @property
    def secret_key(self) -> str:
        """The secret key a client should use (in ``bad_credentials`` the server expects
        another, so every call fails with ``AuthenticationError``)."""
        return self._native.secret_key

    @property
    def scenario(self) -> str:
        """The scenario it runs."""
        return self._native.scenario

    @property
    def running(self) -> bool:
        """Whether it still serves."""
        return self._native.running

    @property
    def orders_placed(self) -> int:
        """How many orders were placed (createReport answered 200): on the real service,
        each would have been billed."""
        return self._native.orders_placed

    def order_numbers(self) -> List[str]:
        """The numbers of every order placed, oldest first: the service's order list, as a
        user reads it in QCC's console, including an order whose createReport answer was lost
        (``lost_answer``, ``create_hangs``): what to pass as ``fetch_report(...,
        order_no=...)`` after an ``UnconfirmedOrderError``."""
        return self._native.order_numbers()

    def count(self, endpoint: Endpoint) -> int:
        """How many requests reached ``endpoint``, whatever the answer."""
        return self._native.count(endpoint)

    def requests(self) -> List[Dict[str, Any]]:
        """Every request so far, oldest first: dicts with ``endpoint``, ``query`` (a list of
        name/value pairs), ``timespan``, ``token_valid``, ``api_status``, ``http_status`` and
        ``range``."""
        return self._native.requests()

    def client(self, **options: Any) -> Client:
        """A :class:`Client` pointed at this sandbox with its credentials; ``options`` are
        passed on (for example ``poll_initial=0.05`` for fast tests)."""
        return Client(self.app_key, self.secret_key, self.base_url, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An :class:`AsyncClient` pointed at this sandbox, like :meth:`client`."""
        return AsyncClient(self.app_key, self.secret_key, self.base_url, **options)

    def close(self) -> None:
        """Stops serving. Closing twice is harmless."""
        self._native.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "closed"
        return f"Sandbox(scenario={self.scenario!r}, base_url={self.base_url!r}, {state})"

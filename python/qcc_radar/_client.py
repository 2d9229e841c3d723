"""The clients: :class:`Client` (blocking) and :class:`AsyncClient` (asyncio).

Both wrap one native client, so they behave the same: the same retries, the same clock-skew
correction, the same atomic downloads and the same safe extraction, all in Rust. Their
settings are the client crate's one table (``qcc_radar::settings``), passed on by name: this
module checks no value itself, so a bad one is a ``ConfigError`` with the message every binding
gives.

The sync client releases the GIL while it waits and checks for Ctrl-C ten times a second. It
does not touch asyncio, so it also works inside a running event loop (a Jupyter cell).

The async client runs the same Rust futures on the same runtime. Each call creates an asyncio
future; the Rust side settles it through ``loop.call_soon_threadsafe``. Cancelling the awaiting
task stops the Rust work, and the cancellation is only re-raised once that work has been dropped
and its temporary files removed, so ``task.cancel()`` followed by ``await`` leaves a clean folder.

Closing (``close()``, the end of a ``with`` or ``async with`` block) is the client crate's
rule, the same in every binding: calls in flight on any thread or task end with
``OperationCancelledError``, later calls with ``ConfigError``, and closing twice is harmless.
"""

from __future__ import annotations

import os

from . import _native

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import asyncio
    from types import TracebackType
    from typing import Any, Callable, Optional, Set, Type, TypeAlias, TypeVar, Union

    from ._progress import ProgressEvent
    from ._types import Report, ReportInfo

    PathLike: TypeAlias = Union[str, "os.PathLike[str]"]
    ProgressCallback: TypeAlias = Callable[[ProgressEvent], object]
    _C = TypeVar("_C", bound="_ClientBase")

__all__ = ["Client", "AsyncClient"]


def _progress_callback(
    progress: Union[ProgressCallback, bool, None],
) -> Optional[ProgressCallback]:
    if progress is None or progress is False:
        return None
    if progress is True:
        from ._progress import tqdm_progress

        return tqdm_progress()
    return progress


class _ClientBase:
    """Configuration and closing, shared by both clients."""

    _native: _native.NativeClient

    def __init__(
        self,
        app_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        wait_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base: Optional[float] = None,
        retry_cap: Optional[float] = None,
        retry_budget: Optional[float] = None,
        poll_initial: Optional[float] = None,
        poll_factor: Optional[float] = None,
        poll_max: Optional[float] = None,
        poll_jitter: Optional[float] = None,
        max_archive_entries: Optional[int] = None,
        max_archive_entry_bytes: Optional[int] = None,
        max_archive_bytes: Optional[int] = None,
        max_archive_ratio: Optional[int] = None,
        clock_skew_correction: Optional[bool] = None,
        ca_file: Optional[PathLike] = None,
        proxy: Optional[str] = None,
        user_agent_suffix: Optional[str] = None,
        unzip_password: Optional[str] = None,
        progress: Union[ProgressCallback, bool, None] = None,
    ) -> None:
        """Creates a client. Nothing is sent until the first call.

        Every argument but ``progress`` is a setting of the client's one table (the same
        names, rules and messages in every qcc-radar binding; the README's "Settings" lists
        units and defaults). Times are seconds (floats). None means "not given": the default,
        or for the first three the environment.

        Args:
            app_key: the AppKey; default ``QCC_APP_KEY``.
            secret_key: the SecretKey; default ``QCC_SECRET_KEY``. It is only used to sign and
                never appears in a repr, a message or a log line.
            base_url: default ``QCC_BASE_URL``, else ``https://pro.qcc.com``.
            connect_timeout: seconds to open a connection (default 10; more than 0).
            request_timeout: seconds for one API request, answer included (default 30; more
                than 0).
            read_timeout: seconds a download may go without a byte before it is retried
                (default 60; more than 0).
            wait_timeout: the default deadline of a wait, in seconds (default 1800; 0 looks
                once).
            max_attempts: attempts in all for requests that are safe to repeat (default 5;
                1 disables retries). An order is never repeated once it may have been placed.
            retry_base: bound of the first back-off between attempts, in seconds (default 0.25).
            retry_cap: the largest back-off bound, in seconds (default 8; not below
                ``retry_base``).
            retry_budget: no retry starts once this many seconds have passed since the first
                attempt (default 60).
            poll_initial: seconds before the first status poll of a wait (default 2; more
                than 0); later polls back off.
            poll_factor: growth of the pause between polls (default 1.5; at least 1).
            poll_max: the longest pause between polls, in seconds (default 30; not below
                ``poll_initial``).
            poll_jitter: fraction of each pause randomised away (default 0.2; 0 to 1).
            max_archive_entries: most entries extracted from one archive (default 100000).
            max_archive_entry_bytes: largest single entry extracted (default 16 GiB).
            max_archive_bytes: largest total extracted from one archive (default 64 GiB).
            max_archive_ratio: largest expansion ratio of an entry or archive above 16 MiB
                (default 250).
            clock_skew_correction: learn the server's clock from a 115 answer and retry
                (default True).
            ca_file: an extra PEM file of CA certificates to trust, besides the system's.
            proxy: an HTTP(S) proxy URL; default from ``HTTPS_PROXY``/``HTTP_PROXY``/``ALL_PROXY``.
            user_agent_suffix: words appended to the user agent (after ``python``).
            unzip_password: the password of encrypted archives when getReportInfo gives none;
                never printed.
            progress: a function called with a :class:`ProgressEvent` as an order advances
                (ordered, each poll, download bytes and extracted entries at most every 0.1 s
                plus the last); it runs on the client's threads, so keep it quick, and an
                exception it raises is logged to the ``qcc_radar`` logger without stopping the
                work. ``True`` shows tqdm bars (:func:`qcc_radar.tqdm_progress`; needs tqdm).

        Raises:
            ConfigError: a credential is missing or malformed, the base URL is bad, or a
                setting breaks its rule (the message names it).
            TypeError: a setting of a type that is no number, bool, str or path.
            ImportError: ``progress=True`` without tqdm installed.
        """
        self._native = _native.NativeClient(
            progress=_progress_callback(progress),
            app_key=app_key,
            secret_key=secret_key,
            base_url=base_url,
            connect_timeout=connect_timeout,
            request_timeout=request_timeout,
            read_timeout=read_timeout,
            wait_timeout=wait_timeout,
            max_attempts=max_attempts,
            retry_base=retry_base,
            retry_cap=retry_cap,
            retry_budget=retry_budget,
            poll_initial=poll_initial,
            poll_factor=poll_factor,
            poll_max=poll_max,
            poll_jitter=poll_jitter,
            max_archive_entries=max_archive_entries,
            max_archive_entry_bytes=max_archive_entry_bytes,
            max_archive_bytes=max_archive_bytes,
            max_archive_ratio=max_archive_ratio,
            clock_skew_correction=clock_skew_correction,
            ca_file=ca_file,
            proxy=proxy,
            user_agent_suffix=user_agent_suffix,
            unzip_password=unzip_password,
        )
        # The asyncio futures of AsyncClient's calls in flight, which `aclose` waits for.
        self._inflight: Set[asyncio.Future[Any]] = set()

    @property
    def base_url(self) -> str:
        """The base URL requests go to."""
        return self._native.base_url

    @property
    def app_key(self) -> str:
        """The AppKey (not a secret: it travels in every request's query)."""
        return self._native.app_key

    @property
    def wait_timeout(self) -> float:
        """The default deadline of a wait, in seconds."""
        return self._native.wait_timeout

    @property
    def clock_offset(self) -> int:
        """The server's clock minus ours, in seconds, as learned from a 115 answer."""
        return self._native.clock_offset

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._native.closed

    def close(self) -> None:
        """Closes the client: calls in flight, on any thread or task, end with
        ``OperationCancelledError`` (their temporary files removed, the folder's lock
        released), and later calls raise ``ConfigError``. Closing twice is harmless."""
        self._native.close()

    def __repr__(self) -> str:
        closed = ", closed" if self.closed else ""
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, app_key={self.app_key!r}{closed})"
        )


class Client(_ClientBase):
    """The blocking client. Thread-safe: share one per process (it also survives ``fork()``).

    Example::

        with qcc_radar.Client() as client:    # QCC_APP_KEY, QCC_SECRET_KEY, QCC_BASE_URL
            report = client.fetch_report("day", "reports")
        if report is None:
            print("no risk changes")

    ``close()`` (or the end of the ``with`` block) ends calls still running in other threads
    with ``OperationCancelledError``; later calls raise ``ConfigError``.
    """

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def create_report(self, report_type: str) -> Optional[str]:
        """Orders a report (``"day"``, ``"week"`` or ``"month"``) and returns its order number,
        or None when no monitored company had a risk change (so there is no report). Each
        order may be billed; it is never sent twice."""
        return self._native.create_report(report_type)

    def report_info(self, order_no: str) -> ReportInfo:
        """Asks where an order stands (one getReportInfo call)."""
        return self._native.report_info(order_no)

    def wait_for_report(self, order_no: str, timeout: Optional[float] = None) -> ReportInfo:
        """Polls until the report is made and returns its info (status ``"S"``).

        Raises:
            ReportFailedError: QCC could not make it.
            WaitTimeoutError: still not made after ``timeout`` seconds (default: the
                client's ``wait_timeout``); the order stays valid.
        """
        return self._native.wait_for_report(order_no, timeout)

    def download_report(self, order_no: str, out_dir: PathLike) -> Report:
        """Downloads a made report into ``out_dir/<order_no>.zip`` and extracts it into
        ``out_dir/<order_no>/``. Both appear only when complete; an unsafe archive leaves
        nothing behind (``ArchiveError``)."""
        return self._native.download_report(order_no, os.fspath(out_dir))

    def fetch_report(
        self,
        report_type: str,
        out_dir: PathLike,
        timeout: Optional[float] = None,
        *,
        new_order: bool = False,
        order_no: Optional[str] = None,
    ) -> Optional[Report]:
        """The whole flow: order, wait (up to ``timeout`` seconds, default the client's
        ``wait_timeout``), download and extract into ``out_dir``. None when there were no risk
        changes, so no report.

        Safe to run again (a notebook cell, a cron job): ``out_dir`` keeps a ledger
        (``qcc-radar-journal.json``, and a lock ``.qcc-radar.lock`` that every process and
        language honours), keyed by server, app key, report type and period. A second call for
        the same period returns the same report (or None) and sends nothing; after a
        ``WaitTimeoutError`` it resumes the same order; after a ``ReportFailedError`` it orders
        once more, and after a second failure in the period it raises ``ReportFailedError``
        without ordering.

        Args:
            new_order: order a new report whatever the ledger says: after an
                ``UnconfirmedOrderError`` once you have checked that QCC has no such order, or
                to ask again after None.
            order_no: after an ``UnconfirmedOrderError``, the order you found in QCC's order
                list: it is recorded as the period's order, then waited for and downloaded,
                and nothing is ordered. Not with ``new_order`` (``ConfigError``), nor an order
                of another report type (``ConfigError``).

        Raises:
            UnconfirmedOrderError: an order may have been placed but its answer was lost; see
                the exception's message for what to check. Nothing more is ordered for the
                period until you pass ``order_no=`` (the order you found) or ``new_order=True``.
            LocalIOError: the folder or its ledger cannot be read or written; nothing was
                ordered because of it.
            WaitTimeoutError, ReportFailedError, ArchiveError, TransportError: with
                ``order_no`` set when an order exists.
        """
        return self._native.fetch_report(
            report_type, os.fspath(out_dir), timeout, new_order=new_order, order_no=order_no
        )


def _settle(fut: "asyncio.Future[Any]", exc: Optional[BaseException], value: Any) -> None:
    if fut.done():
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(value)


async def _run(
    start: Callable[[Callable[[Optional[BaseException], Any], None]], _native.Task],
    inflight: Optional[Set[asyncio.Future[Any]]] = None,
) -> Any:
    # Imported here, not at the top: `import asyncio` is half of the package's import time, and
    # a coroutine only runs where the loop has already imported it.
    import asyncio

    loop = asyncio.get_running_loop()
    fut: asyncio.Future[Any] = loop.create_future()

    def done(exc: Optional[BaseException], value: Any) -> None:
        # Called on a Rust runtime thread.
        try:
            loop.call_soon_threadsafe(_settle, fut, exc, value)
        except RuntimeError:
            pass  # the loop is closed: no one is waiting any more

    task = start(done)
    if inflight is not None:
        inflight.add(fut)
        fut.add_done_callback(inflight.discard)
    try:
        return await asyncio.shield(fut)
    except asyncio.CancelledError:
        task.cancel()
        # Wait until Rust has dropped the work (and removed its temporary files).
        try:
            await fut
        except BaseException:
            pass
        raise


class AsyncClient(_ClientBase):
    """The asyncio client: the same operations as :class:`Client`, as coroutines.

    Cancelling a task (``task.cancel()``, ``asyncio.wait_for`` timing out) stops the Rust work
    and removes its temporary files before ``CancelledError`` reaches the caller.

    Example::

        async with qcc_radar.AsyncClient() as client:
            report = await client.fetch_report("day", "reports")

    ``close()``, ``await aclose()`` or the end of the ``async with`` block ends the calls other
    tasks are awaiting with ``OperationCancelledError``; later calls raise ``ConfigError``.
    """

    async def aclose(self) -> None:
        """Closes the client (see :meth:`close`) and returns once every call in flight on this
        event loop has ended (with ``OperationCancelledError``) and removed its temporary
        files. Closing twice is harmless."""
        import asyncio

        self.close()
        loop = asyncio.get_running_loop()
        pending = [f for f in list(self._inflight) if f.get_loop() is loop and not f.done()]
        if pending:
            await asyncio.wait(pending)

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    async def create_report(self, report_type: str) -> Optional[str]:
        """See :meth:`Client.create_report`."""
        n = self._native
        order_no: Optional[str] = await _run(
            lambda done: n.create_report_async(report_type, done), self._inflight
        )
        return order_no

    async def report_info(self, order_no: str) -> ReportInfo:
        """See :meth:`Client.report_info`."""
        n = self._native
        info: ReportInfo = await _run(
            lambda done: n.report_info_async(order_no, done), self._inflight
        )
        return info

    async def wait_for_report(self, order_no: str, timeout: Optional[float] = None) -> ReportInfo:
        """See :meth:`Client.wait_for_report`."""
        n = self._native
        info: ReportInfo = await _run(
            lambda done: n.wait_for_report_async(order_no, timeout, done), self._inflight
        )
        return info

    async def download_report(self, order_no: str, out_dir: PathLike) -> Report:
        """See :meth:`Client.download_report`."""
        n, d = self._native, os.fspath(out_dir)
        report: Report = await _run(
            lambda done: n.download_report_async(order_no, d, done), self._inflight
        )
        return report

    async def fetch_report(
        self,
        report_type: str,
        out_dir: PathLike,
        timeout: Optional[float] = None,
        *,
        new_order: bool = False,
        order_no: Optional[str] = None,
    ) -> Optional[Report]:
        """See :meth:`Client.fetch_report` (the same ledger, ``new_order`` and ``order_no``)."""
        n, d = self._native, os.fspath(out_dir)
        report: Optional[Report] = await _run(
            lambda done: n.fetch_report_async(report_type, d, timeout, new_order, order_no, done),
            self._inflight,
        )
        return report

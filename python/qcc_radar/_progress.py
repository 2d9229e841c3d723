"""Progress of an order as it advances: :class:`ProgressEvent`, and tqdm bars for notebooks.

``Client(progress=fn)`` (and ``AsyncClient``) calls ``fn(event)`` at each step: the order is
placed, a poll answers, bytes of the archive arrive, entries are extracted. The client crate
thins the stream once for every binding (download and extraction events at most every 0.1 s,
plus the first and the last), so a callback may print or redraw on every event.

Hazards, and the choices made:

- The callback runs on the client's runtime threads (with the GIL), not on the caller's thread
  nor in an asyncio loop: a slow callback slows the download, and one that touches loop
  objects must go through ``loop.call_soon_threadsafe``.
- An exception in the callback must not break a download that may have been paid for: it is
  logged to the ``qcc_radar`` logger (with its traceback) and the work goes on.
- tqdm is optional: ``progress=True`` (:func:`tqdm_progress`) imports ``tqdm.auto`` (a widget in
  Jupyter, text in a terminal) only then, and says how to install it when it is missing.

This module is imported on the first event, not by ``import qcc_radar`` (see _types.py).
"""

from __future__ import annotations

import threading

# `typing.TYPE_CHECKING` without importing `typing` at run time (see _types.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Literal, Optional, Tuple, TypeAlias

    ProgressKind: TypeAlias = Literal["ordered", "polled", "downloading", "extracting"]

__all__ = ["ProgressEvent", "TqdmProgress", "tqdm_progress"]


class ProgressEvent:
    """One step of an order's progress. Fields a kind does not have are None.

    Attributes:
        kind: ``"ordered"`` (createReport placed the order), ``"polled"`` (getReportInfo
            answered during a wait), ``"downloading"`` (bytes of the archive received) or
            ``"extracting"`` (entries extracted).
        order_no: the order, such as ``"JKDAY-167660123348194027"``.
        status: ``polled``: what it answered, ``"P"``, ``"S"`` or ``"F"``.
        polls: ``polled``: polls so far in this wait.
        elapsed: ``polled``: seconds waited so far.
        received: ``downloading``: bytes received so far (in all, a resumed download included).
        total: ``downloading``: the archive's size in bytes, when the storage said (else
            None); ``extracting``: the entries in all.
        done: ``extracting``: entries extracted so far.
    """

    __slots__ = ("kind", "order_no", "status", "polls", "elapsed", "received", "total", "done")
    __match_args__ = ("kind", "order_no", "status", "polls", "elapsed", "received", "total", "done")

    if TYPE_CHECKING:
        # Read-only to type checkers; slots at run time.
        @property
        def kind(self) -> ProgressKind: ...
        @property
        def order_no(self) -> str: ...
        @property
        def status(self) -> Optional[str]: ...
        @property
        def polls(self) -> Optional[int]: ...
        @property
        def elapsed(self) -> Optional[float]: ...
        @property
        def received(self) -> Optional[int]: ...
        @property
        def total(self) -> Optional[int]: ...
        @property
        def done(self) -> Optional[int]: ...

    def __init__(
        self,
        kind: ProgressKind,
        order_no: str,
        status: Optional[str] = None,
        polls: Optional[int] = None,
        elapsed: Optional[float] = None,
        received: Optional[int] = None,
        total: Optional[int] = None,
        done: Optional[int] = None,
    ) -> None:
        init = object.__setattr__
        for name, value in zip(
            self.__slots__, (kind, order_no, status, polls, elapsed, received, total, done)
        ):
            init(self, name, value)

    def _fields(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ProgressEvent) and other.__class__ is self.__class__:
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}"
            for name, value in zip(self.__slots__, self._fields())
            if value is not None
        )
        return f"ProgressEvent({shown})"

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (type(self), self._fields())

    if not TYPE_CHECKING:  # hidden from type checkers, which then reject assignments

        def __setattr__(self, name, value):
            from ._types import _frozen

            _frozen(name, "assign to")

        def __delattr__(self, name):
            from ._types import _frozen

            _frozen(name, "delete")


def _emit(
    callback: Callable[[ProgressEvent], object],
    kind: ProgressKind,
    order_no: str,
    status: Optional[str],
    polls: Optional[int],
    elapsed: Optional[float],
    received: Optional[int],
    total: Optional[int],
    done: Optional[int],
) -> None:
    """Called by the native client on its threads for each event (bindings/python/src/progress.rs)."""
    event = ProgressEvent(kind, order_no, status, polls, elapsed, received, total, done)
    try:
        callback(event)
    except Exception:
        from ._log import get_logger

        get_logger("qcc_radar").exception(
            "the progress callback %r raised on %r; the operation goes on", callback, event
        )


class TqdmProgress:
    """A progress callback that draws tqdm bars: one while an order is awaited (polls and
    status), one for the download (bytes) and one for the extraction (entries), per order.
    Make it with :func:`tqdm_progress`; ``Client(progress=True)`` uses one."""

    def __init__(self, tqdm: Callable[..., Any], **options: Any) -> None:
        self._tqdm = tqdm
        self._options = options
        self._bars: Dict[Tuple[str, str], Any] = {}
        # Events of several calls on one client arrive from several runtime threads.
        self._lock = threading.Lock()

    def _bar(self, event: ProgressEvent, what: str, **options: Any) -> Any:
        key = (event.order_no, what)
        bar = self._bars.get(key)
        if bar is None:
            bar = self._bars[key] = self._tqdm(
                desc=f"{event.order_no} {what}", **{**options, **self._options}
            )
        return bar

    def _finish(self, event: ProgressEvent, what: str) -> None:
        bar = self._bars.pop((event.order_no, what), None)
        if bar is not None:
            bar.close()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            if event.kind == "ordered":
                self._bar(event, "waiting", unit=" polls")
            elif event.kind == "polled":
                bar = self._bar(event, "waiting", unit=" polls")
                bar.set_postfix_str(f"status {event.status}", refresh=False)
                bar.update(max(0, (event.polls or 0) - bar.n))
                if event.status in ("S", "F"):
                    self._finish(event, "waiting")
            elif event.kind == "downloading":
                bar = self._bar(
                    event, "download", unit="B", unit_scale=True, unit_divisor=1024,
                    total=event.total,
                )
                received = event.received or 0
                if received < bar.n:  # never expected: the count is of the whole download
                    bar.reset(total=event.total)
                bar.update(received - bar.n)
                if event.total is not None and received >= event.total:
                    self._finish(event, "download")
            elif event.kind == "extracting":
                bar = self._bar(event, "extract", unit=" files", total=event.total)
                bar.update(max(0, (event.done or 0) - bar.n))
                if event.total is not None and (event.done or 0) >= event.total:
                    self._finish(event, "extract")

    def close(self) -> None:
        """Closes the bars still open (of an order whose work stopped half-way)."""
        with self._lock:
            for bar in self._bars.values():
                bar.close()
            self._bars.clear()


def tqdm_progress(**options: Any) -> TqdmProgress:
    """A progress callback that shows tqdm bars (``tqdm.auto``: a widget in Jupyter, text in a
    terminal): ``Client(progress=qcc_radar.tqdm_progress())``, which ``progress=True`` also
    does. ``options`` go to each ``tqdm(...)`` (for example ``leave=False``, ``file=...``).

    Raises:
        ImportError: tqdm is not installed (``pip install tqdm``).
    """
    from importlib import import_module

    try:
        # By name: tqdm is optional, and type checkers need not know it.
        tqdm = import_module("tqdm.auto").tqdm
    except ImportError as e:
        raise ImportError(
            "qcc_radar's progress bars need tqdm, which is not installed: `pip install tqdm` "
            "(`%pip install tqdm` in a notebook), or pass progress=<a function taking a "
            "qcc_radar.ProgressEvent> instead of progress=True",
            name="tqdm",
        ) from e
    return TqdmProgress(tqdm, **options)

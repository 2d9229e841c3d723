# Stubs of the Rust extension module qcc_radar._native (bindings/python/src).
# Checked against the built module by `python -m mypy.stubtest qcc_radar` in python/ci.sh.
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple, Union, final

from ._types import Report, ReportInfo

__all__ = [
    "SCENARIOS",
    "VERSION",
    "NativeClient",
    "NativeSandbox",
    "NativeTable",
    "Task",
    "read_tables",
    "sign",
]

VERSION: str
SCENARIOS: Tuple[str, ...]

_Done = Callable[[Optional[BaseException], Any], None]
_Path = Union[str, PathLike[str]]

def sign(app_key: str, timespan: int, secret_key: str) -> str: ...
@final
class Task:
    def cancel(self) -> bool: ...

@final
class NativeClient:
    def __new__(
        cls,
        app_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        read_timeout: Optional[float] = None,
        wait_timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        poll_initial: Optional[float] = None,
        poll_max: Optional[float] = None,
        clock_skew_correction: Optional[bool] = None,
        ca_file: Optional[_Path] = None,
        proxy: Optional[str] = None,
        user_agent_suffix: Optional[str] = None,
    ) -> NativeClient: ...
    @property
    def base_url(self) -> str: ...
    @property
    def app_key(self) -> str: ...
    @property
    def wait_timeout(self) -> float: ...
    @property
    def clock_offset(self) -> int: ...
    def create_report(self, report_type: str) -> Optional[str]: ...
    def report_info(self, order_no: str) -> ReportInfo: ...
    def wait_for_report(self, order_no: str, timeout: Optional[float] = None) -> ReportInfo: ...
    def download_report(self, order_no: str, out_dir: _Path) -> Report: ...
    def fetch_report(
        self,
        report_type: str,
        out_dir: _Path,
        timeout: Optional[float] = None,
        *,
        new_order: bool = False,
        order_no: Optional[str] = None,
    ) -> Optional[Report]: ...
    def create_report_async(self, report_type: str, done: _Done) -> Task: ...
    def report_info_async(self, order_no: str, done: _Done) -> Task: ...
    def wait_for_report_async(
        self, order_no: str, timeout: Optional[float], done: _Done
    ) -> Task: ...
    def download_report_async(self, order_no: str, out_dir: _Path, done: _Done) -> Task: ...
    def fetch_report_async(
        self,
        report_type: str,
        out_dir: _Path,
        timeout: Optional[float],
        new_order: bool,
        order_no: Optional[str],
        done: _Done,
    ) -> Task: ...

@final
class NativeSandbox:
    def __new__(
        cls,
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
    ) -> NativeSandbox: ...
    @property
    def base_url(self) -> str: ...
    @property
    def app_key(self) -> str: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def scenario(self) -> str: ...
    @property
    def running(self) -> bool: ...
    @property
    def orders_placed(self) -> int: ...
    def order_numbers(self) -> List[str]: ...
    def count(self, endpoint_name: str) -> int: ...
    def requests(self) -> List[Dict[str, Any]]: ...
    def close(self) -> None: ...

@final
class NativeTable:
    @property
    def name(self) -> str: ...
    @property
    def columns(self) -> List[str]: ...
    @property
    def column_kinds(self) -> List[str]: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def path(self) -> Path: ...
    @property
    def sheet(self) -> Optional[str]: ...
    @property
    def encoding(self) -> Optional[str]: ...
    @property
    def preamble(self) -> List[str]: ...
    @property
    def metadata(self) -> Dict[str, str]: ...
    def rows(self) -> List[Dict[str, Any]]: ...
    def __arrow_c_stream__(self, requested_schema: object = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...
    def __len__(self) -> int: ...

def read_tables(folder: _Path) -> Tuple[List[NativeTable], List[Tuple[str, Path, str, str]]]: ...

"""The shared settings vector (``tests/settings.json``) through the public API.

Every binding runs the same cases (every client setting and fetch option, good and bad values,
the expected ``config`` message), so a value means the same, and is refused with the same
words, in every language. The values go in as a Python caller writes them: keyword arguments of
``Client(...)``, times as float seconds; ``fetch`` cases call ``fetch_report("day", ...)`` on a
client built from the base. Nothing is sent: the base URL points at a closed port.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import qcc_radar

VECTOR: Dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "tests" / "settings.json").read_text(encoding="utf-8")
)
# Canonical name → Python spelling, from the vector's header (the client crate's table).
PYTHON_NAME: Dict[str, str] = {s["name"]: s["python"] for s in VECTOR["settings"]}
CASES: List[Dict[str, Any]] = VECTOR["cases"]


def _value(value: Any) -> Any:
    """A vector value as Python code writes it: ``{"seconds": x}`` is a float of seconds."""
    if isinstance(value, dict):
        return float(value["seconds"])
    return value


def _kwargs(settings: Dict[str, Any]) -> Dict[str, Any]:
    return {PYTHON_NAME[name]: _value(v) for name, v in settings.items()}


def _expected(message: str) -> str:
    for name, spelled in PYTHON_NAME.items():
        message = message.replace("{" + name + "}", spelled)
    return message


def test_the_vector_is_the_format_this_suite_reads() -> None:
    assert VECTOR["format"] == 1
    assert CASES and all("settings" in c or "fetch" in c for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: Dict[str, Any], tmp_path: Path) -> None:
    base = _kwargs(VECTOR["base"])
    if "fetch" in case:
        client = qcc_radar.Client(**base)
        call = lambda: client.fetch_report("day", tmp_path / "out", **_kwargs(case["fetch"]))  # noqa: E731
    else:
        call = lambda: qcc_radar.Client(**{**base, **_kwargs(case["settings"])})  # noqa: E731
    if "error" not in case:
        assert isinstance(call(), qcc_radar.Client)
        return
    with pytest.raises(qcc_radar.ConfigError) as info:
        call()
    assert info.value.kind == "config"
    assert str(info.value) == _expected(case["error"])
    if "fetch" in case:
        assert not (tmp_path / "out").exists(), "a refused fetch touched its folder"


def test_async_client_takes_the_same_settings() -> None:
    # One case each way is enough: both clients share one constructor.
    base = _kwargs(VECTOR["base"])
    refused = next(c for c in CASES if c.get("error") and "settings" in c)
    with pytest.raises(qcc_radar.ConfigError) as info:
        qcc_radar.AsyncClient(**{**base, **_kwargs(refused["settings"])})
    assert str(info.value) == _expected(refused["error"])
    accepted = next(c for c in CASES if "error" not in c and "settings" in c)
    qcc_radar.AsyncClient(**{**base, **_kwargs(accepted["settings"])})


@pytest.mark.parametrize("cls", [qcc_radar.Client, qcc_radar.AsyncClient])
def test_the_constructor_names_every_client_setting(cls: type) -> None:
    # The keyword arguments are the table's client settings (plus `progress`), no more, no less.
    params = set(inspect.signature(cls).parameters) - {"progress"}
    table = {s["python"] for s in VECTOR["settings"] if s["scope"] == "client"}
    assert params == table


def test_fetch_report_takes_every_fetch_option() -> None:
    params = set(inspect.signature(qcc_radar.Client.fetch_report).parameters)
    table = {s["python"] for s in VECTOR["settings"] if s["scope"] == "fetch"}
    assert table <= params


def test_an_unknown_setting_is_named_by_the_client() -> None:
    # Through the native layer directly: the Python wrapper's own signature refuses it first.
    from qcc_radar import _native

    with pytest.raises(qcc_radar.ConfigError, match='unknown setting "poll_maximum"'):
        _native.NativeClient(app_key="k", secret_key="s", poll_maximum=3.0)

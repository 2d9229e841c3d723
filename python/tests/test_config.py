"""Configuration: arguments, the environment fallback, and ConfigError before anything is sent."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import qcc_radar
from conftest import FAST


def test_missing_credentials_name_the_variable() -> None:
    with pytest.raises(qcc_radar.ConfigError) as info:
        qcc_radar.Client()
    assert "QCC_APP_KEY" in str(info.value)
    assert isinstance(info.value, ValueError) and info.value.kind == "config"
    with pytest.raises(qcc_radar.ConfigError, match="QCC_SECRET_KEY"):
        qcc_radar.Client("key")


def test_environment_fallback(monkeypatch: pytest.MonkeyPatch, out_dir: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        monkeypatch.setenv("QCC_APP_KEY", sb.app_key)
        monkeypatch.setenv("QCC_SECRET_KEY", sb.secret_key)
        monkeypatch.setenv("QCC_BASE_URL", sb.base_url)
        client = qcc_radar.Client(**FAST)
        assert client.base_url.rstrip("/") == sb.base_url
        assert client.app_key == sb.app_key
        assert client.fetch_report("day", out_dir) is not None


def test_default_base_url() -> None:
    assert qcc_radar.Client("k", "s").base_url.startswith("https://pro.qcc.com")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "not a url"},
        {"base_url": "ftp://example.com"},
        {"secret_key": "has\nnewline"},
        {"wait_timeout": -1.0},
        {"request_timeout": math.nan},
        {"connect_timeout": math.inf},
        {"max_attempts": 0},
        {"poll_initial": 2.0, "poll_max": 1.0},
        {"ca_file": "/nonexistent/ca.pem"},
        {"proxy": "::not a proxy::"},
    ],
)
def test_bad_settings_are_config_errors(kwargs: dict) -> None:
    args = {"app_key": "k", "secret_key": "s", **kwargs}
    with pytest.raises(qcc_radar.ConfigError):
        qcc_radar.Client(**args)


def test_bad_arguments_are_config_errors_and_send_nothing(tmp_path: Path) -> None:
    with qcc_radar.Sandbox("normal") as sb:
        client = sb.client(**FAST)
        with pytest.raises(qcc_radar.ConfigError, match="day, week, month"):
            client.create_report("yearly")
        for bad in ["", "../x", "a/b", "订单"]:
            with pytest.raises(qcc_radar.ConfigError):
                client.report_info(bad)
        with pytest.raises(qcc_radar.ConfigError):
            client.wait_for_report("JKDAY-1", timeout=-5)
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(qcc_radar.ConfigError):
            client.fetch_report("day", blocker)
        assert sb.requests() == []


def test_report_type_is_case_insensitive() -> None:
    with qcc_radar.Sandbox("normal") as sb:
        order = sb.client(**FAST).create_report(" WEEK ")
        assert order is not None and order.startswith("JKWEEK-")


def test_sandbox_attributes_and_errors() -> None:
    with pytest.raises(qcc_radar.ConfigError, match="normal"):
        qcc_radar.Sandbox("nonsense")
    sb = qcc_radar.Sandbox("no_change", app_key="my-app", secret_key="my-secret")
    try:
        assert sb.running and sb.scenario == "no_change"
        assert (sb.app_key, sb.secret_key) == ("my-app", "my-secret")
        assert sb.base_url.startswith("http://127.0.0.1:")
        with pytest.raises(qcc_radar.ConfigError):
            sb.count("nowhere")  # type: ignore[arg-type]
        assert sb.count("createReport") == 0
    finally:
        sb.close()
    sb.close()
    assert not sb.running
    with pytest.raises(qcc_radar.ConfigError, match="closed"):
        _ = sb.orders_placed
    assert set(qcc_radar.SCENARIOS) >= {"normal", "flaky", "zip_bomb", "clock_skew"}


def test_unreachable_server_is_a_transport_error() -> None:
    client = qcc_radar.Client("k", "s", "http://127.0.0.1:9", max_attempts=2, connect_timeout=1)
    with pytest.raises(qcc_radar.TransportError) as info:
        client.report_info("JKDAY-1")
    assert info.value.code is None


def test_skew_correction_can_be_disabled() -> None:
    with qcc_radar.Sandbox("clock_skew") as sb:
        client = sb.client(clock_skew_correction=False, **FAST)
        with pytest.raises(qcc_radar.AuthenticationError) as info:
            client.create_report("day")
        assert info.value.code == 115
        assert client.clock_offset == 0
        assert sb.orders_placed == 0

"""The shared cross-language vectors in tests/vectors, run through the Python API.

Signing vectors go through ``qcc_radar.sign``. Response vectors are served, body and content
type exactly as given, by a small canned-answer HTTP server, and read back through
``Client.create_report`` / ``Client.report_info``: what the binding returns or raises (class,
kind, code, server message) must be what the vector says the core makes of that body.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import qcc_radar
from conftest import VECTORS


def _load(name: str) -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = json.loads((VECTORS / name).read_text("utf-8"))["cases"]
    assert cases, f"{name} has no cases"
    return cases


SIGNING = _load("signing.json")
RESPONSES = _load("responses.json")


@pytest.mark.parametrize("case", SIGNING, ids=lambda c: c.get("note", "")[:40])
def test_signing_vector(case: Dict[str, Any]) -> None:
    assert qcc_radar.sign(case["app_key"], case["timespan"], case["secret_key"]) == case["token"]


def test_sign_rejects_negative_timespan() -> None:
    with pytest.raises(qcc_radar.ConfigError):
        qcc_radar.sign("k", -1, "s")


class _Canned:
    """What the server answers next: a body and a content type."""

    def __init__(self) -> None:
        self.body = b""
        self.content_type: Optional[str] = None
        self.paths: List[str] = []


@pytest.fixture(scope="module")
def canned() -> Iterator[Tuple[_Canned, str]]:
    state = _Canned()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.paths.append(self.path)
            self.send_response(200)
            if state.content_type is not None:
                self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _is_refusal(kind: str, code: Any) -> bool:
    """Whether createReport's answer refused the order (so none was placed): a status other
    than 200 of a kind that means "not accepted"."""
    refusals = ("auth", "quota", "permission", "invalid_request", "config")
    return code is not None and code != 200 and kind in refusals


def _case_id(case: Dict[str, Any]) -> str:
    return str(case["name"])


@pytest.mark.parametrize("case", RESPONSES, ids=_case_id)
def test_response_vector(case: Dict[str, Any], canned: Tuple[_Canned, str]) -> None:
    state, base_url = canned
    if "body_base64" in case:
        state.body = base64.b64decode(case["body_base64"])
    else:
        state.body = case["body"].encode("utf-8")
    state.content_type = case["content_type"]
    state.paths.clear()
    # One attempt and no skew correction: the vector is about one answer.
    client = qcc_radar.Client(
        "vector-key", "vector-secret", base_url, max_attempts=1, clock_skew_correction=False
    )
    expect = case["expect"]

    def call() -> Any:
        if case["endpoint"] == "createReport":
            return client.create_report("day")
        assert case["endpoint"] == "getReportInfo"
        return client.report_info("JKDAY-167660123348194027")

    outcome = expect["outcome"]
    if outcome == "error":
        with pytest.raises(qcc_radar.QccError) as info:
            call()
        err = info.value
        kind = expect["kind"]
        if case["endpoint"] == "createReport" and not _is_refusal(kind, expect["code"]):
            # The vector is the answer as parsed; the client adds that an order was sent and
            # no usable answer came back, so one may exist (DESIGN.md, "The order ledger").
            kind = "unconfirmed_order"
        assert err.kind == kind, str(err)
        assert type(err) is qcc_radar._errors._BY_KIND[kind]
        assert err.code == expect["code"], str(err)
        if "server_message" in expect:
            assert err.server_message == expect["server_message"]
    elif outcome == "ordered":
        assert call() == expect["order_no"]
    elif outcome == "no_change":
        assert call() is None
    elif outcome == "info":
        info_ = call()
        assert isinstance(info_, qcc_radar.ReportInfo)
        assert info_.status == expect["status"]
        assert (info_.url is not None) == expect["has_link"]
        if expect["expires_at"] is None:
            assert info_.expires_at is None
        else:
            assert info_.expires_at is not None
            assert info_.expires_at.timestamp() == expect["expires_at"]
            assert info_.expires_at.tzinfo is not None
    else:  # pragma: no cover - a new kind of vector needs a new branch here
        pytest.fail(f"unknown outcome {outcome!r}")
    assert len(state.paths) == 1, "one vector, one request"
    expected_path = "/api/radar_ext/" + case["endpoint"]
    assert state.paths[0].startswith(expected_path + "?"), state.paths[0]

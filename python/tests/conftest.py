"""Shared helpers for the qcc_radar test-suite.

Every behaviour test runs against the real in-process emulator (``qcc_radar.Sandbox``); the
only other server is the canned-answer server of the response vectors.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

# Fast polling so a wait of two `P` answers takes tens of milliseconds, not seconds.
FAST: Dict[str, Any] = {"poll_initial": 0.02, "poll_max": 0.05}

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


# What `fetch_report` and `download_report` keep in the out folder on purpose: the order ledger
# and the folder's lock (`qcc_radar::LEDGER_FILE`, `qcc_radar::LOCK_FILE`).
LEDGER = "qcc-radar-journal.json"
LOCK = ".qcc-radar.lock"
BOOKKEEPING = frozenset({LEDGER, LOCK})


def leftovers(folder: Path, *, bookkeeping: bool = False) -> List[str]:
    """Everything under ``folder``, relative, sorted (hidden temporary files included); the
    ledgers and locks only when ``bookkeeping`` is set."""
    if not folder.exists():
        return []
    found = (p for p in folder.rglob("*") if bookkeeping or p.name not in BOOKKEEPING)
    return sorted(str(p.relative_to(folder)) for p in found)


@pytest.fixture(autouse=True)
def _no_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's real credentials from the environment."""
    for name in ("QCC_APP_KEY", "QCC_SECRET_KEY", "QCC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "out"
    return d


def pytest_report_header() -> str:
    import qcc_radar

    return f"qcc_radar {qcc_radar.__version__} from {os.path.dirname(qcc_radar.__file__)}"

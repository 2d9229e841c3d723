"""The shared fault matrix (``tests/fault-matrix.json``), run through the Python package.

Every front end of qcc-radar reads the same table of sandbox scenarios, operations and expected
outcomes (the format is in ``tests/fault_matrix/README.md``), so this package cannot quietly
differ from the Rust client and the command: a retried quota error, a kept half-archive, a
``201`` taken for a failure or an exception of the wrong class would show here. Each case gets a
fresh ``qcc_radar.Sandbox`` and a ``qcc_radar.Client`` (and, in the second run, an
``AsyncClient``), goes through the package's public API only (report types and order numbers
are passed as the text the matrix gives, so the package's own parsing refuses ``"year"``), and
is compared with ``expect``: outcome, exception class and kind, code, the exit status the kind
maps to, the orders the sandbox saw placed, what is left on disk, the report status and order,
and whether the exception carries an ``order_no``. A case of several ``steps`` (the ledger's
re-runs) runs them in order with the same sandbox, client and out folder, each step judged on
its own ``expect``; a case's ``setup.ledger`` is written to ``out/qcc-radar-journal.json`` first.

The secret key is ``QCC_LEAK_SECRET`` when set (the leak scan sets it), else a fresh canary; it
must not appear in any exception, repr or str of a result, file written or ``qcc_radar`` log
record (captured at the lowest level). With ``QCC_LEAK_SCAN_DIR`` set, each case's folder is
kept under ``<dir>/python/<case id>/`` (``<dir>/python/async/<case id>/`` for the asyncio run),
and the log is written to ``<dir>/python/qcc_radar-<sync|async>.log`` and echoed to stderr, for
the scan to read.
``QCC_FAULT_MATRIX_ONLY=id,id`` runs only those cases.

Every difference is collected and the test fails once at the end, listing them all; one line per
case (``ok`` / ``FAILED``) is printed as it finishes (``pytest -s`` shows them live).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

import pytest

import qcc_radar

MATRIX = Path(__file__).resolve().parents[2] / "tests" / "fault-matrix.json"
FORMAT = "qcc-radar-fault-matrix"
# Version 2 added the ledger (steps, setup, new_order, error_order_no, one bookkeeping list).
VERSIONS = (2,)
# Where `setup.ledger` is written (`qcc_radar::LEDGER_FILE`).
LEDGER_FILE = "qcc-radar-journal.json"
# The app key of a case without a sandbox (nothing checks it there).
APP_KEY = "fault-matrix-app-key"

# DESIGN.md's exit codes, written once: what the `qcc-radar` command exits with for each error
# kind. The package has no exit statuses of its own, so a kind is checked against this table.
EXIT_STATUS: Dict[str, int] = {
    "config": 2,
    "auth": 3,
    "quota": 3,
    "permission": 3,
    "invalid_request": 3,
    "report_failed": 4,
    "timeout": 5,
    "transport": 6,
    "archive": 7,
    "unconfirmed_order": 8,
    "io": 9,
}


class MatrixError(Exception):
    """The matrix file is not one this runner can read."""


def load_matrix(path: Path = MATRIX) -> Dict[str, Any]:
    """Reads and checks the matrix: its format and a version this runner knows."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise MatrixError(f"{path} is not a {FORMAT} file (format {doc.get('format')!r})")
    if doc.get("version") not in VERSIONS:
        raise MatrixError(
            f"{path} is version {doc.get('version')!r} of the fault matrix; this runner "
            f"(python/tests/test_fault_matrix.py) reads version(s) {list(VERSIONS)}: update it"
        )
    return doc


def secret_key() -> str:
    """The leak scan's secret, else this run's own recognisable canary."""
    return os.environ.get("QCC_LEAK_SECRET") or f"qcc-fm-canary-{secrets.token_hex(8)}"


def scan_root() -> Optional[Path]:
    """Where the leak scan wants this suite's files, if it is running."""
    d = os.environ.get("QCC_LEAK_SCAN_DIR")
    return Path(d) / "python" if d else None


@dataclass
class Got:
    """What an operation gave."""

    outcome: str = "?"
    error: Optional[BaseException] = None
    report_status: Optional[str] = None
    order_no: Optional[str] = None
    report: Optional[qcc_radar.Report] = None
    # Everything the result shows as text (repr and str), for the secret check.
    shown: List[str] = field(default_factory=list)


class Precondition(Exception):
    """A step before the operation failed (the `$created` order was not placed)."""


# ---------------------------------------------------------------------------------------------
# The two ways to call the package: the blocking Client and the AsyncClient, same arguments.


class Api:
    """The operations of one client flavour, called as the matrix names them."""

    def __init__(self, name: str, client: Any) -> None:
        self.name = name
        self.client = client

    def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        fn = getattr(self.client, method)
        if self.name == "async":
            return asyncio.run(fn(*args, **kwargs))
        return fn(*args, **kwargs)


def make_client(
    api: str, base_url: str, app_key: str, secret: str, poll: float, wait: float
) -> Api:
    # The package has no fixed poll schedule (the matrix's `poll_ms`): poll_initial == poll_max
    # is the closest it offers, every delay `poll` less the core's jitter (up to 20%).
    cls = qcc_radar.AsyncClient if api == "async" else qcc_radar.Client
    client = cls(app_key, secret, base_url, poll_initial=poll, poll_max=poll, wait_timeout=wait)
    return Api(api, client)


def start_sandbox(spec: Dict[str, Any], secret: str) -> qcc_radar.Sandbox:
    """The case's sandbox, with the matrix's overrides (milliseconds into seconds)."""
    opts: Dict[str, Any] = {"secret_key": secret}
    if "polls_until_ready" in spec:
        opts["polls_until_ready"] = int(spec["polls_until_ready"])
    if "slow_ready_after_ms" in spec:
        opts["slow_ready_after"] = spec["slow_ready_after_ms"] / 1000
    if "link_ttl_ms" in spec:
        opts["link_ttl"] = spec["link_ttl_ms"] / 1000
    if "large_bytes" in spec:
        opts["large_bytes"] = int(spec["large_bytes"])
    return qcc_radar.Sandbox(spec["scenario"], **opts)


def steps_of(case: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The case's steps: its `steps`, or its own operation, args and expect as the only one."""
    if case.get("steps"):
        steps: List[Dict[str, Any]] = case["steps"]
        return steps
    return [{"operation": case["operation"], "args": case.get("args"), "expect": case["expect"]}]


def operate(m: Dict[str, Any], step: Dict[str, Any], api: Api, out: Path) -> Got:
    """Runs one step's operation through the package's public API."""
    args = step.get("args") or {}
    d = m["defaults"]
    report_type = args.get("report_type", d["report_type"])
    timeout = args.get("timeout_ms", d["wait_timeout_ms"]) / 1000
    op = step["operation"]

    def order() -> str:
        text = args.get("order_no")
        if text != "$created":
            return str(text)
        try:
            o = api.call("create_report", report_type)
        except Exception as e:
            raise Precondition(f"the order to work on was not placed: {e!r}") from e
        if o is None:
            raise Precondition("the order to work on was not placed: no change")
        return str(o)

    got = Got()
    try:
        if op == "fetch":
            r = api.call(
                "fetch_report", report_type, out, timeout, new_order=bool(args.get("new_order"))
            )
            got.shown += [repr(r), str(r)]
            if r is None:
                got.outcome = "no_change"
            else:
                got.outcome, got.report, got.order_no = "ok", r, r.order_no
        elif op == "create":
            o = api.call("create_report", report_type)
            got.shown += [repr(o), str(o)]
            got.outcome, got.order_no = ("no_change", None) if o is None else ("ok", o)
        elif op in ("status", "wait"):
            o = order()
            if op == "status":
                info = api.call("report_info", o)
            else:
                info = api.call("wait_for_report", o, timeout)
            got.shown += [repr(info), str(info)]
            got.outcome, got.order_no, got.report_status = "ok", o, info.status
        elif op == "download":
            r = api.call("download_report", order(), out)
            got.shown += [repr(r), str(r)]
            got.outcome, got.report, got.order_no = "ok", r, r.order_no
        else:
            raise Precondition(f"unknown operation {op!r}")
    except Precondition:
        raise
    except Exception as e:
        got.outcome, got.error = "error", e
        got.shown += [str(e), repr(e), repr(e.args)]
        if isinstance(e, qcc_radar.QccError):
            got.shown.append(repr(e.server_message))
    return got


# ---------------------------------------------------------------------------------------------
# Comparing with `expect`.


def names(d: Path) -> Set[str]:
    """Names directly in `d` (none when it does not exist)."""
    return set(os.listdir(d)) if d.is_dir() else set()


def all_files(d: Path) -> List[Path]:
    """Every non-folder under `d`, recursively, symlinks not followed."""
    out: List[Path] = []
    for root, dirs, files in os.walk(d):
        out += [Path(root) / f for f in files]
        # os.walk lists a symlink to a folder among `dirs` and does not descend into it.
        out += [Path(root) / x for x in dirs if (Path(root) / x).is_symlink()]
    return sorted(out)


def judge(
    m: Dict[str, Any],
    step: Dict[str, Any],
    got: Got,
    sandbox: Optional[qcc_radar.Sandbox],
    parent: Path,
    out: Path,
) -> List[str]:
    """Every difference between what happened and the step's `expect`."""
    x = step["expect"]
    bad: List[str] = []
    err = got.error
    if got.outcome != x["outcome"]:
        bad.append(f"outcome {got.outcome} (error: {err!r}), expected {x['outcome']}")

    kind: Optional[str] = None
    code: Optional[int] = None
    if err is not None:
        if not isinstance(err, qcc_radar.QccError):
            bad.append(f"raised {type(err).__name__}, not a qcc_radar.QccError: {err!r}")
        else:
            kind, code = err.kind, err.code
            # The class is the one the package documents for the kind (QuotaError for quota …).
            if type(err).kind != err.kind:
                bad.append(f"kind {err.kind!r} raised as {type(err).__name__}")
    if kind != x["kind"]:
        bad.append(f"kind {kind!r}, expected {x['kind']!r}")
    if x.get("error_order_no") is not None:
        carried = getattr(err, "order_no", None)
        if carried is not None and not isinstance(carried, str):
            bad.append(f"order_no {carried!r} is not a str")
        if (carried is not None) != x["error_order_no"]:
            want = "an order number" if x["error_order_no"] else "no order number"
            bad.append(f"the error carries order_no {carried!r}, expected {want}")
    if code != x["code"]:
        bad.append(f"code {code!r}, expected {x['code']!r}")
    exit_status = 0 if err is None else EXIT_STATUS.get(kind or "", None)
    if exit_status != x["exit_status"]:
        bad.append(
            f"kind {kind!r} maps to exit status {exit_status}, the matrix says {x['exit_status']}"
        )

    if x.get("orders_placed") is not None:
        placed = None if sandbox is None else sandbox.orders_placed
        if placed != x["orders_placed"]:
            bad.append(f"{placed} orders placed, expected {x['orders_placed']}")
    if "report_status" in x and got.report_status != x["report_status"]:
        bad.append(f"report status {got.report_status!r}, expected {x['report_status']!r}")
    if "order_no_prefix" in x and not (got.order_no or "").startswith(x["order_no_prefix"]):
        bad.append(f"order {got.order_no!r}, expected a {x['order_no_prefix']}… number")

    # Nothing may stand beside the out folder: an archive entry that escaped would land there.
    beside = names(parent) - {"out"}
    if beside:
        bad.append(f"written beside the out folder: {sorted(beside)}")
    bookkeeping = set(m.get("bookkeeping") or [])
    in_out = names(out) - bookkeeping
    if x["files"] == "report":
        r = got.report
        if r is None:
            bad.append("no report returned")
        else:
            order = r.order_no
            want = {f"{order}.zip", order}
            if in_out != want:
                bad.append(f"the out folder holds {sorted(in_out)}, expected {sorted(want)}")
            if r.archive != out / f"{order}.zip" or not r.archive.is_file():
                bad.append(f"archive {r.archive}")
            if r.folder != out / order or not r.folder.is_dir() or r.folder.is_symlink():
                bad.append(f"folder {r.folder}")
            on_disk = all_files(out / order)
            irregular = [p for p in on_disk if p.is_symlink() or not p.is_file()]
            if irregular:
                bad.append(f"not regular files: {irregular}")
            if not r.files or sorted(r.files) != on_disk:
                bad.append(f"returned files {r.files}, on disk {on_disk}")
    elif x["files"] == "none" and in_out:
        bad.append(f"left in the out folder: {sorted(in_out)}")
    return bad


def leaks(secret: str, texts: List[str], parent: Path) -> List[str]:
    """Where the secret shows: in the texts given, or in a file under `parent` (as text or in
    base64, as the leak scan looks for it)."""
    bad = [f"the secret shows in {t[:200]!r}" for t in texts if secret in t]
    needles = [secret.encode(), base64.b64encode(secret.encode()).rstrip(b"=")]
    for f in all_files(parent):
        if f.is_symlink():
            continue
        data = f.read_bytes()
        if any(n in data for n in needles):
            bad.append(f"{f} holds the secret")
    return bad


# ---------------------------------------------------------------------------------------------
# Running a case.


def case_parent(api: str, case_id: str) -> Tuple[Path, bool]:
    """The case's parent folder (fresh, empty) and whether to keep it afterwards."""
    root = scan_root()
    if root is None:
        return Path(tempfile.mkdtemp(prefix=f"qcc-fm-{case_id}-")), False
    d = root / case_id if api == "sync" else root / api / case_id
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d, True


def run_case(m: Dict[str, Any], case: Dict[str, Any], api: str, secret: str) -> List[str]:
    """Runs one case; returns its differences (empty when it passed)."""
    d = m["defaults"]
    sandbox = None if case.get("sandbox") is None else start_sandbox(case["sandbox"], secret)
    parent, keep = case_parent(api, case["id"])
    try:
        if case.get("base_url"):
            base_url, app_key = case["base_url"], APP_KEY
        elif sandbox is not None:
            base_url, app_key = sandbox.base_url, sandbox.app_key
        else:
            return ["the case names neither a sandbox nor a base_url"]
        client = make_client(
            api, base_url, app_key, secret, d["poll_ms"] / 1000, d["wait_timeout_ms"] / 1000
        )
        out = parent / "out"
        ledger = (case.get("setup") or {}).get("ledger")
        if ledger is not None:
            out.mkdir()
            (out / LEDGER_FILE).write_text(ledger, encoding="utf-8")
        steps = steps_of(case)
        bad: List[str] = []
        shown = [repr(client.client), str(client.client)]
        for i, step in enumerate(steps, 1):
            label = f"step {i}/{len(steps)} ({step['operation']}): " if len(steps) > 1 else ""
            try:
                got = operate(m, step, client, out)
            except Precondition as e:
                bad.append(f"{label}{e}")
                break
            bad += [label + b for b in judge(m, step, got, sandbox, parent, out)]
            shown += got.shown
        if sandbox is not None:
            shown.append(repr(sandbox))
        return bad + leaks(secret, shown, parent)
    finally:
        if sandbox is not None:
            sandbox.close()
        if not keep:
            shutil.rmtree(parent, ignore_errors=True)


class LogCapture(logging.Handler):
    """Keeps every `qcc_radar` record as a line (message and structured fields)."""

    def __init__(self, echo: bool) -> None:
        super().__init__(level=1)
        self.lines: List[str] = []
        self.echo = echo
        self._lock_lines = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "qcc_fields", None)
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if fields:
            line += f" {fields!r}"
        with self._lock_lines:
            self.lines.append(line)
        if self.echo:
            print(line, file=sys.stderr, flush=True)


@pytest.fixture
def qcc_log() -> Iterator[LogCapture]:
    """Every `qcc_radar` record at the lowest level, echoed to stderr for the leak scan."""
    logger = logging.getLogger("qcc_radar")
    capture = LogCapture(echo=scan_root() is not None)
    old = logger.level
    logger.setLevel(1)
    logger.addHandler(capture)
    try:
        yield capture
    finally:
        logger.removeHandler(capture)
        logger.setLevel(old)


def selected_cases(m: Dict[str, Any]) -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = m["cases"]
    ids = [c["id"] for c in cases]
    assert len(set(ids)) == len(ids), "case ids are unique"
    assert len(ids) >= 30, "the matrix holds its cases"
    only = os.environ.get("QCC_FAULT_MATRIX_ONLY")
    if not only:
        return cases
    wanted = {s.strip() for s in only.split(",") if s.strip()}
    unknown = wanted - set(ids)
    assert not unknown, f"QCC_FAULT_MATRIX_ONLY names cases the matrix lacks: {sorted(unknown)}"
    return [c for c in cases if c["id"] in wanted]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("api", ["sync", "async"])
def test_every_case_of_the_fault_matrix(api: str, qcc_log: LogCapture) -> None:
    m = load_matrix()
    secret = secret_key()
    failures: List[str] = []
    print(f"\nfault matrix, {api} client:", flush=True)
    for case in selected_cases(m):
        try:
            bad = run_case(m, case, api, secret)
        except Exception as e:  # the runner itself must not stop at one case
            bad = [f"the runner failed: {e!r}"]
        print(f"  {case['id']:<28} {'ok' if not bad else 'FAILED'}", flush=True)
        failures += [f"{case['id']}: {b}" for b in bad]

    log = "\n".join(qcc_log.lines)
    root = scan_root()
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
        (root / f"qcc_radar-{api}.log").write_text(log + "\n", encoding="utf-8")
    assert qcc_log.lines, "the package logged nothing at the lowest level"
    if secret in log:
        failures.append("a qcc_radar log record shows the secret")
    assert not failures, (
        f"{len(failures)} difference(s) from tests/fault-matrix.json ({api} client):\n"
        + "\n".join(failures)
    )


def test_an_unknown_matrix_version_is_refused(tmp_path: Path) -> None:
    doc = load_matrix()
    assert doc["version"] in VERSIONS and doc["format"] == FORMAT
    newer = tmp_path / "fault-matrix.json"
    newer.write_text(json.dumps({**doc, "version": 3}), encoding="utf-8")
    with pytest.raises(MatrixError, match="version 3 of the fault matrix"):
        load_matrix(newer)
    # Version 1 had no ledger: its cases would be judged against the wrong contract.
    newer.write_text(json.dumps({**doc, "version": 1}), encoding="utf-8")
    with pytest.raises(MatrixError, match="version 1 of the fault matrix"):
        load_matrix(newer)
    newer.write_text(json.dumps({**doc, "format": "something-else"}), encoding="utf-8")
    with pytest.raises(MatrixError, match="is not a qcc-radar-fault-matrix file"):
        load_matrix(newer)


def test_the_exit_status_table_covers_every_error_class() -> None:
    # Every exception class the package exports for an API or client failure has a status in
    # the table above; `cancelled` and `internal` are not outcomes the matrix can describe.
    kinds = {
        cls.kind
        for cls in (getattr(qcc_radar, n) for n in qcc_radar.__all__)
        if isinstance(cls, type)
        and issubclass(cls, qcc_radar.QccError)
        and cls is not qcc_radar.QccError
    }
    assert kinds - {"cancelled", "internal"} == set(EXIT_STATUS)


def test_the_runner_reports_every_difference() -> None:
    # The runner is not vacuous: a case run against expectations it does not meet yields one
    # difference per field that differs.
    m = load_matrix()
    case = json.loads(json.dumps(next(c for c in m["cases"] if c["id"] == "fetch_quota")))
    case["id"] = "runner_self_check"  # its own folder under QCC_LEAK_SCAN_DIR
    case["expect"].update(
        outcome="ok", kind=None, code=None, exit_status=0, orders_placed=1, files="report"
    )
    case["expect"]["error_order_no"] = True
    bad = run_case(m, case, "sync", secret_key())
    for what in ("outcome error", "kind 'quota'", "code 112", "exit status 3", "0 orders placed",
                 "no report returned", "order_no None, expected an order number"):
        assert any(what in b for b in bad), (what, bad)


def test_the_runner_judges_every_step() -> None:
    # A multi-step case is judged step by step on its own expectations: a wrong second step is
    # named as such, and the first step's success does not hide it.
    m = load_matrix()
    case = json.loads(json.dumps(next(c for c in m["cases"] if c["id"] == "fetch_rerun_same_report")))
    case["id"] = "runner_steps_self_check"
    case["steps"][1]["expect"]["orders_placed"] = 2
    bad = run_case(m, case, "sync", secret_key())
    assert bad == ["step 2/2 (fetch): 1 orders placed, expected 2"], bad


def test_the_runner_finds_the_secret_in_files_and_texts(tmp_path: Path) -> None:
    # Not the scan's secret: this file is a planted leak, under the scan's TMPDIR.
    secret = f"qcc-fm-self-check-{secrets.token_hex(8)}"
    (tmp_path / "out" / "deep").mkdir(parents=True)
    (tmp_path / "out" / "deep" / "f.txt").write_bytes(base64.b64encode(secret.encode()))
    (tmp_path / "g.txt").write_text("nothing here")
    bad = leaks(secret, ["fine", f"x{secret}y"], tmp_path)
    assert len(bad) == 2 and "f.txt holds the secret" in bad[1], bad

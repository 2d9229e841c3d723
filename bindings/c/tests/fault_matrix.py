#!/usr/bin/env python3
"""The shared fault matrix (tests/fault-matrix.json), run through the C interface.

Every front end of qcc-radar reads the same table of sandbox scenarios, operations and expected
outcomes (the format, version 2, is in tests/fault_matrix/README.md), so the C library cannot
quietly differ from the Rust client and the command. For each case this driver starts a fresh
`qcc-radar sandbox` with the case's scenario and overrides, expecting the suite's secret; writes
the case's `setup.ledger` into the out folder; then for each step (a case without `steps` is
one) runs `fault_case` (bindings/c/tests/fault_case.c, a C program linked against libqcc_radar
that makes ONE call through the C ABI and prints what came back as one JSON line) on the same
sandbox process and out folder, asks the sandbox for its record so far (a line on its stdin
answers with `{"stopped": false, "orders_placed": N, ...}`), and compares everything with the
step's `expect`: outcome, kind, code, the exit status the kind maps to (DESIGN.md's table,
written once below: the C library exposes no mapping of its own), the running total of orders
placed, whether the error carries an order number (qcc_radar_error_order_no), what is left on
disk (the ledger and lock of `bookkeeping` aside), report status and order number. Finally it
stops the sandbox. fault_case itself checks the C interface's own rules (status and error
agree, out-pointers reset on failure, the secret in no returned string) and reports breaches,
which count as differences.

The secret is QCC_LEAK_SECRET when set (the leak scan sets it), else a fresh canary. It is
written to a 0600 file outside any scanned folder, which the sandbox
(--expected-secret-key-file) and fault_case (--secret-key-file) read: it is never on a command
line. It must not appear in fault_case's output (errors, result strings), in its stderr or in
any file written under the case's folder. The sandbox's first line holds it, so that line is
never written anywhere.

With QCC_LEAK_SCAN_DIR set, each case's folder is kept under `<dir>/c/<case id>/` and what
fault_case printed at each step (and the sandbox's stderr and records) under
`<dir>/c/<case id>.out`.
QCC_FAULT_MATRIX_ONLY=id,id runs only those cases. QCC_FAULT_MATRIX_VALGRIND=1 runs each
fault_case under valgrind (QCC_VALGRIND: the command, default below; no memory error, no
definite or indirect leak). QCC_RADAR_BIN overrides target/debug/qcc-radar.

    python3 bindings/c/tests/fault_matrix.py --fault-case target/c/debug/build/fault_case

One line per case (`ok` / `FAILED`) as it finishes; every difference listed at the end; exit
status 1 when there was any, 2 when the matrix cannot be read.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MATRIX = ROOT / "tests" / "fault-matrix.json"
FORMAT = "qcc-radar-fault-matrix"
# Version 1 had no ledger (per-front-end bookkeeping, single operations): refused.
VERSIONS = (2,)
LANGUAGE = "c"
# Where `setup.ledger` goes: the C library keeps the folder's ledger under this name.
LEDGER_FILE = "qcc-radar-journal.json"
# The app key of a case without a sandbox (nothing checks it there).
APP_KEY = "fault-matrix-app-key"

# DESIGN.md's exit codes, written once: what the `qcc-radar` command exits with for each error
# kind (0 for success and no change). The C library returns `enum qcc_radar_status` and has no
# exit statuses of its own, so the kind it gives is checked against this table.
EXIT_STATUS: Dict[Optional[str], int] = {
    None: 0,
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
    "internal": 1,
    "cancelled": 130,
}

DEFAULT_VALGRIND = [
    "valgrind",
    "--quiet",
    "--leak-check=full",
    "--show-leak-kinds=definite,indirect,possible",
    "--errors-for-leak-kinds=definite,indirect",
    "--error-exitcode=1",
    f"--suppressions={HERE / 'valgrind.supp'}",
    "--gen-suppressions=all",
]

# Seconds a case's fault_case may take (valgrind is some 20x slower).
CASE_TIMEOUT = 120
VALGRIND_CASE_TIMEOUT = 600


class MatrixError(Exception):
    """The matrix file is not one this runner can read."""


def load_matrix(path: Path = MATRIX) -> Dict[str, Any]:
    """Reads and checks the matrix: its format and a version this runner knows."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        fmt = doc.get("format") if isinstance(doc, dict) else None
        raise MatrixError(f"{path} is not a {FORMAT} file (format {fmt!r})")
    if doc.get("version") not in VERSIONS:
        raise MatrixError(
            f"{path} is version {doc.get('version')!r} of the fault matrix; this runner "
            f"reads version(s) {', '.join(map(str, VERSIONS))}: update "
            "bindings/c/tests/fault_matrix.py to the new format first"
        )
    ids = [c.get("id") for c in doc.get("cases", [])]
    if not ids or len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
        raise MatrixError(f"{path}: the cases need unique string ids")
    bookkeeping = doc.get("bookkeeping", [])
    if not isinstance(bookkeeping, list) or not all(isinstance(n, str) for n in bookkeeping):
        raise MatrixError(f"{path}: bookkeeping must be a list of names")
    for case in doc["cases"]:
        steps = case.get("steps")
        if steps is not None and (
            not isinstance(steps, list)
            or not steps
            or not all(isinstance(st, dict) and "operation" in st for st in steps)
        ):
            raise MatrixError(f"{path}: case {case['id']}: steps must be a list of operations")
        if steps is None and "operation" not in case:
            raise MatrixError(f"{path}: case {case['id']} has neither operation nor steps")
    return doc


def steps_of(case: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The case's steps: its `steps`, or the case itself as the one step."""
    return case.get("steps") or [case]


def secret_dir() -> str:
    """A private folder for the secret file, outside any scanned folder: the leak scan points
    TMPDIR into its own folder, so TMPDIR is not used."""
    scan = os.environ.get("QCC_LEAK_SCAN_DIR")
    for base in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm", "/tmp"):
        if not base or not os.path.isdir(base) or not os.access(base, os.W_OK):
            continue
        if scan and os.path.realpath(base).startswith(os.path.realpath(scan)):
            continue
        return tempfile.mkdtemp(prefix="qcc-fm-c-key-", dir=base)
    raise RuntimeError("no writable folder for the secret key file outside the scan folder")


def secs(ms: int) -> str:
    """Milliseconds as the sandbox's SECS flags take them (fractions allowed)."""
    return repr(ms / 1000.0)


class Sandbox:
    """`qcc-radar sandbox` for one case, stopped by closing its standard input."""

    def __init__(self, spec: Dict[str, Any], key_file: str, secret: str):
        bin_path = os.environ.get("QCC_RADAR_BIN") or str(ROOT / "target" / "debug" / "qcc-radar")
        argv = [
            bin_path,
            "sandbox",
            "--scenario",
            spec["scenario"],
            "--expected-secret-key-file",
            key_file,
            "--until-stdin-closes",
            "-q",
        ]
        if spec.get("polls_until_ready") is not None:
            argv += ["--polls-until-ready", str(spec["polls_until_ready"])]
        if spec.get("slow_ready_after_ms") is not None:
            argv += ["--slow-ready-after", secs(spec["slow_ready_after_ms"])]
        if spec.get("link_ttl_ms") is not None:
            argv += ["--link-ttl", secs(spec["link_ttl_ms"])]
        if spec.get("large_bytes") is not None:
            argv += ["--large-bytes", str(spec["large_bytes"])]
        self.argv = argv
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.stderr = b""
        self._stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_reader.start()
        # Its first line holds the secret: parsed here, never written anywhere.
        first = self._first_line(60)
        try:
            info = json.loads(first)
            self.base_url: str = info["base_url"]
            self.app_key: str = info["app_key"]
            expects_ours = info["secret_key"] == secret
        except (ValueError, KeyError, TypeError):
            self.kill()
            raise RuntimeError(
                f"the sandbox printed no usable first line "
                f"({len(first)} bytes; stderr: {self.stderr_text()})"
            ) from None
        if not expects_ours:
            self.kill()
            raise RuntimeError("the sandbox does not expect the suite's secret key")

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def _first_line(self, timeout: float) -> bytes:
        got: List[bytes] = []
        reader = threading.Thread(
            target=lambda: got.append(self.proc.stdout.readline()), daemon=True
        )
        reader.start()
        reader.join(timeout)
        return got[0] if got else b""

    def record_so_far(self, timeout: float = 30) -> Tuple[Optional[Dict[str, Any]], List[str]]:
        """The sandbox's record while it keeps serving: a line on its stdin is answered by
        `{"stopped": false, "orders_placed": N, ...}` on its stdout."""
        try:
            self.proc.stdin.write(b"record\n")
            self.proc.stdin.flush()
        except OSError as e:
            return None, [f"the sandbox's stdin cannot be written ({e}): has it died?"]
        line = self._first_line(timeout)
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or record.get("stopped") is not False:
            return None, [
                f"the sandbox gave no record line within {timeout} s "
                f"({len(line)} bytes; stderr so far: {self.stderr_text()})"
            ]
        return record, []

    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace").strip()

    def stop(self) -> Tuple[Optional[Dict[str, Any]], List[str]]:
        """Closes its stdin, reads its last line (the record), waits. Returns the record and
        what went wrong stopping it."""
        bad: List[str] = []
        got: List[bytes] = []
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        reader = threading.Thread(target=lambda: got.append(self.proc.stdout.read()), daemon=True)
        reader.start()
        reader.join(30)
        if not got:
            self.kill()
            return None, ["the sandbox did not stop within 30 s of its stdin closing"]
        out = got[0]
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
        self._stderr_reader.join(5)
        if self.proc.returncode != 0:
            bad.append(f"the sandbox exited {self.proc.returncode}: {self.stderr_text()}")
        lines = [ln for ln in out.decode("utf-8", "replace").splitlines() if ln.strip()]
        record = None
        if lines:
            try:
                record = json.loads(lines[-1])
            except ValueError:
                record = None
        if not isinstance(record, dict) or record.get("stopped") is not True:
            bad.append("the sandbox wrote no record line when it stopped")
            record = None
        return record, bad

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


def names(folder: Path) -> List[str]:
    """Names directly in `folder` (none when it does not exist)."""
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []


def all_files(folder: Path) -> List[Path]:
    """Every entry under `folder` that is not a folder, recursively (symlinks not followed)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                found.append(Path(dirpath) / d)
        found += [Path(dirpath) / f for f in filenames]
    return found


def holds(data: bytes, secret: str) -> bool:
    """Whether `data` holds the secret as text or in base64 (as the leak scan looks)."""
    raw = secret.encode()
    b64 = base64.b64encode(raw).rstrip(b"=")
    return raw in data or b64 in data


class Runner:
    """Runs the matrix's cases and collects every difference."""

    def __init__(
        self,
        doc: Dict[str, Any],
        fault_case: str,
        secret: str,
        key_file: str,
        valgrind: Optional[List[str]],
    ):
        self.doc = doc
        self.defaults = doc.get("defaults", {})
        self.bookkeeping = set(doc.get("bookkeeping", []))
        self.fault_case = fault_case
        self.secret = secret
        self.key_file = key_file
        self.valgrind = valgrind
        scan = os.environ.get("QCC_LEAK_SCAN_DIR")
        self.scan_dir = Path(scan) / LANGUAGE if scan else None
        self.lock = threading.Lock()

    def case_dir(self, case_id: str) -> Tuple[Path, bool]:
        """The case's parent folder, and whether to delete it afterwards."""
        if self.scan_dir is not None:
            d = self.scan_dir / case_id
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir(parents=True)
            return d, False
        return Path(tempfile.mkdtemp(prefix=f"qcc-fm-c-{case_id}-")), True

    def argv(self, step: Dict[str, Any], base_url: str, app_key: str, out: Path) -> List[str]:
        args = step.get("args", {})
        report_type = args.get("report_type", self.defaults.get("report_type", "day"))
        argv = [
            self.fault_case,
            "--base-url",
            base_url,
            "--app-key",
            app_key,
            "--secret-key-file",
            self.key_file,
            "--poll-ms",
            str(self.defaults.get("poll_ms", 20)),
            "--wait-timeout-ms",
            str(self.defaults.get("wait_timeout_ms", 20000)),
            "--type",
            report_type,
            "--out",
            str(out),
        ]
        if args.get("timeout_ms") is not None:
            argv += ["--timeout-ms", str(args["timeout_ms"])]
        if args.get("new_order"):
            argv.append("--new-order")
        order = args.get("order_no")
        if order == "$created":
            argv.append("--order-created")
        elif order is not None:
            argv += ["--order", order]
        argv.append(step["operation"])
        return (self.valgrind or []) + argv

    def run_case(self, case: Dict[str, Any]) -> List[str]:
        """Runs one case; returns its differences (empty when it passed)."""
        case_id = case["id"]
        spec = case.get("sandbox")
        sandbox = None
        # The folder first: nothing that can fail stands between a sandbox's start and the
        # `finally` that stops it.
        parent, remove = self.case_dir(case_id)
        try:
            if spec is not None:
                try:
                    sandbox = Sandbox(spec, self.key_file, self.secret)
                except (OSError, RuntimeError) as e:
                    return [f"the sandbox did not start: {e}"]
            return self._run(case, sandbox, parent)
        finally:
            if sandbox is not None:
                sandbox.kill()
            if remove:
                shutil.rmtree(parent, ignore_errors=True)

    def _run(self, case: Dict[str, Any], sandbox: Optional[Sandbox], parent: Path) -> List[str]:
        case_id = case["id"]
        out = parent / "out"
        base_url = case.get("base_url") or (sandbox.base_url if sandbox else None)
        if base_url is None:
            return ["the case names neither a sandbox nor a base_url"]
        ledger = (case.get("setup") or {}).get("ledger")
        if ledger is not None:
            out.mkdir()
            (out / LEDGER_FILE).write_text(ledger, encoding="utf-8")
        steps = steps_of(case)
        bad: List[str] = []
        transcript: List[bytes] = []
        for n, step in enumerate(steps):
            label = f"step {n + 1}: " if len(steps) > 1 else ""
            step_bad, done = self._step(step, sandbox, base_url, parent, out, transcript)
            bad += [f"{label}{b}" for b in step_bad]
            if not done:
                break
        record, stop_bad = sandbox.stop() if sandbox else (None, [])
        bad += stop_bad
        if self.scan_dir is not None:
            (self.scan_dir / f"{case_id}.out").write_bytes(
                b"".join(transcript)
                + b"--- sandbox stderr\n"
                + (sandbox.stderr if sandbox else b"")
                + b"\n--- sandbox record\n"
                + json.dumps(record).encode()
                + b"\n"
            )
        if sandbox and holds(sandbox.stderr, self.secret):
            bad.append("the secret is in the sandbox's stderr")
        for f in all_files(parent):
            try:
                if holds(f.read_bytes(), self.secret):
                    bad.append(f"{f} holds the secret")
            except OSError:
                pass
        return bad

    def _step(
        self,
        step: Dict[str, Any],
        sandbox: Optional[Sandbox],
        base_url: str,
        parent: Path,
        out: Path,
        transcript: List[bytes],
    ) -> Tuple[List[str], bool]:
        """Runs one step's fault_case and judges it. Returns its differences and whether the
        case may go on to its next step (not after a precondition failure or a hang)."""
        argv = self.argv(step, base_url, sandbox.app_key if sandbox else APP_KEY, out)
        bad: List[str] = []
        timeout = VALGRIND_CASE_TIMEOUT if self.valgrind else CASE_TIMEOUT
        try:
            proc = subprocess.run(
                argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout
            )
            stdout, stderr, rc = proc.stdout, proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as e:
            stdout, stderr, rc = e.stdout or b"", e.stderr or b"", None
            bad.append(f"fault_case did not finish within {timeout} s")
        # The running total of orders after this step, from the same sandbox process.
        record = None
        if sandbox is not None:
            record, record_bad = sandbox.record_so_far()
            bad += record_bad
        transcript.append(
            b"$ "
            + shlex.join(argv).encode()
            + b"\n"
            + stdout
            + b"\n--- stderr\n"
            + stderr
            + b"\n--- sandbox record so far\n"
            + json.dumps(record).encode()
            + b"\n"
        )

        if holds(stdout, self.secret):
            bad.append("the secret is in what fault_case printed (an error or a result)")
        if holds(stderr, self.secret):
            bad.append("the secret is in fault_case's stderr")
        stderr_text = stderr.decode("utf-8", "replace").replace(self.secret, "<SECRET>").strip()
        if rc is not None and rc != 0:
            if self.valgrind and rc == 1:  # its report starts with what it found
                bad.append(f"valgrind found errors or leaks: {stderr_text[:4000]}")
            else:
                bad.append(f"fault_case exited {rc}: {stderr_text[-4000:]}")
        lines = stdout.decode("utf-8", "replace").splitlines()
        try:
            got = json.loads(lines[0]) if len(lines) == 1 else None
        except ValueError:
            got = None
        if not isinstance(got, dict):
            if rc is not None:
                bad.append(f"fault_case printed {len(lines)} line(s), not one JSON object")
            return bad, False
        if got.get("outcome") == "precondition":
            shown = {k: got.get(k) for k in ("status", "kind", "code", "message")}
            bad.append(f"{got.get('failed_call')} failed before the operation ran: {shown}")
            return bad, False
        bad += self.judge(step["expect"], got, record, parent, out)
        if bad and stderr_text and not (self.valgrind and rc == 1):
            bad.append(f"(fault_case's stderr: {stderr_text[-2000:]})")
        return bad, rc is not None

    def judge(
        self,
        x: Dict[str, Any],
        got: Dict[str, Any],
        record: Optional[Dict[str, Any]],
        parent: Path,
        out: Path,
    ) -> List[str]:
        """Compares fault_case's line, the sandbox's record so far and the disk with a step's
        `expect`."""
        bad: List[str] = []
        shown = {k: got.get(k) for k in ("status", "kind", "code", "message", "order_no")}
        bad += [f"the C interface broke its own rule: {p}" for p in got.get("problems", [])]
        if got.get("outcome") != x.get("outcome"):
            bad.append(f"outcome {got.get('outcome')}, expected {x.get('outcome')} ({shown})")
        kind = got.get("kind")
        if kind != x.get("kind"):
            bad.append(f"kind {kind}, expected {x.get('kind')}")
        # The returned status is the kind's number: its name must be the kind's ("ok" if none).
        if got.get("status") != (kind or "ok"):
            bad.append(f"the call returned status {got.get('status')} with kind {kind}")
        if got.get("code") != x.get("code"):
            bad.append(f"code {got.get('code')}, expected {x.get('code')}")
        if kind not in EXIT_STATUS:
            bad.append(f"kind {kind!r} is not in DESIGN.md's table of exit statuses")
        elif EXIT_STATUS[kind] != x.get("exit_status"):
            bad.append(
                f"kind {kind} maps to exit status {EXIT_STATUS[kind]}, "
                f"the matrix says {x.get('exit_status')}"
            )
        if x.get("orders_placed") is not None:
            placed = record.get("orders_placed") if record else None
            if placed != x["orders_placed"]:
                bad.append(f"{placed} orders placed, expected {x['orders_placed']}")
        if x.get("report_status") is not None and got.get("report_status") != x["report_status"]:
            bad.append(f"report status {got.get('report_status')}, expected {x['report_status']}")
        if x.get("order_no_prefix") is not None and not (got.get("order_no") or "").startswith(
            x["order_no_prefix"]
        ):
            bad.append(f"order {got.get('order_no')}, expected a {x['order_no_prefix']}… number")
        if isinstance(x.get("error_order_no"), bool):
            carried = got.get("error_order_no")
            if (carried is not None) != x["error_order_no"]:
                bad.append(
                    f"qcc_radar_error_order_no gave {carried!r}, expected "
                    f"{'an order number' if x['error_order_no'] else 'NULL'}"
                )
        if got.get("report_status") == "S" and got.get("url") is not True:
            bad.append("a made report ('S') came without its link")

        # Nothing may stand beside the out folder: an archive entry that escaped would land there.
        beside = [n for n in names(parent) if n != "out"]
        if beside:
            bad.append(f"written beside the out folder: {beside}")
        left = [n for n in names(out) if n not in self.bookkeeping]
        files = x.get("files")
        if files == "report":
            report = got.get("report")
            if not isinstance(report, dict):
                bad.append("no report returned")
                return bad
            order = report.get("order_no") or ""
            if order != got.get("order_no") or (got.get("created") and order != got["created"]):
                bad.append(
                    f"the report is order {order}, the call was about "
                    f"{got.get('created') or got.get('order_no')}"
                )
            want = sorted([f"{order}.zip", order])
            if left != want:
                bad.append(f"the out folder holds {left}, expected {want}")
            archive, folder = out / f"{order}.zip", out / order
            if (
                report.get("archive") != str(archive)
                or not archive.is_file()
                or archive.is_symlink()
            ):
                bad.append(f"archive {report.get('archive')}, expected the file {archive}")
            if report.get("folder") != str(folder) or not folder.is_dir() or folder.is_symlink():
                bad.append(f"folder {report.get('folder')}, expected the folder {folder}")
            listed = report.get("files") or []
            on_disk = all_files(folder)
            not_regular = [str(p) for p in on_disk if p.is_symlink() or not p.is_file()]
            if not_regular:
                bad.append(f"not regular files under the report folder: {not_regular}")
            if not listed or sorted(listed) != sorted(str(p) for p in on_disk):
                bad.append(f"files {listed}, on disk {sorted(str(p) for p in on_disk)}")
            if listed != sorted(listed, key=lambda p: Path(p).parts):
                bad.append(f"the files are not sorted: {listed}")
        elif files == "none" and left:
            bad.append(f"left on disk: {left}")
        return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fault-case", required=True, help="the fault_case program built against the library"
    )
    parser.add_argument("--jobs", type=int, default=0, help="cases run at once (default 4)")
    opts = parser.parse_args()
    try:
        doc = load_matrix()
    except (OSError, ValueError, MatrixError) as e:
        print(f"cannot run the fault matrix: {e}", file=sys.stderr)
        return 2
    if not os.access(opts.fault_case, os.X_OK):
        print(
            f"{opts.fault_case} is not an executable: build it with "
            "`make -C bindings/c check-fault-matrix`",
            file=sys.stderr,
        )
        return 2
    valgrind = None
    if os.environ.get("QCC_FAULT_MATRIX_VALGRIND") == "1":
        valgrind = (
            shlex.split(os.environ["QCC_VALGRIND"])
            if os.environ.get("QCC_VALGRIND")
            else DEFAULT_VALGRIND
        )
    only_text = os.environ.get("QCC_FAULT_MATRIX_ONLY", "").strip()
    only = {s.strip() for s in only_text.split(",") if s.strip()} if only_text else None
    cases = [c for c in doc["cases"] if only is None or c["id"] in only]
    if only is not None:
        unknown = only - {c["id"] for c in doc["cases"]}
        if unknown:
            print(
                f"QCC_FAULT_MATRIX_ONLY names no such case: {', '.join(sorted(unknown))}",
                file=sys.stderr,
            )
    if not cases:
        print("no case of the fault matrix selected", file=sys.stderr)
        return 2

    secret = os.environ.get("QCC_LEAK_SECRET") or f"qcc-fm-canary-{secrets.token_hex(8)}"
    key_dir = secret_dir()
    key_file = os.path.join(key_dir, "secret")
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret + "\n")
    runner = Runner(doc, os.path.abspath(opts.fault_case), secret, key_file, valgrind)
    if runner.scan_dir is not None:
        runner.scan_dir.mkdir(parents=True, exist_ok=True)
    jobs = opts.jobs or 4
    failures: List[str] = []
    how = " under valgrind" if valgrind else ""
    print(f"fault matrix (C): {len(cases)} case(s){how}, {jobs} at a time", flush=True)
    try:
        # A few at a time: the timing cases must not starve on a busy two-core machine.
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(runner.run_case, c): c["id"] for c in cases}
            for fut in concurrent.futures.as_completed(futures):
                case_id = futures[fut]
                try:
                    bad = fut.result()
                except Exception as e:  # a bug here must still list the other cases
                    bad = [f"the runner failed: {type(e).__name__}: {e}"]
                print(f"{case_id:<28} {'ok' if not bad else 'FAILED'}", flush=True)
                failures += [f"{case_id}: {b}" for b in bad]
    finally:
        shutil.rmtree(key_dir, ignore_errors=True)
    if failures:
        text = "\n".join(failures).replace(secret, "<SECRET>")
        print(
            f"{len(failures)} difference(s) from tests/fault-matrix.json:\n{text}", file=sys.stderr
        )
        return 1
    print(f"fault matrix (C): all {len(cases)} case(s) passed{how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

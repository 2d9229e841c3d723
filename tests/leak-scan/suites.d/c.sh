#!/usr/bin/env bash
# Leak-scan hook for the C library: runs its fault-matrix suite (bindings/c/tests/fault_matrix.py
# driving bindings/c/tests/fault_case.c, one call through the C ABI per case) with the scan's
# secret in the sandboxes it starts and the clients it builds, and keeps each case's folder and
# everything fault_case printed (errors, result strings, stderr) under
# $QCC_LEAK_SCAN_DIR/suites/c/ for the scan to read.
#
# fault_case prints every string it got back, and runs with QCC_RADAR_LOG=trace, so the library
# also writes the Rust client's log lines to fault_case's stderr, which the suite keeps in each
# case's .out file. The sandboxes run with -q (the `qcc-radar` command ignores QCC_RADAR_LOG):
# their first line holds the secret and is never written anywhere.
#
# It reuses what bindings/c/ci.sh built (CI runs it before the scan): make only re-stages the
# debug library (cargo build -p qcc-radar-c, incremental) and recompiles the one small C file.
#
# Run by tests/leak-scan/run.sh; alone it uses a fresh secret and target/leak-scan/suites/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
: "${QCC_LEAK_SECRET:=qcc-leak-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
: "${QCC_LEAK_SCAN_DIR:=$ROOT/target/leak-scan}"
export CARGO_TARGET_DIR="$ROOT/target"

# Not with the scan's RUST_LOG, QCC_RADAR_LOG and TMPDIR: the build is not what is scanned.
(
    unset RUST_LOG QCC_RADAR_LOG TMPDIR
    make --no-print-directory -s -C bindings/c "$ROOT/target/c/debug/build/fault_case" >/dev/null
)

mkdir -p "$QCC_LEAK_SCAN_DIR/suites"
env -u QCC_FAULT_MATRIX_ONLY -u QCC_FAULT_MATRIX_VALGRIND \
    QCC_LEAK_SECRET="$QCC_LEAK_SECRET" QCC_LEAK_SCAN_DIR="$QCC_LEAK_SCAN_DIR/suites" \
    PYTHONDONTWRITEBYTECODE=1 QCC_RADAR_LOG=trace \
    "${PYTHON:-python3}" bindings/c/tests/fault_matrix.py --fault-case "$ROOT/target/c/debug/build/fault_case"

# Not vacuous: the library did log (the case files keep fault_case's stderr).
if ! grep -rqs ' qcc_radar::client: report ordered' "$QCC_LEAK_SCAN_DIR/suites/c"; then
    echo "c.sh: no qcc_radar log line in $QCC_LEAK_SCAN_DIR/suites/c: QCC_RADAR_LOG had no effect" >&2
    exit 1
fi

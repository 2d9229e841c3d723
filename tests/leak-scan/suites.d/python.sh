#!/usr/bin/env bash
# Leak-scan hook for the Python package: runs its fault-matrix suite
# (python/tests/test_fault_matrix.py, sync and asyncio clients) with the scan's secret in the
# sandboxes it starts and the clients it builds, every `qcc_radar` log record at the lowest level
# echoed to stderr (pytest -s), and each case's folder and the log kept under
# $QCC_LEAK_SCAN_DIR/suites/python/ for the scan to read.
#
# It uses the venv python/ci.sh builds (target/python-venv), which CI has just made; only when
# the package is missing there, or older than its Rust and Python sources, does it build it
# again, exactly as python/ci.sh does (pip install ./python, dev profile, the workspace target
# dir), so cargo only rebuilds what changed.
#
# Run by tests/leak-scan/run.sh; alone it uses a fresh secret and target/leak-scan/suites/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
VENV="$ROOT/target/python-venv"
PY="${PYTHON:-python3}"
: "${QCC_LEAK_SECRET:=qcc-leak-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
: "${QCC_LEAK_SCAN_DIR:=$ROOT/target/leak-scan}"

native() {
    "$VENV/bin/python" -c 'import qcc_radar._native as n; print(n.__file__)' 2>/dev/null
}

so=$(cd "$ROOT/target" 2>/dev/null && native || true)
stale=
if [ -n "$so" ]; then
    stale=$(find bindings/python crates/qcc-radar/src crates/qcc-radar-core/src \
        crates/qcc-radar-sandbox/src python/qcc_radar python/pyproject.toml Cargo.lock \
        -type f -not -path "*/__pycache__/*" -newer "$so" -print -quit)
fi
if [ -z "$so" ] || [ -n "$stale" ]; then
    echo "python hook: building the package as python/ci.sh does (${stale:-not installed})"
    # Not with the scan's RUST_LOG=trace and TMPDIR: the build is not what is being scanned.
    (
        unset RUST_LOG TMPDIR
        export CARGO_TARGET_DIR="$ROOT/target"
        if [ ! -x "$VENV/bin/python" ]; then
            "$PY" -m venv "$VENV"
            "$VENV/bin/python" -m pip install -q --upgrade pip
        fi
        "$VENV/bin/python" -m pip install -q "maturin>=1.9,<2" pytest pytest-timeout
        MATURIN_PEP517_ARGS="--profile dev" "$VENV/bin/python" -m pip install -q "$ROOT/python"
    )
fi

# The suite keeps its folders under $QCC_LEAK_SCAN_DIR/python/: point it at suites/.
mkdir -p "$QCC_LEAK_SCAN_DIR/suites"
cd "$ROOT/target"   # so that `import qcc_radar` is the installed package, not python/
env -u QCC_FAULT_MATRIX_ONLY \
    QCC_LEAK_SECRET="$QCC_LEAK_SECRET" QCC_LEAK_SCAN_DIR="$QCC_LEAK_SCAN_DIR/suites" \
    PYTHONDONTWRITEBYTECODE=1 \
    "$VENV/bin/python" -m pytest -c "$ROOT/python/pyproject.toml" --rootdir "$ROOT/python" \
    -p no:cacheprovider -s -v "$ROOT/python/tests/test_fault_matrix.py"

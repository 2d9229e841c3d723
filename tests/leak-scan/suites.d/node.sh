#!/usr/bin/env bash
# Leak-scan hook for the npm package: runs its fault-matrix suite (node/test/fault-matrix.test.js)
# with the scan's secret in the sandboxes it starts and the clients it builds, the Rust core's
# log lines at trace on stderr (QCC_RADAR_LOG=trace, read by the addon when the suite makes its
# first Client), every `onProgress` event echoed to stderr, process warnings with their stacks,
# and each case's folder and the event log kept under $QCC_LEAK_SCAN_DIR/suites/node/ for the
# scan to read.
#
# It uses the addon node/ci.sh builds (node/qcc-radar.*.node), which CI has just made; only when
# the addon is missing, or older than its Rust sources, does it build it again, exactly as
# node/ci.sh does (npm run build:debug, the workspace target dir), so cargo only rebuilds what
# changed.
#
# Run by tests/leak-scan/run.sh; alone it uses a fresh secret and target/leak-scan/suites/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
: "${QCC_LEAK_SECRET:=qcc-leak-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}"
: "${QCC_LEAK_SCAN_DIR:=$ROOT/target/leak-scan}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "node hook: Node.js and npm are needed (node/ci.sh installs them)" >&2
    exit 1
fi

addon=$(find node -maxdepth 1 -name 'qcc-radar.*.node' -print -quit)
stale=
if [ -n "$addon" ]; then
    stale=$(find bindings/node crates/qcc-radar/src crates/qcc-radar-core/src \
        crates/qcc-radar-sandbox/src Cargo.lock -type f -newer "$addon" -print -quit)
fi
if [ -z "$addon" ] || [ -n "$stale" ] || [ ! -d node/node_modules/@napi-rs/cli ]; then
    echo "node hook: building the addon as node/ci.sh does (${stale:-${addon:-not built}})"
    # Not with the scan's RUST_LOG, QCC_RADAR_LOG and TMPDIR: the build is not what is scanned.
    (
        unset RUST_LOG QCC_RADAR_LOG TMPDIR
        export CARGO_TARGET_DIR="$ROOT/target"
        cd node
        [ -d node_modules/@napi-rs/cli ] || npm ci --no-audit --no-fund
        npm run build:debug
    )
fi

# The suite keeps its folders under $QCC_LEAK_SCAN_DIR/node/: point it at suites/.
mkdir -p "$QCC_LEAK_SCAN_DIR/suites/node"
log="$QCC_LEAK_SCAN_DIR/suites/node/suite.log"
cd "$ROOT/node"
env -u QCC_FAULT_MATRIX_ONLY -u NODE_OPTIONS \
    QCC_LEAK_SECRET="$QCC_LEAK_SECRET" QCC_LEAK_SCAN_DIR="$QCC_LEAK_SCAN_DIR/suites" \
    QCC_RADAR_LOG=trace \
    node --trace-warnings --test --test-reporter=spec test/fault-matrix.test.js 2>&1 | tee "$log"

# Not vacuous: the addon did log.
if ! grep -q ' qcc_radar::client: report ordered' "$log"; then
    echo "node hook: no qcc_radar log line in the suite's output: QCC_RADAR_LOG had no effect" >&2
    exit 1
fi

#!/usr/bin/env bash
# Runs every benchmark of issue 10 and prints one table; see bench/README.md.
#
#   bench/run.sh                 full run: release builds, 1 GiB downloads, several rounds;
#                                writes bench/RESULTS.md (about 8 minutes after the builds)
#   bench/run.sh --quick         small sizes, few rounds, debug builds (reusing CI's); writes
#                                bench/RESULTS-quick.md (gitignored); a missed target is
#                                reported but only a harness error fails it
#   options: --release (quick mode on release builds), --only download,per_call,…
#            --skip-build (use what is built), --out FILE
#
# Exit status: 0 ok · 1 a full run missed a target · 2 the harness failed.
# Everything runs on 127.0.0.1 against `qcc-radar sandbox` processes that stop when the
# harness closes their stdin; every loop and child process is bounded in time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR=never

QUICK=0 PROFILE="" ONLY="" BUILD=1 OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --release) PROFILE=release ;;
    --only) ONLY="$2"; shift ;;
    --only=*) ONLY="${1#--only=}" ;;
    --skip-build) BUILD=0 ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed -e 's/^# //' -e 's/^#$//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$PROFILE" ]; then
  if [ "$QUICK" = 1 ]; then PROFILE=dev; else PROFILE=release; fi
fi
PROFILE_DIR=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
if [ -z "$OUT" ]; then
  if [ "$QUICK" = 1 ]; then OUT="$ROOT/bench/RESULTS-quick.md"; else OUT="$ROOT/bench/RESULTS.md"; fi
fi

step() { printf '\n=== bench: %s\n' "$*" >&2; }
warn() { printf 'bench: %s\n' "$*" >&2; }

# 1,000 concurrent waits keep ~1,000 sockets open in the client and in the sandbox.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

QCC="$CARGO_TARGET_DIR/$PROFILE_DIR/qcc-radar"
BENCH_BIN="$CARGO_TARGET_DIR/$PROFILE_DIR/qcc-radar-bench"
VENV="$CARGO_TARGET_DIR/bench-venv"
NODE_ADDON="$CARGO_TARGET_DIR/bench-node/$PROFILE_DIR/qcc-radar.node"

if [ "$BUILD" = 1 ]; then
  step "cargo build --profile $PROFILE -p qcc-radar-cli"
  cargo build --locked --profile "$PROFILE" -p qcc-radar-cli

  step "cargo build --profile $PROFILE (bench/rust: the Rust load programs)"
  # Not --locked: bench/rust/Cargo.lock pins the versions, but when a workspace crate gains a
  # dependency the lock must grow with it (cargo adds only what is missing) rather than fail CI.
  cargo build --profile "$PROFILE" --manifest-path bench/rust/Cargo.toml

  # The Python and Node rows are optional: when their package cannot be built the rows say
  # "skipped: …" and the rest still runs.
  step "Python: venv with requests and the qcc_radar wheel ($PROFILE)"
  if python3 -m venv "$VENV" \
    && "$VENV/bin/python" -m pip install -q --disable-pip-version-check requests "maturin>=1.9,<2"; then
    WHEELS="$CARGO_TARGET_DIR/bench-wheels/$PROFILE_DIR"
    rm -rf "$WHEELS"
    if (cd python && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/maturin" \
          "$VENV/bin/maturin" build --quiet --profile "$PROFILE" --out "$WHEELS") \
      && "$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/*.whl; then
      :
    else
      warn "the qcc_radar wheel did not build: the Python rows will be skipped"
      "$VENV/bin/python" -m pip uninstall -q -y qcc-radar 2>/dev/null || true
    fi
    # The tables figure's baselines (full runs only; quick runs skip that figure).
    if [ "$QUICK" = 0 ] && ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check pandas python-calamine; then
      warn "pandas or python-calamine did not install: the tables figure's Python rows will be skipped"
    fi
  else
    warn "no Python venv (python3-venv missing?): the Python rows will be skipped"
  fi

  step "Node: the napi addon ($PROFILE)"
  rm -f "$NODE_ADDON"
  if command -v node >/dev/null && [ -f node/index.js ]; then
    if cargo build --locked --profile "$PROFILE" -p qcc-radar-node; then
      mkdir -p "$(dirname "$NODE_ADDON")"
      cp "$CARGO_TARGET_DIR/$PROFILE_DIR/libqcc_radar_node.so" "$NODE_ADDON"
    else
      warn "the Node addon did not build: the Node row will be skipped"
    fi
  else
    warn "node or node/index.js is missing: the Node row will be skipped"
  fi
fi

for bin in "$QCC" "$BENCH_BIN"; do
  if [ ! -x "$bin" ]; then
    echo "bench/run.sh: $bin is missing (drop --skip-build)" >&2
    exit 2
  fi
done

step "measuring$([ "$QUICK" = 1 ] && echo ' (quick)')"
args=(--root "$ROOT" --qcc "$QCC" --bench-bin "$BENCH_BIN" --profile "$PROFILE" --out "$OUT")
[ -x "$VENV/bin/python" ] && args+=(--venv-python "$VENV/bin/python")
[ -f "$NODE_ADDON" ] && args+=(--node-addon "$NODE_ADDON")
[ "$QUICK" = 1 ] && args+=(--quick)
[ -n "$ONLY" ] && args+=(--only "$ONLY")
[ "$QUICK" = 0 ] && [ -f bench/FINDINGS.md ] && args+=(--results-tail bench/FINDINGS.md)
LIMIT=$([ "$QUICK" = 1 ] && echo 900 || echo 5400)
status=0
PYTHONPATH="$ROOT/bench" timeout --foreground "$LIMIT" python3 -m harness "${args[@]}" || status=$?
if [ "$status" = 124 ]; then
  echo "bench/run.sh: the harness ran past ${LIMIT} s and was stopped" >&2
  status=2
fi
exit "$status"

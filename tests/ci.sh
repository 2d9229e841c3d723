#!/usr/bin/env bash
# CI for the reliability and security checks: the secret-leak scan, the soak (quick), and a
# short fuzz of every target. Run from the repository root after the workspace's debug build
# (the leak scan and the soak reuse it). The fault-matrix suites themselves run in the
# workspace's `cargo test`; the leak scan runs them again with its secret.
#
#   tests/ci.sh                      # about 6 minutes on two cores, most of it fuzzing
#   FUZZ_SECONDS=60 tests/ci.sh      # longer fuzz per target (default 30)
#   SKIP_FUZZ=1 tests/ci.sh          # everything but the fuzz
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
unset CARGO_TARGET_DIR
export FUZZ_SECONDS=${FUZZ_SECONDS:-30}
started=$(date +%s)
step() { echo; echo "=== $* ($(($(date +%s) - started)) s)"; }

step "tools"
# libFuzzer is C++, built by libfuzzer-sys; the leak scan needs mkfifo, od and base64.
if ! command -v c++ >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq g++ >/dev/null
    else
        echo "a C++ compiler is needed to build libFuzzer" >&2
        exit 1
    fi
fi
for tool in mkfifo od base64 cargo; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

step "format and lints of the standalone projects (fuzz, soak, leak sandbox)"
for manifest in fuzz/Cargo.toml tests/soak/Cargo.toml tests/leak-scan/sandbox/Cargo.toml; do
    cargo fmt --check --manifest-path "$manifest"
done
for manifest in tests/soak/Cargo.toml tests/leak-scan/sandbox/Cargo.toml; do
    cargo clippy --manifest-path "$manifest" --target-dir "$ROOT/target" -- -D warnings
done
bash -n fuzz/smoke.sh tests/leak-scan/run.sh tests/soak/run.sh

step "secret-leak scan"
tests/leak-scan/run.sh

step "soak (quick)"
tests/soak/run.sh --quick

if [ -z "${SKIP_FUZZ:-}" ]; then
    step "fuzz smoke (${FUZZ_SECONDS} s per target)"
    fuzz/smoke.sh
fi

step "tests/ci.sh passed"

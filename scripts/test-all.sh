#!/usr/bin/env bash
# Runs every test in every language: the one test command README.md gives.
#
# Rust first (format, lints, the whole workspace's tests, the core's purity), then each
# binding's own ci.sh, which installs what it needs, checks its generated files for drift,
# runs its suite and its README example. One shared target/ dir serves them all.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check (the workspace and the standalone projects: fuzz, soak, leak sandbox)"
cargo fmt --all -- --check
# Also checked again in tests/ci.sh; here so a format slip fails in the first minute.
for manifest in fuzz/Cargo.toml tests/soak/Cargo.toml tests/leak-scan/sandbox/Cargo.toml; do
  cargo fmt --check --manifest-path "$manifest"
done

step "cargo clippy (workspace, all targets, -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "the core stays pure: no reqwest, tokio or hyper under qcc-radar-core"
if cargo tree -p qcc-radar-core -e normal --prefix none | grep -E '^(reqwest|tokio|hyper) '; then
  echo "qcc-radar-core must not depend on an HTTP client or async runtime" >&2
  exit 1
fi

step "cargo build --workspace"
cargo build --workspace --locked

step "cargo test --workspace"
# A Rust test that embeds Python needs libpython on the loader path.
if command -v python3 >/dev/null; then
  PYLIBDIR="$(python3 -c 'import sysconfig;print(sysconfig.get_config_var("LIBDIR") or "")')"
  export LD_LIBRARY_PATH="${PYLIBDIR}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
cargo test --workspace --locked

# The suites below may skip their own Rust lint and test steps: done above for the workspace.
export QCC_WORKSPACE_CHECKED=1
for suite in crates/qcc-radar-cli/ci.sh python/ci.sh node/ci.sh bindings/c/ci.sh bindings/java/ci.sh \
  tests/install/ci.sh tests/ci.sh bench/ci.sh; do
  if [ -f "$suite" ]; then
    step "$suite"
    bash "$suite"
  fi
done

step "all suites passed"

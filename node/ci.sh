#!/usr/bin/env bash
# CI for the npm package qcc-radar (node/) and its crate (bindings/node).
# Run from the repository root (or anywhere): installs the npm dev dependencies, builds the
# addon with @napi-rs/cli, fails if the committed loader/typings drift from what the build
# generates, type-checks the typed examples, runs the behaviour suite and the shared fault matrix
# (test/fault-matrix.test.js) against the sandbox and runs the README's examples.
#
# QCC_NODE_PROFILE=release builds the optimised addon (slower to build); the default, debug,
# reuses more of the shared debug build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cd "$here"

step() { printf '\n=== node: %s\n' "$*"; }

step "toolchain"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "node: Node.js >= 20 is needed to build (found $(node --version))" >&2
  exit 1
fi
node --version
npm --version
cargo --version

step "npm ci"
npm ci --no-audit --no-fund

# scripts/test-all.sh has run the workspace's Rust tests, this crate's included.
if [ "${QCC_WORKSPACE_CHECKED:-}" != 1 ]; then
  step "cargo test -p qcc-radar-node"
  cargo test -p qcc-radar-node --manifest-path "$repo/Cargo.toml"
fi

step "build the addon (${QCC_NODE_PROFILE:-debug})"
if [ "${QCC_NODE_PROFILE:-debug}" = "release" ]; then
  npm run build
else
  npm run build:debug
fi

step "generated files match the committed ones"
if ! git -C "$repo" diff --exit-code -- node/native.js node/native.d.ts; then
  echo "node: native.js / native.d.ts drifted from the Rust crate: run 'npm run build' in node/ and commit them" >&2
  exit 1
fi

step "tsc --strict --noEmit"
npm run typecheck

step "node --test"
# CI runs every case of the fault matrix, whatever subset a developer's shell asked for.
env -u QCC_FAULT_MATRIX_ONLY npm test

step "README examples"
npm run example
node examples/tables.mjs

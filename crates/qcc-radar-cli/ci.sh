#!/usr/bin/env bash
# CI for the `qcc-radar` command: lints, its integration tests against the sandbox, the README's
# quick-start example (the demo), and a check that the README still names every subcommand.
# Run from the repository root; needs only cargo (no network beyond crates.io).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

step() { printf '\n==> qcc-radar-cli: %s\n' "$*" >&2; }

# scripts/test-all.sh has already formatted, linted and tested the whole workspace (this crate
# included) and says so; run alone, this script does it for the crate.
if [ "${QCC_WORKSPACE_CHECKED:-}" != 1 ]; then
  step "cargo fmt --check"
  cargo fmt -p qcc-radar-cli -- --check

  step "cargo clippy -D warnings"
  cargo clippy -p qcc-radar-cli --all-targets --locked -- -D warnings

  step "cargo test"
  cargo test -p qcc-radar-cli --locked
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

step "README example: qcc-radar demo"
# The workspace build has made it already when test-all.sh runs this.
[ "${QCC_WORKSPACE_CHECKED:-}" = 1 ] && [ -x "$CARGO_TARGET_DIR/debug/qcc-radar" ] || cargo build -q -p qcc-radar-cli --locked
bin="$CARGO_TARGET_DIR/debug/qcc-radar"
"$bin" demo --out "$tmp/demo" --json >"$tmp/demo.json"
cat "$tmp/demo.json"
grep -q '^{"status":"ready","order_no":"JKDAY-' "$tmp/demo.json"
ls "$tmp"/demo/JKDAY-*.zip >/dev/null
test -n "$(find "$tmp"/demo/JKDAY-*/ -type f | head -n1)"
grep -q '"state": "ready"' "$tmp/demo/qcc-radar-journal.json"
# The plain form too, as the README's quick start shows it.
"$bin" demo --out "$tmp/demo-plain" >"$tmp/demo.txt"
grep -q '^report JKDAY-.* ready$' "$tmp/demo.txt"

step "README names every subcommand"
missing=0
# A subcommand's line starts with two spaces; a wrapped description starts with more.
for sub in $("$bin" --help | awk '/^Commands:/{on=1;next} /^$/{on=0} on && /^  [a-z]/{print $1}' | grep -v '^help$'); do
  if ! grep -q "qcc-radar $sub" crates/qcc-radar-cli/README.md; then
    echo "crates/qcc-radar-cli/README.md does not describe 'qcc-radar $sub'" >&2
    missing=1
  fi
done
test "$missing" = 0

step "passed"

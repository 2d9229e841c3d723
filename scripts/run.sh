#!/usr/bin/env bash
# The main job on a fresh machine: fetch today's risk-monitoring report.
#
# With QCC_APP_KEY and QCC_SECRET_KEY set, this is `qcc-radar fetch` against QCC Pro (or
# QCC_BASE_URL). Without them it says so and runs the same flow against the embedded sandbox
# (`qcc-radar demo`), so the quick start works with no account. Extra arguments go to the
# command, e.g. `scripts/run.sh --type week --out reports`.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p qcc-radar-cli
bin="${CARGO_TARGET_DIR:-$PWD/target}/release/qcc-radar"

type=day
out=
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --type) type="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done

if [ -n "${QCC_APP_KEY:-}" ] && { [ -n "${QCC_SECRET_KEY:-}" ] || [ -n "${QCC_SECRET_KEY_FILE:-}" ]; }; then
  exec "$bin" fetch --type "$type" --out "${out:-reports}" ${rest[@]+"${rest[@]}"}
fi
# The demo's fake reports go to a folder of their own, apart from the real ones in ./reports.
echo "QCC_APP_KEY/QCC_SECRET_KEY are not set: running the whole flow against the embedded sandbox." >&2
exec "$bin" demo --type "$type" --out "${out:-qcc-radar-demo}" ${rest[@]+"${rest[@]}"}

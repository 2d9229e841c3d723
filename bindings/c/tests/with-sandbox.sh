#!/usr/bin/env bash
# with-sandbox.sh SCENARIO COMMAND [ARGS...]
#
# Starts `qcc-radar sandbox --scenario SCENARIO` ($QCC_RADAR_BIN, default target/debug/qcc-radar),
# exports the QCC_BASE_URL, QCC_APP_KEY and QCC_SECRET_KEY it prints on its first line, runs
# COMMAND with them, stops the sandbox and exits with COMMAND's status.
set -euo pipefail
scenario=$1
shift
bin=${QCC_RADAR_BIN:-target/debug/qcc-radar}
first_line=$(mktemp)
"$bin" sandbox --scenario "$scenario" >"$first_line" 2>/dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$first_line"' EXIT
for _ in $(seq 1 300); do
  if grep -q '}' "$first_line" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.1
done
line=$(head -n 1 "$first_line")
field() { sed -n "s/.*\"$1\" *: *\"\([^\"]*\)\".*/\1/p" <<<"$line"; }
QCC_BASE_URL=$(field base_url)
QCC_APP_KEY=$(field app_key)
QCC_SECRET_KEY=$(field secret_key)
if [ -z "$QCC_BASE_URL" ] || [ -z "$QCC_APP_KEY" ] || [ -z "$QCC_SECRET_KEY" ]; then
  echo "with-sandbox.sh: $bin sandbox --scenario $scenario printed no usable first line: $line" >&2
  exit 1
fi
export QCC_BASE_URL QCC_APP_KEY QCC_SECRET_KEY
"$@"

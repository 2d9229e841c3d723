#!/usr/bin/env bash
# run-example.sh BUILD_DIR
#
# Runs examples/fetch.c, built against the shared (fetch-shared) and the static (fetch-static)
# library, against sandboxes: a report lands on disk, "no change" is a success, a rejected call
# exits 3 as the qcc-radar command would; with QCC_RADAR_LOG=debug it logs on stderr. Also checks
# how each binary is linked. Then examples/tables.c (tables-shared, tables-static) against the
# `tables` scenario: every table with its columns and rows, the skipped files, the same from
# --folder, and a missing folder exiting 9.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Not `grep -q`: it may exit before ldd has written everything, and pipefail then counts ldd's
# SIGPIPE as a failure.
ldd "$build/fetch-shared" | grep 'libqcc_radar\.so\.0 => ' >/dev/null ||
  { echo "fetch-shared does not load libqcc_radar.so.0" >&2; exit 1; }
if ldd "$build/fetch-static" | grep libqcc_radar >/dev/null; then
  echo "fetch-static should not need libqcc_radar.so" >&2
  exit 1
fi

for kind in shared static; do
  exe="$build/fetch-$kind"
  out="$work/$kind"
  "$here/with-sandbox.sh" normal "$exe" day "$out" | tee "$work/log"
  grep -q '^report JKDAY-.* (day): 4 files in ' "$work/log"
  files=$(find "$out" -type f -path '*/JKDAY-*/*' | wc -l)
  [ "$files" -eq 4 ] || { echo "fetch-$kind: expected 4 extracted files, found $files" >&2; exit 1; }
  ls "$out"/JKDAY-*.zip >/dev/null

  # The README's diagnostics example: log lines on stderr, the sandbox's secret in none.
  QCC_RADAR_LOG=debug "$here/with-sandbox.sh" normal bash -c \
    '"$1" day "$2" 2>"$3" >/dev/null && ! grep -qF -- "$QCC_SECRET_KEY" "$3" ||
     { echo "$1: failed, or the secret key is in its log lines" >&2; exit 1; }' \
    _ "$exe" "$work/logged-$kind" "$work/stderr"
  grep ' INFO qcc_radar::client: report ordered order_no=JKDAY-' "$work/stderr"

  "$here/with-sandbox.sh" no_change "$exe" week "$work/none-$kind" | tee "$work/log"
  grep -q '^no risk changes: no week report' "$work/log"

  status=0
  "$here/with-sandbox.sh" quota "$exe" day "$work/quota-$kind" 2>"$work/err" || status=$?
  cat "$work/err"
  [ "$status" -eq 3 ] || { echo "fetch-$kind: quota should exit 3, got $status" >&2; exit 1; }
  grep -q 'fetch failed (quota, code 112)' "$work/err"
  echo "fetch-$kind: ok"
done

for kind in shared static; do
  exe="$build/tables-$kind"
  out="$work/tables-$kind"
  "$here/with-sandbox.sh" tables "$exe" "$out" | tee "$work/log"
  grep -qx '风险监控日报/风险明细.xlsx#司法风险' "$work/log"
  grep -q '^  columns: 序号 (l), 企业名称 (u), .*, _raw_row (u)$' "$work/log"
  [ "$(grep -c '^  rows: ' "$work/log")" -eq 6 ] || { echo "tables-$kind: expected 6 tables" >&2; exit 1; }
  grep -qx 'skipped 风险监控日报/明细/空白.csv: empty file (empty)' "$work/log"
  "$exe" --folder "$(find "$out" -mindepth 1 -maxdepth 1 -type d -name 'JKDAY-*')" >"$work/again"
  cmp "$work/again" <(grep -v '^no risk' "$work/log")
  status=0
  "$exe" --folder "$work/not-here" 2>"$work/err" || status=$?
  [ "$status" -eq 9 ] || { echo "tables-$kind: a missing folder should exit 9, got $status" >&2; exit 1; }
  grep -q 'tables failed (io)' "$work/err"
  echo "tables-$kind: ok"
done

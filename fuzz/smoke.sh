#!/usr/bin/env bash
# Replays every recorded finding, then fuzzes each target for a short while from its seeds.
#
#   fuzz/smoke.sh                      # 60 s per target
#   FUZZ_SECONDS=30 fuzz/smoke.sh      # what CI runs
#   fuzz/smoke.sh extract_zip          # only some targets
#
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_SANITIZER (none | address; default
# none: the code under test is safe Rust, and without ASan a run is about twice as fast),
# FUZZ_TARGET_DIR (default <repo>/target/fuzz; the working corpora live there too).
# cargo-fuzz needs nightly-only flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
# Exits non-zero when a target fails; the crashing input is under fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
SANITIZER=${FUZZ_SANITIZER:-none}
TARGET_DIR=${FUZZ_TARGET_DIR:-$ROOT/target/fuzz}
export RUSTC_BOOTSTRAP=1
unset CARGO_TARGET_DIR

# The extraction targets write into a scratch folder: on tmpfs when there is one.
scratch_base=/dev/shm
[ -d "$scratch_base" ] && [ -w "$scratch_base" ] || scratch_base=${TMPDIR:-/tmp}
QCC_FUZZ_SCRATCH=$(mktemp -d "$scratch_base/qcc-radar-fuzz.XXXXXX")
export QCC_FUZZ_SCRATCH
trap 'rm -rf "$QCC_FUZZ_SCRATCH"' EXIT

if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "== installing cargo-fuzz (debug build: it only drives cargo and libFuzzer)"
    cargo install cargo-fuzz --locked --debug
fi

FUZZ=(cargo fuzz)
OPTS=(--sanitizer "$SANITIZER" --target-dir "$TARGET_DIR")

if [ $# -gt 0 ]; then
    TARGETS=("$@")
else
    mapfile -t TARGETS < <("${FUZZ[@]}" list)
fi

echo "== building ${TARGETS[*]} (sanitizer: $SANITIZER)"
"${FUZZ[@]}" build "${OPTS[@]}"

summary=()
status=0
for t in "${TARGETS[@]}"; do
    if [ -d "regressions/$t" ] && [ -n "$(ls -A "regressions/$t")" ]; then
        echo "== $t: replaying $(ls "regressions/$t" | wc -l) recorded findings"
        "${FUZZ[@]}" run "${OPTS[@]}" "$t" regressions/"$t"/* -- -runs=1 >/dev/null 2>"$TARGET_DIR/$t.replay.log" || {
            cat "$TARGET_DIR/$t.replay.log" >&2
            echo "FAIL: $t: a recorded finding fails again" >&2
            status=1
            continue
        }
    fi
    corpus="$TARGET_DIR/corpus/$t"
    mkdir -p "$corpus"
    dirs=("$corpus")
    [ -d "seeds/$t" ] && dirs+=("seeds/$t")
    echo "== $t: fuzzing for ${SECONDS_PER_TARGET}s"
    log="$TARGET_DIR/$t.log"
    if "${FUZZ[@]}" run "${OPTS[@]}" "$t" "${dirs[@]}" -- \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
        grep -A30 -E "panicked|ERROR: libFuzzer|SUMMARY" "$log" | head -60 >&2 || tail -40 "$log" >&2
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    files=$(find "$corpus" -type f | wc -l)
    summary+=("$(printf '%-16s %-6s runs=%-10s exec/s=%-8s corpus=%s files' "$t" "$result" "${runs:-?}" "${rate:-?}" "$files")")
done

echo "== fuzz smoke summary (${SECONDS_PER_TARGET}s per target, sanitizer $SANITIZER)"
printf '%s\n' "${summary[@]}"
exit $status

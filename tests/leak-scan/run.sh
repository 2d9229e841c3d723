#!/usr/bin/env bash
# The secret-leak scan: run the suites and the `qcc-radar` command with a recognisable secret
# key, keep everything they print, log (at trace level) and write, and fail if the secret shows
# up anywhere in it.
#
#   tests/leak-scan/run.sh
#
# What runs, each with QCC_LEAK_SECRET (the secret) and QCC_LEAK_SCAN_DIR (where to leave output
# and files) in the environment, RUST_LOG=trace, and TMPDIR inside the scan folder:
#   1. the Rust client's fault-matrix suite   (cargo test -p qcc-radar --test fault_matrix)
#   2. the CLI's fault-matrix suite           (cargo test -p qcc-radar-cli --test fault_matrix)
#   3. the qcc-radar binary itself, -vv, against a sandbox that expects the secret
#      (tests/leak-scan/sandbox): fetch (JSON and plain, key from the environment and from
#      --secret-key-file), a resumed fetch, create, status, wait, download, sign, in the normal,
#      flaky, expired_link, clock_skew, fail, quota, bad_credentials and unsafe_archive scenarios;
#   4. qcc-radar demo (its sandbox's fixed secret is scanned for in its own output);
#   5. every executable tests/leak-scan/suites.d/*.sh (the bindings' hook; see README.md).
# Then every file under the scan folder is searched for the secret, as text and in base64.
#
# Environment: QCC_LEAK_SECRET (default: a fresh random one), QCC_LEAK_SCAN_DIR (default
# target/leak-scan; emptied first), QCC_RADAR_BIN (default target/debug/qcc-radar, built if
# missing). Exit status 0 when nothing leaked, 1 when something did or a step failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
unset CARGO_TARGET_DIR

SECRET=${QCC_LEAK_SECRET:-qcc-leak-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')}
SCAN=${QCC_LEAK_SCAN_DIR:-$ROOT/target/leak-scan}
CLI=${QCC_RADAR_BIN:-$ROOT/target/debug/qcc-radar}
case "$SECRET" in
    ????????*) ;;
    *) echo "QCC_LEAK_SECRET must be at least 8 characters, to be recognisable" >&2; exit 2 ;;
esac
rm -rf "$SCAN"
mkdir -p "$SCAN/tmp" "$SCAN/cli" "$SCAN/suites"
export QCC_LEAK_SECRET="$SECRET" QCC_LEAK_SCAN_DIR="$SCAN"
failures=()
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; failures+=("$*"); }

step "building the command and the leak sandbox"
[ -x "$CLI" ] || cargo build -p qcc-radar-cli
cargo build --manifest-path tests/leak-scan/sandbox/Cargo.toml --target-dir "$ROOT/target"
SANDBOX="$ROOT/target/debug/qcc-radar-leak-sandbox"
# Built first: the tests' compilation should not run with the scan's TMPDIR and RUST_LOG.
cargo test -p qcc-radar -p qcc-radar-cli --test fault_matrix --no-run

# From here on, every temporary file of every step lands where the scan looks.
export TMPDIR="$SCAN/tmp" RUST_LOG=trace

# 1-2. The Rust suites that honour QCC_LEAK_SECRET.
for pkg in qcc-radar qcc-radar-cli; do
    step "cargo test -p $pkg --test fault_matrix"
    if ! cargo test -p "$pkg" --test fault_matrix -- --nocapture >"$SCAN/$pkg-fault-matrix.log" 2>&1; then
        tail -30 "$SCAN/$pkg-fault-matrix.log" >&2
        fail "the $pkg fault-matrix suite failed"
    fi
done

# 3. The command against a sandbox that expects the secret.
keyfile_dir=$(mktemp -d "${XDG_RUNTIME_DIR:-/dev/shm}/qcc-leak-key.XXXXXX" 2>/dev/null || mktemp -d /tmp/qcc-leak-key.XXXXXX)
trap 'rm -rf "$keyfile_dir"' EXIT
printf '%s\n' "$SECRET" >"$keyfile_dir/secret"   # outside the scan folder: it is our input

# run NAME EXPECTED_STATUS ARGS...: runs the command, keeps its output, checks its status.
run() {
    local name=$1 want=$2
    shift 2
    local got=0
    env QCC_BASE_URL="$BASE" QCC_APP_KEY="$APP" QCC_SECRET_KEY="$SECRET" QCC_RADAR_POLL_MS=20 \
        "$CLI" "$@" >"$SCAN/cli/$name.stdout" 2>"$SCAN/cli/$name.stderr" </dev/null || got=$?
    if [ "$want" != any ] && [ "$got" != "$want" ]; then
        fail "qcc-radar $* ($name) exited $got, expected $want"
        tail -5 "$SCAN/cli/$name.stderr" >&2
    fi
}

for scenario in normal flaky expired_link clock_skew fail quota bad_credentials unsafe_archive; do
    step "qcc-radar against a $scenario sandbox"
    fifo="$SCAN/tmp/sandbox-$scenario.in"
    mkfifo "$fifo"
    "$SANDBOX" "$scenario" <"$fifo" >"$SCAN/cli/sandbox-$scenario.json" 2>"$SCAN/cli/sandbox-$scenario.stderr" &
    sandbox_pid=$!
    exec 3>"$fifo"
    for _ in $(seq 100); do
        [ -s "$SCAN/cli/sandbox-$scenario.json" ] && break
        sleep 0.05
    done
    BASE=$(sed -n 's/.*"base_url":"\([^"]*\)".*/\1/p' "$SCAN/cli/sandbox-$scenario.json")
    APP=$(sed -n 's/.*"app_key":"\([^"]*\)".*/\1/p' "$SCAN/cli/sandbox-$scenario.json")
    if [ -z "$BASE" ]; then
        fail "the $scenario sandbox did not start"
    else
        out="$SCAN/cli/$scenario-out"
        case $scenario in
            normal | flaky | expired_link | clock_skew) want=0 ;;
            fail) want=4 ;;
            quota | bad_credentials) want=3 ;;
            unsafe_archive) want=7 ;;
        esac
        run "$scenario-fetch-json" "$want" -vv fetch --type day --out "$out" --json --timeout 30
        run "$scenario-fetch-plain" "$want" -vv fetch --type week --out "$out" --timeout 30
        run "$scenario-fetch-keyfile" "$want" \
            -vv --secret-key-file "$keyfile_dir/secret" fetch --type month --out "$out" --json --timeout 30
        if [ "$scenario" = normal ]; then
            run normal-fetch-resumed 0 -vv fetch --type day --out "$out" --json
            run normal-create 0 -vv create --type day --json
            order=$(sed -n 's/.*"order_no":"\([^"]*\)".*/\1/p' "$SCAN/cli/normal-create.stdout")
            run normal-status 0 -vv status "$order" --json
            run normal-wait 0 -vv wait "$order" --json --timeout 30
            run normal-download 0 -vv download "$order" --out "$SCAN/cli/normal-download" --json
            run normal-status-unknown 3 -vv status JKDAY-404 --json
            run normal-sign 0 sign --json
        fi
    fi
    exec 3>&-
    wait "$sandbox_pid" || fail "the $scenario sandbox exited with an error"
done

# 4. The demo, whose in-process sandbox has a fixed secret: scanned for in its own output.
step "qcc-radar demo"
demo_secret=sandbox-secret-key
mkdir -p "$SCAN/demo"
for mode in --json ""; do
    # shellcheck disable=SC2086
    env -u QCC_BASE_URL -u QCC_APP_KEY -u QCC_SECRET_KEY "$CLI" -vv demo $mode --out "$SCAN/demo/out" \
        >>"$SCAN/demo/demo.stdout" 2>>"$SCAN/demo/demo.stderr" </dev/null || fail "qcc-radar demo $mode failed"
done
if grep -rlaF -- "$demo_secret" "$SCAN/demo" >/dev/null; then
    fail "the demo's sandbox secret shows in: $(grep -rlaF -- "$demo_secret" "$SCAN/demo" | tr '\n' ' ')"
fi

# 5. The bindings' suites.
for hook in tests/leak-scan/suites.d/*.sh; do
    [ -x "$hook" ] || continue
    name=$(basename "$hook" .sh)
    step "suite $name"
    mkdir -p "$SCAN/suites/$name"
    if ! "$hook" >"$SCAN/suites/$name.log" 2>&1; then
        tail -30 "$SCAN/suites/$name.log" >&2
        fail "suite $name failed"
    fi
done

# The scan itself.
step "scanning $(find "$SCAN" -type f | wc -l) files ($(du -sh "$SCAN" | cut -f1)) for the secret"
b64=$(printf '%s' "$SECRET" | base64 | tr -d '=\n')
leaks=$( { grep -rlaF -- "$SECRET" "$SCAN" || true; grep -rlaF -- "$b64" "$SCAN" || true; } | sort -u)
if [ -n "$leaks" ]; then
    echo "the secret appears in:" >&2
    while IFS= read -r f; do
        echo "  $f" >&2
        grep -naF -- "$SECRET" "$f" | head -3 | while IFS= read -r line; do
            line=${line//"$SECRET"/<SECRET>}
            echo "      ${line:0:300}" >&2
        done || true
    done <<<"$leaks"
    fail "the secret leaked into $(wc -l <<<"$leaks") file(s)"
fi

# The scan must not be vacuous: the suites ran with the secret and the command signed with it.
[ -s "$SCAN/rust-fault-matrix/trace.log" ] || fail "the Rust suite left no trace log"
ls "$SCAN/cli-fault-matrix"/*.out >/dev/null 2>&1 || fail "the CLI suite left no output"
grep -q '"status":"ready"' "$SCAN/cli/normal-fetch-json.stdout" 2>/dev/null ||
    fail "the command's fetch did not succeed with the secret, so the scan proves nothing"

if [ ${#failures[@]} -gt 0 ]; then
    echo "leak scan FAILED (${#failures[@]}):" >&2
    printf '  %s\n' "${failures[@]}" >&2
    exit 1
fi
echo "leak scan passed: the secret is in none of $(find "$SCAN" -type f | wc -l) files under $SCAN"

#!/usr/bin/env bash
# CI for the Java binding, run from the repository root after the workspace's debug build.
#
# 1. Makes sure Java 17 and Maven are there, and the `qcc-radar` binary whose `sandbox`
#    subcommand the tests run.
# 2. `mvn verify`: cargo builds the JNI library (release), the jar packages it, and the JUnit 5
#    suite runs against sandbox processes under -Xcheck:jni; any JNI misuse it reports fails CI.
#    The suite includes FaultMatrixTest, the shared fault matrix (tests/fault-matrix.json).
# 3. Runs the README's example from the packaged jar against a sandbox, twice: loading the
#    library from the jar, then from java.library.path.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# Report files have Chinese names; Java maps file names through the locale's charset.
export LC_ALL=C.UTF-8

step() { printf '\n==> java: %s\n' "$*" >&2; }

if ! command -v javac >/dev/null || ! command -v mvn >/dev/null; then
  step "installing Java 17 and Maven"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

step "the sandbox binary (qcc-radar)"
# The whole workspace, as scripts/test-all.sh builds it, so nothing is rebuilt there.
cargo build --workspace --locked --quiet
QCC_RADAR_BIN="$CARGO_TARGET_DIR/debug/qcc-radar"

step "mvn verify (cargo build --release, jar, JUnit 5 suite)"
log="$(mktemp)"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work" "$log"
}
trap cleanup EXIT

if ! mvn -B -ntp -f bindings/java/pom.xml verify \
    -Dcargo.target.dir="$CARGO_TARGET_DIR" -Dqcc.radar.bin="$QCC_RADAR_BIN" 2>&1 | tee "$log"; then
  echo "java: mvn verify failed" >&2
  exit 1
fi
# HotSpot prints -Xcheck:jni warnings on the JVM's own stdout, which Surefire files under
# *.dumpstream ("corrupted channel") rather than echoing; look in both places.
shopt -s nullglob
jvm_output=("$log" bindings/java/target/surefire-reports/*.dumpstream)
shopt -u nullglob
if grep -E "WARNING in native method|FATAL ERROR in native method|JNI local refs" "${jvm_output[@]}"; then
  echo "java: -Xcheck:jni reported JNI misuse (above)" >&2
  exit 1
fi
# The shared fault matrix (FaultMatrixTest) must have run, with no difference.
if ! grep -qE '^fault matrix \(java\): [0-9]+ case\(s\), 0 difference\(s\)$' "$log"; then
  echo "java: the fault matrix did not run clean (FaultMatrixTest's summary line is missing)" >&2
  exit 1
fi
summary="$(grep -E '^\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0' "$log" | tail -1 || true)"
if [ -z "$summary" ]; then
  echo "java: no test summary from Surefire" >&2
  exit 1
fi

step "the README example, from the packaged jar, against a sandbox"
"$QCC_RADAR_BIN" sandbox --scenario normal >"$work/sandbox.json" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/sandbox.json" ] && break
  sleep 0.1
done
first="$(head -n 1 "$work/sandbox.json")"
field() { printf '%s' "$first" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
export QCC_BASE_URL QCC_APP_KEY QCC_SECRET_KEY
QCC_BASE_URL="$(field base_url)"
QCC_APP_KEY="$(field app_key)"
QCC_SECRET_KEY="$(field secret_key)"
if [ -z "$QCC_BASE_URL" ]; then
  echo "java: the sandbox printed no base_url: $first" >&2
  exit 1
fi

jar="bindings/java/target/qcc-radar-0.1.0.jar"
cp="$jar:bindings/java/target/test-classes"
java -cp "$cp" com.qccradar.examples.FetchReportExample "$work/reports" | tee "$work/example1.txt"
grep -q "native library from resource:/native/linux-x86_64/libqcc_radar_jni.so" "$work/example1.txt"
grep -q "day report JKDAY-" "$work/example1.txt"

java -Djava.library.path="$CARGO_TARGET_DIR/release" -cp "$cp" com.qccradar.examples.FetchReportExample \
  "$work/reports2" | tee "$work/example2.txt"
grep -q "native library from java.library.path" "$work/example2.txt"
grep -q "week report JKWEEK-" "$work/example2.txt"

tests="$(printf '%s' "$summary" | sed -n 's/.*Tests run: \([0-9]*\),.*/\1/p')"
echo "java: $tests passed, 0 failed"

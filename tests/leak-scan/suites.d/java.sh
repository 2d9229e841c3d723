#!/usr/bin/env bash
# Leak-scan hook for the Java binding: runs its fault-matrix suite
# (bindings/java/src/test/java/com/qccradar/FaultMatrixTest.java) with the scan's secret.
#
# The suite reads QCC_LEAK_SECRET (the key its `qcc-radar sandbox` processes expect, through a
# 0600 file outside the scan folder, and its clients sign with) and keeps every case's folder and
# the texts the binding showed under $QCC_LEAK_SCAN_DIR/suites/java/. Surefire echoes the suite's
# output into Maven's, which goes to this hook's stdout, kept by the scan in suites/java.log.
#
# Logging: the suite's JVM runs with QCC_RADAR_LOG=trace, so the JNI library (when the suite
# builds its first client) writes the Rust client's log lines to the JVM's stderr, which Surefire
# passes on to Maven's output (the binding has no Java-side logger to turn up). The sandbox
# processes run with -q and without RUST_LOG (the `qcc-radar` command ignores QCC_RADAR_LOG);
# their stderr goes to bindings/java/target/sandbox-logs/, outside the scan, since by design their
# first stdout line quotes the key they expect.
#
# Two Maven runs: first the build (cargo build of the JNI library, javac) without the scan's
# RUST_LOG, QCC_RADAR_LOG and TMPDIR, since the build is not what is scanned; then the suite with
# them and -Dexec.skip, so no cargo runs under the scan's environment and the library just built
# is the one tested. Cheap after bindings/java/ci.sh (which scripts/test-all.sh runs before
# tests/ci.sh): Maven runs offline once a build has resolved its plugins, javac and cargo find
# nothing to rebuild (`cargo build -p qcc-radar-jni --release` is incremental), and only
# FaultMatrixTest runs.
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD

if [ -z "${QCC_LEAK_SECRET:-}" ] || [ -z "${QCC_LEAK_SCAN_DIR:-}" ]; then
    echo "java.sh is run by tests/leak-scan/run.sh, which sets QCC_LEAK_SECRET and QCC_LEAK_SCAN_DIR" >&2
    exit 2
fi
# The suite keeps its files in <dir>/java/: here, suites/java/, where the hook contract puts them.
export QCC_LEAK_SCAN_DIR="$QCC_LEAK_SCAN_DIR/suites"
mkdir -p "$QCC_LEAK_SCAN_DIR/java"
# Report files have Chinese names; Java maps file names through the locale's charset.
export LC_ALL=C.UTF-8

bin=${QCC_RADAR_BIN:-$root/target/debug/qcc-radar}
case $bin in /*) ;; *) bin=$root/$bin ;; esac

offline=()
if [ -f bindings/java/target/qcc-radar-0.1.0.jar ]; then
    offline=(-o) # a build ran here, so its plugins and dependencies are in the local repository
fi
(
    unset RUST_LOG QCC_RADAR_LOG TMPDIR
    mvn -B -ntp -q "${offline[@]}" -f bindings/java/pom.xml test-compile -Dcargo.target.dir="$root/target"
)
QCC_RADAR_LOG=trace mvn -B -ntp "${offline[@]}" -f bindings/java/pom.xml test -Dexec.skip=true \
    -Dtest=FaultMatrixTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.useFile=false -Dsurefire.redirectTestOutputToFile=false \
    -Dcargo.target.dir="$root/target" \
    -Dqcc.radar.bin="$bin" 2>&1 | tee "$QCC_LEAK_SCAN_DIR/java/maven.log"

# Not vacuous: the library did log.
if ! grep -q ' qcc_radar::client: report ordered' "$QCC_LEAK_SCAN_DIR/java/maven.log"; then
    echo "java.sh: no qcc_radar log line in the suite's output: QCC_RADAR_LOG had no effect" >&2
    exit 1
fi
# Not vacuous: the suite ran its cases and kept their folders for the scan.
cases=$(find "$QCC_LEAK_SCAN_DIR/java" -mindepth 1 -maxdepth 1 -name '*.out' | wc -l)
want=30
[ -z "${QCC_FAULT_MATRIX_ONLY:-}" ] || want=1
if [ "$cases" -lt "$want" ]; then
    echo "java.sh: the suite kept only $cases case(s) under $QCC_LEAK_SCAN_DIR/java" >&2
    exit 1
fi
echo "java.sh: $cases fault-matrix cases kept under $QCC_LEAK_SCAN_DIR/java"

#!/usr/bin/env bash
# CI for the benchmark harness: install the tools it measures with (each one optional: the
# harness falls back or reports the row as skipped), then run `bench/run.sh --quick`, which
# uses small sizes, few rounds and the debug builds CI already has. A missed speed target
# does not fail it (quick-mode numbers on a shared CI machine are not results); a harness
# error does. Run from the repository root: `bash bench/ci.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null 2>&1 || echo "bench: apt-get update failed; using what is installed" >&2
  # curl + unzip: the download baselines; time: /usr/bin/time -v for peak RSS (else wait4);
  # hyperfine: start-up (else an own loop); wrk: sandbox load (else bench/rust's generator);
  # eatmydata: a diagnostic row (the download without fsync); python3-venv: the Python rows
  # (else skipped).
  for pkg in curl unzip time hyperfine wrk eatmydata python3-venv; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1 \
        || echo "bench: $pkg is not available; the harness falls back" >&2
    fi
  done
fi

bash bench/run.sh --quick

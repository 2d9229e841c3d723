#!/usr/bin/env bash
# CI for the C library (bindings/c): run from the repository root, as root, on a fresh Debian
# machine after `cargo build --workspace` (debug).
#
#  1. installs what is missing (gcc, g++, make, cmake, pkg-config, valgrind, python3);
#  2. builds the debug and release libraries, which regenerates include/qcc_radar.h, and fails
#     when the committed header differs from the generated one;
#  3. checks that the header compiles as C99, C11 and C++11;
#  4. runs the C tests against `qcc-radar sandbox`: linked against the shared library, the
#     static library, under valgrind (release build: no definite or indirect leaks, no errors)
#     and with AddressSanitizer + LeakSanitizer (debug static build);
#  5. runs the shared fault matrix (tests/fault-matrix.json) through the C ABI: every case
#     against its own sandbox (debug shared library), then again with each case under valgrind
#     (release; about a minute on two cores);
#  6. builds examples/fetch.c and examples/tables.c against the shared and the static library through pkg-config and
#     runs both against sandboxes;
#  7. installs into a scratch prefix and builds the example from there with gcc + pkg-config
#     and with CMake, as a user would, and runs both.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

step() { printf '\n==> c: %s\n' "$*" >&2; }

step "tools"
missing=()
for tool in gcc:gcc g++:g++ make:make cmake:cmake pkg-config:pkg-config valgrind:valgrind \
  python3:python3; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" ||
    { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; }
fi

step "build: the sandbox command and the debug library (regenerates include/qcc_radar.h)"
# Touching the cbindgen config makes the build script run even when nothing else changed, so
# the header below is always the one this source generates.
touch bindings/c/cbindgen.toml
# The whole workspace, as scripts/test-all.sh builds it: the same feature set, so nothing is
# rebuilt there but this build script.
cargo build --locked --workspace
export QCC_RADAR_BIN="${QCC_RADAR_BIN:-$CARGO_TARGET_DIR/debug/qcc-radar}"

step "header drift: include/qcc_radar.h must match what cbindgen generates"
if ! git diff --exit-code -- include/qcc_radar.h; then
  echo "include/qcc_radar.h is stale: build qcc-radar-c (cargo build -p qcc-radar-c) and commit it" >&2
  exit 1
fi
if [ -n "$(git status --porcelain -- include/qcc_radar.h)" ]; then
  echo "include/qcc_radar.h is not committed" >&2
  exit 1
fi

step "build: the release library"
cargo build --locked --release -p qcc-radar-c

# The crate's Rust unit tests (the panic guard, error conversion) run in the lead's
# `cargo test --workspace`; building them again here with other feature sets would cost minutes.

make_c() { make --no-print-directory -C bindings/c "$@"; }

step "header compiles as C99, C11 and C++11"
make_c header-check

step "C tests, shared library (debug)"
make_c check
step "C tests, static library (debug)"
make_c check-static
step "C tests under valgrind (release shared library)"
make_c PROFILE=release check-valgrind
step "C tests with AddressSanitizer and LeakSanitizer (debug static library)"
make_c check-asan

step "fault matrix: every case of tests/fault-matrix.json through the C ABI (debug shared library)"
make_c check-fault-matrix
step "fault matrix with each case under valgrind (release shared library)"
make_c PROFILE=release check-fault-matrix-valgrind

step "examples: fetch.c and tables.c against the shared and the static library (release), run on sandboxes"
make_c PROFILE=release run-example

step "example: install into a scratch prefix and build from it with pkg-config"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
make_c PROFILE=release install PREFIX="$prefix"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
[ "$(pkg-config --modversion qcc_radar)" = "$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)" ]
gcc -std=c11 -Wall -Wextra -Werror -o "$prefix/fetch" bindings/c/examples/fetch.c \
  $(pkg-config --cflags --libs qcc_radar) -Wl,-rpath,"$(pkg-config --variable=libdir qcc_radar)"
bindings/c/tests/with-sandbox.sh normal "$prefix/fetch" month "$prefix/reports" | grep '^report JKMONTH-'
cmake -S bindings/c/examples -B "$prefix/cmake-build" >/dev/null
cmake --build "$prefix/cmake-build" >/dev/null
bindings/c/tests/with-sandbox.sh no_change "$prefix/cmake-build/fetch" week "$prefix/reports" |
  grep '^no risk changes: no week report'

step "c: all passed"

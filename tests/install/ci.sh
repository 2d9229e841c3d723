#!/usr/bin/env bash
# CI for the packages a user installs (issue 15): build them, then install and run them as users
# do. Run from anywhere; scripts/test-all.sh runs it after the language suites.
#
#  1. scripts/package.sh: dist/ for Linux x86_64, glibc 2.17 (wheel + sdist, npm main and
#     platform packages, jar + pom, C tarball, CLI tarball), the glibc and strip checks,
#     auditwheel;
#  2. tests/install/run.sh: each package installed as users install it, with no cargo or rustc
#     on PATH, running its README's example;
#  3. tests/install/sdist.sh: the sdist builds (with cargo) and installs in a fresh venv;
#  4. tests/install/old-glibc.sh: the command, the wheel, the C and JNI libraries and the npm
#     packages on a Debian 11 userland (glibc 2.31) in a chroot.
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

START=$SECONDS
timings=()
phase() {
  local name="$1" t0=$SECONDS
  shift
  printf '\n==> install: %s\n' "$name" >&2
  "$@"
  timings+=("$(printf '%-44s %4ss' "$name" "$((SECONDS - t0))")")
}

# Tools the tests use that a fresh Debian machine may lack (the language suites install the rest).
missing=()
for tool in cmake:cmake gcc:gcc pkg-config:pkg-config unzip:unzip objdump:binutils; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

phase "scripts/package.sh (build dist/)" bash scripts/package.sh
phase "tests/install/run.sh (as users, no cargo)" bash tests/install/run.sh
phase "tests/install/sdist.sh" bash tests/install/sdist.sh
phase "tests/install/old-glibc.sh (bullseye chroot)" bash tests/install/old-glibc.sh

printf '\ninstall suite timings:\n' >&2
printf '  %s\n' "${timings[@]}" >&2
printf '  %-44s %4ss\n' "total" "$((SECONDS - START))" >&2

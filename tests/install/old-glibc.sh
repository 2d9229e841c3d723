#!/usr/bin/env bash
# The packages on an older glibc than the build machine's: a Debian 11 (bullseye, glibc 2.31,
# Python 3.9) userland made with debootstrap from Debian's package registry, entered with
# chroot. Inside it, with nothing but the packages from dist/:
#
#   - the CLI tarball's `qcc-radar --version` and `qcc-radar demo`;
#   - the wheel, pip-installed (--no-index) into a venv of bullseye's Python 3.9 (the oldest the
#     abi3 wheel supports), running python/examples/quickstart.py against the embedded sandbox;
#   - the C package's libqcc_radar.so.0 and the jar's libqcc_radar_jni.so loaded with dlopen
#     (ctypes), which fails if any versioned glibc symbol they need is missing;
#   - the npm packages with this machine's node binary copied in, when it runs there.
#
# Glibc 2.31 is older than the 2.34 the workspace's own builds need (and what issue 15 found
# binaries failing on), but not as old as 2.17: no older Debian is on deb.debian.org (buster and
# earlier are on archive.debian.org, which CI cannot reach). 2.17 itself is checked statically
# by scripts/package.sh (the newest GLIBC_ symbol version of each binary).
#
# Needs root (debootstrap, chroot, mounting /proc). When the userland cannot be made (no root,
# no network to deb.debian.org), it says why and exits 0 unless QCC_OLD_GLIBC_REQUIRED=1; a
# package that fails inside it always fails the script. The userland is kept in
# target/install-tests/bullseye-root and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
DIST="${QCC_DIST:-$ROOT/dist}"
WORK="${CARGO_TARGET_DIR:-$ROOT/target}/install-tests"
CHROOT="${QCC_OLD_GLIBC_ROOT:-$WORK/bullseye-root}"
SUITE=bullseye
MIRROR="${QCC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
VERSION="$(bash scripts/check-versions.sh 2>/dev/null)"
TARGET=x86_64-unknown-linux-gnu

START=$SECONDS
step() { printf '\n=== old glibc [%ss]: %s\n' "$((SECONDS - START))" "$*" >&2; }
cannot() {
  echo "old glibc: NOT RUN: $*" >&2
  [ "${QCC_OLD_GLIBC_REQUIRED:-0}" != 1 ] || exit 1
  exit 0
}

[ "$(id -u)" -eq 0 ] || cannot "needs root for debootstrap and chroot"

step "a $SUITE userland (debootstrap --variant=minbase from $MIRROR)"
if [ ! -x "$CHROOT/usr/bin/python3" ] || [ ! -f "$CHROOT/.qcc-complete" ]; then
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null ||
      cannot "debootstrap could not be installed"
  fi
  rm -rf "$CHROOT"
  mkdir -p "$(dirname "$CHROOT")"
  if ! debootstrap --variant=minbase --include=python3,python3-venv,libstdc++6 \
      "$SUITE" "$CHROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 20 "$WORK/debootstrap.log" >&2
    rm -rf "$CHROOT"
    cannot "debootstrap $SUITE failed (log above)"
  fi
  touch "$CHROOT/.qcc-complete"
fi
chroot "$CHROOT" ldd --version | head -n 1
chroot "$CHROOT" python3 --version

# /proc for the programs inside; unmounted however the script ends.
mounted=""
cleanup() {
  if [ -n "$mounted" ]; then umount "$CHROOT/proc" 2>/dev/null || umount -l "$CHROOT/proc" || true; fi
}
trap cleanup EXIT
if ! mountpoint -q "$CHROOT/proc"; then
  mount -t proc proc "$CHROOT/proc" && mounted=1
fi

step "the packages into /opt/qcc"
opt="$CHROOT/opt/qcc"
rm -rf "$opt" && mkdir -p "$opt"
tar -xzf "$DIST/qcc-radar-$VERSION-$TARGET.tar.gz" -C "$opt"
tar -xzf "$DIST/qcc-radar-c-$VERSION-x86_64-linux-gnu.tar.gz" -C "$opt"
cp "$DIST"/qcc_radar-"$VERSION"-cp39-abi3-manylinux*_x86_64.whl "$ROOT/python/examples/quickstart.py" "$opt/"
mkdir -p "$opt/jar" && (cd "$opt/jar" && unzip -q "$DIST/qcc-radar-$VERSION.jar" 'native/linux-x86_64/*')

in_chroot() {
  chroot "$CHROOT" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 TMPDIR=/tmp "$@"
}

step "the command: qcc-radar --version, qcc-radar demo"
in_chroot "/opt/qcc/qcc-radar-$VERSION-$TARGET/qcc-radar" --version
in_chroot rm -rf /tmp/demo
in_chroot "/opt/qcc/qcc-radar-$VERSION-$TARGET/qcc-radar" demo --out /tmp/demo --json | tee "$WORK/old-glibc-demo.json"
grep -q '^{"status":"ready","order_no":"JKDAY-' "$WORK/old-glibc-demo.json"

step "the wheel: pip install --no-index into a Python 3.9 venv, examples/quickstart.py"
in_chroot rm -rf /opt/venv
in_chroot python3 -m venv /opt/venv
in_chroot sh -c '/opt/venv/bin/pip install -q --disable-pip-version-check --no-index /opt/qcc/qcc_radar-*.whl'
in_chroot /opt/venv/bin/python /opt/qcc/quickstart.py /tmp/py-reports | tee "$WORK/old-glibc-python.txt"
grep -q 'JKDAY-' "$WORK/old-glibc-python.txt"

step "the C and JNI libraries load (dlopen resolves every versioned symbol)"
in_chroot /opt/venv/bin/python -c '
import ctypes
c = ctypes.CDLL("/opt/qcc/qcc-radar-c-'"$VERSION"'-x86_64-linux-gnu/lib/libqcc_radar.so.0")
c.qcc_radar_version.restype = ctypes.c_char_p
print("libqcc_radar.so.0: qcc_radar_version() =", c.qcc_radar_version().decode())
j = ctypes.CDLL("/opt/qcc/jar/native/linux-x86_64/libqcc_radar_jni.so")
assert hasattr(j, "Java_com_qccradar_NativeBridge_version"), "no JNI entry point"
print("libqcc_radar_jni.so: loaded, Java_com_qccradar_NativeBridge_version present")
'

step "the npm packages, with this machine's node copied in (when it runs there)"
node_bin="$(command -v node || true)"
if [ -n "$node_bin" ] && cp "$(readlink -f "$node_bin")" "$CHROOT/usr/local/bin/node" &&
    in_chroot node --version; then
  app="$opt/node-app"
  mkdir -p "$app"
  (cd "$app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
    "$DIST/qcc-radar-$VERSION.tgz" "$DIST/qcc-radar-linux-x64-gnu-$VERSION.tgz")
  cp "$ROOT/tests/install/node/quickstart.cjs" "$app/"
  in_chroot sh -c 'cd /opt/qcc/node-app && node quickstart.cjs' | tee "$WORK/old-glibc-node.txt"
  grep -q '^report JKDAY-' "$WORK/old-glibc-node.txt"
else
  echo "(skipped: this machine's node does not run in $SUITE)" >&2
fi

step "passed on $(chroot "$CHROOT" ldd --version | head -n 1)"

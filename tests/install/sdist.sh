#!/usr/bin/env bash
# The sdist (dist/qcc_radar-<v>.tar.gz) builds and installs in a fresh venv, with cargo, the
# way `pip install qcc-radar` does on a platform without a wheel, and the package works.
#
# To keep CI fast the build uses the dev profile and the workspace's target dir, whose
# dependencies the workspace build has compiled already. So that this cannot pass on artifacts
# built from the checkout, the sdist is unpacked and its files made newer than any build before
# pip builds it: cargo recompiles every crate of the sdist from the sdist's own sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
DIST="${QCC_DIST:-$ROOT/dist}"
WORK="$CARGO_TARGET_DIR/install-tests/sdist"
VERSION="$(bash scripts/check-versions.sh 2>/dev/null)"
sdist="$DIST/qcc_radar-$VERSION.tar.gz"
[ -f "$sdist" ] || { echo "no $sdist: run scripts/package.sh first" >&2; exit 1; }

rm -rf "$WORK" && mkdir -p "$WORK/src"
tar -xzf "$sdist" -C "$WORK/src"
src="$WORK/src/qcc_radar-$VERSION"
find "$src" -type f -exec touch {} +
python3 -m venv "$WORK/venv"
MATURIN_PEP517_ARGS="--profile dev" \
  "$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check "$src"
"$WORK/venv/bin/python" -m pip show qcc-radar | sed -n '1,2p'
(cd "$WORK" && env -u QCC_APP_KEY -u QCC_SECRET_KEY -u QCC_BASE_URL \
  "$WORK/venv/bin/python" "$ROOT/python/examples/quickstart.py" "$WORK/reports")
echo "sdist: built, installed and ran the quickstart"

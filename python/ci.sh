#!/usr/bin/env bash
# CI for the Python package: build it from source into a fresh venv the way a user would
# (`pip install ./python`), check that `maturin build` makes one abi3 wheel, type-check the
# package and the examples (mypy --strict), check the hand-written stubs of the native module
# against the built module (stubtest), run the pytest suite (with pyarrow, polars and pandas
# installed for the tables tests, tqdm for the progress bars) and the examples against the
# built-in sandbox. Run from the repository root: `bash python/ci.sh`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
VENV="$ROOT/target/python-venv"
# maturin shares the workspace's target dir: CI has just built every dependency there in the
# dev profile, so only pyo3 and this crate are rebuilt with maturin's settings (seconds, where
# a separate dir rebuilds everything). Nothing after this step in CI builds pyo3 again.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PY="${PYTHON:-python3}"

START=$SECONDS
step() { printf '\n=== python [%ss]: %s\n' "$((SECONDS - START))" "$*"; }

step "venv"
if ! "$PY" -m venv --clear "$VENV" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq python3-venv
    "$PY" -m venv --clear "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "maturin>=1.9,<2" pytest pytest-timeout mypy
# For the tables tests (test_tables.py: pyarrow.table(t), polars.DataFrame(t), to_pandas()) and
# mypy's view of to_pandas(). Test tools only: the package depends on none of them.
"$VENV/bin/python" -m pip install -q pyarrow polars pandas pandas-stubs
# For test_progress.py's `progress=True` (tqdm bars); the package only imports it on request.
"$VENV/bin/python" -m pip install -q tqdm

step "pip install ./python (debug profile, to keep CI fast; with the test-suite's hooks)"
# `test-hooks` adds private natives (`_native._test_panic*`, `_native._test_log`) that the tests
# use to inject a panic and a log event; the wheel built below, like every package that ships,
# is built without them.
MATURIN_PEP517_ARGS="--profile dev --features test-hooks" "$VENV/bin/python" -m pip install -q "$ROOT/python"

step "maturin build makes exactly one abi3 wheel"
WHEELS="$CARGO_TARGET_DIR/ci-wheels"
rm -rf "$WHEELS"
(cd "$ROOT/python" && "$VENV/bin/maturin" build --profile dev --out "$WHEELS" --quiet)
mapfile -t built < <(find "$WHEELS" -name '*.whl')
if [ "${#built[@]}" -ne 1 ] || [[ "${built[0]}" != *-cp39-abi3-* ]]; then
    echo "expected one cp39-abi3 wheel, got: ${built[*]:-none}" >&2
    exit 1
fi
echo "wheel: $(basename "${built[0]}")"
"$VENV/bin/python" - "${built[0]}" <<'PYCHECK'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for needed in ("qcc_radar/__init__.py", "qcc_radar/_native.pyi", "qcc_radar/py.typed"):
    assert needed in names, f"{needed} missing from the wheel: {names}"
assert any(n.startswith("qcc_radar/_native") and n.endswith(".so") for n in names), names
PYCHECK

step "the test hooks: in the tested build, not in the wheel"
# The name of a Python function is a string in the native module's method table, so the
# feature-less wheel's library must not contain it; the installed (tested) one must.
"$VENV/bin/python" - "${built[0]}" <<'PYCHECK'
import os, sys, sysconfig, zipfile
hooks = (b"_test_panic", b"_test_log")
wheel = zipfile.ZipFile(sys.argv[1])
for name in wheel.namelist():
    if name.startswith("qcc_radar/_native") and name.endswith(".so"):
        data = wheel.read(name)
        for hook in hooks:
            assert hook not in data, f"the wheel's {name} exports the test hook {hook!r}"
site = sysconfig.get_paths()["platlib"]
native = [f for f in os.listdir(os.path.join(site, "qcc_radar")) if f.startswith("_native") and f.endswith(".so")]
assert len(native) == 1, native
with open(os.path.join(site, "qcc_radar", native[0]), "rb") as f:
    data = f.read()
for hook in hooks:
    assert hook in data, f"the installed (tested) build lacks the test hook {hook!r}"
print("test hooks: in the tested build, not in the wheel")
PYCHECK

step "rustfmt"
cargo fmt -p qcc-radar-py -- --check

step "mypy --strict (package and examples)"
(cd "$ROOT/python" && "$VENV/bin/mypy" --strict qcc_radar examples)

# From here on, run outside python/ so that `import qcc_radar` is the installed package (with
# its native module), not the source folder.
cd "$ROOT/target"

step "stubtest: qcc_radar/_native.pyi matches the built module"
"$VENV/bin/python" -m mypy.stubtest qcc_radar --allowlist "$ROOT/python/stubtest-allowlist.txt"

step "pytest"
"$VENV/bin/pytest" -c "$ROOT/python/pyproject.toml" --rootdir "$ROOT/python" -p no:cacheprovider \
    "$ROOT/python/tests"

step "examples"
rm -rf "$ROOT/target/python-examples"
env -u QCC_APP_KEY -u QCC_SECRET_KEY -u QCC_BASE_URL \
    "$VENV/bin/python" "$ROOT/python/examples/quickstart.py" "$ROOT/target/python-examples/sync"
env -u QCC_APP_KEY -u QCC_SECRET_KEY -u QCC_BASE_URL \
    "$VENV/bin/python" "$ROOT/python/examples/asyncio_fetch.py" "$ROOT/target/python-examples/async"

step "ok"

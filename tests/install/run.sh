#!/usr/bin/env bash
# Install tests: the packages in dist/ (scripts/package.sh) installed the way users install
# them, on a PATH with no cargo and no rustc, each running the README's example:
#
#   cli     the command's tarball: --version, `qcc-radar demo`, completions, man page
#   python  a fresh venv: pip install the wheel (--no-index), the README's notebook example in a
#           Jupyter kernel (nbclient; pandas and tqdm, which its cells use), examples/quickstart.py
#   node    a fresh folder: npm install the two tarballs; the quickstart as ESM
#           (node/examples/quickstart.mjs) and CommonJS (tests/install/node/quickstart.cjs)
#   java    a separate Maven project (tests/install/java) depending on com.qccradar:qcc-radar
#           from a Maven repository holding dist/'s jar and pom, with a fresh local repository;
#           the README's example against a sandbox
#   c       a CMake project (tests/install/c) with find_package(qcc_radar) from the unpacked C
#           tarball, the example linked shared and static and run against sandboxes
#           (bindings/c/tests/run-example.sh); pkg-config from the same folder
#
#   bash tests/install/run.sh [cli python node java c]     (default: all)
#
# The sandbox the Java and C examples talk to is the command from the CLI tarball. Needs Python 3
# with venv, Node/npm, Java 17/Maven, cmake, gcc, pkg-config, and PyPI, npm and Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
DIST="${QCC_DIST:-$ROOT/dist}"
WORK="${QCC_INSTALL_WORK:-${CARGO_TARGET_DIR:-$ROOT/target}/install-tests}"
VERSION="$(bash scripts/check-versions.sh 2>/dev/null)"
TARGET=x86_64-unknown-linux-gnu

START=$SECONDS
step() { printf '\n=== install [%ss]: %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { echo "install test: $*" >&2; exit 1; }

# As users install: no Rust toolchain. Drop every PATH entry holding cargo or rustc (rustup's
# ~/.cargo/bin); if one also holds the system's tools, shadow cargo and rustc with failing stubs.
no_rust_path() {
  local entry new="" stubs="$WORK/no-rust-bin"
  IFS=: read -r -a entries <<<"$PATH"
  for entry in "${entries[@]}"; do
    [ -n "$entry" ] || continue
    if [ -e "$entry/cargo" ] || [ -e "$entry/rustc" ]; then
      case "$entry" in
        /usr/bin|/bin|/usr/local/bin) ;;
        *) continue ;;
      esac
    fi
    new="${new:+$new:}$entry"
  done
  export PATH="$new"
  if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    mkdir -p "$stubs"
    for tool in cargo rustc; do
      printf '#!/bin/sh\necho "install tests: %s must not be used (users have no Rust toolchain)" >&2\nexit 127\n' \
        "$tool" >"$stubs/$tool"
      chmod +x "$stubs/$tool"
    done
    export PATH="$stubs:$PATH"
    echo "cargo/rustc live beside the system tools; shadowed by failing stubs" >&2
  fi
  unset CARGO_TARGET_DIR RUSTUP_TOOLCHAIN
  echo "PATH=$PATH" >&2
}

[ -d "$DIST" ] || die "no $DIST: run scripts/package.sh first"
mkdir -p "$WORK"
no_rust_path
if command -v cargo >/dev/null && cargo --version >/dev/null 2>&1; then die "cargo still works"; fi

# The command from the CLI tarball: the sandbox of the Java and C tests.
CLI_DIR="$WORK/cli"
unpack_cli() {
  if [ ! -x "$CLI_DIR/qcc-radar-$VERSION-$TARGET/qcc-radar" ]; then
    rm -rf "$CLI_DIR" && mkdir -p "$CLI_DIR"
    tar -xzf "$DIST/qcc-radar-$VERSION-$TARGET.tar.gz" -C "$CLI_DIR"
  fi
  export QCC_RADAR_BIN="$CLI_DIR/qcc-radar-$VERSION-$TARGET/qcc-radar"
}
# Runs "$@" with QCC_BASE_URL, QCC_APP_KEY and QCC_SECRET_KEY of a fresh `normal` sandbox.
with_sandbox() { unpack_cli; "$ROOT/bindings/c/tests/with-sandbox.sh" normal "$@"; }

test_cli() {
  step "cli: the tarball's qcc-radar --version, demo, completions, man page"
  rm -rf "$CLI_DIR"
  unpack_cli
  local dir="${QCC_RADAR_BIN%/qcc-radar}" out="$WORK/cli-demo"
  ls -l "$dir" "$dir/completions" "$dir/man/man1"
  "$QCC_RADAR_BIN" --version | tee "$WORK/cli-version.txt"
  grep -qx "qcc-radar $VERSION" "$WORK/cli-version.txt" || die "qcc-radar --version is not $VERSION"
  rm -rf "$out"
  "$QCC_RADAR_BIN" demo --out "$out" --json | tee "$WORK/cli-demo.json"
  grep -q '^{"status":"ready","order_no":"JKDAY-' "$WORK/cli-demo.json" || die "demo: no ready report"
  [ -n "$(find "$out"/JKDAY-*/ -type f | head -n1)" ] || die "demo: no extracted file"
  # Completions load in their shells (bash here; the others parse as files of their shell).
  bash -c "source '$dir/completions/qcc-radar.bash' && complete -p qcc-radar" ||
    die "the bash completion does not load"
  for f in _qcc-radar qcc-radar.fish _qcc-radar.ps1; do [ -s "$dir/completions/$f" ] || die "no $f"; done
  grep -q 'fetch' "$dir/completions/_qcc-radar" || die "the zsh completion lacks fetch"
  # The man pages: roff with the command's name and every subcommand's own page.
  head -n 3 "$dir/man/man1/qcc-radar.1"
  grep -q '^\.TH qcc-radar 1' "$dir/man/man1/qcc-radar.1" || die "qcc-radar.1 is not a man page"
  for sub in fetch create status wait download sign sandbox demo tables settings; do
    [ -s "$dir/man/man1/qcc-radar-$sub.1" ] || die "no qcc-radar-$sub.1"
  done
  if command -v man >/dev/null; then man -l "$dir/man/man1/qcc-radar.1" 2>/dev/null | head -n 5 || true; fi
}

test_python() {
  step "python: a fresh venv, pip install the wheel (no index), the README's notebook example"
  local venv="$WORK/venv" wheel
  wheel="$(ls "$DIST"/qcc_radar-"$VERSION"-cp39-abi3-manylinux*_x86_64.whl)"
  rm -rf "$venv"
  python3 -m venv "$venv" || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  }
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-index "$wheel"
  # The notebook's tools, as a notebook user has them (after the wheel, so nothing else builds it).
  "$venv/bin/python" -m pip install -q --disable-pip-version-check nbclient nbformat ipykernel pandas tqdm
  "$venv/bin/python" -m pip show qcc-radar | sed -n '1,2p'
  local site
  site="$("$venv/bin/python" -c 'import qcc_radar, os; print(os.path.dirname(qcc_radar.__file__))')"
  case "$site" in "$venv"/*) ;; *) die "qcc_radar imported from $site, not the venv" ;; esac
  local nbdir="$WORK/notebook"
  rm -rf "$nbdir"
  (cd "$WORK" && env -u QCC_APP_KEY -u QCC_SECRET_KEY -u QCC_BASE_URL \
    "$venv/bin/python" "$ROOT/tests/install/python/notebook.py" "$ROOT/python/README.md" "$nbdir")
  (cd "$WORK" && env -u QCC_APP_KEY -u QCC_SECRET_KEY -u QCC_BASE_URL \
    "$venv/bin/python" "$ROOT/python/examples/quickstart.py" "$WORK/python-quickstart")
}

test_node() {
  step "node: a fresh folder, npm install the two tarballs, the quickstart as ESM and CommonJS"
  local app="$WORK/node-app"
  rm -rf "$app" && mkdir -p "$app"
  (
    cd "$app"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --loglevel=error \
      "$DIST/qcc-radar-$VERSION.tgz" "$DIST/qcc-radar-linux-x64-gnu-$VERSION.tgz"
    ls node_modules/qcc-radar node_modules/qcc-radar-linux-x64-gnu
    if ls node_modules/qcc-radar/*.node >/dev/null 2>&1; then
      die "the main package carries an addon; it belongs in the platform package"
    fi
    cp "$ROOT/node/examples/quickstart.mjs" "$ROOT/tests/install/node/quickstart.cjs" .
    node quickstart.mjs | tee esm.txt
    node quickstart.cjs | tee cjs.txt
    grep -q '^report JKDAY-.*: 4 files in ' esm.txt || die "ESM quickstart: no report"
    grep -q '^report JKDAY-.*: 4 files in ' cjs.txt || die "CommonJS quickstart: no report"
    # The addon came from the platform package.
    node -e '
      require("qcc-radar")
      const addon = Object.keys(require.cache).find((p) => p.endsWith(".node"))
      console.log("addon:", addon)
      if (!addon || !addon.includes("/node_modules/qcc-radar-linux-x64-gnu/")) process.exit(1)
    '
  )
}

test_java() {
  step "java: a Maven project depending on com.qccradar:qcc-radar:$VERSION from a local repository"
  local repo="$WORK/maven-repo" m2="$WORK/m2" dir
  dir="$repo/com/qccradar/qcc-radar/$VERSION"
  # dist/'s jar and pom laid out as a Maven repository (as on Maven Central), checksums included.
  rm -rf "$repo" "$m2" && mkdir -p "$dir"
  cp "$DIST/qcc-radar-$VERSION.jar" "$DIST/qcc-radar-$VERSION.pom" "$dir/"
  for f in "$dir"/*; do
    sha1sum "$f" | cut -d' ' -f1 >"$f.sha1"
    md5sum "$f" | cut -d' ' -f1 >"$f.md5"
  done
  local build="$WORK/java-build"
  rm -rf "$build"
  cp -r "$ROOT/tests/install/java" "$build"
  # The project's sources are the README's example, where it lives in the checkout.
  sed -i "s|\${project.basedir}/../../../bindings|$ROOT/bindings|" "$build/pom.xml"
  mvn -B -q -ntp -f "$build/pom.xml" compile -Dmaven.repo.local="$m2" \
    -Dqcc.radar.version="$VERSION" -Dqcc.repo.url="file://$repo"
  local jar="$m2/com/qccradar/qcc-radar/$VERSION/qcc-radar-$VERSION.jar"
  cmp "$jar" "$DIST/qcc-radar-$VERSION.jar" || die "Maven resolved a jar that is not dist/'s"
  local out="$WORK/java-reports"
  rm -rf "$out"
  with_sandbox java -Dfile.encoding=UTF-8 -cp "$build/target/classes:$jar" \
    com.qccradar.examples.FetchReportExample "$out" | tee "$WORK/java.txt"
  grep -q "native library from resource:/native/linux-x86_64/libqcc_radar_jni.so" "$WORK/java.txt" ||
    die "the JNI library did not come from the jar"
  grep -q "^day report JKDAY-" "$WORK/java.txt" || die "java: no day report"
  grep -q "^week report JKWEEK-" "$WORK/java.txt" || die "java: no week report"
}

test_c() {
  step "c: find_package(qcc_radar) from the unpacked tarball, shared and static, run on sandboxes"
  local dir="$WORK/c" prefix build="$WORK/c-build"
  rm -rf "$dir" "$build" && mkdir -p "$dir"
  tar -xzf "$DIST/qcc-radar-c-$VERSION-x86_64-linux-gnu.tar.gz" -C "$dir"
  prefix="$dir/qcc-radar-c-$VERSION-x86_64-linux-gnu"
  find "$prefix" | sed "s|^$dir/||" | sort
  cmake -S "$ROOT/tests/install/c" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    | grep -E 'qcc_radar|Configuring done'
  cmake --build "$build"
  unpack_cli
  "$ROOT/bindings/c/tests/run-example.sh" "$build"
  # pkg-config from the same folder: the .pc file finds its prefix wherever it was unpacked.
  local pc="env PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config"
  [ "$($pc --modversion qcc_radar)" = "$VERSION" ] || die "pkg-config: wrong version"
  # shellcheck disable=SC2046
  gcc -std=c11 -Wall -Werror -o "$build/fetch-pc" "$ROOT/bindings/c/examples/fetch.c" \
    $($pc --cflags --libs qcc_radar) -Wl,-rpath,"$($pc --variable=libdir qcc_radar)"
  with_sandbox "$build/fetch-pc" day "$WORK/c-pc-reports" | grep '^report JKDAY-'
}

tests=("$@")
[ "${#tests[@]}" -gt 0 ] || tests=(cli python node java c)
for t in "${tests[@]}"; do
  case "$t" in
    cli|python|node|java|c) "test_$t" ;;
    *) die "unknown install test $t" ;;
  esac
done
step "passed: ${tests[*]} (version $VERSION, no cargo or rustc on PATH)"

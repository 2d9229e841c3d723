#!/usr/bin/env bash
# Builds the packages a user installs without Rust, into dist/:
#
#   qcc_radar-<v>-cp39-abi3-manylinux_2_17_x86_64*.whl, qcc_radar-<v>.tar.gz   pip install
#   qcc-radar-<v>.tgz + qcc-radar-linux-x64-gnu-<v>.tgz                         npm install
#   qcc-radar-<v>.jar (+ .pom, -sources.jar, -javadoc.jar)                      Maven
#   qcc-radar-c-<v>-x86_64-linux-gnu.tar.gz      lib/, include/, pkg-config, CMake package
#   qcc-radar-<v>-x86_64-unknown-linux-gnu.tar.gz  the command, completions, man pages
#
#   bash scripts/package.sh                      everything, for this machine (Linux x86_64)
#   bash scripts/package.sh [--target T] STEP…   some steps, for the target T (the release
#                                                workflow runs these on each platform)
#
# Steps, in the order `all` runs them: tools, versions, build (cargo and maturin, in parallel),
# wheel, sdist, npm-platform, c, cli, java-native, npm-main, jar, check. Targets:
# x86_64-unknown-linux-gnu (the default), aarch64-unknown-linux-gnu, x86_64-apple-darwin,
# aarch64-apple-darwin, x86_64-pc-windows-msvc.
#
# Linux builds link against glibc 2.17 (manylinux2014) with zig as the linker: one
# `cargo zigbuild --target <triple>.2.17` builds the command (and the example that writes its
# completions and man pages) and the C, JNI and Node libraries together, so their dependencies
# compile once; maturin builds the wheel with `--zig` beside it,
# in its own target dir so the two builds run at once. The `check` step prints the newest GLIBC_
# symbol version each shipped binary needs and fails above 2.17 (and runs auditwheel on the
# wheel). Shipped binaries carry no symbols or debug info (the release profile keeps line
# tables for the workspace's own builds; packaging builds with debug=false, strip=symbols).
#
# Everything it needs is installed into target/package-tools (a venv: maturin, ziglang,
# cargo-zigbuild, auditwheel, all pinned); cargo, Python 3, Node/npm and Java 17/Maven must be
# there. Environment: CARGO_TARGET_DIR (default target/), QCC_DIST (default dist/),
# QCC_JAVA_NATIVES (the `jar` step's libraries, <platform>/<lib>; default: this build's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR=never
DIST="${QCC_DIST:-$ROOT/dist}"
WORK="$CARGO_TARGET_DIR/package"
TOOLS="$CARGO_TARGET_DIR/package-tools"
# The tools, pinned: a new zig or maturin is taken on purpose, not by a fresh CI machine.
MATURIN_VERSION=1.16.0
ZIGLANG_VERSION=0.17.1
CARGO_ZIGBUILD_VERSION=0.24.1
AUDITWHEEL_VERSION=6.8.2
# The newest glibc a Linux binary may need (manylinux2014).
MAX_GLIBC=2.17

START=$SECONDS
step() { printf '\n=== package [%ss]: %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { echo "package.sh: $*" >&2; exit 1; }

TARGET=x86_64-unknown-linux-gnu
steps=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET="$2"; shift 2 ;;
    --target=*) TARGET="${1#--target=}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) steps+=("$1"); shift ;;
  esac
done
[ "${#steps[@]}" -gt 0 ] || steps=(all)

# Per target: the npm platform name (napi-rs), the jar's native/ folder (NativeLibrary.platform()),
# the C package's platform suffix, and how cargo names its files.
case "$TARGET" in
  x86_64-unknown-linux-gnu)  NPM=linux-x64-gnu;   JAVA=linux-x86_64;   CPLAT=x86_64-linux-gnu ;;
  aarch64-unknown-linux-gnu) NPM=linux-arm64-gnu; JAVA=linux-aarch64;  CPLAT=aarch64-linux-gnu ;;
  x86_64-apple-darwin)       NPM=darwin-x64;      JAVA=macos-x86_64;   CPLAT=x86_64-apple-darwin ;;
  aarch64-apple-darwin)      NPM=darwin-arm64;    JAVA=macos-aarch64;  CPLAT=aarch64-apple-darwin ;;
  x86_64-pc-windows-msvc)    NPM=win32-x64-msvc;  JAVA=windows-x86_64; CPLAT=x86_64-pc-windows-msvc ;;
  *) die "unsupported target $TARGET" ;;
esac
case "$TARGET" in
  *-linux-gnu) OS=linux; DLL_PRE=lib; DLL_EXT=so; EXE=""; ARCHIVE=tar.gz ;;
  *-apple-darwin) OS=macos; DLL_PRE=lib; DLL_EXT=dylib; EXE=""; ARCHIVE=tar.gz ;;
  *-windows-msvc) OS=windows; DLL_PRE=""; DLL_EXT=dll; EXE=.exe; ARCHIVE=zip ;;
esac
OUT="$CARGO_TARGET_DIR/$TARGET/release"

# Packaging builds: no debug info, no symbols (the `release` profile keeps line tables for the
# workspace's benchmarks and backtraces). As environment, so cargo, cargo-zigbuild and maturin
# all take it. On macOS, the oldest versions the packages support.
export CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_STRIP=symbols
if [ "$OS" = macos ]; then
  case "$TARGET" in
    x86_64-*) export MACOSX_DEPLOYMENT_TARGET=10.12 ;;
    *) export MACOSX_DEPLOYMENT_TARGET=11.0 ;;
  esac
fi

if [ "$OS" = windows ]; then VENV_BIN="$TOOLS/Scripts"; else VENV_BIN="$TOOLS/bin"; fi
export PATH="$VENV_BIN:$PATH"
PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null || PY=python

# Fails here, before any build, when a package's version disagrees with the workspace's.
VERSION="$(bash scripts/check-versions.sh)"
version() { echo "$VERSION"; }

# ---------------------------------------------------------------------------------------------
step_tools() {
  step "tools: a venv with maturin $MATURIN_VERSION$([ "$OS" = linux ] && echo ", ziglang $ZIGLANG_VERSION, cargo-zigbuild $CARGO_ZIGBUILD_VERSION, auditwheel $AUDITWHEEL_VERSION")"
  command -v cargo >/dev/null || die "cargo is needed to build the packages"
  if [ ! -x "$VENV_BIN/python" ] && [ ! -x "$VENV_BIN/python.exe" ]; then
    if ! "$PY" -m venv "$TOOLS" 2>/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$TOOLS" && "$PY" -m venv "$TOOLS"
    fi
  fi
  local want=("maturin==$MATURIN_VERSION")
  if [ "$OS" = linux ]; then
    want+=("ziglang==$ZIGLANG_VERSION" "cargo-zigbuild==$CARGO_ZIGBUILD_VERSION" "auditwheel==$AUDITWHEEL_VERSION")
  fi
  "$VENV_BIN/python" -m pip install -q --disable-pip-version-check "${want[@]}"
  if [ "$OS" = linux ]; then
    # cargo-zigbuild looks for `zig`, then for `python3 -m ziglang`: the venv's.
    if ! command -v objdump >/dev/null || ! command -v strip >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
    fi
    cargo-zigbuild --version
  fi
  maturin --version
}

step_versions() {
  step "one version everywhere (scripts/check-versions.sh, run at the start): $VERSION"
}

# The command and the C, JNI and Node libraries in one cargo invocation (one feature resolution,
# dependencies compiled once), and the wheel with maturin at the same time.
cargo_build() {
  # With the command's example that writes its completions and man pages (run by step_cli).
  local crates=(-p qcc-radar-cli -p qcc-radar-c -p qcc-radar-jni -p qcc-radar-node
    --lib --bins --example cli-assets)
  if [ "$OS" = linux ]; then
    cargo zigbuild --release --locked --target "$TARGET.$MAX_GLIBC" "${crates[@]}"
  else
    cargo build --release --locked --target "$TARGET" "${crates[@]}"
  fi
}
maturin_build() {
  local args=(build --release --locked --strip --target "$TARGET" --out "$WORK/wheel"
    --target-dir "$CARGO_TARGET_DIR/maturin")
  [ "$OS" = linux ] && args+=(--zig --compatibility manylinux2014)
  (cd python && maturin "${args[@]}")
}
step_build() {
  step "build: cargo ${OS/linux/zigbuild} --release --target $TARGET (command, C, JNI, Node) and maturin (wheel), in parallel"
  mkdir -p "$WORK"
  rm -rf "$WORK/wheel"
  local t0=$SECONDS
  maturin_build >"$WORK/maturin.log" 2>&1 &
  local maturin_pid=$!
  local cargo_status=0 maturin_status=0
  cargo_build || cargo_status=$?
  echo "cargo: ${cargo_status}, $((SECONDS - t0)) s" >&2
  wait "$maturin_pid" || maturin_status=$?
  echo "maturin: ${maturin_status}, $((SECONDS - t0)) s (log: $WORK/maturin.log)" >&2
  if [ "$maturin_status" -ne 0 ]; then tail -n 40 "$WORK/maturin.log" >&2; fi
  [ "$cargo_status" -eq 0 ] && [ "$maturin_status" -eq 0 ] || die "build failed"
}

step_wheel() {
  step "wheel"
  mkdir -p "$DIST"
  local wheels=("$WORK"/wheel/*.whl)
  [ "${#wheels[@]}" -eq 1 ] && [ -f "${wheels[0]}" ] || die "expected one wheel in $WORK/wheel"
  case "$(basename "${wheels[0]}")" in
    qcc_radar-"$VERSION"-cp39-abi3-*) ;;
    *) die "unexpected wheel name $(basename "${wheels[0]}")" ;;
  esac
  cp -f "${wheels[0]}" "$DIST/"
  echo "$DIST/$(basename "${wheels[0]}")" >&2
}

step_sdist() {
  step "sdist"
  mkdir -p "$DIST"
  rm -f "$DIST"/qcc_radar-*.tar.gz
  (cd python && maturin sdist --out "$DIST")
  local sdist="$DIST/qcc_radar-$VERSION.tar.gz"
  [ -f "$sdist" ] || die "maturin sdist made no $sdist"
  # What pip needs to build it: the crates, the lockfile, the Python sources and the licence.
  local listing
  listing="$(tar -tzf "$sdist")"
  for needed in Cargo.lock crates/qcc-radar/Cargo.toml crates/qcc-radar-core/Cargo.toml \
      crates/qcc-radar-sandbox/Cargo.toml bindings/python/Cargo.toml qcc_radar/__init__.py \
      qcc_radar/py.typed pyproject.toml PKG-INFO; do
    grep -q "^qcc_radar-$VERSION/$needed$" <<<"$listing" || die "the sdist lacks $needed"
  done
}

strip_static() {
  case "$OS" in
    linux) strip --strip-debug "$1" ;;
    macos) strip -S "$1" ;;
  esac
}

# Creates $2 (.tar.gz or .zip) holding the folder $1 (its parent is the archive's root).
pack_folder() {
  local dir="$1" archive="$2"
  rm -f "$archive"
  if [ "$ARCHIVE" = zip ]; then
    (cd "$(dirname "$dir")" && "$VENV_BIN/python" -m zipfile -c "$archive" "$(basename "$dir")")
  else
    tar -C "$(dirname "$dir")" -czf "$archive" --owner=0 --group=0 "$(basename "$dir")" 2>/dev/null ||
      tar -C "$(dirname "$dir")" -czf "$archive" "$(basename "$dir")"
  fi
}

step_npm_platform() {
  step "npm platform package qcc-radar-$NPM"
  mkdir -p "$DIST"
  local stage="$WORK/npm/$NPM"
  rm -rf "$stage" && mkdir -p "$stage"
  cp node/npm/"$NPM"/package.json node/npm/"$NPM"/README.md LICENSE "$stage/"
  cp "$OUT/${DLL_PRE}qcc_radar_node.$DLL_EXT" "$stage/qcc-radar.$NPM.node"
  (cd "$stage" && npm pack --silent --pack-destination "$DIST" >/dev/null)
  ls -l "$DIST/qcc-radar-$NPM-$VERSION.tgz" >&2
}

step_npm_main() {
  step "npm main package qcc-radar (optionalDependencies: one platform package per napi target)"
  mkdir -p "$DIST"
  local stage="$WORK/npm/qcc-radar"
  rm -rf "$stage" && mkdir -p "$stage"
  # The files the package lists, without any locally built addon (those ship per platform).
  (cd node && node -e '
    const pkg = require("./package.json")
    for (const f of pkg.files) if (!f.includes("*")) console.log(f)
  ') | while read -r f; do cp "node/$f" "$stage/"; done
  cp node/README.md LICENSE CHANGELOG.md "$stage/"
  # package.json as published: the platform packages as optionalDependencies (napi-rs: npm
  # installs the one whose os/cpu/libc match), no dev tooling or build scripts.
  node - "$stage/package.json" <<'JS'
const fs = require('fs')
const pkg = require('./node/package.json')
const triples = {
  'x86_64-unknown-linux-gnu': 'linux-x64-gnu', 'aarch64-unknown-linux-gnu': 'linux-arm64-gnu',
  'x86_64-apple-darwin': 'darwin-x64', 'aarch64-apple-darwin': 'darwin-arm64',
  'x86_64-pc-windows-msvc': 'win32-x64-msvc',
}
const optional = {}
for (const t of pkg.napi.targets) {
  const platform = triples[t]
  if (!platform) throw new Error(`no npm platform name for napi target ${t}`)
  const sub = require(`./node/npm/${platform}/package.json`)
  if (sub.version !== pkg.version) throw new Error(`${sub.name} ${sub.version} != ${pkg.version}`)
  optional[sub.name] = pkg.version
}
const out = { ...pkg, files: [...pkg.files.filter((f) => !f.endsWith('.node')), 'CHANGELOG.md'], optionalDependencies: optional }
delete out.devDependencies
delete out.scripts
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + '\n')
JS
  (cd "$stage" && npm pack --silent --pack-destination "$DIST" >/dev/null)
  ls -l "$DIST/qcc-radar-$VERSION.tgz" >&2
}

step_c() {
  local name="qcc-radar-c-$VERSION-$CPLAT"
  step "C package $name.$ARCHIVE"
  mkdir -p "$DIST"
  local stage="$WORK/c/$name"
  rm -rf "$stage" && mkdir -p "$stage/lib/pkgconfig" "$stage/lib/cmake/qcc_radar" "$stage/include"
  cp include/qcc_radar.h "$stage/include/"
  cp LICENSE CHANGELOG.md "$stage/"
  cp bindings/c/README.md "$stage/README.md"
  local libs_private
  case "$OS" in
    linux)
      cp "$OUT/libqcc_radar_c.so" "$stage/lib/libqcc_radar.so.0"
      ln -s libqcc_radar.so.0 "$stage/lib/libqcc_radar.so"
      cp "$OUT/libqcc_radar_c.a" "$stage/lib/libqcc_radar.a"
      libs_private="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc" ;;
    macos)
      cp "$OUT/libqcc_radar_c.dylib" "$stage/lib/libqcc_radar.0.dylib"
      install_name_tool -id @rpath/libqcc_radar.0.dylib "$stage/lib/libqcc_radar.0.dylib"
      ln -s libqcc_radar.0.dylib "$stage/lib/libqcc_radar.dylib"
      cp "$OUT/libqcc_radar_c.a" "$stage/lib/libqcc_radar.a"
      libs_private="-framework Security -framework CoreFoundation -framework SystemConfiguration -liconv -lm" ;;
    windows)
      mkdir -p "$stage/bin"
      cp "$OUT/qcc_radar_c.dll" "$stage/bin/"
      cp "$OUT/qcc_radar_c.dll.lib" "$stage/lib/qcc_radar.lib"
      cp "$OUT/qcc_radar_c.lib" "$stage/lib/qcc_radar_static.lib"
      libs_private="" ;;
  esac
  [ "$OS" = windows ] || strip_static "$stage/lib/libqcc_radar.a"
  # Relocatable: pkg-config finds the prefix from the .pc file's own folder.
  sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e "s|@VERSION@|$VERSION|" -e "s|@LIBS_PRIVATE@|$libs_private|" \
    bindings/c/qcc_radar.pc.in >"$stage/lib/pkgconfig/qcc_radar.pc"
  for f in qcc_radarConfig.cmake qcc_radarConfigVersion.cmake; do
    sed -e "s|@VERSION@|$VERSION|g" "bindings/c/cmake/$f.in" >"$stage/lib/cmake/qcc_radar/$f"
  done
  pack_folder "$stage" "$DIST/$name.$ARCHIVE"
  ls -l "$DIST/$name.$ARCHIVE" >&2
}

step_cli() {
  local name="qcc-radar-$VERSION-$TARGET"
  step "command $name.$ARCHIVE (binary, completions, man pages)"
  mkdir -p "$DIST"
  local stage="$WORK/cli/$name"
  rm -rf "$stage" && mkdir -p "$stage"
  cp "$OUT/qcc-radar$EXE" "$stage/"
  cp LICENSE CHANGELOG.md "$stage/"
  cp crates/qcc-radar-cli/README.md "$stage/README.md"
  # Generated from the binary's own clap definition (built with it; runs on the build machine).
  "$OUT/examples/cli-assets$EXE" "$stage" >/dev/null
  pack_folder "$stage" "$DIST/$name.$ARCHIVE"
  ls -l "$DIST/$name.$ARCHIVE" >&2
}

# The JNI library, where the jar step (here, or the release workflow's assembly) takes it from.
step_java_native() {
  step "JNI library for native/$JAVA/"
  local dir="$WORK/java-natives/$JAVA"
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$OUT/${DLL_PRE}qcc_radar_jni.$DLL_EXT" "$dir/"
  ls -l "$dir" >&2
}

step_jar() {
  local natives="${QCC_JAVA_NATIVES:-$WORK/java-natives}"
  # Absolute: Maven resolves a relative resource folder against bindings/java.
  [ -d "$natives" ] || die "no folder $natives (QCC_JAVA_NATIVES)"
  natives="$(cd "$natives" && pwd)"
  step "jar with native/{$(cd "$natives" && ls | paste -sd, -)} (mvn package -Prelease, no cargo)"
  mkdir -p "$DIST"
  [ -n "$(find "$natives" -type f 2>/dev/null)" ] || die "no JNI library under $natives"
  # In its own build folder: bindings/java/target stays the test runs'.
  local build="$WORK/java-build" v
  v="$VERSION"
  rm -rf "$build"
  mvn -B -q -ntp -f bindings/java/pom.xml package -Prelease -DskipTests \
    -Dqcc.cargo.skip=true -Dqcc.natives.dir="$natives" -Dqcc.build.dir="$build"
  for f in "qcc-radar-$v.jar" "qcc-radar-$v-sources.jar" "qcc-radar-$v-javadoc.jar"; do
    cp -f "$build/$f" "$DIST/"
  done
  cp -f bindings/java/pom.xml "$DIST/qcc-radar-$v.pom"
  # The jar must hold every library handed over, and no other.
  local want got
  want="$(cd "$natives" && find . -type f | sed 's|^\./|native/|' | sort)"
  got="$(unzip -Z1 "$DIST/qcc-radar-$v.jar" | grep '^native/.*[^/]$' | sort)"
  [ "$want" = "$got" ] || die "the jar's native/ holds [$got], expected [$want]"
  printf 'jar natives: %s\n' $got >&2
  # Test-only hooks (cargo feature test-hooks of qcc-radar-jni) must not ship.
  local f
  for f in $(cd "$natives" && find . -type f); do
    if grep -aq 'NativeBridge_panicForTest' "$natives/$f"; then
      die "$f was built with the test hooks (cargo feature test-hooks)"
    fi
  done
}

# The newest GLIBC_ symbol version an ELF file needs (empty for none).
glibc_of() { objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1; }

step_check() {
  step "check: glibc symbol versions, sizes"
  [ "$OS" = linux ] || { echo "(glibc check: Linux only)" >&2; return 0; }
  local v bad=0 tmp
  v="$VERSION"
  tmp="$(mktemp -d)"
  # Every shipped ELF, from the packages themselves.
  tar -xzf "$DIST/qcc-radar-$v-$TARGET.tar.gz" -C "$tmp"
  tar -xzf "$DIST/qcc-radar-c-$v-$CPLAT.tar.gz" -C "$tmp"
  mkdir -p "$tmp/npm" "$tmp/wheel" "$tmp/jar"
  tar -xzf "$DIST/qcc-radar-$NPM-$v.tgz" -C "$tmp/npm"
  (cd "$tmp/wheel" && unzip -q "$DIST"/qcc_radar-"$v"-*.whl)
  [ -f "$DIST/qcc-radar-$v.jar" ] && (cd "$tmp/jar" && unzip -q "$DIST/qcc-radar-$v.jar" 'native/linux-*')
  local files=()
  mapfile -t files < <(find "$tmp" -type f \( -name 'qcc-radar' -o -name '*.so*' -o -name '*.node' \) | sort)
  [ "${#files[@]}" -ge 5 ] || die "expected at least 5 shipped binaries, found ${#files[@]}"
  for f in "${files[@]}"; do
    local g stripped=yes
    g="$(glibc_of "$f")"
    if readelf -S "$f" | grep -qE ' \.(symtab|debug_[a-z]+) '; then stripped=NO; fi
    printf '%-62s GLIBC_%-6s stripped=%-3s %9d bytes\n' "${f#"$tmp"/}" "${g:-none}" "$stripped" "$(stat -c %s "$f")"
    if [ -n "$g" ] && [ "$(printf '%s\n%s\n' "$g" "$MAX_GLIBC" | sort -V | tail -1)" != "$MAX_GLIBC" ]; then
      echo "  ^ needs glibc $g, more than $MAX_GLIBC" >&2
      bad=1
    fi
    [ "$stripped" = yes ] || { echo "  ^ not stripped" >&2; bad=1; }
  done
  rm -rf "$tmp"
  step "auditwheel show"
  auditwheel show "$DIST"/qcc_radar-"$v"-*.whl | tee "$WORK/auditwheel.txt"
  grep -q "\"manylinux_2_17_${TARGET%%-*}\"" "$WORK/auditwheel.txt" || { echo "auditwheel: not manylinux_2_17" >&2; bad=1; }
  [ "$bad" = 0 ] || die "a shipped binary needs a newer glibc than $MAX_GLIBC or is not stripped"
  step "dist/"
  (cd "$DIST" && ls -l | sed 1d)
}

run_step() {
  case "$1" in
    tools) step_tools ;;
    versions) step_versions ;;
    build) step_build ;;
    wheel) step_wheel ;;
    sdist) step_sdist ;;
    npm-platform) step_npm_platform ;;
    npm-main) step_npm_main ;;
    c) step_c ;;
    cli) step_cli ;;
    java-native) step_java_native ;;
    jar) step_jar ;;
    check) step_check ;;
    all)
      [ "$TARGET" = x86_64-unknown-linux-gnu ] || die "'all' is for x86_64 Linux; name the steps"
      rm -rf "$DIST"
      for s in tools versions build wheel sdist npm-platform c cli java-native npm-main jar check; do
        run_step "$s"
      done ;;
    *) die "unknown step $1" ;;
  esac
}
for s in "${steps[@]}"; do run_step "$s"; done
step "done ($TARGET, version $VERSION)"

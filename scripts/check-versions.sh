#!/usr/bin/env bash
# Fails when any package's version differs from the workspace's, the one version of qcc-radar.
#
#   bash scripts/check-versions.sh          prints the version on stdout, the checks on stderr
#
# The version lives in Cargo.toml ([workspace.package] version). The Rust crates inherit it
# (version.workspace = true) and the wheel takes it from them (pyproject.toml's version is
# dynamic, filled in by maturin); everything else spells it out and is checked here: the path
# dependencies' version requirements, Cargo.lock, node/package.json and its lockfile, the npm
# platform packages (node/npm/*), the version node/native.js checks its platform package
# against, bindings/java/pom.xml, and a CHANGELOG.md section. scripts/package.sh runs this first.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3, or python where only that exists (the Windows runners of the release workflow).
py_bin="${PYTHON:-python3}"
command -v "$py_bin" >/dev/null || py_bin=python
exec "$py_bin" - "$@" <<'PY'
import json, pathlib, re, sys
try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: a minimal reader is enough for the lines we need
    tomllib = None

root = pathlib.Path(".")
errors = []

def read(p):
    return (root / p).read_text(encoding="utf-8")

def toml(p):
    if tomllib is None:
        sys.exit("check-versions.sh needs Python 3.11+ (tomllib)")
    return tomllib.loads(read(p))

ws = toml("Cargo.toml")
version = ws["workspace"]["package"]["version"]
if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
    errors.append(f"Cargo.toml: workspace version {version!r} is not MAJOR.MINOR.PATCH[-PRE]")

def check(where, found):
    if found != version:
        errors.append(f"{where}: {found!r}, but the workspace's version is {version!r}")

# Rust: every member inherits the version; path dependencies on the workspace's crates ask
# for exactly this version (a publish would otherwise resolve another one).
ours = {"qcc-radar-core", "qcc-radar", "qcc-radar-sandbox"}
for name, dep in ws["workspace"].get("dependencies", {}).items():
    if name in ours and isinstance(dep, dict):
        check(f"Cargo.toml [workspace.dependencies] {name}", dep.get("version"))
for member in ws["workspace"]["members"]:
    manifest = f"{member}/Cargo.toml"
    pkg = toml(manifest)
    v = pkg["package"].get("version")
    if v != {"workspace": True}:
        errors.append(f"{manifest}: version must be `version.workspace = true`, found {v!r}")
    for table in ("dependencies", "dev-dependencies", "build-dependencies"):
        for name, dep in pkg.get(table, {}).items():
            if name in ours and isinstance(dep, dict) and "version" in dep:
                check(f"{manifest} [{table}] {name}", dep["version"])
lock = toml("Cargo.lock")
members = {toml(f"{m}/Cargo.toml")["package"]["name"] for m in ws["workspace"]["members"]}
for p in lock["package"]:
    if p["name"] in members and "source" not in p:
        check(f"Cargo.lock {p['name']}", p["version"])

# Python: the wheel's version is the crate's (maturin), so pyproject.toml must not pin one.
py = toml("python/pyproject.toml")["project"]
if "version" in py:
    check("python/pyproject.toml [project] version", py["version"])
elif "version" not in py.get("dynamic", []):
    errors.append('python/pyproject.toml: [project] needs version or dynamic = ["version"]')

# Node: the main package, its lockfile, the platform packages, the loader's version check.
pkg = json.loads(read("node/package.json"))
check("node/package.json version", pkg["version"])
lockfile = json.loads(read("node/package-lock.json"))
check("node/package-lock.json version", lockfile.get("version"))
check('node/package-lock.json packages[""].version', lockfile["packages"][""].get("version"))
for dep, want in pkg.get("optionalDependencies", {}).items():
    check(f"node/package.json optionalDependencies {dep}", want)
platform_dirs = sorted((root / "node/npm").glob("*/package.json"))
if not platform_dirs:
    errors.append("node/npm/*/package.json: no npm platform package")
for p in platform_dirs:
    sub = json.loads(p.read_text(encoding="utf-8"))
    check(f"{p} version", sub["version"])
    want_name = f"{pkg['name']}-{p.parent.name}"
    if sub["name"] != want_name:
        errors.append(f"{p}: name {sub['name']!r}, expected {want_name!r}")
native = read("node/native.js")
for found in sorted(set(re.findall(r"bindingPackageVersion !== '([^']*)'", native))):
    check("node/native.js (the platform package version it expects; regenerate with npm run build)", found)

# Java: the project's own <version>, the first one after its <artifactId>.
pom = read("bindings/java/pom.xml")
m = re.search(r"<artifactId>qcc-radar</artifactId>\s*<version>([^<]+)</version>", pom)
if not m:
    errors.append("bindings/java/pom.xml: no <version> after <artifactId>qcc-radar</artifactId>")
else:
    check("bindings/java/pom.xml <version>", m.group(1))

# Versions spelled out in the READMEs' install instructions and scripts: package file names
# (qcc-radar-0.1.0-…tar.gz, qcc_radar-0.1.0-…whl, qcc-radar-linux-x64-gnu-0.1.0.tgz), Maven
# coordinates, the <version> of the dependency snippet, find_package(qcc_radar MAJOR.MINOR).
docs = ["README.md", "python/README.md", "node/README.md", "bindings/c/README.md",
        "bindings/java/README.md", "crates/qcc-radar-cli/README.md", "bindings/java/ci.sh"]
short = ".".join(version.split(".")[:2])
for doc in docs:
    if not (root / doc).exists():
        continue
    for n, line in enumerate(read(doc).splitlines(), 1):
        for m in re.finditer(r"\bqcc[-_]radar[-\w]*?-(\d+\.\d+\.\d+)\b", line):
            check(f"{doc}:{n} {m.group(0)}", m.group(1))
        for m in re.finditer(r"com\.qccradar:qcc-radar:(\d+\.\d+\.\d+)", line):
            check(f"{doc}:{n} {m.group(0)}", m.group(1))
        for m in re.finditer(r"<version>(\d+\.\d+\.\d+)</version>", line):
            check(f"{doc}:{n} {m.group(0)}", m.group(1))
        for m in re.finditer(r"find_package\(qcc_radar (\d+\.\d+)\b", line):
            if m.group(1) != short:
                errors.append(f"{doc}:{n} {m.group(0)}: expected {short}")

# The changelog has a section for it.
if not re.search(rf"^## \[{re.escape(version)}\]", read("CHANGELOG.md"), re.M):
    errors.append(f"CHANGELOG.md: no '## [{version}]' section")

for e in errors:
    print(f"check-versions: {e}", file=sys.stderr)
if errors:
    sys.exit(f"check-versions: {len(errors)} disagreement(s) with the workspace's version {version}")
print(f"check-versions: every package says {version}", file=sys.stderr)
print(version)
PY

#!/usr/bin/env bash
# The soak: 10,000 sequential and 1,000 concurrent whole fetches against the sandbox, with the
# client's file descriptors and resident memory at the start, after a warm-up, after each phase
# and after the client is dropped. Exits non-zero on growth beyond the tolerances or on any
# failed fetch.
#
#   tests/soak/run.sh                 # the full soak (about a minute on two cores)
#   tests/soak/run.sh --quick         # 500 sequential, 100 concurrent: what CI runs
#   tests/soak/run.sh --sequential 50000 --concurrent 2000 --waves 5
#
# SOAK_TARGET_DIR chooses the cargo target folder. The default is the workspace's own target/:
# the soak is a separate cargo project (its own workspace and Cargo.lock), but pointed at the
# same folder it reuses the workspace's debug build of every dependency (half a minute instead
# of several). SOAK_TARGET_DIR=target/soak keeps it apart.
#
# MALLOC_ARENA_MAX defaults to 2: glibc gives each of the many short-lived blocking threads a
# malloc arena, and their fragmentation grows RSS by a few MiB per concurrent wave without any
# leak (see README.md); two arenas keep the figures about the program, not the allocator.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
TARGET_DIR=${SOAK_TARGET_DIR:-$ROOT/target}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
unset CARGO_TARGET_DIR

# 1,000 concurrent fetches hold about 2,000 sockets on each side.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -ge 8192 ]; then
    ulimit -n 8192
else
    ulimit -n "$hard"
fi

echo "== building the soak (target dir $TARGET_DIR)"
cargo build --manifest-path tests/soak/Cargo.toml --target-dir "$TARGET_DIR"
echo "== running (fd limit $(ulimit -n), MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX)"
exec "$TARGET_DIR/debug/qcc-radar-soak" "$@"

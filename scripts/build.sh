#!/usr/bin/env bash
# Configures and builds Sonolab into build/ (ccache keeps a rebuild after a clean checkout fast).
set -euo pipefail
cd "$(dirname "$0")/.."
# Relative paths (BASEDIR) let a fresh clone elsewhere hit the cache; the sloppiness lets ccache cache PCH users.
export CCACHE_BASEDIR="$PWD" CCACHE_COMPRESS=1 CCACHE_MAXSIZE=5G
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
# With -g, ccache hashes the build folder by default; a fresh clone elsewhere (CI) would then never hit.
export CCACHE_NOHASHDIR=1
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}" "$@"

#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer over the headless code (issue 15): builds build-asan/ with
# -DSONOLAB_SANITIZE=address,undefined (core, sonolab-cli, the codec runtime and the non-GUI test programs; ccache
# keeps a rebuild cheap) and runs those tests. The model runtime (libtorch) is not rebuilt: its tests load the one of
# the normal build (build/lib, made first by scripts/build.sh), uninstrumented. Any finding fails the run.
#   scripts/sanitize.sh            JOBS=N build jobs (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_COMPRESS=1 CCACHE_MAXSIZE=5G CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
MODELS=${SONOLAB_MODEL_RUNTIME:-$PWD/${BUILD_DIR_NORMAL:-build}/lib/libsonolab_models.so}
[ -f "$MODELS" ] || { echo "sanitize.sh: build the normal tree first (scripts/build.sh): no $MODELS" >&2; exit 2; }
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  # -O1 keeps the sanitizers' reports exact and the build quick; no debug info beyond line tables.
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
        -DSONOLAB_SANITIZE=address,undefined -DSONOLAB_BUILD_UI=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}"
cd "$BUILD_DIR"
export SONOLAB_MODEL_RUNTIME="$MODELS"
# detect_leaks stays on; halt at the first error of any kind.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Left out: the Vamp plugin's tests (vamp-simple-host is not instrumented, so it cannot load an ASan plugin) and the
# kill test (its SIGKILLed runs are the point, and it runs in the normal tree).
ctest --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 1800 -E '^(Vamp|KillTest)'

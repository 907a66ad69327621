#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer over the headless code (issue 15): builds build-asan/ with
# -DSONOLAB_SANITIZE=address,undefined (ccache keeps a rebuild cheap) and runs tests there; any finding fails the run.
#   scripts/sanitize.sh          the CI scope: the code that needs no libtorch (decoding, features, onsets, the
#                                library, importers, annotations, similarity, the CLI's non-model commands): their
#                                test programs and sonolab-cli, instrumented, with leak checking
#   scripts/sanitize.sh all      every non-GUI test, the model runtime's too. libtorch is not rebuilt: those tests
#                                load the normal build's module (build/lib, made first by scripts/build.sh)
#                                uninstrumented, and run without leak checking, because LeakSanitizer's tracer
#                                crashes (signal 11) in processes that hold libtorch's threads
#   JOBS=N build jobs and test processes (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."
SCOPE=${1:-core}
export CCACHE_BASEDIR="$PWD" CCACHE_COMPRESS=1 CCACHE_MAXSIZE=5G CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
JOBS=${JOBS:-$(nproc)}
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  # -O1 keeps the sanitizers' reports exact and the build quick; no debug info beyond line tables.
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
        -DSONOLAB_SANITIZE=address,undefined -DSONOLAB_BUILD_UI=OFF >/dev/null
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Areas whose tests need no model runtime, and the few tests in them that train (they run in the 'all' scope).
CORE_AREAS="annotations audio base dsp extraction features onsets playback library datasets similarity exchange"
TRAINING_TESTS='^(Siamese[A-Za-z]*|PredictCli|OnsetGroundTruthCli)\.'
if [ "$SCOPE" = core ]; then
  targets="sonolab-cli" labels=""
  for a in $CORE_AREAS; do targets+=" test_$a" labels+="${labels:+|}$a"; done
  # shellcheck disable=SC2086
  cmake --build "$BUILD_DIR" -j "$JOBS" --target $targets
  cd "$BUILD_DIR"
  # No model runtime at all: a test that reaches for one fails loudly instead of loading libtorch uninstrumented.
  export SONOLAB_MODEL_RUNTIME=/nonexistent/libsonolab_models.so
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=0}
  ctest --output-on-failure -j "$JOBS" --timeout 1800 -L "^($labels)\$" -E "$TRAINING_TESTS"
else
  MODELS=${SONOLAB_MODEL_RUNTIME:-$PWD/${BUILD_DIR_NORMAL:-build}/lib/libsonolab_models.so}
  [ -f "$MODELS" ] || { echo "sanitize.sh: build the normal tree first (scripts/build.sh): no $MODELS" >&2; exit 2; }
  cmake --build "$BUILD_DIR" -j "$JOBS"
  cd "$BUILD_DIR"
  export SONOLAB_MODEL_RUNTIME="$MODELS"
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1:detect_stack_use_after_return=0}
  # Left out: the Vamp plugin's tests (vamp-simple-host is not instrumented, so it cannot load an ASan plugin) and the
  # kill test (its SIGKILLed runs are the point, and it runs in the normal tree).
  ctest --output-on-failure -j "$JOBS" --timeout 1800 -E '^(Vamp|KillTest)'
fi

#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-14 into build-fuzz/ (-DSONOLAB_FUZZ=ON; never part of the normal
# build or CI) and runs each for SECONDS (default 60), one after another, starting from its seed corpus in
# fuzz/corpus/<target>/. New inputs go to build-fuzz/corpus/<target>/ (the repository's seeds stay as they are),
# crashes, hangs and OOMs to build-fuzz/artifacts/<target>/. Prints a summary of executions per second and coverage
# (libFuzzer's final cov:/ft:) per target; the exit status is 1 when any target found something.
#   scripts/fuzz.sh [SECONDS]            TARGETS="fuzz_npy fuzz_jams" to run some; JOBS=N build jobs (default 1);
#                                        FUZZ_JOBS=N targets at once (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
BUILD_DIR=${BUILD_DIR:-build-fuzz}
CC=${FUZZ_CC:-clang-14} CXX=${FUZZ_CXX:-clang++-14}
command -v "$CXX" >/dev/null || { echo "fuzz.sh: $CXX not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1 CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD_DIR" -DSONOLAB_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
fi

# Longest input per target: a little above the largest plausible file of that kind that still exercises every branch.
declare -A MAX_LEN=(
  [fuzz_npy]=4096 [fuzz_feature_cache]=4096 [fuzz_run_info]=4096
  [fuzz_audacity]=4096 [fuzz_sv_csv]=4096 [fuzz_onsets]=4096 [fuzz_jams]=8192
  [fuzz_csv_import]=8192 [fuzz_mtat_import]=8192 [fuzz_audio_decode]=16384 [fuzz_library_db]=32768
)
TARGETS=${TARGETS:-"fuzz_npy fuzz_feature_cache fuzz_run_info fuzz_audacity fuzz_sv_csv fuzz_jams fuzz_onsets fuzz_csv_import fuzz_mtat_import fuzz_audio_decode fuzz_library_db"}
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j "${JOBS:-1}" --target $TARGETS

# ASan's leak check stays on; allocator_may_return_null lets a refused huge allocation surface as bad_alloc (a bug
# libFuzzer still reports) instead of an abort inside the allocator.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target: runs it, then prints its summary line (a line starting FOUND marks a finding).
run_target() {
  local t=$1 corpus="$BUILD_DIR/corpus/${1#fuzz_}" artifacts="$BUILD_DIR/artifacts/${1#fuzz_}/" log="$BUILD_DIR/logs/$1.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  echo "== $t for ${SECONDS_EACH}s (log: $log)" >&2
  local start rc pid
  start=$(date +%s)
  "$BUILD_DIR/fuzz/$t" -max_total_time="$SECONDS_EACH" -max_len="${MAX_LEN[$t]:-4096}" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "fuzz/corpus/${t#fuzz_}" >"$log" 2>&1 &
  pid=$!
  wait $pid && rc=0 || rc=$?
  rm -rf "/dev/shm/sonolab-fuzz-$pid"  # the target's scratch folder (fuzz/FuzzSupport.h)
  local elapsed=$(( $(date +%s) - start ))
  local execs last cov ft rate result
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last") ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  execs=${execs:-$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")}
  rate=$(( ${execs:-0} / (elapsed > 0 ? elapsed : 1) ))
  if [ "$rc" -eq 0 ]; then result=ok; else
    result="FOUND (rc $rc): $(grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|UndefinedBehaviorSanitizer)|runtime error|SUMMARY' "$log" | cut -c1-80) $(ls -t "$artifacts" | head -1)"
  fi
  printf '%-20s %8s %12s %10s %7s %7s  %s\n' "$t" "$elapsed" "${execs:-?}" "$rate" "${cov:-?}" "${ft:-?}" "$result"
}

# FUZZ_JOBS targets at a time (default 1): each libFuzzer process is single-threaded.
results=$(mktemp)
trap 'rm -f "$results"' EXIT
running=0
for t in $TARGETS; do
  if [ "$running" -ge "${FUZZ_JOBS:-1}" ]; then wait -n || true; running=$((running - 1)); fi
  run_target "$t" >>"$results" &
  running=$((running + 1))
done
wait
summary=$(printf '%-20s %8s %12s %10s %7s %7s  %s' target seconds execs execs/s cov ft result)
summary+=$'\n'$(cat "$results")
found=0
grep -q '  FOUND' "$results" && found=1
echo
echo "$summary"
exit $found

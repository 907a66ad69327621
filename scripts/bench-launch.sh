#!/usr/bin/env bash
# Launch timing as a user sees it, by screen grabs under Xvfb from process start (issue 13's method):
#   scripts/bench-launch.sh FILE [--runs 3] [--program build/app/sonolab] [--grabber damage|poll]
# prints, per run, "main window painted" and "waveform and spectrogram final" beside the same run's
# `sonolab --bench-open FILE` figure, then min/median/max. Also times `sonolab-cli info FILE --json` and
# `sonolab-cli --version` (wall clock, best of 5) for the command-line side. See scripts/bench-launch.py.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 FILE [--runs N] [--program PATH]" >&2; exit 2; }
file=$1; shift
cli=${SONOLAB_CLI:-build/app/sonolab-cli}
/usr/bin/python3 scripts/bench-launch.py "$file" "$@"
best() {  # best wall time of 5 runs of a command, in seconds
  local best=999
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    best=$(/usr/bin/python3 -c "print(min($best, $end - $start))")
  done
  printf '%.3f s' "$best"
}
echo "sonolab-cli info FILE --json:  $(best "$cli" info "$file" --json) (best of 5)"
echo "sonolab-cli --version:         $(best "$cli" --version) (best of 5)"

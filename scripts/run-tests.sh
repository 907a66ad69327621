#!/usr/bin/env bash
# The test command (README and .ci/run): install dependencies, build everything, run every test, then run the code
# that needs no libtorch again under AddressSanitizer + UndefinedBehaviorSanitizer (scripts/sanitize.sh: a second
# build folder, ccache; SONOLAB_SKIP_SANITIZERS=1 leaves that part out while iterating).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 900)
if [ "${SONOLAB_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/sanitize.sh
fi

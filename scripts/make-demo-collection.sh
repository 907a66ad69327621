#!/usr/bin/env bash
# Builds the labelled demo collection of real recordings from Debian packages (scripts/demo/make_demo.py says what is
# in it) into OUTDIR (default ~/.cache/sonolab/demo). Cached: a second run returns at once. Audio never goes into git.
# Usage: scripts/make-demo-collection.sh [OUTDIR] [--collection demo|check] [--force] [--jobs N]   (check: README, "Checking on another collection")
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=$(command -v python3 || true)
[ -x /usr/bin/python3 ] && PYTHON=/usr/bin/python3
if [ -z "$PYTHON" ]; then
  echo "make-demo-collection: python3 is needed" >&2
  exit 1
fi
exec "$PYTHON" scripts/demo/make_demo.py "$@"

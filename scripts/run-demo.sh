#!/usr/bin/env bash
# README's first command: install dependencies, build, prepare the built-in demo collection (real recordings from
# Debian packages, cached after the first run) and open Sonolab on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh --target sonolab sonolab-cli
DEMO_DIR=${SONOLAB_DEMO_DIR:-$HOME/.cache/sonolab/demo}
bash scripts/make-demo-collection.sh "$DEMO_DIR"
APP="${BUILD_DIR:-build}/app/sonolab"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found: starting Sonolab under a virtual X server (xvfb-run)." >&2
  exec xvfb-run -a "$APP" --demo "$DEMO_DIR" "$@"
fi
exec "$APP" --demo "$DEMO_DIR" "$@"

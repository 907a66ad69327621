#!/usr/bin/env bash
# Installs everything Sonolab needs to build, test and run from Debian 12 packages (run as root).
# Skips apt entirely when every package is already installed, so repeated runs cost nothing.
set -euo pipefail
PACKAGES=(
  build-essential cmake pkg-config ccache
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libxkbcommon-dev
  libtorch-dev libgloo-dev libopenblas0-pthread
  portaudio19-dev libavformat-dev libavcodec-dev libswresample-dev libavutil-dev
  libfftw3-dev libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev
  libhnswlib-dev libtag1-dev libeigen3-dev
  xvfb xauth imagemagick fonts-dejavu-core ffmpeg sox fluidsynth fluid-soundfont-gm
  python3-numpy python3-torch libxxhash0
  vamp-plugin-sdk vamp-examples
  aubio-tools python3-mir-eval
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

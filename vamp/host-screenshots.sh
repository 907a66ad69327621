#!/usr/bin/env bash
# Looks at Sonolab's Vamp plugins in real hosts (issue 17; not part of CI): Sonic Visualiser 4.5 and Audacity 3.2
# from Debian, under Xvfb. Writes PNG screenshots into OUT (default /tmp/sonolab-vamp-hosts) to look at.
#   vamp/host-screenshots.sh AUDIO RUNS [OUT]
# AUDIO: a file to analyse; RUNS: a folder of trained runs (a classifier run and/or an onset run, as the plugins'
# programs). Needs xvfb, xdotool, imagemagick, sonic-visualiser, audacity; the plugin built in build/vamp.
set -euo pipefail
audio=$(realpath "$1"); runs=$(realpath "$2"); out=${3:-/tmp/sonolab-vamp-hosts}
plugins=$(realpath "$(dirname "$0")/../build/vamp")
mkdir -p "$out"
export DISPLAY=:${XVFB_DISPLAY:-77} VAMP_PATH=$plugins SONOLAB_VAMP_RUNS=$runs
Xvfb "$DISPLAY" -screen 0 1400x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb' EXIT
sleep 2

# Sonic Visualiser: its OSC script opens the audio and applies the transforms (the first run is the default
# program). A first start shows a welcome dialog: Return accepts it.
cat > "$out/sv.osc" <<OSC
/open $audio
3
/transform vamp:sonolab:sonolab-classifier:top
6
/transform vamp:sonolab:sonolab-onsets-rnn:onsets
6
OSC
sonic-visualiser --no-audio --no-splash --osc-script "$out/sv.osc" >"$out/sv.log" 2>&1 &
sv=$!
sleep 6
xdotool key Return || true
xdotool search --onlyvisible --name "Sonic Visualiser" windowmove 0 0 windowsize 1380 860 2>/dev/null || true
sleep 20
import -window root "$out/sonic-visualiser.png"
kill $sv

# Audacity: the plugins' label outputs are under Analyze > Sonolab (enabled on first discovery); run one there by
# hand (or with xdotool) after Select All.
audacity "$audio" >"$out/audacity.log" 2>&1 &
aud=$!
sleep 20
import -window root "$out/audacity.png"
kill $aud
echo "screenshots in $out"

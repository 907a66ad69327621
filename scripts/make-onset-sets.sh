#!/usr/bin/env bash
# The onset data sets of issue 16, rendered by scripts/make-onset-demo.sh (cached; outside git):
#   ROOT/demo    the demo onset set (48 pieces, seed 2018, its 16 programs): what the detector was trained on so far
#   ROOT/train   a bigger and more varied training set: 128 varied pieces (free, tempo-grid, band mixtures) on the
#                training program set (the demo's programs and 39 more, 5 drum kits), seed 7001
#   ROOT/unseen  the unseen evaluation set: 64 varied pieces on the held-out program set (20 programs and 2 drum kits
#                that neither training set plays), seed 9001
# Programs and seeds of train and unseen do not overlap (varied_pieces.py asserts the program sets are disjoint).
# Usage: scripts/make-onset-sets.sh [ROOT]   (default ~/.cache/sonolab/onsets)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${1:-$HOME/.cache/sonolab/onsets}
mkdir -p "$ROOT"
bash scripts/make-onset-demo.sh "$ROOT/demo"
bash scripts/make-onset-demo.sh "$ROOT/train" --style varied --programs train --files 128 --seed 7001 --prefix train
bash scripts/make-onset-demo.sh "$ROOT/unseen" --style varied --programs heldout --files 64 --seed 9001 --prefix unseen

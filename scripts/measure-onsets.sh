#!/usr/bin/env bash
# Issue 16, "onsets that generalise": does the recurrent detector find onsets in rendered music it never heard?
#  1. builds the sets (scripts/make-onset-sets.sh: demo, train, unseen; cached outside git);
#  2. trains the old recipe on the demo set (the tutorial's 3 x 25 tanh BiRNN, batch 4, 30 epochs, threshold 0.35):
#     `onsets-evaluate --method rnn --test-fold 0`, i.e. trained on demo folds 2-7, early-stopped on fold 1, scored on
#     fold 0; and the new recipe on the bigger, varied training set (validation fold 0 of that set; peak picking
#     chosen on it);
#  3. detects onsets with flux, both runs and each aubio method (aubioonset, its defaults) on the demo set (all files,
#     and fold 0, which neither run trained on) and on the unseen set, and scores them twice: Sonolab's
#     `onsets-evaluate` (+-25 ms, combining within 30 ms; F from counts summed over files, and the mean over files)
#     and mir_eval's onset F-measure (+-25 ms, scripts/onsets/mir_eval_onsets.py: mean over files, and pooled).
# Usage: scripts/measure-onsets.sh [OUT]  (default /tmp/onsets-measure; a run is reused when OUT/runs/NAME exists)
#   ONSET_SETS=DIR (default ~/.cache/sonolab/onsets), EPOCHS (40), HIDDEN (25), CLI (build/app/sonolab-cli)
# Prints a table (OUT/results.tsv). CPU-heavy: runs under nice with one intra-op thread per training.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/onsets-measure}
SETS=${ONSET_SETS:-$HOME/.cache/sonolab/onsets}
CLI=${CLI:-build/app/sonolab-cli}
EPOCHS=${EPOCHS:-40}
HIDDEN=${HIDDEN:-25}
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
command -v aubioonset >/dev/null || { echo "measure-onsets.sh: needs aubioonset (apt-get install aubio-tools)" >&2; exit 1; }
[ -x "$CLI" ] || { echo "measure-onsets.sh: build sonolab-cli first ($CLI)" >&2; exit 1; }
mkdir -p "$OUT/runs" "$OUT/detections" "$OUT/scores"
bash scripts/make-onset-sets.sh "$SETS"

# The two trainings run side by side (one thread each).
if [ ! -f "$OUT/runs/old-demo/fold-0/onset-rnn.pt" ]; then
  rm -rf "$OUT/runs/old-demo"
  ( time nice -n 10 "$CLI" onsets-evaluate --data "$SETS/demo" --method rnn --test-fold 0 --runs "$OUT/runs/old-demo" \
      --threads 1 --seed 42 --batch 4 --epochs 30 --patience 8 --fixed-peaks ) > "$OUT/runs/old-demo.log" 2>&1 &
fi
if [ ! -f "$OUT/runs/new-train/onset-rnn.pt" ]; then
  ( time nice -n 10 "$CLI" onsets-train --data "$SETS/train" --out "$OUT/runs/new-train.tmp" --validation-fold 0 \
      --threads 1 --seed 42 --batch 4 --epochs "$EPOCHS" --patience 8 --hidden "$HIDDEN" ) > "$OUT/runs/new-train.log" 2>&1 &&
    mv "$OUT/runs/new-train.tmp" "$OUT/runs/new-train" &
fi
wait
[ -f "$OUT/runs/old-demo/fold-0/onset-rnn.pt" ] && [ -f "$OUT/runs/new-train/onset-rnn.pt" ] ||
  { echo "measure-onsets.sh: a training failed (see $OUT/runs/*.log)" >&2; exit 1; }

field() { "$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); print("%.3f" % eval(sys.argv[2]))' "$@"; }

# score VIEW SET LABEL DETECTIONS SONOLAB_JSON [FOLD]: one row of the table.
score() {
  local view=$1 set=$2 label=$3 det=$4 json=$5 fold=${6:-}
  local names=()
  [ -n "$fold" ] && names=(--names "$SETS/$set/splits/onsets_fold_$fold.fold")
  "$PY" scripts/onsets/mir_eval_onsets.py "$SETS/$set" "$det" "${names[@]}" --json > "$OUT/scores/$view-$label.mir_eval.json"
  local m="$OUT/scores/$view-$label.mir_eval.json"
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$view" "$label" "$(field "$m" 'j["files"]' | cut -d. -f1)" \
    "$(field "$json" 'j["sum"]["f"]')" "$(field "$json" 'j["mean"]["f"]')" \
    "$(field "$m" 'j["mean_f"]')" "$(field "$m" 'j["pooled_f"]')" >> "$OUT/results.tsv"
}

# evaluate VIEW SET LABEL METHOD [FOLD]: Sonolab detects and scores, mir_eval scores the same detections.
evaluate() {
  local view=$1 set=$2 label=$3 method=$4 fold=${5:-}
  local folds=() det="$OUT/detections/$set/$label"
  [ -n "$fold" ] && folds=(--test-fold "$fold")
  if [[ $method == aubio-* ]]; then
    if [ ! -d "$det" ]; then
      mkdir -p "$det.tmp"
      for f in "$SETS/$set"/audio/*.flac; do
        aubioonset -i "$f" -O "${method#aubio-}" > "$det.tmp/$(basename "${f%.flac}").onsets" 2>/dev/null
      done
      mv "$det.tmp" "$det"
    fi
    nice -n 10 "$CLI" onsets-evaluate --data "$SETS/$set" --detected "$det" "${folds[@]}" --json > "$OUT/scores/$view-$label.json"
  else
    nice -n 10 "$CLI" onsets-evaluate --data "$SETS/$set" --method "$method" "${folds[@]}" --json \
      --detections "$det" > "$OUT/scores/$view-$label.json"
  fi
  score "$view" "$set" "$label" "$det" "$OUT/scores/$view-$label.json" "$fold"
}

printf "files\tmethod\tn\tsonolab_F_sum\tsonolab_F_mean\tmir_eval_F_mean\tmir_eval_F_pooled\n" > "$OUT/results.tsv"
AUBIO=(energy hfc complex phase specdiff kl mkl specflux)
for set in unseen demo; do
  evaluate "$set" "$set" flux flux
  evaluate "$set" "$set" new-train "rnn:$OUT/runs/new-train"
  [ "$set" = unseen ] && evaluate "$set" "$set" old-demo "rnn:$OUT/runs/old-demo/fold-0"
  for m in "${AUBIO[@]}"; do evaluate "$set" "$set" "aubio-$m" "aubio-$m"; done
done
# demo fold 0: the files neither run trained on or stopped early on
evaluate demo-fold0 demo flux flux 0
evaluate demo-fold0 demo new-train "rnn:$OUT/runs/new-train" 0
evaluate demo-fold0 demo old-demo "rnn:$OUT/runs/old-demo/fold-0" 0
for m in "${AUBIO[@]}"; do evaluate demo-fold0 demo "aubio-$m" "aubio-$m" 0; done
column -t -s $'\t' "$OUT/results.tsv"

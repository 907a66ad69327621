#!/usr/bin/env bash
# Measures the recipe for small labelled sets (issue 16) on the demo collection's 4-style task (orchestral /
# electronic / rock / chiptune, single-label), compact_cnn, as mean and spread over K folds that keep whole albums
# (the clip's source package) on one side: `sonolab-cli evaluate --folds K --fold-by album`.
#   - each piece on and off: learning-rate schedule (cosine + warm-up), mixup, early stopping with the best epoch's
#     weights (against the last epoch's), and all of them together;
#   - how a clip's windows become one prediction (mean / max / vote / one centre crop), on the same fold models;
#   - spectrogram augmentation of the training batches (--augmentations AUGMENTATIONS) on and off;
#   - seed averaging: SEEDS models per fold predicting together, against one (of each configuration in SEEDED).
# On the demo, every electronic clip comes from one album (singularity-music), so an album fold either tests a class
# that its training part never saw or has no test clip of it: FOLD_BY=group (source track) compares recipes where
# album folds cannot (the album effect inflates its absolute figures, not the differences between recipes).
# Fold models are kept in OUT/runs/*/folds and reused, so a rerun (e.g. after a merge adds augmentation: put its
# train options in EXTRA_CONFIGS) trains only what is new. Results: OUT/results/*.json and the table on stdout.
# Usage: scripts/bench-recipe.sh [OUT]    env: EPOCHS (30) FOLDS (4) FOLD_BY (album|group) SEEDS (3) CLI
#        SEEDED ("recipe": configurations seed-averaged) AUGMENTATIONS (tmask,fmask,gain,mix)
#        AGGREGATION (1: the window-aggregation variants; 0 skips them)
#        ONLY ("plain augment": train only these configurations, e.g. a longer rerun of the telling ones)
#        EXTRA_CONFIGS="name:--train --options;name2:..." adds configurations to the table.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=${SONOLAB_DEMO_DIR:-$HOME/.cache/sonolab/demo}
OUT=${1:-/tmp/sonolab-recipe}
CLI=${CLI:-$PWD/build/app/sonolab-cli}
EPOCHS=${EPOCHS:-30}
FOLDS=${FOLDS:-4}
FOLD_BY=${FOLD_BY:-album}
SEEDS=${SEEDS:-3}
SEEDED=${SEEDED-recipe}  # SEEDED="" averages none
AUGMENTATIONS=${AUGMENTATIONS:-tmask,fmask,gain,mix}
AGGREGATION=${AGGREGATION:-1}
NICE="nice -n 10"
[ -f "$DEMO/.demo-complete" ] || { echo "bench-recipe: no finished demo collection in $DEMO (scripts/make-demo-collection.sh)" >&2; exit 1; }
mkdir -p "$OUT/runs" "$OUT/results"
LIB=$OUT/demo.sqlite
if [ ! -f "$LIB" ]; then
  $CLI library import --mtat "$DEMO/annotations_final.csv" --audio-root "$DEMO/audio" --db "$LIB.part" --name demo -q
  $CLI library derive --db "$LIB.part" --from demo --name style4 --single orchestral,electronic,rock,chiptune
  $CLI library split --db "$LIB.part" --labels style4 --kind album --seed 0 --name style4-album
  mv "$LIB.part" "$LIB"
  rm -rf "$LIB.part.features" 2>/dev/null || true
fi
TASK="single:orchestral,electronic,rock,chiptune@style4"

folds() {  # run result-name evaluate-options...
  local run=$1 name=$2
  shift 2
  if [ ! -s "$OUT/results/$name.json" ]; then
    local start=$(date +%s)
    $NICE $CLI evaluate --run "$run" --db "$LIB" --folds "$FOLDS" --fold-by "$FOLD_BY" --epochs "$EPOCHS" --json -q "$@" \
      > "$OUT/results/$name.json.part"
    mv "$OUT/results/$name.json.part" "$OUT/results/$name.json"
    echo "bench-recipe: $name in $(( $(date +%s) - start )) s" >&2
  fi
}

config() {  # name train-options...: a template run with the recipe (1 epoch: the folds train EPOCHS), then its folds
  local name=$1
  shift
  [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || return 0
  local run=$OUT/runs/$name
  if [ ! -f "$run/model.txt" ]; then
    $NICE $CLI train --db "$LIB" --task "$TASK" --split style4-album --model compact_cnn --out "$run" --epochs 1 \
      --quiet "$@" > /dev/null
  fi
  folds "$run" "$name"
}

# The most telling first (a shared 2-core machine may not finish the list): all off, all on, then each piece alone.
config plain --patience 0 --last-epoch
config recipe --patience 6 --schedule cosine --warmup 2 --mixup 0.4
# Window aggregation on the same fold models (nothing is trained again).
if [ "$AGGREGATION" = 1 ]; then
  for how in max vote none; do
    folds "$OUT/runs/plain" "plain-$how" --aggregate "$how"
    folds "$OUT/runs/recipe" "recipe-$how" --aggregate "$how"
  done
fi
config mixup --patience 0 --last-epoch --mixup 0.4
config early --patience 6
config schedule --patience 0 --last-epoch --schedule cosine --warmup 2
config augment --patience 0 --last-epoch --augmentations "$AUGMENTATIONS"
config recipe-augment --patience 6 --schedule cosine --warmup 2 --mixup 0.4 --augmentations "$AUGMENTATIONS"
# Seed averaging: SEEDS members per fold (the first is the one above).
for name in $SEEDED; do
  [ -f "$OUT/runs/$name/model.txt" ] && folds "$OUT/runs/$name" "$name-seeds$SEEDS" --seeds "$SEEDS"
done
# More configurations, e.g. after a merge: EXTRA_CONFIGS="name:--train --options;..."
if [ -n "${EXTRA_CONFIGS:-}" ]; then
  while IFS= read -r line; do
    # shellcheck disable=SC2086
    [ -n "$line" ] && config "${line%%:*}" ${line#*:}
  done <<< "${EXTRA_CONFIGS//;/$'\n'}"
fi

/usr/bin/python3 - "$OUT/results" <<'PY'
import json, os, sys
d = sys.argv[1]
print(f"{'configuration':22} {'macro_f1 mean ± std [min, max]':36} {'accuracy mean ± std':22}")
for name in sorted(f[:-5] for f in os.listdir(d) if f.endswith(".json")):
    r = json.load(open(os.path.join(d, name + ".json")))
    s = r["summary"]
    f, a = s["macro_f1"], s["accuracy"]
    print(f"{name:22} {f['mean']:.3f} ± {f['std']:.3f} [{f['min']:.3f}, {f['max']:.3f}]      "
          f"{a['mean']:.3f} ± {a['std']:.3f}")
PY

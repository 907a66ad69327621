#!/usr/bin/env bash
# Issue 16's precision@10 of similarity spaces by k-fold cross-validation (`evaluate-similarity --folds K`): every
# labelled clip of the demo's 4 styles is queried once, in a space that never saw its label. A space trained on labels
# (train-siamese) trains again on each fold's other folds; mfcc, rp and the pretrained encoder (no labels) are queried
# fold by fold alike. Two candidate sets: the query's own fold (every candidate unseen too) and the whole collection
# (unseen queries against the clips the fold's space trained on). Each clip is also classified by its 5 nearest clips
# of the other folds (macro-F1 over the 4 styles, as the issue's 5-NN baseline on MFCC statistics).
# VARIANTS also takes encoder-init:--OPTION=VALUE, the triplet encoder with one setting of train-siamese changed (the
# README's table of margins and rates: encoder-init:--lr=1e-3 encoder-init:--triplet-margin=0.1 ...). encoder-init
# alone trains train-siamese's defaults (from --init: rate 3e-4).
# Usage: scripts/measure-space-folds.sh [WORK]   (env: ENC, FOLDS, FOLD_BY, FOLD_SEEDS, THREADS, SEED, VARIANTS, CLI)
# WORK/lib.sqlite is the library scripts/measure-pretraining.sh makes (step 1); ENC defaults to its WORK/pretrained.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/ssl/measure}
CLI=${CLI:-build/app/sonolab-cli}
ENC=${ENC:-$WORK/pretrained}
FOLDS=${FOLDS:-4}
FOLD_BY=${FOLD_BY:-group}  # group (source track) or album (source package)
FOLD_SEEDS=${FOLD_SEEDS:-0}
THREADS=${THREADS:-2}
SEED=${SEED:-42}
VARIANTS=${VARIANTS:-"mfcc rp pretrained siamese_cnn-triplet encoder-scratch encoder-init"}
STYLES=orchestral,electronic,rock,chiptune
LIB=$WORK/lib.sqlite
run() { nice -n 10 "$CLI" "$@"; }
[ -f "$LIB" ] || { echo "no $LIB: run scripts/measure-pretraining.sh $WORK first (step 1)" >&2; exit 1; }
run library split --db "$LIB" --labels style --kind group --name style-split --seed 7 >/dev/null 2>&1 || true

template() {  # out extra... -> a 1-epoch train-siamese run whose recipe the folds train again (with --epochs)
  local out=$1; shift
  [ -f "$out/model.txt" ] && return 0
  run train-siamese --db "$LIB" --task "single:$STYLES@style" --split style-split --out "$out" --epochs 1 \
    --threads "$THREADS" --seed "$SEED" "$@" >/dev/null 2>"$out.log" || { tail -3 "$out.log" >&2; return 1; }
}

for v in $VARIANTS; do
  epochs=0 name=${v//[^A-Za-z0-9.-]/}
  case $v in
    mfcc|rp) space=$v ;;
    pretrained) space=run:$ENC ;;
    siamese_cnn-triplet) template "$WORK/folds-$v" --model siamese_cnn --loss triplet; space=run:$WORK/folds-$v; epochs=20 ;;
    encoder-scratch) template "$WORK/folds-$v" --model compact_cnn; space=run:$WORK/folds-$v; epochs=60 ;;
    encoder-init) template "$WORK/folds-$v" --model compact_cnn --init "$ENC"; space=run:$WORK/folds-$v; epochs=60 ;;
    encoder-init:*)  # a variation of the recipe, e.g. encoder-init:--lr=3e-4 or encoder-init:--triplet-margin=0.1
      extra=${v#encoder-init:}; out=$WORK/folds-encoder-init-${extra//[^A-Za-z0-9.]/}
      # shellcheck disable=SC2086
      template "$out" --model compact_cnn --init "$ENC" ${extra//=/ }; space=run:$out; epochs=60 ;;
    *) echo "unknown variant $v" >&2; exit 1 ;;
  esac
  for s in $FOLD_SEEDS; do
    for c in fold collection; do
      start=$(date +%s)
      run evaluate-similarity --db "$LIB" --space "$space" --label-set style --k 10 --folds "$FOLDS" --fold-by "$FOLD_BY" --fold-seed "$s" \
        --candidates "$c" --epochs "$epochs" --threads "$THREADS" --json 2>"$WORK/folds-$name-$FOLD_BY-$s-$c.log" \
        >"$WORK/folds-$name-$FOLD_BY-$s-$c.json"
      python3 -c '
import json, sys
r = json.load(open(sys.argv[4])); p = r["summary"]["precision_at_k"]
folds = " ".join("%.3f" % f["precision_at_k"] for f in r["folds"])
print("%-20s %s, %-10s precision@10 %.3f (folds %s; %.3f ± %.3f)  chance %.3f  best %.3f  map %.3f" % (
    sys.argv[1], sys.argv[2], sys.argv[3], r["precision_at_k"], folds, p["mean"], p["std"],
    r["chance_precision_at_k"], r["best_precision_at_k"], r["map"]))
if sys.argv[3] == "fold" and "knn" in r:  # k-NN votes come from the other folds whatever the candidates
    f1 = r["summary"]["knn_macro_f1"]
    print("%-20s %s, %d-NN classification: macro-F1 %.3f ± %.3f over folds (%s), every query once %.3f, "
          "accuracy %.3f" % (sys.argv[1], sys.argv[2], r["knn"]["k"], f1["mean"], f1["std"],
          " ".join("%.3f" % f["knn"]["macro_f1"] for f in r["folds"]), r["knn"]["macro_f1"], r["knn"]["accuracy"]))
' "$v" "$FOLD_BY folds, seed $s" "$c" "$WORK/folds-$name-$FOLD_BY-$s-$c.json"
      echo "  ($(( $(date +%s) - start )) s)"
    done
  done
done

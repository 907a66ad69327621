#!/usr/bin/env bash
# Issue 16's precision@10 of learned similarity spaces on tracks they never saw, in one rerunnable command. A space
# trained on labels can only be scored on held-out tracks, so every space here (handcrafted, pretrained, trained on the
# style labels) is scored alike: queries and candidates are the test part of a split by source track, relevance is the
# style, the query's own source track left out (`evaluate-similarity --split S --part test`). Several splits, since one
# test part holds a few dozen clips.
#   spaces: mfcc, rp, the pretrained encoder (ENC), siamese_cnn (the tutorial's, contrastive and triplet), and
#   compact_cnn's encoder trained with the triplet loss from scratch and from ENC (`train-siamese --init ENC`), and
#   with VARIANTS=classifier-init the penultimate layer of a classifier fine-tuned from ENC (`train --init ENC`).
# Usage: scripts/measure-learned-spaces.sh [WORK]   (env: ENC, SPLIT_SEEDS, FRACTIONS, EPOCHS, LR, THREADS, CLI, SEED,
#                                                    VARIANTS)
# WORK/lib.sqlite is the library scripts/measure-pretraining.sh makes (step 1); ENC defaults to its WORK/pretrained.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/ssl/measure}
CLI=${CLI:-build/app/sonolab-cli}
ENC=${ENC:-$WORK/pretrained}
SPLIT_SEEDS=${SPLIT_SEEDS:-"7 8 9"}
EPOCHS=${EPOCHS:-20}
LR=${LR:-1e-3}
THREADS=${THREADS:-2}
SEED=${SEED:-42}
FRACTIONS=${FRACTIONS:-0.65,0.1,0.25}  # a quarter of the source tracks for testing: ~36 clips a part
VARIANTS=${VARIANTS:-"mfcc rp pretrained siamese_cnn siamese_cnn-triplet encoder-scratch encoder-init"}
STYLES=orchestral,electronic,rock,chiptune
LIB=$WORK/lib.sqlite
run() { nice -n 10 "$CLI" "$@"; }
[ -f "$LIB" ] || { echo "no $LIB: run scripts/measure-pretraining.sh $WORK first (step 1)" >&2; exit 1; }

p10() {  # space split -> precision@10 by style on the split's test part
  run evaluate-similarity --db "$LIB" --space "$1" --k 10 --label-set style --split "$2" --part test --json 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3f" % r["precision_at_k"])'
}
siamese() {  # out split extra... -> trains quietly
  local out=$1 split=$2; shift 2
  rm -rf "$out"
  run train-siamese --db "$LIB" --task "single:$STYLES@style" --split "$split" --out "$out" --epochs "$EPOCHS" \
    --lr "$LR" --threads "$THREADS" --seed "$SEED" "$@" >/dev/null 2>"$out.log" || { tail -3 "$out.log" >&2; return 1; }
}

declare -A scores
for s in $SPLIT_SEEDS; do
  split=space-split-$s-${FRACTIONS//,/-}
  run library split --db "$LIB" --labels style --kind group --name "$split" --seed "$s" --fractions "$FRACTIONS" >/dev/null 2>&1 || true
  for v in $VARIANTS; do
    out=$WORK/space-$v-$s
    case $v in
      mfcc|rp) space=$v ;;
      pretrained) space=run:$ENC ;;
      siamese_cnn) siamese "$out" "$split" --model siamese_cnn; space=run:$out ;;
      siamese_cnn-triplet) siamese "$out" "$split" --model siamese_cnn --loss triplet; space=run:$out ;;
      encoder-scratch) siamese "$out" "$split" --model compact_cnn; space=run:$out ;;
      encoder-init) siamese "$out" "$split" --model compact_cnn --init "$ENC"; space=run:$out ;;
      classifier-init)  # the penultimate layer of compact_cnn fine-tuned from ENC as a classifier (cross-entropy)
        rm -rf "$out"
        run train --db "$LIB" --task "single:$STYLES@style" --split "$split" --model compact_cnn --out "$out" \
          --init "$ENC" --epochs 30 --last-epoch --seed 1 --threads "$THREADS" -q >/dev/null 2>"$out.log"
        space=run:$out ;;
      *) echo "unknown variant $v" >&2; exit 1 ;;
    esac
    scores[$v]="${scores[$v]:-} $(p10 "$space" "$split")"
    echo "split seed $s, $v: ${scores[$v]##* }"
  done
done
echo "== precision@10 by style on each split's test part (own source track left out), splits: $SPLIT_SEEDS"
for v in $VARIANTS; do
  echo "$v ${scores[$v]}" | python3 -c "
import sys, statistics as s
name, *v = sys.stdin.read().split(); v = list(map(float, v))
print(f'{name}: {s.mean(v):.3f} ± {s.stdev(v) if len(v) > 1 else 0:.3f}  ({\" \".join(f\"{x:.3f}\" for x in v)})')"
done

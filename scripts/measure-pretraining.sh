#!/usr/bin/env bash
# Issue 16's figures for self-supervised pretraining on the demo collection, in one rerunnable command:
#   1. the demo imported (MagnaTagAtune layout) into WORK/lib.sqlite, a 4-style single-label set and a split by SPLIT_KIND
#      (group = by source track; the album split and `evaluate --folds` plug in here when they exist);
#   2. pretraining time (wall and CPU seconds of `sonolab-cli pretrain`) and precision@10 by style (own source track left
#      out) of the mfcc, rp and pretrained spaces;
#   3. compact_cnn on the 4-style task: from scratch vs pretrained + linear probe (--freeze) vs pretrained + fine-tune,
#      test macro-F1 and accuracy per SEEDS, each keeping its last epoch (the Training tab's default; README);
#   4. with ABLATION=1: precision@10 of a short pretraining with each augmentation left out (which ones earn their place);
#      ABLATION_ONLY=1 runs step 1 and this alone.
# Usage: scripts/measure-pretraining.sh [WORK]   (env: DEMO, STEPS or EPOCHS, CLS_EPOCHS, SEEDS, ABLATION, ABLATION_EPOCHS, THREADS,
#                                                 SPLIT_KIND, PAIR_BY, CLI). Everything runs under nice -n 10.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/ssl/measure}
DEMO=${DEMO:-$HOME/.cache/sonolab/demo}
CLI=${CLI:-build/app/sonolab-cli}
STEPS=${STEPS:-6000}  # pretrain's default; EPOCHS=N instead runs exactly N epochs
LENGTH=(--steps "$STEPS")
[ -z "${EPOCHS:-}" ] || LENGTH=(--epochs "$EPOCHS")
CLS_EPOCHS=${CLS_EPOCHS:-15}
PAIR_BY=${PAIR_BY:-group}  # pretrain's default: two crops of one source track; "track": of one clip
SEEDS=${SEEDS:-"1 2 3"}
THREADS=${THREADS:-2}
SPLIT_KIND=${SPLIT_KIND:-group}
ABLATION=${ABLATION:-0}
ABLATION_EPOCHS=${ABLATION_EPOCHS:-15}
STYLES=orchestral,electronic,rock,chiptune
run() { nice -n 10 "$CLI" "$@"; }
mkdir -p "$WORK"
LIB=$WORK/lib.sqlite
if [ ! -f "$LIB" ]; then
  run library import --mtat "$DEMO/annotations_final.csv" --audio-root "$DEMO/audio" --group-column group --db "$LIB" \
    >/dev/null 2>&1
  run library derive --db "$LIB" --from mtat --name style --single "$STYLES" >/dev/null
  run library split --db "$LIB" --labels style --kind "$SPLIT_KIND" --name style-split --seed 7 >/dev/null
fi
run library stats --db "$LIB" | head -20

p10() {  # space -> precision@10 by style, own source track left out
  run evaluate-similarity --db "$LIB" --space "$1" --k 10 --label-set style --json 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%.3f" % r["precision_at_k"])'
}
pretrain() {  # out "--epochs N"|"--steps N" augmentations -> wall s, cpu s on stderr-free line
  local out=$1 length=$2 aug=$3
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S" -o "$out.time" nice -n 10 "$CLI" pretrain --db "$LIB" --model compact_cnn --out "$out" \
    $length --threads "$THREADS" --augmentations "$aug" --pair-by "$PAIR_BY" -q >/dev/null
  awk '{printf "wall %.0f s, cpu %.0f s", $1, $2 + $3}' "$out.time"
}

if [ "${ABLATION_ONLY:-0}" != 1 ]; then
echo "== pretraining (${LENGTH[*]}, compact_cnn, all tracks of the library, pairs by $PAIR_BY)"
if [ "${REUSE_PRETRAINED:-0}" = 1 ] && [ -f "$WORK/pretrained/model.pt" ]; then
  echo "time: $(awk '{printf "wall %.0f s, cpu %.0f s", $1, $2 + $3}' "$WORK/pretrained.time") (reused)"
else
  echo "time: $(pretrain "$WORK/pretrained" "${LENGTH[*]}" tmask,fmask,gain,mix)"
fi
echo "== precision@10 by style (own source track left out)"
for space in mfcc rp "run:$WORK/pretrained"; do echo "$space: $(p10 "$space")"; done

echo "== 4-style task ($STYLES), split $SPLIT_KIND, $CLS_EPOCHS epochs: test macro-F1 / accuracy per seed"
train() {  # name seed extra... -> "macro_f1 accuracy"
  local name=$1 seed=$2; shift 2
  rm -rf "$WORK/$name-$seed"
  run train --db "$LIB" --task "single:$STYLES@style" --split style-split --model compact_cnn --out "$WORK/$name-$seed" \
    --epochs "$CLS_EPOCHS" --seed "$seed" --threads "$THREADS" --last-epoch --json -q "$@" 2>/dev/null |
    python3 -c 'import json,sys; t=json.load(sys.stdin)["test"]; print("%.3f %.3f" % (t["macro_f1"], t["accuracy"]))'
}
for variant in scratch probe finetune; do
  case $variant in
    scratch) extra=() ;;
    probe) extra=(--init "$WORK/pretrained" --freeze --lr 3e-3) ;;
    finetune) extra=(--init "$WORK/pretrained") ;;
  esac
  results=()
  for seed in $SEEDS; do results+=("$(train "$variant" "$seed" "${extra[@]}")"); done
  printf '%s\n' "${results[@]}" | python3 -c "
import sys, statistics as s
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
f1 = [r[0] for r in rows]; acc = [r[1] for r in rows]
sd = lambda v: s.stdev(v) if len(v) > 1 else 0.0
print(f'$variant: macro-F1 {s.mean(f1):.3f} ± {sd(f1):.3f}  accuracy {s.mean(acc):.3f} ± {sd(acc):.3f}  (seeds: {len(rows)})')"
done
fi

if [ "$ABLATION" = 1 ] || [ "${ABLATION_ONLY:-0}" = 1 ]; then
  echo "== augmentations: precision@10 after $ABLATION_EPOCHS epochs, each left out (and none, and all)"
  ALL="tmask fmask gain stretch shift mix"
  for leave in none-of-them $ALL all-of-them; do
    case $leave in
      none-of-them) aug=none ;;
      all-of-them) aug=all ;;
      *) aug=$(echo $ALL | tr ' ' '\n' | grep -vx "$leave" | paste -sd,) ;;
    esac
    t=$(pretrain "$WORK/ablation" "--epochs $ABLATION_EPOCHS" "$aug")
    echo "$aug: p@10 $(p10 "run:$WORK/ablation")  ($t)"
  done
fi

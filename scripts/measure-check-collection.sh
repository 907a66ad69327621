#!/usr/bin/env bash
# Issue 16's figures on the check collection (`make-demo-collection.sh --collection check`: the demo's four styles
# from packages the demo does not use, 8 to 35 recordings a style), so that what was chosen on the demo is seen on
# music it was not chosen on. One rerunnable command; every result is kept in WORK and reused on a second run:
#   1. the collection built and imported into WORK/lib.sqlite (a 4-style single-label set "style");
#   2. `pretrain` with its defaults (wall and CPU time);
#   3. precision@10 by style against the whole collection, own source track left out, for mfcc, rp and the encoder;
#   4. 5-NN macro-F1 with every clip voted on by the other folds (`evaluate-similarity --folds 4 --knn 5`, FOLD_SEEDS);
#   5. compact_cnn on the 4 styles, 4 source-track folds, 30 epochs, last epoch kept (`evaluate --folds 4`): from
#      scratch, linear probe on the encoder (`--freeze --lr 3e-3`, the run form's choice), fine-tuned (`--init`), SEEDS;
#   6. music vs speech (the probe, one seed) and `label-by-neighbours` on the styles: how many speech clips it leaves.
# Usage: scripts/measure-check-collection.sh [WORK]   (env: CHECK, SEEDS, FOLD_SEEDS, VARIANTS, THREADS, CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/check/measure}
CHECK=${CHECK:-$HOME/.cache/sonolab/check}
CLI=${CLI:-build/app/sonolab-cli}
SEEDS=${SEEDS:-"1 2 3"}
FOLD_SEEDS=${FOLD_SEEDS:-"0 1 2"}
VARIANTS=${VARIANTS:-"scratch probe finetune"}
THREADS=${THREADS:-2}
STYLES=orchestral,electronic,rock,chiptune
LIB=$WORK/lib.sqlite
ENC=$WORK/pretrained
run() { nice -n 10 "$CLI" "$@"; }
label() { case $1 in run:*) echo encoder ;; *) echo "$1" ;; esac; }
mkdir -p "$WORK"

bash scripts/make-demo-collection.sh --collection check "$CHECK"
if [ ! -f "$LIB" ]; then
  run library import --mtat "$CHECK/annotations_final.csv" --audio-root "$CHECK/audio" --group-column group --db "$LIB" \
    >/dev/null 2>&1
  run library derive --db "$LIB" --from mtat --name style --single "$STYLES" >/dev/null
  run library split --db "$LIB" --labels style --kind group --name style-split --seed 7 >/dev/null
fi
run library stats --db "$LIB" | head -16

if [ ! -f "$ENC/model.pt" ] || [ ! -f "$ENC.time" ]; then
  /usr/bin/time -f "%e %U %S" -o "$ENC.time" nice -n 10 "$CLI" pretrain --db "$LIB" --model compact_cnn --out "$ENC" \
    --threads "$THREADS" -q >/dev/null
fi
echo "== pretraining with the defaults: $(awk '{printf "wall %.0f s, cpu %.0f s", $1, $2 + $3}' "$ENC.time")"

echo "== precision@10 by style, whole collection, own source track left out"
for space in mfcc rp "run:$ENC"; do
  run evaluate-similarity --db "$LIB" --space "$space" --label-set style --k 10 --json 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-8s %.3f (chance %.3f)" % (sys.argv[1], r["precision_at_k"], r["chance_precision_at_k"]))' "$(label "$space")"
done

echo "== 5-NN macro-F1, 4 source-track folds (every clip once; mean over folds)"
for space in mfcc rp "run:$ENC"; do
  name=$(label "$space")
  for s in $FOLD_SEEDS; do
    out=$WORK/knn-$name-$s.json
    [ -s "$out" ] || run evaluate-similarity --db "$LIB" --space "$space" --label-set style --k 10 --folds 4 --fold-seed "$s" \
      --knn 5 --threads "$THREADS" --json 2>/dev/null >"$out"
  done
  python3 - "$name" "$WORK"/knn-"$name"-*.json <<'PY'
import json, sys
rs = [json.load(open(p)) for p in sys.argv[2:]]
once = [r["knn"]["macro_f1"] for r in rs]
mean = [r["summary"]["knn_macro_f1"]["mean"] for r in rs]
print("%-8s %s (mean %.3f); over folds %s" % (sys.argv[1], " ".join("%.3f" % v for v in once), sum(once) / len(once),
                                               " ".join("%.3f" % v for v in mean)))
PY
done

folds() {  # name task split seed train-options... -> WORK/cls-name-seed-group.json (the template trains 1 epoch; folds 30)
  local name=$1 task=$2 split=$3 seed=$4
  shift 4
  local tpl=$WORK/tpl-$name-$seed out=$WORK/cls-$name-$seed-group.json
  [ -f "$tpl/model.txt" ] || run train --db "$LIB" --task "$task" --split "$split" --model compact_cnn --out "$tpl" \
    --epochs 1 --last-epoch --seed "$seed" --threads "$THREADS" -q "$@" >/dev/null
  [ -s "$out" ] || run evaluate --run "$tpl" --db "$LIB" --folds 4 --fold-by group --epochs 30 --json -q >"$out.part"
  [ -s "$out" ] || mv "$out.part" "$out"
}
summary() {  # label json... -> macro-F1 mean ± std over folds and every clip once, per seed
  python3 - "$@" <<'PY'
import json, sys
cells = []
for p in sys.argv[2:]:
    r = json.load(open(p))
    m = r["summary"]["macro_f1"]
    cells.append("%.3f ± %.3f (%.3f)" % (m["mean"], m["std"], r["pooled"]["macro_f1"]))
print("%-9s %s" % (sys.argv[1], "; ".join(cells)))
PY
}
echo "== compact_cnn, 4 styles, 4 source-track folds, 30 epochs: macro-F1 mean ± std over folds (every clip once), seeds $SEEDS"
for v in $VARIANTS; do
  case $v in
    scratch) extra=() ;;
    probe) extra=(--init "$ENC" --freeze --lr 3e-3) ;;
    finetune) extra=(--init "$ENC") ;;
    *) echo "unknown variant $v" >&2; exit 1 ;;
  esac
  files=()
  for seed in $SEEDS; do folds "$v" "single:$STYLES@style" style-split "$seed" "${extra[@]}"; files+=("$WORK/cls-$v-$seed-group.json"); done
  summary "$v" "${files[@]}"
done

echo "== music vs speech, linear probe, 4 source-track folds, seed 1"
folds speech-probe "single:music,speech@mtat" mtat 1 --init "$ENC" --freeze --lr 3e-3
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("accuracy %.3f (every clip once), macro-F1 %.3f" % (r["pooled"]["accuracy"], r["pooled"]["macro_f1"]))' \
  "$WORK/cls-speech-probe-1-group.json"

echo "== label-by-neighbours from every style clip (--reach 0.95): speech clips left unlabelled"
for space in mfcc "run:$ENC"; do
  copy=$WORK/vote.sqlite
  cp "$LIB" "$copy"
  run library label-by-neighbours --db "$copy" --labels style --into style-knn --space "$space" --cache "$LIB.features" \
    --threads "$THREADS" --json 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print("%-8s %d of %d unlabelled tracks left" % (sys.argv[1], len(r["left_unlabelled"]), len(r["left_unlabelled"]) + len(r["tracks"])))' "$(label "$space")"
  rm -f "$copy"*
done

#!/usr/bin/env python3
"""How well `sonolab-cli library label-by-neighbours` labels a library of which only a few recordings are labelled.

Copies LIB, keeps the labels of set SET on a fraction of its recordings (source groups, chosen at random per seed) and
hides the rest, runs label-by-neighbours on the copy, and scores what it wrote against the hidden labels: per label F1
(a multi-label set's labels, a single-label set's classes), their mean, the share of tracks whose labels came out exactly,
and how many hidden tracks it left unlabelled; tracks that never had a label in SET (e.g. speech among styles) count as
"never labelled", and how many of them it left unlabelled is the rule's "none of these" at work.

    /usr/bin/python3 scripts/measure-neighbour-labelling.py --db LIB --set mtat --space run:ENC --keep 0.25 --k 1,3,5
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import tempfile


def run_once(a, k, seed, work):
    db = os.path.join(work, f"lib-{seed}-{k}.sqlite")
    shutil.copy(a.db, db)
    c = sqlite3.connect(db)
    set_id = c.execute("select id from label_sets where name=?", (a.set,)).fetchone()[0]
    rows = c.execute("select t.id, coalesce(t.group_id, -t.id), l.label from track_labels l join tracks t on t.id = l.track_id "
                     "where l.label_set_id = ? and l.value > 0.5", (set_id,)).fetchall()
    truth, group = {}, {}
    for t, g, label in rows:
        truth.setdefault(t, set()).add(label)
        group[t] = g
    groups = sorted(set(group.values()))
    random.Random(seed).shuffle(groups)
    kept = set(groups[: max(1, round(a.keep * len(groups)))])
    hidden = [t for t in truth if group[t] not in kept]
    c.executemany("delete from track_labels where label_set_id = ? and track_id = ?", [(set_id, t) for t in hidden])
    c.commit()
    c.close()
    cmd = [a.cli, "library", "label-by-neighbours", "--db", db, "--labels", a.set, "--into", "voted", "--space", a.space,
           "--k", str(k), "--reach", str(a.reach), "--json"]
    if a.cache:
        cmd += ["--cache", a.cache]
    out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    voted = {t["id"]: {l["label"] for l in t["labels"]} for t in out["tracks"]}
    left = {t["id"] for t in out["left_unlabelled"]}
    labels = sorted({l for s in truth.values() for l in s})
    f1 = {}
    for label in labels:
        tp = sum(label in voted.get(t, set()) and label in truth[t] for t in hidden)
        fp = sum(label in voted.get(t, set()) and label not in truth[t] for t in hidden)
        fn = sum(label not in voted.get(t, set()) and label in truth[t] for t in hidden)
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    never = [t for t in list(voted) + list(left) if t not in truth]
    return {"hidden": len(hidden), "macro_f1": sum(f1.values()) / len(f1),
            "exact": sum(voted.get(t, set()) == truth[t] for t in hidden) / len(hidden),
            "hidden_left": sum(t in left for t in hidden), "never": len(never),
            "never_left": sum(t in left for t in never), "f1": f1}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--set", required=True, help="label set whose labels are partly hidden")
    ap.add_argument("--space", default="mfcc")
    ap.add_argument("--keep", type=float, default=0.25, help="fraction of recordings that keep their labels")
    ap.add_argument("--k", default="5", help="voters, comma-separated to compare")
    ap.add_argument("--reach", type=float, default=0.95)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--cache", help="feature cache folder (default: beside LIB's copy, i.e. none)")
    ap.add_argument("--cli", default="build/app/sonolab-cli")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for k in map(int, a.k.split(",")):
            runs = [run_once(a, k, seed, work) for seed in range(1, a.seeds + 1)]
            mean = lambda key: sum(r[key] for r in runs) / len(runs)
            each = ", ".join(f"{r['macro_f1']:.3f}" for r in runs)
            print(f"{a.space} k={k}, {a.keep:.2f} of the recordings labelled, {a.seeds} seeds: macro-F1 over labels "
                  f"{mean('macro_f1'):.3f} ({each}), exact {mean('exact'):.3f}, "
                  f"hidden left unlabelled {mean('hidden_left'):.1f} of {mean('hidden'):.0f}, never labelled left "
                  f"{mean('never_left'):.1f} of {mean('never'):.0f}")


if __name__ == "__main__":
    main()

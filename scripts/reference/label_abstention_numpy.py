#!/usr/bin/env python3
"""How label-by-neighbours' "none of these" rule trades coverage for rejection, written from its definition in numpy.

A library whose tracks of one kind carry no label at all (e.g. speech among music labelled by style): keep the labels of
a fraction of each class's recordings, hide the rest, and ask of every track whose label was hidden (in-set) and of every
track that never had one (out-of-set) whether the rule leaves it unlabelled. The rule, as core/pipeline/NeighbourLabelling.h
states it: a track's isolation is the distance to its nearest labelled track of another recording divided by the distance
to its nearest track of another recording at all; it abstains when that exceeds the q-quantile (nearest rank) of the
labelled tracks' own isolation. Euclidean distances between the vectors `sonolab-cli embed` writes.

    sonolab-cli embed --db LIB --space run:ENC --out EMB
    /usr/bin/python3 scripts/reference/label_abstention_numpy.py --db LIB --embedding EMB --label-set style [--seeds 20]
"""
import argparse
import math
import random
import sqlite3

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--embedding", required=True, help="folder written by `sonolab-cli embed`")
    ap.add_argument("--label-set", default="style")
    ap.add_argument("--fractions", default="0.1,0.25,0.5", help="fractions of each class's recordings kept labelled")
    ap.add_argument("--quantiles", default="0.9,0.95,0.99")
    ap.add_argument("--seeds", type=int, default=20)
    a = ap.parse_args()

    db = sqlite3.connect(a.db)
    set_id = db.execute("select id from label_sets where name=?", (a.label_set,)).fetchone()[0]
    label = dict(db.execute("select track_id, label from track_labels where label_set_id=? and value>0.5", (set_id,)))
    group = dict(db.execute("select id, coalesce(group_id, -id) from tracks"))  # no group: its own recording

    x = np.load(f"{a.embedding}/vectors.npy").astype(np.float64)
    ids = [int(line.split("\t")[0]) for line in open(f"{a.embedding}/metadata.tsv").read().splitlines()[1:]]
    g = np.array([group[i] for i in ids])
    d = np.sqrt(np.maximum(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1), 0))
    d[g[:, None] == g[None, :]] = np.inf  # a track's own recording is looked past
    nearest_any = d.min(1)
    labelled = [r for r, i in enumerate(ids) if i in label]
    labelled_rows = set(labelled)
    never = [r for r, i in enumerate(ids) if i not in label]
    recordings = {}
    for r in labelled:
        recordings.setdefault(label[ids[r]], set()).add(g[r])

    for fraction in map(float, a.fractions.split(",")):
        for q in map(float, a.quantiles.split(",")):
            left_in = total_in = left_out = total_out = 0
            for seed in range(a.seeds):
                rng = random.Random(seed)
                kept = set()
                for _, gs in sorted(recordings.items()):
                    gs = sorted(gs)
                    rng.shuffle(gs)
                    kept |= set(gs[: max(1, round(fraction * len(gs)))])
                voter = np.array([r in labelled_rows and g[r] in kept for r in range(len(ids))])
                isolation = (d[:, voter].min(1) + 1e-6) / (nearest_any + 1e-6)
                own = np.sort(isolation[voter][np.isfinite(isolation[voter])])
                reach = own[max(1, math.ceil(q * len(own))) - 1]
                hidden = [r for r in labelled if not voter[r]]
                left_in += int(sum(isolation[r] > reach for r in hidden))
                total_in += len(hidden)
                left_out += int(sum(isolation[r] > reach for r in never))
                total_out += len(never)
            print(f"labelled {fraction:.2f} of each class's recordings, reach {q:.2f}: in-set left unlabelled "
                  f"{left_in / max(total_in, 1):.3f}, never-labelled kind left unlabelled {left_out / max(total_out, 1):.3f} "
                  f"({a.seeds} seeds)")


if __name__ == "__main__":
    main()

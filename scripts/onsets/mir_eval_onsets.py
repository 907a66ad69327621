#!/usr/bin/env python3
"""Onset F-measure as mir_eval computes it, over a data set and a folder of detections.

  mir_eval_onsets.py DATA DETECTIONS [--window 0.025] [--json]

DATA: an onset data set in the ISMIR 2012 layout (DATA/annotations/onsets/NAME.onsets; --names FILE: only the names
listed there); DETECTIONS: NAME.onsets per file (one time in seconds per line; a missing file counts as no detections). Prints, for the files of DATA:
  mean   the mean of mir_eval.onset.f_measure over files (how mir_eval users report a data set);
  pooled F from the matches, detections and references summed over files (Sonolab's "sum").
Uses mir_eval (python3-mir-eval) when it can be imported; otherwise the reference below, written from mir_eval's
documentation: mir_eval.onset.f_measure matches references and estimates one to one within +-window
(|ref - est| <= window) with a maximum bipartite matching (mir_eval.util.match_events), then precision =
matches / estimates, recall = matches / references, F = 2PR / (P + R) (0 when P + R = 0), and all three are 0
when either list is empty. Neither side is combined or shifted. `--force-reference` uses the reference even when
mir_eval is there (to check one against the other).
"""
import argparse
import json
import sys
from pathlib import Path


def read_times(path):
    if not path.exists():
        return []
    times = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            times.append(float(line.split()[0]))
    return sorted(times)


def match_events_reference(ref, est, window):
    """Maximum bipartite matching of ref and est within window (augmenting paths, Kuhn's algorithm)."""
    candidates = [[j for j, e in enumerate(est) if abs(r - e) <= window] for r in ref]
    est_owner = {}

    def augment(i, seen):
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in est_owner or augment(est_owner[j], seen):
                est_owner[j] = i
                return True
        return False

    sys.setrecursionlimit(max(10000, 4 * len(ref) + 100))
    for i in range(len(ref)):
        augment(i, set())
    return len(est_owner)


def f_measure_reference(ref, est, window):
    if not ref or not est:
        return 0.0, 0.0, 0.0, 0
    matches = match_events_reference(ref, est, window)
    precision, recall = matches / len(est), matches / len(ref)
    f = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return f, precision, recall, matches


def f_measure_mir_eval(ref, est, window):
    import numpy as np
    import mir_eval

    r, e = np.asarray(ref, dtype=float), np.asarray(est, dtype=float)
    f, precision, recall = mir_eval.onset.f_measure(r, e, window=window)
    matches = len(mir_eval.util.match_events(r, e, window)) if len(r) and len(e) else 0
    return f, precision, recall, matches


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data")
    ap.add_argument("detections")
    ap.add_argument("--window", type=float, default=0.025)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--force-reference", action="store_true")
    ap.add_argument("--names", help="score only the files named in this file (one NAME per line, e.g. a .fold)")
    args = ap.parse_args()

    scorer, implementation = f_measure_reference, "reference (from mir_eval's docs)"
    if not args.force_reference:
        try:
            import warnings

            import mir_eval  # noqa: F401

            warnings.filterwarnings("ignore")  # empty lists warn; they score 0 like the reference
            scorer, implementation = f_measure_mir_eval, "mir_eval " + mir_eval.__version__
        except ImportError:
            pass

    annotations = sorted((Path(args.data) / "annotations" / "onsets").glob("*.onsets"))
    if args.names:
        wanted = set(Path(args.names).read_text().split())
        annotations = [a for a in annotations if a.stem in wanted]
    if not annotations:
        sys.exit(f"{args.data}: no annotations/onsets/*.onsets")
    per_file, matches, n_ref, n_est = [], 0, 0, 0
    for a in annotations:
        ref = read_times(a)
        est = read_times(Path(args.detections) / a.name)
        f, p, r, m = scorer(ref, est, args.window)
        per_file.append({"name": a.stem, "f": f, "precision": p, "recall": r, "matches": m,
                         "references": len(ref), "estimates": len(est)})
        matches, n_ref, n_est = matches + m, n_ref + len(ref), n_est + len(est)
    mean_f = sum(x["f"] for x in per_file) / len(per_file)
    pp = matches / n_est if n_est else 0.0
    pr = matches / n_ref if n_ref else 0.0
    pooled = 0.0 if pp + pr == 0 else 2 * pp * pr / (pp + pr)
    result = {"implementation": implementation, "window": args.window, "files": len(per_file), "mean_f": mean_f,
              "pooled_f": pooled, "pooled_precision": pp, "pooled_recall": pr, "per_file": per_file}
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{implementation}, +-{args.window * 1000:.0f} ms, {len(per_file)} files: "
              f"mean F {mean_f:.3f}  pooled F {pooled:.3f} (P {pp:.3f} R {pr:.3f})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Anchor for `sonolab-cli bench knn`: numpy's exact top-k search on the same data, and the ratios, from one run.

Runs `sonolab-cli bench knn --json`, which generates the collection and queries (or reads --data/--queries-npy),
writes them to .npy, and times Sonolab's exact and HNSW search; then times numpy's exact search on the same arrays
(||x||^2 - 2 X q, argpartition), one thread (OPENBLAS_NUM_THREADS=1), and prints both with the ratios.

    /usr/bin/python3 scripts/reference/bench_knn_numpy.py [--cli build/app/sonolab-cli] [--items 100000] [--dim 256]
"""
import os

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one thread, like the C++ query; must be set before numpy loads BLAS

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np


def numpy_exact(x, queries, k):
    norms = np.einsum("ij,ij->i", x, x)
    times, cpu, results = [], [], []
    search = lambda q: _topk(norms - 2.0 * (x @ q), k)
    search(queries[0])  # warm-up, as the C++ side does
    for q in queries:
        t0, c0 = time.perf_counter(), time.thread_time()
        results.append(search(q))
        cpu.append((time.thread_time() - c0) * 1000.0)
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times), statistics.median(cpu), results


def _topk(d, k):
    idx = np.argpartition(d, k)[:k]
    return idx[np.argsort(d[idx])]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.environ.get("SONOLAB_CLI", os.path.join(root, "build", "app", "sonolab-cli")))
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--distribution", default="clustered", choices=["clustered", "gaussian"])
    parser.add_argument("--ef", default="32,64,128,256")
    parser.add_argument("--build-threads", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sonolab-knn-") as tmp:
        data_path, query_path = os.path.join(tmp, "data.npy"), os.path.join(tmp, "queries.npy")
        cmd = [args.cli, "bench", "knn", "--json", "--items", str(args.items), "--dim", str(args.dim),
               "--queries", str(args.queries), "--k", str(args.k), "--seed", str(args.seed),
               "--distribution", args.distribution, "--ef", args.ef,
               "--build-threads", str(args.build_threads),
               "--write-data", data_path, "--write-queries", query_path]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"sonolab-cli bench knn failed ({run.returncode}): {run.stderr.strip()}")
        sonolab = json.loads(run.stdout)
        x = np.load(data_path)
        q = np.load(query_path)
        assert x.dtype == np.float32 and x.shape == (args.items, args.dim)
        numpy_ms, numpy_cpu_ms, _ = numpy_exact(x, q, args.k)

    exact_ms, exact_cpu = sonolab["exact"]["median_ms"], sonolab["exact"]["median_cpu_ms"]
    report = {"numpy_exact_ms": numpy_ms, "numpy_exact_cpu_ms": numpy_cpu_ms, "sonolab": sonolab,
              "speedup_exact_vs_numpy": numpy_ms / exact_ms,
              "speedup_exact_vs_numpy_cpu": numpy_cpu_ms / exact_cpu,
              "speedup_hnsw_vs_numpy": {str(r["ef_search"]): numpy_ms / r["median_ms"] for r in sonolab["hnsw"]},
              "speedup_hnsw_vs_numpy_cpu": {str(r["ef_search"]): numpy_cpu_ms / r["median_cpu_ms"]
                                            for r in sonolab["hnsw"]}}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"knn top-{args.k}: {args.items} x {args.dim} float32 ({args.distribution}), {sonolab['queries']} queries, "
          f"one query at a time, one thread")
    print("  (wall = elapsed per query; cpu = this thread's CPU time, robust when other work shares the cores)")
    print(f"  numpy exact       wall {numpy_ms:8.3f} ms  cpu {numpy_cpu_ms:8.3f} ms   (baseline)")
    print(f"  sonolab exact     wall {exact_ms:8.3f} ms  cpu {exact_cpu:8.3f} ms   "
          f"{numpy_ms / exact_ms:6.2f}x numpy (wall), {numpy_cpu_ms / exact_cpu:6.2f}x (cpu)")
    b = sonolab["hnsw_build"]
    print(f"  sonolab hnsw build {b['seconds']:.1f} s (M {b['m']}, efConstruction {b['ef_construction']}, "
          f"{b['threads']} threads)")
    for r in sonolab["hnsw"]:
        print(f"  sonolab hnsw ef {r['ef_search']:<4d} wall {r['median_ms']:8.3f} ms  cpu {r['median_cpu_ms']:8.3f} ms   "
              f"{numpy_ms / r['median_ms']:6.1f}x numpy (wall), {numpy_cpu_ms / r['median_cpu_ms']:6.1f}x (cpu)   "
              f"recall@{args.k} {r['recall_at_k']:.3f}")


if __name__ == "__main__":
    main()

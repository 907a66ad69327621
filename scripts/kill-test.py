#!/usr/bin/python3
"""Kill test (issue 15, "Faults"): `kill -9` sonolab-cli at random moments of its long jobs, then check that nothing
was damaged and that finishing the job gives the result of an uninterrupted run.

    scripts/kill-test.py [--kills 60] [--seed 1] [--cli build/app/sonolab-cli] [--work DIR] [--ops scan,import,...]

Jobs: library scan, library import (--folders), extract (feature cache), train (classifier), train-siamese and
onsets-train. Each job first runs once uninterrupted (the reference, and its duration T). Then, for each kill, the job
starts on a fresh copy of its starting state, is killed with SIGKILL after a uniform random delay in [0, T], and:
  - every library file passes `PRAGMA integrity_check` and its foreign keys hold;
  - an import is all or nothing: the label set holds no labels or all of them;
  - every feature cache entry (.npy) is whole: its header parses and its size is exactly what the header says;
  - the job is finished (train: with --resume when a checkpoint was written, as a user would) and its result equals
    the reference: the library's tracks or labels, the cache's bytes, or the run's curves (timing columns left out).
Prints one line per kill and a summary; the exit status is 1 if any check failed. Standard library only.
"""
import argparse
import ast
import hashlib
import math
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time
import wave

RATE = 22050


# ---------------------------------------------------------------------------------------------------------------
# Inputs: generated, so the test needs no data set.

def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, v)) * 32767)) for v in samples))


def make_audio(root, clips, rng):
    """clips WAVs of 2 s in root/tone and root/noise (the folder names are the labels)."""
    for kind in ("tone", "noise"):
        os.makedirs(os.path.join(root, kind), exist_ok=True)
        for i in range(clips // 2):
            if kind == "tone":
                f = rng.uniform(200, 2000)
                x = [0.4 * math.sin(2 * math.pi * f * t / RATE) for t in range(2 * RATE)]
            else:
                x = [rng.uniform(-0.4, 0.4) for _ in range(2 * RATE)]
            write_wav(os.path.join(root, kind, f"{kind}{i:03d}.wav"), x)


def make_onset_data(root, files, rng):
    """files WAVs of 4 s of decaying noise bursts over a quiet tone, each with its .onsets beside it."""
    os.makedirs(root, exist_ok=True)
    for i in range(files):
        times, t = [], 0.2
        while t < 3.7:
            times.append(round(t, 4))
            t += rng.uniform(0.15, 0.45)
        x = [0.02 * math.sin(2 * math.pi * 330 * n / RATE) for n in range(4 * RATE)]
        for onset in times:
            start = int(onset * RATE)
            for k in range(int(0.08 * RATE)):
                if start + k < len(x):
                    x[start + k] += rng.uniform(-0.6, 0.6) * math.exp(-k / (0.015 * RATE))
        write_wav(os.path.join(root, f"take{i:02d}.wav"), x)
        with open(os.path.join(root, f"take{i:02d}.onsets"), "w") as f:
            f.write("".join(f"{v}\n" for v in times))


# ---------------------------------------------------------------------------------------------------------------
# Checks.

def check_library(path):
    if not os.path.exists(path):
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        problems = []
        result = [r[0] for r in db.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:3]}")
        bad = db.execute("PRAGMA foreign_key_check").fetchall()
        if bad:
            problems.append(f"foreign_key_check: {bad[:3]}")
        return problems
    finally:
        db.close()


def npy_problem(path):
    """None when path is a whole .npy file (header parses, size matches), else what is wrong."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\x93NUMPY"):
        return "no .npy magic"
    major = data[6]
    if major == 1:
        header_len, start = struct.unpack("<H", data[8:10])[0], 10
    else:
        header_len, start = struct.unpack("<I", data[8:12])[0], 12
    try:
        header = ast.literal_eval(data[start:start + header_len].decode("latin1"))
        itemsize = int(header["descr"][2:])
        count = 1
        for n in header["shape"]:
            count *= n
    except (ValueError, SyntaxError, KeyError, TypeError) as e:
        return f"header: {e}"
    expected = start + header_len + count * itemsize
    return None if len(data) == expected else f"{len(data)} bytes, header says {expected}"


def check_caches(root):
    problems = []
    for folder, _, files in os.walk(root):
        if ".features" not in folder and "cache" not in folder:  # LIB.features/..., or extract's --cache
            continue
        for name in files:
            if name.endswith(".npy"):
                p = os.path.join(folder, name)
                why = npy_problem(p)
                if why:
                    problems.append(f"torn cache entry {os.path.relpath(p, root)}: {why}")
    return problems


def import_all_or_nothing(lib, expected_labels):
    if not os.path.exists(lib):
        return []
    db = sqlite3.connect(f"file:{lib}?mode=ro", uri=True)
    try:
        n = db.execute("SELECT COUNT(*) FROM track_labels").fetchone()[0]
        sets = db.execute("SELECT COUNT(*) FROM label_sets").fetchone()[0]
    finally:
        db.close()
    if (n, sets) not in ((0, 0), (expected_labels, 1)):
        return [f"import half done: {sets} label set(s), {n} of {expected_labels} labels"]
    return []


# ---------------------------------------------------------------------------------------------------------------
# Results compared with the reference.

def tracks_of(lib):
    db = sqlite3.connect(f"file:{lib}?mode=ro", uri=True)
    try:
        return sorted(db.execute("SELECT path, content_hash, size, duration, sample_rate FROM tracks").fetchall())
    finally:
        db.close()


def labels_of(lib):
    db = sqlite3.connect(f"file:{lib}?mode=ro", uri=True)
    try:
        return sorted(db.execute("SELECT t.path, s.name, l.label, l.value FROM track_labels l "
                                 "JOIN tracks t ON t.id = l.track_id JOIN label_sets s ON s.id = l.label_set_id"))
    finally:
        db.close()


def files_of(root):
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            p = os.path.join(folder, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def curves_of(run):
    """curves.csv without the columns that time the run (seconds, throughput)."""
    with open(os.path.join(run, "curves.csv")) as f:
        rows = [line.rstrip("\n").split(",") for line in f]
    timing = {i for i, name in enumerate(rows[0]) if any(w in name for w in ("second", "time", "per_s", "/s"))}
    return [[c for i, c in enumerate(r) if i not in timing] for r in rows]


# ---------------------------------------------------------------------------------------------------------------
# Jobs.

class Job:
    """One long job: how to set up its starting state, the command, and how to finish and read its result."""

    def __init__(self, name, command, result, start_state=None, finish=None, checks=()):
        self.name, self.command, self.result = name, command, result
        self.start_state = start_state or (lambda ws: None)
        self.finish = finish or command
        self.checks = checks


def jobs(cli, base, clips):
    audio = os.path.join(base, "audio")
    onsets = os.path.join(base, "onsets")
    scanned = os.path.join(base, "scanned.sqlite")        # after scan
    labelled = os.path.join(base, "labelled.sqlite")      # after scan, import and split
    lib = lambda ws: os.path.join(ws, "lib.sqlite")
    copy_db = lambda src: (lambda ws: shutil.copy(src, lib(ws)))
    train_args = ["--task", "single:tone,noise", "--split", "s", "--threads", "1"]

    def train_finish(ws):
        run = os.path.join(ws, "run")
        # As a user would: --resume a run that wrote a checkpoint, start again otherwise.
        resume = ["--resume"] if os.path.exists(os.path.join(run, "checkpoint.pt")) else []
        if not resume and os.path.exists(run):
            shutil.rmtree(run)
        return train_cmd(ws) + resume

    def import_finish(ws):
        # A finished import is not repeated (the label set exists: a second import is refused, as it should be).
        return None if labels_of(lib(ws)) else [cli, "library", "import", "--folders", audio, "--db", lib(ws)]

    def train_cmd(ws):
        return [cli, "train", "--db", lib(ws), *train_args, "--seed", "7", "--model", "compact_cnn:filters=8/8/8", "--epochs", "6",
                "--batch-size", "4", "--lr", "0.003", "--out", os.path.join(ws, "run"), "--quiet"]

    return [
        Job("scan", lambda ws: [cli, "library", "scan", audio, "--db", lib(ws)], lambda ws: tracks_of(lib(ws))),
        Job("import", lambda ws: [cli, "library", "import", "--folders", audio, "--db", lib(ws)],
            lambda ws: labels_of(lib(ws)), start_state=copy_db(scanned), finish=import_finish,
            checks=[lambda ws: import_all_or_nothing(lib(ws), clips)]),
        Job("extract", lambda ws: [cli, "extract", audio, "--cache", os.path.join(ws, "cache"), "--threads", "2",
                                   "--quiet"],
            lambda ws: files_of(os.path.join(ws, "cache"))),
        Job("train", train_cmd, lambda ws: curves_of(os.path.join(ws, "run")), start_state=copy_db(labelled),
            finish=train_finish),
        Job("train-siamese", lambda ws: [cli, "train-siamese", "--db", lib(ws), *train_args, "--epochs", "3",
                                         "--out", os.path.join(ws, "run")],
            lambda ws: curves_of(os.path.join(ws, "run")), start_state=copy_db(labelled)),
        Job("onsets-train", lambda ws: [cli, "onsets-train", "--data", onsets, "--epochs", "3", "--threads", "1",
                                        "--out", os.path.join(ws, "run")],
            lambda ws: curves_of(os.path.join(ws, "run"))),
    ]


def prepare(cli, base, clips, rng):
    audio = os.path.join(base, "audio")
    make_audio(audio, clips, rng)
    make_onset_data(os.path.join(base, "onsets"), 6, rng)
    scanned, labelled = os.path.join(base, "scanned.sqlite"), os.path.join(base, "labelled.sqlite")
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    subprocess.run([cli, "library", "scan", audio, "--db", scanned], **quiet)
    shutil.copy(scanned, labelled)
    subprocess.run([cli, "library", "import", "--folders", audio, "--db", labelled], **quiet)
    subprocess.run([cli, "library", "split", "--db", labelled, "--kind", "stratified", "--seed", "1", "--name", "s"],
                   **quiet)
    # The copies must be self-contained: fold the write-ahead log into the main file.
    for db in (scanned, labelled):
        sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()


def fresh(ws, job):
    shutil.rmtree(ws, ignore_errors=True)
    os.makedirs(ws)
    job.start_state(ws)


def run(cmd):
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode, done.stdout[-2000:]


def damage(ws, job):
    problems = check_library(os.path.join(ws, "lib.sqlite")) + check_caches(ws)
    for check in job.checks:
        problems += check(ws)
    return problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=60, help="kills in all, spread over the jobs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clips", type=int, default=120, help="generated clips (half tone, half noise)")
    parser.add_argument("--cli", default=os.path.join(here, "..", "build", "app", "sonolab-cli"))
    parser.add_argument("--work", default="/tmp/sonolab-kill-test")
    parser.add_argument("--ops", default="scan,import,extract,train,train-siamese,onsets-train")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cli = os.path.abspath(args.cli)
    shutil.rmtree(args.work, ignore_errors=True)
    base = os.path.join(args.work, "inputs")
    prepare(cli, base, args.clips, rng)

    selected = [j for j in jobs(cli, base, args.clips) if j.name in args.ops.split(",")]
    failures, kills, landed = [], 0, 0
    for index in range(args.kills):
        job = selected[index % len(selected)]
        ref = os.path.join(args.work, "ref-" + job.name)
        if not os.path.exists(ref):
            fresh(ref, job)
            t0 = time.monotonic()
            rc, out = run(job.command(ref))
            job.seconds = time.monotonic() - t0
            if rc != 0:
                sys.exit(f"kill-test: the uninterrupted {job.name} failed ({rc}):\n{out}")
            job.reference = job.result(ref)
            print(f"{job.name}: uninterrupted run {job.seconds:.2f} s")
        ws = os.path.join(args.work, "ws")
        fresh(ws, job)
        delay = rng.uniform(0, job.seconds)
        proc = subprocess.Popen(job.command(ws), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        was_running = proc.poll() is None
        if was_running:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        landed += was_running
        problems = damage(ws, job)
        finish = job.finish(ws)
        rc, out = run(finish) if finish else (0, "")
        if rc != 0:
            problems.append(f"finishing failed ({rc}): {out.strip().splitlines()[-1] if out.strip() else ''}")
        else:
            problems += damage(ws, job)
            if job.result(ws) != job.reference:
                problems.append("finished with another result than the uninterrupted run")
        state = "killed" if was_running else "had finished"
        print(f"{index + 1:3d} {job.name:14s} {state} at {delay:5.2f} s: {'ok' if not problems else '; '.join(problems)}")
        if problems:
            failures.append((job.name, delay, problems))
            shutil.copytree(ws, os.path.join(args.work, f"failed-{index + 1}-{job.name}"))
    print(f"\n{kills} kills ({landed} while the job ran), {len(failures)} with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Log-mel throughput: PyTorch (torch.stft + a Slaney mel matrix, float32, one thread) against `sonolab-cli bench
features` (fused log-mel, one thread), both on the same synthetic signal length and parameters, in one run.
Prints both in "x real time" and the ratio Sonolab / PyTorch.

Usage: /usr/bin/python3 scripts/reference/bench_logmel_torch.py [--cli build/app/sonolab-cli] [--seconds 60]
       [--sr 22050 --n-fft 1024 --hop 512 --n-mels 80 --repeat 7]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logmel_reference import mel_filters  # noqa: E402


def make_torch_logmel(args):
    import torch
    torch.set_num_threads(1)
    sr = args.sr
    rng = np.random.default_rng(1)
    t = np.arange(int(args.seconds * sr)) / sr
    y = (0.3 * np.sin(2 * np.pi * 440 * t) + rng.normal(0, 0.05, t.shape)).astype(np.float32)
    y = torch.from_numpy(y)
    window = torch.hann_window(args.n_fft, periodic=True, dtype=torch.float32)
    mel = torch.from_numpy(mel_filters(sr, args.n_fft, args.n_mels, 0.0, sr / 2.0, False, True).astype(np.float32))

    def logmel():
        with torch.no_grad():
            X = torch.stft(y, args.n_fft, hop_length=args.hop, window=window, center=True, pad_mode="reflect",
                           return_complex=True)
            P = X.real ** 2 + X.imag ** 2
            M = mel @ P
            db = 10.0 * torch.log10(torch.clamp(M, min=1e-10))
            return torch.maximum(db, db.max() - 80.0)

    assert logmel().shape == (args.n_mels, 1 + len(y) // args.hop)
    return logmel, torch.__version__


def torch_xrt(logmel, args):
    """x real time by wall clock and by this thread's CPU time (steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(args.repeat):
        start, c0 = time.perf_counter(), time.thread_time()
        logmel()
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - start)
    return args.seconds / statistics.median(wall), args.seconds / statistics.median(cpu)


def sonolab_xrt(args, echo):
    cmd = [args.cli, "bench", "features", "--seconds", str(args.seconds), "--sr", str(args.sr), "--n-fft",
           str(args.n_fft), "--hop", str(args.hop), "--n-mels", str(args.n_mels), "--repeat", str(args.repeat)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if echo:
        sys.stdout.write(out)
    return (float(re.search(r"^logmel_xrt=([0-9.]+)$", out, re.M).group(1)),
            float(re.search(r"^logmel_cpu_xrt=([0-9.]+)$", out, re.M).group(1)))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cli", default=os.path.join(here, "..", "..", "build", "app", "sonolab-cli"))
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--sr", type=int, default=22050)
    p.add_argument("--n-fft", type=int, default=1024)
    p.add_argument("--hop", type=int, default=512)
    p.add_argument("--n-mels", type=int, default=80)
    p.add_argument("--repeat", type=int, default=5, help="timed runs per round (median)")
    p.add_argument("--rounds", type=int, default=5, help="alternating PyTorch/Sonolab rounds (median ratio)")
    args = p.parse_args()
    logmel, version = make_torch_logmel(args)
    # Alternate the two so that a busy machine slows both alike; report medians over rounds.
    rows = []
    for r in range(args.rounds):
        t, tc = torch_xrt(logmel, args)
        o, oc = sonolab_xrt(args, echo=(r == 0))
        rows.append((t, o, o / t, tc, oc, oc / tc))
        print(f"round {r + 1}: wall PyTorch {t:7.0f}x Sonolab {o:7.0f}x ratio {o / t:5.2f} | "
              f"cpu PyTorch {tc:7.0f}x Sonolab {oc:7.0f}x ratio {oc / tc:5.2f}")
    med = [statistics.median(col) for col in zip(*rows)]
    print(f"PyTorch {version} torch.stft + Slaney mel + dB, float32, 1 thread: "
          f"{med[0]:7.0f}x real time (wall), {med[3]:7.0f}x (cpu)")
    print(f"Sonolab fused log-mel (FFTW, sparse mel), 1 thread:              "
          f"{med[1]:7.0f}x real time (wall), {med[4]:7.0f}x (cpu)")
    print(f"ratio Sonolab / PyTorch, median over {args.rounds} rounds: wall {med[2]:.2f}, cpu time {med[5]:.2f}")


if __name__ == "__main__":
    main()

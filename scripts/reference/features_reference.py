#!/usr/bin/env python3
"""Independent numpy reference for Sonolab's frame features, written from librosa's definitions in float64
(numpy only: no librosa, scipy or madmom needed).

Usage: features_reference.py IN.f32 OUTDIR SR N_FFT HOP N_MELS N_MFCC
Writes raw little-endian float32 files into OUTDIR, each C order:
  mfcc.f32 (n_mfcc, frames)
  centroid.f32 bandwidth.f32 rolloff.f32 flatness.f32 (frames)  zcr.f32 rms.f32 (frames of 2048/hop)
  chroma.f32 (12, frames)
(The onset detection function and peak picking have their own reference: madmom_onsets_reference.py.)
"""
import os
import sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from logmel_reference import mel_filters, power_to_db  # noqa: E402


def stft(y, n_fft, hop):
    n = np.arange(n_fft)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / n_fft)
    yp = np.pad(y, n_fft // 2, mode="reflect")
    frames = 1 + (len(yp) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    return np.fft.rfft(yp[idx] * window[None, :], axis=1).T  # (bins, frames)


def dct_ortho(x, n_out):
    N = x.shape[0]
    k = np.arange(n_out)[:, None]
    n = np.arange(N)[None, :]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * N)) * np.sqrt(2.0 / N)
    basis[0] *= np.sqrt(0.5)
    return basis @ x


def frame_signal(y, length, hop, mode):
    yp = np.pad(y, length // 2, mode=mode)
    frames = 1 + (len(yp) - length) // hop
    idx = np.arange(length)[None, :] + hop * np.arange(frames)[:, None]
    return yp[idx]


def chroma_filters(sr, n_fft, n_chroma=12, tuning=0.0, ctroct=5.0, octwidth=2.0):
    freqs = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    a440 = 440.0 * 2.0 ** (tuning / n_chroma)
    frq = n_chroma * np.log2(freqs / (a440 / 16))
    frq = np.concatenate(([frq[0] - 1.5 * n_chroma], frq))
    width = np.concatenate((np.maximum(frq[1:] - frq[:-1], 1.0), [1]))
    D = np.subtract.outer(frq, np.arange(0, n_chroma, dtype="d")).T
    half = np.round(float(n_chroma) / 2)
    D = np.remainder(D + half + 10 * n_chroma, n_chroma) - half
    w = np.exp(-0.5 * (2 * D / np.tile(width, (n_chroma, 1))) ** 2)
    w = w / np.sqrt((w ** 2).sum(axis=0, keepdims=True))
    w *= np.tile(np.exp(-0.5 * (((frq / n_chroma - ctroct) / octwidth) ** 2)), (n_chroma, 1))
    w = np.roll(w, -3 * (n_chroma // 12), axis=0)
    return w[:, : int(1 + n_fft / 2)]


def main():
    y = np.fromfile(sys.argv[1], dtype="<f4").astype(np.float64)
    out = sys.argv[2]
    sr, n_fft, hop, n_mels, n_mfcc = (int(v) for v in sys.argv[3:8])
    X = stft(y, n_fft, hop)
    S = np.abs(X)
    P = S ** 2

    def save(name, a):
        np.asarray(a, dtype="<f4").tofile(os.path.join(out, name + ".f32"))

    logmel = power_to_db(mel_filters(sr, n_fft, n_mels, 0.0, sr / 2.0, False, True) @ P)
    mfcc = dct_ortho(logmel, n_mfcc)
    save("mfcc", mfcc)
    freq = np.linspace(0, sr / 2, 1 + n_fft // 2)[:, None]
    cent = (freq * S).sum(0) / S.sum(0)
    save("centroid", cent)
    Sn = S / S.sum(0, keepdims=True)
    save("bandwidth", ((Sn * np.abs(freq - cent[None, :]) ** 2).sum(0)) ** 0.5)
    cum = np.cumsum(S, axis=0)
    thr = 0.85 * cum[-1]
    save("rolloff", np.nanmin(np.where(cum < thr[None, :], np.nan, 1) * freq, axis=0))
    St = np.maximum(1e-10, S ** 2)
    save("flatness", np.exp(np.mean(np.log(St), 0)) / np.mean(St, 0))
    fr = frame_signal(y, 2048, hop, "edge")
    fr = np.where(np.abs(fr) <= 1e-10, 0, fr)
    save("zcr", (np.signbit(fr[:, 1:]) != np.signbit(fr[:, :-1])).sum(1) / 2048.0)
    fr = frame_signal(y, 2048, hop, "constant")
    save("rms", np.sqrt(np.mean(fr ** 2, axis=1)))
    raw = chroma_filters(sr, n_fft) @ P
    save("chroma", raw / np.max(np.abs(raw), axis=0, keepdims=True))


if __name__ == "__main__":
    main()

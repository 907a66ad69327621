#!/usr/bin/env python3
"""Independent numpy reference for Sonolab's log-mel: librosa's definitions written from the formulas in float64.

Usage: logmel_reference.py IN.f32 OUT.f32 SR N_FFT HOP N_MELS FMIN FMAX HTK(0/1) NORM(0/1)
IN.f32 holds raw little-endian float32 samples; OUT.f32 receives power_to_db(mel, ref=1, amin=1e-10, top_db=80)
as float32, shape (n_mels, frames) C order, preceded by two int32: n_mels, frames.
"""
import sys
import numpy as np


def hz_to_mel(f, htk):
    f = np.asanyarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk):
    m = np.asanyarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filters(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    fftfreqs = np.linspace(0, sr / 2.0, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    weights = np.zeros((n_mels, len(fftfreqs)))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if norm:
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def stft_power(y, n_fft, hop):
    n = np.arange(n_fft)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / n_fft)  # periodic Hann (scipy get_window fftbins=True)
    yp = np.pad(y, n_fft // 2, mode="reflect")
    frames = 1 + (len(yp) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(yp[idx] * window[None, :], axis=1)
    return (np.abs(spec) ** 2).T  # (bins, frames)


def power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0):
    log_spec = 10.0 * np.log10(np.maximum(amin, S)) - 10.0 * np.log10(np.maximum(amin, ref))
    if top_db is not None:
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def main():
    src, dst = sys.argv[1], sys.argv[2]
    sr, n_fft, hop, n_mels = (int(v) for v in sys.argv[3:7])
    fmin, fmax = float(sys.argv[7]), float(sys.argv[8])
    htk, norm = sys.argv[9] == "1", sys.argv[10] == "1"
    y = np.fromfile(src, dtype="<f4").astype(np.float64)
    S = mel_filters(sr, n_fft, n_mels, fmin, fmax or sr / 2.0, htk, norm) @ stft_power(y, n_fft, hop)
    db = power_to_db(S).astype("<f4")
    with open(dst, "wb") as f:
        np.array(db.shape, dtype="<i4").tofile(f)
        db.tofile(f)


if __name__ == "__main__":
    main()

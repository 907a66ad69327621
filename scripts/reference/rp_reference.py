#!/usr/bin/env python3
"""Independent numpy reference for Sonolab's Rhythm Patterns / SSD / Rhythm Histogram, written from the published
rp_extract definitions (Lidy & Rauber; rp_extract.py by Schindler & Lidy) in float64, vectorised with numpy only.

Usage: rp_reference.py IN.f32 OUT.f32 SAMPLERATE
IN.f32: raw little-endian float32 mono samples. OUT.f32: float32 rp (1440), ssd (168), rh (60) concatenated,
computed with the tutorial's settings (peak normalisation, skip_leadin_fadeout=0, step_width=1, 24 bands, 60 mods).
"""
import sys
import numpy as np

BARK = np.array([100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700,
                 4400, 5300, 6400, 7700, 9500, 12000, 15500], dtype=float)
PHONS = np.array([0, 3, 20, 40, 60, 80, 100, 101], dtype=float)
EQ = np.array([
    [55, 40, 32, 24, 19, 14, 10, 6, 4, 3, 2, 2, 0, -2, -5, -4, 0, 5, 10, 14, 25, 35],
    [66, 52, 43, 37, 32, 27, 23, 21, 20, 20, 20, 20, 19, 16, 13, 13, 18, 22, 25, 30, 40, 50],
    [76, 64, 57, 51, 47, 43, 41, 41, 40, 40, 40, 39.5, 38, 35, 33, 33, 35, 41, 46, 50, 60, 70],
    [89, 79, 74, 70, 66, 63, 61, 60, 60, 60, 60, 59, 56, 53, 52, 53, 56, 61, 65, 70, 80, 90],
    [103, 96, 92, 88, 85, 83, 81, 80, 80, 80, 80, 79, 76, 72, 70, 70, 75, 79, 83, 87, 95, 105],
    [118, 110, 107, 105, 103, 102, 101, 100, 100, 100, 100, 99, 97, 94, 90, 90, 95, 100, 103, 105, 108, 115]],
    dtype=float)
LFREQ = np.array([31.62, 50, 70.7, 100, 141.4, 200, 316.2, 500, 707.1, 1000, 1414, 1682, 2000, 2515, 3162, 3976,
                  5000, 7071, 10000, 11890, 14140, 15500])


def loudness_at_bark_edges():
    out = np.zeros((6, len(BARK)))
    for i, f in enumerate(BARK):
        hit = np.where(LFREQ == f)[0]
        if hit.size:
            out[:, i] = EQ[:, hit[0]]
            continue
        j = np.searchsorted(LFREQ, f) - 1  # last contour frequency below f
        w1, w2 = 1 / abs(LFREQ[j] - f), 1 / abs(LFREQ[j + 1] - f)
        out[:, i] = (EQ[:, j] * w1 + EQ[:, j + 1] * w2) / (w1 + w2)
    return out


def sonogram(seg, n_fft):
    hop = n_fft // 2
    frames = (len(seg) - n_fft) // hop + 1
    win = np.hanning(n_fft)
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    X = np.fft.fft(seg[idx] * win, axis=1)
    P = (np.abs(X) ** 2) / np.dot(win, win)
    P[:, 1:-2] *= 2
    P = P / (2 * np.pi)
    P = P[:, : n_fft // 2 + 1].T  # (bins, frames)
    return P


def features(y, sr):
    seg_size, n_fft = {11025: (2 ** 16, 256), 22050: (2 ** 17, 512), 44100: (2 ** 18, 1024)}[sr]
    y = y / np.max(np.abs(y))
    if len(y) < seg_size:
        y = np.concatenate([y, np.zeros(seg_size - len(y))])
    n_seg = (len(y) // seg_size - 1) + 1
    freq = np.linspace(0, sr / 2, n_fft // 2 + 1)
    edges = np.concatenate([[0], BARK])
    d = np.arange(24)[:, None] - np.arange(24)[None, :] + 0.474
    spread = 10 ** ((15.81 + 7.5 * d - 17.5 * np.sqrt(1 + d ** 2)) / 10)
    lb = loudness_at_bark_edges()  # (6, 24)
    mod_res = sr / seg_size
    mod_f = mod_res * np.arange(1, 61)
    fluct = 1 / (mod_f / 4 + 4 / mod_f)
    rps, rhs, ssds = [], [], []
    for s in range(n_seg):
        seg = y[s * seg_size:(s + 1) * seg_size] * 0.0875 * 2 ** 15
        P = sonogram(seg, n_fft)
        bark = np.stack([P[(freq >= edges[b]) & (freq < edges[b + 1])].sum(axis=0) for b in range(24)])
        m = spread @ bark
        m = 10 * np.log10(np.maximum(m, 1))
        # phon: position between the equal-loudness contours of each band
        level = (m[None, :, :] > lb[:5, :, None]).sum(axis=0)  # 0..5 contours exceeded
        lo = np.where(level > 0, lb[np.maximum(level - 1, 0), np.arange(24)[:, None]], 0)
        hi = lb[np.minimum(level, 5), np.arange(24)[:, None]]
        with np.errstate(invalid="ignore", divide="ignore"):
            ifac = np.where(level > 0, (m - lo) / (hi - lo), 1.0)
        phon = PHONS[level] + ifac * (PHONS[level + 1] - PHONS[level])
        sone = np.where(phon >= 40, 2 ** ((phon - 40) / 10), (np.maximum(phon, 0) / 40) ** 2.642)
        mu = sone.mean(axis=1)
        dev = sone - mu[:, None]
        m2, m3, m4 = (dev ** 2).mean(1), (dev ** 3).mean(1), (dev ** 4).mean(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            ssd = np.stack([mu, m2, m3 / m2 ** 1.5, m4 / m2 ** 2, np.median(sone, 1), sone.min(1), sone.max(1)], 1)
        ssds.append(np.nan_to_num(ssd).flatten("F"))
        nfft2 = 1 << int(np.ceil(np.log2(sone.shape[1])))
        R = np.abs(np.fft.fft(sone, nfft2, axis=1)[:, 1:61]) / 256
        rhs.append(R.sum(axis=0))
        rps.append((R * fluct[None, :]).flatten("F"))
    return np.median(rps, 0), np.mean(ssds, 0), np.median(rhs, 0)


def main():
    y = np.fromfile(sys.argv[1], dtype="<f4").astype(np.float64)
    rp, ssd, rh = features(y, int(sys.argv[3]))
    np.concatenate([rp, ssd, rh]).astype("<f4").tofile(sys.argv[2])


if __name__ == "__main__":
    main()

"""numpy re-implementation of madmom's onset features (madmom itself is not installable here), written from
madmom's source independently of the C++ code: the reference for tests/onsets.
Usage: madmom_reference.py filterbank FRAME BANDS OUT.npy | flux IN.npy FRAME BANDS OUT.npy |
       rnn IN.npy OUT.npy | smooth IN.npy FRAMES OUT.npy"""
import sys
import numpy as np

SR, FPS = 44100, 100.0


def log_frequencies(bpo, fmin=30., fmax=17000., fref=440.):
    left = np.floor(np.log2(float(fmin) / fref) * bpo)
    right = np.ceil(np.log2(float(fmax) / fref) * bpo)
    f = fref * 2. ** (np.arange(left, right) / float(bpo))
    f = f[np.searchsorted(f, fmin):]
    return f[:np.searchsorted(f, fmax, 'right')]


def frequencies2bins(freqs, binf):
    idx = binf.searchsorted(freqs)
    idx = np.clip(idx, 1, len(binf) - 1)
    left, right = binf[idx - 1], binf[idx]
    idx -= freqs - left < right - freqs
    return np.unique(idx)


def filterbank(frame, bpo):
    nb = frame >> 1
    binf = np.fft.fftfreq(nb * 2, 1. / SR)[:nb]
    bins = frequencies2bins(log_frequencies(bpo), binf)
    fb = np.zeros((nb, len(bins) - 2), dtype=np.float32)
    for i in range(len(bins) - 2):
        start, center, stop = bins[i:i + 3]
        if stop - start < 2:
            center, stop = start, start + 1
        rc, rs = center - start, stop - start
        data = np.zeros(rs)
        data[:rc] = np.linspace(0, 1, rc, endpoint=False)
        data[rc:] = np.linspace(1, 0, rs - rc, endpoint=False)
        data /= np.sum(data)
        fb[start:stop, i] = np.maximum(fb[start:stop, i], data)
    return fb


def log_filtered(x, frame, bpo):
    hop = SR / FPS
    n = int(np.ceil(len(x) / hop))
    win = np.hanning(frame)
    frames = np.zeros((n, frame))
    for i in range(n):
        start = int(i * hop) - frame // 2
        for_idx = np.arange(start, start + frame)
        ok = (for_idx >= 0) & (for_idx < len(x))
        frames[i, ok] = x[for_idx[ok]]
    spec = np.abs(np.fft.rfft(frames * win, axis=1))[:, :frame >> 1]
    return np.log10(spec.dot(filterbank(frame, bpo)) + 1)


def diff_frames(frame, ratio=0.5):
    win = np.hanning(frame)
    sample = np.argmax(win > ratio * max(win))
    return int(max(1, round((len(win) / 2 - sample) / (SR / FPS))))


def pos_diff(spec, lag):
    d = np.zeros_like(spec)
    d[lag:] = spec[lag:] - spec[:-lag]
    return np.maximum(d, 0)


def main():
    cmd = sys.argv[1]
    if cmd == 'filterbank':
        np.save(sys.argv[4], filterbank(int(sys.argv[2]), int(sys.argv[3])))
    elif cmd == 'flux':
        x = np.load(sys.argv[2]).astype(np.float64).ravel()
        frame, bpo = int(sys.argv[3]), int(sys.argv[4])
        spec = log_filtered(x, frame, bpo)
        np.save(sys.argv[5], pos_diff(spec, diff_frames(frame)).sum(axis=1).astype(np.float32))
    elif cmd == 'rnn':
        x = np.load(sys.argv[2]).astype(np.float64).ravel()
        parts = []
        for frame, bpo in [(1024, 3), (2048, 6), (4096, 12)]:
            spec = log_filtered(x, frame, bpo)
            parts += [spec, pos_diff(spec, diff_frames(frame))]
        np.save(sys.argv[3], np.hstack(parts).astype(np.float32))
    elif cmd == 'smooth':
        x = np.load(sys.argv[2]).astype(np.float64).ravel()
        np.save(sys.argv[4], np.convolve(x, np.hamming(int(sys.argv[3])), 'same').astype(np.float32))


if __name__ == '__main__':
    main()

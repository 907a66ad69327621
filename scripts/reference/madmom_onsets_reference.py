#!/usr/bin/env python3
"""numpy re-implementation of madmom's onset chain (madmom itself is not installable here), written from madmom's
published algorithm (madmom.audio.signal.FramedSignal, .stft, .filters.LogarithmicFilterbank, .spectrogram
SpectrogramDifference, madmom.features.onsets.spectral_flux / peak_picking / OnsetPeakPickingProcessor and
madmom.utils.combine_events) and NOT from Sonolab's C++: the reference for tests/onsets.
scipy.ndimage's uniform_filter1d / maximum_filter1d (mode='constant', with origin), which madmom calls, are
emulated below from scipy's documented window placement, since scipy is not installed either.

Usage (every OPTION is key=value; defaults are madmom's):
  madmom_onsets_reference.py filterbank OUT.npy [sr= frame_size= num_bands= fmin= fmax=]
  madmom_onsets_reference.py flux IN.npy OUT.npy [sr= fps= frame_size= num_bands= fmin= fmax= mul= add= diff_ratio=]
      prints `diff_frames N`
  madmom_onsets_reference.py rnn IN.npy OUT.npy          the 3-resolution features of the tutorial's part 3b
  madmom_onsets_reference.py smooth IN.npy OUT.npy kernel=N
  madmom_onsets_reference.py peaks IN.npy OUT.npy [threshold= smooth= pre_avg= post_avg= pre_max= post_max=]
      madmom.features.onsets.peak_picking, sizes in frames; writes the frame indices
  madmom_onsets_reference.py onsets IN.npy OUT.npy [fps= threshold= smooth= pre_avg= post_avg= pre_max= post_max=
      combine= delay=]    OnsetPeakPickingProcessor.process_offline, sizes in seconds; writes onset times
"""
import sys
import numpy as np


def options(args, **defaults):
    out = dict(defaults)
    for a in args:
        key, value = a.split('=', 1)
        if key not in defaults:
            raise SystemExit('unknown option ' + key)
        out[key] = type(defaults[key])(float(value)) if isinstance(defaults[key], int) else float(value)
    return out


# --- madmom.audio.filters -------------------------------------------------------------------------------------

def log_frequencies(bands_per_octave, fmin, fmax, fref=440.):
    left = np.floor(np.log2(float(fmin) / fref) * bands_per_octave)
    right = np.ceil(np.log2(float(fmax) / fref) * bands_per_octave)
    frequencies = fref * 2. ** (np.arange(left, right) / float(bands_per_octave))
    frequencies = frequencies[np.searchsorted(frequencies, fmin):]
    return frequencies[:np.searchsorted(frequencies, fmax, 'right')]


def frequencies2bins(frequencies, bin_frequencies):
    indices = bin_frequencies.searchsorted(frequencies)
    indices = np.clip(indices, 1, len(bin_frequencies) - 1)
    left = bin_frequencies[indices - 1]
    right = bin_frequencies[indices]
    indices -= frequencies - left < right - frequencies
    return np.unique(indices)


def triangular_filter(start, center, stop):
    center, stop = center - start, stop - start
    data = np.zeros(stop)
    data[:center] = np.linspace(0, 1, center, endpoint=False)
    data[center:] = np.linspace(1, 0, stop - center, endpoint=False)
    return data / np.sum(data)  # norm_filters=True


def logarithmic_filterbank(num_fft_bins, sr, num_bands=12, fmin=30., fmax=17000.):
    bin_frequencies = np.fft.fftfreq(num_fft_bins * 2, 1. / sr)[:num_fft_bins]
    bins = frequencies2bins(log_frequencies(num_bands, fmin, fmax), bin_frequencies)
    fb = np.zeros((num_fft_bins, len(bins) - 2))
    for band in range(len(bins) - 2):  # TriangularFilter.filters(bins, norm=True, overlap=True)
        start, center, stop = bins[band:band + 3]
        if stop - start < 2:
            center, stop = start, start + 1
        data = triangular_filter(start, center, stop)
        stop = min(start + len(data), num_fft_bins)
        fb[start:stop, band] = np.maximum(fb[start:stop, band], data[:stop - start])
    return fb


# --- madmom.audio.signal / stft / spectrogram ------------------------------------------------------------------

def framed_signal(signal, frame_size, hop_size):
    num_frames = int(np.ceil(len(signal) / float(hop_size)))
    # frame i starts frame_size // 2 before its reference sample int(i * hop_size); zero outside the signal
    refs = (np.arange(num_frames) * hop_size).astype(int)
    positions = refs[:, None] - frame_size // 2 + np.arange(frame_size)[None, :]
    padded = np.concatenate([signal, [0.]])
    positions = np.where((positions >= 0) & (positions < len(signal)), positions, len(signal))
    return padded[positions]


def log_filtered_spectrogram(signal, sr, fps, frame_size, num_bands, fmin, fmax, mul, add):
    frames = framed_signal(signal, frame_size, sr / float(fps))
    stft = np.fft.fft(frames * np.hanning(frame_size), axis=1)[:, :frame_size >> 1]
    fb = logarithmic_filterbank(frame_size >> 1, sr, num_bands, fmin, fmax)
    return np.log10(mul * np.dot(np.abs(stft), fb) + add)


def diff_frames(diff_ratio, hop_size, frame_size):
    window = np.hanning(frame_size)
    sample = np.argmax(window > float(diff_ratio) * max(window))
    diff_samples = len(window) / 2 - sample
    return int(max(1, round(diff_samples / hop_size)))  # Python's round: half to even


def positive_difference(spec, lag):
    diff = np.zeros_like(spec)
    diff[lag:] = spec[lag:] - spec[:-lag]
    return np.maximum(diff, 0)


# --- scipy.ndimage's 1-D filters, mode='constant' (cval 0) -----------------------------------------------------

def filter_windows(x, size, origin):
    """Row i: the `size` inputs scipy's filter reads for output i, the window centred on i + origin's shift:
    inputs i - size // 2 - origin ... i - size // 2 - origin + size - 1, zero outside."""
    lo = size // 2 + origin
    hi = size - 1 - lo
    padded = np.concatenate([np.zeros(max(lo, 0)), x, np.zeros(max(hi, 0))])
    idx = np.arange(len(x))[:, None] + np.arange(size)[None, :] + max(lo, 0) - lo
    return padded[idx]


# --- madmom.features.onsets ----------------------------------------------------------------------------------

def smooth_signal(signal, kernel):
    if kernel is None or kernel == 0:
        return signal
    if kernel < 2:
        raise SystemExit("madmom can't create a smoothing kernel of size %d" % kernel)
    return np.convolve(signal, np.hamming(kernel), 'same')


def peak_picking(activations, threshold, smooth=None, pre_avg=0, post_avg=0, pre_max=1, post_max=1):
    activations = smooth_signal(activations, smooth)
    avg_length = pre_avg + post_avg + 1
    if avg_length > 1:
        avg_origin = int(np.floor((pre_avg - post_avg) / 2))
        mov_avg = filter_windows(activations, avg_length, avg_origin).mean(axis=1)
    else:
        mov_avg = 0
    detections = activations * (activations >= mov_avg + threshold)
    max_length = pre_max + post_max + 1
    if max_length > 1:
        max_origin = int(np.floor((pre_max - post_max) / 2))
        mov_max = filter_windows(detections, max_length, max_origin).max(axis=1)
        detections *= (detections == mov_max)
    return np.nonzero(detections)[0]


def combine_events(events, delta, combine='left'):
    delta += 1e-12
    if len(events) <= 1:
        return events
    events = np.array(events, dtype=float, copy=True, ndmin=1)
    idx = 0
    left = events[idx]
    for right in events[1:]:
        if right - left <= delta:
            left = events[idx] = 0.5 * (right + left) if combine == 'mean' else left
        else:
            idx += 1
            left = events[idx] = right
    return events[:idx + 1]


def onset_peak_picking(activations, fps, threshold, smooth, pre_avg, post_avg, pre_max, post_max, combine, delay):
    timings = np.array([smooth, pre_avg, post_avg, pre_max, post_max]) * fps
    timings = np.round(timings).astype(int)
    onsets = peak_picking(activations, threshold, *timings).astype(float) / fps
    if delay:
        onsets += delay
    if combine:
        onsets = combine_events(onsets, combine, 'left')
    return np.asarray(onsets)


FLUX = dict(sr=44100, fps=100., frame_size=2048, num_bands=12, fmin=30., fmax=17000., mul=1., add=1., diff_ratio=.5)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'filterbank':
        o = options(args[1:], sr=44100, frame_size=2048, num_bands=12, fmin=30., fmax=17000.)
        fb = logarithmic_filterbank(o['frame_size'] >> 1, o['sr'], o['num_bands'], o['fmin'], o['fmax'])
        np.save(args[0], fb.astype(np.float32))
        return
    x = np.load(args[0]).astype(np.float64).ravel()
    out = args[1]
    if cmd == 'flux':
        o = options(args[2:], **FLUX)
        spec = log_filtered_spectrogram(x, o['sr'], o['fps'], o['frame_size'], o['num_bands'], o['fmin'], o['fmax'],
                                        o['mul'], o['add'])
        lag = diff_frames(o['diff_ratio'], o['sr'] / o['fps'], o['frame_size'])
        np.save(out, positive_difference(spec, lag).sum(axis=1).astype(np.float32))
        print('diff_frames', lag)
    elif cmd == 'rnn':
        parts = []
        for frame_size, num_bands in [(1024, 3), (2048, 6), (4096, 12)]:
            o = dict(FLUX, frame_size=frame_size, num_bands=num_bands)
            spec = log_filtered_spectrogram(x, o['sr'], o['fps'], frame_size, num_bands, o['fmin'], o['fmax'],
                                            o['mul'], o['add'])
            parts += [spec, positive_difference(spec, diff_frames(o['diff_ratio'], o['sr'] / o['fps'], frame_size))]
        np.save(out, np.hstack(parts).astype(np.float32))
    elif cmd == 'smooth':
        o = options(args[2:], kernel=0)
        np.save(out, smooth_signal(x, o['kernel']).astype(np.float32))
    elif cmd == 'peaks':
        o = options(args[2:], threshold=1.25, smooth=0, pre_avg=15, post_avg=0, pre_max=1, post_max=5)
        peaks = peak_picking(x, o['threshold'], o['smooth'], o['pre_avg'], o['post_avg'], o['pre_max'], o['post_max'])
        np.save(out, peaks.astype(np.float32))
    elif cmd == 'onsets':
        o = options(args[2:], fps=100., threshold=.35, smooth=.07, pre_avg=0., post_avg=0., pre_max=.01,
                    post_max=.01, combine=.03, delay=0.)
        np.save(out, onset_peak_picking(x, **o).astype(np.float32))
    else:
        raise SystemExit('unknown command ' + cmd)


if __name__ == '__main__':
    main()

#pragma once
// The rp_extract family (Lidy & Rauber; the Python port by Schindler & Lidy that the tutorial uses), computed per
// segment of segmentSize samples (2^18 at 44.1 kHz, 2^17 at 22.05 kHz, 2^16 at 11.025 kHz: ~5.9 s) and aggregated:
//  1. samples (peak-normalised when peakNormalise, as the tutorial's loader does) scaled by 0.0875 * 2^15
//     (rp_extract's hearing-threshold factor);
//  2. power spectrogram: symmetric Hann (numpy.hanning) frames of fftSize (1024 @ 44.1 kHz) with 50 % overlap,
//     (len - fftSize)/hop + 1 frames, each |FFT|^2 / sum(w^2), bins 1..N/2 doubled, / 2 pi (rp_extract periodogram);
//  3. Bark bands: power summed over bins with f in [edge[b-1], edge[b]) for the 24 critical-band edges
//     100 .. 15500 Hz (bins above 15.5 kHz are dropped);
//  4. spectral masking with the Schroeder spreading function 10^((15.81 + 7.5 (d+0.474) - 17.5 sqrt(1+(d+0.474)^2))/10);
//  5. dB (values below 1 set to 1, then 10 log10), phon (interpolating between the equal-loudness contours at the
//     Bark edges; below the 3-phon contour -> 3 phon), sone (2^((phon-40)/10) from 40 phon, (phon/40)^2.642 below);
//  SSD: per band mean, variance, skewness, kurtosis (Pearson, not excess), median, min, max of the sonogram
//       (NaN -> 0), averaged over segments; 168 values ordered statistic-major (index = stat * 24 + band,
//       rp_extract's Fortran-order flatten);
//  RP:  |FFT| of each band's sonogram over time (zero-padded to the next power of two, / 256), modulation bins
//       1..60 (DC excluded, 0.168 Hz .. 10.1 Hz at 44.1 kHz), weighted by the fluctuation-strength curve
//       1 / (f/4 + 4/f); median over segments; 1440 values ordered modulation-major (index = mod * 24 + band);
//  RH:  the unweighted modulation magnitudes summed over bands; median over segments; 60 values.
// Segments: rp_extract's rule, skipping skipLeadinFadeout segments at each end (only for audio of 45 s or more)
// and taking every stepWidth-th. rp_extract refuses audio shorter than one segment; with padShort (default) such
// audio is zero-padded to one segment instead.
#include <memory>
#include <span>
#include <vector>

namespace sonolab::dsp {

struct RhythmPatternParams {
    int sampleRate = 44100;  // 11025, 22050 or 44100 (decode/resample to one of these)
    int barkBands = 24;      // 2..24
    int modAmplLimit = 60;
    bool spectralMasking = true;
    bool transformDb = true;
    bool transformPhon = true;
    bool transformSone = true;
    bool fluctuationWeighting = true;
    int skipLeadinFadeout = 0;  // the tutorial's setting (rp_extract's own default is 1)
    int stepWidth = 1;
    bool peakNormalise = true;
    bool padShort = true;
};

struct RhythmFeatures {
    std::vector<float> rp;   // barkBands * modAmplLimit (1440)
    std::vector<float> ssd;  // barkBands * 7 (168)
    std::vector<float> rh;   // modAmplLimit (60)
    int segments = 0;
};

class RhythmPatterns {
public:
    explicit RhythmPatterns(RhythmPatternParams params = {});
    ~RhythmPatterns();
    RhythmPatterns(RhythmPatterns&&) noexcept;
    RhythmPatterns& operator=(RhythmPatterns&&) noexcept;

    const RhythmPatternParams& params() const { return params_; }
    int segmentSize() const { return segmentSize_; }
    int fftSize() const { return fftSize_; }
    // Modulation frequency of RP/RH column m (0-based): (m + 1) * sampleRate / segmentSize.
    double modulationHz(int m) const;

    // Mono samples at params().sampleRate. Throws Error when too short and padShort is off.
    RhythmFeatures compute(std::span<const float> signal);
    // The psychoacoustic sonogram of one segment (already scaled samples): (barkBands, frames) row-major.
    std::vector<double> sonogram(std::span<const float> segment, int* frames);

private:
    struct Impl;
    RhythmPatternParams params_;
    int segmentSize_ = 0, fftSize_ = 0;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonolab::dsp

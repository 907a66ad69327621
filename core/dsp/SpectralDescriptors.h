#pragma once
// Frame-wise spectral descriptors with librosa.feature's definitions. Spectral ones take a magnitude spectrogram
// (frames, bins) from Stft::magnitude and the sample rate / FFT size that made it; bin k is at k*sr/nFft Hz.
//  centroid   sum f S / sum S
//  bandwidth  (sum (S / sum S) |f - centroid|^p)^(1/p), p = 2
//  rolloff    the lowest bin frequency where the cumulative sum reaches rollPercent of the frame's total
//  flatness   geometric / arithmetic mean of max(amin, S^power), power 2, amin 1e-10
//  flux       sum over bins of max(0, S_t - S_{t-1}) (rectified L1 spectral difference; 0 for the first frame)
// Time-domain ones take samples and frame them like librosa (centred frames of frameLength every hop):
//  zeroCrossingRate  fraction of sign changes inside each frame (edge padding; |x| <= 1e-10 counts as 0, which
//                    is positive)
//  rms               sqrt(mean(x^2)) per frame (zero padding)
// A silent frame gives 0 for centroid, bandwidth, rolloff and flux, and 1 for flatness (all values equal amin).
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::dsp {

struct SpectralParams {
    int sampleRate = 22050;
    int nFft = 2048;
    float rollPercent = 0.85f;
    float bandwidthP = 2.0f;
    float flatnessAmin = 1e-10f;
    float flatnessPower = 2.0f;
};

struct FrameParams {
    int frameLength = 2048;
    int hop = 512;
    bool center = true;
};

class SpectralDescriptors {
public:
    explicit SpectralDescriptors(SpectralParams params = {});
    const SpectralParams& params() const { return params_; }

    std::vector<float> centroid(const Matrix& magnitude) const;
    std::vector<float> bandwidth(const Matrix& magnitude) const;
    std::vector<float> rolloff(const Matrix& magnitude) const;
    std::vector<float> flatness(const Matrix& magnitude) const;
    std::vector<float> flux(const Matrix& magnitude) const;

private:
    float binHz(std::size_t k) const { return float(double(k) * params_.sampleRate / params_.nFft); }
    SpectralParams params_;
};

std::vector<float> zeroCrossingRate(std::span<const float> signal, const FrameParams& params = {});
std::vector<float> rms(std::span<const float> signal, const FrameParams& params = {});

}  // namespace sonolab::dsp

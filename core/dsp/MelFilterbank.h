#pragma once
// Mel filterbank with librosa.filters.mel conventions: Slaney mel scale (linear below 1 kHz, logarithmic above) and
// area ("slaney") normalisation by default, HTK scale and unnormalised triangles as options. Triangles are built on
// nMels + 2 points equally spaced in mel between fmin and fmax, evaluated at the FFT bin centres k*sr/nFft.
// Each filter stores only its nonzero bin range, so apply() costs ~2 multiply-adds per bin per frame.
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::dsp {

struct MelParams {
    int sampleRate = 22050;
    int nFft = 2048;
    int nMels = 128;
    float fmin = 0;
    float fmax = 0;  // 0 = sampleRate / 2
    bool htk = false;
    bool slaneyNorm = true;
};

float hzToMel(float hz, bool htk);
float melToHz(float mel, bool htk);
double hzToMelD(double hz, bool htk);
double melToHzD(double mel, bool htk);

class MelFilterbank {
public:
    explicit MelFilterbank(MelParams params);

    const MelParams& params() const { return params_; }
    int bands() const { return params_.nMels; }
    int bins() const { return params_.nFft / 2 + 1; }

    // (frames, nMels) from a power or magnitude spectrogram of (frames, bins()).
    Matrix apply(const Matrix& powerOrMagnitude) const;
    // One frame: frame.size() == bins(), out.size() == bands(). No allocation.
    void applyFrame(std::span<const float> frame, std::span<float> out) const;
    // (nMels, bins) dense row-major, for tests and exports.
    std::span<const float> weights() const { return dense_; }
    // Nonzero range [first, last) of filter m.
    std::pair<int, int> support(int m) const { return {first_[m], last_[m]}; }

private:
    MelParams params_;
    std::vector<float> dense_;
    std::vector<int> first_, last_;
    std::vector<int> offset_;      // into packed_
    std::vector<float> packed_;    // nonzero weights of each filter, contiguous
};

}  // namespace sonolab::dsp

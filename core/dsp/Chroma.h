#pragma once
// Chroma as librosa.feature.chroma_stft with librosa.filters.chroma: Gaussian bumps per FFT bin around each pitch
// class (width set by the bin's spacing in pitch), columns L2-normalised, weighted by a Gaussian over octaves
// (centre ctroct 5, width octwidth 2), rows starting at C (base_c); the power spectrogram projected on it and each
// frame divided by its maximum. Tuning is a parameter in fractions of a bin (librosa estimates it when not given;
// we take 0, A = 440 Hz, unless told).
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::dsp {

struct ChromaParams {
    int sampleRate = 22050;
    int nFft = 2048;
    int nChroma = 12;
    float tuning = 0.0f;
    float ctroct = 5.0f;
    float octwidth = 2.0f;  // <= 0: no octave weighting
    bool baseC = true;
};

class Chroma {
public:
    explicit Chroma(ChromaParams params = {});
    const ChromaParams& params() const { return params_; }
    // (frames, nChroma) from a power spectrogram (frames, nFft/2+1).
    Matrix compute(const Matrix& power) const;
    // (nChroma, nFft/2+1) row-major.
    const std::vector<float>& weights() const { return weights_; }

private:
    ChromaParams params_;
    std::vector<float> weights_;
};

}  // namespace sonolab::dsp

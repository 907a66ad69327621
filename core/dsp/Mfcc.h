#pragma once
// MFCC as librosa.feature.mfcc: log-mel (power mel spectrogram -> power_to_db with ref 1, amin 1e-10, top_db 80)
// then an orthonormal DCT-II along the mel axis (scipy.fftpack.dct(type=2, norm="ortho")), first nMfcc coefficients.
#include "core/dsp/LogMel.h"
#include "core/util/Matrix.h"

#include <span>
#include <vector>

namespace sonolab::dsp {

struct MfccParams {
    int nMfcc = 20;
    LogMelParams logMel{.mel = {}};  // librosa defaults: 128 Slaney mels, nFft 2048, hop 512; always in dB
};

// Orthonormal DCT-II of length n, first k rows: (k, n) row-major.
std::vector<float> dctMatrix(int k, int n);

class Mfcc {
public:
    explicit Mfcc(MfccParams params = {});
    const MfccParams& params() const { return params_; }
    // (frames, nMfcc) from samples.
    Matrix compute(std::span<const float> signal);
    // (frames, nMfcc) from a log-mel spectrogram (frames, nMels) already in dB.
    Matrix fromLogMel(const Matrix& logMel) const;

private:
    MfccParams params_;
    LogMel logMel_;
    std::vector<float> dct_;
};

}  // namespace sonolab::dsp

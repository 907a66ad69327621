#include "core/dsp/Mfcc.h"

#include "core/dsp/FrameProjection.h"
#include "core/util/Error.h"

#include <cmath>
#include <numbers>

namespace sonolab::dsp {

std::vector<float> dctMatrix(int k, int n) {
    std::vector<float> m(static_cast<std::size_t>(k) * n);
    for (int i = 0; i < k; ++i) {
        const double scale = i == 0 ? std::sqrt(1.0 / n) : std::sqrt(2.0 / n);
        for (int j = 0; j < n; ++j)
            m[static_cast<std::size_t>(i) * n + j] =
                static_cast<float>(scale * std::cos(std::numbers::pi * i * (2 * j + 1) / (2.0 * n)));
    }
    return m;
}

namespace {
LogMelParams inDecibels(LogMelParams p) {
    p.toDb = true;  // the DCT is of the log-mel
    return p;
}
}  // namespace

Mfcc::Mfcc(MfccParams p) : params_(p), logMel_(inDecibels(p.logMel)) {
    params_.logMel.toDb = true;
    if (p.nMfcc < 1 || p.nMfcc > p.logMel.mel.nMels)
        throw Error("mfcc", "nMfcc must be in 1..nMels, got " + std::to_string(p.nMfcc));
    dct_ = dctMatrix(p.nMfcc, p.logMel.mel.nMels);
}

Matrix Mfcc::fromLogMel(const Matrix& logMel) const {
    return projectFrames(logMel, dct_, static_cast<std::size_t>(params_.nMfcc), "mfcc");
}

// top_db applies over the whole excerpt, as librosa
Matrix Mfcc::compute(std::span<const float> signal) { return fromLogMel(logMel_.compute(signal)); }

}  // namespace sonolab::dsp

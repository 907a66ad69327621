#include "core/dsp/Mfcc.h"

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

Mfcc::Mfcc(MfccParams p)
    : params_(p), stft_({.nFft = p.mel.nFft, .hop = p.hop}), mel_(p.mel) {
    if (p.nMfcc < 1 || p.nMfcc > p.mel.nMels)
        throw Error("mfcc", "nMfcc must be in 1..nMels, got " + std::to_string(p.nMfcc));
    dct_ = dctMatrix(p.nMfcc, p.mel.nMels);
}

Spectrogram Mfcc::fromLogMel(const Spectrogram& logMel) const {
    const auto n = static_cast<std::size_t>(params_.mel.nMels), k = static_cast<std::size_t>(params_.nMfcc);
    if (logMel.bins != n) throw Error("mfcc", "log-mel has " + std::to_string(logMel.bins) + " bands, expected " +
                                                  std::to_string(n));
    Spectrogram out;
    out.frames = logMel.frames;
    out.bins = k;
    out.values.resize(out.frames * k);
    for (std::size_t f = 0; f < logMel.frames; ++f) {
        auto in = logMel.frame(f);
        for (std::size_t i = 0; i < k; ++i) {
            const float* row = dct_.data() + i * n;
            double acc = 0;
            for (std::size_t j = 0; j < n; ++j) acc += double(row[j]) * in[j];
            out.values[f * k + i] = static_cast<float>(acc);
        }
    }
    return out;
}

Spectrogram Mfcc::compute(std::span<const float> signal) {
    auto mel = mel_.apply(stft_.power(signal));
    powerToDb(mel.values, params_.db);  // top_db applies over the whole excerpt, as librosa
    return fromLogMel(mel);
}

}  // namespace sonolab::dsp

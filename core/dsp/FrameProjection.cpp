#include "core/dsp/FrameProjection.h"

#include "core/util/Error.h"

#include <string>

namespace sonolab::dsp {

Spectrogram projectFrames(const Spectrogram& in, std::span<const float> weights, std::size_t outBins,
                          std::string_view what) {
    const std::size_t n = outBins ? weights.size() / outBins : 0;
    if (outBins == 0 || in.bins != n)
        throw Error(std::string(what), "input has " + std::to_string(in.bins) + " bins per frame, expected " +
                                           std::to_string(n));
    Spectrogram out;
    out.frames = in.frames;
    out.bins = outBins;
    out.values.resize(out.frames * outBins);
    for (std::size_t f = 0; f < in.frames; ++f) {
        const auto x = in.frame(f);
        for (std::size_t i = 0; i < outBins; ++i) {
            const float* row = weights.data() + i * n;
            double acc = 0;
            for (std::size_t j = 0; j < n; ++j) acc += double(row[j]) * x[j];
            out.values[f * outBins + i] = static_cast<float>(acc);
        }
    }
    return out;
}

}  // namespace sonolab::dsp

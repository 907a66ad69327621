#include "core/dsp/FrameProjection.h"

#include "core/util/Error.h"

#include <string>

namespace sonolab::dsp {

Matrix projectFrames(const Matrix& in, std::span<const float> weights, std::size_t outBins, std::string_view what) {
    in.requireLayout(Layout::FramesByBins, what);
    const std::size_t n = outBins ? weights.size() / outBins : 0;
    if (outBins == 0 || in.bins() != n)
        throw Error(std::string(what), "input has " + std::to_string(in.bins()) + " bins per frame, expected " +
                                           std::to_string(n));
    Matrix out(in.frames(), outBins, Layout::FramesByBins);
    for (std::size_t f = 0; f < in.frames(); ++f) {
        const auto x = in.row(f);
        const auto y = out.mutableRow(f);
        for (std::size_t i = 0; i < outBins; ++i) {
            const float* row = weights.data() + i * n;
            double acc = 0;
            for (std::size_t j = 0; j < n; ++j) acc += double(row[j]) * x[j];
            y[i] = static_cast<float>(acc);
        }
    }
    return out;
}

}  // namespace sonolab::dsp

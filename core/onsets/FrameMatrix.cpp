#include "core/onsets/FrameMatrix.h"

#include "core/util/Error.h"

#include <algorithm>

namespace sonolab::onsets {

FrameMatrix hstack(std::span<const FrameMatrix> parts) {
    if (parts.empty()) return {};
    std::size_t dims = 0;
    for (const auto& p : parts) {
        if (p.frames != parts.front().frames) throw Error("onset features", "cannot stack parts of different lengths");
        dims += p.dims;
    }
    FrameMatrix out(parts.front().frames, dims);
    for (std::size_t f = 0; f < out.frames; ++f) {
        float* dst = out.row(f);
        for (const auto& p : parts) dst = std::copy_n(p.row(f), p.dims, dst);
    }
    return out;
}

}  // namespace sonolab::onsets

#include "core/features/Patches.h"

#include "core/util/Error.h"

#include <algorithm>
#include <string>

namespace sonolab::features {

std::size_t centreCropStart(std::size_t total, std::size_t n) { return total > n ? (total - n) / 2 : 0; }

std::size_t randomCropStart(std::size_t total, std::size_t n, std::mt19937_64& rng) {
    if (total <= n) return 0;
    return std::uniform_int_distribution<std::size_t>(0, total - n)(rng);
}

std::vector<std::size_t> slidingStarts(std::size_t total, std::size_t n, std::size_t hop) {
    if (hop == 0 || n == 0) throw Error("windows", "window length and hop must be at least 1 frame");
    if (total <= n) return {0};
    std::vector<std::size_t> starts;
    for (std::size_t s = 0; s + n <= total; s += hop) starts.push_back(s);
    if (starts.back() + n < total) starts.push_back(total - n);  // cover the end too
    return starts;
}

std::size_t copyWindow(std::span<const float> values, std::size_t bands, std::size_t frames, std::size_t start,
                       std::size_t n, std::span<float> out, float padValue) {
    if (values.size() != bands * frames)
        throw Error("windows", std::to_string(values.size()) + " values do not make " + std::to_string(bands) + " x " +
                                   std::to_string(frames));
    if (out.size() != bands * n)
        throw Error("windows", "output holds " + std::to_string(out.size()) + " values, a window " +
                                   std::to_string(bands * n));
    const std::size_t valid = start < frames ? std::min(n, frames - start) : 0;
    for (std::size_t b = 0; b < bands; ++b) {
        float* dst = out.data() + b * n;
        if (valid) std::copy_n(values.data() + b * frames + start, valid, dst);
        std::fill(dst + valid, dst + n, padValue);
    }
    return valid;
}

Matrix centreWindow(const Matrix& m, std::size_t n, float padValue) {
    m.requireLayout(Layout::BinsByFrames, "windows");
    Matrix out(m.bins(), n, Layout::BinsByFrames);
    copyWindow(m.values(), m.bins(), m.frames(), centreCropStart(m.frames(), n), n, out.mutableValues(), padValue);
    return out;
}

}  // namespace sonolab::features

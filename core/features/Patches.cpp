#include "core/features/Patches.h"

#include "core/util/Error.h"

#include <algorithm>

namespace sonolab::features {

std::size_t centreCropStart(std::size_t total, std::size_t n) { return total > n ? (total - n) / 2 : 0; }

std::size_t randomCropStart(std::size_t total, std::size_t n, std::mt19937_64& rng) {
    if (total <= n) return 0;
    return std::uniform_int_distribution<std::size_t>(0, total - n)(rng);
}

std::vector<std::size_t> slidingStarts(std::size_t total, const PatchParams& p) {
    if (p.hop == 0) throw Error("patches", "hop must be at least 1");
    std::vector<std::size_t> starts;
    if (total <= p.frames) return {0};
    for (std::size_t s = 0; s + p.frames <= total; s += p.hop) starts.push_back(s);
    if (p.keepLastPartial && starts.back() + p.frames < total) starts.push_back(total - p.frames);
    return starts;
}

std::vector<float> cutPatch(std::span<const float> values, std::size_t bands, std::size_t frames, std::size_t start,
                            const PatchParams& p) {
    if (values.size() != bands * frames) throw Error("patches", "values do not match bands x frames");
    if (p.frames == 0) throw Error("patches", "patch length must be at least 1 frame");
    std::vector<float> out(bands * p.frames, p.padValue);
    if (start >= frames) return out;
    const std::size_t n = std::min(p.frames, frames - start);
    for (std::size_t b = 0; b < bands; ++b)
        std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(b * frames + start), n,
                    out.begin() + static_cast<std::ptrdiff_t>(b * p.frames));
    return out;
}

std::vector<float> centreCrop(std::span<const float> values, std::size_t bands, std::size_t frames,
                              const PatchParams& p) {
    return cutPatch(values, bands, frames, centreCropStart(frames, p.frames), p);
}

std::vector<float> randomCrop(std::span<const float> values, std::size_t bands, std::size_t frames,
                              const PatchParams& p, std::mt19937_64& rng) {
    return cutPatch(values, bands, frames, randomCropStart(frames, p.frames, rng), p);
}

std::vector<std::vector<float>> slidingWindows(std::span<const float> values, std::size_t bands, std::size_t frames,
                                               const PatchParams& p) {
    std::vector<std::vector<float>> out;
    for (auto s : slidingStarts(frames, p)) out.push_back(cutPatch(values, bands, frames, s, p));
    return out;
}

}  // namespace sonolab::features

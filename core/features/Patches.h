#pragma once
// Fixed-length patches of N frames cut from a (bands, frames) row-major matrix, as models take them:
// the centre crop (the tutorial's choice), random crops from a seeded generator (reproducible augmentation),
// and sliding windows with a hop (prediction over a whole track). A matrix shorter than N is padded at the end
// with padValue, so every patch has exactly N frames.
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace sonolab::features {

struct PatchParams {
    std::size_t frames = 80;  // N
    std::size_t hop = 40;     // sliding windows only
    float padValue = 0.0f;
    bool keepLastPartial = true;  // sliding: add a final window ending at the last frame when the hop misses it
};

// Start frames of each patch.
std::size_t centreCropStart(std::size_t totalFrames, std::size_t patchFrames);
std::size_t randomCropStart(std::size_t totalFrames, std::size_t patchFrames, std::mt19937_64& rng);
std::vector<std::size_t> slidingStarts(std::size_t totalFrames, const PatchParams& params);

// The (bands, N) patch starting at frame start.
std::vector<float> cutPatch(std::span<const float> values, std::size_t bands, std::size_t frames, std::size_t start,
                            const PatchParams& params);
std::vector<float> centreCrop(std::span<const float> values, std::size_t bands, std::size_t frames,
                              const PatchParams& params);
std::vector<float> randomCrop(std::span<const float> values, std::size_t bands, std::size_t frames,
                              const PatchParams& params, std::mt19937_64& rng);
std::vector<std::vector<float>> slidingWindows(std::span<const float> values, std::size_t bands, std::size_t frames,
                                               const PatchParams& params);

}  // namespace sonolab::features

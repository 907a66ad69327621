#pragma once
// A frame-major matrix of per-frame feature vectors (frames x dims): row f is frame f. Onset features and
// activations are sequences in time, so the frame is the outer index (the layout a recurrent network reads).
#include <cstddef>
#include <span>
#include <vector>

namespace sonolab::onsets {

struct FrameMatrix {
    std::size_t frames = 0;
    std::size_t dims = 0;
    std::vector<float> values;  // frames * dims, row-major

    FrameMatrix() = default;
    FrameMatrix(std::size_t frameCount, std::size_t dimCount)
        : frames(frameCount), dims(dimCount), values(frameCount * dimCount, 0.0f) {}

    float* row(std::size_t frame) { return values.data() + frame * dims; }
    const float* row(std::size_t frame) const { return values.data() + frame * dims; }
    float at(std::size_t frame, std::size_t dim) const { return values[frame * dims + dim]; }
};

// Side-by-side concatenation per frame (numpy's hstack); all parts must have the same frame count.
FrameMatrix hstack(std::span<const FrameMatrix> parts);

}  // namespace sonolab::onsets
